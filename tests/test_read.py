"""The read layer for plain text and HTML: encodings, line breaks, table grids, format sniffing."""

from __future__ import annotations

import codecs
import importlib
from pathlib import Path

import pytest

from xxgk.read import Document, ReadError, read, read_bytes
from xxgk.read.encoding import decode, decode_bytes
from xxgk.read.html import declared_charset, read_html
from xxgk.read.text import read_text

DATA = Path(__file__).parent / "data"
HTML_REPORT = DATA / "html" / "report_2021.html"
# ``xxgk`` re-exports the function ``read``, which shadows the subpackage as an attribute.
read_module = importlib.import_module("xxgk.read")

SIMPLIFIED = (
    "重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告\n"
    "一、总体情况\n"
    "　　2022年，武隆区人民政府办公室坚持以习近平新时代中国特色社会主义思想为指导，"
    "全面贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。\n"
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形） 1 0 0 0 0 0 1"
)
TRADITIONAL = (
    "麻陽苗族自治縣政府信息公開工作年度報告\n"
    "　　本報告根據《中華人民共和國政府信息公開條例》要求編制。全文包括總體情況、"
    "主動公開政府信息情況、收到和處理政府信息公開申請情況、政府信息公開行政復議、"
    "行政訴訟情況、存在的主要問題及改進情況、其他需要報告的事項。\n"
    "一、本年新收政府信息公開申請數量 3 0 0 0 0 0 3"
)
BIG5_TITLE = "麻陽苗族自治縣政府信息公開工作年度報告"


def rows(doc: Document) -> list[tuple[str, ...]]:
    """The cell tuples of a document's table rows, in order."""
    return [line.cells for line in doc.lines if line.cells is not None]


def texts(doc: Document) -> list[str]:
    """The texts of a document's plain (non-table) lines, in order."""
    return [line.text for line in doc.lines if line.cells is None]


def assert_offsets_consistent(doc: Document) -> None:
    """Every line and cell offset points at its own text in ``doc.text``."""
    for line in doc.lines:
        assert doc.text[line.offset : line.offset + len(line.text)] == line.text
        if line.cells is not None:
            assert line.cell_offsets is not None
            for cell, offset in zip(line.cells, line.cell_offsets, strict=True):
                assert doc.text[offset : offset + len(cell)] == cell


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8")),
        (SIMPLIFIED, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16")),
        (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be")),
        (SIMPLIFIED, SIMPLIFIED.encode("gb18030")),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk")),
        (TRADITIONAL, TRADITIONAL.encode("big5")),
        (TRADITIONAL, TRADITIONAL.encode("gb18030")),
        (TRADITIONAL, TRADITIONAL.encode("utf-8")),
        (BIG5_TITLE, BIG5_TITLE.encode("big5")),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-le-bom",
        "utf16-be-bom",
        "gb18030",
        "gbk",
        "big5",
        "traditional-in-gb18030",
        "traditional-in-utf8",
        "big5-title-only",
    ],
)
def test_decode_recognises_encodings_of_real_report_text(text: str, raw: bytes) -> None:
    assert decode(raw) == text


def test_big5_is_not_mistaken_for_gb18030() -> None:
    # Every Big5 byte pair is also valid GB18030: the strict GB18030 decoding succeeds into
    # mojibake, so the choice must rest on what the characters look like.
    raw = TRADITIONAL.encode("big5")
    assert raw.decode("gb18030") != TRADITIONAL
    assert decode(raw) == TRADITIONAL
    assert read_bytes(raw, "big5.txt").text == TRADITIONAL


def test_gb18030_characters_outside_gbk_survive() -> None:
    text = "䶮与𠀀见于人名：" + SIMPLIFIED
    assert decode(text.encode("gb18030")) == text


def test_utf16_without_bom_is_recognised() -> None:
    assert decode(SIMPLIFIED.encode("utf-16-le")) == SIMPLIFIED


def test_declared_charset_is_tried_first_but_not_trusted_blindly() -> None:
    assert decode(TRADITIONAL.encode("big5"), declared="big5") == TRADITIONAL
    assert decode(SIMPLIFIED.encode("gb18030"), declared="GB2312") == SIMPLIFIED
    # Pages often declare gb2312 but are UTF-8 (or the other way round).
    assert decode(SIMPLIFIED.encode("utf-8"), declared="gb2312") == SIMPLIFIED
    assert decode(SIMPLIFIED.encode("gb18030"), declared="utf-8") == SIMPLIFIED
    assert decode(SIMPLIFIED.encode("gb18030"), declared="no-such-charset") == SIMPLIFIED


def test_decode_says_when_the_text_is_the_bytes_read_as_utf8() -> None:
    # Only then may a reader hand the bytes themselves on (the HTML reader gives them to Lexbor).
    assert decode_bytes(SIMPLIFIED.encode("utf-8")) == (SIMPLIFIED, True, ())
    assert decode_bytes(SIMPLIFIED.encode("utf-8"), declared="gb2312") == (SIMPLIFIED, True, ())
    assert decode_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")) == (SIMPLIFIED, False, ())
    assert decode_bytes(SIMPLIFIED.encode("gb18030"), declared="utf-8") == (SIMPLIFIED, False, ())
    assert decode_bytes(SIMPLIFIED.encode("utf-16-le")) == (SIMPLIFIED, False, ())
    damaged = SIMPLIFIED.encode("utf-8") + b"\xff"
    assert not decode_bytes(damaged).utf8


@pytest.mark.parametrize("raw", [b"", b"   \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"])
def test_empty_files_are_refused(raw: bytes) -> None:
    with pytest.raises(ReadError, match="文件为空"):
        read_bytes(raw, "empty.txt")


def test_whitespace_only_utf16_is_empty() -> None:
    with pytest.raises(ReadError, match="文件为空"):
        decode(" \n　\n".encode("utf-16"))


def test_nul_bytes_mean_binary() -> None:
    raw = "一、总体情况".encode() + b"\x00\x01\x02\x03\xff\xfe" * 20
    with pytest.raises(ReadError, match="文件不是文本"):
        read_bytes(raw, "junk.txt")


def test_control_characters_mean_binary() -> None:
    raw = bytes(range(1, 32)) * 50 + "报告".encode()
    with pytest.raises(ReadError, match="文件不是文本"):
        read_bytes(raw, "junk.bin")


def test_random_high_bytes_are_not_an_encoding() -> None:
    raw = bytes(range(0x80, 0x100)) * 8
    with pytest.raises(ReadError, match="无法识别文件编码"):
        read_bytes(raw, "junk.txt")


def test_error_messages_are_one_line() -> None:
    for raw in (b"", b"\x00\x01" * 10, bytes(range(0x80, 0x100)) * 8):
        with pytest.raises(ReadError) as info:
            read_bytes(raw, "x")
        assert "\n" not in str(info.value)


# --- plain text -----------------------------------------------------------------------


def test_text_line_endings_are_normalised_and_text_kept() -> None:
    raw = codecs.BOM_UTF8 + "標題\r\n一、總體情況\r（一）ＡＢＣ１２３\n\n末行\n".encode()
    doc = read_text(raw, "report.txt")
    assert doc.format == "text"
    assert doc.name == "report.txt"
    # Traditional and full-width characters stay as published; blank lines stay too.
    assert doc.text == "標題\n一、總體情況\n（一）ＡＢＣ１２３\n\n末行"
    assert [line.text for line in doc.lines] == ["標題", "一、總體情況", "（一）ＡＢＣ１２３", "", "末行"]
    assert [line.number for line in doc.lines] == [1, 2, 3, 4, 5]
    assert all(line.cells is None for line in doc.lines)
    assert_offsets_consistent(doc)


def test_text_sha256_is_of_the_raw_bytes() -> None:
    import hashlib

    raw = SIMPLIFIED.encode("gb18030")
    assert read_bytes(raw, "a.txt").sha256 == hashlib.sha256(raw).hexdigest()


def test_text_from_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "武隆区2022年报.txt"
    path.write_bytes(SIMPLIFIED.replace("\n", "\r\n").encode("gb18030"))
    doc = read(path)
    assert doc.name == "武隆区2022年报.txt"
    assert doc.format == "text"
    assert doc.text == SIMPLIFIED
    assert doc.lines[4].text == "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6"


# --- HTML -----------------------------------------------------------------------------

T3_HEADER = """
<table border="1">
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
    <td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
    <td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
    <td>3</td><td>1</td><td>&nbsp;</td><td></td><td>0</td><td>0</td><td>4</td></tr>
<tr><td rowspan="1">（三）不予公开</td><td>1.属于国家秘密</td>
    <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
"""

# A cell spanning columns counts once in its row; one spanning rows leaves "" below it.
T3_GRID = [
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
    ("", "自然人", "法人或其他组织", "总计"),
    ("", "", "商业 企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""),
    ("一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"),
    ("三、本年度办理结果", "（一）予以公开", "3", "1", "", "", "0", "0", "4"),
    ("", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"),
]


def html_doc(body: str, head: str = "") -> Document:
    """Read a small UTF-8 page made of the given head and body markup."""
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return read_html(page.encode("utf-8"), "page.html")


def test_html_page_reads_alike_as_utf8_bytes_and_as_decoded_text() -> None:
    # A UTF-8 page is parsed from its bytes, a GB18030 one from its decoded text: the same page either way.
    page = (DATA / "html" / "report_2021.html").read_text(encoding="utf-8")
    as_utf8 = read_html(page.encode("utf-8"), "p.html")
    as_gb = read_html(page.replace("charset=utf-8", "charset=gb18030").encode("gb18030"), "p.html")
    assert as_utf8.text == as_gb.text
    assert as_utf8.lines == as_gb.lines
    assert as_utf8.page_title == as_gb.page_title


def test_html_rowspan_colspan_give_the_exact_grid() -> None:
    doc = html_doc(T3_HEADER)
    assert doc.format == "html"
    assert rows(doc) == T3_GRID
    assert_offsets_consistent(doc)


def test_html_row_text_is_the_cells_joined() -> None:
    """A row's own cells, its empty ones included; a row with fewer cells is not padded (where it
    lost one is unknown: a blank at its end would say it was the last)."""
    doc = html_doc("<table><tr><td>规章</td><td>0</td><td></td></tr><tr><td>a</td><td>b</td></tr></table>")
    assert [line.text for line in doc.lines] == ["规章 | 0 | |", "a | b |"]


def test_html_report_fixture_tables() -> None:
    doc = read(HTML_REPORT)
    assert doc.format == "html"
    assert doc.name == "report_2021.html"
    grid = rows(doc)
    # 表二 (15 rows), 表三 (28 rows), 表四 (4 rows), nothing else.
    assert len(grid) == 14 + 28 + 4
    t2, t3, t4 = grid[:14], grid[14:42], grid[42:]
    assert t2[0] == ("第二十条第（一）项",)
    assert t2[3] == ("行政规范性文件", "3", "1", "12")
    assert t2[6] == ("行政许可", "156")
    assert t2[-1] == ("行政事业性收费", "0")
    assert t3[0] == T3_GRID[0]
    assert t3[1] == T3_GRID[1]
    assert t3[2] == ("", "", "商业 企业", "科研 机构", "社会公益组织", "法律服务机构", "其他", "")
    assert t3[3] == T3_GRID[3]
    assert t3[5] == ("三、本年度办理结果", "（一）予以公开", "3", "1", "0", "0", "0", "0", "4")
    assert t3[7] == ("", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0")
    assert t3[8] == ("", "", "2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0")
    assert t3[-2] == ("", "（七）总计", "6", "1", "0", "0", "0", "0", "7")
    assert t3[-1] == ("四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0")
    assert t4[0] == ("行政复议", "行政诉讼")
    assert t4[1][5:] == ("未经复议直接起诉", "复议后起诉")
    assert t4[2][:5] == ("", "", "", "", "")
    assert t4[3] == ("1", "0", "0", "0", "1", *["0"] * 10)
    assert_offsets_consistent(doc)


def test_html_report_fixture_numbers_balance() -> None:
    # The fixture is meant to be a consistent report: 表三 rows and columns add up.
    t3 = rows(read(HTML_REPORT))[14:42]
    values = {next(c for c in row if c): [int(v) for v in row[-7:]] for row in t3[3:]}
    by_label = {label.split("、")[-1]: v for label, v in values.items()}
    for v in values.values():
        assert v[-1] == sum(v[:-1])
    new, carried = by_label["本年新收政府信息公开申请数量"], by_label["上年结转政府信息公开申请数量"]
    total, forward = t3[-2][-7:], by_label["结转下年度继续办理"]
    for col in range(7):
        assert new[col] + carried[col] == int(total[col]) + forward[col]


def test_html_report_fixture_text_in_reading_order() -> None:
    doc = read(HTML_REPORT)
    lines = [line.text for line in doc.lines]
    title = lines.index("重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告")
    date = next(i for i, t in enumerate(lines) if t.startswith("发布时间：2023-02-14 09:50"))
    headings = [
        lines.index(h)
        for h in (
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        )
    ]
    assert title < date < headings[0]
    assert headings == sorted(headings)
    # Each table sits between its heading and the next one.
    first_row = {
        "第二十条第（一）项": (headings[1], headings[2]),
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）": (headings[2], headings[3]),
        "行政复议": (headings[3], headings[4]),
    }
    for cell, (after, before) in first_row.items():
        index = next(i for i, line in enumerate(doc.lines) if line.cells and line.cells[0] == cell)
        assert after < index < before
    assert (
        "（一）主动公开。2022年，区政府办公室通过区政府门户网站主动公开政府信息1860条，其中政策文件24件、政策解读18篇。"
        in lines
    )
    assert lines[-3:] == [
        "重庆市武隆区人民政府办公室",
        "2023年2月14日",
        "版权所有：重庆市武隆区人民政府办公室 网站标识码：5000000000",
    ]


def test_html_report_fixture_drops_invisible_content() -> None:
    text = read(HTML_REPORT).text
    for invisible in (
        "统计代码",
        "页脚脚本",
        "border: 1px",
        "互动交流",
        "隐藏的分享按钮文字",
        "Test fixture",
        "_重庆市武隆区人民政府",
    ):
        assert invisible not in text
    assert "supportLists" not in text
    assert "&nbsp;" not in text and "\xa0" not in text


def test_html_drops_scripts_styles_comments_and_hidden_elements() -> None:
    doc = html_doc(
        "<script>var a = '脚本';</script><style>p { color: red }</style>"
        "<noscript>请启用脚本</noscript><template><p>模板</p></template>"
        "<nav>导航</nav><iframe src='x'>框架</iframe>"
        "<p hidden>隐藏一</p><p style='DISPLAY : none'>隐藏二</p><span style='visibility:hidden'>隐藏三</span>"
        "<p><!--[if !supportLists]--><span>1.</span><!--[endif]-->正文<!-- 注释 --></p>"
        "<p><![if !vml]>图<![endif]>后</p>",
        head="<title>网页标题</title><style>body{}</style>",
    )
    assert texts(doc) == ["1.正文", "图后"]


def test_html_hidden_styles_are_told_from_styles_that_only_mention_none_or_hidden() -> None:
    doc = html_doc(
        "<p style='display:NONE;color:red'>隐藏一</p><p style='overflow:hidden'>溢出隐藏仍可见</p>"
        "<p style='border:none'>无边框可见</p><p style='Visibility: Hidden'>隐藏二</p><p style='color:red'>红字</p>"
    )
    assert texts(doc) == ["溢出隐藏仍可见", "无边框可见", "红字"]


def test_html_preformatted_text_keeps_its_lines() -> None:
    """A report published as text in <pre> (tables as pipes) keeps its lines, with or without markup inside."""
    doc = html_doc("<pre>表一\n规章 | 12 |\r\n规范性文件 | 3 |</pre><div><pre>甲\n<b>乙</b>\n丙</pre></div>")
    assert texts(doc) == ["表一", "规章 | 12 |", "规范性文件 | 3 |", "甲", "乙", "丙"]


def test_html_blocks_and_br_break_lines_and_inline_markup_does_not() -> None:
    doc = html_doc(
        "<div>第一行<br>第二行<br/><br/>第三行</div><p>一、<b>总体</b><span>情况</span></p>"
        "<ul><li>甲</li><li>乙</li></ul><h2>  二、主动公开\n  政府信息情况 </h2>"
        "<p>　　全角缩进保留&nbsp;&nbsp;空格合并</p>"
    )
    assert texts(doc) == [
        "第一行",
        "第二行",
        "第三行",
        "一、总体情况",
        "甲",
        "乙",
        "二、主动公开 政府信息情况",
        "　　全角缩进保留 空格合并",
    ]


def test_html_cell_whitespace_is_collapsed() -> None:
    doc = html_doc(
        "<table><tr><td><p>商业</p><p>企业</p></td><td>  法律\n服务&nbsp;机构 </td>"
        "<td>社会<br>公益<br>组织</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"
    )
    assert rows(doc) == [("商业 企业", "法律 服务 机构", "社会 公益 组织"), ("1", "2", "3")]


def test_html_white_space_collapses_and_other_spaces_are_kept() -> None:
    """Every character Python counts as white space: the HTML ones (and &nbsp;) collapse, the others
    (U+3000 indents, em spaces, ...) stay as written, in text lines and in cells alike."""
    html_space = " \t\n\r\f\xa0"
    for char in (chr(c) for c in range(0x3001) if chr(c).isspace()):
        body = f"<p>{char}甲{char}{char}乙{char}</p><table><tr><td>{char}1{char}{char}2</td><td>3</td></tr></table>"
        doc = html_doc(body + "<!--" + "padding " * 200 + "-->")  # control characters are few enough to be text
        if char in html_space:
            assert texts(doc) == ["甲 乙"] and rows(doc) == [("1 2", "3")], repr(char)
        else:
            assert texts(doc) == [f"{char}甲{char}{char}乙{char}"], repr(char)
            assert rows(doc) == [(" ".join(f"{char}1{char}{char}2".split()), "3")], repr(char)  # rows: all white space


def test_html_nodes_are_known_by_their_ids_as_by_their_names() -> None:
    """The reader compares Lexbor's tag ids, not names: on real pages and one with every tag it knows, a
    node's id is in each of its sets exactly when its name is in the set of names."""
    from selectolax.lexbor import LexborHTMLParser

    from xxgk.read import html as reader

    sets = [(names, reader._ids(names)) for names in (reader._BLOCKS, reader._SKIPPED, reader._PLAIN_CANDIDATES,
                                                      reader._NOT_PLAIN, reader._ROW_GROUPS, reader._CELLS)]
    sets += [(frozenset({name}), frozenset({reader._IDS[name]})) for name in ("-text", "-comment", "-doctype")]
    inline = sorted(reader._NOT_PLAIN - reader._ROW_GROUPS - reader._CELLS - {"tr", "caption", "html", "body", "head"})
    every_tag = ("<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody>"
                 "<tfoot><tr><td>f</td></tr></tfoot></table>" + "".join(f"<{n}>x</{n}>" for n in inline)
                 + "<o:p>w</o:p><foo-bar>c</foo-bar><font>f</font><span>s</span><!-- note -->")
    pages = [HTML_REPORT.read_text(encoding="utf-8"), f"<!DOCTYPE html><html><head><title>t</title></head><body>{every_tag}</body></html>"]
    seen: set[str | None] = set()
    for page in pages:
        root = LexborHTMLParser(page).root
        assert root is not None and root.parent is not None
        for node in root.parent.traverse(include_text=True):  # from the document: the doctype too
            seen.add(node.tag)
            for names, ids in sets:
                assert (node.tag in names) == (node.tag_id in ids), (node.tag, sorted(names)[:3])
    assert reader._NOT_PLAIN - {"frame"} | {"-text", "-comment", "-doctype", "o:p"} <= seen  # <frame> lives in framesets


def test_html_text_around_tables_keeps_order_and_caption() -> None:
    doc = html_doc(
        "<p>前文</p><table><caption>表三 收到和处理政府信息公开申请情况</caption>"
        "<thead><tr><th>项目</th><th>数量</th></tr></thead><tbody><tr><td>予以公开</td><td>4</td></tr></tbody>"
        "</table><p>后文</p>"
    )
    assert [(line.text, line.cells) for line in doc.lines] == [
        ("前文", None),
        ("表三 收到和处理政府信息公开申请情况", None),
        ("项目 | 数量 |", ("项目", "数量")),
        ("予以公开 | 4 |", ("予以公开", "4")),
        ("后文", None),
    ]


def test_html_nested_tables_are_flattened() -> None:
    # A layout table wrapping the article (common on government sites) holds the data table.
    doc = html_doc(
        "<table width='100%'><tr><td>导语</td></tr><tr><td>"
        "<p>二、主动公开政府信息情况</p>"
        "<table border='1'><tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td colspan='3'>12</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table>"
    )
    assert [(line.text, line.cells) for line in doc.lines] == [
        ("导语", None),
        ("二、主动公开政府信息情况", None),
        ("信息内容 | 本年处理决定数量 |", ("信息内容", "本年处理决定数量")),
        ("行政许可 | 12 |", ("行政许可", "12")),
        ("三、收到和处理政府信息公开申请情况", None),
    ]


def test_html_single_cell_table_is_layout() -> None:
    doc = html_doc("<table><tr><td><p>一、总体情况</p><p>正文</p></td></tr></table>")
    assert [(line.text, line.cells) for line in doc.lines] == [("一、总体情况", None), ("正文", None)]


def test_html_odd_spans_do_not_break_the_grid() -> None:
    doc = html_doc(
        "<table>"
        "<tr><td rowspan='0'>全列</td><td colspan='abc'>甲</td><td colspan='0'>乙</td></tr>"
        "<tr><td rowspan='99'>越界</td><td>丙</td></tr>"
        "<tr><td>丁</td></tr>"
        "<tr style='display:none'><td>隐藏行</td></tr>"
        "<tr><td></td><td></td></tr>"
        "</table>"
    )
    assert rows(doc) == [("全列", "甲", "乙"), ("", "越界", "丙"), ("", "", "丁")]


def test_html_overlapping_spans_do_not_crash() -> None:
    doc = html_doc("<table><tr><td>a</td><td rowspan='2'>b</td></tr><tr><td colspan='3'>c</td></tr></table>")
    assert rows(doc) == [("a", "b"), ("c",)]


def test_html_malformed_markup_is_read() -> None:
    page = (
        "<html><body><div><p>一、总体情况<p>段落<b>粗体<i>斜体</b>未闭合"
        "<table><tr><td>行政许可<td>12</tr><tr><td>行政处罚<td>3</table>"
        "</span></div></div><p>五、存在的主要问题及改进情况<td>孤立单元格"
    ).encode()
    doc = read_html(page, "broken.html")
    assert [(line.text, line.cells) for line in doc.lines] == [
        ("一、总体情况", None),
        ("段落粗体斜体未闭合", None),
        ("行政许可 | 12 |", ("行政许可", "12")),
        ("行政处罚 | 3 |", ("行政处罚", "3")),
        # A stray <td> outside any table is ignored by HTML parsing: its text joins the line.
        ("五、存在的主要问题及改进情况孤立单元格", None),
    ]


def test_html_deeply_nested_markup_does_not_hit_recursion_limit() -> None:
    page = ("<html><body>" + "<font><div>" * 490 + "深处的文字").encode()  # 980 levels: read
    assert "深处的文字" in read_html(page, "deep.html").text
    page = ("<html><body>" + "<font><div>" * 3000 + "深处的文字").encode()  # deeper than any report: refused
    with pytest.raises(ReadError, match="嵌套过深"):
        read_html(page, "deep.html")


def test_html_meta_gb2312_page_encoded_in_gb18030() -> None:
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "<title>年报</title></head><body><p>重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告</p>"
        "<p>䶮字在GBK之外</p></body></html>"
    ).encode("gb18030")
    assert declared_charset(page) == "gb2312"
    doc = read_bytes(page, "page.htm")
    assert doc.format == "html"
    assert texts(doc) == ["重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告", "䶮字在GBK之外"]


def test_html_meta_big5_page() -> None:
    page = f"<html><head><meta charset=big5></head><body><h1>{BIG5_TITLE}</h1></body></html>".encode("big5")
    assert declared_charset(page) == "big5"
    assert texts(read_bytes(page, "p.html")) == [BIG5_TITLE]


def test_html_wrong_meta_charset_is_overridden() -> None:
    page = "<html><head><meta charset='gb2312'></head><body><p>政府信息公开工作年度报告</p></body></html>"
    assert texts(read_bytes(page.encode("utf-8"), "p.html")) == ["政府信息公开工作年度报告"]


def test_html_utf16_page_with_bom() -> None:
    page = "<html><body><p>政府信息公开工作年度报告</p></body></html>".encode("utf-16")
    doc = read_bytes(page, "p.html")
    assert doc.format == "html"
    assert texts(doc) == ["政府信息公开工作年度报告"]


def test_html_without_visible_text_is_refused() -> None:
    page = b"<html><head><title>x</title></head><body><script>load()</script><img src='a.png'></body></html>"
    with pytest.raises(ReadError, match="网页中没有可读取的文字"):
        read_bytes(page, "empty.html")


def test_lines_and_rows_added_in_bulk_are_those_added_one_by_one() -> None:
    """The builder's bulk methods (the HTML reader's) give the lines, cells and offsets of add_text and add_row."""
    from xxgk.read.document import DocumentBuilder

    texts = ["标题", "　　全角缩进 正文", "x"]
    grid = [["（一）予以公开", "3", "", " 1 ", ""], [], [""], ["a\u3000 b", "\xa0"]]
    one, bulk = DocumentBuilder(), DocumentBuilder()
    for text in texts:
        one.add_text(text)
    for row in grid:
        one.add_row(row)
    one.add_text("末行")
    bulk.add_lines(texts)
    bulk.add_rows(grid)
    bulk.add_lines(["末行"])
    expected, got = one.build("a", "html", b""), bulk.build("a", "html", b"")
    assert got.text == expected.text and got.lines == expected.lines
    assert [line.text for line in got.lines[3:7]] == ["（一）予以公开 | 3 | | 1 | |", "", "|", "a b | |"]
    assert_offsets_consistent(got)


def test_the_builders_lines_are_lines_as_the_dataclass_makes_them() -> None:
    """The builder sets a Line's slots directly (faster than the frozen __init__): every field, same value,
    and the line stays frozen and hashable."""
    import dataclasses

    from xxgk.read import document

    values = ("a | b |", 7, 3, ("a", "b"), (7, 11), (0.5, 0.9))
    made, expected = document._line(*values), document.Line(*values)
    assert [getattr(made, f.name) for f in dataclasses.fields(document.Line)] == list(values)
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "x"  # type: ignore[misc]


# --- format sniffing and paths --------------------------------------------------------


def test_format_is_sniffed_from_content_not_name() -> None:
    page = "<!DOCTYPE html><html><body><p>年度报告</p></body></html>".encode()
    assert read_bytes(page, "report.txt").format == "html"
    assert read_bytes(b"  \r\n<div>one</div>", "x").format == "html"
    assert read_bytes(SIMPLIFIED.encode(), "report.html").format == "text"
    # A text line that starts with "<" is not markup.
    assert read_bytes("<政府信息公开条例>规定".encode(), "x.html").format == "text"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "ZIP"),
        (b"{\\rtf1\\ansi\\ansicpg936 report}", "RTF"),
    ],
)
def test_unsupported_formats_are_refused_clearly(raw: bytes, kind: str) -> None:
    with pytest.raises(ReadError, match="暂不支持读取") as info:
        read_bytes(raw, "report.bin")
    assert kind in str(info.value)
    assert "report.bin" in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40,
        b"GIF89a" + b"\x00" * 40,
    ],
)
def test_broken_images_are_named(raw: bytes) -> None:
    with pytest.raises(ReadError, match=r"^图片文件已损坏"):
        read_bytes(raw, "report.bin")


def test_docx_is_named_as_word(tmp_path: Path) -> None:
    """A ZIP with Word parts goes to the Word reader (tests/test_read_docx_pdf.py), even damaged."""
    import zipfile

    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError, match=r"^Word 文件已损坏或不完整"):
        read(path)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="找不到文件"):
        read(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="找不到文件"):
        read(str(tmp_path / "nope.html"))
    with pytest.raises(ReadError, match="不是文件"):
        read(tmp_path)


def test_too_large_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: costs no disk space
        f.truncate(read_module.MAX_BYTES + 1)
    with pytest.raises(ReadError, match="文件过大"):
        read(path)
    monkeypatch.setattr(read_module, "MAX_BYTES", 10)
    with pytest.raises(ReadError, match="文件过大"):
        read_bytes(b"01234567890", "x.txt")


def test_read_accepts_bytes_and_a_name() -> None:
    doc = read(SIMPLIFIED.encode("gb18030"), name="wulong.txt")
    assert doc.name == "wulong.txt"
    assert doc.text == SIMPLIFIED


def test_read_names_unreadable_paths_on_one_line(tmp_path: Path) -> None:
    page = "<html>\n<body>不是路径</body>\n</html>"
    with pytest.raises(ReadError, match="找不到文件") as info:
        read(page)
    assert "\n" not in str(info.value)


# --- damaged files ----------------------------------------------------------------------


def test_utf8_with_a_broken_byte_is_read_with_a_note() -> None:
    raw = SIMPLIFIED.encode("utf-8")
    broken = raw[:30] + b"\xff" + raw[30:]
    doc = read_bytes(broken, "broken.txt")
    assert doc.text.replace("\ufffd", "") == SIMPLIFIED
    assert doc.notes == ["文件中有 1 处字节无法按其编码解读，已替换为“\ufffd”"]
    assert read_bytes(raw, "ok.txt").notes == []


def test_utf8_bom_file_with_a_broken_byte_is_read() -> None:
    raw = codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")[:-1]  # last character cut short
    assert decode(raw).startswith(SIMPLIFIED[:-1])


def test_html_page_column_table_is_read_as_text() -> None:
    # A two-column page layout (menu | article) made with a table, without tables inside.
    article = "".join(f"<p>第{i}段：本机关依法公开政府信息。</p>" for i in range(12))
    doc = html_doc(f"<table><tr><td>栏目导航</td><td><p>一、总体情况</p>{article}</td></tr></table>")
    assert rows(doc) == []
    assert texts(doc)[:3] == ["栏目导航", "一、总体情况", "第0段：本机关依法公开政府信息。"]


def test_gbk_after_a_long_ascii_stretch_is_recognised() -> None:
    text = "x" * 300_000 + "\n" + SIMPLIFIED
    assert decode(text.encode("gbk")) == text


def test_html_saved_from_word() -> None:
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {margin:0cm} --></style>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author></o:DocumentProperties></xml><![endif]-->
</head><body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal><b><span style='font-family:黑体'>三、收到和处理政府信息公开申请情况<o:p></o:p></span></b></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>
 <tr><td width=200 colspan=3 rowspan=3><p class=MsoNormal><span>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</span></p></td>
  <td colspan=7><p class=MsoNormal><span>申请人情况</span></p></td></tr>
 <tr><td rowspan=2><p class=MsoNormal><span>自然人</span></p></td><td colspan=5><p class=MsoNormal><span>法人或其他组织</span></p></td>
  <td rowspan=2><p class=MsoNormal><span>总计</span></p></td></tr>
 <tr><td><p class=MsoNormal><span>商业</span></p><p class=MsoNormal><span>企业</span></p></td><td>科研机构</td><td>社会公益组织</td>
  <td>法律服务机构</td><td>其他</td></tr>
 <tr><td colspan=3><p class=MsoNormal><![if !supportLists]><span>一、<span style='font:7.0pt'>&nbsp;</span></span><![endif]>本年新收政府信息公开申请数量</p></td>
  <td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
 <![if !supportMisalignedColumns]>
 <tr height=0><td width=40 style='border:none'></td><td width=40 style='border:none'></td><td width=40 style='border:none'></td>
  <td width=40 style='border:none'></td></tr>
 <![endif]>
</table>
<p class=MsoNormal><span lang=EN-US style='display:none;mso-hide:all'>隐藏<o:p></o:p></span></p>
<p class=MsoNormal><span>四、政府信息公开行政复议、行政诉讼情况</span></p>
</div></body></html>""".encode("gb18030")
    doc = read_bytes(page, "word.htm")
    assert [(line.text, line.cells) for line in doc.lines if line.cells is None] == [
        ("三、收到和处理政府信息公开申请情况", None),
        ("四、政府信息公开行政复议、行政诉讼情况", None),
    ]
    assert rows(doc) == [
        *T3_GRID[:3],
        ("一、 本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"),
    ]


def test_markdown_table_first_row_widened_to_its_widest_row() -> None:
    """A pipe table's first row as wide as its longest row, so that no cell of a longer row is dropped
    by the renderer; an escaped ``\\|`` is no cell boundary; text without a table is left alone."""
    from xxgk.read.pipes import widen_tables

    text = "（本列数据的勾稽关系） | 申请人情况\n---|---\n一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 3119\n\n完"
    lines = widen_tables(text).split("\n")
    assert lines[0].count("|") == 5 and lines[1].count("---") == 5 and lines[2:] == text.split("\n")[2:]
    closed = "| a | b |\n|:-|-:|\n| 1 | 2 \\| 3 | 4 |"
    assert widen_tables(closed).split("\n")[0] == "| a | b | |"
    plain = "规章 | 0 | 0 | 0\n一、总体情况\n---"
    assert widen_tables(plain) == plain
    row = next(line for line in read_bytes(text.encode("utf-8"), "r.md").lines if line.cells and "3001" in line.cells)
    assert row.cells == ("一、本年新收政府信息公开申请数量", "3001", "53", "0", "3119")


def test_markdown_table_widening_is_bounded() -> None:
    """A hostile row of thousands of ``|`` does not make every row of its table that wide."""
    from xxgk.read.pipes import widen_tables

    text = "a | b\n---|---\n" + "|" * 100_000 + "\n" + "\n".join(["x | 1"] * 1000)
    assert widen_tables(text).split("\n")[0].count("|") < 100
