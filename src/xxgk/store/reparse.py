"""Reparse: stored reports made by an older parser → parsed again from their stored bytes.

A file is parsed again as a whole: each report it holds (one, or each of a 汇编's) is replaced in place
(same id, same document, same part), columns, cells and report findings in one transaction per batch, then the collection findings of the agencies involved. A file
whose bytes were not kept (too large, or a web page) is read again from where it came from,
and only if it is still the same file (same sha256).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from xxgk.db import store_schema as schema
from xxgk.guard import Limits
from xxgk.parse.version import parser_version, version_key
from xxgk.store.ingest import Progress, Summary, batches, default_workers
from xxgk.store.sources import Item
from xxgk.store.work import Parsed, run_items
from xxgk.store.write import Outcome, Writer

_CHUNK = 64


def outdated_reports(engine: Engine, everything: bool = False) -> list[int]:
    """The reports an older parser made (all of them with ``everything``): the first of each file, which stands
    for the file (its reports are parsed together)."""
    current = version_key(parser_version())
    r = schema.Report
    with engine.connect() as conn:
        rows = conn.execute(select(r.id, r.parser_version).where(r.part == 0).order_by(r.id)).all()
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
    """The files of these stored reports as items to parse, with their bytes (read a chunk at a time); each file
    once, as its first report."""
    r, d = schema.Report, schema.Document
    first = aliased(r)
    seen: set[int] = set()
    for start in range(0, len(report_ids), _CHUNK):
        with engine.connect() as conn:
            rows = conn.execute(select(first.id, d.origin, d.content).join(d, d.id == first.document_id)
                                .join(r, r.document_id == d.id).where(first.part == 0)
                                .where(r.id.in_(report_ids[start:start + _CHUNK]))
                                .order_by(first.id)).all()
        for report_id, origin, content in rows:
            if report_id not in seen:
                seen.add(report_id)
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
