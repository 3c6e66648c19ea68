"""A letter (告知书) written from a Word template an office edits: docxtpl fills it, ReportLab draws its PDF.

The template is Jinja2 inside a .docx (``{{ applicant }}``), filled by ``render/word_template.py``:
in Jinja's sandbox with every value escaped for XML, so neither a template nor an applicant's text
can run code or break the document, and a placeholder the letter lacks (an office's typo) is an
error naming it, never a blank where the applicant's name or a deadline should be. The PDF is drawn
from the filled document's paragraphs (text, alignment, size, first-line indent), so whatever
wording the office put in its template is what the PDF says.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from xxgk.render import word_template
from xxgk.render.pdf import register_font
from xxgk.render.word_template import TemplateKind, WordTemplateError

_ALIGN: dict[object, Literal[0, 1, 2, 4]] = {
    WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER, WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY: TA_JUSTIFY}
_DEFAULT_SIZE = 16.0


class LetterError(WordTemplateError):
    """A template that cannot be filled; ``str(err)`` is Chinese and names the placeholder."""


# The letters' placeholders are listed in the README's section on 告知书.
KIND = TemplateKind("文书模板", "README.md“告知书”一节", LetterError)


def clean(text: str) -> str:
    """A value fit for a letter: one line, no characters XML forbids."""
    return " ".join(word_template.clean(text).split())


def fill_docx(template: bytes | Path, context: Mapping[str, str]) -> bytes:
    """The template filled with ``context`` (values cleaned and XML-escaped), as .docx bytes."""
    return word_template.fill(KIND, template, {k: clean(v) for k, v in context.items()})


def docx_to_pdf(docx: bytes, title: str = "", font: str | Path | None = None) -> bytes:
    """An A4 PDF of a filled letter: its paragraphs as Word lays them out (alignment, size, indent)."""
    name = register_font(font)
    out = io.BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm,
                            bottomMargin=35 * mm, title=title)
    flowables: list[Flowable] = []
    for i, paragraph in enumerate(Document(io.BytesIO(docx)).paragraphs):
        text = paragraph.text
        if not text.strip():
            flowables.append(Spacer(1, 12))
            continue
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        size = max(sizes) if sizes else _DEFAULT_SIZE
        indent = paragraph.paragraph_format.first_line_indent
        before = paragraph.paragraph_format.space_before
        after = paragraph.paragraph_format.space_after
        style = ParagraphStyle(
            f"p{i}", fontName=name, fontSize=size, leading=size * 1.75, wordWrap="CJK",
            alignment=_ALIGN.get(paragraph.alignment, TA_LEFT),
            firstLineIndent=indent.pt if indent is not None else 0,
            spaceBefore=before.pt if before is not None else 0, spaceAfter=after.pt if after is not None else 0)
        flowables.append(Paragraph(escape(text), style))  # no bold: the built-in CID font has none
    pdf.build(flowables)
    return out.getvalue()
