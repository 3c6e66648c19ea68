"""Text copied between stored reports (内容雷同): sections 一、五、六 compared as character 5-gram shingles.

How a section is compared:

- its text is reduced to Chinese characters and Latin letters (digits dropped, so a copy with
  this year's numbers still matches), the statutory headings of the declaration removed;
- it becomes the set of its character 5-grams (hashed to 32 bits with numpy);
- shingles used by many agencies are boilerplate, not evidence of copying: a shingle is
  boilerplate when more than ``BOILERPLATE_SHARE`` of the agencies (and at least
  ``BOILERPLATE_MIN_AGENCIES``) use it in that section; above ``SAMPLE`` reports the share is
  measured on a fixed random sample of them, and recounted each time the collection grew by a fifth;
- the repetition ratio of section A against section B is the share of A's distinctive
  (non-boilerplate) shingles found in B; A is judged only with at least ``MIN_SHINGLES``
  distinctive shingles, and copied at ``COPY_RATIO`` or more.

Last year's report of the same agency is compared directly. Other agencies' reports of the
same year are found with MinHash LSH (datasketch), then the few best candidates are compared
exactly, so a collection of 10,000 reports costs a few lookups per report. The signatures are
kept per database in this process and brought up to date from ``reports`` when it changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from sqlalchemy import Connection, func, select

from xxgk.check.collection import copied_from_other, copied_from_previous, missing_reports
from xxgk.parse.normalize import to_simplified
from xxgk.store import schema
from xxgk.store.collection import CollectionFinding, StoredReport, collection_check
from xxgk.templates import statutory

SECTIONS = ("overview", "problems", "other")  # 一、五、六: the free text every report writes
SHINGLE = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # Jaccard of the raw shingle sets for a pair to be compared exactly
CANDIDATES = 5  # at most this many LSH candidates (the most alike) are compared exactly
COPY_RATIO = 0.6
MIN_SHINGLES = 40
BOILERPLATE_SHARE = 0.1
BOILERPLATE_MIN_AGENCIES = 3
SAMPLE = 1000
EXACT = 100  # below this many reports boilerplate is recounted at every change; above, when grown by a fifth

_KEEP = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)

Shingles = np.ndarray[Any, np.dtype[np.uint32]]


@cache
def _headings() -> re.Pattern[str]:
    """The statutory section headings and their variants, as they read after ``clean_text``'s reduction."""
    words = {_KEEP.sub("", w) for s in statutory().sections for w in (s.heading, *s.keywords)}
    return re.compile("|".join(sorted((re.escape(w) for w in words if w), key=len, reverse=True)))


def clean_text(text: str) -> str:
    """Turn a section's text into what is compared: simplified Chinese characters and letters, no headings."""
    return _headings().sub("", _KEEP.sub("", to_simplified(text)))


def shingles(text: str) -> Shingles:
    """Turn a text into the sorted set of its character 5-grams, each hashed to 32 bits."""
    codes = np.frombuffer(clean_text(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.empty(0, dtype=np.uint32)
    width = len(codes) - SHINGLE + 1
    hashed = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for k in range(SHINGLE):
            hashed = hashed * _BASE + codes[k:k + width]
        mixed = (hashed * _MIX) >> np.uint64(32)
    return np.unique(mixed.astype(np.uint32))


def signature(values: Shingles) -> MinHash:
    """The MinHash of a shingle set (the shingles are hashes already), without its permutations (kept: 1 KB)."""
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int)
    minhash.update_batch(values.tolist())
    return LeanMinHash(minhash)


def ratio(mine: Shingles, theirs: Shingles, boilerplate: Shingles) -> tuple[float, int]:
    """The share of ``mine``'s distinctive shingles found in ``theirs``, and how many distinctive ones there are."""
    distinctive = np.setdiff1d(mine, boilerplate, assume_unique=True)
    if len(distinctive) == 0:
        return 0.0, 0
    shared = np.intersect1d(distinctive, theirs, assume_unique=True)
    return len(shared) / len(distinctive), len(distinctive)


@dataclass(slots=True)
class Entry:
    """One stored report as the index knows it."""

    agency_id: int | None
    year: int | None
    parsed_at: Any
    sections: dict[str, Shingles]
    signatures: dict[str, MinHash]


@dataclass(slots=True)
class SectionIndex:
    """The shingles and MinHash signatures of one database's reports, with an LSH per (section, year)."""

    entries: dict[int, Entry] = field(default_factory=dict)
    lsh: dict[tuple[str, int], MinHashLSH] = field(default_factory=dict)
    state: tuple[int, int, str] | None = None  # (count, max id, max parsed_at) of the reports last synced
    synced_in: object = None  # the transaction the index was last brought up to date in
    boilerplate: dict[str, Shingles] = field(default_factory=dict)
    boilerplate_size: int = -1

    def sync(self, conn: Connection) -> None:
        """Bring the index up to date with the stored reports (once per transaction; cheap when nothing changed)."""
        transaction = conn.get_transaction()
        if transaction is not None and transaction is self.synced_in:
            return
        r = schema.Report
        state = conn.execute(select(func.count(), func.max(r.id), func.max(r.parsed_at))).one()
        key = (int(state[0]), int(state[1] or 0), str(state[2]))
        if self.state != key:
            stored = {row.id: (row.agency_id, row.parsed_at)
                      for row in conn.execute(select(r.id, r.agency_id, r.parsed_at))}
            for report_id, entry in list(self.entries.items()):
                if stored.get(report_id) != (entry.agency_id, entry.parsed_at):
                    self._remove(report_id)
            self._add(conn, [i for i in stored if i not in self.entries])
            self.state = key
        self.synced_in = transaction

    def _add(self, conn: Connection, report_ids: list[int]) -> None:
        r = schema.Report
        for start in range(0, len(report_ids), 500):
            rows = conn.execute(select(r.id, r.agency_id, r.year, r.parsed_at, r.data["sections"])
                                .where(r.id.in_(report_ids[start:start + 500]))).all()
            for report_id, agency_id, year, parsed_at, sections in rows:
                texts = {k: ((sections or {}).get(k) or {}).get("text") or "" for k in SECTIONS}
                found = {k: shingles(t) for k, t in texts.items()}
                signatures = {k: signature(v) for k, v in found.items() if len(v)}
                self.entries[report_id] = Entry(agency_id, year, parsed_at, found, signatures)
                for kind, minhash in signatures.items():
                    if year is not None:
                        self._lsh(kind, year).insert(report_id, minhash, check_duplication=False)

    def _remove(self, report_id: int) -> None:
        entry = self.entries.pop(report_id)
        for kind in entry.signatures:
            lsh = self.lsh.get((kind, entry.year or 0))
            if lsh is not None and report_id in lsh:
                lsh.remove(report_id)

    def _lsh(self, kind: str, year: int) -> MinHashLSH:
        if (kind, year) not in self.lsh:
            self.lsh[(kind, year)] = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        return self.lsh[(kind, year)]

    def boilerplate_of(self, kind: str) -> Shingles:
        """The shingles used by many agencies in this section (recounted when the collection grew by a fifth)."""
        size = len(self.entries)
        if size != self.boilerplate_size and (size < EXACT or size > self.boilerplate_size * 1.2):
            self.boilerplate = {k: self._count_boilerplate(k) for k in SECTIONS}
            self.boilerplate_size = size
        return self.boilerplate[kind]

    def _count_boilerplate(self, kind: str) -> Shingles:
        ids = sorted(self.entries)
        if len(ids) > SAMPLE:
            ids = sorted(np.random.default_rng(0).choice(ids, SAMPLE, replace=False).tolist())
        owners: dict[object, int] = {}
        tagged: list[np.ndarray[Any, np.dtype[np.uint64]]] = []
        for report_id in ids:
            entry = self.entries[report_id]
            owner = owners.setdefault(entry.agency_id if entry.agency_id is not None else ("report", report_id),
                                      len(owners))
            # (agency, shingle) pairs in one uint64, so one np.unique counts each agency once per shingle.
            tagged.append(entry.sections[kind].astype(np.uint64) | np.uint64(owner << 32))
        if not owners:
            return np.empty(0, dtype=np.uint32)
        pairs = np.unique(np.concatenate(tagged))
        values, counts = np.unique((pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32), return_counts=True)
        floor = max(BOILERPLATE_MIN_AGENCIES, BOILERPLATE_SHARE * len(owners))
        return values[counts > floor]

    def most_alike(self, report_id: int, kind: str) -> tuple[int, float, int] | None:
        """The other agency's report of the same year this section repeats most: (id, ratio, distinctive shingles)."""
        entry = self.entries[report_id]
        minhash = entry.signatures.get(kind)
        if minhash is None or entry.year is None:
            return None
        others = [i for i in self._lsh(kind, entry.year).query(minhash)
                  if i != report_id and i in self.entries and not self._same_agency(entry, self.entries[i])]
        others.sort(key=lambda i: (-minhash.jaccard(self.entries[i].signatures[kind]), i))
        best: tuple[int, float, int] | None = None
        for other in others[:CANDIDATES]:
            found, size = ratio(entry.sections[kind], self.entries[other].sections[kind], self.boilerplate_of(kind))
            if best is None or found > best[1]:
                best = (other, found, size)
        return best

    @staticmethod
    def _same_agency(a: Entry, b: Entry) -> bool:
        return a.agency_id is not None and a.agency_id == b.agency_id


_INDEXES: dict[str, SectionIndex] = {}


def index_for(conn: Connection) -> SectionIndex:
    """This database's index in this process, brought up to date."""
    key = conn.engine.url.render_as_string(hide_password=False)
    index = _INDEXES.setdefault(key, SectionIndex())
    index.sync(conn)
    return index


def copies(index: SectionIndex, reports: list[StoredReport]) -> Iterator[tuple[StoredReport, str, int, float, bool]]:
    """The sections of one agency's reports copied from last year's or from another agency's: (report, section,
    other report id, ratio, from last year)."""
    by_year = {s.year: s for s in reports if s.year is not None and s.id in index.entries}
    for stored in reports:
        entry = index.entries.get(stored.id)
        if entry is None or stored.year is None:
            continue
        previous = by_year.get(stored.year - 1)
        for kind in SECTIONS:
            boilerplate = index.boilerplate_of(kind)
            if previous is not None:
                found, size = ratio(entry.sections[kind], index.entries[previous.id].sections[kind], boilerplate)
                if size >= MIN_SHINGLES and found >= COPY_RATIO:
                    yield stored, kind, previous.id, found, True
            best = index.most_alike(stored.id, kind)
            if best is not None and best[2] >= MIN_SHINGLES and best[1] >= COPY_RATIO:
                yield stored, kind, best[0], best[1], False


@collection_check
def copied_text(conn: Connection, reports: list[StoredReport]) -> Iterator[CollectionFinding]:
    """Sections of this agency's reports copied from its last year's report or another agency's (内容雷同)."""
    years = {s.year for s in reports if s.year is not None}
    if not years:
        return
    index = index_for(conn)
    found_copies = list(copies(index, reports))
    names = _agency_names(conn, {index.entries[o].agency_id for _, _, o, _, last in found_copies if not last})
    for stored, kind, other, found, last_year in found_copies:
        year = stored.year or 0
        if last_year:
            finding = copied_from_previous(kind, year, found)
        else:
            agency_id = index.entries[other].agency_id
            finding = copied_from_other(kind, year, found, names.get(agency_id) if agency_id else None, other)
        yield CollectionFinding(stored.id, finding, other)


def _agency_names(conn: Connection, ids: set[int | None]) -> dict[int, str]:
    a = schema.Agency
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return {row.id: row.name for row in conn.execute(select(a.id, a.name).where(a.id.in_(wanted)))}


collection_check(missing_reports)
