"""Digit runs that lost their separators (``21710000218``) → the numbers they can stand for.

A crawl that drops cell borders leaves the cells of a row run together. The template's
arithmetic relations say which cuts are possible; when several remain, the caller must
not guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Enough for any real row (seven cells from some twenty digits); beyond it, give up.
MAX_CANDIDATES = 20000


# One number as printed: no leading zero; thousands separators only in their places.
_NUMBER = re.compile(r"0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+")


# What a number may start with while more of it is still to come.
_NUMBER_PREFIX = re.compile(r"[1-9]\d*(?:,\d{0,3})*|[1-9]\d{0,2}(?:,\d{3})*,?\d{0,3}")


def cuts(piece: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut one digit string into ``parts`` numbers as they can be printed."""
    if "," not in piece:
        yield from _plain_cuts(piece, parts)
        return
    if parts == 1:
        if _NUMBER.fullmatch(piece):
            yield (int(piece.replace(",", "")),)
        return
    for i in range(1, len(piece)):
        head, rest = piece[:i], piece[i:]
        if rest.startswith(",") or head.endswith(","):
            continue
        if not _NUMBER.fullmatch(head):
            if not _NUMBER_PREFIX.fullmatch(head):
                break
            continue
        for tail in cuts(rest, parts - 1):
            yield (int(head.replace(",", "")), *tail)


def _plain_cuts(piece: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Cuts of digits without separators: no leading zeros, a digit left for every part."""
    if parts == 1:
        if piece and (piece == "0" or piece[0] != "0"):
            yield (int(piece),)
        return
    for i in range(1, len(piece) - parts + 2):
        head = piece[:i]
        if i > 1 and head[0] == "0":
            break
        for rest in _plain_cuts(piece[i:], parts - 1):
            yield (int(head), *rest)


def splits(pieces: list[str], total_parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut several digit strings, in order, into ``total_parts`` numbers.

    Each string gives at least one number; a number never spans two strings. A leading
    sign belongs to the string's first number (``5-13`` read as ``5``, ``-13`` → -1, 3).
    """
    if not pieces:
        if total_parts == 0:
            yield ()
        return
    first, rest = pieces[0], pieces[1:]
    sign = -1 if first.startswith("-") else 1
    first = first.lstrip("+-")
    max_here = min(_digits(first), total_parts - len(rest))
    for n in range(1, max_here + 1):
        if sum(_digits(p) for p in rest) < total_parts - n:
            continue
        for head in cuts(first, n):
            signed = (sign * head[0], *head[1:])
            for tail in splits(rest, total_parts - n):
                yield signed + tail


def _digits(piece: str) -> int:
    return sum(ch.isdigit() for ch in piece)


def bounded(candidates: Iterator[tuple[int, ...]], limit: int = MAX_CANDIDATES) -> list[tuple[int, ...]] | None:
    """The candidates as a list, or None when there are too many to weigh."""
    out: list[tuple[int, ...]] = []
    for c in candidates:
        out.append(c)
        if len(out) > limit:
            return None
    return out
