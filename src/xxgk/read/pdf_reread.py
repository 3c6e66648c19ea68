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

An OCR program may lay its text layer over a scan's prose and headings only, leaving the tables out (it took
them for pictures). The page is glanced at for print no character of the layer lies over; where there is, the
ruled tables of its picture whose cells the layer (mostly) leaves empty are read as pictures of tables are.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xxgk.read.document import ReadError
from xxgk.read.pdf_objects import Glyph, Straighten

if TYPE_CHECKING:  # the OCR extra is imported only when a page needs it
    from xxgk.read.ocr import Item
    from xxgk.read.ruling import TableGrid

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
# A scan with an OCR layer is glanced at in this resolution (dpi) for print that no character of its layer lies
# over: pieces of ink about a character high (between these shares of the layer's usual character height, at most
# this many of it wide) further from every character than this share of that height (up and down) and this many
# heights (sideways: a layer laid line by line spreads a line's characters evenly over it). At least so many such
# pieces make it look for tables the layer left out: a part of a table two rows high holds a few dozen, a layer laid
# line by line misses a few of a table's digits it holds (up to 24 on a page, in the probes).
GLANCE_DPI = 72
_PIECE = (0.5, 2.0)
_PIECE_WIDTH = 3.0
_NEAR_ABOVE = 0.4
_NEAR_BESIDE = 1.0
UNACCOUNTED = 20
# Print is ink darker than this (``prepare.INK_LEVEL``) and this many grey levels darker than the paper (the median).
_BELOW_PAPER = 50
# The layer lies over the picture's print when this share of its characters have ink under them (else it was laid
# elsewhere, and the picture is not compared with it).
LINED_UP = 0.6
# Ruled tables are looked for in the picture at this resolution (dpi). One is left out of the layer when its
# characters lie in no more than this share of the table's cells that hold ink (a layer that has a table holds
# text in nearly all of them: in the probes at least 3 in 4, with a line's characters spread evenly over it); a cell
# holds ink when the ink inside its rules comes to at least one text height's worth of pixels.
FIND_DPI = 150
HELD = 0.5
# A table's rows one under the other that hold ink and no character of the layer: a part of the table left out of
# it (a layer that has a row holds its label at least; a single row may be a line the OCR program missed).
LEFT_ROWS = 2
# A ruled frame at most this many text heights high and with no character of the layer in it is a table's row cut
# off by a page break (the rest of the table on the page before or after) and left out.
SINGLE_ROW = 3.0
# A left-out table's picture reaches this many points beyond its outer rules (white: what lies there is the
# layer's), so that the rules are whole in it.
TABLE_MARGIN = 6.0
_OUTER_RULE = 1.5

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, from the page's top)
CellOf = Callable[[Glyph], Box | None]
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A ruled table a scan shows that its OCR layer left out: whole, mostly, in part, or its row a page break cut off."""

    corners: tuple[Point, Point, Point, Point]  # on the page as drawn (points): top-left, top-right, bottom-right, bottom-left
    top: float  # its top where the layer's characters lie (points)
    glyphs: list[Glyph]  # the layer's characters inside it: the picture's reading stands for them


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

    def left_out_tables(self, index: int, glyphs: Sequence[Glyph], skew: float, width: float,
                        height: float) -> list[LeftOut]:
        """The ruled tables the picture of scanned page ``index`` (``width`` x ``height`` points) shows that its OCR
        layer (``glyphs``, turned upright by ``skew`` degrees) left out; ReadError if the page cannot be rendered or
        looked at."""
        if not glyphs:
            return []
        drawn = Straighten(-skew, width, height)  # (the layer's characters back where the picture shows them)
        points = [drawn.point(g.cx, g.cy) for g in glyphs]
        try:
            scale, grey = self._render(index, GLANCE_DPI)
            if not unaccounted_print(grey, scale, glyphs, points):
                return []
            return self._left_out(index, glyphs, points, skew, width, height)
        except ReadError:
            raise
        except Exception as err:  # OpenCV/NumPy errors on odd pages: one line, no traceback
            raise ReadError(f"页面图像无法分析（{type(err).__name__}）") from err

    def _left_out(self, index: int, glyphs: Sequence[Glyph], points: Sequence[Point], skew: float, width: float,
                  height: float) -> list[LeftOut]:
        """The ruled tables of the page's picture that the layer (``points``: its characters' middles on the page as
        drawn) left out (``_left_out_of``), and the frames one row high with ink and none of its characters in them."""
        from xxgk.read.ocr import INSET
        from xxgk.read.prepare import prepare
        from xxgk.read.ruling import page_to_tables

        scale, grey = self._render(index, FIND_DPI)
        page = prepare(grey)
        if page.gray.shape != tuple(round(n * page.scale) for n in grey.shape):
            return []  # (squared up: its picture no longer lies where the layer's characters do)
        upright = _Upright(grey.shape, page.angle, scale, page.scale)
        pixels = [upright.pixel(x, y) for x, y in points]
        ruled = page_to_tables(page)
        ink = page.ink & ~ruled.rules
        inset = max(2, round(INSET * page.text_height))
        boxes: list[tuple[tuple[int, int, int, int], list[int]]] = []  # (left, top, right, bottom), characters in it
        for table in ruled.tables:
            inside = [k for k, (x, y) in enumerate(pixels) if table.contains(x, y)]
            if _left_out_of(table, [pixels[k] for k in inside], ink, inset, page.text_height):
                boxes.append((table.box, inside))
        for box in _single_rows(ruled.rules, [table.box for table in ruled.tables], page.text_height):
            left, top, right, bottom = box
            if _inked(ink, box, inset, page.text_height) \
                    and not any(left <= x < right and top <= y < bottom for x, y in pixels):
                boxes.append((box, []))
        layer = Straighten(skew, width, height)
        out = []
        for (left, top, right, bottom), inside in sorted(boxes, key=lambda box: box[0][1]):
            corners = (upright.point(left, top), upright.point(right, top), upright.point(right, bottom),
                       upright.point(left, bottom))
            out.append(LeftOut(corners, min(layer.point(x, y)[1] for x, y in corners), [glyphs[k] for k in inside]))
        return out

    def table_items(self, index: int, corners: Sequence[Point]) -> list[Item]:
        """The lines and table rows OCR reads in a table of page ``index`` (its corners on the page), the page
        around it left white; ReadError if none can."""
        import cv2
        import numpy as np
        from PIL import Image

        from xxgk.read.ocr import page_to_items

        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        box = (min(xs) - TABLE_MARGIN, min(ys) - TABLE_MARGIN, max(xs) + TABLE_MARGIN, max(ys) + TABLE_MARGIN)
        (crop,) = self._crops(index, [box])
        assert self._rendered is not None
        scale = self._rendered[1]
        left, top = max(0, int(box[0] * scale)), max(0, int(box[1] * scale))
        outline = np.array([(x * scale - left, y * scale - top) for x, y in corners], dtype=np.int32)
        kept = np.zeros(crop.shape, dtype=np.uint8)
        cv2.fillPoly(kept, [outline], 1)
        reach = 2 * max(1, round(_OUTER_RULE * scale)) + 1
        kept = cv2.dilate(kept, np.ones((reach, reach), np.uint8))
        return page_to_items(Image.fromarray(np.where(kept > 0, crop, 255).astype(np.uint8)))

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

        if self._rendered is None or self._rendered[0] != index:
            self._rendered = index, *self._render(index, DPI)
        _, scale, grey = self._rendered
        height, width = grey.shape
        crops = []
        for x0, top, x1, bottom in boxes:
            left, right = max(0, int(x0 * scale)), min(width, int(x1 * scale) + 1)
            upper, lower = max(0, int(top * scale)), min(height, int(bottom * scale) + 1)
            crops.append(grey[upper:lower, left:right] if right > left and lower > upper
                         else np.full((8, 8), 255, np.uint8))
        return crops

    def _render(self, index: int, dpi: float) -> tuple[float, Any]:
        """Page ``index`` rendered in grey at ``dpi``: its scale (pixels a point) and its pixels; ReadError if it
        cannot be."""
        import numpy as np

        from xxgk.read.image import MAX_OCR_PIXELS, to_grey

        try:
            import pypdfium2  # type: ignore[import-untyped]

            if self._document is None:
                self._document = pypdfium2.PdfDocument(self._raw)
            page = self._document[index]
            width, height = page.get_size()
            # A page far larger than A4 (a poster, or a hostile MediaBox) is rendered smaller, within OCR's pixels.
            scale = min(dpi / 72, (MAX_OCR_PIXELS / max(width * height, 1.0)) ** 0.5)
            return scale, np.asarray(to_grey(page.render(scale=scale).to_pil()), dtype=np.uint8)
        except Exception as err:  # pdfium's errors on damaged pages: one line, no traceback
            raise ReadError(f"页面无法转为图像（{type(err).__name__}）") from err

    def close(self) -> None:
        """Let go of the rendered document."""
        self._rendered = None
        if self._document is not None:
            self._document.close()
            self._document = None


def unaccounted_print(grey: Any, scale: float, glyphs: Sequence[Glyph], points: Sequence[Point]) -> bool:
    """Whether a scan's picture (``grey``, ``scale`` pixels a point) shows print that no character of its OCR layer
    (``glyphs``, their middles at ``points`` on the page as drawn) lies over, the layer lying over the rest."""
    import cv2
    import numpy as np

    from xxgk.read.prepare import INK_LEVEL

    ink = grey < min(INK_LEVEL, float(np.median(grey)) - _BELOW_PAPER)
    rows, columns = ink.shape
    size = statistics.median(g.bottom - g.top for g in glyphs) * scale
    accounted = np.zeros(ink.shape, dtype=np.bool_)
    lined_up = 0
    for g, (x, y) in zip(glyphs, points, strict=True):
        wide, high = (g.x1 - g.x0) * scale / 2, (g.bottom - g.top) * scale / 2
        x, y = x * scale, y * scale
        lined_up += bool(ink[max(0, int(y - high)) : int(y + high) + 1, max(0, int(x - wide)) : int(x + wide) + 1].any())
        wide, high = wide + _NEAR_BESIDE * size, high + _NEAR_ABOVE * size
        accounted[max(0, int(y - high)) : min(rows, int(y + high) + 1),
                  max(0, int(x - wide)) : min(columns, int(x + wide) + 1)] = True
    if lined_up < LINED_UP * len(glyphs):
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    loose = 0
    for x, y, w, h, _ in stats[1:]:
        if _PIECE[0] * size <= h <= _PIECE[1] * size and w <= _PIECE_WIDTH * size \
                and not accounted[y : y + h, x : x + w].any():
            loose += 1
    return loose >= UNACCOUNTED


def _left_out_of(table: TableGrid, pixels: Sequence[Point], ink: Any, inset: int, text_height: float) -> bool:
    """Whether a ruled table (in the prepared picture, its ``ink`` without rules) is left out of a scan's OCR layer
    whose characters inside it lie at ``pixels``: wholly or mostly (they lie in no more than ``HELD`` of its cells
    that hold ink), or in part (``LEFT_ROWS`` rows one under the other that hold ink and none of them)."""
    inked = [cell for cell in table.cells() if _inked(ink, table.cell_box(cell), inset, text_height)]
    if not inked:
        return False
    held = {table.cell_at(x, y) for x, y in pixels}
    if sum(1 for cell in inked if cell in held) <= HELD * len(inked):
        return True
    rows = {min(max(bisect_right(table.ys, y) - 1, 0), table.rows - 1) for _, y in pixels}
    left, right = table.xs[0], table.xs[-1]
    run = 0
    for r in range(table.rows):
        if not _inked(ink, (left, table.ys[r], right, table.ys[r + 1]), inset, text_height):
            continue
        run = 0 if r in rows else run + 1
        if run >= LEFT_ROWS:
            return True
    return False


def _single_rows(rules: Any, tables: Sequence[tuple[int, int, int, int]],
                 text_height: float) -> list[tuple[int, int, int, int]]:
    """The boxes of ruled frames one row high (``SINGLE_ROW`` text heights at most, as wide as a table is) outside the
    page's tables: the row a page break cut off a table (the table finder wants two rows)."""
    import cv2
    import numpy as np

    from xxgk.read.ruling import RULE_LENGTH

    _, _, stats, _ = cv2.connectedComponentsWithStats(rules.astype(np.uint8), connectivity=8)
    rows = []
    for x, y, w, h, _ in stats[1:]:
        box = (int(x), int(y), int(x + w), int(y + h))
        if w >= RULE_LENGTH * text_height and text_height <= h <= SINGLE_ROW * text_height \
                and not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in tables):
            rows.append(box)
    return rows


def _inked(ink: Any, box: tuple[int, int, int, int], inset: int, text_height: float) -> bool:
    """Whether a table's cell or row (its box in the prepared picture's pixels) holds ink inside its rules."""
    left, top, right, bottom = box
    return int(ink[top + inset : bottom - inset, left + inset : right - inset].sum()) >= text_height


class _Upright:
    """Maps points on a page as drawn to the pixels of its picture (``scale`` pixels a point) as ``prepare`` turned
    it upright (by ``angle`` degrees, about its middle) and resized it (by ``resize``), and back."""

    def __init__(self, shape: tuple[int, ...], angle: float, scale: float, resize: float) -> None:
        import cv2
        import numpy as np

        rows, columns = shape[:2]
        turn = np.vstack([cv2.getRotationMatrix2D((columns / 2, rows / 2), -angle, 1.0), [0.0, 0.0, 1.0]])
        self._forward = np.diag([resize, resize, 1.0]) @ turn @ np.diag([scale, scale, 1.0])
        self._back = np.linalg.inv(self._forward)

    def pixel(self, x: float, y: float) -> Point:
        """A point on the page as drawn → its pixel in the upright picture."""
        px, py, _ = self._forward @ (x, y, 1.0)
        return float(px), float(py)

    def point(self, x: float, y: float) -> Point:
        """A pixel of the upright picture → its point on the page as drawn."""
        px, py, _ = self._back @ (x, y, 1.0)
        return float(px), float(py)
