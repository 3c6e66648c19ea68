"""Characters that print nothing (zero-width spaces, soft hyphens, direction marks) inside a report.

Web editors save zero-width spaces inside text (``3&#8203;001``), a CMS may put soft hyphens inside
long numbers: a reader sees 3001. They must read as nothing, not as a space between two numbers.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import xxgk
from conftest import report_path
from test_read_docx_pdf import build_report_docx
from xxgk.read.document import INVISIBLE, drop_invisible
from xxgk.render.html import report_to_html

# Format characters that print a mark of their own (Arabic, Syriac and Kaithi number signs, the
# hieroglyph, shorthand and musical format controls): not invisible, left as they are.
_PRINTING_FORMAT = {*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
                    *range(0x13430, 0x13440), *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B)}
# What a crawl of a real page has inside its text: UEditor's zero-width space (literal and as
# entities), the byte-order mark of a concatenated file, soft hyphens, joiners, direction marks.
_LITERAL = ("\u200b", "\ufeff", "\u00ad", "\u200c", "\u200d", "\u2060", "\u200e", "\ufe0f")
_ENTITIES = ("&#8203;", "&#x200B;", "&shy;", "&zwnj;", "&zwj;", "&lrm;", "&rlm;", "&#xFEFF;")
REPORTS = ("dev_001", "seed_002_f821463d77e6db60")


def test_the_pattern_is_unicodes_format_characters_that_print_nothing() -> None:
    format_chars = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    invisible = format_chars - _PRINTING_FORMAT
    assert all(INVISIBLE.fullmatch(chr(c)) for c in invisible)
    assert all(INVISIBLE.fullmatch(chr(c)) for c in (*range(0xFE00, 0xFE10), 0x034F))  # variation selectors
    printing = [c for c in range(0x10000) if unicodedata.category(chr(c))[0] in "LNPSZ"]
    assert not any(INVISIBLE.fullmatch(chr(c)) for c in printing)
    assert drop_invisible("规范性\u200b文件3\u00ad001件") == "规范性文件3001件"


def _sprinkle(text: str, marks: tuple[str, ...], inside: Callable[[str], bool]) -> str:
    """Put an invisible mark after about every fourth digit or ideograph (not inside markup)."""
    rnd = random.Random(12)
    out = []
    for ch in text:
        out.append(ch)
        if (ch.isdigit() or "\u4e00" <= ch <= "\u9fff") and inside(ch) and rnd.random() < 0.25:
            out.append(rnd.choice(marks))
    return "".join(out)


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["meta"] == want["meta"]
    assert got["tables"] == want["tables"]


@pytest.mark.parametrize("name", REPORTS)
def test_invisible_characters_in_a_text_report_read_as_nothing(name: str) -> None:
    text = report_path(name).read_text(encoding="utf-8")
    clean = xxgk.parse(text.encode("utf-8"), f"{name}.txt").to_dict()
    marked = _sprinkle(text, _LITERAL, lambda ch: True)
    assert marked.count("\u200b") > 20
    _same(xxgk.parse(marked.encode("utf-8"), f"{name}.txt").to_dict(), clean)


@pytest.mark.parametrize("name", REPORTS)
def test_invisible_characters_in_a_web_page_read_as_nothing(name: str) -> None:
    page = report_to_html(xxgk.parse(report_path(name)))
    clean = xxgk.parse(page.encode("utf-8"), f"{name}.html").to_dict()
    body_start = page.index("<body>")
    # In text only: after every character outside a tag, in the body.
    in_text = [False] * len(page)
    inside_tag = False
    for i, ch in enumerate(page):
        inside_tag = True if ch == "<" else False if ch == ">" else inside_tag
        in_text[i] = i > body_start and not inside_tag
    rnd = random.Random(3)
    marked = "".join(ch + (rnd.choice(_ENTITIES + _LITERAL) if in_text[i] and (ch.isdigit() or "\u4e00" <= ch <= "\u9fff")
                                                             and rnd.random() < 0.25 else "")
                     for i, ch in enumerate(page))
    assert marked.count("&#8203;") > 20
    got = xxgk.parse(marked.encode("utf-8"), f"{name}.html").to_dict()
    _same(got, clean)
    assert "\u200b" not in got["meta"]["agency"]


def test_invisible_characters_in_a_word_report_read_as_nothing(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "report.docx"
    build_report_docx(path)
    clean = xxgk.parse(path).to_dict()
    document = docx.Document(str(path))
    runs = [run for table in document.tables for row in table.rows for cell in row.cells
            for p in cell.paragraphs for run in p.runs]
    runs += [run for p in document.paragraphs for run in p.runs]
    for run in runs:
        run.text = _sprinkle(run.text, _LITERAL, lambda ch: True)
    document.save(str(path))
    _same(xxgk.parse(path).to_dict(), clean)
