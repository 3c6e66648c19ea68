"""Write the letters' Word templates (告知书, docxtpl) from their wording in ``letter_texts.toml``.

    python tests/tools/make_letter_templates.py           # writes src/xxgk/register/letter_templates/*.docx
    python tests/tools/make_letter_templates.py --check   # only tells whether the shipped ones differ

The templates are what an office opens in Word and edits (wording, fonts, letterhead); the
placeholders are Jinja2 (``{{ applicant }}``) filled by ``xxgk register letter``. The layout follows
the usual form of an official letter: the agency and the title centred, the number, the
addressee, indented paragraphs, the signature and seal line on the right.
"""

from __future__ import annotations

import argparse
import io
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "letter_texts.toml"
OUT = HERE.parents[1] / "src" / "xxgk" / "register" / "letter_templates"
TITLE_FONT, BODY_FONT = "宋体", "仿宋"
# (style, text): title lines centred, the number centred, addressee flush left, body indented,
# signature lines on the right, the office's contact line small at the end.
Line = tuple[str, str]


def letter_lines(letter: dict[str, Any], common: dict[str, str]) -> list[Line]:
    """The lines of one letter's template, in order."""
    addressee = "{{ applicant }}：" if letter.get("to", "applicant") == "applicant" else "{{ consulted }}："
    lines: list[Line] = [("title", "{{ agency }}"), ("title", letter.get("title", common["answer_title"])),
                         ("number", "{{ number }}"), ("addressee", addressee)]
    paragraphs = [p.replace("{{ received_sentence }}", common["received"]) for p in letter["paragraphs"]]
    if letter["id"].startswith("answer."):
        paragraphs = [common["received"] + common["answer_intro"], *paragraphs]
    if letter.get("remedies"):
        paragraphs.append(common["remedies"])
    paragraphs.append(common["closing"])
    lines += [("body", p) for p in paragraphs]
    lines += [("signature", "{{ agency }}"), ("signature", "{{ seal }}"), ("signature", "{{ letter_date }}"),
              ("contact", common["contact"])]
    return lines


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _drop_optional_parts(document: Any) -> None:
    """Leave out python-docx's copy of Word's styles-with-effects and its thumbnail (half the file, unused)."""
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                rels.pop(rid)


def build_docx(lines: list[Line], title: str) -> bytes:
    """One template as .docx bytes (A4, the margins of official documents)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.core_properties.title = title
    document.core_properties.author = "xxgk"
    document.core_properties.created = document.core_properties.modified = datetime(2026, 1, 1)
    _drop_optional_parts(document)
    for style, text in lines:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(28)
        run = paragraph.add_run(text)
        if style == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(run, TITLE_FONT, 18, bold=True)
        elif style == "number":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(12)
            _font(run, BODY_FONT, 14)
        elif style == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(run, BODY_FONT, 16)
        elif style == "contact":
            paragraph.paragraph_format.space_before = Pt(24)
            _font(run, BODY_FONT, 12)
        else:
            if style == "body":
                paragraph.paragraph_format.first_line_indent = Pt(32)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _font(run, BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def templates() -> dict[str, tuple[list[Line], bytes]]:
    """Every letter: file name → (its lines, its .docx bytes)."""
    texts = tomllib.loads(TEXTS.read_text(encoding="utf-8"))
    out: dict[str, tuple[list[Line], bytes]] = {}
    for letter in texts["letter"]:
        lines = letter_lines(letter, texts["common"])
        out[f"{letter['id']}.docx"] = (lines, build_docx(lines, letter.get("title", texts["common"]["answer_title"])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only tell whether the shipped templates differ")
    args = parser.parse_args()
    from docx import Document as Open

    stale = []
    for name, (lines, data) in templates().items():
        target = OUT / name
        shipped = [p.text for p in Open(str(target)).paragraphs] if target.exists() else None
        if shipped != [text for _, text in lines]:
            stale.append(name)
            if not args.check:
                OUT.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    print(("differ: " if args.check else "written: ") + (", ".join(stale) or "none"))
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
