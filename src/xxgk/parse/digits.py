"""Digit runs that lost their separators (``21710000218``) → the numbers they can stand for.

A crawl that drops cell borders leaves the cells of a row run together. The template's
arithmetic relations say which cuts are possible; when several remain, the caller must
not guess.
"""

from __future__ import annotations

from collections.abc import Iterator

# Enough for any real row (seven cells from some twenty digits); beyond it, give up.
MAX_CANDIDATES = 20000


def cuts(piece: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut one digit string into ``parts`` numbers without leading zeros."""
    if parts == 1:
        if piece and (piece == "0" or not piece.startswith("0")):
            yield (int(piece),)
        return
    # Leave at least one digit for each remaining part.
    for i in range(1, len(piece) - parts + 2):
        head = piece[:i]
        if len(head) > 1 and head.startswith("0"):
            break
        for rest in cuts(piece[i:], parts - 1):
            yield (int(head), *rest)


def splits(pieces: list[str], total_parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut several digit strings, in order, into ``total_parts`` numbers.

    Each string gives at least one number; a number never spans two strings.
    """
    if not pieces:
        if total_parts == 0:
            yield ()
        return
    first, rest = pieces[0], pieces[1:]
    max_here = min(len(first), total_parts - len(rest))
    for n in range(1, max_here + 1):
        if sum(len(p) for p in rest) < total_parts - n:
            continue
        for head in cuts(first, n):
            for tail in splits(rest, total_parts - n):
                yield head + tail


def bounded(candidates: Iterator[tuple[int, ...]], limit: int = MAX_CANDIDATES) -> list[tuple[int, ...]] | None:
    """The candidates as a list, or None when there are too many to weigh."""
    out: list[tuple[int, ...]] = []
    for c in candidates:
        out.append(c)
        if len(out) > limit:
            return None
    return out
