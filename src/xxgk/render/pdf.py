"""A report → a PDF in the official form, drawn with ReportLab (BSD licence).

Chinese text uses Adobe's STSong-Light, which every PDF reader provides without embedding;
give a TrueType/OpenType font file (``font=``) to embed a font instead, for printers and
archives that want every glyph in the file.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xxgk.model import Report
from xxgk.render.grid import Grid
from xxgk.render.outline import Block, report_outline, report_title

BUILTIN_FONT = "STSong-Light"
MARGIN = 20 * mm
# Width of a column of row labels, by depth (stub, group, label), in points.
LABEL_WIDTHS = {1: (150.0,), 2: (60.0, 150.0), 3: (45.0, 60.0, 130.0)}


def report_to_pdf(report: Report, font: str | Path | None = None) -> bytes:
    """The bytes of an A4 PDF holding the report as the official template lays it out."""
    name = _register_font(str(font) if font else None)
    styles = _styles(name)
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=MARGIN, bottomMargin=MARGIN, title=report_title(report))
    flowables: list[Flowable] = []
    for block in report_outline(report):
        flowables.extend(_flowables(block, styles, document.width))
    document.build(flowables)
    return out.getvalue()


def register_font(path: str | Path | None = None) -> str:
    """The ReportLab font name to draw Chinese with: the built-in CID font, or the given file, embedded."""
    return _register_font(str(path) if path else None)


@cache
def _register_font(path: str | None) -> str:
    """The font name to draw with: the built-in CID font, or the given file, embedded."""
    if path is None:
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_FONT))
        return BUILTIN_FONT
    name = Path(path).stem
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=12),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12, firstLineIndent=0, spaceBefore=8),
        "paragraph": body,
        "signature": ParagraphStyle("signature", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        "dateline": ParagraphStyle("dateline", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=8),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK"),
        "header": ParagraphStyle("header", fontName=font, fontSize=8, leading=10, wordWrap="CJK",
                                 alignment=TA_CENTER),
    }


def _flowables(block: Block, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if block.kind == "table":
        assert block.grid is not None
        return [Spacer(1, 4), _table(block.grid, styles, width), Spacer(1, 8)]
    return [Paragraph(escape(block.text), styles[block.kind])]


def _table(grid: Grid, styles: dict[str, ParagraphStyle], width: float) -> Table:
    """A ruled table with the grid's merged cells as SPAN commands."""
    data: list[list[Any]] = [["" for _ in range(grid.width)] for _ in range(grid.height)]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles["cell"].fontName, 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    for cell in grid.cells:
        style = styles["cell"] if cell.kind == "label" else styles["header"]
        data[cell.row][cell.col] = cell.text if cell.kind == "value" else Paragraph(escape(cell.text), style)
        if cell.rows > 1 or cell.cols > 1:
            commands.append(("SPAN", (cell.col, cell.row), (cell.col + cell.cols - 1, cell.row + cell.rows - 1)))
    return Table(data, colWidths=_column_widths(grid, width), style=TableStyle(commands), repeatRows=0)


def _column_widths(grid: Grid, width: float) -> list[float]:
    """Label columns wide enough for the labels, the value columns sharing the rest."""
    labels = list(LABEL_WIDTHS.get(grid.first_value_col, ()))
    rest = (width - sum(labels)) / (grid.width - len(labels))
    return labels + [rest] * (grid.width - len(labels))
