"""Write the annual report's Word template (docxtpl) shipped in ``src/xxgk/render/report_template.docx``.

    python tests/tools/make_report_template.py           # writes the template
    python tests/tools/make_report_template.py --check   # only tells whether the shipped one differs

An office exports it (``xxgk report template -o 模板.docx``), adds its letterhead (红头), fonts,
page setup and fixed paragraphs in Word, and renders with ``--template``. The look is xxgk's
official one: the title centred (黑体), headings in 黑体, the body in 宋体, the signature on the
right, A4 with the margins of GB/T 9704. No label or heading is written here: the sections come from
the declaration (templates/statutory.toml) and every text is a placeholder (docs/report-template.md).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from packaged_docx import stable, write_or_check

from xxgk.templates import SECTION_IDS, statutory

OUT = Path(__file__).resolve().parents[2] / "src" / "xxgk" / "render" / "report_template.docx"
BODY_FONT, HEADING_FONT = "宋体", "黑体"


def _font(target: object, name: str, size: float) -> None:
    """A run's or a style's font, the East Asian one too (Word reads Chinese text's font from it)."""
    font = target.font  # type: ignore[attr-defined]
    font.name, font.size = name, Pt(size)
    element = target.element if hasattr(target, "style_id") else target._element  # type: ignore[attr-defined]
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _add(doc: object, text: str, align: object = None, font: tuple[str, float] | None = None) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    if font is not None:
        _font(run, *font)


def build() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    _font(doc.styles["Normal"], BODY_FONT, 12)
    _add(doc, "{{ title }}", WD_ALIGN_PARAGRAPH.CENTER, (HEADING_FONT, 18))
    _add(doc, "{%p if dateline %}")
    _add(doc, "{{ dateline }}", WD_ALIGN_PARAGRAPH.CENTER)
    _add(doc, "{%p endif %}")
    _add(doc, "{%p for p in preamble %}")
    _add(doc, "{{ p }}")
    _add(doc, "{%p endfor %}")
    tables = {t.section: t.id for t in statutory().tables}
    for sid in SECTION_IDS:
        _add(doc, f"{{{{ sections.{sid}.heading }}}}", font=(HEADING_FONT, 14))
        if sid in tables:
            _add(doc, f"{{{{p tables.{tables[sid]} }}}}")
            continue
        _add(doc, f"{{%p for p in sections.{sid}.paragraphs %}}")
        _add(doc, "{{ p }}")
        _add(doc, "{%p endfor %}")
    _add(doc, "{{ agency }}", WD_ALIGN_PARAGRAPH.RIGHT)
    _add(doc, "{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return stable(out.getvalue())


def main() -> int:
    return write_or_check(__doc__, OUT, build)


if __name__ == "__main__":
    sys.exit(main())
