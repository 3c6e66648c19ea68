"""Text copied between stored reports (内容雷同): sections 一、五、六 compared by their prints (``prints.py``).

How a section is judged:

- shingles used by many agencies are boilerplate, not evidence of copying: a shingle is
  boilerplate when more than ``BOILERPLATE_SHARE`` of the agencies (and at least
  ``BOILERPLATE_MIN_AGENCIES``) use it in that section; above ``SAMPLE`` reports the share is
  measured on a fixed random sample of them, and recounted each time the collection grew by a fifth;
- the repetition ratio of section A against section B is the share of A's distinctive
  (non-boilerplate) shingles found in B; A is judged only with at least ``MIN_SHINGLES``
  distinctive shingles, and copied at ``COPY_RATIO`` or more.

Last year's report of the same agency is compared directly. Other agencies' reports of the same
year are candidates when their MinHash signatures estimate a Jaccard similarity of at least
``CANDIDATE_JACCARD``: a year's signatures are the rows of one numpy matrix, compared with a
report's signature all at once (well under a millisecond for thousands of reports), and the
``CANDIDATES`` most alike are compared exactly.

The index (``SectionIndex``) lives in the writing process, one per database. The writer puts each
batch's reports in it from the prints its workers computed (``record``); before each batch one
cheap query (how many reports, the last id, the last parse time) tells whether another process
changed the reports meanwhile, and only then is what changed read again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, func, select, update

from xxgk.check.collection import CollectionFinding, StoredReport, copied_from_other, copied_from_previous
from xxgk.db import store_schema as schema
from xxgk.store.prints import (
    NUM_PERM,
    SECTIONS,
    Print,
    Shingles,
    Signature,
    clean_text,
    pack,
    prints_of,
    section_texts,
    shingles,
    signature,
    unpack,
)
from xxgk.store.standing import standing_reports

__all__ = ["COPY_RATIO", "MIN_SHINGLES", "SECTIONS", "SectionIndex", "clean_text", "copied_text", "forget_writes",
           "index_for",
           "ratio", "shingles", "signature"]

CANDIDATE_JACCARD = 0.3  # estimated Jaccard of the raw shingle sets for a pair to be compared exactly
CANDIDATES = 5  # at most this many candidates (the most alike) are compared exactly
COPY_RATIO = 0.6
MIN_SHINGLES = 40
BOILERPLATE_SHARE = 0.1
BOILERPLATE_MIN_AGENCIES = 3
SAMPLE = 1000
EXACT = 100  # below this many reports boilerplate is recounted at every change; above, when grown by a fifth

_EMPTY: Shingles = np.empty(0, dtype=np.uint32)
_MIN_SAME = math.ceil(CANDIDATE_JACCARD * NUM_PERM)  # equal signature values a candidate needs
_CHUNK = 500

# What the writer tells the index about a report it wrote: id, agency, year, parse time, packed prints.
Indexed = tuple[int, int | None, int | None, datetime, bytes | None]


def ratio(mine: Shingles, theirs: Shingles, boilerplate: Shingles) -> tuple[float, int]:
    """The share of ``mine``'s distinctive shingles found in ``theirs``, and how many distinctive ones there are."""
    distinctive = np.setdiff1d(mine, boilerplate, assume_unique=True)
    return _share(distinctive, theirs), len(distinctive)


def _share(distinctive: Shingles, theirs: Shingles) -> float:
    """The share of these (sorted, unique) shingles found in the sorted ``theirs``."""
    if not len(distinctive) or not len(theirs):
        return 0.0
    at = np.minimum(np.searchsorted(theirs, distinctive), len(theirs) - 1)
    return float(np.count_nonzero(theirs[at] == distinctive)) / len(distinctive)


def _stamp(value: Any) -> str:
    """A parse time as comparable text in UTC (SQLite gives it back without a zone, PostgreSQL with one)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return str(value.isoformat())
    return str(value)


def _state(conn: Connection) -> tuple[int, int, str]:
    """(how many reports, the last id, the last parse time): changes whenever a report is added or replaced."""
    r = schema.Report
    count, last, latest = conn.execute(select(func.count(r.id), func.max(r.id), func.max(r.parsed_at))).one()
    return int(count), int(last or 0), _stamp(latest)


@dataclass(slots=True)
class Entry:
    """One stored report as the index knows it."""

    agency_id: int | None
    year: int | None
    stamp: str  # its parse time (``_stamp``): a report parsed again is read again
    sections: dict[str, Shingles]
    signatures: dict[str, Signature]  # the sections that have text


@dataclass(slots=True)
class YearSignatures:
    """One section's signatures in one year: rows of a matrix, so one signature is compared with all at once."""

    ids: np.ndarray[Any, np.dtype[np.int64]] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    agencies: np.ndarray[Any, np.dtype[np.int64]] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    matrix: np.ndarray[Any, np.dtype[np.uint32]] = field(
        default_factory=lambda: np.zeros((0, NUM_PERM), dtype=np.uint32))
    rows: dict[int, int] = field(default_factory=dict)
    size: int = 0

    def put(self, report_id: int, agency_id: int | None, values: Signature) -> None:
        """Add or replace a report's signature."""
        row = self.rows.get(report_id)
        if row is None:
            if self.size == len(self.ids):
                grown = max(64, 2 * self.size)
                self.ids = np.resize(self.ids, grown)
                self.agencies = np.resize(self.agencies, grown)
                self.matrix = np.resize(self.matrix, (grown, NUM_PERM))
            row, self.size = self.size, self.size + 1
            self.rows[report_id] = row
        self.ids[row] = report_id
        self.agencies[row] = -1 if agency_id is None else agency_id
        self.matrix[row] = values

    def drop(self, report_id: int) -> None:
        """Remove a report's signature (the last row takes its place)."""
        row = self.rows.pop(report_id, None)
        if row is None:
            return
        last = self.size - 1
        if row != last:
            self.ids[row], self.agencies[row], self.matrix[row] = self.ids[last], self.agencies[last], self.matrix[last]
            self.rows[int(self.ids[row])] = row
        self.size = last

    def alike(self, values: Signature, report_id: int, agency_id: int | None) -> list[int]:
        """Other agencies' reports whose signature estimates a Jaccard of at least ``CANDIDATE_JACCARD``: the
        ``CANDIDATES`` most alike, most alike first (then by id)."""
        n = self.size
        same = np.count_nonzero(self.matrix[:n] == values, axis=1)
        keep = (same >= _MIN_SAME) & (self.ids[:n] != report_id)
        if agency_id is not None:
            keep &= self.agencies[:n] != agency_id
        rows = np.flatnonzero(keep)
        order = np.lexsort((self.ids[rows], -same[rows]))[:CANDIDATES]
        return [int(i) for i in self.ids[rows[order]]]


@dataclass(slots=True)
class SectionIndex:
    """The prints of one database's reports, with each (section, year)'s signatures in a matrix."""

    entries: dict[int, Entry] = field(default_factory=dict)
    years: dict[tuple[str, int], YearSignatures] = field(default_factory=dict)
    state: tuple[int, int, str] | None = None  # ``_state`` of the reports the index holds
    synced_in: object = None  # the transaction the index was last brought up to date in
    boilerplate: dict[str, Shingles] = field(default_factory=dict)
    boilerplate_size: int = -1
    distinct: dict[tuple[int, str], Shingles] = field(default_factory=dict)  # under the current boilerplate

    def sync(self, conn: Connection) -> None:
        """Bring the index up to date with the stored reports (once per transaction; one query when nothing changed)."""
        transaction = conn.get_transaction()
        if transaction is not None and transaction is self.synced_in:
            return
        state = _state(conn)
        if state != self.state:
            self._catch_up(conn)
            self.state = state
        self.synced_in = transaction

    def record(self, conn: Connection, written: Iterable[Indexed]) -> None:
        """Put the reports this transaction wrote, from their prints; read again only if another process wrote too."""
        before = self.state if self.synced_in is not None and self.synced_in is conn.get_transaction() else None
        complete = before is not None
        added, last = 0, before[1] if before is not None else 0
        for report_id, agency_id, year, parsed_at, packed in written:
            prints = unpack(packed)
            if prints is None:
                complete = False  # read from the database instead
                continue
            added += report_id not in self.entries
            last = max(last, report_id)
            self.put(report_id, agency_id, year, _stamp(parsed_at), prints)
        after = _state(conn)
        if complete and before is not None and after[:2] == (before[0] + added, last):
            self.state = after
        else:
            self.state, self.synced_in = None, None  # the next ``sync`` compares every report

    def _catch_up(self, conn: Connection) -> None:
        """Forget the reports changed or gone, and load the ones the index does not hold."""
        r = schema.Report
        stored = {row.id: (row.agency_id, row.year, _stamp(row.parsed_at))
                  for row in conn.execute(select(r.id, r.agency_id, r.year, r.parsed_at))}
        for report_id, entry in list(self.entries.items()):
            if stored.get(report_id) != (entry.agency_id, entry.year, entry.stamp):
                self.remove(report_id)
        self._load(conn, sorted(i for i in stored if i not in self.entries))

    def _load(self, conn: Connection, report_ids: list[int]) -> None:
        """Put these stored reports in the index; prints missing or outdated are computed and stored."""
        r = schema.Report
        for start in range(0, len(report_ids), _CHUNK):
            rows = conn.execute(select(r.id, r.agency_id, r.year, r.parsed_at, r.prints)
                                .where(r.id.in_(report_ids[start:start + _CHUNK]))).all()
            redo = {row.id: row for row in rows if unpack(row.prints) is None}
            for row in rows:
                if row.id not in redo:
                    self.put(row.id, row.agency_id, row.year, _stamp(row.parsed_at), unpack(row.prints) or {})
            if redo:
                self._compute(conn, list(redo.values()))

    def _compute(self, conn: Connection, rows: list[Any]) -> None:
        """Prints for reports stored without them (before migration 0004, or by an older version): from their text."""
        r = schema.Report
        sections: dict[int, Any] = dict(conn.execute(select(r.id, r.data["sections"]).where(r.id.in_([row.id for row in rows]))).all())
        packed = []
        for row in rows:
            prints = prints_of(section_texts({"sections": sections.get(row.id) or {}}))
            self.put(row.id, row.agency_id, row.year, _stamp(row.parsed_at), prints)
            packed.append({"report": row.id, "packed": pack(prints)})
        conn.execute(update(r).where(r.id == bindparam("report")).values(prints=bindparam("packed")), packed)

    def put(self, report_id: int, agency_id: int | None, year: int | None, stamp: str,
            prints: dict[str, Print]) -> None:
        """Add a report (or replace what the index held of it)."""
        if report_id in self.entries:
            self.remove(report_id)
        sections = {k: prints[k][0] if k in prints else _EMPTY for k in SECTIONS}
        signatures = {k: sig for k, (_, sig) in prints.items() if sig is not None}
        self.entries[report_id] = Entry(agency_id, year, stamp, sections, signatures)
        if year is not None:
            for kind, values in signatures.items():
                self.years.setdefault((kind, year), YearSignatures()).put(report_id, agency_id, values)

    def remove(self, report_id: int) -> None:
        """Forget a report."""
        entry = self.entries.pop(report_id)
        for kind in SECTIONS:
            self.distinct.pop((report_id, kind), None)
            table = self.years.get((kind, entry.year or 0))
            if table is not None:
                table.drop(report_id)

    def boilerplate_of(self, kind: str) -> Shingles:
        """The shingles used by many agencies in this section (recounted when the collection grew by a fifth)."""
        size = len(self.entries)
        if size != self.boilerplate_size and (size < EXACT or size > self.boilerplate_size * 1.2):
            self.boilerplate = {k: self._count_boilerplate(k) for k in SECTIONS}
            self.boilerplate_size = size
            self.distinct.clear()
        return self.boilerplate[kind]

    def _count_boilerplate(self, kind: str) -> Shingles:
        ids = sorted(self.entries)
        if len(ids) > SAMPLE:
            ids = sorted(np.random.default_rng(0).choice(ids, SAMPLE, replace=False).tolist())
        owners: dict[object, list[Shingles]] = {}
        for report_id in ids:
            entry = self.entries[report_id]
            owner = entry.agency_id if entry.agency_id is not None else ("report", report_id)
            owners.setdefault(owner, []).append(entry.sections[kind])
        if not owners:
            return _EMPTY
        # Each agency counts once per shingle: the union of its reports' shingles (most have one report).
        used = [found[0] if len(found) == 1 else np.unique(np.concatenate(found)) for found in owners.values()]
        values, counts = np.unique(np.concatenate(used), return_counts=True)
        floor = max(BOILERPLATE_MIN_AGENCIES, BOILERPLATE_SHARE * len(owners))
        return values[counts > floor]

    def distinctive(self, report_id: int, kind: str) -> Shingles:
        """A report's shingles in this section that are not boilerplate (kept until the boilerplate is recounted)."""
        boilerplate = self.boilerplate_of(kind)  # first: recounting it forgets what was kept
        found = self.distinct.get((report_id, kind))
        if found is None:
            found = np.setdiff1d(self.entries[report_id].sections[kind], boilerplate, assume_unique=True)
            self.distinct[(report_id, kind)] = found
        return found

    def most_alike(self, report_id: int, kind: str) -> tuple[int, float, int] | None:
        """The other agency's report of the same year this section repeats most: (id, ratio, distinctive shingles)."""
        entry = self.entries[report_id]
        values = entry.signatures.get(kind)
        table = self.years.get((kind, entry.year)) if entry.year is not None else None
        if values is None or table is None:
            return None
        mine = self.distinctive(report_id, kind)
        best: tuple[int, float, int] | None = None
        for other in table.alike(values, report_id, entry.agency_id):
            found = _share(mine, self.entries[other].sections[kind])
            if best is None or found > best[1]:
                best = (other, found, len(mine))
        return best


_INDEXES: dict[str, SectionIndex] = {}


def index_for(conn: Connection) -> SectionIndex:
    """This database's index in this process, brought up to date."""
    key = conn.engine.url.render_as_string(hide_password=False)
    index = _INDEXES.setdefault(key, SectionIndex())
    index.sync(conn)
    return index


def forget_writes(engine: Engine) -> None:
    """After a rolled-back write: the index may hold its reports, so the next ``sync`` compares every report."""
    index = _INDEXES.get(engine.url.render_as_string(hide_password=False))
    if index is not None:
        index.state, index.synced_in = None, None


def copies(index: SectionIndex, reports: list[StoredReport]) -> Iterator[tuple[StoredReport, str, int, float, bool]]:
    """The sections of one agency's reports copied from last year's or from another agency's: (report, section,
    other report id, ratio, from last year); last year's is the report standing for it (``standing.py``)."""
    by_year = {s.year: s for s in standing_reports(reports) if s.year is not None and s.id in index.entries}
    for stored in reports:
        if stored.id not in index.entries or stored.year is None:
            continue
        previous = by_year.get(stored.year - 1)
        for kind in SECTIONS:
            if previous is not None:
                mine = index.distinctive(stored.id, kind)
                found = _share(mine, index.entries[previous.id].sections[kind])
                if len(mine) >= MIN_SHINGLES and found >= COPY_RATIO:
                    yield stored, kind, previous.id, found, True
            best = index.most_alike(stored.id, kind)
            if best is not None and best[2] >= MIN_SHINGLES and best[1] >= COPY_RATIO:
                yield stored, kind, best[0], best[1], False


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
