"""Characters a PDF's fonts give no text for, and pictures of tables on pages of text → read with OCR.

A font without a Unicode map (no ToUnicode, no glyph names: common in PDFs typeset with subset
Chinese fonts) prints its digits as ink that no text extraction can read; a table of such digits
comes out as cells that are not blank and hold nothing. The page still shows them: the runs of
such characters (one line, side by side, in one cell) are cut from the page rendered by PDFium
and read by the recogniser that reads scans (``read/ocr.py``). What it reads takes the run's
place, each character over an equal share of the run's width, and carries its confidence: the
parser treats those numbers as OCR output (kept where the table's arithmetic vouches for them).

A table pasted into a Word file as a picture and printed to PDF stands on a page that has text: the
picture is read as a picture file is (``ocr.page_to_items``), cut from the same rendering.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from xxgk.read.document import ReadError
from xxgk.read.pdf_objects import Glyph

if TYPE_CHECKING:  # the OCR extra is imported only when a page needs it
    from xxgk.read.ocr import Item

# Rendering resolution (dpi) of a page whose characters are read from its picture: digits of a
# 10.5 pt table come out about 40 pixels high, near the recogniser's 48.
DPI = 300
# Characters this share of their height apart (or further) are two runs (a cell's padding is wider).
RUN_GAP = 0.8
# A run's crop reaches this share of its height beyond its characters (the recogniser wants a margin),
# but stays this many points inside the cell that holds it (its rules are no ink of the run's).
MARGIN = 0.3
INSIDE_CELL = 1.0
# A character at most this share of its height wide is a half-width one (a digit's box: about 0.55 of its
# height; a Chinese character's: about 1).
HALF_WIDTH = 0.75
# At most so many runs are read on one page (a page of a few tables has a few hundred numbers).
MAX_RUNS = 600

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, from the page's top)
CellOf = Callable[[Glyph], Box | None]


def glyphs_to_runs(glyphs: Sequence[Glyph], cell_of: CellOf) -> list[list[Glyph]]:
    """Group characters into runs: on one line, side by side, in the same table cell (or none)."""
    runs: list[list[Glyph]] = []
    for line in _glyph_lines(glyphs):
        line.sort(key=lambda g: g.x0)
        run = [line[0]]
        for g in line[1:]:
            last = run[-1]
            if g.x0 - last.x1 > RUN_GAP * max(last.bottom - last.top, g.bottom - g.top) or cell_of(g) != cell_of(last):
                runs.append(run)
                run = [g]
            else:
                run.append(g)
        runs.append(run)
    return runs


def _glyph_lines(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Characters grouped by line: a character whose middle lies within the line's height joins it."""
    lines: list[list[Glyph]] = []
    top = bottom = 0.0
    for g in sorted(glyphs, key=lambda g: (g.cy, g.x0)):
        if lines and top <= g.cy <= bottom:
            lines[-1].append(g)
            continue
        lines.append([g])
        top, bottom = g.top, g.bottom
    return lines


class Neighbours:
    """The page's readable characters, to keep a run's crop clear of the ink of those beside it."""

    def __init__(self, glyphs: Sequence[Glyph]) -> None:
        self._glyphs = sorted(glyphs, key=lambda g: g.cy)
        self._middles = [g.cy for g in self._glyphs]

    def beside(self, run: Sequence[Glyph]) -> tuple[float, float]:
        """How far left and right a run's crop may reach: to the nearest readable character on its line."""
        start, end = min(g.x0 for g in run), max(g.x1 for g in run)
        top, bottom = min(g.top for g in run), max(g.bottom for g in run)
        left, right = -float("inf"), float("inf")
        for g in self._glyphs[bisect_left(self._middles, top) : bisect_right(self._middles, bottom)]:
            if g.x1 <= start + 0.5:
                left = max(left, g.x1)
            elif g.x0 >= end - 0.5:
                right = min(right, g.x0)
        return left, right


def run_box(run: Sequence[Glyph], cell: Box | None, beside: tuple[float, float]) -> Box:
    """The part of the page a run is read from: its characters with a margin, within its cell and short of
    the readable characters ``beside`` it on its line (their ink is none of the run's)."""
    height = max(g.bottom - g.top for g in run)
    x0 = max(min(g.x0 for g in run) - MARGIN * height, beside[0])
    x1 = min(max(g.x1 for g in run) + MARGIN * height, beside[1])
    top, bottom = min(g.top for g in run) - MARGIN * height, max(g.bottom for g in run) + MARGIN * height
    if cell is not None:
        x0, top = max(x0, cell[0] + INSIDE_CELL), max(top, cell[1] + INSIDE_CELL)
        x1, bottom = min(x1, cell[2] - INSIDE_CELL), min(bottom, cell[3] - INSIDE_CELL)
    return x0, top, max(x1, x0 + 1.0), max(bottom, top + 1.0)


def half_width(run: Sequence[Glyph]) -> bool:
    """Whether a run's characters are all narrow: digits, marks or Latin letters, no Chinese character
    (which is as wide as it is high). A table's run of them is read as a number where it can be."""
    return all(g.x1 - g.x0 <= HALF_WIDTH * (g.bottom - g.top) for g in run)


def run_to_glyphs(run: Sequence[Glyph], text: str) -> list[Glyph]:
    """What a run reads as, laid over its width: one character to each equal share."""
    chars = [ch for ch in text if not ch.isspace()]
    x0, x1 = min(g.x0 for g in run), max(g.x1 for g in run)
    top, bottom = min(g.top for g in run), max(g.bottom for g in run)
    size = max(g.size for g in run)
    step = (x1 - x0) / max(len(chars), 1)
    return [Glyph(ch, x0 + k * step, x0 + (k + 1) * step, top, bottom, size) for k, ch in enumerate(chars)]


class PagePictures:
    """The pages of one PDF rendered by PDFium, to read runs of characters and pictures of tables from
    (the file opened once, the last page rendered kept)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._document: Any = None
        self._rendered: tuple[int, float, Any] | None = None  # page index, its scale, its grey pixels

    def picture_items(self, index: int, box: Box) -> list[Item]:
        """The lines and table rows OCR reads in a picture on page ``index`` (its box on the page); ReadError if none can."""
        from PIL import Image

        from xxgk.read.ocr import page_to_items

        (crop,) = self._crops(index, [box])
        return page_to_items(Image.fromarray(crop))

    def read(self, index: int, boxes: Sequence[Box], digits: Sequence[bool]) -> list[tuple[str, float]]:
        """The text and OCR confidence of one line in each box of page ``index`` (0-based); ReadError if it cannot.

        ``digits``: per box, whether it can only hold a number or a mark (read as digits where it reads as letters).
        """
        from xxgk.read.ocr import recognise

        crops = self._crops(index, boxes)
        return [(reading.text, reading.confidence) for reading in recognise(crops, list(digits))]

    def _crops(self, index: int, boxes: Sequence[Box]) -> list[Any]:
        """The boxes cut from the page rendered in grey."""
        import numpy as np

        from xxgk.read.image import MAX_OCR_PIXELS, to_grey

        if self._rendered is None or self._rendered[0] != index:
            try:
                import pypdfium2  # type: ignore[import-untyped]

                if self._document is None:
                    self._document = pypdfium2.PdfDocument(self._raw)
                page = self._document[index]
                width, height = page.get_size()
                # A page far larger than A4 (a poster, or a hostile MediaBox) is rendered smaller, within OCR's pixels.
                scale = min(DPI / 72, (MAX_OCR_PIXELS / max(width * height, 1.0)) ** 0.5)
                grey = np.asarray(to_grey(page.render(scale=scale).to_pil()), dtype=np.uint8)
                self._rendered = index, scale, grey
            except Exception as err:  # pdfium's errors on damaged pages: one line, no traceback
                raise ReadError(f"页面无法转为图像（{type(err).__name__}）") from err
        _, scale, grey = self._rendered
        height, width = grey.shape
        crops = []
        for x0, top, x1, bottom in boxes:
            left, right = max(0, int(x0 * scale)), min(width, int(x1 * scale) + 1)
            upper, lower = max(0, int(top * scale)), min(height, int(bottom * scale) + 1)
            crops.append(grey[upper:lower, left:right] if right > left and lower > upper
                         else np.full((8, 8), 255, np.uint8))
        return crops

    def close(self) -> None:
        """Let go of the rendered document."""
        self._rendered = None
        if self._document is not None:
            self._document.close()
            self._document = None
