"""What a user hands the check page (a file, a web address, pasted text) → a checked report.

The reader is chosen from the bytes, never from the file's name. Web addresses are fetched with
private addresses refused (the server's own network is not for strangers to probe).
"""

from __future__ import annotations

import re

import xxgk
from xxgk.parse.source import read_url
from xxgk.read import Document, ReadError, read_bytes
from xxgk.read.document import DocumentBuilder
from xxgk.read.fetch_http import FetchLimits
from xxgk.web.cache import Checked

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff（）()]+")


def safe_name(name: str | None, default: str) -> str:
    """A file name fit to show and store: no path, no control characters, bounded length."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).strip("._")[:120]
    return cleaned or default


def checked_upload(raw: bytes, name: str | None, limit: int) -> Checked:
    """An uploaded file → its checked report (ReadError in Chinese when it cannot be read)."""
    if not raw:
        raise ReadError("上传的文件是空的")
    if len(raw) > limit:
        raise ReadError(f"文件过大（超过 {limit // (1024 * 1024)} MB）")
    shown = safe_name(name, "上传的报告")
    return _checked(read_bytes(raw, shown), raw)


def checked_text(text: str, limit: int) -> Checked:
    """Pasted text → its checked report."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("粘贴的文字是空的")
    if len(text) > limit:
        raise ReadError(f"粘贴的文字过长（超过 {limit} 个字符）")
    raw = text.encode("utf-8")
    builder = DocumentBuilder()
    builder.add_text(text)
    return _checked(builder.build("粘贴的文字.txt", "text", raw), raw)


def checked_url(url: str, limits: FetchLimits) -> Checked:
    """A web address → the checked report published there (page or attachment)."""
    url = url.strip()
    if not url:
        raise ReadError("请填写网址")
    return _checked(read_url(url, limits), None, url)


def _checked(doc: Document, raw: bytes | None, url: str | None = None) -> Checked:
    return Checked(xxgk.parse_document(doc), doc.text, doc.name, raw, url)
