"""Ruling lines of a prepared page → the tables drawn with them, as grids of (merged) cells.

Horizontal and vertical rules are what survives an opening of the faint ink (grey rules
count) with a long thin kernel: text strokes are shorter than a character is high, rules
longer. Rules that touch form one table. Within a table every rule position makes a grid
line; two neighbouring grid cells with no rule between them belong to one merged cell, as
in a Word or HTML table with spans. The result mirrors what the HTML and DOCX readers
produce: a merged cell's text at its top-left position. Each table keeps its rules as a
mask, so that cells can be read with their borders taken out. A seal stamped over the table
in grey ink would lay false rules: its ring is found and its ink left out of the rules
(``seals``), and the ring is painted out of the cells too.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from xxgk.read.prepare import RULE_LEVEL, Mask, Prepared
from xxgk.read.seals import Ring, find_rings, remove_seals, ring_mask

# A table has at least this many rows and columns of cells.
MIN_ROWS = 2
MIN_COLUMNS = 2
# A wall between two cells is drawn along at least this share of its length.
WALL_SHARE = 0.5
# Rules are longer than this many text heights (horizontal) and taller than this many (vertical:
# a row is at least a line of text high).
RULE_LENGTH = 3.0
RULE_HEIGHT = 1.5
# Two grid lines closer than this share of a text height are one rule (thick, doubled or blurred).
MERGE = 0.35
# An upright line may drift this many pixels sideways over a rule's least height and still be a
# line, not text (a photo's paper edge, askew by a few degrees).
ASKEW = 2


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A ruled table: grid line positions and, per grid position, the merged cell it belongs to."""

    xs: tuple[int, ...]  # vertical grid lines, left to right
    ys: tuple[int, ...]  # horizontal grid lines, top to bottom
    origin: tuple[tuple[tuple[int, int], ...], ...]  # [row][col] → (row, col) of its merged cell's origin

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom."""
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    def contains(self, x: float, y: float) -> bool:
        left, top, right, bottom = self.box
        return left <= x < right and top <= y < bottom

    def cell_at(self, x: float, y: float) -> tuple[int, int]:
        """The origin (row, col) of the merged cell a point lies in (the point inside the table)."""
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), self.columns - 1)
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), self.rows - 1)
        return self.origin[row][col]

    def cells(self) -> list[tuple[int, int]]:
        """The origins of its merged cells, row by row."""
        return sorted({o for row in self.origin for o in row})

    def cell_box(self, origin: tuple[int, int]) -> tuple[int, int, int, int]:
        """Left, top, right, bottom of the merged cell with this origin."""
        r0, c0 = origin
        r1, c1 = r0, c0
        while r1 + 1 < self.rows and self.origin[r1 + 1][c0] == origin:
            r1 += 1
        while c1 + 1 < self.columns and self.origin[r0][c1 + 1] == origin:
            c1 += 1
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]


@dataclass(frozen=True, slots=True)
class Ruled:
    """The tables found on a page, the mask of every rule pixel (a table's or not: left out of the text), the seals' rings."""

    tables: list[TableGrid]
    rules: Mask
    seals: list[Ring]


def page_to_tables(page: Prepared) -> Ruled:
    """Find the ruled tables on a prepared page, top to bottom."""
    faint = (page.gray < RULE_LEVEL).astype(np.uint8)
    height = page.text_height
    horizontal = _rules(faint, max(24, int(RULE_LENGTH * height)), horizontal=True)
    vertical = _rules(faint, max(12, int(RULE_HEIGHT * height)), horizontal=False)
    # A seal stamped over the table and scanned in grey lays false rules: its ring, star and text go.
    rings = find_rings(faint, horizontal, vertical, height)
    horizontal, vertical = (remove_seals(horizontal, vertical, rings, height, horizontal=True),
                            remove_seals(vertical, horizontal, rings, height, horizontal=False))
    frame = cv2.bitwise_or(horizontal, vertical)
    # Rules a pixel or two apart (anti-aliasing, a rest of tilt, a JPEG's blocks) belong together.
    frame = cv2.dilate(frame, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    tables: list[TableGrid] = []
    rules = np.zeros(frame.shape, dtype=np.bool_)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        # Only this table's own rules: strokes of text inside its cells are components of their own.
        own = labels[y : y + h, x : x + w] == label
        if w >= 4 * height and h >= 2 * height:
            grid = _grid((horizontal[y : y + h, x : x + w] * own).astype(np.uint8),
                         (vertical[y : y + h, x : x + w] * own).astype(np.uint8), x, y, height)
            if grid is not None:
                tables.append(grid)
        # Rules, a pixel wider, are painted white in the crops, and are no text: a frame that is no
        # grid (a box around a table, a three-line table's rules, a page's printed border) would
        # join the lines of text it runs beside into one block, too tall to be read.
        rules[y : y + h, x : x + w] |= own
    # A photo's paper edge, or the edge of what it lies on, runs a little askew (the perspective is
    # not the table's): the upright opening breaks it into short strokes that read as "1"s among the
    # rows. Lines upright within a few degrees are no text either.
    rules |= _askew_rules(faint, max(12, int(RULE_HEIGHT * height)))
    if rings:  # the rings' ink is painted white in the cells' crops too: it would read as strokes
        rules |= ring_mask(rings, rules.shape, height)
    return Ruled(sorted(tables, key=lambda t: t.box[1]), rules, rings)


def _rules(ink: NDArray[np.uint8], length: int, horizontal: bool) -> NDArray[np.uint8]:
    """The ink that belongs to straight rules at least ``length`` long in one direction."""
    kernel = np.ones((1, length) if horizontal else (length, 1), np.uint8)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    return np.asarray(opened, dtype=np.uint8)


def _askew_rules(ink: NDArray[np.uint8], length: int) -> Mask:
    """The ink of nearly upright lines at least ``length`` long, askew by up to ``ASKEW`` pixels either way along it."""
    widened = cv2.dilate(ink, np.ones((1, 2 * ASKEW + 1), np.uint8))
    opened = cv2.morphologyEx(widened, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return np.asarray((opened > 0) & (ink > 0), dtype=np.bool_)


def _positions(profile: NDArray[np.int64], least: int, gap: int) -> list[int]:
    """Turn a projection (rule pixels per row or column) into the centres of its runs of rule."""
    hits = np.flatnonzero(profile >= least)
    if hits.size == 0:
        return []
    out: list[int] = []
    start = previous = int(hits[0])
    for value in hits[1:]:
        v = int(value)
        if v > previous + gap:  # a gap: the run (one rule, maybe thick or doubled) ends
            out.append((start + previous) // 2)
            start = v
        previous = v
    out.append((start + previous) // 2)
    return out


def _grid(horizontal: NDArray[np.uint8], vertical: NDArray[np.uint8], left: int, top: int,
          text_height: float) -> TableGrid | None:
    """Turn one table's rules (cropped masks) into its grid, or None if it is no table."""
    gap = max(3, int(MERGE * text_height))
    # A rule crosses at least a cell: as long as a character is high.
    least = max(4, int(text_height))
    ys = _positions(horizontal.sum(axis=1, dtype=np.int64), least, gap)
    xs = _positions(vertical.sum(axis=0, dtype=np.int64), least, gap)
    if len(ys) < MIN_ROWS + 1 or len(xs) < MIN_COLUMNS + 1:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell stays the root

    reach = max(3, gap)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _wall(vertical, xs[c + 1], ys[r], ys[r + 1], False, reach):
                union(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and not _wall(horizontal, ys[r + 1], xs[c], xs[c + 1], True, reach):
                union(r * cols + c, (r + 1) * cols + c)
    origin = tuple(
        tuple(divmod(find(r * cols + c), cols) for c in range(cols))
        for r in range(rows)
    )
    return TableGrid(tuple(left + x for x in xs), tuple(top + y for y in ys), origin)


def _wall(mask: NDArray[np.uint8], at: int, start: int, end: int, across: bool, reach: int) -> bool:
    """Tell whether a rule runs at ``at`` (± ``reach``) along most of ``start``..``end``."""
    inner_start, inner_end = start + reach, end - reach
    if inner_end <= inner_start:
        return True
    band = mask[max(at - reach, 0) : at + reach + 1, inner_start:inner_end] if across else \
        mask[inner_start:inner_end, max(at - reach, 0) : at + reach + 1]
    if band.size == 0:
        return False
    covered = band.max(axis=0 if across else 1) > 0
    return float(covered.mean()) >= WALL_SHARE
