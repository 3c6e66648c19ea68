"""A report → the blocks every document renderer draws: title, prose, headings, tables, signature."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from xxgk.model import Report
from xxgk.render.grid import Grid, table_grid
from xxgk.templates import SECTION_IDS, statutory

BlockKind = Literal["title", "dateline", "paragraph", "heading", "table", "signature"]
# Written under the title when the report has a publication date: read back as that date (a web page's line).
PUBLISHED_LABEL = "发布日期："
DEFAULT_TITLE = "政府信息公开工作年度报告"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str = ""
    grid: Grid | None = None


def report_template(report: Report) -> str:
    """The format to draw the tables in: the report's own, else the one due for its year."""
    if report.meta.template in ("2019", "2021"):
        return report.meta.template
    due = statutory().format_for_year(report.meta.year) if report.meta.year else None
    return due or statutory().formats[-1].id


def report_title(report: Report) -> str:
    """The report's title, or one made from its agency and year."""
    meta = report.meta
    if meta.title:
        return meta.title
    year = f"{meta.year}年" if meta.year else ""
    return f"{meta.agency or ''}{year}{DEFAULT_TITLE}"


def report_outline(report: Report) -> Iterator[Block]:
    """The report in reading order; the table sections hold their statutory table only."""
    template = report_template(report)
    title = report_title(report)
    yield Block("title", title)
    if report.meta.published:
        yield Block("dateline", PUBLISHED_LABEL + report.meta.published)
    yield from _paragraphs(_after(report.meta.preamble or "", title))
    tables = {t.section: t for t in statutory().tables}
    for sid in SECTION_IDS:
        section = report.sections.get(sid)
        heading = statutory().section_by_id(sid).heading
        yield Block("heading", section.heading if section and section.heading else heading)
        table = tables.get(sid)
        if table is not None:
            data = report.tables.get(table.id)
            if data is not None:
                yield Block("table", grid=table_grid(table, template, data))
                continue
        yield from _paragraphs(section.text if section and section.text else "")
    # Signed as the form is: the body's name, then the date written out (2024年1月20日).
    date = report.meta.signed or report.meta.published
    for line in (report.meta.agency, _chinese_date(date) if date else None):
        if line:
            yield Block("signature", line)


def _chinese_date(iso: str) -> str:
    """``2024-01-20`` → ``2024年1月20日``; anything else unchanged."""
    parts = iso.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return iso


def _after(text: str, title: str) -> str:
    """The preamble without what precedes the title (page breadcrumbs) nor the title itself."""
    at = text.find(title)
    return text[at + len(title) :] if at >= 0 else text


def _paragraphs(text: str) -> Iterator[Block]:
    for line in text.splitlines():
        line = line.strip()
        if line:
            yield Block("paragraph", line)
