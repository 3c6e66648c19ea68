"""Harvest: visit each roster body's annual-report column, find the year's report, download it politely, store it.

For each body: its column (or, from its site's home page, a link to the column), the column's
pages (following 下一页) until a link names the year's report and this body (when several bodies'
reports share a list, the one naming this body; on a body's own column, the one naming no other
body); then the report's page with its attachments and images, or the file itself. Downloads
go through ``xxgk.read.crawl`` (a rate per host, robots.txt, conditional requests, back-off) and
are kept in ``harvest_pages``; the report is stored by the store's ingest (the same workers and
limits as ``xxgk ingest``), reading the downloaded responses without going to the network again.

Each body ends found (its report stored and recorded as the body's), not found, or failed (why).
An interrupted harvest resumes: bodies already settled by it are not visited again, reports
downloaded but not yet stored are stored from what was downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import writing
from xxgk.read.crawl import Cached, Crawler, CrawlSettings, Resource, Tally, sha256
from xxgk.read.crawl_links import (
    Link,
    image_sources,
    is_column_link,
    is_disclosure_link,
    is_report_link,
    next_page,
    older_only,
    page_links,
)
from xxgk.read.document import ReadError
from xxgk.read.encoding import decode
from xxgk.read.fetch import Recorded
from xxgk.read.fetch_charset import bytes_for_reader
from xxgk.read.fetch_http import Fetched, FetchLimits
from xxgk.read.fetch_links import attachment_links
from xxgk.read.html import declared_charset
from xxgk.store.agencies import display_name, name_key
from xxgk.store.divisions import Divisions
from xxgk.store.ingest import ingest_items
from xxgk.store.regions import divisions_for
from xxgk.store.roster import Body, bodies
from xxgk.store.roster import link as link_report
from xxgk.store.sources import Item
from xxgk.store.work import MAX_STORED_BYTES

STATUS_NAMES = {"found": "已找到", "not_found": "未找到", "failed": "失败", "fetched": "已下载"}
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DOCUMENT_TYPES = frozenset({"application/pdf", "application/msword", "application/vnd.ms-works",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             "application/octet-stream", "application/kswps", "application/wps-office.doc"})
# What may follow a body's name in a title: the year, 年, or the words of a government's own name.
_FOLLOWERS = ("人民政府", "政府", "关于", "本级")
_FOLLOWING_CHARS = set("0123456789年（(《“\"'「 -—_:：、")


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
    max_pages: int = 8  # pages of one column's list
    max_images: int = 20  # images of a report page downloaded (table pictures are read with OCR)
    attachments: int = 2  # report-like attachments of a report page downloaded
    restart: bool = False  # visit every body again, even those an interrupted run settled


@dataclass(slots=True)
class BodyOutcome:
    """What a harvest made of one body."""

    body_id: int
    name: str
    status: str  # found | not_found | failed | fetched (downloaded, not stored yet)
    reason: str | None = None
    report_url: str | None = None
    urls: list[str] = field(default_factory=list)
    report_id: int | None = None
    requests: int = 0
    downloads: int = 0
    resumed: bool = False  # settled by the interrupted run this one resumes

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


def _name_ends(after: str) -> bool:
    """Whether a name ends where ``after`` begins: ``2025年…`` does, ``统计局…`` does not (another body's name)."""
    for word in _FOLLOWERS:  # 武隆区 + 人民政府 + 2025: the government's own name goes on
        if after.startswith(word):
            return _name_ends(after[len(word):])
    return not after or after[0] in _FOLLOWING_CHARS


def choose(candidates: list[Link], me: Names, others: list[Names], own_column: bool) -> Link | None:
    """The link to this body's report: the one naming it best (and no other body better); on the body's own
    column, else the first naming no other body."""
    best: tuple[int, Link] | None = None
    for link in candidates:
        mine = me.match(link.text)
        if mine and all(o.match(link.text) <= mine for o in others) and (best is None or mine > best[0]):
            best = (mine, link)
    if best is not None:
        return best[1]
    if own_column:
        return next((link for link in candidates if not any(o.match(link.text) for o in others)), None)
    return None


# --- crawling one body ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Visit:
    body: Body
    me: Names
    others: list[Names]
    own_column: bool
    tally: Tally = field(default_factory=Tally)
    pages: int = 0


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
        if found is None:
            outcome.reason = (f"年报栏目中没有找到{options.year}年度的报告（查看了 {visit.pages} 页）"
                              if visit.pages else "没有找到年报栏目")
        else:
            outcome.status, outcome.report_url = "fetched", found.url
            outcome.urls = _download_report(crawler, visit, found, options)
    except ReadError as err:
        outcome.status, outcome.reason = "failed", str(err)
    except Exception as err:  # a bug must not stop the harvest of the other bodies
        outcome.status, outcome.reason = "failed", f"内部错误（{type(err).__name__}: {err}），请报告此问题"
    outcome.requests, outcome.downloads = visit.tally.requests, visit.tally.downloads
    return outcome


def _find_report(crawler: Crawler, visit: _Visit, options: HarvestOptions) -> Link | None:
    """The link to the body's report of the year, from its column (or columns found from its site)."""
    body = visit.body
    if body.column_url:
        return _scan_list(crawler, visit, body.column_url, options)
    if not body.site:
        raise ReadError("名录中没有该机关的网站或年报栏目地址")
    home = crawler.fetch(body.site, visit.tally)
    links = page_links(_html_text(home), home.final_url) if _is_html(home) else []
    columns = [link for link in links if is_column_link(link)]
    if not columns:  # the column is usually inside the disclosure section
        for section in [link for link in links if is_disclosure_link(link)][:2]:
            page = crawler.fetch(section.url, visit.tally)
            if _is_html(page):
                columns += [link for link in page_links(_html_text(page), page.final_url) if is_column_link(link)]
    direct = choose([link for link in links if is_report_link(link, options.year)], visit.me, visit.others, False)
    if direct is not None:
        return direct
    for column in columns[:2]:
        found = _scan_list(crawler, visit, column.url, options)
        if found is not None:
            return found
    return None


def _scan_list(crawler: Crawler, visit: _Visit, url: str, options: HarvestOptions) -> Link | None:
    """Go through a column's pages until the body's report of the year is linked."""
    seen: set[str] = set()
    number = 1
    current: str | None = url
    while current is not None and current not in seen and number <= options.max_pages:
        seen.add(current)
        page = crawler.fetch(current, visit.tally)
        visit.pages += 1
        if not _is_html(page):
            return None
        links = page_links(_html_text(page), page.final_url)
        candidates = [link for link in links if is_report_link(link, options.year)]
        chosen = choose(candidates, visit.me, visit.others, visit.own_column)
        if chosen is not None:
            return chosen
        if older_only(links, options.year):
            return None
        following = next_page(links, number)
        current = following.url if following is not None else None
        number += 1
    return None


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
        except ReadError:
            continue  # the reader notes the attachment it could not have
    limits = crawler.settings.limits
    for image in image_sources(html, page.final_url, options.max_images):
        try:
            found = crawler.fetch(image, visit.tally, max_bytes=limits.max_image_bytes)
        except ReadError:
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
    crawler = Crawler(options.settings, cache, **({"sleep": sleep} if sleep else {}))
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
        _store(engine, run_id, options, [o for o in summary.outcomes if o.status == "fetched"], cache, progress)
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
                                  list(row.urls or []), row.report_id, row.requests, row.downloads, resumed=True)
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
    """Keep what the run found for a body (one row per body and year)."""
    res = roster_schema.HarvestResult
    values = {"run_id": run_id, "status": outcome.status, "reason": outcome.reason, "report_url": outcome.report_url,
              "urls": outcome.urls, "report_id": outcome.report_id, "requests": outcome.requests,
              "downloads": outcome.downloads, "checked_at": _now()}
    with writing(engine) as conn:
        if conn.execute(update(res).where(res.body_id == outcome.body_id, res.year == year)
                        .values(**values)).rowcount == 0:
            conn.execute(insert(res).values(body_id=outcome.body_id, year=year, **values))


def _store(engine: Engine, run_id: int, options: HarvestOptions, fetched: list[BodyOutcome], cache: StoreCache,
           progress: Progress | None) -> None:
    """Store the downloaded reports with the store's ingest, then record each as its body's."""
    if not fetched:
        return
    by_url: dict[str, list[BodyOutcome]] = {}
    for outcome in fetched:
        by_url.setdefault(outcome.report_url or "", []).append(outcome)
    offline = FetchLimits(allow_private=True, deadline=options.settings.limits.deadline)  # no network: cached bytes
    items = [Item(url, fetch_limits=offline, recorded=cache.recorded(group[0].urls)) for url, group in by_url.items()]

    def stored(result: Any) -> None:
        for outcome in by_url.get(result.source, []):
            _settle(engine, run_id, options.year, outcome, result.status, result.report_id, result.error)
            if progress:
                progress("stored", outcome)

    ingest_items(engine, items, [f"harvest:{options.year}"], options.workers, stored)


def _settle(engine: Engine, run_id: int, year: int, outcome: BodyOutcome, status: str, report_id: int | None,
            error: str | None) -> None:
    """A downloaded report stored (or not): the body's outcome, and the report recorded as the body's."""
    if status in ("ok", "skipped") and report_id is not None:
        outcome.report_id = report_id
        r = store_schema.Report
        with writing(engine) as conn:
            link_report(conn, report_id, outcome.body_id, "harvest")
            stated = conn.execute(select(r.year).where(r.id == report_id)).scalar()
        if stated is not None and stated != year:
            outcome.status, outcome.reason = "not_found", f"链接指向的报告是{stated}年度的（报告编号 {report_id}）"
        else:
            outcome.status, outcome.reason = "found", None
    else:
        outcome.status, outcome.reason = "failed", f"报告无法读取：{error}"
    _record(engine, run_id, year, outcome)


def _finish(engine: Engine, run_id: int, status: str) -> None:
    h = roster_schema.HarvestRun
    with writing(engine) as conn:
        conn.execute(update(h).where(h.id == run_id).values(status=status, finished_at=_now()))
