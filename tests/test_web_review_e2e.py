"""The reviewer's pages in headless Chromium: a harvested county's monitor, a grade's breakdown, the roster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

from served import NO_CHROMIUM, serve
from sites import YEAR, county_sites

pytestmark = NO_CHROMIUM
PASSWORD = "e2e password 123"



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A county harvested from its (local) sites into a store, and the web app on it."""
    from xxgk.read.crawl import CrawlSettings
    from xxgk.read.fetch_http import FetchLimits
    from xxgk.store import Store
    from xxgk.store.harvest import HarvestOptions, harvest
    from xxgk.store.roster import import_roster
    from xxgk.web import Settings, create_app
    from xxgk.web.auth import add_user

    folder = tmp_path_factory.mktemp("review")
    db = f"sqlite:///{folder / 'web.db'}"
    limits = FetchLimits(allow_private=True, retries=0, read_timeout=1.0, deadline=20.0)
    with county_sites(slow_seconds=2.0) as county, Store(db) as store:
        roster = folder / "名录.csv"
        roster.write_text(county.roster_csv, encoding="utf-8")
        import_roster(store.engine, roster)
        harvest(store.engine, HarvestOptions(year=YEAR, workers=1,
                                             settings=CrawlSettings(rate=50, retries=0, limits=limits)))
    app = create_app(Settings(db_url=db, secret_key="e2e-secret"))
    add_user(app.state.web.store.engine, "admin", "admin", PASSWORD)
    with serve(app) as url:
        yield url




def test_the_monitor_lists_the_missing_first_and_a_grade_leads_to_its_findings(server: str, page: Any) -> None:
    page.goto(f"{server}/monitor?year={YEAR}")
    rows = page.locator("#monitor tbody tr")
    assert rows.count() == 9
    assert "未发布" in rows.first.inner_text() and "采集失败" in page.locator("#monitor").inner_text()
    assert "逾期" in page.locator("tr.row-late").inner_text()
    tree = page.locator("#region-tree tbody tr").first.inner_text()
    assert "武隆区" in tree and "9" in tree
    late = page.locator("tr.row-late a.score")
    late.click()
    page.locator("#deductions").wait_for()
    assert "逾期公布" in page.locator("#deductions").inner_text()
    page.locator("a.to-finding", has_text="TIME-LATE").click()
    selected = page.locator(".finding.selected")
    selected.wait_for()
    assert "TIME-LATE" in selected.inner_text()
    with page.expect_download() as info:
        page.goto(f"{server}/monitor?year={YEAR}")
        page.click("#monitor-xlsx")
    assert info.value.suggested_filename == f"monitor-{YEAR}.xlsx"


def test_an_administrator_adds_a_body_to_the_roster(server: str, page: Any) -> None:
    page.goto(f"{server}/login?next=/roster")
    page.fill("#name", "admin")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{server}/roster")
    page.click("#new-body")
    page.fill("#f-name", "重庆市武隆区民政局")
    page.select_option("#f-level", "department")
    page.fill("#f-region_code", "500156")
    page.fill("#f-parent", "重庆市武隆区人民政府")
    page.click("#save")
    page.locator(".notice").wait_for()
    assert "重庆市武隆区民政局" in page.locator("#roster").inner_text()
    page.goto(f"{server}/monitor?year={YEAR}")
    assert page.locator("#monitor tbody tr").count() == 10
