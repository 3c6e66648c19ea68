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


@dataclass(frozen=True, slots=True)
class SectionPart:
    """One of the six sections: its heading, and its statutory table's grid or else its prose."""

    id: str
    heading: str
    grid: Grid | None
    paragraphs: tuple[str, ...]  # empty when the grid is drawn


@dataclass(frozen=True, slots=True)
class ReportParts:
    """What a document of the report holds, by part: what the outline and a Word template draw."""

    title: str
    year: str  # 2024, or blank
    published: str  # the publication date written out (2024年1月20日), or blank
    dateline: str  # 发布日期：… under the title, or blank
    preamble: tuple[str, ...]
    sections: tuple[SectionPart, ...]
    agency: str  # the signature's body (blank when unknown)
    date: str  # the signature's date written out (2024年1月20日), or blank


def report_parts(report: Report) -> ReportParts:
    """The report's parts in the official form; the table sections hold their statutory table only."""
    template = report_template(report)
    title = report_title(report)
    tables = {t.section: t for t in statutory().tables}
    sections = []
    for sid in SECTION_IDS:
        section = report.sections.get(sid)
        heading = section.heading if section and section.heading else statutory().section_by_id(sid).heading
        table = tables.get(sid)
        data = report.tables.get(table.id) if table is not None else None
        if table is not None and data is not None:
            sections.append(SectionPart(sid, heading, table_grid(table, template, data), ()))
        else:
            prose = _paragraphs(section.text if section and section.text else "")
            sections.append(SectionPart(sid, heading, None, prose))
    meta = report.meta
    # Signed as the form is: the body's name, then the date written out (2024年1月20日).
    date = meta.signed or meta.published
    return ReportParts(title, str(meta.year or ""), _chinese_date(meta.published) if meta.published else "",
                       PUBLISHED_LABEL + meta.published if meta.published else "",
                       _paragraphs(_after(meta.preamble or "", title)), tuple(sections),
                       meta.agency or "", _chinese_date(date) if date else "")


def report_outline(report: Report) -> Iterator[Block]:
    """The report in reading order; the table sections hold their statutory table only."""
    parts = report_parts(report)
    yield Block("title", parts.title)
    if parts.dateline:
        yield Block("dateline", parts.dateline)
    yield from (Block("paragraph", line) for line in parts.preamble)
    for section in parts.sections:
        yield Block("heading", section.heading)
        if section.grid is not None:
            yield Block("table", grid=section.grid)
        yield from (Block("paragraph", line) for line in section.paragraphs)
    for line in (parts.agency, parts.date):
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


def _paragraphs(text: str) -> tuple[str, ...]:
    """The text's non-blank lines, stripped: one paragraph each."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())
