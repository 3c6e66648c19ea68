"""Text and pages a crawl damaged: two encodings in one file, character references and Word's markup left in the text.

``tests/data/crawled``: invented reports with hand-checked answers (``*.expected.json``), each damaged
as crawled reports are: a GBK page whose table 三 kept its UTF-8 bytes (pages stitched by a crawler),
``&nbsp;``/``&#12288;``/``&amp;`` in cells and prose, a page escaped twice (``&amp;nbsp;0``), Word's
``<o:p></o:p>`` after numbers and ``<!--[if !supportLists]-->`` around list numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.read import ReadError, read_bytes
from xxgk.read.encoding import decode_bytes
from xxgk.read.html import read_html
from xxgk.read.leftovers import clean_crawled, decode_references, strip_office_markup
from xxgk.read.markdown import read_markdown
from xxgk.read.text import read_text

CRAWLED = Path(__file__).parent / "data" / "crawled"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in CRAWLED.glob("*.expected.json"))

PROSE = ("甘肃省庆阳市西峰区人民政府2022年政府信息公开工作年度报告\n"
         "一、总体情况\n"
         "2022年，西峰区人民政府认真贯彻落实《条例》和上级政务公开工作部署，持续推进决策、执行、管理、服务、结果公开。\n")
TABLE = ("三、收到和处理政府信息公开申请情况\n"
         "一、本年新收政府信息公开申请数量 | 18 | 6 | 0 | 1 | 2 | 0 | 27\n"
         "（一）予以公开 | 8 | 6 | 0 | 1 | 2 | 0 | 17\n")
CLOSING = "五、存在的主要问题及改进情况\n一是公开内容的全面性有待提升；二是政策解读形式较为单一。\n"


def _source(name: str) -> Path:
    return next(p for p in CRAWLED.glob(f"{name}.*") if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("name", NAMES)
def test_a_crawled_report_is_read_with_every_cell(name: str) -> None:
    want: dict[str, Any] = json.loads((CRAWLED / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = xxgk.parse(_source(name)).to_dict()
    for key, value in want["meta"].items():
        assert got["meta"][key] == value, f"meta.{key}"
    wrong = [f"{table}.{row}.{col}: want {value} got {got['tables'][table].get(row, {}).get(col)}"
             for table, rows in want["tables"].items() for row, cols in rows.items() for col, value in cols.items()
             if got["tables"][table].get(row, {}).get(col) != value]
    assert not wrong, wrong


# --- two encodings in one file --------------------------------------------------------


def test_a_gbk_file_with_a_utf8_block_is_read_region_by_region() -> None:
    raw = PROSE.encode("gbk") + TABLE.encode("utf-8") + CLOSING.encode("gbk")
    decoded = decode_bytes(raw)
    assert decoded.text == PROSE + TABLE + CLOSING
    assert decoded.notes == ("文件混用了两种编码（多见于网页拼接）：第4–6行按 UTF-8 解读，其余按 GB18030（GBK）解读；"
                             "请核对这些行的文字和数字",)
    doc = read_text(raw, "report.txt")
    assert doc.notes == list(decoded.notes)
    assert "（一）予以公开 | 8 | 6 | 0 | 1 | 2 | 0 | 17" in doc.text


def test_the_mixed_file_says_so_in_a_finding() -> None:
    report = xxgk.parse(_source("mixed_encodings")).to_dict()
    notes = [f for f in report["findings"] if f["rule"] == "READ-NOTE"]
    assert len(notes) == 1 and notes[0]["severity"] == "warning" and "按 UTF-8 解读" in notes[0]["message"]


def test_a_utf8_file_with_a_gbk_block_is_read_too() -> None:
    raw = PROSE.encode("utf-8") + TABLE.encode("gbk") + CLOSING.encode("utf-8")
    decoded = decode_bytes(raw)
    assert decoded.text == PROSE + TABLE + CLOSING
    assert "第1–3行、第7–8行按 UTF-8 解读，其余按 GB18030（GBK）解读" in decoded.notes[0]


def test_a_page_declaring_gbk_with_a_utf8_block_is_not_read_as_nonsense() -> None:
    # GB18030 decodes the UTF-8 bytes without error, into characters no report prints.
    head = '<html><head><meta charset="gbk"></head><body><p>'
    page = (head + PROSE.replace("\n", "</p><p>")).encode("gbk") + TABLE.replace("\n", "</p><p>").encode("utf-8")
    doc = read_html(page + "结束</p></body></html>".encode("gbk"), "page.html")
    assert "（一）予以公开 | 8 | 6 | 0 | 1 | 2 | 0 | 17" in doc.text
    assert any("按 UTF-8 解读" in note for note in doc.notes)


def test_a_file_in_one_encoding_has_no_note() -> None:
    for raw in ((PROSE + TABLE).encode("gbk"), (PROSE + TABLE).encode("utf-8"), (PROSE + TABLE).encode("big5", "replace")):
        assert decode_bytes(raw).notes == ()


def test_junk_with_a_utf8_run_is_still_refused() -> None:
    raw = bytes(range(0x80, 0x100)) * 8 + "\n政府信息\n".encode() + bytes(range(0xFF, 0x7F, -1)) * 8
    with pytest.raises(ReadError, match="无法识别文件编码"):
        read_bytes(raw, "junk.txt")


# --- character references -------------------------------------------------------------


def test_references_in_text_are_decoded() -> None:
    raw = ("&#12288;&#12288;（一）主动公开情况。纳入绩效考核&amp;年度评议。\n"
           "（一）予以公开 | 8&nbsp; | &nbsp;6 | 0 | 1 | 2 | 0 | 1&#x37;\n").encode()
    doc = read_text(raw, "report.txt")
    assert doc.lines[0].text == "\u3000\u3000（一）主动公开情况。纳入绩效考核&年度评议。"
    assert doc.lines[1].text == "（一）予以公开 | 8\xa0 | \xa06 | 0 | 1 | 2 | 0 | 17"


def test_references_escaped_twice_are_decoded() -> None:
    assert decode_references("&amp;nbsp;0 | &amp;#12288;合计") == "\xa00 | \u3000合计"
    assert decode_references("&amp;amp;amp;amp;") == "&amp;"  # three rounds at most


def test_what_is_no_reference_stays() -> None:
    # No semicolon, a name HTML does not know, a bare ampersand: as written (``&not`` is no part of ``&notice``).
    for text in ("&notice", "R&D", "&nbsp", "AT&T;", "&foo;", "& amp;", "&#;", "&#xZZ;"):
        assert decode_references(text) == text


def test_a_page_escaped_twice_shows_numbers_in_its_cells() -> None:
    page = ("<html><body><p>&amp;#12288;一、总体情况</p><table>"
            "<tr><td>（一）予以公开</td><td>&amp;nbsp;8</td><td>6&amp;nbsp;</td><td>R&amp;amp;D</td></tr>"
            "</table></body></html>").encode()
    doc = read_html(page, "page.html")
    assert [line.cells for line in doc.lines if line.cells] == [("（一）予以公开", "8", "6", "R&D")]
    assert doc.lines[0].text == "\u3000一、总体情况"
    for line in doc.lines:  # offsets still point at each line's and cell's text
        assert doc.text[line.offset : line.offset + len(line.text)] == line.text


def test_a_page_with_no_reference_in_its_text_is_the_same_document() -> None:
    page = "<html><body><p>公开&amp;解读</p><p>R&amp;D &amp;notice</p></body></html>".encode()
    assert [line.text for line in read_html(page, "page.html").lines] == ["公开&解读", "R&D &notice"]


# --- Word's markup --------------------------------------------------------------------

WORD_XML = ("<!--[if gte mso 9]><xml><o:DocumentProperties><o:Pages>3</o:Pages></o:DocumentProperties>"
            "<w:WordDocument><w:Zoom>90</w:Zoom><w:PunctuationKerning/></w:WordDocument></xml><![endif]-->")


def test_words_markup_in_text_is_gone() -> None:
    raw = ("<!--[if !supportLists]-->一、<!--[endif]-->总体情况\n"
           f"{WORD_XML}\n"
           "行政规范性文件 | 0<o:p></o:p> | 0<o:p></o:p> | 103\n"
           "<![if !supportLists]>（一）<![endif]>予以公开 | <o:p>&nbsp;</o:p>8\n"
           "<st1:chsdate Year=\"2023\" Month=\"1\" Day=\"15\" w:st=\"on\">2023年1月15日</st1:chsdate>\n").encode()
    doc = read_text(raw, "report.txt")
    assert [line.text for line in doc.lines] == [
        "一、总体情况", "", "行政规范性文件 | 0 | 0 | 103", "（一）予以公开 | \xa08", "2023年1月15日"]


def test_markup_like_text_that_is_not_words_stays() -> None:
    for text in ("<政府信息公开条例>规定", "a < b > c", "<!-- 未闭合的注释", "<p>段落</p>", "<mailto:x@y.cn>"):
        assert strip_office_markup(text) == text
    assert clean_crawled("&lt;o:p&gt;&lt;/o:p&gt;12") == "12"


def test_words_markup_in_markdown_is_gone() -> None:
    raw = "# 年度报告\n\n| 项目 | 数量 |\n|---|---|\n| 行政许可 | 45<o:p></o:p> |\n| 竖线 | a&#124;b |\n".encode()
    doc = read_markdown(raw, "report.md")
    assert [line.cells for line in doc.lines if line.cells] == [("项目", "数量"), ("行政许可", "45"), ("竖线", "a|b")]
