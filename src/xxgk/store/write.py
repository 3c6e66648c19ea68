"""The parent side of ingest and reparse: parsed reports → rows, one transaction per batch.

A batch (documents, reports, cells, findings, ingest items, the run's counters and the
collection findings of the agencies it touched) is committed whole or not at all, so a run
killed at any moment leaves every report stored once or not yet: the next run skips what was
committed (sha256 is unique) and does the rest. Rows go in with one bulk INSERT per table; the
copied-text index takes the batch's reports from the prints the workers computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from xxgk.db import store_schema as schema
from xxgk.db.base import Base
from xxgk.store.agencies import AgencyResolver, refresh_agencies
from xxgk.store.collection import recompute_collection_findings, refresh_peers
from xxgk.store.merge import merge_by_roster
from xxgk.store.rows import ReportRows
from xxgk.store.similarity import Indexed, forget_writes, index_for
from xxgk.store.work import Parsed

# Core tables: plain INSERTs, compiled once (the ORM's per-row bookkeeping is not needed here).
_DOCUMENTS = Base.metadata.tables["documents"]
_REPORTS = Base.metadata.tables["reports"]
_CELLS = Base.metadata.tables["cells"]
_FINDINGS = Base.metadata.tables["findings"]
_ITEMS = Base.metadata.tables["ingest_items"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one item: ok, skipped or failed (with the Chinese reason), and its (first) report."""

    source: str
    status: str
    report_id: int | None = None
    error: str | None = None
    reports: int = 0  # how many reports were stored from it (a 汇编 holds several)


def _now() -> datetime:
    return datetime.now(UTC)


class Writer:
    """Writes batches of parsed items for one ingest run (or a reparse, when ``run_id`` is None)."""

    def __init__(self, engine: Engine, run_id: int | None, parser_version: str) -> None:
        self.engine = engine
        self.run_id = run_id
        self.parser_version = parser_version
        self.agencies: dict[str, int] = {}  # names resolved by this writer's committed batches
        self.touched: set[int] = set()  # agencies whose reports this writer's committed batches changed
        self._conn: Connection | None = None

    def close(self) -> None:
        """Release this writer's connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A write transaction on the writer's own connection, kept across batches (SQLite's page cache stays warm)."""
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
        with self._conn.begin():
            yield self._conn

    def write(self, batch: list[Parsed]) -> list[Outcome]:
        """Store a batch in one transaction; if it collides with a concurrent writer, item by item."""
        try:
            return self._attempt(batch)
        except IntegrityError:
            outcomes: list[Outcome] = []
            for parsed in batch:
                try:
                    outcomes.extend(self._attempt([parsed]))
                except IntegrityError:
                    outcomes.extend(self._attempt([_skipped(parsed)]))
            return outcomes

    def _attempt(self, batch: list[Parsed]) -> list[Outcome]:
        """One transaction; on failure, forget the agencies it created (they were rolled back)."""
        known = dict(self.agencies)
        touched: set[int] = set()
        try:
            with self._transaction() as conn:
                outcomes = self._write(conn, batch, touched)
            self.touched |= touched
            return outcomes
        except BaseException:
            self.agencies.clear()
            self.agencies.update(known)
            forget_writes(self.engine)  # the index took this batch's reports: they were rolled back
            self.close()
            raise

    def finish(self) -> int:
        """After the last batch: merge the agencies the roster names as one body (a new spelling of one may have
        come), then rerun the checks that depend on peers for the peers of every agency changed."""
        if not self.touched:
            return 0
        with self._transaction() as conn:
            for merged in merge_by_roster(conn):
                self.touched.discard(merged.merged_id)
                self.touched.add(merged.kept_id)
                self.agencies.update({name: merged.kept_id for name, agency in self.agencies.items()
                                      if agency == merged.merged_id})
            found = refresh_peers(conn, self.touched)
        self.touched.clear()
        return found

    def _write(self, conn: Connection, batch: list[Parsed], touched: set[int]) -> list[Outcome]:
        index = index_for(conn)  # the copied-text index, current before this batch writes
        resolver = AgencyResolver(conn, self.agencies)
        resolver.prepare(rows.columns["agency_name"] for p in batch for rows in p.parts)
        stored = _stored_reports(conn, [p.sha256 for p in batch if p.sha256 and p.item.report_id is None])
        cells: list[dict[str, Any]] = []
        findings: list[dict[str, Any]] = []
        indexed: list[Indexed] = []
        new: dict[str, Parsed] = {}  # files to store, by sha256 (the first copy in the batch)
        for parsed in batch:
            if parsed.status == "ok" and parsed.item.report_id is None and parsed.sha256 not in stored:
                new.setdefault(parsed.sha256 or "", parsed)
        now = _now()
        stored.update(self._insert(conn, list(new.values()), resolver, now, touched, cells, findings, indexed))
        outcomes: list[Outcome] = []
        worded: dict[int, tuple[int, str | None]] = {}  # agency → its first report parsed again here, its wording
        for parsed in batch:
            if parsed.status == "ok" and parsed.item.report_id is not None:
                outcomes.append(self._replace(conn, parsed, resolver, now, touched, cells, findings, indexed,
                                              worded))
            elif parsed.status == "failed":
                outcomes.append(Outcome(parsed.item.source, "failed", parsed.item.report_id, parsed.error))
            else:
                first = new.get(parsed.sha256 or "") is parsed
                outcomes.append(Outcome(parsed.item.source, "ok" if first else "skipped",
                                        stored.get(parsed.sha256 or ""), reports=len(parsed.parts) if first else 0))
        if cells:
            conn.execute(_CELLS.insert(), cells)
        if findings:
            conn.execute(_FINDINGS.insert(), findings)
        index.record(conn, indexed)
        refresh_agencies(conn, worded)  # a parse told its agency's level: a newer parser may tell another
        if touched:
            recompute_collection_findings(conn, touched)
        if self.run_id is not None:
            self._record(conn, batch, outcomes)
        return outcomes

    def _insert(self, conn: Connection, new: list[Parsed], resolver: AgencyResolver, now: datetime,
                touched: set[int], cells: list[dict[str, Any]], findings: list[dict[str, Any]],
                indexed: list[Indexed]) -> dict[str, int | None]:
        """Store new files and their reports (bulk INSERT … RETURNING); the id of each file's first report by sha256."""
        if not new:
            return {}
        assert all(p.parts for p in new)  # an ok result always has its rows
        documents = conn.execute(
            insert(_DOCUMENTS).returning(_DOCUMENTS.c.id, sort_by_parameter_order=True),
            [{"sha256": p.sha256, "name": p.name[:500], "origin": p.item.source, "format": p.format[:16],
              "size": p.size or 0, "content": p.content, "created_at": now} for p in new]).scalars().all()
        parts = [(d, k, rows) for d, p in zip(documents, new, strict=True) for k, rows in enumerate(p.parts)]
        agencies = [resolver.resolve(rows.columns["agency_name"], rows.wording) for _, _, rows in parts]
        touched.update(a for a in agencies if a is not None)
        reports = conn.execute(
            insert(_REPORTS).returning(_REPORTS.c.id, sort_by_parameter_order=True),
            [{"document_id": d, "part": k, "agency_id": a, "parser_version": self.parser_version, "parsed_at": now,
              "data": rows.data, **rows.columns}
             for (d, k, rows), a in zip(parts, agencies, strict=True)]).scalars().all()
        first: dict[int, int] = {}  # document → its first report
        for report_id, agency_id, (document_id, _, rows) in zip(reports, agencies, parts, strict=True):
            first.setdefault(document_id, report_id)
            _add_rows(report_id, rows, cells, findings)
            indexed.append((report_id, agency_id, rows.columns["year"], now, rows.columns["prints"]))
        return {p.sha256 or "": first[d] for p, d in zip(new, documents, strict=True)}

    def _replace(self, conn: Connection, parsed: Parsed, resolver: AgencyResolver, now: datetime, touched: set[int],
                 cells: list[dict[str, Any]], findings: list[dict[str, Any]], indexed: list[Indexed],
                 worded: dict[int, tuple[int, str | None]]) -> Outcome:
        """Re-parse of a stored file: each report it holds replaces the stored one of the same part, in place.

        Parts the file no longer yields are deleted (a newer parser found fewer reports in a 汇编); new ones are added.
        ``worded`` takes each agency's lowest report id parsed again and its wording (``refresh_agencies``).
        """
        assert parsed.parts  # an ok result always has its rows
        r = schema.Report
        document_id = conn.execute(select(r.document_id).where(r.id == parsed.item.report_id)).scalar_one()
        stored = conn.execute(select(r.part, r.id, r.agency_id).where(r.document_id == document_id)).all()
        ids = {part: report_id for part, report_id, _ in stored}
        touched.update(a for _, _, a in stored if a is not None)
        gone = [report_id for part, report_id in ids.items() if part >= len(parsed.parts)]
        if gone:
            conn.execute(delete(r).where(r.id.in_(gone)))
        for part, rows in enumerate(parsed.parts):
            agency_id = resolver.resolve(rows.columns["agency_name"], rows.wording)
            values = {"agency_id": agency_id, "parser_version": self.parser_version, "parsed_at": now,
                      "data": rows.data, **rows.columns}
            report_id = ids.get(part)
            if report_id is None:
                report_id = conn.execute(insert(_REPORTS).returning(_REPORTS.c.id),
                                         {"document_id": document_id, "part": part, **values}).scalar_one()
            else:
                conn.execute(update(r).where(r.id == report_id).values(**values))
                conn.execute(delete(schema.Cell).where(schema.Cell.report_id == report_id))
                conn.execute(delete(schema.Finding).where(schema.Finding.report_id == report_id,
                                                          schema.Finding.scope == "report"))
            if agency_id is not None:
                touched.add(agency_id)
                if agency_id not in worded or report_id < worded[agency_id][0]:
                    worded[agency_id] = (report_id, rows.wording)
            _add_rows(report_id, rows, cells, findings)
            indexed.append((report_id, agency_id, rows.columns["year"], now, rows.columns["prints"]))
        return Outcome(parsed.item.source, "ok", ids.get(0, parsed.item.report_id), reports=len(parsed.parts))

    def _record(self, conn: Connection, batch: list[Parsed], outcomes: list[Outcome]) -> None:
        """The ingest items of this batch, and the run's counters (in the batch's transaction)."""
        rows = [{"run_id": self.run_id, "source": o.source, "size": p.item.size, "mtime": p.item.mtime,
                 "sha256": p.sha256, "status": o.status, "error": o.error, "report_id": o.report_id,
                 "processed_at": _now()} for p, o in zip(batch, outcomes, strict=True)]
        conn.execute(_ITEMS.insert(), rows)
        counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "failed")}
        run = schema.IngestRun
        conn.execute(update(run).where(run.id == self.run_id).values(
            ok=run.ok + counts["ok"], skipped=run.skipped + counts["skipped"], failed=run.failed + counts["failed"]))


def _add_rows(report_id: int, rows: ReportRows, cells: list[dict[str, Any]],
              findings: list[dict[str, Any]]) -> None:
    """Queue a report's cells and report findings for the batch's bulk inserts."""
    cells.extend({"report_id": report_id, "table_id": t, "row_id": r, "column_id": c, "value": v}
                 for t, r, c, v in rows.cells)
    findings.extend({"report_id": report_id, "scope": "report", "rule": rule, "severity": severity,
                     "location": where, "message": message, "quote": quote, "related_report_id": None}
                    for rule, severity, where, message, quote in rows.findings)


def _stored_reports(conn: Connection, shas: Iterable[str]) -> dict[str, int | None]:
    """Which of these files are stored already, with the ids of their first reports."""
    wanted = sorted(set(shas))
    out: dict[str, int | None] = {}
    d, r = schema.Document, schema.Report
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(d.sha256, r.id).outerjoin(r, (r.document_id == d.id) & (r.part == 0))
                            .where(d.sha256.in_(wanted[start:start + 500]))).all()
        out.update({sha: report_id for sha, report_id in rows})
    return out


def _skipped(parsed: Parsed) -> Parsed:
    """The same item, marked as stored already (a concurrent run stored it first)."""
    return Parsed(parsed.item, "skipped", sha256=parsed.sha256, name=parsed.name, size=parsed.size)
