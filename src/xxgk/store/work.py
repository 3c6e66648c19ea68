"""The worker side of ingest and reparse: an item → its parsed and checked reports (or a Chinese error).

A file holds one report, or several (a 汇编): each is read from its own text and stored as a report.

Items are read in watched processes (``xxgk.guard``): each has a wall-clock deadline and a
memory limit, and a document that runs over is killed with its process and becomes a failed
item (读取超时, 内存超限) while the rest of the batch goes on. No database in the workers,
only reading, parsing and checking; the parent writes. ``run_items`` yields results in
completion order and keeps at most a few items per worker in flight, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import xxgk
from xxgk.guard import DEFAULT_FETCH_SECONDS, Limits, WatchedPool
from xxgk.read import MAX_BYTES, Document, ReadError
from xxgk.read.files import regular_file_bytes
from xxgk.store.rows import ReportRows, report_rows
from xxgk.store.sources import Item

if TYPE_CHECKING:  # httpx is loaded only when an address is read
    from xxgk.model import Report
    from xxgk.read.fetch import Recorded
    from xxgk.read.fetch_http import FetchLimits

# Files up to this size keep their bytes in the store (for reparse); larger ones keep their path.
MAX_STORED_BYTES = int(os.environ.get("XXGK_STORE_MAX_BYTES", str(20 * 1024 * 1024)))
# In flight per worker: enough to keep the workers parsing while the parent writes a batch
# (``ingest.BATCH_SIZE``), within a memory budget: results come back with the file's bytes.
_WINDOW = 64
_WINDOW_BYTES = 256 * 1024 * 1024
_UNKNOWN_SIZE = 1024 * 1024  # a web address, counted before it is fetched

# sha256 of the files already stored, handed to each worker at start: those are not parsed again.
_known: frozenset[str] = frozenset()


@dataclass(slots=True)
class Parsed:
    """What a worker made of one item: ``status`` ok (with the ``parts``' rows: one per report the file holds),
    skipped (already stored) or failed."""

    item: Item
    status: str
    sha256: str | None = None
    name: str = ""
    format: str = ""
    size: int | None = None
    content: bytes | None = None
    parts: list[ReportRows] = field(default_factory=list)
    error: str | None = None


def set_known(known: frozenset[str]) -> None:
    """Tell this process which files are already stored (a worker's initializer)."""
    global _known
    _known = known


def parse_item(item: Item) -> Parsed:
    """Read, parse and check one item (in a watched process); a ReadError says why it cannot be read."""
    if item.problem:
        return Parsed(item, "failed", error=item.problem)
    return _parse(item)


def failed(item: Item, err: BaseException) -> Parsed:
    """An item whose reading ended in ``err``: a failed result with the reason in Chinese."""
    if isinstance(err, ReadError):
        return Parsed(item, "failed", error=str(err))
    # A bug must not stop the run; the item records it.
    return Parsed(item, "failed", error=f"内部错误：{_label(item)}：处理失败（{type(err).__name__}: {err}），请报告此问题")


def _parse(item: Item) -> Parsed:
    if item.reports:
        return _checked_already(item, item.reports)
    if item.is_url:
        return _parse_url(item)
    raw = item.content if item.content is not None else _read_file(Path(item.source))
    sha = hashlib.sha256(raw).hexdigest()
    name = Path(item.source).name
    if item.report_id is None and sha in _known:
        return Parsed(item, "skipped", sha256=sha, name=name, size=len(raw))
    reports = xxgk.parse_all(raw, name)
    return Parsed(item, "ok", sha256=sha, name=name, format=reports[0].source.format, size=len(raw),
                  content=raw if len(raw) <= MAX_STORED_BYTES else None, parts=_rows(reports))


def _checked_already(item: Item, reports: tuple[Report, ...]) -> Parsed:
    """A document's reports read and checked before (on the web): stored as they are, nothing read or fetched again."""
    source = reports[0].source
    if item.report_id is None and source.sha256 in _known:
        return Parsed(item, "skipped", sha256=source.sha256, name=source.name)
    raw = item.content
    size = len(raw) if raw is not None else None
    return Parsed(item, "ok", sha256=source.sha256, name=source.name[:500], format=source.format, size=size,
                  content=raw if raw is not None and len(raw) <= MAX_STORED_BYTES else None,
                  parts=_rows(list(reports)))


def _rows(reports: list[Report]) -> list[ReportRows]:
    """The rows of each report a file holds."""
    return [report_rows(report.to_dict()) for report in reports]


def _parse_url(item: Item) -> Parsed:
    """A web address: read with ``xxgk.parse.source`` (its bytes are not kept: reparse fetches again)."""
    doc = _fetch(item.source, item.fetch_limits, item.recorded)
    doc.listed_published = item.listed
    if item.report_id is None and doc.sha256 in _known:
        return Parsed(item, "skipped", sha256=doc.sha256, name=doc.name)
    reports = xxgk.parse_document_all(doc)
    return Parsed(item, "ok", sha256=doc.sha256, name=doc.name[:500], format=reports[0].source.format,
                  size=len(doc.text.encode("utf-8")), content=None, parts=_rows(reports))


def _fetch(url: str, limits: FetchLimits | None, recorded: tuple[Recorded, ...] | None = None) -> Document:
    """The Document at a web address (the adapter to the reader of web pages, if installed)."""
    try:
        from xxgk.parse.source import read_url
    except ImportError as err:
        raise ReadError(f"暂不支持读取网址：{url}") from err
    return read_url(url, limits, recorded)


def _read_file(path: Path) -> bytes:
    """The bytes of a report file: a regular file (after links) within the reader's size limit."""
    return regular_file_bytes(path, MAX_BYTES)


def _weight(item: Item) -> int:
    """What an item in flight may hold in memory: its file's size."""
    if item.content is not None:
        return len(item.content)
    return item.size if item.size is not None else _UNKNOWN_SIZE


def _label(item: Item) -> str:
    return item.source if item.is_url else Path(item.source).name


def _seconds(item: Item, limits: Limits) -> float:
    """An item's time limit: the pool's, plus the download's deadline for a web address."""
    if not item.is_url:
        return limits.seconds
    return limits.seconds + (item.fetch_limits.deadline if item.fetch_limits is not None else DEFAULT_FETCH_SECONDS)


def run_items(items: Iterable[Item], workers: int, known: frozenset[str], limits: Limits | None = None) -> Iterator[Parsed]:
    """Parse items in ``workers`` watched processes within ``limits``; results in completion order.

    ``limits`` default to the environment's (``XXGK_READ_SECONDS``, …); trusted limits parse in
    this process, one item after another.
    """
    limits = limits or Limits.from_environment()
    pool = WatchedPool(limits, workers, initializer=set_known, initargs=(known,), preload=(__name__,))
    try:
        for item, result in pool.map_unordered(
                parse_item, items, window=workers * _WINDOW, seconds=lambda i: _seconds(i, limits), label=_label,
                weight=_weight, max_weight=_WINDOW_BYTES):
            yield failed(item, result) if isinstance(result, BaseException) else result
    finally:
        pool.close()
        if limits.trusted:
            set_known(frozenset())
