"""Untrusted documents read, parsed and checked in a watched process (``guard``).

Third-party readers (pdfminer, PDFium, python-docx, lxml, Lexbor, OpenCV, ONNX Runtime,
LibreOffice) can loop or explode on a hostile file; a limit checked between pages cannot stop
a loop inside one call. So the whole of ``xxgk.parse`` runs in a child process with a memory
limit it cannot raise and a wall-clock deadline the parent enforces by killing it
(``WatchedPool``). What comes back is the report, or a ``ReadError`` in Chinese:
读取超时, 内存超限, or the reader's own message.

>>> from xxgk import guard
>>> report = guard.parse("报告.pdf")                       # like xxgk.parse, within Limits()
>>> done = guard.parse_bytes(raw, "报告.pdf", pool=pool)   # the report and the document's text
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk._address import is_web_address
from xxgk.guard.limits import (
    Busy,
    Limits,
    LimitsError,
    MemoryExceeded,
    ReaderCrashed,
    ReadTimeout,
    Stopped,
)
from xxgk.guard.pool import WatchedPool

if TYPE_CHECKING:  # the readers are loaded in the watched process, not in the caller's
    from xxgk.model import Report
    from xxgk.read.document import Document
    from xxgk.read.fetch_http import FetchLimits

__all__ = [
    "PARSER_MODULES", "Busy", "Limits", "LimitsError", "MemoryExceeded", "ParsedDocument", "ReadTimeout", "ReaderCrashed", "Stopped",
    "WatchedPool", "parse", "parse_all", "parse_bytes", "parse_text", "parse_url", "shared_pool",
]

# What the tasks below load on their first call, for a child forked without them to import first.
PARSER_MODULES = ("xxgk.check", "xxgk.parse.report")

# A web address is fetched in the watched process too: its own download deadline comes on top.
DEFAULT_FETCH_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A checked report with the text and name of the document it was read from.

    ``report`` is what ``xxgk.parse`` reads (a 汇编's first report, with a finding naming the others);
    ``parts`` is every report the document holds as ``xxgk.parse_all`` reads them (what ingest stores).
    """

    report: Report
    text: str
    name: str
    parts: tuple[Report, ...]


def parse(source: str | os.PathLike[str] | bytes, name: str | None = None, *,
          pool: WatchedPool | None = None) -> Report:
    """``xxgk.parse`` in a watched process: a path, bytes or web address → its checked Report."""
    pool = pool or shared_pool()
    if isinstance(source, bytes):
        return parse_bytes(source, name or "", pool=pool).report
    if is_web_address(source):
        return pool.run(_source_to_report, source, None, seconds=pool.limits.seconds + DEFAULT_FETCH_SECONDS,
                        label=source.strip())
    path = os.fspath(source)
    return pool.run(_source_to_report, path, name, label=name or Path(path).name)


def parse_all(source: str | os.PathLike[str], name: str | None = None, *,
              pool: WatchedPool | None = None) -> list[Report]:
    """``xxgk.parse_all`` in a watched process: a path or web address → every report it holds, checked."""
    pool = pool or shared_pool()
    if is_web_address(source):
        return pool.run(_source_to_reports, source, None, seconds=pool.limits.seconds + DEFAULT_FETCH_SECONDS,
                        label=source.strip())
    path = os.fspath(source)
    return pool.run(_source_to_reports, path, name, label=name or Path(path).name)


def parse_bytes(raw: bytes, name: str, *, pool: WatchedPool | None = None,
                gone: Callable[[], bool] | None = None) -> ParsedDocument:
    """The bytes of a file → its checked report and text, read in a watched process.

    ``gone()`` is asked now and then while waiting; once true the reading is stopped (``Stopped``).
    """
    pool = pool or shared_pool()
    return pool.run(_bytes_to_parsed, raw, name, label=name, gone=gone)


def parse_text(text: str, name: str, *, pool: WatchedPool | None = None,
               gone: Callable[[], bool] | None = None) -> ParsedDocument:
    """A report given as text → its checked report, parsed in a watched process."""
    pool = pool or shared_pool()
    return pool.run(_text_to_parsed, text, name, label=name, gone=gone)


def parse_url(url: str, limits: FetchLimits | None = None, *, pool: WatchedPool | None = None,
              gone: Callable[[], bool] | None = None) -> ParsedDocument:
    """A web address → the checked report published there, fetched and read in a watched process.

    The time limit is the download's deadline plus the pool's time to read.
    """
    pool = pool or shared_pool()
    fetching = limits.deadline if limits is not None else DEFAULT_FETCH_SECONDS
    return pool.run(_url_to_parsed, url, limits, seconds=pool.limits.seconds + fetching, label=url.strip(), gone=gone)


# --- what the watched process runs (module functions: they travel by name) -------------------


def _source_to_report(source: str, name: str | None = None) -> Report:
    import xxgk

    return xxgk.parse(source, name)


def _source_to_reports(source: str, name: str | None = None) -> list[Report]:
    import xxgk

    return xxgk.parse_all(source, name)


def _parsed(doc: Document) -> ParsedDocument:
    import xxgk

    parts = tuple(xxgk.parse_document_all(doc))
    # One report: the same as parse_document's; a 汇编's first is read again with its compilation finding.
    report = parts[0] if len(parts) == 1 else xxgk.parse_document(doc)
    return ParsedDocument(report, doc.text, doc.name, parts)


def _bytes_to_parsed(raw: bytes, name: str) -> ParsedDocument:
    from xxgk.read import read_bytes

    return _parsed(read_bytes(raw, name))


def _text_to_parsed(text: str, name: str) -> ParsedDocument:
    from xxgk.read.document import DocumentBuilder

    builder = DocumentBuilder()
    builder.add_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return _parsed(builder.build(name, "text", text.encode("utf-8")))


def _url_to_parsed(url: str, limits: FetchLimits | None) -> ParsedDocument:
    from xxgk.parse.source import read_url

    return _parsed(read_url(url, limits))


# --- one pool per process for callers that do not keep their own ------------------------------

_shared: WatchedPool | None = None
_shared_lock = threading.Lock()


def shared_pool(limits: Limits | None = None) -> WatchedPool:
    """This process's pool of one watched process (limits from the environment the first time)."""
    global _shared
    with _shared_lock:
        wanted = limits or (_shared.limits if _shared is not None else Limits.from_environment())
        if _shared is None or _shared.limits != wanted:
            if _shared is not None:
                _shared.close()
            _shared = WatchedPool(wanted, workers=1)
        return _shared


@atexit.register
def _close_shared() -> None:
    if _shared is not None:
        _shared.close()
