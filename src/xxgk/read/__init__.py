"""Reading documents into text lines and table cells (``read``)."""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from xxgk.read.beside import images_beside
from xxgk.read.document import Document, DocumentBuilder, ImageSource, Line, ReadError
from xxgk.read.files import regular_file_bytes
from xxgk.read.markdown import is_markdown_name, read_markdown
from xxgk.read.text import read_text

__all__ = ["Document", "DocumentBuilder", "ImageSource", "Line", "ReadError", "read", "read_bytes"]

MAX_BYTES = 50 * 1024 * 1024

Sniffer = Callable[[bytes], bool]
Reader = Callable[[bytes, str], Document]

_HTML_START = re.compile(r"\A\s*<")
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|tr|td|p|div|span|br|h[1-6])\b", re.I
)
_SNIFF_BYTES = 4096


def read(source: str | os.PathLike[str] | bytes, name: str | None = None) -> Document:
    """Turn a file path (or the bytes of a file) into a Document, whatever its format."""
    if isinstance(source, bytes):
        return read_bytes(source, name or "")
    path = Path(source)
    raw = regular_file_bytes(path, MAX_BYTES)
    # A web page's images are the files beside it (a page saved with its images).
    return read_bytes(raw, name or path.name, images_beside(path.parent))


# The readers of formats other than text import their libraries (pdfplumber, python-docx, Pillow,
# selectolax…) when first called: reading a text file loads none of them.


def read_html(raw: bytes, name: str, images: ImageSource | None = None) -> Document:
    """Read a web page (``xxgk.read.html``)."""
    from xxgk.read.html import read_html as read

    return read(raw, name, images)


def read_pdf(raw: bytes, name: str) -> Document:
    """Read a PDF (``xxgk.read.pdf``)."""
    from xxgk.read.pdf import read_pdf as read

    return read(raw, name)


def read_docx(raw: bytes, name: str) -> Document:
    """Read a Word file (``xxgk.read.docx``)."""
    from xxgk.read.docx import read_docx as read

    return read(raw, name)


def read_legacy_word(raw: bytes, name: str) -> Document:
    """Read a Word 97-2003 or WPS file (``xxgk.read.docx``, through LibreOffice)."""
    from xxgk.read.docx import read_legacy_word as read

    return read(raw, name)


def read_image(raw: bytes, name: str) -> Document:
    """Read a picture of a report (``xxgk.read.ocr``)."""
    from xxgk.read.ocr import read_image as read

    return read(raw, name)


def read_bytes(raw: bytes, name: str, images: ImageSource | None = None) -> Document:
    """Turn the bytes of a file into a Document, choosing the reader by content, not name.

    ``images`` resolves the images a web page refers to (``<img src>``) to their bytes.
    """
    if len(raw) > MAX_BYTES:
        raise ReadError(f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）：{name}")
    for sniff, reader in _READERS:
        if sniff(raw):
            # Only a web page refers to images outside itself.
            return read_html(raw, name, images) if reader is read_html else reader(raw, name)
    if is_markdown_name(name):  # text by its bytes, Markdown by its name
        return read_markdown(raw, name, images)
    return read_text(raw, name)


def _unsupported(kind: str) -> Reader:
    """Make a reader that refuses a format we cannot read yet (``kind``: "PDF 文件", ...)."""
    # A space between Chinese and Latin text, none between Chinese characters.
    message = "暂不支持读取" + (" " if kind[0].isascii() else "") + kind

    def refuse(raw: bytes, name: str) -> Document:
        raise ReadError(f"{message}：{name}")

    return refuse


def _read_zip(raw: bytes, name: str) -> Document:
    """Read a Word (DOCX) file; refuse other ZIP-based files, naming what they are (OFD, ...)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        # A damaged or truncated file: its local headers still name the parts it holds.
        names = ["word/"] if b"word/" in raw else []
    if any(n.startswith("word/") for n in names):
        return read_docx(raw, name)
    if any(n.upper().endswith("OFD.XML") for n in names):
        kind = "OFD 文件"
    elif any(n.startswith("xl/") for n in names):
        kind = "Excel（XLSX）文件"
    else:
        kind = "ZIP 压缩文件"
    return _unsupported(kind)(raw, name)


def _is_pdf(raw: bytes) -> bool:
    """Tell PDF bytes (the header may follow a little junk) from others."""
    return b"%PDF-" in raw[:1024]


def _is_zip(raw: bytes) -> bool:
    """Tell ZIP containers (DOCX, XLSX, OFD) from others."""
    return raw.startswith(b"PK\x03\x04")


def _is_ole2(raw: bytes) -> bool:
    """Tell OLE2 compound files (Word 97-2003 .doc, WPS .wps, .xls) from others."""
    return raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_image(raw: bytes) -> bool:
    """Tell PNG, JPEG, GIF, TIFF, BMP and WebP images from others."""
    return (
        raw.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*"))
        or (raw.startswith(b"RIFF") and raw[8:12] == b"WEBP")
        or (raw.startswith(b"BM") and raw[6:10] == b"\x00\x00\x00\x00")
    )


def _is_rtf(raw: bytes) -> bool:
    """Tell RTF documents from others."""
    return raw.lstrip().startswith(b"{\\rtf")


def _is_mht(raw: bytes) -> bool:
    """Tell MHT web archives (pages saved by IE or Word) from others."""
    head = raw[:_SNIFF_BYTES].lower()
    return head.lstrip().startswith((b"mime-version:", b"from:")) and b"multipart/related" in head


def _is_html(raw: bytes) -> bool:
    """Tell HTML pages from others: starts with ``<`` and has an HTML tag near the top."""
    head = _peek(raw)
    return bool(_HTML_START.match(head)) and bool(_HTML_TAG.search(head))


def _peek(raw: bytes) -> str:
    """Turn the start of a file into a string good enough to look for ASCII markup in."""
    head = raw[:_SNIFF_BYTES]
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


# Checked in order; the first match reads the file, plain text is the fallback.
# New readers (PDF, DOCX, ...) replace their ``_unsupported`` entry here.
_READERS: tuple[tuple[Sniffer, Reader], ...] = (
    (_is_pdf, read_pdf),
    (_is_zip, _read_zip),
    (_is_ole2, read_legacy_word),
    (_is_image, read_image),
    (_is_rtf, _unsupported("RTF 文件")),
    (_is_mht, _unsupported("MHT 网页存档文件")),
    (_is_html, read_html),
)
