"""A region of a prepared page (a table cell, a stretch of text) → its lines of text, as crops to recognise.

Rows of ink separated by white are lines, but a lone character made of strokes one above
the other (三, 二) must stay whole: runs of ink closer than a line's height are joined while
they fit in one line. A line's crop is cut tight around its ink with a margin of white, the
table's rules painted white first, so that a cell's border never reaches the recogniser
(with a rule in the crop a "0" reads as "。" or "11").
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from xxgk.read.prepare import INK_LEVEL, Gray, Mask

# A run of ink this much higher than a line of text holds several lines.
LINE_FIT = 1.3
# A piece of ink smaller than this share of a text height, in both directions, is a speck.
SPECK = 0.2
# Ink this many text heights away from the rest of its line is a piece of its own.
ISOLATED = 0.8
# A blot smaller than this share of its line's height, whose darkest pixel is lighter than this
# share of the way from the text's darkest ink to white, is an artefact.
SPECK_SHARE = 0.35
FAINT = 0.6
# White margin around a line's ink, as a share of the text height. The recogniser sees every
# crop 48 pixels high: characters drawn smaller in it make narrower crops and cost less, while
# digits (the numbers that matter) are kept larger.
MARGIN = 0.2
TEXT_MARGIN = 0.35
# Left and right only a little white is needed (the recogniser reads from left to right).
SIDE_MARGIN = 0.15
# A crop is at least this share of its height wide.
MIN_WIDTH = 0.75
# Print lighter than ink but joined to it is kept up to this grey level: a small thin font's
# hairlines (the bar of a 楷体 "4", softened by a JPEG or by shrinking) fade below ``INK_LEVEL``,
# and without them "4" reads as "1". What is as light and stands apart from ink is paper.
HAIRLINE_LEVEL = 235
# The blur (sigma, pixels) of a crop rendered again for an unsure number (``rereadings``).
REREAD_BLUR = 0.8
# A line lower than this share of the text height holds no Chinese character (digits are lower).
LOW_LINE = 0.85


@dataclass(frozen=True, slots=True)
class TextLine:
    """Where a line of text lies on the page."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top


def region_lines(ink: Mask, box: tuple[int, int, int, int], text_height: float) -> list[TextLine]:
    """The lines of text inside ``box`` (left, top, right, bottom) of the ink mask, top to bottom."""
    left, top, right, bottom = box
    left, top = max(left, 0), max(top, 0)
    right, bottom = min(right, ink.shape[1]), min(bottom, ink.shape[0])
    if right - left < 2 or bottom - top < 2:
        return []
    region = ink[top:bottom, left:right]
    rows = np.flatnonzero(region.any(axis=1))
    if rows.size == 0:
        return []
    runs = _join_runs(_runs(rows), text_height)
    lines: list[TextLine] = []
    least = max(2.0, SPECK * text_height)
    for y0, y1 in runs:
        band = region[y0 : y1 + 1]
        cols = np.flatnonzero(band.any(axis=0))
        if cols.size == 0:
            continue
        # Pieces of ink far from the rest of the line that are mere specks (noise, the rest of a
        # rule) are not part of it: "0" with a speck beside it would read "0.".
        pieces = [p for p in _runs(cols, int(ISOLATED * text_height)) if not _speck(band[:, p[0] : p[1] + 1], least)]
        if not pieces:
            continue
        x0, x1 = pieces[0][0], pieces[-1][1]
        rows_used = np.flatnonzero(band[:, x0 : x1 + 1].any(axis=1))
        lines.append(TextLine(left + x0, top + y0 + int(rows_used[0]), left + x1 + 1, top + y0 + int(rows_used[-1]) + 1))
    return lines


def _speck(piece: Mask, least: float) -> bool:
    """Tell a speck (small in both directions) from a character or a part of one."""
    rows = np.flatnonzero(piece.any(axis=1))
    return bool(rows.size == 0 or (rows[-1] - rows[0] + 1 < least and piece.shape[1] < least))


def split_at_gaps(ink: Mask, line: TextLine, gap: float) -> list[TextLine]:
    """Split a line where its ink leaves a horizontal gap wider than ``gap`` pixels (columns of a table)."""
    band = ink[line.top : line.bottom, line.left : line.right]
    cols = np.flatnonzero(band.any(axis=0))
    if cols.size == 0:
        return []
    pieces: list[TextLine] = []
    start = previous = int(cols[0])
    for value in cols[1:]:
        v = int(value)
        if v - previous - 1 > gap:
            pieces.append(_tighten(ink, TextLine(line.left + start, line.top, line.left + previous + 1, line.bottom)))
            start = v
        previous = v
    pieces.append(_tighten(ink, TextLine(line.left + start, line.top, line.left + previous + 1, line.bottom)))
    return pieces


def crop(gray: Gray, line: TextLine, rules: Mask | None = None, text_height: float = 0.0) -> NDArray[np.uint8]:
    """The line's pixels with a white margin, rule pixels painted white.

    A line of Chinese text (as high as ``text_height``) gets a wider margin than a line of digits.
    """
    piece = gray[line.top : line.bottom, line.left : line.right].copy()
    if rules is not None:
        piece[rules[line.top : line.bottom, line.left : line.right]] = 255
    _erase_paper(piece)
    _erase_faint_specks(piece)
    # Faint print (a thin serif "1" in a grey scan) is stretched to full contrast.
    darkest = int(piece.min())
    if 0 < darkest < 255:
        piece = np.asarray((piece.astype(np.int32) - darkest) * 255 // (255 - darkest), dtype=np.uint8)
    share = TEXT_MARGIN if text_height and line.height >= LOW_LINE * text_height else MARGIN
    margin = max(2, round(share * line.height))
    height = piece.shape[0] + 2 * margin
    # A lone narrow glyph ("1") gets room: the recogniser needs a few steps of width to be sure.
    side = max(2, round(SIDE_MARGIN * line.height), (round(MIN_WIDTH * height) - piece.shape[1] + 1) // 2)
    out = np.full((height, piece.shape[1] + 2 * side), 255, dtype=np.uint8)
    out[margin : margin + piece.shape[0], side : side + piece.shape[1]] = piece
    return out


def rereadings(line_crop: NDArray[np.uint8]) -> list[NDArray[np.uint8]]:
    """Other renderings of a line's crop, to read an unsure number again: smoothed (an aliased
    font's jagged edges, a fax's stairs) and binarised then smoothed (faint or uneven print made even)."""
    smooth = cv2.GaussianBlur(line_crop, (3, 3), REREAD_BLUR)
    _, binary = cv2.threshold(line_crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    even = cv2.GaussianBlur(binary, (3, 3), REREAD_BLUR)
    return [np.asarray(smooth, dtype=np.uint8), np.asarray(even, dtype=np.uint8)]


def _erase_paper(piece: Gray) -> None:
    """Paint white what is lighter than ink, except hairlines joined to ink (see ``HAIRLINE_LEVEL``).

    A JPEG's ringing and a scan's grain left in a crop read as dots ("26" as "26."); a faded
    stroke of a character does not stand alone.
    """
    light = piece >= INK_LEVEL
    if not light.any():
        return
    count, labels = cv2.connectedComponents((piece < HAIRLINE_LEVEL).astype(np.uint8), connectivity=8)
    inked = np.zeros(count, dtype=np.bool_)
    inked[labels[~light]] = True
    inked[0] = False
    piece[light & ~inked[labels]] = 255


def _erase_faint_specks(piece: Gray) -> None:
    """Paint white the small, faint blots beside the text (a JPEG's artefacts), not its dark dots (a decimal point)."""
    ink = (piece < INK_LEVEL).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 2:
        return
    darkest = int(piece.min())
    faint = darkest + FAINT * (255 - darkest)
    small = SPECK_SHARE * piece.shape[0]
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if w < small and h < small:
            blot = labels[y : y + h, x : x + w] == label
            if int(piece[y : y + h, x : x + w][blot].min()) > faint:
                piece[y : y + h, x : x + w][blot] = 255


def _tighten(ink: Mask, line: TextLine) -> TextLine:
    """The line shrunk vertically to its own ink."""
    rows = np.flatnonzero(ink[line.top : line.bottom, line.left : line.right].any(axis=1))
    if rows.size == 0:
        return line
    return TextLine(line.left, line.top + int(rows[0]), line.right, line.top + int(rows[-1]) + 1)


def _runs(indices: NDArray[np.intp], gap: int = 0) -> list[tuple[int, int]]:
    """Sorted indices → (first, last) runs, a run ending where more than ``gap`` indices are missing."""
    runs: list[tuple[int, int]] = []
    start = previous = int(indices[0])
    for value in indices[1:]:
        v = int(value)
        if v > previous + 1 + gap:
            runs.append((start, previous))
            start = v
        previous = v
    runs.append((start, previous))
    return runs


def _join_runs(runs: list[tuple[int, int]], text_height: float) -> list[tuple[int, int]]:
    """Join runs of ink that together still fit in one line of text (the strokes of 三, a dot over i)."""
    limit = LINE_FIT * text_height
    joined: list[tuple[int, int]] = []
    for y0, y1 in runs:
        if joined:
            p0, _ = joined[-1]
            if y1 - p0 + 1 <= limit:
                joined[-1] = (p0, y1)
                continue
        joined.append((y0, y1))
    return joined
