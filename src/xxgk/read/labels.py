"""Text read in a table picture → the statutory template's own wording, when it plainly is one.

OCR slips a character here and there (「予以公开」 as 「子以公开」, a bracket half-width); the
parser places rows by their labels, so a cell whose reading is close to exactly one wording
of the template (``templates/statutory.toml``: row and column labels and their variants,
captions, groups, stubs, notes, headings) takes that wording. A long cell need not even be
read to its end: the first characters of every template wording already tell them apart,
so a reading of its beginning (``prefix=True``) is matched against the wordings' beginnings.
A reading close to none, or about equally close to two different things, stays as read.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc
from rapidfuzz import fuzz

from xxgk.templates import statutory

# A reading is a wording when at least this similar (0-100: one character in six may be wrong) ...
SIMILAR = 80.0
# ... and this much more similar than to any wording of something else.
MARGIN = 10.0
# A beginning shorter than this many characters says too little.
MIN_PREFIX = 5
# Quotes and dashes the recogniser prints in other shapes.
_SAME = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-"})


@dataclass(frozen=True, slots=True)
class _Wording:
    """One way the template words something, and what it words (wordings of one thing share ``owner``)."""

    text: str
    norm: str
    bare: str  # without punctuation: thin brackets and dots are what a faint print loses first
    owner: int


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normal(text: str) -> str:
    """Text compared as the recogniser may print it: simplified characters (the recogniser reads
    traditional forms too), half-width forms, no spaces, plain quotes."""
    simplified = str(_t2s().convert(text))
    return "".join(unicodedata.normalize("NFKC", simplified).translate(_SAME).split())


def bare(norm: str) -> str:
    """Normal text without its punctuation."""
    return "".join(ch for ch in norm if not unicodedata.category(ch).startswith("P"))


@cache
def _wordings() -> tuple[_Wording, ...]:
    """Every wording of the statutory templates, each with the thing it words."""
    groups: list[tuple[str, ...]] = []
    s = statutory()
    for table in s.tables:
        groups.append((table.title,))
        groups.extend((text,) for text in (table.row_header, table.column_header, table.note) if text)
        for row in table.rows:
            groups.append(tuple(row.labels()))
            groups.extend((text,) for text in (row.caption, row.stub, row.group) if text)
        for column in table.columns:
            groups.append(tuple(column.labels()))
            if column.group:
                groups.append((column.group,))
    groups.extend((section.heading,) for section in s.sections)
    seen: dict[str, _Wording] = {}
    for owner, texts in enumerate(groups):
        for text in texts:
            norm = normal(text)
            if norm and norm not in seen:
                seen[norm] = _Wording(text, norm, bare(norm), owner)
    return tuple(seen.values())


def snap(text: str, prefix: bool = False) -> str | None:
    """The template wording ``text`` reads as (``prefix``: the reading of its beginning only), or None."""
    read = normal(text)
    read_bare = bare(read)
    if len(read) < (MIN_PREFIX if prefix else 2):
        return None
    scored: list[tuple[float, int, _Wording]] = []
    for wording in _wordings():
        if prefix:
            if len(wording.norm) < len(read) - 1:
                continue
            score = max(fuzz.ratio(read, wording.norm[: len(read) + d]) for d in (-1, 0, 1))
            if read_bare:
                score = max(score, *(fuzz.ratio(read_bare, wording.bare[: len(read_bare) + d]) for d in (-1, 0, 1)))
        else:
            score = max(fuzz.ratio(read, wording.norm), fuzz.ratio(read_bare, wording.bare) if read_bare else 0.0)
        scored.append((score, len(wording.norm), wording))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if not scored or scored[0][0] < SIMILAR:
        return None
    best = scored[0][2]
    rival = next((score for score, _, w in scored if w.owner != best.owner), 0.0)
    if scored[0][0] - rival < MARGIN:
        return None
    return best.text
