"""What a user hands the check page (a file, a web address, pasted text) → a checked report.

Everything is read, fetched and parsed in a watched process (``xxgk.guard``): a hostile file is
killed at the time limit, or as soon as the client leaves, while the server answers others.
The reader is chosen from the bytes, never from the file's name. Web addresses are fetched with
private addresses refused (the server's own network is not for strangers to probe).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import anyio.from_thread
from fastapi import Request

from xxgk import guard
from xxgk.guard import ParsedDocument, WatchedPool
from xxgk.read import ReadError
from xxgk.read.fetch_http import FetchLimits
from xxgk.web.cache import Checked

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff（）()]+")


def safe_name(name: str | None, default: str) -> str:
    """A file name fit to show and store: no path, no control characters, bounded length."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).strip("._")[:120]
    return cleaned or default


def client_gone(request: Request) -> Callable[[], bool]:
    """Ask, from a view's worker thread, whether the client has gone (closed the page, timed out)."""

    def gone() -> bool:
        try:
            return bool(anyio.from_thread.run(request.is_disconnected))
        except RuntimeError:  # not in a worker thread of the server: cannot tell
            return False

    return gone


def checked_upload(raw: bytes, name: str | None, limit: int, reader: WatchedPool,
                   gone: Callable[[], bool] | None = None) -> Checked:
    """An uploaded file → its checked report (ReadError in Chinese when it cannot be read)."""
    if not raw:
        raise ReadError("上传的文件是空的")
    if len(raw) > limit:
        raise ReadError(f"文件过大（超过 {limit // (1024 * 1024)} MB）")
    shown = safe_name(name, "上传的报告")
    return _checked(guard.parse_bytes(raw, shown, pool=reader, gone=gone), raw)


def checked_text(text: str, limit: int, reader: WatchedPool, gone: Callable[[], bool] | None = None) -> Checked:
    """Pasted text → its checked report."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("粘贴的文字是空的")
    if len(text) > limit:
        raise ReadError(f"粘贴的文字过长（超过 {limit} 个字符）")
    return _checked(guard.parse_text(text, "粘贴的文字.txt", pool=reader, gone=gone), text.encode("utf-8"))


def checked_url(url: str, limits: FetchLimits, reader: WatchedPool, gone: Callable[[], bool] | None = None) -> Checked:
    """A web address → the checked report published there (page or attachment)."""
    url = url.strip()
    if not url:
        raise ReadError("请填写网址")
    return _checked(guard.parse_url(url, limits, pool=reader, gone=gone), None, url)


def _checked(done: ParsedDocument, raw: bytes | None, url: str | None = None) -> Checked:
    return Checked(done.report, done.text, done.name, raw, url, parts=done.parts)
