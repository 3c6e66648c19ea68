"""Rule masks of a prepared page → the same with round seals' ink taken out, and where the seals' rings lie.

An official seal (公章) stamped over a table and scanned in grey is as dark as the print under
it, so colour cannot remove it (``image.to_grey`` does in colour). Its ring has, near its top
and bottom, left and right, stretches that run nearly level or upright for a few text heights,
its star is a solid blot, its text has long strokes: opened with a long thin kernel they look
like rules and lay false grid lines over the table. A Hough transform over the page is slow and
the table's own grid votes for false circles; instead each short piece among the rules is taken
as a possible top, bottom or side of a ring, and a ring is believed only when ink runs along
nearly the whole circle. Within a seal, a rule piece is kept only when it crosses the seal (a
table's rule running out of it) or is a thin wall from one rule to another (a short cell wall
inside it); the rest is the seal's ink.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

# A piece of a ring seen as a rule is at most this many text heights long (a ring's nearly
# straight stretch: about 3.5). Inside a seal, pieces thicker than this share of a text height are
# no printed rule.
ARC_LENGTH = 6.0
ARC_THICKNESS = 0.2
# At most this many short pieces are tried as a ring's (each costs about 2.5 ms; a page has tens).
MAX_PIECES = 120
# A seal's radius lies between these many text heights (a seal is about 4 cm across, text 3–5 mm).
MIN_RADIUS = 2.5
MAX_RADIUS = 10.0
# A ring is believed when ink lies along at least this share of the circle (inside the page),
# and at least this share of the circle lies inside the page.
RING_INK = 0.85
RING_INSIDE = 0.6
# Centres are tried this many text heights to either side of a piece's middle, every COARSE
# pixels (and radii too), then pixel by pixel round the best; the coarse search may fall this
# much short of RING_INK.
SEED_SHIFT = 0.6
COARSE = 2.0
FINE_GAIN = 0.1
# Every circle tried is first glanced at in this many points; the likeliest few (their glance
# at most this much short of RING_INK) are looked at along their whole length.
GLANCE_POINTS = 24
LIKELIEST = 8
GLANCE_SLACK = 0.2
# Radii around the best one whose circle holds ink at least this share are the ring's thickness.
RING_BAND = 0.5
# Rule pixels this share of a text height beyond a ring's edges still belong to it (blur, a JPEG).
RING_MARGIN = 0.15
# A wall ends this close to a rule of the other direction (pixels across a square).
END_REACH = 5
# A rule running this many text heights under a seal's star goes on beyond it.
UNDER_STAR = 0.5
# A rule running this many text heights outside a seal crosses it (near a tangent to its ring).
CROSSING = 2.0
# An official seal has a five-pointed star in its centre, about a third of its radius across
# (a local body's seal: 4.2 cm across, the star 1.4 cm): its points and arms are thin and straight.
STAR = 0.4


@dataclass(frozen=True, slots=True)
class Ring:
    """A seal's ring: centre and the inner and outer radius of its ink."""

    x: float
    y: float
    inner: float
    outer: float


def find_rings(faint: NDArray[np.uint8], horizontal: NDArray[np.uint8], vertical: NDArray[np.uint8],
               text_height: float) -> list[Ring]:
    """The seals' rings on a page, found from the short pieces of its rule masks."""
    ink = cv2.dilate(faint, np.ones((3, 3), np.uint8)) > 0
    rings: list[Ring] = []
    for seed_x, seed_y, level in _arc_pieces(horizontal, vertical, text_height):
        if any(abs(np.hypot(seed_x - r.x, seed_y - r.y) - (r.inner + r.outer) / 2) <= r.outer - r.inner + 4
               for r in rings):
            continue  # another piece of a ring already found
        ring = _ring_through(ink, faint > 0, seed_x, seed_y, level, text_height)
        if ring is not None:
            rings.append(ring)
    return rings


def remove_seals(mask: NDArray[np.uint8], across_mask: NDArray[np.uint8], rings: list[Ring], text_height: float,
                 horizontal: bool) -> NDArray[np.uint8]:
    """Take the seals' ink out of a rule mask: what stays within a seal, unless it is a wall between two rules.

    ``across_mask`` holds the rules of the other direction: a table's short wall inside a seal
    runs from one of them to another, a stroke of the seal's text does not.
    """
    if not rings:
        return mask
    thick = max(3, round(ARC_THICKNESS * text_height))
    margin = max(2, round(RING_MARGIN * text_height))
    out = mask.copy()
    for ring in rings:
        reach = ring.outer + margin
        left, top = max(int(ring.x - reach), 0), max(int(ring.y - reach), 0)
        right, bottom = int(ring.x + reach) + 1, int(ring.y + reach) + 1
        window = out[top:bottom, left:right]
        if window.size == 0:
            continue
        rows, cols = np.ogrid[top : top + window.shape[0], left : left + window.shape[1]]
        distance = np.hypot(cols - ring.x, rows - ring.y)
        seal, star = distance <= reach, distance <= STAR * ring.inner
        # Across the rule's direction a printed rule is a few pixels thick, the ring and star more.
        across = _count_along(window, window > 0, not horizontal)
        # A rule crossing the seal runs from outside it into it, or far along outside it (near a
        # tangent); a piece of the ring joined to a stroke of text pokes out of it only a little.
        interior = distance < ring.inner - margin
        outside = _count_along(window, ~seal, horizontal)
        reaches_in = _count_along(window, interior, horizontal) > 0
        crossing = (outside >= CROSSING * text_height) | ((outside > 0) & reaches_in)
        # A wall ends on rules of the other direction, or runs on under the star, which hides its end.
        ends = cv2.dilate(across_mask[top:bottom, left:right], np.ones((END_REACH, END_REACH), np.uint8)) > 0
        walls = (_touching_both_ends(window, ends, horizontal)
                 | (_count_along(window, star, horizontal) >= UNDER_STAR * text_height))
        drop = seal & ~crossing & (~interior | (across > thick) | ~walls)
        drop |= star & (_count_along(window, ~star, horizontal) == 0)
        window[drop & (window > 0)] = 0
    return out


def ring_mask(rings: list[Ring], shape: tuple[int, ...], text_height: float) -> NDArray[np.bool_]:
    """The pixels of the seals' rings (with a margin): ink no cell's text needs."""
    margin = max(2, round(RING_MARGIN * text_height))
    rows, cols = np.ogrid[0 : shape[0], 0 : shape[1]]
    out = np.zeros(shape[:2], dtype=np.bool_)
    for ring in rings:
        distance = np.hypot(cols - ring.x, rows - ring.y)
        out |= (distance >= ring.inner - margin) & (distance <= ring.outer + margin)
    return out


def _arc_pieces(horizontal: NDArray[np.uint8], vertical: NDArray[np.uint8],
                text_height: float) -> list[tuple[float, float, bool]]:
    """Centres of short rule pieces (x, y, level or not): where a ring's top, bottom or sides may lie."""
    longest = ARC_LENGTH * text_height
    pieces: list[tuple[int, float, float, bool]] = []
    for mask, level in ((horizontal, True), (vertical, False)):
        count, _, stats, centres = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for label in range(1, count):
            width, height = int(stats[label][2]), int(stats[label][3])
            if (width if level else height) <= longest:
                pieces.append((height if level else width, float(centres[label][0]), float(centres[label][1]), level))
    # A ring's pieces are as thick as its ink, thicker than printed rules: they are tried first, and a
    # page of short dashes (a form's blanks, a hostile picture) is not searched piece by piece.
    pieces.sort(key=lambda piece: -piece[0])
    return [(x, y, level) for _, x, y, level in pieces[:MAX_PIECES]]


def _ring_through(ink: NDArray[np.bool_], exact: NDArray[np.bool_], seed_x: float, seed_y: float, level: bool,
                  text_height: float) -> Ring | None:
    """The ring whose top, bottom (a level piece) or side (an upright one) is at the seed, if ink runs round it."""
    # A piece's middle may lie off the ring's axis (part of it joined to a rule or a character):
    # centres are tried a little to either side, coarsely first, then pixel by pixel round the best.
    radius = np.arange(max(8.0, MIN_RADIUS * text_height), MAX_RADIUS * text_height + 1, COARSE)
    shift = np.arange(-SEED_SHIFT * text_height, SEED_SHIFT * text_height + 1, COARSE)
    radii, shifts = (grid.ravel() for grid in np.meshgrid(radius, shift))
    radii, shifts = np.concatenate((radii, -radii)), np.concatenate((shifts, shifts))  # centre either side
    xs = seed_x + shifts if level else seed_x + radii
    ys = seed_y + radii if level else seed_y + shifts
    radii = np.abs(radii)
    # A glance at a few points of every circle first; only the likeliest are looked at closely.
    glance = _ink_shares(ink, xs, ys, radii, GLANCE_POINTS)
    likely = np.argsort(glance)[-LIKELIEST:]
    likely = likely[glance[likely] >= RING_INK - GLANCE_SLACK]
    if likely.size == 0:
        return None
    xs, ys, radii = xs[likely], ys[likely], radii[likely]
    shares = _ink_shares(ink, xs, ys, radii)
    k = int(np.argmax(shares))
    if shares[k] < RING_INK - FINE_GAIN:
        return None
    around = np.arange(-2 * COARSE, 2 * COARSE + 1, 1.0)
    dx, dy, dr = (grid.ravel() for grid in np.meshgrid(around, around, around))
    xs, ys, radii = xs[k] + dx, ys[k] + dy, radii[k] + dr
    # The thickened ink covers several circles as well: the one along the middle of the ring's own
    # ink covers most of that.
    k = int(np.argmax(_ink_shares(exact, xs, ys, radii)))
    if _ink_share(ink, xs[k], ys[k], radii[k]) < RING_INK:
        return None
    x, y, middle = float(xs[k]), float(ys[k]), float(radii[k])
    # Its thickness: the radii round the best one along which the (undilated) ink still runs.
    inner = outer = middle
    while inner > 1 and _ink_share(exact, x, y, inner - 1) >= RING_BAND:
        inner -= 1
    while _ink_share(exact, x, y, outer + 1) >= RING_BAND:
        outer += 1
    return Ring(x, y, inner, outer)


def _ink_share(ink: NDArray[np.bool_], x: float, y: float, radius: float) -> float:
    """The share of one circle that lies on ink (see ``_ink_shares``)."""
    return float(_ink_shares(ink, np.array([x]), np.array([y]), np.array([radius]))[0])


def _ink_shares(ink: NDArray[np.bool_], xs: NDArray[np.float64], ys: NDArray[np.float64],
                radii: NDArray[np.float64], points: int = 0) -> NDArray[np.float64]:
    """For each circle, the share of its points inside the page that lie on ink (0 if too few are inside).

    ``points`` along each circle, or by default one every two pixels along the largest.
    """
    steps = points or max(32, int(np.pi * float(radii.max())))
    angles = np.linspace(0.0, 2 * np.pi, steps, endpoint=False)
    px = np.rint(xs[:, None] + radii[:, None] * np.cos(angles)).astype(np.int64)
    py = np.rint(ys[:, None] + radii[:, None] * np.sin(angles)).astype(np.int64)
    inside = (px >= 0) & (py >= 0) & (px < ink.shape[1]) & (py < ink.shape[0])
    hits = ink[np.clip(py, 0, ink.shape[0] - 1), np.clip(px, 0, ink.shape[1] - 1)] & inside
    count = inside.sum(axis=1)
    shares = hits.sum(axis=1) / np.maximum(count, 1)
    return np.where(count >= RING_INSIDE * steps, shares, 0.0)


def _runs(on: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Number the runs of set pixels along each row (1, 2, …; 0 where nothing is set)."""
    padded = np.zeros((on.shape[0], on.shape[1] + 1), dtype=np.bool_)  # a blank column: runs end with their row
    padded[:, 1:] = on
    starts = padded[:, 1:] & ~padded[:, :-1]
    return np.where(on, np.cumsum(starts.ravel()).reshape(on.shape), 0).astype(np.int64)


def _touching_both_ends(mask: NDArray[np.uint8], ends: NDArray[np.bool_], horizontal: bool) -> NDArray[np.bool_]:
    """The set pixels whose run along the rule's direction starts and ends on ``ends``."""
    if not horizontal:
        return _touching_both_ends(mask.T, ends.T, True).T
    on = mask > 0
    runs = _runs(on)
    padded = np.zeros((on.shape[0], on.shape[1] + 2), dtype=np.bool_)
    padded[:, 1:-1] = on
    first = on & ~padded[:, :-2]  # no set pixel before it on its row
    last = on & ~padded[:, 2:]
    touched = np.zeros(int(runs.max()) + 1, dtype=np.int64)
    np.add.at(touched, runs[first & ends], 1)
    np.add.at(touched, runs[last & ends], 1)
    touched[0] = 0
    return touched[runs] >= 2


def _count_along(mask: NDArray[np.uint8], where: NDArray[np.bool_], horizontal: bool) -> NDArray[np.float64]:
    """For each set pixel, how many pixels of its run along the rule's direction lie ``where``."""
    if not horizontal:
        return _count_along(mask.T, where.T, True).T
    runs = _runs(mask > 0)
    counts = np.bincount(runs.ravel(), weights=where.ravel().astype(np.float64))
    counts[0] = 0
    return np.asarray(counts[runs], dtype=np.float64)
