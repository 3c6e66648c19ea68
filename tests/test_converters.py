"""Pages turned into text by the converters crawlers and researchers use: what each converter adds to the words.

``tests/data/converters``: invented reports with hand-checked answers (``*.expected.json``), each as a
converter writes it: pandoc's Markdown (``[24]{lang="EN-US" style="…"}`` spans wrapped inside grid cells,
``# 标题 {#标题 .art-title}``, ``::: fences``), w3m's dump of a narrow info box that broke the title,
trafilatura's text without the title and with a signature without its date, trafilatura's front matter
and jina reader's header holding the only date.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import layouts
import xxgk
from conftest import corpus_names, expected
from xxgk.parse.title import find_title
from xxgk.read.headers import split_header
from xxgk.read.layout_cells import unwrap_layout_cells
from xxgk.read.pandoc import strip_pandoc_marks
from xxgk.read.raw_tables import tables_as_rows

CONVERTED = Path(__file__).parent / "data" / "converters"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in CONVERTED.glob("*.expected.json"))


def _source(name: str) -> Path:
    return next(p for p in CONVERTED.glob(f"{name}.*") if not p.name.endswith(".expected.json"))


def _wrong(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Every meta field and cell of ``want`` that ``got`` does not have."""
    wrong = [f"meta.{key}: want {value} got {got['meta'][key]}" for key, value in want["meta"].items()
             if got["meta"][key] != value]
    return wrong + [f"{table}.{row}.{col}: want {value} got {got['tables'][table].get(row, {}).get(col)}"
                    for table, rows in want["tables"].items() for row, cols in rows.items()
                    for col, value in cols.items() if got["tables"][table].get(row, {}).get(col) != value]


@pytest.mark.parametrize("name", NAMES)
def test_a_converted_page_is_read_with_every_cell(name: str) -> None:
    want: dict[str, Any] = json.loads((CONVERTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert not _wrong(xxgk.parse(_source(name)).to_dict(), want)


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_pandoc_markdown_is_read_alike_as_markdown_and_as_text(suffix: str) -> None:
    """The same pandoc output arrives named .md and .txt: read either way, its spans' numbers are the cells."""
    want: dict[str, Any] = json.loads((CONVERTED / "pandoc_grid.expected.json").read_text(encoding="utf-8"))
    raw = (CONVERTED / "pandoc_grid.txt").read_bytes()
    report = xxgk.parse(raw, f"page{suffix}")
    assert not _wrong(report.to_dict(), want)
    assert not [f for f in report.findings if f.rule == "PARSE-CELL-BLANK"]


# --- pandoc's marks -----------------------------------------------------------------------


def test_pandocs_spans_headings_and_fences_leave_their_text() -> None:
    text = ("::: xxgk-info\n"
            "# 某局2024年政府信息公开工作年度报告 {#某局2024年政府信息公开工作年度报告 .art-title}\n"
            ":::\n"
            ":::: {#zoom .art-con .TRS_Editor}\n"
            '**[一、总体情况]{style="font-size:16.0pt;font-family:黑体"}**\n'
            '[全年公开信息857条。[]{lang="EN-US"}]{style="font-size:16.0pt;font-family:\\"Times New Roman\\""}\n'
            "[字号：[大](javascript:;)\n[中](javascript:;)]{.font}\n"
            "::::")
    assert strip_pandoc_marks(text).split("\n") == [
        "", "# 某局2024年政府信息公开工作年度报告", "", "", "**一、总体情况**", "全年公开信息857条。",
        "字号：[大](javascript:;)", "[中](javascript:;)", ""]


def test_a_span_wrapped_in_a_grid_cell_keeps_the_cells_columns() -> None:
    rows = ('| [规章]{style="font-size:10.5pt"} | [3]{lang="EN-US"                 | [23]{lang="EN-US"                |\n'
            '|                                 | style="font-family:\\"Times\\""} | style="font-family:\\"Times\\""} |')
    stripped = strip_pandoc_marks(rows).split("\n")
    assert [[cell.strip() for cell in line.split("|")[1:-1]] for line in stripped] == [["规章", "3", "23"], ["", "", ""]]
    borders = [[i for i, ch in enumerate(line) if ch == "|"] for line in rows.split("\n")]
    assert [[i for i, ch in enumerate(line) if ch == "|"] for line in stripped] == borders


@pytest.mark.parametrize("text", [
    "收费公式为{基数×比例}，见附件。",  # braces in prose: no attribute
    "[注]{见附件一}",  # a bracket and braces that are no pandoc attributes
    "本机关{#1}号文件",
    ":::提示：本页面已停止更新",  # colons that open no fence
    "| 规章 | [3] | {2} |",
])
def test_braces_that_are_not_pandocs_attributes_stay(text: str) -> None:
    assert strip_pandoc_marks(text) == text


_CELL_TEXT = re.compile(r"(?<=\| )([^|\n]*?\S)(?= +\|)")


def _pandoc(text: str) -> str:
    """A text as pandoc writes a Word-pasted page: every cell's words in a span with Word's attributes,
    the title a heading with its id and class, the article in a fenced div."""
    spanned = _CELL_TEXT.sub(lambda m: f'[{m.group(1)}]{{lang="EN-US" style="font-size:10.5pt;font-family:宋体"}}', text)
    title, _, rest = spanned.partition("\n")
    return f"::: article\n# {title} {{#{title} .art-title}}\n\n:::: {{#zoom .TRS_Editor}}\n{rest}\n::::\n:::\n"


def _printable(answer: dict[str, Any]) -> bool:
    """Whether a corpus report's answers give its format, its year and every cell (a layout prints them)."""
    cells = [value for rows in answer["tables"].values() if rows for cols in rows.values() for value in cols.values()]
    return bool(answer["meta"].get("template") and answer["meta"].get("year")) and None not in cells


_PRINTABLE = [name for name in corpus_names() if _printable(expected(name))]


@pytest.mark.parametrize("layout", ["markdown", "pipes"])
@pytest.mark.parametrize("name", _PRINTABLE)
def test_pandocs_marks_around_every_cell_change_nothing(name: str, layout: str) -> None:
    """Every corpus report's tables, printed in a pipe layout, read alike with and without pandoc's marks."""
    want = expected(name)
    doc = layouts.build_doc(want["tables"], want["meta"]["template"], layouts.VARIANTS["official"], want["meta"]["year"])
    text = getattr(layouts, layout)(doc)
    for suffix in (".md", ".txt"):
        plain = xxgk.parse(text.encode(), f"page{suffix}").to_dict()
        marked = xxgk.parse(_pandoc(text).encode(), f"page{suffix}").to_dict()
        assert "]{" not in _pandoc(text).replace("]{lang", "")  # every cell's words were wrapped
        assert (marked["tables"], marked["meta"]["agency"], marked["meta"]["year"]) == (
            plain["tables"], plain["meta"]["agency"], plain["meta"]["year"])


# --- tables left as HTML tags -----------------------------------------------------------------


def test_a_table_left_as_tags_is_read_as_markdown_too() -> None:
    want: dict[str, Any] = json.loads((CONVERTED / "h2t_bypass.expected.json").read_text(encoding="utf-8"))
    report = xxgk.parse((CONVERTED / "h2t_bypass.txt").read_bytes(), "page.md")
    assert not _wrong(report.to_dict(), want)


def test_a_table_left_as_tags_becomes_rows_of_cells() -> None:
    text = "表二\n<table>  \n<tr>  \n<td>\n\n规章\n\n</td>  \n<td>\n\n</td>  \n<td>\n<p>2&amp;3</p>\n</td></tr>  \n</table>\n完"
    assert tables_as_rows(text) == "表二\n\n\n| 规章 |  | 2&3 |\n|---|---|---|\n\n\n完"


def test_a_table_holding_other_markup_stays_as_written() -> None:
    text = "<table><tr><td><script>alert(1)</script></td></tr></table>"
    assert tables_as_rows(text) == text


# --- a layout table's one cell ----------------------------------------------------------------


def test_a_layout_cell_is_read_as_text_too() -> None:
    """The same markdownify output named .txt (read line by line, it kept its cells before the cell was unwrapped)."""
    want: dict[str, Any] = json.loads((CONVERTED / "mdify_layout_table.expected.json").read_text(encoding="utf-8"))
    report = xxgk.parse((CONVERTED / "mdify_layout_table.md").read_bytes(), "page.txt")
    assert not _wrong(report.to_dict(), want)


def test_a_layout_cells_paragraphs_and_rows_get_lines_of_their_own() -> None:
    text = ("|  |\n| --- |\n| 一、总体情况  本年公开信息。  **二、主动公开政府信息情况**   |  |  |  | | --- | --- | --- |"
            " | 信息内容 | 本年制发件数 | 现行有效件数 | | 第二十条第（一）项 | | | | 规章 |  | 3 |   完 |")
    assert unwrap_layout_cells(text).split("\n") == [
        "|  |", "| --- |", "", "一、总体情况", "", "本年公开信息。", "", "**二、主动公开政府信息情况**", "",
        "|  |  |  |", "| --- | --- | --- |", "| 信息内容 | 本年制发件数 | 现行有效件数 |", "| 第二十条第（一）项 |",
        "| 规章 |  | 3 |", "", "完", ""]


@pytest.mark.parametrize("text", [
    "| 规章 | 0 | 0 |\n| --- | --- | --- |\n| 行政规范性文件 | 1 | 2 |",  # a table of its own
    "| 说明 |\n| --- |\n| 见下表：规章 | 0 |",  # a one-column table's cell holding no table
])
def test_cells_that_hold_no_table_stay(text: str) -> None:
    assert unwrap_layout_cells(text) == text


# --- the title --------------------------------------------------------------------------------


def test_menu_items_above_an_unread_title_are_no_title() -> None:
    """A menu's item (no year, no body's name ending) is not the first half of the column's name below it."""
    lines = ["政府信息公开", "政府信息公开指南", "法定主动公开内容", "政府信息公开年报",
             "佛山市南海区桂城街道办事处2024年政府信息公开工作年度报告 {#佛山市南海区桂城街道办事处2024年政府信息公开工作年度报告"
             "年度报告全文 .art-title}"]
    found = find_title(lines, lines)
    assert found is None or found.agency != "法定主动公开内容"


def test_a_body_above_the_report_words_still_makes_the_title() -> None:
    lines = ["上海市科委", "政府信息公开年报"]
    found = find_title(lines, lines)
    assert found is not None and found.agency == "上海市科委"


def test_the_tail_of_a_broken_title_yields_to_the_whole_title_below() -> None:
    text = (CONVERTED / "w3m_title_fragment.txt").read_text(encoding="utf-8")
    broken = "名 称：  柳州市鱼峰区住房和城乡建\n设局2020年政府信息公开工作年度报告\n"
    assert broken in text
    control = text.replace(broken, "")
    assert xxgk.parse_text(control).meta.agency == "柳州市鱼峰区住房和城乡建设局"
    assert xxgk.parse_text(text).meta.agency == "柳州市鱼峰区住房和城乡建设局"


def test_another_bodys_title_below_is_not_a_fuller_one() -> None:
    """Only a name that ends with the line's own is the same title printed whole."""
    text = "某市住房和城乡建设局2020年政府信息公开工作年度报告\n相关链接\n某市自然资源局2020年政府信息公开工作年度报告\n一、总体情况\n"
    assert xxgk.parse_text(text).meta.agency == "某市住房和城乡建设局"
    text = "某区财政局2020年政府信息公开工作年度报告\n上一篇\n某市某区财政局2019年政府信息公开工作年度报告\n一、总体情况\n"
    assert xxgk.parse_text(text).meta.agency == "某区财政局"


# --- the body without a title -----------------------------------------------------------------

_UNDATED = (CONVERTED / "traf_notitle_undated.txt").read_text(encoding="utf-8")
_LAST = "潍坊市寒亭区人民政府"


def _agency(text: str) -> tuple[str | None, list[str]]:
    report = xxgk.parse_text(text)
    return report.meta.agency, [f.rule for f in report.findings if f.where == "meta.agency"]


def test_a_signature_without_its_date_names_the_body() -> None:
    assert _UNDATED.rstrip().endswith(_LAST)
    assert _agency(_UNDATED) == (_LAST, ["PARSE-AGENCY-SIGNATURE"])
    footer = "\n上一篇：关于印发某某方案的通知\n版权所有：潍坊市寒亭区人民政府办公室\n【打印本页】【关闭窗口】\n"
    assert _agency(_UNDATED + footer) == (_LAST, ["PARSE-AGENCY-SIGNATURE"])


def test_the_preamble_names_the_body_that_compiled_the_report() -> None:
    text = _UNDATED.rstrip().removesuffix(_LAST) + "\n主办单位：潍坊市寒亭区人民政府办公室\n"
    assert _agency(text) == (_LAST, ["PARSE-AGENCY-PREAMBLE"])


@pytest.mark.parametrize("end", [
    "\n首页\n政务公开\n走进潍坊市人民政府\n",  # a menu at the foot of the page
    "\n潍坊市人民政府版权所有\n",  # the footer
    "\n主办单位：潍坊市人民政府办公室\n",
])
def test_no_body_is_taken_from_a_menu_or_a_footer(end: str) -> None:
    text = _UNDATED.rstrip().removesuffix(_LAST).replace("由潍坊市寒亭区人民政府编制", "由本机关编制") + end
    assert _agency(text)[0] is None


# --- the converters' metadata headers ---------------------------------------------------------


def test_trafilaturas_front_matter_is_the_pages_metadata() -> None:
    text, header = split_header('---\ntitle: 某局2023年政府信息公开工作年度报告\ndate: "2024-01-09"\n'
                                "fingerprint: eeb226530f594be3\n---\n本报告根据《条例》编制。")
    assert text == "本报告根据《条例》编制。"
    assert header is not None and (header.title, header.published) == ("某局2023年政府信息公开工作年度报告", "2024-01-09")


def test_jina_readers_header_is_the_pages_metadata() -> None:
    text, header = split_header("Title: 某局2024年政府信息公开工作年度报告_某局\n\nURL Source: https://a.gov.cn/t.html\n\n"
                                "Published Time: 2025-01-17T09:34:00+08:00\n\nMarkdown Content:\n某局")
    assert text == "某局"
    assert header is not None and header.published == "2025-01-17T09:34:00+08:00"


@pytest.mark.parametrize("text", ["---\n一、总体情况\n---\n", "| a | b |\n|---|---|\n", "Title 某局\n"])
def test_a_report_of_its_own_has_no_header(text: str) -> None:
    assert split_header(text) == (text, None)


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_date_the_text_prints_wins_over_the_header(suffix: str) -> None:
    text = (CONVERTED / "traf_front_matter.md").read_text(encoding="utf-8")
    report = xxgk.parse(text.encode(), f"page{suffix}")
    assert (report.meta.published, report.meta.agency) == ("2024-01-09", "攀枝花市东区司法局")
    assert "PARSE-PUBLISHED-METADATA" in {f.rule for f in report.findings}
    printed = text.replace("---\n本报告", "---\n发布日期：2024-01-12\n本报告", 1)
    report = xxgk.parse(printed.encode(), f"page{suffix}")
    assert report.meta.published == "2024-01-12"
    assert "PARSE-PUBLISHED-METADATA" not in {f.rule for f in report.findings}
