"""A greyscale page → the page OCR works on: paper made white, upright, text at a readable size.

Scans have grey, uneven paper and screenshots shaded header cells: dividing by the local
background (the page with its text closed away) makes the paper white and keeps ink dark,
so one threshold finds ink everywhere. A tilted page (a scan, a photo: a few degrees) is
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
    gray = square_up(whiten(page))
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


def text_height(ink: Mask) -> float:
    """The usual height of a character on the page (pixels), from its ink's connected pieces; 0 if none."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if count <= 1:
        return 0.0
    w = stats[1:, cv2.CC_STAT_WIDTH]
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    # Characters and their parts: not specks, not rules (long and thin), not whole blocks.
    glyph = (h >= 4) & (area >= 8) & (w <= 3 * h) & (h <= 4 * w + 4) & (h < ink.shape[0] / 4)
    if not glyph.any():
        return 0.0
    return float(np.percentile(h[glyph], 80))
