"""The worker side of ingest and reparse: an item → its parsed and checked report (or a Chinese error).

Runs in worker processes (``ProcessPoolExecutor``, spawn): no database here, only reading,
parsing and checking; the parent writes. ``run_items`` yields results in completion order
and keeps at most a few items per worker in flight, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import xxgk
from xxgk.read import MAX_BYTES, Document, ReadError
from xxgk.store.rows import ReportRows, report_rows
from xxgk.store.sources import Item

if TYPE_CHECKING:  # httpx is loaded only when an address is read
    from xxgk.read.fetch import Recorded
    from xxgk.read.fetch_http import FetchLimits

# Files up to this size keep their bytes in the store (for reparse); larger ones keep their path.
MAX_STORED_BYTES = int(os.environ.get("XXGK_STORE_MAX_BYTES", str(20 * 1024 * 1024)))
# In flight per worker: enough to keep the workers parsing while the parent writes a batch
# (``ingest.BATCH_SIZE``), within a memory budget: results come back with the file's bytes.
_WINDOW = 64
_WINDOW_BYTES = 256 * 1024 * 1024
_UNKNOWN_SIZE = 1024 * 1024  # a web address, counted before it is fetched

# The most one document may take in a worker (a pathological file must not stall the run).
ITEM_SECONDS = float(os.environ.get("XXGK_INGEST_TIMEOUT", "300"))

# sha256 of the files already stored, handed to each worker at start: those are not parsed again.
_known: frozenset[str] = frozenset()
_in_worker = False


@dataclass(slots=True)
class Parsed:
    """What a worker made of one item: ``status`` ok (with its ``rows``), skipped (already stored) or failed."""

    item: Item
    status: str
    sha256: str | None = None
    name: str = ""
    format: str = ""
    size: int | None = None
    content: bytes | None = None
    rows: ReportRows | None = None
    error: str | None = None


def set_known(known: frozenset[str]) -> None:
    """Tell this process which files are already stored."""
    global _known
    _known = known


def start_worker(known: frozenset[str]) -> None:
    """A worker's initializer: the stored files, a time limit per item, and an end if the parent dies."""
    global _in_worker
    set_known(known)
    _in_worker = True
    signal.signal(signal.SIGALRM, _too_long)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


class _TooLong(BaseException):  # not an Exception: code that catches those must not swallow it
    """An item took longer than ``ITEM_SECONDS``."""


def _too_long(signum: int, frame: object) -> None:
    raise _TooLong


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (killed): its queues would keep it waiting forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def parse_item(item: Item) -> Parsed:
    """Read, parse and check one item; never raises (a failure is a ``failed`` result with its reason)."""
    if item.problem:
        return Parsed(item, "failed", error=item.problem)
    try:
        if _in_worker:  # a worker's own main thread: SIGALRM bounds the time one document may take
            signal.setitimer(signal.ITIMER_REAL, ITEM_SECONDS)
        return _parse_or_failed(item)
    except _TooLong:
        return Parsed(item, "failed", error=f"处理超时（超过 {ITEM_SECONDS:g} 秒）：{_label(item)}")
    finally:
        if _in_worker:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _parse_or_failed(item: Item) -> Parsed:
    """Parse one item, its errors turned into a ``failed`` result."""
    try:
        return _parse(item)
    except ReadError as err:
        return Parsed(item, "failed", error=str(err))
    except MemoryError:
        return Parsed(item, "failed", error=f"内存不足，无法处理：{_label(item)}")
    except Exception as err:  # a bug must not stop the run; the item records it
        return Parsed(item, "failed", error=f"内部错误：{_label(item)}：处理失败（{type(err).__name__}: {err}），请报告此问题")


def _parse(item: Item) -> Parsed:
    if item.is_url:
        return _parse_url(item)
    raw = item.content if item.content is not None else _read_file(Path(item.source))
    sha = hashlib.sha256(raw).hexdigest()
    name = Path(item.source).name
    if item.report_id is None and sha in _known:
        return Parsed(item, "skipped", sha256=sha, name=name, size=len(raw))
    report = xxgk.parse(raw, name)
    return Parsed(item, "ok", sha256=sha, name=name, format=report.source.format, size=len(raw),
                  content=raw if len(raw) <= MAX_STORED_BYTES else None, rows=report_rows(report.to_dict()))


def _parse_url(item: Item) -> Parsed:
    """A web address: read with ``xxgk.parse.source`` (its bytes are not kept: reparse fetches again)."""
    doc = _fetch(item.source, item.fetch_limits, item.recorded)
    if item.report_id is None and doc.sha256 in _known:
        return Parsed(item, "skipped", sha256=doc.sha256, name=doc.name)
    report = xxgk.parse_document(doc)
    return Parsed(item, "ok", sha256=doc.sha256, name=doc.name[:500], format=report.source.format,
                  size=len(doc.text.encode("utf-8")), content=None, rows=report_rows(report.to_dict()))


def _fetch(url: str, limits: FetchLimits | None, recorded: tuple[Recorded, ...] | None = None) -> Document:
    """The Document at a web address (the adapter to the reader of web pages, if installed)."""
    try:
        from xxgk.parse.source import read_url
    except ImportError as err:
        raise ReadError(f"暂不支持读取网址：{url}") from err
    return read_url(url, limits, recorded)


def _read_file(path: Path) -> bytes:
    """The bytes of a report file, with the reader's size limit and Chinese errors."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）：{path}")
        return path.read_bytes()
    except FileNotFoundError as err:
        raise ReadError(f"找不到文件：{path}") from err
    except IsADirectoryError as err:
        raise ReadError(f"不是文件：{path}") from err
    except OSError as err:
        raise ReadError(f"无法读取文件：{path}（{err.strerror or err}）") from err


def _weight(item: Item) -> int:
    """What an item in flight may hold in memory: its file's size."""
    if item.content is not None:
        return len(item.content)
    return item.size if item.size is not None else _UNKNOWN_SIZE


def _label(item: Item) -> str:
    return item.source if item.is_url else Path(item.source).name


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Let processes started meanwhile ignore Ctrl-C (inherited across exec): the parent stops them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_items(items: Iterable[Item], workers: int, known: frozenset[str]) -> Iterator[Parsed]:
    """Parse items, in ``workers`` processes (1: in this process); results in completion order."""
    if workers <= 1:
        set_known(known)
        try:
            yield from (parse_item(i) for i in items)
        finally:
            set_known(frozenset())
        return
    queue = iter(items)
    retry: list[Item] = []
    broken: set[str] = set()
    while True:
        lost: list[Item] = []
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=start_worker, initargs=(known,)) as pool:
            pending: dict[Future[Parsed], Item] = {}
            load = 0  # bytes of the items in flight
            try:
                while not lost:
                    with _children_ignore_sigint():  # workers start on submit
                        while len(pending) < workers * _WINDOW and (not pending or load < _WINDOW_BYTES):
                            nxt = retry.pop() if retry else next(queue, None)
                            if nxt is None:
                                break
                            pending[pool.submit(parse_item, nxt)] = nxt
                            load += _weight(nxt)
                    if not pending:
                        return
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        item = pending.pop(future)
                        load -= _weight(item)
                        try:
                            result = future.result()
                        except BrokenProcessPool:
                            lost.append(item)
                            continue
                        except Exception as err:  # could not be sent back (pickling): the item fails alone
                            result = Parsed(item, "failed", error=f"内部错误：{_label(item)}：处理失败（"
                                                                  f"{type(err).__name__}: {err}），请报告此问题")
                        yield result
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
        # A worker died (a crash in a native library): retry what was in flight in a fresh
        # pool; an item in flight when a pool broke twice fails on its own.
        for item in [*lost, *pending.values()]:
            if item.source in broken:
                yield Parsed(item, "failed", error=f"内部错误：{_label(item)}：处理进程异常退出，请报告此问题")
            else:
                broken.add(item.source)
                retry.append(item)
