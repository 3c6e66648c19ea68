"""A web address → the page read as a Document, and the files it attaches, fetched on demand.

The reader knows documents, not reports: which of the page and its attachments holds the
report is decided by the parser (``xxgk.parse.source``), which asks for attachments one by one,
likeliest first, and may stop early. The page's title and publication date lines can be put
before an attachment's text, because an attached PDF or Word file has neither the date the
page was published nor, sometimes, a title.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from xxgk.read import read_bytes
from xxgk.read.document import Document, Line, ReadError
from xxgk.read.encoding import decode
from xxgk.read.fetch_charset import bytes_for_reader
from xxgk.read.fetch_http import Fetched, Fetcher, FetchLimits, check_url, shown
from xxgk.read.fetch_links import Attachment, attachment_links
from xxgk.read.html import declared_charset

__all__ = ["Download", "FetchLimits", "Page", "PageImages", "Recorded", "fetch_page", "offline_transport"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@contextmanager
def fetch_page(url: str, limits: FetchLimits | None = None,
               recorded: tuple[Recorded, ...] | None = None) -> Iterator[Page]:
    """Turn a web address into its downloaded Page; attachments can be fetched while it is open.

    With ``recorded`` responses (downloaded before, by a harvest), nothing goes to the network:
    the page, its attachments and images are read from them, and what is not among them is missing.
    """
    url = url.strip()
    check_url(url)
    transport = offline_transport(recorded) if recorded is not None else None
    with Fetcher(limits or FetchLimits(), transport=transport) as fetcher:
        yield Page(fetcher, url, fetcher.get(url))


@dataclass(frozen=True, slots=True)
class Recorded:
    """A response downloaded before: the address asked for, and its body or where it redirected."""

    url: str
    media_type: str = ""
    charset: str | None = None
    body: bytes = b""
    location: str | None = None  # a redirect to this address (status 302)
    error: str | None = None  # why it was not downloaded (robots.txt, the server's answer): said, not a 404


def offline_transport(recorded: tuple[Recorded, ...]) -> httpx.MockTransport:
    """An HTTP transport answering from recorded responses (404 for anything else); no network. An address
    recorded as not downloaded fails with the reason it was not (the site did not answer 404)."""
    by_url = {r.url: r for r in recorded}

    def answer(request: httpx.Request) -> httpx.Response:
        found = by_url.get(str(request.url))
        if found is None:
            return httpx.Response(404, request=request)
        if found.error is not None:
            raise ReadError(f"采集时未能下载：{found.error}")
        if found.location is not None:
            return httpx.Response(302, headers={"Location": found.location}, request=request)
        kind = found.media_type + (f"; charset={found.charset}" if found.charset else "")
        return httpx.Response(200, headers={"Content-Type": kind} if kind else {}, content=found.body,
                              request=request)

    return httpx.MockTransport(answer)


@dataclass(frozen=True, slots=True)
class Download:
    """A document read from downloaded bytes, with the download it came from."""

    doc: Document
    fetched: Fetched


class Page:
    """A downloaded page: its own Document (None if it does not read), and the files it links."""

    def __init__(self, fetcher: Fetcher, url: str, fetched: Fetched) -> None:
        self.url = url
        self.fetched = fetched
        self._fetcher = fetcher
        self._raw = bytes_for_reader(fetched.body, fetched.media_type, fetched.charset)
        self.doc: Document | None = None
        self.error: ReadError | None = None
        try:
            self.doc = read_bytes(self._raw, url)
        except ReadError as err:
            self.error = err
        # A web page (rather than a file served at the address) may attach the report.
        self.is_page = self.doc.format == "html" if self.doc is not None else fetched.media_type in _HTML_TYPES
        self.attachments = attachment_links(_page_html(self._raw), fetched.url) if self.is_page else []

    @property
    def max_attachments(self) -> int:
        """How many attachments may be fetched for one address."""
        return self._fetcher.limits.max_attachments

    def named(self, doc: Document) -> Document:
        """Give a Document read from the page the page's address and the hash of its bytes."""
        return _named(doc, self.url, self.fetched.body)

    def read_attachment(self, attachment: Attachment, notes: list[str]) -> Download | None:
        """Turn an attachment link into its read Document, or None with a note saying why not."""
        try:
            fetched = self._fetcher.get(attachment.url)
            raw = bytes_for_reader(fetched.body, fetched.media_type, fetched.charset)
            return Download(read_bytes(raw, attachment.url), fetched)
        except ReadError as err:
            notes.append(f"附件无法读取：{attachment_where(attachment)}：{err}")
            return None

    def with_images(self, notes: list[str]) -> Document:
        """Read the page as the report, its images fetched for the reader (tables as pictures)."""
        images = PageImages(self._fetcher, self.fetched.url)
        doc = read_bytes(self._raw, self.url, images=images)
        doc.notes.extend([*notes, *images.notes()])
        return self.named(doc)

    def from_attachment(
        self, chosen: Download, attachment: Attachment, header: list[str], notes: list[str]
    ) -> Document:
        """Turn the chosen attachment into the report's Document, headed by the given lines of the page."""
        doc = prepend_lines(chosen.doc, header)
        doc = _named(doc, self.url, chosen.fetched.body)
        if self.doc is not None:  # the page published the attachment: its titles and stamp are the report's
            doc.page_title = doc.page_title or self.doc.page_title
            doc.page_article_title = doc.page_article_title or self.doc.page_article_title
            doc.page_published = doc.page_published or self.doc.page_published
        reason = "网页本身没有统计表格" if self.doc is not None else "网页本身无法读取"
        doc.remarks.insert(0, f"{reason}，报告内容读自附件：{attachment_where(attachment)}")
        doc.notes[:0] = notes
        return doc


def attachment_where(attachment: Attachment) -> str:
    """Name an attachment for a message: its label and (shortened) address."""
    return f"{attachment.label}（{shown(attachment.url)}）"


def _page_html(raw: bytes) -> str:
    """Turn page bytes into its HTML text for finding links ("" when it is not text)."""
    try:
        return decode(raw, declared_charset(raw))
    except ReadError:
        return ""


def _named(doc: Document, url: str, body: bytes) -> Document:
    """Give a Document the address it was read from and the hash of the bytes downloaded."""
    return dataclasses.replace(doc, name=url, sha256=hashlib.sha256(body).hexdigest())


def prepend_lines(doc: Document, header: list[str]) -> Document:
    """Turn a Document into one whose text starts with the given lines, offsets kept consistent."""
    if not header:
        return doc
    head = "".join(line + "\n" for line in header)
    shift, count = len(head), len(header)
    lines: list[Line] = []
    offset = 0
    for number, text in enumerate(header, start=1):
        lines.append(Line(text=text, offset=offset, number=number))
        offset += len(text) + 1
    for line in doc.lines:
        lines.append(dataclasses.replace(
            line,
            offset=line.offset + shift,
            number=line.number + count,
            cell_offsets=tuple(o + shift for o in line.cell_offsets) if line.cell_offsets is not None else None,
        ))
    return dataclasses.replace(doc, text=head + doc.text, lines=lines, notes=list(doc.notes),
                               remarks=list(doc.remarks))


class PageImages:
    """Resolves a page's image references to their bytes over HTTP, within the read's limits."""

    def __init__(self, fetcher: Fetcher, page_url: str) -> None:
        self._fetcher = fetcher
        self._base = page_url
        self._seen: dict[str, bytes | None] = {}
        self._failures: list[str] = []
        self._skipped = 0

    def __call__(self, src: str) -> bytes | None:
        """Turn an ``<img src>`` value into the image's bytes, or None when it cannot be had."""
        limits = self._fetcher.limits
        src = src.strip()
        if src.startswith("data:"):
            return _data_uri(src, limits.max_image_bytes)
        url = urljoin(self._base, src)
        if url in self._seen:
            return self._seen[url]
        if len(self._seen) >= limits.max_images:
            self._skipped += 1
            return None
        body: bytes | None = None
        try:
            fetched = self._fetcher.get(url, max_bytes=limits.max_image_bytes)
            if fetched.media_type in _HTML_TYPES or fetched.media_type.startswith("text/"):
                raise ReadError(f"服务器返回的不是图片（{fetched.media_type}）：{shown(url)}")
            body = fetched.body
        except ReadError as err:
            self._failures.append(str(err))
        self._seen[url] = body
        return body

    def notes(self) -> list[str]:
        """Say (in Chinese) which images could not be had."""
        notes: list[str] = []
        if self._failures:
            more = f"等 {len(self._failures)} 张" if len(self._failures) > 1 else ""
            notes.append(f"网页图片无法下载{more}，其中的内容未能读取：{self._failures[0]}")
        if self._skipped:
            notes.append(f"网页中的图片超过 {self._fetcher.limits.max_images} 张，其余 {self._skipped} 张未下载")
        return notes


def _data_uri(src: str, limit: int) -> bytes | None:
    """Turn a ``data:`` image reference into its bytes (None if malformed or too large)."""
    header, _, payload = src.partition(",")
    if len(payload) > limit * 4 // 3 + 4:
        return None
    if not header.endswith(";base64"):
        return None
    try:
        return base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return None
