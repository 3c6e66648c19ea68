"""A web address → the Document of the report published there: the page, or its attachment.

The page is read first. When it holds the statutory tables it is the report. Otherwise (a
short notice, tables only in a file) its attachments are fetched, likeliest first, and the
one that reads best as the report is taken; the page's title and publication date lines are
put before the attachment's text, because an attached PDF or Word file has neither the date
the page was published nor, sometimes, a title.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.model import Report
from xxgk.parse.meta import find_published, read_meta
from xxgk.parse.normalize import normalize
from xxgk.parse.report import parse_document
from xxgk.read.document import Document, ReadError
from xxgk.read.fetch import Download, FetchLimits, Page, Recorded, attachment_where, fetch_page
from xxgk.read.fetch_links import Attachment

__all__ = ["FetchLimits", "read_url", "report_document"]

# Where a page's publication date is looked for (the meta reader looks as far).
_DATE_LINES = 80


def read_url(url: str, limits: FetchLimits | None = None, recorded: tuple[Recorded, ...] | None = None) -> Document:
    """Turn a web address into the Document of the report there (the page or its attached file).

    ``recorded``: responses downloaded before (a harvest's); then nothing is fetched from the network.
    """
    with fetch_page(url, limits, recorded) as page:
        return report_document(page)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A document read from the page or an attachment, with how much of a report it holds."""

    doc: Document
    report: Report | None

    @property
    def score(self) -> tuple[int, int]:
        """Statutory tables read, then statutory sections found; (0, 0) for no report."""
        if self.report is None:
            return (0, 0)
        tables = sum(t is not None for t in self.report.tables.values())
        return (tables, sum(s.present for s in self.report.sections.values()))


def report_document(page: Page) -> Document:
    """Turn a downloaded page into the report's Document, following attachments when needed."""
    own = _candidate(page.doc) if page.doc is not None else None
    if own is not None and not page.is_page:
        return page.named(own.doc)
    links = page.attachments
    if own is not None and (own.score[0] > 0 or not links):
        return page.with_images([])
    notes: list[str] = []
    best: tuple[_Candidate, Download, Attachment] | None = None
    if own is not None and own.score[1] > 0:
        # The page is a report whose tables did not read (pictures): only a file named as the
        # report may hold them, other attachments (forms, guides) are not worth fetching.
        links = [a for a in links if a.rank[0] > 0]
    for attachment in links[: page.max_attachments]:
        download = page.read_attachment(attachment, notes)
        if download is None:
            continue
        candidate = _candidate(download.doc)
        if candidate.report is None:
            notes.append(f"附件不是政府信息公开工作年度报告：{attachment_where(attachment)}")
        if best is None or candidate.score > best[0].score:
            best = (candidate, download, attachment)
        if best[0].score[0] > 0:
            break
    if best is not None and (own is None or best[0].score > own.score):
        chosen, download, attachment = best
        header = _page_header(page.doc, need_title=chosen.report is None or chosen.report.meta.title is None)
        return page.from_attachment(download, attachment, header, notes)
    if own is None:
        raise ReadError(" ".join([str(page.error), *notes]))
    return page.with_images(notes)


def _candidate(doc: Document) -> _Candidate:
    """Turn a read Document into a candidate with the report the parser finds in it (if any)."""
    try:
        report: Report | None = parse_document(doc)
    except ReadError:
        report = None
    return _Candidate(doc, report)


def _page_header(page: Document | None, need_title: bool) -> list[str]:
    """Turn the page into the lines worth keeping above an attachment: its title and date lines."""
    if page is None:
        return []
    # The page's own meta, found as for a report (a notice page need not look like one).
    meta = read_meta(page, normalize(page.text))
    lines = [line.text for line in page.lines]
    header: list[str] = []
    if need_title and meta.title:
        wanted = "".join(meta.title.split())
        header += [line for line in lines if wanted in "".join(line.split())][:1]
    if meta.published:
        header += [
            line for line in lines[:_DATE_LINES] if find_published([normalize(line)]) == meta.published
        ][:1]
    return header
