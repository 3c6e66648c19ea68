"""Web pages whose markup is not a plain grid: what the page's own stylesheet hides, a footnote's
superscript digit, a page waiting for its script, list items made of cells, a table's footer written
first, and the publication date a WeChat article keeps for its script.

``tests/data/markup``: invented report pages with hand-checked answers (``*.expected.json``): a hidden
older copy after the shown tables (``.hide-old{display:none}``), a print copy hidden on the screen
(``@media screen{.print-only{display:none}}``), a responsive page (PC table and mobile cards, each hidden
by a width query: both are the same numbers), footnote digits in ``<sup>``, ``<ul>`` rows of ``<span>``
cells with nothing between them, ``<tfoot>`` before ``<tbody>``; and tables printed not as grids, each number with
its row and column named (mobile cards, label and number on two lines, a two-column table per row in the 2019
format, cards per applicant type: see test_addressed.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.read import Document
from xxgk.read.html import read_html

MARKUP = Path(__file__).parent / "data" / "markup"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in MARKUP.glob("*.expected.json"))


def _page(body: str, head: str = "") -> Document:
    """Read a small UTF-8 page made of the given head and body markup."""
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return read_html(page.encode("utf-8"), "page.html")


def _texts(doc: Document) -> list[str]:
    """Every line's text, table rows as their cells joined by " | "."""
    return [line.text if line.cells is None else " | ".join(line.cells) for line in doc.lines]


@pytest.mark.parametrize("name", NAMES)
def test_a_page_is_read_with_every_cell_as_a_browser_shows_it(name: str) -> None:
    want: dict[str, Any] = json.loads((MARKUP / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = xxgk.parse(MARKUP / f"{name}.html").to_dict()
    for key, value in want["meta"].items():
        assert got["meta"][key] == value, f"meta.{key}"
    wrong = [f"{table}.{row}.{col}: want {value} got {got['tables'][table].get(row, {}).get(col)}"
             for table, rows in want["tables"].items() for row, cols in rows.items() for col, value in cols.items()
             if got["tables"][table].get(row, {}).get(col) != value]
    assert not wrong, wrong


# --- the page's stylesheet -------------------------------------------------------------------


SHOWN = "<table><tr><td>行政许可</td><td>7</td></tr></table>"
COPY = "<table><tr><td>行政许可</td><td>70</td></tr></table>"


@pytest.mark.parametrize("css", [
    ".old{display:none}",
    "div.old, .other { color: red; DISPLAY : none }",
    ".old{display:none!important}",
    "@media screen{.old{display:none}}",
    "@media only screen, print { #copy { visibility: hidden } }",
    "/* 旧版 */ @charset 'utf-8'; @import url(a.css); .old{display:none}",
])
def test_a_copy_the_stylesheet_hides_on_the_screen_is_not_read(css: str) -> None:
    doc = _page(f"{SHOWN}<div class='old' id='copy'>{COPY}</div>", head=f"<style>{css}</style>")
    assert _texts(doc) == ["行政许可 | 7"]


@pytest.mark.parametrize(("css", "shown"), [
    ("@media (max-width:768px){.old{display:none}}", True),  # a responsive page: the copy shown depends on the screen
    ("@media print{.old{display:none}}", True),
    (".box .old{display:none}", True),  # not a simple selector: left alone
    (".old:hover{display:none}", True),
    (".old{display:none}.old.active{display:block}", True),  # shown again by a weightier rule
    (".old.active{display:block}.old{display:none}", True),
    (".old{display:none}div{display:block}", False),  # a lighter rule does not show it
    (".old{display:none}@media (min-width:1px){.old{display:block}}", True),  # may be shown: read
])
def test_what_the_stylesheet_may_show_is_read(css: str, shown: bool) -> None:
    doc = _page(f"{SHOWN}<div class='old active'>{COPY}</div>", head=f"<style>{css}</style>")
    assert _texts(doc) == ["行政许可 | 7", "行政许可 | 70"][:1 + shown]


def test_an_inline_style_outweighs_the_stylesheet_unless_it_is_important() -> None:
    page = f"<div class='old' style='display:block'>{COPY}</div>"
    assert _texts(_page(page, head="<style>.old{display:none}</style>")) == ["行政许可 | 70"]
    assert _texts(_page(SHOWN + page, head="<style>.old{display:none !important}</style>")) == ["行政许可 | 7"]


def test_a_style_element_for_print_hides_nothing_on_the_screen() -> None:
    doc = _page(f"<div class='old'>{COPY}</div>", head="<style media='print'>.old{display:none}</style>")
    assert _texts(doc) == ["行政许可 | 70"]


# --- a page waiting for its script -------------------------------------------------------------


ARTICLE = "".join(f"<p>第{i}段：本单位认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。</p>" for i in range(8))


def test_a_hide_over_nearly_all_the_text_is_a_page_waiting_for_its_script() -> None:
    # A WeChat article fetched raw: its script shows the content, hidden until then.
    for hidden in ("style='visibility: hidden;'", "hidden"):
        doc = _page(f"<h1>标题</h1><div id='js_content' {hidden}>{ARTICLE}{SHOWN}</div><p>微信扫一扫</p>")
        assert "行政许可 | 7" in _texts(doc), hidden
    doc = _page(ARTICLE + SHOWN, head="<style>body{display:none}</style>")
    assert "行政许可 | 7" in _texts(doc)


def test_a_hidden_copy_beside_the_shown_text_stays_hidden() -> None:
    doc = _page(f"{ARTICLE}{SHOWN}<div style='display:none'>{ARTICLE}{COPY}</div>")
    assert "行政许可 | 70" not in _texts(doc) and "行政许可 | 7" in _texts(doc)


# --- superscripts ------------------------------------------------------------------------------


def test_a_superscript_digit_is_read_raised_not_glued_to_the_number() -> None:
    doc = _page("<table><tr><td>行政处罚</td><td>7<sup>1</sup></td></tr></table>"
                "<p>面积1.2万m<sup>2</sup>，10<sup>4</sup>件</p><p>注<sup>*</sup>：含简易程序<sup>①</sup></p>")
    assert _texts(doc) == ["行政处罚 | 7¹", "面积1.2万m²，10⁴件", "注*：含简易程序①"]


def test_a_footnote_digit_in_a_cell_is_no_part_of_its_value() -> None:
    report = xxgk.parse(MARKUP / "sup_digit.html").to_dict()
    assert "PARSE-CELL-FOOTNOTE" in {finding["rule"] for finding in report["findings"]}


# --- list items of cells -----------------------------------------------------------------------


def test_spans_that_are_a_list_items_cells_are_read_apart() -> None:
    doc = _page("<ul><li class='row'><span class='c0'>规章</span><span class='c1'>12</span><span class='c2'>3</span>"
                "<!-- 注释 --><span class='c3'><span style='color:red'>4</span><span>5</span></span></li>"
                "<li><span class='c0'>仅一格</span></li></ul>")
    assert _texts(doc) == ["规章 12 3 45", "仅一格"]


def test_runs_of_text_and_a_links_date_are_not_split() -> None:
    doc = _page("<ul><li><span style='font-size:16px'>共12</span><span style='font-size:16px'>3件</span></li>"
                "<li><a href='/a'>通知</a><span class='date'>2023-01-05</span></li>"
                "<li><span class='a'>甲</span>乙<span class='b'>丙</span></li></ul>")
    assert _texts(doc) == ["共123件", "通知2023-01-05", "甲乙丙"]


# --- row groups --------------------------------------------------------------------------------


def test_a_tables_footer_is_read_last_and_its_head_first_as_a_browser_draws_them() -> None:
    doc = _page("<table><tfoot><tr><td>总计</td><td>3</td></tr></tfoot><tbody><tr><td>甲</td><td>1</td></tr>"
                "<tr><td>乙</td><td>2</td></tr></tbody><thead><tr><td>项目</td><td>数量</td></tr></thead></table>")
    assert _texts(doc) == ["项目 | 数量", "甲 | 1", "乙 | 2", "总计 | 3"]


# --- the publication date a page keeps for its script ----------------------------------------


WECHAT = ("<h1 id='activity-name'>某市某区民政局2023年政府信息公开工作年度报告</h1>"
          "<div id='meta_content'><span>原创</span> <a id='js_name'>某区发布</a> <em id='publish_time'>{shown}</em></div>"
          "<div id='js_content'>" + ARTICLE + "</div><script>{script}</script>")


@pytest.mark.parametrize(("shown", "script", "stamp"), [
    ("", 'var ct = "1705716000";', "2024-01-20 10:00"),  # Unix seconds, in China's time
    ("", 'var ct = "1705716000"; var publish_time = "2024-01-20 10:00" || "";', "2024-01-20 10:00"),
    ("2024年01月20日 10:00", 'var ct = "1705000000";', "2024年01月20日 10:00"),  # as a saved page prints it
    ("", "var cts = 1;", None),
])
def test_a_wechat_article_is_dated_by_what_its_script_prints(shown: str, script: str, stamp: str | None) -> None:
    doc = _page(WECHAT.format(shown=shown, script=script))
    assert doc.page_published == stamp


def test_the_date_is_the_reports_published_date_when_the_text_prints_none() -> None:
    body = WECHAT.format(shown="", script='var ct = "1705716000";')
    page = f"<html><head><meta charset='utf-8'></head><body>{body}"
    report = xxgk.parse(page.encode("utf-8"), "page.html").to_dict()
    assert report["meta"]["published"] == "2024-01-20"
    assert "PARSE-PUBLISHED-METADATA" in {f["rule"] for f in report["findings"] if f["where"] == "meta.published"}
