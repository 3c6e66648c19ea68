"""The characters a page's fonts name by their glyphs, where the fonts give no Unicode map.

A font without a ToUnicode map (a Type 3 font of drawn digits, as some report generators make
them) leaves PDFium without the characters' text: it reports a map error and gives each code as
its text. The font's /Differences may still name the glyph of a code with a standard name
("zero" … "nine", "period"): then the code's character is known, as Acrobat reads it. Only such
names are trusted: a code is taken as the character it stands for where every font of the page
without a Unicode map names it so (a font whose glyphs are named g0, g1, … tells nothing, and the
page's other fonts could be the one that drew it).
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from pdfminer.encodingdb import EncodingDB, name2unicode
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

# The most fonts looked at on one page (a hostile file can list thousands).
_MAX_FONTS = 64


class GlyphNames:
    """A PDF's fonts' glyph names, page by page (the file is parsed once, when first asked)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._document: PDFDocument | None = None
        self._broken = False

    def named_characters(self, index: int, codes: set[str]) -> dict[str, str]:
        """For each code of ``codes`` (PDFium gives an unmapped character's code as its text): the character
        the fonts of page ``index`` name it by, where they all agree."""
        try:
            fonts = self._unmapped_fonts(index)
        except Exception:  # a damaged file: nothing is named
            return {}
        if not fonts:
            return {}
        named: dict[str, str] = {}
        for code in codes:
            readings = {font.get(ord(code)) for font in fonts}
            if len(readings) == 1 and (ch := readings.pop()) is not None and ch.isprintable() and not ch.isspace():
                named[code] = ch
        return named

    def _unmapped_fonts(self, index: int) -> list[dict[int, str]]:
        """The characters by code that each font of page ``index`` without a Unicode map names (glyph names)."""
        if self._broken:
            return []
        if self._document is None:
            self._broken = True  # until it opens
            self._document = PDFDocument(PDFParser(io.BytesIO(self._raw)))
            self._broken = False
        page = next(itertools.islice(PDFPage.create_pages(self._document), index, None), None)
        if page is None:
            return []
        fonts = resolve1(page.resources.get("Font")) if isinstance(page.resources, dict) else None
        if not isinstance(fonts, dict):
            return []
        out: list[dict[int, str]] = []
        for spec in itertools.islice(fonts.values(), _MAX_FONTS):
            font = resolve1(spec)
            if not isinstance(font, dict) or "ToUnicode" in font:
                continue
            encoding = resolve1(font.get("Encoding"))
            if _literal(font.get("Subtype")) == "Type0":
                if not (_literal(encoding) or "").startswith("Uni"):  # a CMap to Unicode tells; another does not
                    out.append({})
                continue
            out.append(_simple_font(font, encoding))
        return out


def _simple_font(font: dict[str, Any], encoding: Any) -> dict[int, str]:
    """A simple font's characters by code: its base encoding's where it names one, with its /Differences."""
    base = _literal(encoding.get("BaseEncoding")) if isinstance(encoding, dict) else _literal(encoding)
    differences = resolve1(encoding.get("Differences")) if isinstance(encoding, dict) else None
    names: dict[int, str] = {}
    if base in _BASES:
        names.update(EncodingDB.get_encoding(base))
    code = 0
    for item in differences if isinstance(differences, list) else []:
        item = resolve1(item)
        if isinstance(item, int):
            code = item
        elif isinstance(item, PSLiteral) and isinstance(item.name, str):
            try:
                names[code] = name2unicode(item.name)
            except (KeyError, ValueError):  # a name of no standard (g0, a12): the code is not known
                names.pop(code, None)
            code += 1
    return names


_BASES = ("StandardEncoding", "WinAnsiEncoding", "MacRomanEncoding", "PDFDocEncoding")


def _literal(value: Any) -> str | None:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) and isinstance(value.name, str) else None
