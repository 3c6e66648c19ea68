"""Ingest: files, folders, lists and URLs → stored reports, in parallel, resumable, one bad file never fatal.

Workers parse and check (``work.py``); this process writes in batches (``write.py``): SQLite
has one writer. A file whose path, size and modification time match an item already stored
is skipped without being read; any other file is skipped once its sha256 is found stored.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from xxgk.db import store_schema as schema
from xxgk.db.engine import writing
from xxgk.guard import Limits
from xxgk.parse.version import parser_version
from xxgk.store.sources import Item
from xxgk.store.work import Parsed, run_items
from xxgk.store.write import Outcome, Writer

BATCH_SIZE = 64
BATCH_SECONDS = 2.0

Progress = Callable[[Outcome], None]


@dataclass(slots=True)
class Summary:
    """How a run ended: counts, and the failed items with their reasons."""

    run_id: int | None = None
    total: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    reports: int = 0  # reports stored by the items ok: more than ``ok`` when a file was a 汇编
    failures: list[Outcome] = field(default_factory=list)
    # Earlier runs found unfinished (killed before their end): their collection checks were redone.
    unfinished_runs: list[int] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "ok":
            self.ok += 1
            self.reports += outcome.reports
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append(outcome)


def default_workers() -> int:
    """As many worker processes as cores."""
    return max(1, os.cpu_count() or 1)


def ingest_items(engine: Engine, items: list[Item], sources: list[str], workers: int | None = None,
                 progress: Progress | None = None, limits: Limits | None = None) -> Summary:
    """Store every item not stored yet; returns the summary (the run is recorded in ``ingest_runs``).

    Items are read in watched processes within ``limits`` (default: the environment's). Runs
    left unfinished by an earlier ingest (killed during its last step, the peers' refresh) are
    finished here: their agencies' collection checks are redone with this run's.
    """
    version = parser_version()
    unfinished = _unfinished_runs(engine)
    run_id = _start_run(engine, sources, version)
    summary = Summary(run_id=run_id, total=len(items))
    todo, known = _resume(engine, items, summary, progress)
    writer = Writer(engine, run_id, version)
    status = "interrupted"
    try:
        for batch in batches(run_items(todo, workers or default_workers(), known, limits)):
            for outcome in writer.write(batch):
                summary.add(outcome)
                if progress:
                    progress(outcome)
        if unfinished:
            writer.touched |= _agencies_of_runs(engine, unfinished)
        writer.finish()
        if unfinished:
            _close_unfinished(engine, unfinished)
            summary.unfinished_runs = unfinished
        status = "completed"
    finally:
        writer.close()
        _finish_run(engine, run_id, status, summary)
    return summary


def batches(results: Iterator[Parsed], size: int = BATCH_SIZE, seconds: float = BATCH_SECONDS) -> Iterator[list[Parsed]]:
    """Group results into batches of ``size``, or fewer when ``seconds`` have passed since the first."""
    batch: list[Parsed] = []
    started = time.monotonic()
    for parsed in results:
        if not batch:
            started = time.monotonic()
        batch.append(parsed)
        if len(batch) >= size or time.monotonic() - started >= seconds:
            yield batch
            batch = []
    if batch:
        yield batch


def _resume(engine: Engine, items: list[Item], summary: Summary,
            progress: Progress | None) -> tuple[list[Item], frozenset[str]]:
    """Leave out files stored before (same path, size and mtime); the sha256 of every stored file."""
    i, d = schema.IngestItem, schema.Document
    with engine.connect() as conn:
        done = {(row.source, row.size, row.mtime): row.report_id for row in conn.execute(
            select(i.source, i.size, i.mtime, i.report_id).where(i.status.in_(("ok", "skipped")),
                                                                  i.report_id.is_not(None)))}
        known = frozenset(conn.execute(select(d.sha256)).scalars())
    todo: list[Item] = []
    for item in items:
        report_id = done.get((item.source, item.size, item.mtime)) if item.size is not None else None
        if report_id is None:
            todo.append(item)
            continue
        outcome = Outcome(item.source, "skipped", report_id)
        summary.add(outcome)
        if progress:
            progress(outcome)
    return todo, known


def _unfinished_runs(engine: Engine) -> list[int]:
    """Runs that never ended: their process was killed (a run ended by Ctrl-C or an error says "interrupted")."""
    run = schema.IngestRun
    with engine.connect() as conn:
        return list(conn.execute(select(run.id).where(run.status == "running").order_by(run.id)).scalars())


def _agencies_of_runs(engine: Engine, run_ids: list[int]) -> set[int]:
    """The agencies of the reports these runs stored (their collection checks may be stale)."""
    i, r = schema.IngestItem, schema.Report
    with engine.connect() as conn:
        found = conn.execute(select(r.agency_id).distinct().join(i, i.report_id == r.id)
                             .where(i.run_id.in_(run_ids), i.status == "ok", r.agency_id.is_not(None))).scalars()
        return {a for a in found if a is not None}


def _close_unfinished(engine: Engine, run_ids: list[int]) -> None:
    """Mark runs found unfinished as interrupted (their collection checks are now current)."""
    run = schema.IngestRun
    with writing(engine) as conn:
        conn.execute(update(run).where(run.id.in_(run_ids), run.status == "running").values(status="interrupted"))


def _start_run(engine: Engine, sources: list[str], version: str) -> int:
    with writing(engine) as conn:
        return int(conn.execute(insert(schema.IngestRun).values(
            started_at=datetime.now(UTC), status="running", sources=sources[:1000], parser_version=version,
            ok=0, skipped=0, failed=0).returning(schema.IngestRun.id)).scalar_one())


def _finish_run(engine: Engine, run_id: int, status: str, summary: Summary) -> None:
    """Close the run; the files skipped without reading count too (the batches counted the rest)."""
    run = schema.IngestRun
    with writing(engine) as conn:
        conn.execute(update(run).where(run.id == run_id).values(
            status=status, finished_at=datetime.now(UTC), ok=summary.ok, skipped=summary.skipped,
            failed=summary.failed))
