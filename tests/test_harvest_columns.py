"""How a harvest reads the columns real sites have, served on 127.0.0.1 (nothing reaches the internet).

Each class of column a walkthrough of a city's thirty bodies met: a county's column listing its
townships' reports, a 解读 listed beside (or instead of) the report, a list oldest first, titles cut
short, a list a script loads, a pager a script writes, a dead 信息公开 link before the live one, a
column longer than the page limit, an attachment robots.txt forbids, a PDF linked straight from the
list with its date beside it, a site down and a column gone. A body whose column could not be read
through is 未能核实 in the monitor and the circular, never 未发布.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from sites import PNG, REGION, YEAR, Route, _serve, list_page, notice_page, pdf_of, report_page, report_text
from xxgk.db import roster_schema
from xxgk.read.crawl import Crawler, CrawlSettings
from xxgk.read.crawl_links import Link, is_report_link, older_only, page_links, script_next_page
from xxgk.read.document import ReadError
from xxgk.read.fetch_http import FetchLimits
from xxgk.store import Store
from xxgk.store.circular import circular_context
from xxgk.store.harvest import BodyOutcome, HarvestOptions, harvest
from xxgk.store.monitor import monitor
from xxgk.store.roster import import_roster

LOCAL = FetchLimits(allow_private=True, retries=0, read_timeout=2.0, connect_timeout=2.0, deadline=20.0)
FAST = CrawlSettings(rate=100.0, retries=0, backoff=0.05, limits=LOCAL)
WL = "重庆市武隆区"
OFFICE = WL + "人民政府办公室"
TITLE = f"{YEAR}年政府信息公开工作年度报告"
MEMO = "重庆市武隆区人民政府办公室"


def _report(agency: str, published: str = "2023-01-18") -> bytes:
    """A real report (武隆区政府办公室's) as ``agency``'s, on its page."""
    return report_page(f"{agency}{TITLE}", report_text("wulong_2022.txt", MEMO, agency, date_line=""), published)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _routes() -> dict[str, Route]:
    town1, town2 = WL + "仙女山街道", WL + "白马镇"
    report_only_in_pdf = report_text("wulong_2022.txt", MEMO, WL + "民族宗教事务委员会", date_line="")
    report_only_in_pdf = "\n".join(line for line in report_only_in_pdf.splitlines() if not line.startswith("您当前"))
    routes: dict[str, Route] = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /module/download/\n", "text/plain"),
        "/images/logo.png": Route(PNG, "image/png"),
        # The government's column lists its townships' reports, not its own (yet).
        "/gov/": Route(list_page("政府信息公开年报", [
            ("/gov/t1.html", f"{town1}{TITLE}", "2023-03-28"),
            ("/gov/t2.html", f"{town2}{TITLE}", "2023-03-27"),
            ("/gov/2021.html", f"{WL}人民政府2021年政府信息公开工作年度报告", "2022-03-10")])),
        "/gov/t1.html": Route(_report(town1, "2023-03-28")),
        "/gov/t2.html": Route(_report(town2, "2023-03-27")),
        # A commission's own column listing its report under its usual short name (卫健委), not in the roster.
        "/wjw/": Route(list_page("年报", [("/wjw/r.html", f"{WL}卫健委{TITLE}", "2023-01-24")])),
        "/wjw/r.html": Route(_report(WL + "卫健委", "2023-01-24")),
        # A bureau's own column whose title names no body; the report behind it is a township's.
        "/jw/": Route(list_page("年报", [("/jw/r.html", TITLE, "2023-01-20")])),
        "/jw/r.html": Route(_report(town1, "2023-01-20")),
        # A 解读 listed before the report; and a column listing only the 解读, which links the report.
        "/tjj/": Route(list_page("年报", [
            ("/tjj/jd.html", f"《{WL}统计局{TITLE}》解读", "2023-01-19"),
            ("/tjj/r.html", f"{WL}统计局{TITLE}", "2023-01-19")])),
        "/tjj/jd.html": Route(report_page(f"《{WL}统计局{TITLE}》解读", "一、报告的主要内容\n二、工作成效", "2023-01-19")),
        "/tjj/r.html": Route(_report(WL + "统计局", "2023-01-19")),
        "/sjj/": Route(list_page("年报", [("/sjj/jd.html", f"一图读懂{WL}审计局{TITLE}", "2023-01-16")])),
        "/sjj/jd.html": Route(('<html><head><meta charset="utf-8"><title>一图读懂</title></head><body><h1>一图读懂</h1>'
                               '<p><a href="/sjj/r.html">点击查看原文</a></p></body></html>').encode()),
        "/sjj/r.html": Route(_report(WL + "审计局", "2023-01-16")),
        # Oldest first over two pages.
        "/czj/": Route(list_page("年报", [(f"/czj/{y}.html", f"{WL}财政局{y}年政府信息公开工作年度报告", f"{y + 1}-01-20")
                                          for y in (2019, 2020)], "/czj/index_1.html")),
        "/czj/index_1.html": Route(list_page("年报", [
            ("/czj/2021.html", f"{WL}财政局2021年政府信息公开工作年度报告", "2022-01-20"),
            ("/czj/2022.html", f"{WL}财政局{TITLE}", "2023-01-20")])),
        "/czj/2022.html": Route(_report(WL + "财政局", "2023-01-20")),
        # One report a page: oldest first (the year's report on page 3), newest first with none of the year.
        **{("/sfj/" if n == 0 else f"/sfj/index_{n}.html"): Route(list_page("年报", [
            (f"/sfj/{y}.html", f"{WL}司法局{y}年政府信息公开工作年度报告", f"{y + 1}-01-20")],
            f"/sfj/index_{n + 1}.html" if n < 2 else None)) for n, y in enumerate((2020, 2021, YEAR))},
        "/sfj/2022.html": Route(_report(WL + "司法局", "2023-01-20")),
        **{("/slj/" if n == 0 else f"/slj/index_{n}.html"): Route(list_page("年报", [
            (f"/slj/{y}.html", f"{WL}水利局{y}年政府信息公开工作年度报告", f"{y + 1}-01-20")], f"/slj/index_{n + 1}.html"))
           for n, y in enumerate((2021, 2020, 2019))},
        # Titles cut short by the CMS.
        "/mzj/": Route(list_page("年报", [("/mzj/r.html", f"{WL}民政局{YEAR}年政府信息公开工作年…", "2023-01-17"),
                                          ("/mzj/r21.html", f"{WL}民政局2021年政府信息公开工作年…", "2022-01-17")])),
        "/mzj/r.html": Route(_report(WL + "民政局", "2023-01-17").replace(  # a picture robots.txt forbids
            b"</body>", b'<img src="/module/download/t.png"></body>')),
        # A list a script loads from a JSON API: no links in the page's HTML.
        "/gaj/": Route("<!DOCTYPE html><html><head><meta charset='utf-8'><title>年报</title></head><body>"
                       "<ul id='list'></ul><script>fetch('/api/list.json').then(r=>r.json()).then(j=>{})</script>"
                       "</body></html>".encode()),
        # A pager written by TRS's script: page 2 is index_1.html.
        "/swj/index.html": Route(list_page("年报", [
            ("/swj/t.html", f"{WL}白马镇{TITLE}", "2023-01-20")]).replace(
            b"</ul>", b'</ul><script>createPageHTML(2, 0, "index", "html");</script>')),
        "/swj/index_1.html": Route(list_page("年报", [("/swj/r.html", f"{WL}商务委员会{TITLE}", "2023-01-21")])),
        "/swj/r.html": Route(_report(WL + "商务委员会", "2023-01-21")),
        # A site whose menu's 信息公开 link is dead; the body's own one leads to the column.
        "/site/": Route("<html><head><meta charset='utf-8'></head><body><a href='/dead/'>信息公开</a>"
                        "<a href='/site/xxgk/'>政府信息公开</a></body></html>".encode()),
        "/site/xxgk/": Route("<html><head><meta charset='utf-8'></head><body>"
                             "<a href='/site/nb/'>政府信息公开年报</a></body></html>".encode()),
        "/site/nb/": Route(list_page("年报", [("/site/r.html", f"{WL}机关事务管理局{TITLE}", "2023-01-22")])),
        "/site/r.html": Route(_report(WL + "机关事务管理局", "2023-01-22")),
        # A site rebuilt: the roster's column address is gone, the home page links the new column.
        "/rsj/": Route("<html><head><meta charset='utf-8'></head><body><a href='/rsj/new/'>政府信息公开年报</a>"
                       "</body></html>".encode()),
        "/rsj/new/": Route(list_page("年报", [("/rsj/r.html", f"{WL}人力资源和社会保障局{TITLE}", "2023-01-23")])),
        "/rsj/r.html": Route(_report(WL + "人力资源和社会保障局", "2023-01-23")),
        # A column longer than the page limit.
        **{("/deep/" if n == 0 else f"/deep/index_{n}.html"): Route(list_page("年报", [
            (f"/deep/{n}.html", f"{WL}某中心{n}{TITLE}", "2023-01-10")], f"/deep/index_{n + 1}.html"))
           for n in range(4)},
        # The report only in an attachment robots.txt forbids.
        "/fgw/": Route(list_page("年报", [("/fgw/n.html", f"{WL}发展和改革委员会{TITLE}", "2023-01-15")])),
        "/fgw/n.html": Route(notice_page(f"{WL}发展和改革委员会{TITLE}", "2023-01-15",
                                         "/module/download/downfile.jsp?fileid=7&filename=r.pdf",
                                         f"{WL}发展和改革委员会{TITLE}.pdf")),
        # A PDF linked straight from the list, its date beside the link and nowhere in the PDF.
        "/mzw/": Route(list_page("年报", [("/mzw/r.pdf", f"{WL}民族宗教事务委员会{TITLE}", "2023-01-27")])),
        "/mzw/r.pdf": Route(pdf_of(report_only_in_pdf, "mzw.txt"), "application/pdf"),
        # A column gone.
        "/jtw/": Route(b"gone", "text/plain", status=404),
    }
    return routes


@dataclass
class Run:
    store: Store
    outcomes: dict[str, BodyOutcome]
    base: str


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    httpd, server = _serve(_routes())
    base, down = server.base, f"http://127.0.0.1:{_closed_port()}"
    bodies = [("人民政府", "政府", "", "/gov/"), ("教育委员会", "部门", "", "/jw/"), ("统计局", "部门", "", "/tjj/"),
              ("审计局", "部门", "", "/sjj/"), ("财政局", "部门", "", "/czj/"), ("民政局", "部门", "", "/mzj/"),
              ("公安局", "部门", "", "/gaj/"), ("商务委员会", "部门", "", "/swj/index.html"),
              ("机关事务管理局", "部门", "/site/", ""), ("档案馆", "部门", "", "/deep/"),
              ("发展和改革委员会", "部门", "", "/fgw/"), ("民族宗教事务委员会", "部门", "", "/mzw/"),
              ("交通运输委员会", "部门", "", "/jtw/"), ("卫生健康委员会", "部门", "", "/wjw/"), ("人力资源和社会保障局", "部门", "/rsj/", "/rsj/old/"), ("医疗保障局", "部门", "", "DOWN/col/"),
              ("司法局", "部门", "", "/sfj/"), ("水利局", "部门", "", "/slj/")]
    def where(path: str) -> str:
        return "" if not path else path.replace("DOWN", down) if path.startswith("DOWN") else base + path

    lines = ["名称,级别,行政区划代码,上级机关,网站,年报栏目"]
    for name, level, site, column in bodies:
        parent = "" if level == "政府" else WL + "人民政府"
        lines.append(f"{WL}{name},{level},{REGION},{parent},{where(site)},{where(column)}")
    folder = tmp_path_factory.mktemp("columns")
    roster = folder / "名录.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(f"sqlite:///{folder / 'h.db'}")
    import_roster(store.engine, roster)
    try:
        summary = harvest(store.engine, HarvestOptions(year=YEAR, settings=FAST, workers=1, max_pages=3))
        yield Run(store, {o.name.removeprefix(WL): o for o in summary.outcomes}, base)
    finally:
        store.close()
        httpd.shutdown()
        httpd.server_close()


def test_another_bodys_report_is_never_taken_for_this_body(run: Run) -> None:
    gov = run.outcomes["人民政府"]
    assert gov.status == "not_found" and gov.report_id is None
    assert "其他机关" in (gov.reason or "") and "仙女山街道" in (gov.reason or "")
    # A title naming no body, on the body's own column: the report behind it is read, and it is a township's.
    edu = run.outcomes["教育委员会"]
    assert edu.status == "not_found" and "仙女山街道" in (edu.reason or "") and "不是本机关的" in (edu.reason or "")
    with run.store.engine.connect() as conn:
        t = roster_schema.RosterReport
        assert conn.execute(select(t.report_id).where(t.body_id == edu.body_id)).first() is None


def test_a_title_naming_a_like_body_otherwise_on_the_bodys_own_column_is_unverified_not_missing(run: Run) -> None:
    # 卫健委 may be 卫生健康委员会 in short: the report is not taken, nor is the body said to have published none.
    outcome = run.outcomes["卫生健康委员会"]
    assert outcome.status == "unverified" and outcome.report_id is None
    assert "卫健委" in (outcome.reason or "") and "其他名称" in (outcome.reason or "")
    # A township's title on a government's column is surely another body's: that one stays not found.
    assert run.outcomes["人民政府"].status == "not_found"


def test_the_report_is_taken_not_its_interpretation_and_an_interpretation_leads_to_it(run: Run) -> None:
    assert run.outcomes["统计局"].status == "found"
    assert (run.outcomes["统计局"].report_url or "").endswith("/tjj/r.html")
    assert run.outcomes["审计局"].status == "found"
    assert (run.outcomes["审计局"].report_url or "").endswith("/sjj/r.html")


def test_lists_oldest_first_cut_titles_script_pagers_dead_menu_links_and_gone_columns_are_read(run: Run) -> None:
    for body, path in (("财政局", "/czj/2022.html"), ("民政局", "/mzj/r.html"), ("商务委员会", "/swj/r.html"),
                       ("机关事务管理局", "/site/r.html"), ("人力资源和社会保障局", "/rsj/r.html")):
        outcome = run.outcomes[body]
        assert outcome.status == "found", (body, outcome.reason)
        assert (outcome.report_url or "").endswith(path)


def test_a_single_older_report_on_a_page_does_not_end_a_list_whose_order_is_not_shown_yet(run: Run) -> None:
    # One report a page, oldest first: page 1's single 2020 report does not end the list; the year's is on page 3.
    found = run.outcomes["司法局"]
    assert found.status == "found" and (found.report_url or "").endswith("/sfj/2022.html"), found.reason
    # Newest first: page 2's report, older than page 1's, shows the list going back in time; the year's is not there.
    missing = run.outcomes["水利局"]
    assert missing.status == "not_found" and "查看了 2 页" in (missing.reason or ""), missing.reason


def test_a_column_not_read_through_is_unverified_and_says_why(run: Run) -> None:
    scripted = run.outcomes["公安局"]
    assert scripted.status == "unverified" and "脚本" in (scripted.reason or "") and "报告的网址" in (scripted.reason or "")
    deep = run.outcomes["档案馆"]
    assert deep.status == "unverified" and "3 页（页数上限）" in (deep.reason or "") and "--max-pages" in (deep.reason or "")
    blocked = run.outcomes["发展和改革委员会"]
    assert blocked.status == "unverified" and "robots.txt" in (blocked.reason or "")
    assert blocked.report_id is not None
    stored = run.store.get(blocked.report_id)
    assert stored is not None
    notes = [f.message for f in stored.findings if f.rule == "READ-NOTE"]
    assert any("robots.txt" in n and "采集时未能下载" in n for n in notes) and not any("404" in n for n in notes)
    # A picture not downloaded is said as such too (a found report: pictures alone do not make it unverified).
    found = run.store.get(run.outcomes["民政局"].report_id or 0)
    assert found is not None
    assert any("图片" in f.message and "robots.txt" in f.message for f in found.findings if f.rule == "READ-NOTE")


def test_the_date_beside_the_link_in_the_list_is_the_publication_date_when_nothing_else_says(run: Run) -> None:
    outcome = run.outcomes["民族宗教事务委员会"]
    assert outcome.status == "found", outcome.reason
    stored = run.store.get(outcome.report_id or 0)
    assert stored is not None and stored.meta.published == "2023-01-27"
    assert "PARSE-PUBLISHED-LIST" in {f.rule for f in stored.findings if f.where == "meta.published"}


def test_monitor_and_circular_call_a_body_unverified_not_missing_when_its_column_was_not_read(run: Run) -> None:
    assert run.outcomes["交通运输委员会"].status == "failed" and run.outcomes["医疗保障局"].status == "failed"
    result = monitor(run.store.engine, YEAR, today=date(2023, 6, 1))
    states = {r.body.name.removeprefix(WL): r.status for r in result.rows}
    assert {n for n, s in states.items() if s == "unverified"} == {"交通运输委员会", "医疗保障局", "公安局", "档案馆",
                                                                   "发展和改革委员会", "卫生健康委员会"}
    assert {n for n, s in states.items() if s == "missing"} == {"人民政府", "教育委员会", "水利局"}
    context = circular_context(run.store.engine, result, "某办", "附件.xlsx", "武隆区")
    assert context["missing"] == 3 and context["unverified"] == 6
    assert "医疗保障局" in context["unverified_names"] and "医疗保障局" not in context["missing_names"]


def test_a_harvest_stopped_before_storing_stores_as_one_not_stopped_when_resumed(run: Run, tmp_path: Path) -> None:
    # What the download saw is kept with the body's result: the date beside the link in the list (民族宗教事务委员会's
    # PDF has none), the attachment robots.txt forbade (发展和改革委员会's tables were in it), the picture (民政局).
    kept = {"民族宗教事务委员会": "/mzw/", "发展和改革委员会": "/fgw/", "民政局": "/mzj/"}
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码,上级机关,网站,年报栏目\n" + "".join(
        f"{WL}{name},部门,{REGION},,,{run.base}{column}\n" for name, column in kept.items()), encoding="utf-8")
    steps: list[str] = []

    def stop_before_storing(step: str, outcome: BodyOutcome | None) -> None:
        steps.append(step)
        if steps.count("crawled") == len(kept):  # every body downloaded, none stored yet: Ctrl-C
            raise KeyboardInterrupt

    def seen(store: Store, outcomes: list[BodyOutcome]) -> tuple[object, ...]:
        """What a reviewer sees: the harvest's word on each body, the monitor's rows, the stored reports' notes."""
        rows = monitor(store.engine, YEAR, today=date(2023, 6, 1)).rows
        notes = {o.name: sorted(f"{f.rule} {f.message}" for f in stored.findings
                                if f.rule in ("READ-NOTE", "PARSE-PUBLISHED-LIST"))
                 for o in outcomes if (stored := store.get(o.report_id or 0)) is not None}
        numbered = re.compile(r"报告编号 \d+")  # reports are numbered in the order they are stored
        said = sorted((o.name, o.status, numbered.sub("报告编号", o.reason or "")) for o in outcomes)
        return (said, [(r.body.name, r.status, r.published, numbered.sub("报告编号", r.harvest or ""),
                        r.grade and r.grade.score) for r in rows], notes)

    options = HarvestOptions(year=YEAR, settings=FAST, workers=1)
    with Store(f"sqlite:///{tmp_path / 'whole.db'}") as whole, Store(f"sqlite:///{tmp_path / 'stopped.db'}") as store:
        import_roster(whole.engine, roster)
        first = harvest(whole.engine, options).outcomes
        expected = seen(whole, first)
        import_roster(store.engine, roster)
        with pytest.raises(KeyboardInterrupt):
            harvest(store.engine, options, stop_before_storing)
        assert "stored" not in steps
        resumed = harvest(store.engine, options).outcomes
        assert all(o.resumed and o.downloaded_before for o in resumed)  # the CLI says 上次采集已下载，本次入库
        assert seen(store, resumed) == expected
    assert {o.name.removeprefix(WL): o.status for o in first} == {"民族宗教事务委员会": "found", "发展和改革委员会": "unverified", "民政局": "found"}


def test_the_exit_status_tells_a_harvest_with_bodies_unverified_from_one_complete(run: Run, tmp_path: Path) -> None:
    # A script harvesting needs to know that coverage is incomplete: 3 when none failed but some are 未能核实.
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    columns = {"统计局": "/tjj/", "公安局": "/gaj/", "交通运输委员会": "/jtw/"}  # found, a scripted list, a column gone
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码,上级机关,网站,年报栏目\n" + "".join(
        f"{WL}{name},部门,{REGION},,,{run.base}{column}\n" for name, column in columns.items()), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'h.db'}"
    wide = CliRunner(env={"COLUMNS": "400"})
    assert wide.invoke(app, ["roster", "import", str(roster), "--db", url]).exit_code == 0

    def harvested(*only: str) -> tuple[int, str]:
        done = wide.invoke(app, ["harvest", "--year", str(YEAR), "--allow-private", "--rate", "10", "--workers", "1",
                                 "--quiet", "--db", url, *only])
        return done.exit_code, done.output

    code, said = harvested()
    assert code == 1 and "采集不完整：1 个机关采集失败，1 个机关未能核实（是否发布无法判断）；退出状态 1" in said
    code, said = harvested("--name", "公安局")
    assert code == 3 and "采集不完整：1 个机关未能核实（是否发布无法判断）；退出状态 3" in said
    code, said = harvested("--name", "统计局")
    assert code == 0 and "采集不完整" not in said and "已找到 1 个" in said


# --- the pieces, on their own --------------------------------------------------------------------------


def test_report_links_leave_out_companions_and_take_cut_titles() -> None:
    assert not is_report_link(Link("u", f"《某局{TITLE}》解读"), YEAR)
    assert not is_report_link(Link("u", f"一图读懂某局{TITLE}"), YEAR)
    assert is_report_link(Link("u", f"某局{YEAR}年政府信息公开工作年…"), YEAR)
    assert is_report_link(Link("u", f"某局{YEAR}年政府信息..."), YEAR)
    assert not is_report_link(Link("u", f"某局{YEAR}年政府..."), YEAR)  # 政府工作报告 as much as anything


def test_a_list_oldest_first_is_not_taken_for_one_gone_past_the_year() -> None:
    newest_first = [Link(str(y), f"某局{y}年政府信息公开工作年度报告") for y in (2021, 2020, 2019)]
    assert older_only(newest_first, 2022) and not older_only(newest_first[::-1], 2022)
    # One report alone tells no order: the list goes on, unless the page before listed a newer one.
    single = newest_first[1:2]
    assert not older_only(single, 2022) and not older_only(single, 2022, [2019]) and older_only(single, 2022, [2021])


def test_list_dates_and_script_pagers_are_read_from_the_page() -> None:
    html = ("<ul><li><a href='/a.html'>某局2022年政府信息公开工作年度报告</a><span>2023-01-27</span></li>"
            "<li><span><a href='/b.html'>某局2021年年报</a></span> 2022年1月5日</li></ul>")
    assert [link.listed for link in page_links(html, "http://x/")] == ["2023-01-27", "2022-01-05"]
    pager = '<script>createPageHTML(3, 1, "index", "shtml");</script>'
    assert script_next_page(pager, "http://x/nb/index_1.shtml", "http://x/nb/", 2) == "http://x/nb/index_2.shtml"
    assert script_next_page("<p>共 2 页</p>", "http://x/nb/", "http://x/nb/", 1) == "http://x/nb/index_1.html"
    assert script_next_page("<p>共 2 页</p>", "http://x/nb/", "http://x/nb/", 2) is None


def test_a_refused_private_address_and_a_site_down_are_said_as_they_are(run: Run) -> None:
    from test_harvest import _Memory

    private = Crawler(CrawlSettings(rate=0, retries=0, limits=FetchLimits(allow_private=False, retries=0)), _Memory())
    with pytest.raises(ReadError, match="--allow-private") as refused:
        private.fetch(run.base + "/gov/")
    assert "robots" not in str(refused.value)
    crawler = Crawler(FAST, _Memory())
    with pytest.raises(ReadError, match="网站无法访问") as down:
        crawler.fetch(f"http://127.0.0.1:{_closed_port()}/col/")
    assert "robots" not in str(down.value)


def test_ctrl_c_says_it_was_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    import typer

    from xxgk.cli import main

    stopped = typer.Typer()

    @stopped.callback()
    def group() -> None:
        """A command group, as xxgk's."""

    @stopped.command("harvest")
    def harvest_cmd() -> None:
        raise KeyboardInterrupt  # Ctrl-C while it runs: typer makes it a silent exit 130

    monkeypatch.setattr(main, "only", lambda name: stopped)
    monkeypatch.setattr("sys.argv", ["xxgk", "harvest"])
    for name, value in (("handlers", []), ("propagate", True)):  # run() sets SQLAlchemy's logger up: undone after
        monkeypatch.setattr(logging.getLogger("sqlalchemy"), name, value)
    with pytest.raises(SystemExit) as stop:
        main.run()
    said = capsys.readouterr().err
    assert stop.value.code == 130 and "已中断" in said and "继续" in said


def test_ctrl_c_breaking_a_connection_close_prints_no_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLAlchemy's pool logs a close that Ctrl-C broke, with its traceback: not on the terminal; other warnings are."""
    import logging

    import typer

    from xxgk.cli import main

    stopped = typer.Typer()

    @stopped.callback()
    def group() -> None:
        """A command group, as xxgk's."""

    @stopped.command("harvest")
    def harvest_cmd() -> None:
        pool = logging.getLogger("sqlalchemy.pool.impl.NullPool")  # as the pool logs it while Ctrl-C unwinds
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            pool.error("Exception closing connection %r", "<sqlite3.Connection>", exc_info=True)
        pool.warning("连接池的其他警告")
        raise KeyboardInterrupt

    monkeypatch.setattr(main, "only", lambda name: stopped)
    monkeypatch.setattr("sys.argv", ["xxgk", "harvest"])
    for name, value in (("handlers", []), ("propagate", True)):  # run() sets SQLAlchemy's logger up: undone after
        monkeypatch.setattr(logging.getLogger("sqlalchemy"), name, value)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as in the CLI: no handler but Python's last resort
    with pytest.raises(SystemExit) as stop:
        main.run()
    said = capsys.readouterr().err
    assert stop.value.code == 130 and "已中断" in said and "连接池的其他警告" in said
    assert "Traceback" not in said and "Exception closing connection" not in said


def test_roster_list_piped_prints_whole_names(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    url = f"sqlite:///{tmp_path / 'x.db'}"
    roster = tmp_path / "名录.csv"
    long = f"{WL}人力资源和社会保障局"
    roster.write_text(f"名称,级别,行政区划代码,年报栏目\n{long},部门,{REGION},http://example.invalid/col/nb/\n",
                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["roster", "import", str(roster), "--db", url]).exit_code == 0
    listed = runner.invoke(app, ["roster", "list", "--db", url])
    assert f"\t{long}\t" in listed.output and "http://example.invalid/col/nb/" in listed.output

