"""Reports written as HTML (the official form's merged cells) and Markdown, and read back.

Every real report in tests/data/corpus, parsed from its text and written out, parses back to
exactly the same tables; the HTML table has the grid's rowspan/colspan; text is escaped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import xxgk
from xxgk.model import Meta, Report, Section, Source
from xxgk.render.grid import table_grid
from xxgk.render.html import report_to_html
from xxgk.render.markdown import escape_markdown, report_to_markdown
from xxgk.templates import TABLE_IDS, statutory

CORPUS = sorted((Path(__file__).parent / "data" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module", params=CORPUS, ids=lambda p: p.stem)
def parsed(request: pytest.FixtureRequest) -> Report:
    return xxgk.parse(request.param)


def _tables(report: Report) -> dict[str, object]:
    return {t: report.tables.get(t) for t in TABLE_IDS}


def test_html_round_trip_gives_the_same_tables(parsed: Report) -> None:
    back = xxgk.parse(report_to_html(parsed).encode("utf-8"), "report.html")
    assert back.source.format == "html"
    assert _tables(back) == _tables(parsed)


def test_markdown_round_trip_gives_the_same_tables(parsed: Report) -> None:
    back = xxgk.parse(report_to_markdown(parsed).encode("utf-8"), "report.md")
    assert back.source.format == "markdown"
    assert _tables(back) == _tables(parsed)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_title_agency_and_dates_come_back_from_a_rendered_report(fmt: str) -> None:
    report = Report(source=Source(name="r", sha256="0", format="json"),
                    meta=Meta(title="某某市某某局2025年政府信息公开工作年度报告", agency="某某市某某局", year=2025,
                              template="2021", published="2026-01-22", signed="2026-01-20"))
    for tid in TABLE_IDS:
        report.tables[tid] = {}
    text = report_to_markdown(report) if fmt == "md" else report_to_html(report)
    back = xxgk.parse(text.encode("utf-8"), f"report.{fmt}")
    assert (back.meta.title, back.meta.agency) == (report.meta.title, report.meta.agency)  # no "#" left
    assert (back.meta.published, back.meta.signed) == ("2026-01-22", "2026-01-20")


def test_a_markdown_report_written_by_hand_reads_without_its_marks() -> None:
    text = ("# 某县水利局2024年政府信息公开工作年度报告\n\n发布日期：2025-01-15\n\n"
            "## 一、总体情况\n\n本局**全年**主动公开政府信息120条，收到政府信息公开申请3件。\n")
    back = xxgk.parse(text.encode("utf-8"), "report.md")
    assert back.meta.title == "某县水利局2024年政府信息公开工作年度报告" and back.meta.agency == "某县水利局"
    assert back.meta.published == "2025-01-15" and "**" not in (back.sections["overview"].text or "")


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_html_tables_have_the_grids_merges(template: str) -> None:
    report = Report(source=Source(name="blank", sha256="0", format="json"),
                    meta=Meta(template=template, year=statutory().first_year(template)))  # type: ignore[arg-type]
    for tid in TABLE_IDS:
        report.tables[tid] = {}
    tree = HTMLParser(report_to_html(report))
    for table in statutory().tables:
        grid = table_grid(table, template)
        node = tree.css_first(f'table[data-table="{table.id}"]')
        assert node is not None
        cells = [(c.text(), int(c.attributes.get("rowspan") or 1), int(c.attributes.get("colspan") or 1))
                 for c in node.css("th, td")]
        want = [(c.text, c.rows, c.cols) for c in sorted(grid.cells, key=lambda c: (c.row, c.col))]
        assert cells == want
        assert len(node.css("tr")) == grid.height


def test_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & | * _ [链接](http://x)'
    report = Report(source=Source(name="x", sha256="0", format="json"),
                    meta=Meta(title=nasty, agency="某局", year=2023, template="2021"),
                    sections={"overview": Section(present=True, text=nasty)})
    page = report_to_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    tree = HTMLParser(page)
    heading = tree.css_first("h1")
    assert heading is not None and heading.text() == nasty
    assert nasty in [p.text() for p in tree.css("p")]
    markdown = report_to_markdown(report)
    assert "<script>" not in markdown and "\\[链接\\](http" in markdown  # no live link, no raw HTML
    assert escape_markdown("1. 条目") == "1\\. 条目" and escape_markdown("# 标题") == "\\# 标题"


def test_markdown_headers_flatten_the_merged_levels() -> None:
    report = xxgk.parse(CORPUS[0])
    markdown = report_to_markdown(report)
    table = statutory().table_by_id("requests")
    group = table.column_by_id("commercial").group
    assert f"{table.column_header} / {group} / {table.column_by_id('commercial').label}" in markdown
    for sid in ("overview", "active", "requests", "review_litigation", "problems", "other"):
        assert f"## {statutory().section_by_id(sid).heading}" in markdown
