"""A report → a Word document in the official form (headings, prose, tables with merged cells)."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from xxgk.model import Report
from xxgk.render.grid import Grid
from xxgk.render.outline import Block, report_outline

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def report_to_docx(report: Report) -> bytes:
    """The bytes of a .docx holding the report as the official template lays it out."""
    document = docx.Document()
    _set_font(document.styles["Normal"], BODY_FONT, 12)
    for block in report_outline(report):
        _add_block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_block(document: Any, block: Block) -> None:
    if block.kind == "table":
        assert block.grid is not None
        _add_table(document, block.grid)
        return
    paragraph = document.add_paragraph()
    run = paragraph.add_run(block.text)
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(run, HEADING_FONT, 18)
    elif block.kind == "dateline":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind == "heading":
        _set_run_font(run, HEADING_FONT, 14)
    elif block.kind == "signature":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _add_table(document: Any, grid: Grid) -> None:
    """A table with the grid's merges made as Word makes them (gridSpan, vMerge)."""
    table = document.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
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
        _set_run_font(paragraph.add_run(cell.text), BODY_FONT, size)
    document.add_paragraph()


def _set_font(style: Any, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _set_run_font(run: Any, name: str, size: float) -> None:
    """Word needs the East Asian font set on its own attribute for Chinese text."""
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
