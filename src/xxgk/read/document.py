"""What every reader produces: the document as lines of text, some with real table cells."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Resolves an image reference of a page (an ``<img src>``) to the image's bytes, or None
# when it cannot be had; given by whoever knows where the page came from (a folder, a URL).
ImageSource = Callable[[str], bytes | None]


class ReadError(Exception):
    """The input cannot be read as a report. ``str(err)`` is a one-line message in Chinese."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document text.

    ``cells`` is set when the line is a row of a real table grid (HTML, DOCX, a PDF table):
    then the cells are known exactly, blank ones included, and spanned cells appear once.
    ``cell_offsets`` gives each cell's offset in the document text.
    ``confidence`` is set when the line was read from an image with OCR: each cell's
    recognition confidence (0-1), or one value for a line without cells; None for text
    that was in the file as text.
    """

    text: str
    offset: int
    number: int
    cells: tuple[str, ...] | None = None
    cell_offsets: tuple[int, ...] | None = None
    confidence: tuple[float, ...] | None = None


# The confidence of text taken from a scanned PDF's own OCR layer (the invisible text an OCR program lays
# over the picture): the layer is recognised text, but tells no confidence. Outside OCR's 0-1, so that the
# parser can say where such numbers come from; above any threshold, so that what no arithmetic checks
# stands, with a finding that it is unchecked OCR output.
TEXT_LAYER_CONFIDENCE = 2.0


@dataclass(slots=True)
class Document:
    """A report's text in reading order, whatever it was published as."""

    name: str
    format: str
    sha256: str
    text: str
    lines: list[Line]
    # Problems the reader met but could work around (an image it could not read, ...),
    # in Chinese; they become findings on the report.
    notes: list[str] = field(default_factory=list)
    # What the reader did that a reviewer should know but is no problem (the report was read
    # from a page's attachment, ...), in Chinese; they become info findings.
    remarks: list[str] = field(default_factory=list)
    # The page's own title (an HTML page's <title>), not part of the text: where the text prints
    # no title (it was an image, or the page's heading is drawn by a script), it still names the report.
    page_title: str | None = None
    # The article's own title in the page's metadata (``<meta name="ArticleTitle">``): the report's
    # title without the site's name, when the page gives it.
    page_article_title: str | None = None
    # When the page says it was published, in its metadata (an HTML page's ``<meta name="PubDate">``),
    # as written; the date a reader sees printed on the page comes first.
    page_published: str | None = None
    # The date a body's annual-report column printed beside the link to it (a harvest saw it), ISO: the site's
    # own publication date, taken only when neither the report nor its page prints one.
    listed_published: str | None = None


# Characters that print nothing: soft hyphens, zero-width spaces and joiners, direction marks, the
# byte-order mark, variation selectors. Web editors (UEditor, KindEditor) leave zero-width spaces in
# what they save and a CMS may put soft hyphens inside long numbers; inside "3\u200b001" a reader
# sees 3001, so they are taken out of the text, not read as spaces. The format characters (Unicode
# category Cf) that print a mark (the Arabic number signs) stay: a test holds this list to Unicode's.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]")


def drop_invisible(text: str) -> str:
    """The text without the characters that print nothing (``INVISIBLE``)."""
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) is not None else text


# A frozen dataclass's __init__ sets each field through object.__setattr__, which costs half of
# building a page's lines; the slots' own descriptors set the same fields in half the time. The
# builder makes every Line of every reader this way (a test holds it equal to Line(...)).
_SET_TEXT, _SET_OFFSET, _SET_NUMBER, _SET_CELLS, _SET_CELL_OFFSETS, _SET_CONFIDENCE = (
    getattr(Line, name).__set__ for name in ("text", "offset", "number", "cells", "cell_offsets", "confidence"))
_new = object.__new__


def _line(text: str, offset: int, number: int, cells: tuple[str, ...] | None, cell_offsets: tuple[int, ...] | None,
          confidence: tuple[float, ...] | None) -> Line:
    """Make ``Line(text, offset, number, cells, cell_offsets, confidence)``, faster."""
    line: Line = _new(Line)
    _SET_TEXT(line, text)
    _SET_OFFSET(line, offset)
    _SET_NUMBER(line, number)
    _SET_CELLS(line, cells)
    _SET_CELL_OFFSETS(line, cell_offsets)
    _SET_CONFIDENCE(line, confidence)
    return line


class DocumentBuilder:
    """Accumulates lines (plain or with cells) and keeps offsets consistent with the text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._lines: list[Line] = []
        self._offset = 0

    def add_text(self, text: str, confidence: float | None = None) -> None:
        """Lines of text; ``confidence``: the OCR confidence of text read from an image."""
        scores = None if confidence is None else (confidence,)
        if "\n" not in text:  # one line (all the HTML reader gives)
            self._append(text, None, scores)
            return
        for raw in text.split("\n"):
            self._append(raw, None, scores)

    def add_row(self, cells: list[str], confidence: list[float] | None = None) -> None:
        """A table row: rendered as ``a | b | c |`` in the text, cells kept exactly.

        ``confidence``: one OCR confidence per cell, for rows read from an image.
        """
        scores = tuple(confidence) if confidence is not None else None
        if scores is not None and len(scores) != len(cells):
            raise ValueError("one confidence per cell")
        text, cleaned, offsets = _row_text(cells, self._offset)
        self._append(text, (cleaned, offsets), scores)

    def add_lines(self, texts: list[str]) -> None:
        """Lines of text, none holding a newline: a reader's lines in bulk (a call per line costs as much as the line)."""
        lines, offset = self._lines, self._offset
        number = len(lines)
        for text in texts:
            number += 1
            lines.append(_line(text, offset, number, None, None, None))
            offset += len(text) + 1
        self._parts.extend(texts)
        self._offset = offset

    def add_rows(self, rows: list[list[str]]) -> None:
        """Table rows as ``add_row`` adds them, in bulk."""
        lines, parts, offset = self._lines, self._parts, self._offset
        number = len(lines)
        for cells in rows:
            text, cleaned, offsets = _row_text(cells, offset)
            number += 1
            lines.append(_line(text, offset, number, cleaned, offsets, None))
            parts.append(text)
            offset += len(text) + 1
        self._offset = offset

    def count(self) -> int:
        """The number of lines (and rows) so far."""
        return len(self._lines)

    def extend(self, other: DocumentBuilder) -> None:
        """Append the lines another builder holds (a page read on its own), offsets renumbered."""
        self._take(other._lines, str)

    @classmethod
    def cleaned(cls, lines: list[Line], clean: Callable[[str], str]) -> DocumentBuilder:
        """A builder of these lines (a built document's), each text and cell through ``clean``, offsets renumbered."""
        builder = cls()
        builder._take(lines, clean)
        return builder

    def _take(self, lines: list[Line], clean: Callable[[str], str]) -> None:
        """Append these lines, each text and cell through ``clean``, offsets renumbered."""
        for line in lines:
            if line.cells is not None:
                self.add_row([clean(c) for c in line.cells], None if line.confidence is None else list(line.confidence))
            else:
                self._append(clean(line.text), None, line.confidence)

    def _append(self, text: str, cells: tuple[tuple[str, ...], tuple[int, ...]] | None,
                confidence: tuple[float, ...] | None = None) -> None:
        offset = self._offset
        if cells is None:
            line = _line(text, offset, len(self._lines) + 1, None, None, confidence)
        else:
            line = _line(text, offset, len(self._lines) + 1, cells[0], cells[1], confidence)
        self._lines.append(line)
        self._parts.append(text)
        self._offset = offset + len(text) + 1

    def build(self, name: str, fmt: str, raw: bytes, notes: list[str] | None = None) -> Document:
        text = "\n".join(self._parts)
        if INVISIBLE.search(text) is not None:  # rare: one search of the whole text for the others
            return self._visible().build(name, fmt, raw, notes)
        return Document(
            name=name,
            format=fmt,
            sha256=hashlib.sha256(raw).hexdigest(),
            text=text,
            lines=self._lines,
            notes=list(notes or []),
        )

    def _visible(self) -> DocumentBuilder:
        """The same lines without invisible characters (``INVISIBLE``), offsets renumbered; a cell of
        only such characters is blank."""
        return DocumentBuilder.cleaned(self._lines, drop_invisible)


def _row_text(cells: list[str], offset: int) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    """Turn a row's cells, the row starting at ``offset``, into its text ``a | | b |``, its cells with white
    space collapsed, and each cell's offset."""
    cleaned = [c if c.isalnum() else " ".join(c.split()) for c in cells]  # a number has no white space
    offsets = []
    for c in cleaned:
        offsets.append(offset)
        offset += len(c) + 3 if c else 2  # "c | " or "| "
    return " ".join([c + " |" if c else "|" for c in cleaned]), tuple(cleaned), tuple(offsets)
