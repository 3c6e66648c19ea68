"""Reparse: stored reports made by an older parser → parsed again from their stored bytes.

Each report is replaced in place (same id, same document): columns, cells and report findings
in one transaction per batch, then the collection findings of the agencies involved. A file
whose bytes were not kept (too large, or a web page) is read again from where it came from,
and only if it is still the same file (same sha256).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select

from xxgk.db import store_schema as schema
from xxgk.guard import Limits
from xxgk.parse.version import parser_version, version_key
from xxgk.store.ingest import Progress, Summary, batches, default_workers
from xxgk.store.sources import Item
from xxgk.store.work import Parsed, run_items
from xxgk.store.write import Outcome, Writer

_CHUNK = 64


def outdated_reports(engine: Engine, everything: bool = False) -> list[int]:
    """The ids of the reports an older parser made (all of them with ``everything``)."""
    current = version_key(parser_version())
    r = schema.Report
    with engine.connect() as conn:
        rows = conn.execute(select(r.id, r.parser_version).order_by(r.id)).all()
    return [i for i, version in rows if everything or version_key(version) < current]


def reparse_reports(engine: Engine, report_ids: list[int], workers: int | None = None,
                    progress: Progress | None = None, limits: Limits | None = None) -> Summary:
    """Parse these stored reports again (in watched processes, within ``limits``) and replace what is stored for them."""
    summary = Summary(total=len(report_ids))
    writer = Writer(engine, None, parser_version())
    results = run_items(_items(engine, report_ids), workers or default_workers(), frozenset(), limits)
    try:
        for batch in batches(_checked(engine, results)):
            for outcome in writer.write(batch):
                summary.add(outcome)
                if progress:
                    progress(outcome)
        writer.finish()
    finally:
        writer.close()
    return summary


def _items(engine: Engine, report_ids: list[int]) -> Iterator[Item]:
    """The stored reports as items to parse, with their bytes (read a chunk at a time)."""
    r, d = schema.Report, schema.Document
    for start in range(0, len(report_ids), _CHUNK):
        with engine.connect() as conn:
            rows = conn.execute(select(r.id, d.origin, d.content).join(d, d.id == r.document_id)
                                .where(r.id.in_(report_ids[start:start + _CHUNK])).order_by(r.id)).all()
        for report_id, origin, content in rows:
            yield Item(origin, content=content, report_id=report_id)


def _checked(engine: Engine, results: Iterator[Parsed]) -> Iterator[Parsed]:
    """Refuse a re-read file that is no longer the one stored (its sha256 changed)."""
    r, d = schema.Report, schema.Document
    for parsed in results:
        if parsed.status == "ok" and parsed.item.content is None:
            with engine.connect() as conn:
                stored = conn.execute(select(d.sha256).join(r, r.document_id == d.id)
                                      .where(r.id == parsed.item.report_id)).scalar()
            if stored != parsed.sha256:
                parsed = Parsed(parsed.item, "failed", sha256=parsed.sha256,
                                error=f"原文件已改变或无法取得，未重新读取：{parsed.item.source}")
        yield parsed


__all__ = ["Outcome", "outdated_reports", "reparse_reports"]
