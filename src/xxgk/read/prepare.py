"""A greyscale page → the page OCR works on: paper made white, upright, text at a readable size.

Scans have grey, uneven paper and screenshots shaded header cells: dividing by the local
background (the page with its text closed away) makes the paper white and keeps ink dark,
so one threshold finds ink everywhere. A shaded cell (Word's 底纹, a dark table header) is
smaller than that background's reach: it is found by its shape (an area, where a rule is a
thin line) and made white, its text kept as ink, white text on a dark fill turned dark
(``lift_fills``). A theme's white rules between coloured cell fills are found as
lines lighter than what lies on both sides, and the cells they enclose made white
(``light_rules``, ``lift_cells``). A tilted page (a scan, a photo: a few degrees) is
turned upright by the angle at which its ink lines up best in rows. Small text is enlarged
and very large text shrunk, so that the rules and the gaps between lines are measured on the
same scale on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]
Mask = NDArray[np.bool_]

# Ink of text: darker than this on the whitened page. Rules may be lighter (thin grey lines
# of a Word table): ``RULE_LEVEL`` finds them, with the length of a rule to tell them from noise.
INK_LEVEL = 200
RULE_LEVEL = 225
# A table's outline squared up when its opposite sides converge by this many degrees or more, and it
# covers at least this share of the page (a photo's perspective; see ``square_up``).
MIN_CONVERGENCE = 0.3
MIN_BORDER_SHARE = 0.2
# Tilts searched (degrees either way): a scanner turns a page a degree or two, a phone's photo of a
# printed page up to ten (at 5 every table photographed at 7.5° was lost, honestly but whole).
MAX_TILT = 10.0
# Text height (pixels) below which a page is enlarged, the height it is enlarged to, and the
# most it is enlarged; above ``LARGE`` it is shrunk to ``LARGE_TO``.
SMALL = 16.0
SMALL_TO = 22.0
MAX_ENLARGE = 3.0
LARGE = 48.0
LARGE_TO = 32.0
# A page is enlarged only while it stays within this many pixels.
MAX_PIXELS = 16_000_000
# A shaded cell: ink that stays solid under a square this share of a text height wide (rules are
# thinner, strokes of text too), at least this share of a text height each way, that fills at
# least this share of its box (a cell is a rectangle; a seal's star or a blot is not), and whose
# pixels are at least this share flat: within ``FILL_NOISE`` grey levels of its level (blurred
# characters run into blots, but of every grey). Inside it, what differs from the fill is print
# (text, rules), as dark as it differs. A block as dark as ink with no print in it (this share of
# its pixels) is ink: a bar, a box, a bullet.
FILL_THICKNESS = 0.3
FILL_SIDE = 0.9
FILL_SOLIDITY = 0.5
FILL_FLAT = 0.5
FILL_NOISE = 12
FILL_PRINT = 0.02
# A fill that covers this share of its box is lifted over the whole box (white text near the
# cell's edge leaves notches in the solid part). A fill is darker than what surrounds it (a text
# height around) by at least this many grey levels: else it is the paper (a grey scan, a photo's
# surroundings, paper shaded unevenly), ``whiten``'s part.
FILL_BOX = 0.9
FILL_STEP = 20
# Light rules (a theme's white grid between coloured cell fills): a line at least ``LIGHT_STEP`` grey
# levels lighter than what lies on both sides of it (on average), within ``LIGHT_REACH`` text heights beyond a gap
# of ``LIGHT_GAP`` pixels (the rule's own width), where at least one side is a fill (its grey levels
# within ``LIGHT_FLAT``: text beside a rule is no fill) and nothing darker than the fills lies within
# the gap (a JPEG's bright ringing beside a dark rule is no rule). As long as a rule is (``RULE_LENGTH``
# text heights across, ``LIGHT_HEIGHT`` up and down), across the rules crossing it.
LIGHT_STEP = 10
LIGHT_FLAT = 24
LIGHT_REACH = 0.3
LIGHT_GAP = 3
RULE_LENGTH = 3.0
LIGHT_HEIGHT = 2.0
# The paper's level: this percentile of the page's grey levels (what is lighter is noise).
PAPER_PERCENTILE = 99.5
# Light rules part fills: they are looked for in the bands of rows of which at least this share is
# darker than the paper (no line of print is so dense), joined over gaps of this many text heights.
FILLED_ROW = 0.5
BAND_GAP = 4.0
# Light rules belong to a grid when they join up this many rules' least lengths (``RULE_LENGTH``
# across, ``LIGHT_HEIGHT`` up and down) in one direction; a grid as wide and as high is framed.
GRID_SPAN = 2.0
# Lines of text: ink joined across gaps of this share of a text height (between the characters of a
# line, not between lines), as thick as ``LINE_THICKNESS`` text heights and at least ``LINE_LENGTH``
# long. A page whose lines run up and down, this many times as long in all as those running across
# and at least ``SIDEWAYS_LINES`` of them, is turned sideways (a landscape table printed or scanned
# across a portrait page).
LINE_GAP = 0.3
LINE_THICKNESS = (0.6, 1.5)
LINE_LENGTH = 3.0
SIDEWAYS_SHARE = 3.0
SIDEWAYS_LINES = 4


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page ready for OCR: whitened greyscale, its text ink, and how it was turned and scaled."""

    gray: Gray
    ink: Mask
    text_height: float
    angle: float  # degrees the page was turned to be upright
    scale: float  # factor the page was resized by


def prepare(page: Gray) -> Prepared:
    """Whiten, square up, deskew and rescale a greyscale page."""
    # Fills first: the background ``whiten`` estimates would take a cell-sized fill in part, and
    # leave it patchy. Light rules before them: a lifted fill is as white as its rules.
    height = text_height(page < INK_LEVEL) or SMALL_TO
    gray = square_up(whiten(lift_fills(lift_cells(page, light_rules(page, height)), height)))
    angle = tilt(gray < INK_LEVEL)
    if abs(angle) >= 0.1:
        gray = rotate(gray, angle)
    height = text_height(gray < INK_LEVEL)
    scale = 1.0
    if height and height < SMALL:
        scale = min(SMALL_TO / height, MAX_ENLARGE, (MAX_PIXELS / gray.size) ** 0.5)
    elif height > LARGE:
        scale = LARGE_TO / height
    if abs(scale - 1.0) > 0.05:
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA),
                          dtype=np.uint8)
        height *= scale
    else:
        scale = 1.0
    return Prepared(gray, gray < INK_LEVEL, height or SMALL_TO, angle, scale)


def square_up(gray: Gray) -> Gray:
    """Undo a photo's perspective: a table's outer border, found as four corners, is made a rectangle.

    A page photographed at an angle prints its table as a trapezoid; rules that converge are no
    longer level, and rows and columns come apart. Only a border of four corners that covers a good
    part of the page and whose opposite sides are not parallel is squared up (a tilt alone is left
    to ``tilt``); the rest of the page follows it (one photo, one perspective).
    """
    quad = _table_corners(gray < INK_LEVEL)
    if quad is None:
        return gray
    top, bottom = quad[1] - quad[0], quad[2] - quad[3]
    left, right = quad[3] - quad[0], quad[2] - quad[1]

    def angle(v: NDArray[np.float32]) -> float:
        return float(np.degrees(np.arctan2(v[1], v[0])))

    if max(abs(angle(top) - angle(bottom)), abs(angle(left) - angle(right))) < MIN_CONVERGENCE:
        return gray
    width = float(max(np.hypot(*top), np.hypot(*bottom)))
    height = float(max(np.hypot(*left), np.hypot(*right)))
    x0, y0 = float(quad[:, 0].min()), float(quad[:, 1].min())
    target = np.array([[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]], dtype=np.float32)
    size = (max(gray.shape[1], int(x0 + width) + 1), max(gray.shape[0], int(y0 + height) + 1))
    matrix = cv2.getPerspectiveTransform(quad, target)
    squared = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                                  borderValue=255)
    return np.asarray(squared, dtype=np.uint8)


def _table_corners(ink: Mask) -> NDArray[np.float32] | None:
    """The four corners (top left, top right, bottom right, bottom left) of the page's largest ruled
    outline, or None when it is not four-cornered or covers too little of the page."""
    contours, _ = cv2.findContours(ink.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    if cv2.contourArea(hull) < MIN_BORDER_SHARE * ink.size:
        return None
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2).astype(np.float32)
    if len(corners) != 4:
        return None
    by_sum, by_diff = corners.sum(axis=1), corners[:, 0] - corners[:, 1]
    ordered = np.array([corners[by_sum.argmin()], corners[by_diff.argmax()], corners[by_sum.argmax()],
                        corners[by_diff.argmin()]], dtype=np.float32)
    return ordered if len({tuple(c) for c in ordered.tolist()}) == 4 else None


def light_rules(page: Gray, height: float) -> Mask:
    """A table's light rules: a white grid between coloured cell fills (a common Excel or WPS theme, and
    screenshots of it) has no dark line for the rules to be found by; ``prepare`` paints them dark.

    Such a table has no border either (its fills end on the paper): a grid of light rules is framed
    where its rules end. A light line that is no part of a grid (a white stroke of text on a dark
    fill) is left alone.
    """
    # As light as the paper: a JPEG's ringing beside print on a fill is lighter than the fill, not white.
    paper = float(np.percentile(page[::4, ::4], PAPER_PERCENTILE)) - LIGHT_STEP
    light = np.zeros(page.shape, dtype=np.bool_)
    for top, bottom in _filled_bands(page, paper, height):
        band = page[top:bottom]
        white = band >= paper
        light[top:bottom] = _light_rules(band, white, height, across=True) | _light_rules(band, white, height,
                                                                                          across=False)
    if not light.any():
        return light
    count, labels, stats, _ = cv2.connectedComponentsWithStats(light.astype(np.uint8), connectivity=8)
    grid = np.zeros(light.shape, np.uint8)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if max(w, h) < GRID_SPAN * RULE_LENGTH * height:
            continue
        grid[labels == label] = 1
        if w >= GRID_SPAN * RULE_LENGTH * height and h >= GRID_SPAN * LIGHT_HEIGHT * height:
            cv2.rectangle(grid, (x, y), (x + w - 1, y + h - 1), 1, thickness=2)
    return np.asarray(grid > 0, dtype=np.bool_)


def lift_cells(page: Gray, light: Mask) -> Gray:
    """The page with the cells its light rules enclose made white (their text dark, as ``lift_fills`` does)
    and the light rules painted dark.

    The cells of such a grid are what the rules part, whatever their fill: a header row of one dark
    colour in white text is no fill darker than what surrounds it, and its text, near the cells'
    edges, leaves no solid part to find it by.
    """
    if not light.any():
        return page
    out = page.copy()
    count, labels, stats, _ = cv2.connectedComponentsWithStats((~light).astype(np.uint8), connectivity=4)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if x == 0 or y == 0 or x + w == page.shape[1] or y + h == page.shape[0]:
            continue  # outside the grid
        cell = labels[y : y + h, x : x + w] == label
        pixels = page[y : y + h, x : x + w][cell]
        level = float(np.median(pixels))
        if float((np.abs(pixels.astype(np.float32) - level) <= FILL_NOISE).mean()) < FILL_FLAT:
            continue  # no fill: a picture in a cell
        box = out[y : y + h, x : x + w]
        box[cell] = _lifted(pixels, level)
    out[light] = 0
    return out


def _filled_bands(page: Gray, paper: float, height: float) -> list[tuple[int, int]]:
    """The bands of rows (top, bottom) where fills lie: rows at least ``FILLED_ROW`` darker than the paper,
    joined over gaps of a few text heights (a zebra table's white rows), with room around them for the
    rules' sides. Print on paper has no such rows, and is spared the search."""
    filled = np.flatnonzero((page[:, ::2] < paper).mean(axis=1) >= FILLED_ROW)
    if filled.size == 0:
        return []
    margin = 2 * (LIGHT_GAP + max(4, round(LIGHT_REACH * height)))
    joined = round(BAND_GAP * height) + margin
    bands: list[list[int]] = []
    for row in filled.tolist():
        if bands and row - bands[-1][1] <= joined:
            bands[-1][1] = row
        else:
            bands.append([row, row])
    return [(max(top - margin, 0), min(bottom + 1 + margin, page.shape[0])) for top, bottom in bands]


def _light_rules(page: Gray, white: Mask, height: float, across: bool) -> Mask:
    """The pixels of the page's light rules running across it (or up and down), among its ``white`` ones."""
    reach = max(4, round(LIGHT_REACH * height))
    level = page.astype(np.int16)
    lighter = np.ones(page.shape, dtype=np.bool_)
    flat = np.zeros(page.shape, dtype=np.bool_)
    darkest: list[NDArray[np.int16]] = []
    for after in (False, True):
        kernel, anchor = _side_kernel(reach, after, across)
        low = cv2.erode(page, kernel, anchor=anchor, borderType=cv2.BORDER_REPLICATE).astype(np.int16)
        high = cv2.dilate(page, kernel, anchor=anchor, borderType=cv2.BORDER_REPLICATE).astype(np.int16)
        # Lighter than each side on average: white text on a dark fill beside the rule is lighter.
        mean = cv2.filter2D(page.astype(np.float32), -1, kernel.astype(np.float32) / reach, anchor=anchor,
                            borderType=cv2.BORDER_REPLICATE)
        lighter &= level - mean >= LIGHT_STEP
        flat |= high - low <= LIGHT_FLAT
        darkest.append(low)
    gap = np.ones((2 * LIGHT_GAP - 1, 1) if across else (1, 2 * LIGHT_GAP - 1), np.uint8)
    within = cv2.erode(page, gap, borderType=cv2.BORDER_REPLICATE).astype(np.int16)
    ridge = (white & lighter & flat & (within >= np.minimum(*darkest) - LIGHT_STEP)).astype(np.uint8)
    # Bridged where a rule crosses it (the crossing is as light on every side).
    bridge = np.ones((1, 2 * LIGHT_GAP) if across else (2 * LIGHT_GAP, 1), np.uint8)
    ridge = np.asarray(cv2.morphologyEx(ridge, cv2.MORPH_CLOSE, bridge), dtype=np.uint8)
    length = max(12, int((RULE_LENGTH if across else LIGHT_HEIGHT) * height))
    long = np.ones((1, length) if across else (length, 1), np.uint8)
    return np.asarray(cv2.morphologyEx(ridge, cv2.MORPH_OPEN, long) > 0, dtype=np.bool_)


def _side_kernel(reach: int, after: bool, across: bool) -> tuple[NDArray[np.uint8], tuple[int, int]]:
    """A kernel (and its anchor) that takes ``reach`` pixels beyond ``LIGHT_GAP`` on one side of a pixel:
    below (``after``) or above a rule running across, right or left of one running up and down."""
    size = LIGHT_GAP + reach
    line = np.zeros(size, np.uint8)
    if after:
        line[LIGHT_GAP:] = 1
    else:
        line[:reach] = 1
    at = 0 if after else size - 1
    if across:
        return line.reshape(size, 1), (0, at)
    return line.reshape(1, size), (at, 0)


def whiten(page: Gray) -> Gray:
    """Divide the page by its background (estimated at a quarter of its size): paper → 255, ink stays dark."""
    small = cv2.resize(page, (max(1, page.shape[1] // 4), max(1, page.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    # Closing removes dark things narrower than the kernel: text and rules, not shaded cells.
    kernel = np.ones((15, 15), np.uint8)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.resize(background, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    background = np.maximum(background, 1).astype(np.float32)
    white = page.astype(np.float32) * (255.0 / background)
    return np.asarray(np.clip(white, 0, 255), dtype=np.uint8)


def lift_fills(gray: Gray, height: float) -> Gray:
    """Make shaded cells white: their fill becomes paper, their text (dark, or white on a dark fill) ink.

    A fill darker than ``RULE_LEVEL`` would lay a solid block in the rules (every cell of a
    shaded header row one thick "rule") and, darker than ``INK_LEVEL``, a block of ink that no
    line of text can be cut from. Rules are thin, fills are areas: what stays solid under a
    square wider than a rule is a fill.
    """
    faint = (gray < RULE_LEVEL).astype(np.uint8)
    side = max(4, round(FILL_THICKNESS * height))
    solid = cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    if not solid.any():
        return gray
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    out = gray
    reach = max(2, round(height))
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if min(w, h) < FILL_SIDE * height:
            continue
        region = _filled(labels[y : y + h, x : x + w] == label)
        share = float(region.mean())
        if share < FILL_SOLIDITY:
            continue
        if share >= FILL_BOX:
            region[:] = True
        pixels = gray[y : y + h, x : x + w][region]
        level = float(np.median(pixels))
        off = np.abs(pixels.astype(np.float32) - level)
        if float((off <= FILL_NOISE).mean()) < FILL_FLAT:
            continue
        if level < INK_LEVEL and float((off > 2 * FILL_NOISE).mean()) < FILL_PRINT:
            continue
        if _surroundings(gray, region, (x, y), reach) < level + FILL_STEP:
            continue
        if out is gray:
            out = gray.copy()
        box = out[y : y + h, x : x + w]
        box[region] = _lifted(box[region], level)
    return out


def _surroundings(gray: Gray, region: Mask, at: tuple[int, int], reach: int) -> float:
    """The median grey level around a region (within ``reach`` pixels of its box, on the page); 0 if none."""
    x, y = at
    h, w = region.shape
    left, top = max(x - reach, 0), max(y - reach, 0)
    right, bottom = min(x + w + reach, gray.shape[1]), min(y + h + reach, gray.shape[0])
    around = np.ones((bottom - top, right - left), dtype=np.bool_)
    around[y - top : y - top + h, x - left : x - left + w] &= ~region
    pixels = gray[top:bottom, left:right][around]
    return float(np.median(pixels)) if pixels.size else 0.0


def _filled(mask: Mask) -> Mask:
    """The mask with its holes (what it encloses: a fill's white text) filled."""
    outside = np.pad(~mask, 1, constant_values=True).astype(np.uint8)
    cv2.floodFill(outside, None, (0, 0), 2)
    return np.asarray(outside[1:-1, 1:-1] != 2, dtype=np.bool_)


def _lifted(pixels: NDArray[np.uint8], level: float) -> NDArray[np.uint8]:
    """A fill's pixels with the fill made white and what differs from it made dark.

    Print on a fill differs from it either way: black text and rules on a grey fill, white text
    on a dark one, grey rules on a dark one.
    """
    distance = np.abs(pixels.astype(np.float32) - level) * (255.0 / max(level, 255.0 - level, 1.0))
    return np.asarray(np.clip(255.0 - distance, 0, 255), dtype=np.uint8)


def tilt(ink: Mask) -> float:
    """The angle (degrees, counter-clockwise positive) by which the page's ink rows are tilted.

    For each candidate angle, ink pixels are projected onto the page's vertical axis along
    lines of that slope; rows of text and rules line up sharpest at the true tilt.
    """
    ys, xs = np.nonzero(ink)
    if ys.size < 200:
        return 0.0
    if ys.size > 60_000:  # a sample is as good as every pixel, and faster
        pick = np.random.default_rng(0).choice(ys.size, 60_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    x = xs.astype(np.float64) - ink.shape[1] / 2
    y = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        shifted = y + x * np.tan(np.radians(angle))
        counts = np.bincount(np.clip(shifted - shifted.min(), 0, None).astype(np.int64))
        return float(np.dot(counts, counts))

    best = max(np.arange(-MAX_TILT, MAX_TILT + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.02), key=sharpness)
    return float(best) if abs(best) >= 0.05 else 0.0


def rotate(gray: Gray, angle: float) -> Gray:
    """Turn the page by ``angle`` degrees (the tilt found), on white, keeping its size."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    turned = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                            borderValue=255)
    return np.asarray(turned, dtype=np.uint8)


def sideways_lines(ink: Mask, height: float) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom) of the lines of text running up and down, longest first, when
    the page's text runs so (it was turned a quarter); none when it runs across, as print does."""
    found = [_lines(ink, height, across) for across in (True, False)]
    length = [sum(b[3] - b[1] if k else b[2] - b[0] for b in boxes) for k, boxes in enumerate(found)]
    upright = found[1]
    if len(upright) < SIDEWAYS_LINES or length[1] < SIDEWAYS_SHARE * length[0]:
        return []
    return sorted(upright, key=lambda b: b[1] - b[3])


def _lines(ink: Mask, height: float, across: bool) -> list[tuple[int, int, int, int]]:
    """The boxes of the lines of text running across the page (or up and down), from its ink without rules."""
    gap = max(2, round(LINE_GAP * height)) + 1
    kernel = np.ones((1, gap) if across else (gap, 1), np.uint8)
    joined = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, _ in stats[1:count]:
        thick, long = (h, w) if across else (w, h)
        if LINE_THICKNESS[0] * height <= thick <= LINE_THICKNESS[1] * height and long >= LINE_LENGTH * height:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return boxes


def text_height(ink: Mask, least: int = 1) -> float:
    """The usual height of a character on the page (pixels), from its ink's connected pieces; 0 if fewer
    than ``least``."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if count <= 1:
        return 0.0
    w = stats[1:, cv2.CC_STAT_WIDTH]
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    # Characters and their parts: not specks, not rules (long and thin), not whole blocks.
    glyph = (h >= 4) & (area >= 8) & (w <= 3 * h) & (h <= 4 * w + 4) & (h < ink.shape[0] / 4)
    if int(glyph.sum()) < max(least, 1):
        return 0.0
    return float(np.percentile(h[glyph], 80))
