"""How much of an agency's free text (sections 一、五、六) repeats its previous year's report."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from xxgk.model import Report
from xxgk.store.similarity import MIN_SHINGLES, SECTIONS, ratio, shingles
from xxgk.templates import statutory


@dataclass(frozen=True, slots=True)
class Repetition:
    """One section of one year compared with the year before: the share of its text found there."""

    year: int | None
    previous_year: int | None
    section: str
    share: float | None  # None: too little text to say
    shingles: int


def repetition(reports: list[Report]) -> list[Repetition]:
    """Each report's sections 一、五、六 against the report before it (the store's character 5-grams)."""
    out: list[Repetition] = []
    empty = np.zeros(0, dtype=np.uint32)
    for before, after in itertools.pairwise(reports):
        for sid in SECTIONS:
            heading = statutory().section_by_id(sid).heading
            mine = shingles(_text(after, sid))
            theirs = shingles(_text(before, sid))
            share, size = ratio(mine, theirs, empty)
            out.append(Repetition(after.meta.year, before.meta.year, heading,
                                  share if size >= MIN_SHINGLES else None, size))
    return out


def _text(report: Report, sid: str) -> str:
    section = report.sections.get(sid)
    return section.text or "" if section is not None else ""
