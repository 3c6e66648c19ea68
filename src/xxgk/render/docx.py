"""A report → a Word document in the official form, through a Word template an office may edit (docxtpl).

The template (``report_template.docx`` by default, exported by ``xxgk report template``) holds the
letterhead, fonts, page setup and fixed wording; its placeholders (docs/report-template.md) take the
title, agency, year, each section's heading and prose, the date and the signature. Each statutory
table is built here from the declaration (``render/grid.py``) as a sub-document with the official
form's merged cells, so no template spells a label. The template is filled in Jinja's sandbox with
every value escaped for XML; an unknown placeholder is an error, never a silent blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from xxgk.model import Report
from xxgk.render.grid import Grid
from xxgk.render.outline import ReportParts, SectionPart, report_parts
from xxgk.render.word_template import TemplateKind, WordTemplateError, clean, fill
from xxgk.templates import statutory


class ReportTemplateError(WordTemplateError):
    """A report template that cannot be filled; ``str(err)`` is Chinese and names the placeholder."""


TEMPLATE = Path(__file__).with_name("report_template.docx")
KIND = TemplateKind("报告模板", "docs/report-template.md", ReportTemplateError)
_SECT_PR = qn("w:sectPr")


def report_to_docx(report: Report, template: Path | None = None) -> bytes:
    """The .docx of the report: the template (the packaged one by default) filled with the report's parts."""
    parts = report_parts(report)
    return fill(KIND, template or TEMPLATE, lambda document: report_context(parts, document))


def report_context(parts: ReportParts, document: Any) -> dict[str, Any]:
    """Every placeholder a template may use (docs/report-template.md), the tables as sub-documents."""
    sections = {s.id: {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in parts.sections}
    by_section = {s.id: s for s in parts.sections}
    return {
        "title": parts.title, "dateline": parts.dateline, "published": parts.published, "year": parts.year,
        "agency": parts.agency, "date": parts.date, "preamble": list(parts.preamble), "sections": sections,
        "tables": {t.id: _fragment(document, by_section[t.section]) for t in statutory().tables},
    }


class WordFragment:
    """Body XML a template takes where it says ``{{p tables.requests }}``: docxtpl's sub-document, made here.

    docxtpl's own ``Subdoc`` needs docxcompose (to copy a document's images and styles); a table
    needs neither, so a python-docx document's body is inserted as it is.
    """

    def __init__(self, page: Any) -> None:
        self.document = docx.Document()
        own = self.document.sections[0]
        # Laid out on the template's page, so a table is as wide as the template's text.
        for attr in ("page_width", "page_height", "left_margin", "right_margin"):
            value = getattr(page, attr)
            if value is not None:
                setattr(own, attr, value)

    def __html__(self) -> str:
        """The body's paragraphs and tables as XML (docxtpl inserts it unescaped)."""
        body = self.document.element.body
        return "".join(etree.tostring(child, encoding="unicode") for child in body if child.tag != _SECT_PR)

    __str__ = __html__


def _fragment(document: Any, section: SectionPart) -> WordFragment:
    """A table section as a fragment: its statutory table, or its prose when the report has no table."""
    fragment = WordFragment(document.get_docx().sections[-1])
    if section.grid is not None:
        _add_table(fragment.document, section.grid)
    else:
        for line in section.paragraphs:
            fragment.document.add_paragraph(clean(line))
    return fragment


def _add_table(document: Any, grid: Grid) -> None:
    """A table with the grid's merges made as Word makes them (gridSpan, vMerge), ruled on every side."""
    table = document.add_table(rows=grid.height, cols=grid.width)
    _rule(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 9 if grid.width > 10 else 10.5
    # Every cell taken once, before any merge (``table.cell`` lays out the whole table on each call:
    # seconds for a 表三). A merge keeps the other cells' elements, so these stay valid.
    at = [row.cells for row in table.rows]
    for cell in grid.cells:
        target = at[cell.row][cell.col]
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(at[cell.row + cell.rows - 1][cell.col + cell.cols - 1])
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        # The cell's text in the template's body font, without the body's indent (an office's 首行缩进).
        fmt = paragraph.paragraph_format
        fmt.first_line_indent, fmt.left_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(0), Pt(0), Pt(0)
        fmt.line_spacing = 1.0
        paragraph.add_run(cell.text).font.size = Pt(size)
    document.add_paragraph()


def _rule(table: Any) -> None:
    """Borders on the table itself: an office's template need not have the 网格型 (Table Grid) style."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    # Where the schema puts it (Word refuses a table whose properties are out of order).
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription", "w:tblPrChange")
