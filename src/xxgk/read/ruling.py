"""Ruling lines of a page image → the tables drawn with them, as grids of (merged) cells.

Horizontal and vertical rules are what survives an opening of the ink with a long thin
kernel (text strokes are short). Rules that touch form one table. Within a table every
rule position makes a grid line; two neighbouring grid cells with no rule between them
belong to one merged cell, as in a Word or HTML table with spans. The result mirrors what
the HTML and DOCX readers produce: a merged cell's text at its top-left position.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

Mask = NDArray[np.uint8]

# Ink: darker than this (0-255). Scans are rarely pure black on white.
INK_LEVEL = 160
# A rule is at least this long (pixels), and this share of the page side.
MIN_RULE = 40
# A table has at least this many rows and columns of cells.
MIN_ROWS = 2
MIN_COLUMNS = 2
# A wall between two cells is drawn along at least this share of its length.
WALL_SHARE = 0.5


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

    def cell_box(self, origin: tuple[int, int]) -> tuple[int, int, int, int]:
        """Left, top, right, bottom of the merged cell with this origin."""
        r0, c0 = origin
        r1, c1 = r0, c0
        while r1 + 1 < self.rows and self.origin[r1 + 1][c0] == origin:
            r1 += 1
        while c1 + 1 < self.columns and self.origin[r0][c1 + 1] == origin:
            c1 += 1
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]


def page_to_tables(gray: NDArray[np.uint8]) -> list[TableGrid]:
    """Find the ruled tables on a greyscale page, top to bottom."""
    height, width = gray.shape
    ink = np.where(gray < INK_LEVEL, 255, 0).astype(np.uint8)
    horizontal = _rules(ink, max(MIN_RULE, width // 30), horizontal=True)
    # Vertical rules are as short as a row; they are kept only where they meet horizontal ones.
    vertical = _rules(ink, max(MIN_RULE // 2, height // 200), horizontal=False)
    frame = cv2.bitwise_or(horizontal, vertical)
    # Rules a pixel or two apart (anti-aliasing, skew) belong together.
    frame = cv2.dilate(frame, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    tables: list[TableGrid] = []
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if w < 2 * MIN_RULE or h < MIN_RULE:
            continue
        # Only this table's own rules: strokes of text inside its cells are components of their own.
        own = labels[y : y + h, x : x + w] == label
        grid = _grid((horizontal[y : y + h, x : x + w] * own).astype(np.uint8),
                     (vertical[y : y + h, x : x + w] * own).astype(np.uint8), x, y)
        if grid is not None:
            tables.append(grid)
    return sorted(tables, key=lambda t: t.box[1])


def _rules(ink: Mask, length: int, horizontal: bool) -> Mask:
    """The ink that belongs to straight rules at least ``length`` long in one direction."""
    kernel = np.ones((1, length) if horizontal else (length, 1), np.uint8)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel).astype(np.uint8)


def _positions(profile: NDArray[np.int64], offset: int) -> list[int]:
    """Turn a projection (ink per row or column) into the centres of its runs of ink."""
    hits = np.flatnonzero(profile > 0)
    if hits.size == 0:
        return []
    out: list[int] = []
    start = previous = int(hits[0])
    for value in hits[1:]:
        v = int(value)
        if v > previous + 4:  # a gap: the run (one rule, maybe skewed or thick) ends
            out.append(offset + (start + previous) // 2)
            start = v
        previous = v
    out.append(offset + (start + previous) // 2)
    return out


def _grid(horizontal: Mask, vertical: Mask, left: int, top: int) -> TableGrid | None:
    """Turn one table's rules (cropped masks) into its grid, or None if it is no table."""
    ys = _positions(horizontal.sum(axis=1, dtype=np.int64), 0)
    xs = _positions(vertical.sum(axis=0, dtype=np.int64), 0)
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

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _wall(vertical, xs[c + 1], ys[r], ys[r + 1], across=False):
                union(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and not _wall(horizontal, ys[r + 1], xs[c], xs[c + 1], across=True):
                union(r * cols + c, (r + 1) * cols + c)
    origin = tuple(
        tuple(divmod(find(r * cols + c), cols) for c in range(cols))
        for r in range(rows)
    )
    return TableGrid(tuple(left + x for x in xs), tuple(top + y for y in ys), origin)


def _wall(mask: Mask, at: int, start: int, end: int, across: bool) -> bool:
    """Tell whether a rule runs at ``at`` along most of ``start``..``end`` (rows if ``across``)."""
    inner_start, inner_end = start + 3, end - 3
    if inner_end <= inner_start:
        return True
    band = mask[max(at - 4, 0) : at + 5, inner_start:inner_end] if across else \
        mask[inner_start:inner_end, max(at - 4, 0) : at + 5]
    if band.size == 0:
        return False
    covered = band.max(axis=0 if across else 1) > 0
    return float(covered.mean()) >= WALL_SHARE
