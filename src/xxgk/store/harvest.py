"""Harvest: visit each roster body's annual-report column, find the year's report, download it politely, store it.

For each body: its column (or, from its site's home page, a link to the column), the column's
pages (following 下一页) until a link names the year's report and this body (when several bodies'
reports share a list, the one naming this body; on a body's own column, the one naming no other
body); then the report's page with its attachments and images, or the file itself. Downloads
go through ``xxgk.read.crawl`` (a rate per host, robots.txt, conditional requests, back-off) and
are kept in ``harvest_pages``; the report is stored by the store's ingest (the same workers and
limits as ``xxgk ingest``), reading the downloaded responses without going to the network again.

A title, or a stored report, naming another body (any body, in the roster or not) is never taken for this
body's report. Each body ends found (its report stored and recorded as the body's), not found (its column
read through), unverified (the column not read through, or the report's tables in an attachment that could
not be downloaded: whether it published cannot be said), or failed (why).
An interrupted harvest resumes: bodies already settled by it are not visited again, reports
downloaded but not yet stored are stored from what was downloaded, with what the download saw (the date
beside the link in the list, why an attachment or image was not had) kept beside it in ``harvest_results``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from xxgk.check.agency import classify_body
from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import writing
from xxgk.parse.title import BODY_END as _BODY_END
from xxgk.parse.title import agency_and_year
from xxgk.read.crawl import Cached, Crawler, CrawlSettings, Resource, Tally, sha256
from xxgk.read.crawl_links import (
    Link,
    companion_of,
    image_sources,
    is_column_link,
    is_disclosure_link,
    is_report_link,
    next_page,
    older_only,
    page_count,
    page_links,
    page_title,
    report_years,
    script_next_page,
    years_named,
)
from xxgk.read.document import ReadError
from xxgk.read.encoding import decode
from xxgk.read.fetch import Recorded
from xxgk.read.fetch_charset import bytes_for_reader
from xxgk.read.fetch_http import Fetched, FetchLimits, HTTPStatusError
from xxgk.read.fetch_links import attachment_links
from xxgk.read.html import declared_charset
from xxgk.store.agencies import body_of, display_name, name_key, same_body_score
from xxgk.store.divisions import Divisions
from xxgk.store.ingest import ingest_items
from xxgk.store.regions import divisions_for
from xxgk.store.roster import Body, bodies
from xxgk.store.roster import link as link_report
from xxgk.store.sources import Item
from xxgk.store.work import MAX_STORED_BYTES

STATUS_NAMES = {"found": "已找到", "not_found": "未找到", "unverified": "未能核实", "failed": "失败", "fetched": "已下载"}
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DOCUMENT_TYPES = frozenset({"application/pdf", "application/msword", "application/vnd.ms-works",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             "application/octet-stream", "application/kswps", "application/wps-office.doc"})
# What may follow a body's name in a title: the year, 年, or the words of a government's own name.
_FOLLOWERS = ("人民政府", "政府", "关于", "本级")
_FOLLOWING_CHARS = set("0123456789年（(《“\"'「 -—_:：、")
# Disclosure sections and columns tried from a site's home page (a dead one is passed over).
_SECTIONS = 3
# A column address answered so (a site rebuilt): the column is looked for again from the site's home page.
_GONE = frozenset({404, 410})
# A companion page's link to the report it is about.
_ORIGINAL = re.compile(r"原文|全文|报告全文")
# A page script that loads a list's data (``fetch('/api/list.json')``, ``axios.get``, ``$.ajax``).
_DATA_SCRIPT = re.compile(r"<script[^>]*>[^<]*(?:fetch\(|axios|\$\.(?:ajax|get|post|getJSON)|XMLHttpRequest|\.json)",
                          re.IGNORECASE)
# The finding of a statutory table not read (``check``): with an attachment not downloaded, not the body's fault.
_TABLE_MISSING = "FORM-TABLE-MISSING"
# How alike (0–100, ``same_body_score``) a title's body must be to the body's own name to be taken for it:
# below the store's merging threshold, since on a body's own column a spelling of its own name is likely.
_SAME_BODY = 80.0


@dataclass(frozen=True, slots=True)
class HarvestOptions:
    """What to harvest and how: the year, which bodies, politeness, how far to look."""

    year: int
    region: str | None = None
    level: str | None = None
    text: str | None = None  # part of the body's name
    settings: CrawlSettings = field(default_factory=CrawlSettings)
    threads: int = 4  # bodies crawled at once (each host still one request at a time)
    workers: int | None = None  # ingest's processes
    max_pages: int = 8  # pages of one column's list (reaching it with pages left is said)
    max_images: int = 20  # images of a report page downloaded (table pictures are read with OCR)
    attachments: int = 2  # report-like attachments of a report page downloaded
    restart: bool = False  # visit every body again, even those an interrupted run settled


@dataclass(slots=True)
class BodyOutcome:
    """What a harvest made of one body."""

    body_id: int
    name: str
    status: str  # found | not_found | unverified (column not read through) | failed | fetched (not stored yet)
    reason: str | None = None
    report_url: str | None = None
    urls: list[str] = field(default_factory=list)
    report_id: int | None = None
    requests: int = 0
    downloads: int = 0
    resumed: bool = False  # settled, or downloaded, by the interrupted run this one resumes
    downloaded_before: bool = False  # downloaded by that run, stored by this one
    listed: str | None = None  # the date beside the report's link in the column (ISO)
    missed: dict[str, str] = field(default_factory=dict)  # attachments not downloaded → why
    missed_images: dict[str, str] = field(default_factory=dict)  # images not downloaded → why

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


@dataclass(slots=True)
class HarvestSummary:
    run_id: int
    year: int
    outcomes: list[BodyOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def requests(self) -> int:
        return sum(o.requests for o in self.outcomes if not o.resumed)

    @property
    def downloads(self) -> int:
        return sum(o.downloads for o in self.outcomes if not o.resumed)


Progress = Callable[[str, BodyOutcome | None], None]  # ("crawled" | "stored", outcome)


def _now() -> datetime:
    return datetime.now(UTC)


class StoreCache:
    """``harvest_pages`` as the crawler's cache (thread-safe: each call its own short transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()

    def get(self, url: str) -> Cached | None:
        p = roster_schema.HarvestPage
        with self.engine.connect() as conn:
            row = conn.execute(select(p.url, p.final_url, p.media_type, p.charset, p.etag, p.last_modified, p.sha256,
                                      p.content).where(p.url_hash == sha256(url.encode()))).first()
        if row is None or row.content is None:
            return None
        return Cached(row.url, row.final_url, row.media_type, row.charset, row.etag, row.last_modified, row.sha256,
                      bytes(row.content))

    def put(self, url: str, fetched: Fetched) -> Cached:
        p = roster_schema.HarvestPage
        digest = sha256(fetched.body)
        values = {"url": url, "final_url": fetched.url, "media_type": fetched.media_type[:100],
                  "charset": (fetched.charset or None) and fetched.charset[:40], "etag": fetched.etag,
                  "last_modified": (fetched.last_modified or None) and fetched.last_modified[:64], "sha256": digest,
                  "size": len(fetched.body),
                  "content": fetched.body if len(fetched.body) <= MAX_STORED_BYTES else None,
                  "fetched_at": _now(), "checked_at": _now()}
        key = sha256(url.encode())
        with self._lock, writing(self.engine) as conn:
            if conn.execute(update(p).where(p.url_hash == key).values(**values)).rowcount == 0:
                conn.execute(insert(p).values(url_hash=key, **values))
        return Cached(url, fetched.url, fetched.media_type, fetched.charset, fetched.etag, fetched.last_modified,
                      digest, fetched.body)

    def touch(self, url: str) -> None:
        p = roster_schema.HarvestPage
        with self._lock, writing(self.engine) as conn:
            conn.execute(update(p).where(p.url_hash == sha256(url.encode())).values(checked_at=_now()))

    def recorded(self, urls: list[str]) -> tuple[Recorded, ...]:
        """The cached responses of these addresses, as the offline reader wants them (redirects kept)."""
        p = roster_schema.HarvestPage
        out: list[Recorded] = []
        with self.engine.connect() as conn:
            for row in conn.execute(select(p.url, p.final_url, p.media_type, p.charset, p.content)
                                    .where(p.url_hash.in_([sha256(u.encode()) for u in urls]))):
                if row.content is None:
                    continue
                if row.final_url != row.url:
                    out.append(Recorded(row.url, location=row.final_url))
                out.append(Recorded(row.final_url, row.media_type, row.charset, bytes(row.content)))
        return tuple(out)


# --- which link is this body's report ---------------------------------------------------------------


class Names:
    """The ways a body's name appears in titles on a site: its names, and them without the region."""

    def __init__(self, body: Body, table: Divisions) -> None:
        forms = {body.name, *body.aliases}
        for name in list(forms):
            rest = table.locate(name_key(name)).rest
            if len(rest) >= 3 and rest not in ("人民政府", "管理委员会", "管委会"):
                forms.add(rest)
        if body.level == "government":  # 开远市2025年…: a government's report titled by its region
            region = table.region(body.region_code)
            place = region.county or region.city or region.province
            if place:
                forms.add(place)
        self.forms = sorted(forms, key=len, reverse=True)
        self.table, self.code, self.level = table, body.region_code, body.level
        self.rests = {body_of(table.locate(name_key(n))) for n in (body.name, *body.aliases)}

    def match(self, text: str) -> int:
        """The length of the longest of the body's forms the text holds as a whole name (0: none)."""
        text = display_name(text)
        for form in self.forms:
            start = text.find(form)
            while start >= 0:
                if _name_ends(text[start + len(form):]):
                    return len(form)
                start = text.find(form, start + 1)
        return 0

    def is_other(self, agency: str | None, level: str | None = None) -> bool:
        """Whether a body's name (as the parser reads it from a title or a report) is surely another body's.

        Any body counts, in the roster or not: a county's column also lists its townships' reports, a
        city's its districts'. A name that is not a body's (``本机关``) or is this body's in another spelling
        (the region left out, ``和`` dropped) is not another's.
        """
        if not agency or not _BODY_END.search(agency := display_name(agency)) or self._mine(agency):
            return False
        located = self.table.locate(name_key(agency))
        code = located.region.code
        if code is not None and code != self.code and not self.table.contains(code, self.code):
            return True  # a district's or a township's body, or another city's
        if level not in (None, "unknown", self.level):
            return True
        rest = body_of(located)
        return not any((score := same_body_score(rest, mine)) is not None and score >= _SAME_BODY
                       for mine in self.rests)

    def maybe_mine(self, agency: str | None) -> bool:
        """Whether a name taken for another body's differs from this body's only in wording: the same region and
        the same kind of body (卫健委 for 卫生健康委员会: an abbreviation the roster may not list yet)."""
        if not agency:
            return False
        name = display_name(agency)
        code = self.table.locate(name_key(name)).region.code
        return code in (None, self.code) and classify_body(name).kind in ("unknown", self.level)

    def _mine(self, agency: str) -> bool:
        """Whether the name is one of the body's forms, with at most its region (or a word like 市) before it."""
        for form in self.forms:
            start = agency.find(form)
            while start >= 0:
                if _name_ends(agency[start + len(form):]):
                    prefix = agency[:start]
                    if len(prefix) <= 1:
                        return True
                    located = self.table.locate(name_key(prefix))
                    code = located.region.code
                    if not located.rest and code is not None and (code == self.code
                                                                  or self.table.contains(code, self.code)):
                        return True
                    if code is None and not _BODY_END.search(prefix):
                        return True  # 一图读懂…, 中共… : words before the name, not another body
                start = agency.find(form, start + 1)
        return False


def _name_ends(after: str) -> bool:
    """Whether a name ends where ``after`` begins: ``2025年…`` does, ``统计局…`` does not (another body's name)."""
    for word in _FOLLOWERS:  # 武隆区 + 人民政府 + 2025: the government's own name goes on
        if after.startswith(word):
            return _name_ends(after[len(word):])
    return not after or after[0] in _FOLLOWING_CHARS


def title_agency(text: str) -> str | None:
    """The body a link's title names, as the parser reads a report's title (None: it names none)."""
    return agency_and_year(text)[0]


def choose(candidates: list[Link], me: Names, others: list[Names], own_column: bool) -> Link | None:
    """The link to this body's report: the one naming it best (and no other body better); on the body's own
    column, else the first naming no body at all. A title naming another body (any body, in the roster or
    not) is never this body's."""
    best: tuple[int, Link] | None = None
    mine_only = [link for link in candidates if not me.is_other(title_agency(link.text))]
    for link in mine_only:
        mine = me.match(link.text)
        if mine and all(o.match(link.text) <= mine for o in others) and (best is None or mine > best[0]):
            best = (mine, link)
    if best is not None:
        return best[1]
    if own_column:
        return next((link for link in mine_only if not any(o.match(link.text) for o in others)), None)
    return None


def others_named(candidates: list[Link], me: Names) -> list[str]:
    """The year's report titles passed over because they name another body (for the reason given)."""
    return [link.text for link in candidates if me.is_other(title_agency(link.text))]


# --- crawling one body ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Visit:
    body: Body
    me: Names
    others: list[Names]
    own_column: bool
    tally: Tally = field(default_factory=Tally)
    pages: int = 0
    passed: list[str] = field(default_factory=list)  # the year's titles naming another body
    unsure: list[str] = field(default_factory=list)  # those of them that may name this body in short (卫健委)
    missed: dict[str, str] = field(default_factory=dict)  # the report's attachments not downloaded → why
    missed_images: dict[str, str] = field(default_factory=dict)  # its images not downloaded → why
    unfinished: str | None = None  # why the column was not read through (its report cannot be said missing)


def _is_html(resource: Resource) -> bool:
    if resource.media_type in _HTML_TYPES:
        return True
    head = resource.body[:512].lstrip().lower()
    return not resource.media_type.startswith(("application/", "image/")) and head.startswith((b"<!doctype", b"<html"))


def _html_text(resource: Resource) -> str:
    raw = bytes_for_reader(resource.body, resource.media_type, resource.charset)
    try:
        return decode(raw, declared_charset(raw))
    except ReadError:
        return ""


def crawl_body(crawler: Crawler, visit: _Visit, options: HarvestOptions) -> BodyOutcome:
    """Find and download one body's report of the year; never raises (a failure says why)."""
    body = visit.body
    outcome = BodyOutcome(body.id, body.name, "not_found")
    try:
        found = _find_report(crawler, visit, options)
        if found is None and visit.unfinished:
            # The column was not read through: that the report is not there cannot be said.
            outcome.status, outcome.reason = "unverified", visit.unfinished + _passed(visit.passed)
        elif found is None and visit.unsure:
            # A title in short (区卫健委…) on the body's own column may well be its report: not said missing.
            outcome.status, outcome.reason = "unverified", _unsure(visit.unsure, options.year)
        elif found is None:
            outcome.reason = (f"年报栏目中没有找到{options.year}年度的报告（查看了 {visit.pages} 页）"
                              + _passed(visit.passed))
        else:
            outcome.status, outcome.report_url, outcome.listed = "fetched", found.url, found.listed
            outcome.urls = _download_report(crawler, visit, found, options)
            outcome.missed, outcome.missed_images = visit.missed, visit.missed_images
    except ReadError as err:
        outcome.status, outcome.reason = "failed", str(err)
    except Exception as err:  # a bug must not stop the harvest of the other bodies
        outcome.status, outcome.reason = "failed", f"内部错误（{type(err).__name__}: {err}），请报告此问题"
    outcome.requests, outcome.downloads = visit.tally.requests, visit.tally.downloads
    return outcome


def _passed(titles: list[str]) -> str:
    """What the reason adds about the year's reports of other bodies that were passed over."""
    if not titles:
        return ""
    shown = "；".join(f"“{t}”" for t in titles[:3]) + ("等" if len(titles) > 3 else "")
    return (f"；栏目中有{len(titles)}份该年度的报告标题写的是其他机关（{shown}），未采用"
            "（如其中有本机关的报告而名称写法不同，请在名录的“其他名称”中加上该写法）")


def _unsure(titles: list[str], year: int) -> str:
    """Why a body whose own column lists the year's report under another spelling of a like body is 未能核实."""
    shown = "；".join(f"“{t}”" for t in titles[:3]) + ("等" if len(titles) > 3 else "")
    return (f"年报栏目中有{year}年度的报告（{shown}），标题中的机关名称与名录不同，可能是本机关名称的简称，"
            "未能核实是否为本机关的报告（如是，请在名录的“其他名称”中加上该写法后重新采集）")


def _find_report(crawler: Crawler, visit: _Visit, options: HarvestOptions) -> Link | None:
    """The link to the body's report of the year, from its column (or columns found from its site).

    From the site's home page, every disclosure section and column linked is tried in turn: a site-wide
    menu's link may be dead while the body's own one works.
    """
    body = visit.body
    dead: list[str] = []
    if body.column_url:
        try:
            return _scan_list(crawler, visit, body.column_url, options)
        except HTTPStatusError as err:
            if not body.site or err.status not in _GONE:
                raise
            dead.append(f"名录中的年报栏目（{err}）")  # a site rebuilt: its column is found again from the home page
            visit.pages = 0
    if not body.site:
        raise ReadError("名录中没有该机关的网站或年报栏目地址")
    home = crawler.fetch(body.site, visit.tally)
    links = page_links(_html_text(home), home.final_url) if _is_html(home) else []
    columns = [link for link in links if is_column_link(link)]
    if not columns:  # the column is usually inside the disclosure section
        for section in [link for link in links if is_disclosure_link(link)][:_SECTIONS]:
            page = _fetch_or_note(crawler, visit, section, dead)
            if page is not None and _is_html(page):
                columns += [link for link in page_links(_html_text(page), page.final_url) if is_column_link(link)]
    direct = choose([link for link in links if is_report_link(link, options.year)], visit.me, visit.others, False)
    if direct is not None:
        return direct
    for column in columns[:_SECTIONS]:
        try:
            found = _scan_list(crawler, visit, column.url, options)
        except ReadError as err:
            dead.append(f"{column.text}（{err}）")
            continue
        if found is not None:
            return found
    if not visit.pages:
        if dead:
            raise ReadError("网站上的信息公开或年报栏目链接都无法打开：" + "；".join(dead))
        visit.unfinished = visit.unfinished or "网站首页和信息公开页面上没有找到年报栏目（请在名录中填写年报栏目地址）"
    return None


def _fetch_or_note(crawler: Crawler, visit: _Visit, link: Link, dead: list[str]) -> Resource | None:
    """A page linked from the site, or None with why it could not be had noted (the next link is tried)."""
    try:
        return crawler.fetch(link.url, visit.tally)
    except ReadError as err:
        dead.append(f"{link.text}（{err}）")
        return None


def _scan_list(crawler: Crawler, visit: _Visit, url: str, options: HarvestOptions) -> Link | None:
    """Go through a column's pages until the body's report of the year is linked.

    A list oldest first is read on, and so is one whose order its pages do not show yet (one report a page);
    a pager written by a script is followed by its convention; when the
    list is not read through (the page limit, a page that does not open, a list the page's script loads)
    the visit says so. A companion (解读) of the body's report, when the report itself is not listed, is
    followed to the report it links.
    """
    seen: set[str] = set()
    number = 1
    current: str | None = url
    companion: Link | None = None
    earlier: list[int] = []  # the years of the reports listed on the pages read, in order (the list's order)
    while current is not None and current not in seen:
        if number > options.max_pages:
            visit.unfinished = (f"年报栏目已查看 {options.max_pages} 页（页数上限），后面还有页面未查看，"
                                f"未能核实（可用 --max-pages 增加页数）")
            break
        seen.add(current)
        try:
            page = crawler.fetch(current, visit.tally)
        except ReadError as err:
            if number == 1:
                raise
            visit.unfinished = f"年报栏目第 {number} 页无法打开，未能核实：{err}"
            break
        visit.pages += 1
        if not _is_html(page):
            # The roster's column address is the report's file itself.
            return Link(url, "") if number == 1 and _is_document(page) else None
        html = _html_text(page)
        links = page_links(html, page.final_url)
        candidates = [link for link in links if is_report_link(link, options.year)]
        chosen = choose(candidates, visit.me, visit.others, visit.own_column)
        if chosen is not None:
            return chosen
        if visit.own_column:  # on a shared column other bodies' reports are expected, not worth a word
            named = others_named(candidates, visit.me)
            visit.passed += named
            visit.unsure += [t for t in named if visit.me.maybe_mine(title_agency(t))]
        companion = companion or choose(_companions(links, options.year), visit.me, visit.others, visit.own_column)
        if number == 1:
            itself = _page_itself(html, page, options.year, visit)
            if itself is not None:
                return itself
            if _scripted(html, links):
                visit.unfinished = ("年报栏目页面的 HTML 中没有报告链接（列表由网页脚本加载，本工具不运行脚本），未能核实："
                                    "请在名录的“年报栏目”中直接填写该机关报告的网址")
                break
        if older_only(links, options.year, earlier):
            break
        earlier += report_years(links)
        following = next_page(links, number)
        current = following.url if following is not None else script_next_page(html, page.final_url, url, number)
        if current is None and (count := page_count(html)) is not None and count > number:
            visit.unfinished = f"年报栏目共 {count} 页，但翻页链接由网页脚本生成，只查看了 {number} 页，未能核实"
        number += 1
    if companion is not None:
        return _through_companion(crawler, visit, companion, options)
    return None


def _companions(links: list[Link], year: int) -> list[Link]:
    """The list's companions (解读, 一图读懂) of a report of the year."""
    return [link for link in links if companion_of(link, year)]


def _through_companion(crawler: Crawler, visit: _Visit, companion: Link, options: HarvestOptions) -> Link | None:
    """The report a companion page (解读) links to, when the list links only the companion."""
    try:
        page = crawler.fetch(companion.url, visit.tally)
    except ReadError:
        return None
    if not _is_html(page):
        return None
    links = page_links(_html_text(page), page.final_url)
    found = choose([link for link in links if is_report_link(link, options.year)], visit.me, visit.others, True)
    found = found or next((link for link in links if _ORIGINAL.search(link.text)), None)
    return Link(found.url, found.text, found.listed or companion.listed) if found is not None else None


def _page_itself(html: str, page: Resource, year: int, visit: _Visit) -> Link | None:
    """The column address given is the report's own page (its title names the year's report and no other body)."""
    title = page_title(html)
    if not title:
        return None
    itself = Link(page.final_url, title)
    return itself if is_report_link(itself, year) and choose([itself], visit.me, visit.others, True) else None


def _scripted(html: str, links: list[Link]) -> bool:
    """A column page whose list a script loads: no link naming any report, and a script asking for data."""
    if any(is_report_link(link, year) for link in links for year in years_named(link.text)):
        return False
    return bool(_DATA_SCRIPT.search(html))


def _is_document(resource: Resource) -> bool:
    return resource.media_type in _DOCUMENT_TYPES or resource.body[:5] == b"%PDF-"


def _download_report(crawler: Crawler, visit: _Visit, link: Link, options: HarvestOptions) -> list[str]:
    """Download the report's page (or file), its report-like attachments and its images; their addresses."""
    page = crawler.fetch(link.url, visit.tally)
    urls = [link.url]
    if not _is_html(page):
        return urls
    html = _html_text(page)
    for attachment in [a for a in attachment_links(html, page.final_url) if a.rank[0] > 0][:options.attachments]:
        try:
            crawler.fetch(attachment.url, visit.tally)
            urls.append(attachment.url)
        except ReadError as err:
            visit.missed[attachment.url] = str(err)  # the reader says why, not that the site lacks it
    limits = crawler.settings.limits
    for image in image_sources(html, page.final_url, options.max_images):
        try:
            found = crawler.fetch(image, visit.tally, max_bytes=limits.max_image_bytes)
        except ReadError as err:
            visit.missed_images[image] = str(err)  # said by the reader (a logo's failure is no reason to doubt)
            continue
        if found.media_type.startswith("image/") or not found.media_type.startswith("text/"):
            urls.append(image)
    return urls


# --- the run ----------------------------------------------------------------------------------------


def harvest(engine: Engine, options: HarvestOptions, progress: Progress | None = None,
            sleep: Callable[[float], None] | None = None) -> HarvestSummary:
    """Harvest the year's reports of the roster's bodies (filtered); resumes an interrupted run of the year."""
    roster = bodies(engine, region=options.region, level=options.level, text=options.text)
    everyone = bodies(engine)
    with engine.connect() as conn:
        table = divisions_for(conn)
    names = {b.id: Names(b, table) for b in everyone}
    columns: dict[str, int] = {}
    for b in everyone:
        if b.column_url:
            columns[b.column_url] = columns.get(b.column_url, 0) + 1
    run_id, settled, pending = _start(engine, options, [b.id for b in roster])
    summary = HarvestSummary(run_id, options.year)
    cache = StoreCache(engine)
    crawler = Crawler(options.settings, cache, sleep) if sleep else Crawler(options.settings, cache)
    status = "interrupted"
    try:
        todo = [b for b in roster if b.id not in settled and b.id not in pending]
        summary.outcomes += [settled[b.id] for b in roster if b.id in settled]
        summary.outcomes += [pending[b.id] for b in roster if b.id in pending]
        for outcome in summary.outcomes:
            if progress:
                progress("crawled", outcome)
        # Titles on one site name the bodies of one prefecture: those are the names a link is weighed against.
        near: dict[str, list[int]] = {}
        for b in everyone:
            near.setdefault(b.region_code[:4], []).append(b.id)
        visits = [_Visit(b, names[b.id], [names[i] for i in near[b.region_code[:4]] if i != b.id],
                         own_column=bool(b.column_url) and columns.get(b.column_url or "", 0) == 1) for b in todo]
        for outcome in _crawl_all(crawler, visits, options):
            _record(engine, run_id, options.year, outcome)
            summary.outcomes.append(outcome)
            if progress:
                progress("crawled", outcome)
        _store(engine, run_id, options, [o for o in summary.outcomes if o.status == "fetched"], cache, progress, names)
        status = "completed"
    finally:
        _finish(engine, run_id, status)
    order = {b.id: i for i, b in enumerate(roster)}
    summary.outcomes.sort(key=lambda o: order.get(o.body_id, 0))
    return summary


def _crawl_all(crawler: Crawler, visits: list[_Visit], options: HarvestOptions) -> Any:
    """Crawl the bodies a few at a time (threads), yielding each outcome as it is settled."""
    if not visits:
        return
    with ThreadPoolExecutor(max(1, options.threads)) as pool:
        queue = iter(visits)
        running: dict[Future[BodyOutcome], _Visit] = {}
        try:
            while True:
                while len(running) < max(1, options.threads) and (visit := next(queue, None)) is not None:
                    running[pool.submit(crawl_body, crawler, visit, options)] = visit
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    running.pop(future)
                    yield future.result()
        finally:
            for future in running:
                future.cancel()


def _start(engine: Engine, options: HarvestOptions,
           wanted: list[int]) -> tuple[int, dict[int, BodyOutcome], dict[int, BodyOutcome]]:
    """A new run; the bodies an interrupted run of the year settled (unless restarting) and those left to store."""
    h, res = roster_schema.HarvestRun, roster_schema.HarvestResult
    settled: dict[int, BodyOutcome] = {}
    pending: dict[int, BodyOutcome] = {}
    with writing(engine) as conn:
        last = conn.execute(select(h.id, h.status).where(h.year == options.year).order_by(h.id.desc()).limit(1)).first()
        rows = list(conn.execute(select(res).where(res.year == options.year, res.body_id.in_(wanted))))
        names = {b.id: b.name for b in bodies(engine)} if rows else {}
        for row in rows:
            outcome = BodyOutcome(row.body_id, names.get(row.body_id, ""), row.status, row.reason, row.report_url,
                                  list(row.urls or []), row.report_id, row.requests, row.downloads, resumed=True,
                                  downloaded_before=row.status == "fetched",
                                  listed=row.listed, missed=dict(row.missed or {}),
                                  missed_images=dict(row.missed_images or {}))
            if row.status == "fetched":
                pending[row.body_id] = outcome
            elif (last is not None and last.status != "completed" and row.run_id == last.id
                  and not options.restart):
                settled[row.body_id] = outcome
        run_id = int(conn.execute(insert(h).values(
            year=options.year, status="running", started_at=_now(),
            options={"region": options.region, "level": options.level, "text": options.text,
                     "rate": options.settings.rate, "robots": options.settings.robots})
            .returning(h.id)).scalar_one())
    return run_id, settled, pending


def _record(engine: Engine, run_id: int, year: int, outcome: BodyOutcome) -> None:
    """Keep what the run found for a body (one row per body and year), with what storing its report needs."""
    res = roster_schema.HarvestResult
    values = {"run_id": run_id, "status": outcome.status, "reason": outcome.reason, "report_url": outcome.report_url,
              "urls": outcome.urls, "report_id": outcome.report_id, "requests": outcome.requests,
              "downloads": outcome.downloads, "listed": outcome.listed, "missed": outcome.missed,
              "missed_images": outcome.missed_images, "checked_at": _now()}
    with writing(engine) as conn:
        if conn.execute(update(res).where(res.body_id == outcome.body_id, res.year == year)
                        .values(**values)).rowcount == 0:
            conn.execute(insert(res).values(body_id=outcome.body_id, year=year, **values))


def _store(engine: Engine, run_id: int, options: HarvestOptions, fetched: list[BodyOutcome], cache: StoreCache,
           progress: Progress | None, names: dict[int, Names] | None = None) -> None:
    """Store the downloaded reports with the store's ingest, then record each as its body's."""
    if not fetched:
        return
    by_url: dict[str, list[BodyOutcome]] = {}
    for outcome in fetched:
        by_url.setdefault(outcome.report_url or "", []).append(outcome)
    offline = FetchLimits(allow_private=True, deadline=options.settings.limits.deadline)  # no network: cached bytes
    items = [Item(url, fetch_limits=offline, recorded=cache.recorded(group[0].urls) + tuple(
        Recorded(missed, error=why) for missed, why in (group[0].missed | group[0].missed_images).items()),
        listed=group[0].listed)
        for url, group in by_url.items()]

    def stored(result: Any) -> None:
        for outcome in by_url.get(result.source, []):
            _settle(engine, run_id, options.year, outcome, result.status, result.report_id, result.error,
                    (names or {}).get(outcome.body_id))
            if progress:
                progress("stored", outcome)

    ingest_items(engine, items, [f"harvest:{options.year}"], options.workers, stored)


def _settle(engine: Engine, run_id: int, year: int, outcome: BodyOutcome, status: str, report_id: int | None,
            error: str | None, me: Names | None = None) -> None:
    """A downloaded report stored (or not): the body's outcome, and the report recorded as the body's when it
    is the body's (the body it names, as read from the report, is not another) and can be judged."""
    if status in ("ok", "skipped") and report_id is not None:
        outcome.report_id = report_id
        with writing(engine) as conn:
            outcome.status, outcome.reason = _judge(conn, outcome, report_id, year, me)
    else:
        outcome.status, outcome.reason = "failed", f"报告无法读取：{error}"
    _record(engine, run_id, year, outcome)


def _judge(conn: Connection, outcome: BodyOutcome, report_id: int, year: int,
           me: Names | None) -> tuple[str, str | None]:
    """The body's status and reason for the report stored from its column; the report linked to it when its."""
    r, a, t, f = store_schema.Report, store_schema.Agency, roster_schema.RosterReport, store_schema.Finding
    stated = conn.execute(select(r.year, r.agency_name, a.name, a.level).outerjoin(a, a.id == r.agency_id)
                          .where(r.id == report_id)).one()
    whose = stated.agency_name or stated.name
    if me is not None and me.is_other(whose, stated.level):
        # Another body's report (a township's on its county's column): not linked to this body.
        conn.execute(delete(t).where(t.report_id == report_id, t.body_id == outcome.body_id))
        return "not_found", f"链接指向的报告是“{whose}”的，不是本机关的（报告编号 {report_id}），未作为本机关的报告"
    if outcome.missed and conn.execute(select(f.id).where(f.report_id == report_id, f.rule == _TABLE_MISSING)
                                       .limit(1)).first() is not None:
        # Its tables were in the attachment not downloaded: neither missing nor graded, but not known.
        link_report(conn, report_id, None, "harvest", "附件未能下载")
        return "unverified", (f"报告的附件未能下载（{_missed(outcome.missed)}），下载到的网页上没有报告的表格，"
                              f"未能核实（报告编号 {report_id} 未计为本机关的报告）")
    link_report(conn, report_id, outcome.body_id, "harvest")
    if stated.year is not None and stated.year != year:
        return "not_found", f"链接指向的报告是{stated.year}年度的（报告编号 {report_id}）"
    return "found", f"附件未能下载：{_missed(outcome.missed)}" if outcome.missed else None


def _missed(missed: dict[str, str]) -> str:
    return "；".join(why for why in list(missed.values())[:2])


def _finish(engine: Engine, run_id: int, status: str) -> None:
    h = roster_schema.HarvestRun
    with writing(engine) as conn:
        conn.execute(update(h).where(h.id == run_id).values(status=status, finished_at=_now()))
