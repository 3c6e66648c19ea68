"""A web address → the Document of the report published there: the page, or its attachment.

The page is read first. When it holds the statutory tables it is the report. Otherwise (a
short notice, tables only in a file) its attachments are fetched, likeliest first, and the
one that reads best as the report is taken; the page's title and publication date lines are
put before the attachment's text, because an attached PDF or Word file has neither the date
the page was published nor, sometimes, a title.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from dataclasses import dataclass
from urllib.parse import urljoin

from xxgk.model import Report
from xxgk.read.document import Document, Line, ReadError
from xxgk.read.encoding import decode
from xxgk.read.fetch_charset import bytes_for_reader
from xxgk.read.fetch_http import Fetched, Fetcher, FetchLimits, check_url, shown
from xxgk.read.fetch_links import Attachment, attachment_links
from xxgk.read.html import declared_charset

__all__ = ["FetchLimits", "PageImages", "read_url"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Where a page's publication date is looked for (the meta reader looks as far).
_DATE_LINES = 80


def read_url(url: str, limits: FetchLimits | None = None) -> Document:
    """Turn a web address into the Document of the report there (the page or its attached file)."""
    url = url.strip()
    check_url(url)
    with Fetcher(limits or FetchLimits()) as fetcher:
        return _read_page(fetcher, url, fetcher.get(url))


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A document read from the page or an attachment, with how much of a report it holds."""

    doc: Document
    report: Report | None
    fetched: Fetched

    @property
    def score(self) -> tuple[int, int]:
        """Statutory tables read, then statutory sections found; (0, 0) for no report."""
        if self.report is None:
            return (0, 0)
        tables = sum(t is not None for t in self.report.tables.values())
        return (tables, sum(s.present for s in self.report.sections.values()))


def _read_page(fetcher: Fetcher, url: str, page: Fetched) -> Document:
    """Turn a downloaded page into the report's Document, following attachments when needed."""
    raw = bytes_for_reader(page.body, page.media_type, page.charset)
    own: _Candidate | None = None
    error: ReadError | None = None
    try:
        own = _candidate(raw, url, page)
    except ReadError as err:
        error = err
    is_page = own.doc.format == "html" if own is not None else page.media_type in _HTML_TYPES
    if own is not None and not is_page:
        return _named(own.doc, url, page.body)
    links = attachment_links(_page_html(raw), page.url) if is_page else []
    if own is not None and (own.score[0] > 0 or not links):
        return _page_with_images(fetcher, url, page, raw, [])
    notes: list[str] = []
    best: tuple[_Candidate, Attachment] | None = None
    if own is not None and own.score[1] > 0:
        # The page is a report whose tables did not read (pictures): only a file named as the
        # report may hold them, other attachments (forms, guides) are not worth fetching.
        links = [a for a in links if a.rank[0] > 0]
    for attachment in links[: fetcher.limits.max_attachments]:
        candidate = _attachment(fetcher, attachment, notes)
        if candidate is not None and (best is None or candidate.score > best[0].score):
            best = (candidate, attachment)
        if best is not None and best[0].score[0] > 0:
            break
    if best is not None and (own is None or best[0].score > own.score):
        return _from_attachment(url, best[0], best[1], own, notes)
    if own is None:
        raise ReadError(" ".join([str(error), *notes]))
    return _page_with_images(fetcher, url, page, raw, notes)


def _candidate(raw: bytes, name: str, fetched: Fetched) -> _Candidate:
    """Turn downloaded bytes into a Document and the report the parser finds in it (if any)."""
    # Imported here: the parser itself depends on this package.
    from xxgk.parse.report import parse_document
    from xxgk.read import read_bytes

    doc = read_bytes(raw, name)
    try:
        report: Report | None = parse_document(doc)
    except ReadError:
        report = None
    return _Candidate(doc, report, fetched)


def _attachment(fetcher: Fetcher, attachment: Attachment, notes: list[str]) -> _Candidate | None:
    """Turn an attachment link into a read candidate, or None with a note saying why not."""
    where = f"{attachment.label}（{shown(attachment.url)}）"
    try:
        fetched = fetcher.get(attachment.url)
        raw = bytes_for_reader(fetched.body, fetched.media_type, fetched.charset)
        candidate = _candidate(raw, attachment.url, fetched)
    except ReadError as err:
        notes.append(f"附件无法读取：{where}：{err}")
        return None
    if candidate.report is None:
        notes.append(f"附件不是政府信息公开工作年度报告：{where}")
    return candidate


def _page_html(raw: bytes) -> str:
    """Turn page bytes into its HTML text for finding links ("" when it is not text)."""
    try:
        return decode(raw, declared_charset(raw))
    except ReadError:
        return ""


def _page_with_images(fetcher: Fetcher, url: str, page: Fetched, raw: bytes, notes: list[str]) -> Document:
    """Read the page as the report, its images fetched for the reader (tables as pictures)."""
    from xxgk.read import read_bytes

    images = PageImages(fetcher, page.url)
    doc = read_bytes(raw, url, images=images)
    doc.notes.extend([*notes, *images.notes()])
    return _named(doc, url, page.body)


def _named(doc: Document, url: str, body: bytes) -> Document:
    """Give a Document the address it was read from and the hash of the bytes downloaded."""
    return dataclasses.replace(doc, name=url, sha256=hashlib.sha256(body).hexdigest())


def _from_attachment(
    url: str, chosen: _Candidate, attachment: Attachment, page: _Candidate | None, notes: list[str]
) -> Document:
    """Turn the chosen attachment into the report's Document, headed by the page's title and date."""
    header = _page_header(page, need_title=chosen.report is None or chosen.report.meta.title is None)
    doc = _prepend(chosen.doc, header)
    doc = _named(doc, url, chosen.fetched.body)
    reason = "网页本身没有统计表格" if page is not None else "网页本身无法读取"
    doc.remarks.insert(0, f"{reason}，报告内容读自附件：{attachment.label}（{shown(attachment.url)}）")
    doc.notes[:0] = notes
    return doc


def _page_header(page: _Candidate | None, need_title: bool) -> list[str]:
    """Turn the page into the lines worth keeping above an attachment: its title and date lines."""
    if page is None:
        return []
    from xxgk.parse.meta import find_published, read_meta
    from xxgk.parse.normalize import normalize

    # The page's own meta, found as for a report (a notice page need not look like one).
    meta = read_meta(page.doc, normalize(page.doc.text))
    lines = [line.text for line in page.doc.lines]
    header: list[str] = []
    if need_title and meta.title:
        wanted = "".join(meta.title.split())
        header += [line for line in lines if wanted in "".join(line.split())][:1]
    if meta.published:
        header += [
            line for line in lines[:_DATE_LINES] if find_published([normalize(line)]) == meta.published
        ][:1]
    return header


def _prepend(doc: Document, header: list[str]) -> Document:
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
