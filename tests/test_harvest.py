"""Harvesting a county's reports from sites served on 127.0.0.1 (``tests/sites.py``); nothing reaches the internet.

The sites are made from real reports: list pages over two pages, a GBK page, a report only in an
attached PDF, a 404, a redirect loop, robots.txt, a slow host. The fetch limits refuse private
addresses by default, so these tests allow 127.0.0.1 explicitly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sites import YEAR, County, county_sites
from xxgk.db import roster_schema, store_schema
from xxgk.read.crawl import Cached, Crawler, CrawlSettings
from xxgk.read.fetch_http import Fetched, FetchLimits
from xxgk.store import Store
from xxgk.store.harvest import BodyOutcome, HarvestOptions, harvest
from xxgk.store.monitor import monitor
from xxgk.store.roster import import_roster

LOCAL = FetchLimits(allow_private=True, retries=0, read_timeout=1.0, connect_timeout=2.0, deadline=20.0)
FAST = CrawlSettings(rate=50.0, retries=1, backoff=0.05, limits=LOCAL)


@pytest.fixture(scope="module")
def county() -> Iterator[County]:
    with county_sites(slow_seconds=2.5) as sites:
        yield sites


def _store(tmp_path: Path, county: County) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'harvest.db'}")
    roster = tmp_path / "名录.csv"
    roster.write_text(county.roster_csv, encoding="utf-8")
    import_roster(store.engine, roster)
    return store


def _options(**more: object) -> HarvestOptions:
    return HarvestOptions(year=YEAR, settings=FAST, workers=1, **more)  # type: ignore[arg-type]


def test_a_county_is_harvested_found_missing_or_failed_with_the_reason(county: County, tmp_path: Path) -> None:
    county.portal.clear()
    with _store(tmp_path, county) as store:
        summary = harvest(store.engine, _options())
        got = {o.name: o for o in summary.outcomes}
        assert {name: o.status for name, o in got.items()} == county.expected
        reasons = {name: o.reason or "" for name, o in got.items() if o.status == "failed"}
        assert "HTTP 404" in reasons["重庆市武隆区交通运输委员会"]
        assert "重定向次数过多" in reasons["重庆市武隆区文化和旅游发展委员会"]
        assert "robots.txt 不允许访问" in reasons["重庆市武隆区审计局"]
        assert "超时" in reasons["重庆市武隆区应急管理局"]
        assert "没有找到2022年度的报告" in (got["重庆市武隆区财政局"].reason or "")
        # Each report found is stored once and recorded as its body's; the robots.txt-forbidden column was not asked.
        assert "/admin/sjj/nb/" not in [h.path for h in county.portal.hits]
        with store.engine.connect() as conn:
            owners = dict(conn.execute(select(roster_schema.RosterReport.report_id, roster_schema.RosterReport.method)
                                       .where(roster_schema.RosterReport.body_id.is_not(None))).all())
        found = [o for o in summary.outcomes if o.status == "found"]
        assert {o.report_id: "harvest" for o in found} == owners
        # The GBK page reads as Chinese; the PDF-only report keeps the notice page's date; the list's page 2 is reached.
        stats = store.get(got["重庆市武隆区统计局"].report_id or 0)
        assert stats is not None and stats.meta.agency == "重庆市武隆区统计局" and stats.tables["requests"] is not None
        edu = store.get(got["重庆市武隆区教育委员会"].report_id or 0)
        assert edu is not None and edu.meta.published == "2023-01-20" and edu.source.format == "pdf"
        assert got["重庆市武隆区人民政府办公室"].report_url and got["重庆市武隆区人民政府办公室"].report_url.endswith("bgs.html")
        # The monitor: who is missing, who is late.
        result = {r.body.name: r for r in monitor(store.engine, YEAR, today=date(2023, 4, 10)).rows}
        assert {n for n, r in result.items() if r.status == "late"} == county.late
        assert result["重庆市武隆区财政局"].status == "missing" and "采集未找到" in (result["重庆市武隆区财政局"].harvest or "")

        # A second harvest downloads nothing that has not changed, and stores nothing twice.
        with store.engine.connect() as conn:
            reports = conn.execute(select(func.count()).select_from(store_schema.Report)).scalar_one()
        county.portal.clear()
        again = harvest(store.engine, _options())
        assert county.portal.downloads() == []
        assert again.downloads == 0 and again.requests > 0
        assert {o.name: o.status for o in again.outcomes} == county.expected
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(store_schema.Report)).scalar_one() == reports
            assert conn.execute(select(func.count()).select_from(roster_schema.HarvestResult)).scalar_one() == 9


def test_an_interrupted_harvest_resumes_without_visiting_or_storing_anything_twice(county: County,
                                                                                  tmp_path: Path) -> None:
    crawled: list[BodyOutcome] = []

    def stop_after_three(step: str, outcome: BodyOutcome | None) -> None:
        if step == "crawled" and outcome is not None:
            crawled.append(outcome)
            if len(crawled) == 3:
                raise KeyboardInterrupt

    with _store(tmp_path, county) as store:
        with pytest.raises(KeyboardInterrupt):
            harvest(store.engine, _options(threads=1), stop_after_three)
        with store.engine.connect() as conn:
            run = conn.execute(text("SELECT status FROM harvest_runs")).scalar_one()
            recorded = conn.execute(select(func.count()).select_from(roster_schema.HarvestResult)).scalar_one()
        assert run == "interrupted" and recorded == 3
        county.portal.clear()
        resumed = harvest(store.engine, _options())
        settled = {o.name for o in crawled if o.status != "fetched"}
        assert {o.name for o in resumed.outcomes if o.resumed and o.status != "found"} <= settled
        assert {o.name: o.status for o in resumed.outcomes} == county.expected
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == 4
            assert conn.execute(text("SELECT count(DISTINCT body_id) FROM harvest_results")).scalar_one() == 9
            assert conn.execute(text("SELECT count(*) FROM harvest_results")).scalar_one() == 9


# --- politeness, on its own ---------------------------------------------------------------------------


class _Memory:
    """A crawler cache in memory."""

    def __init__(self) -> None:
        self.kept: dict[str, Cached] = {}
        self.lock = threading.Lock()

    def get(self, url: str) -> Cached | None:
        return self.kept.get(url)

    def put(self, url: str, fetched: Fetched) -> Cached:
        from xxgk.read.crawl import sha256

        cached = Cached(url, fetched.url, fetched.media_type, fetched.charset, fetched.etag, fetched.last_modified,
                        sha256(fetched.body), fetched.body)
        self.kept[url] = cached
        return cached

    def touch(self, url: str) -> None:
        pass


def test_one_host_is_asked_once_a_second_and_robots_txt_is_read_first(county: County) -> None:
    slept: list[float] = []
    now = [100.0]  # a clock that moves only when the crawler sleeps: requests take no time, whatever the machine's load

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    crawler = Crawler(CrawlSettings(rate=1.0, limits=LOCAL), _Memory(), sleep=sleep, clock=lambda: now[0])
    county.portal.clear()
    for path in ("/xxgk/nb/", "/xxgk/nb/index_1.html", "/tjj/nb/"):
        crawler.fetch(county.portal.url(path))
    assert [h.path for h in county.portal.hits] == ["/robots.txt", "/xxgk/nb/", "/xxgk/nb/index_1.html", "/tjj/nb/"]
    assert slept == [1.0, 1.0, 1.0]  # a second between requests, robots.txt included


def test_a_busy_server_is_tried_again_after_pauses_that_double() -> None:
    import httpx

    from xxgk.read.fetch_http import Fetcher

    answers = iter([503, 503, 200])

    def busy(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(status, text="ok", headers={"Content-Type": "text/plain"})

    slept: list[float] = []
    settings = CrawlSettings(rate=0, retries=3, backoff=0.5, robots=False, limits=LOCAL)
    crawler = Crawler(settings, _Memory(), sleep=slept.append)
    original = Fetcher.__init__

    def with_mock(self: Fetcher, limits: FetchLimits, transport: httpx.BaseTransport | None = None) -> None:
        original(self, limits, httpx.MockTransport(busy))

    Fetcher.__init__ = with_mock  # type: ignore[method-assign]
    try:
        got = crawler.fetch("http://example.invalid/list.html")
    finally:
        Fetcher.__init__ = original  # type: ignore[method-assign]
    assert got.body == b"ok" and slept == [0.5, 1.0]
