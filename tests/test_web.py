"""The web application through FastAPI's TestClient: check, collection, register, security."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient

from conftest import CORPUS
from xxgk.web import Settings, create_app
from xxgk.web.auth import add_user

SEED_002 = next(CORPUS.glob("seed_002_*.txt"))
PASSWORD = "correct horse battery"


def make_client(tmp_path: Path, **settings: Any) -> TestClient:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'web.db'}", secret_key="test-secret", **settings))
    engine = app.state.web.store.engine
    for name, role in (("clerk", "clerk"), ("reviewer", "reviewer"), ("admin", "admin")):
        add_user(engine, name, role, PASSWORD)
    return TestClient(app)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return make_client(tmp_path)


def csrf(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, as the page at ``path`` puts it in its forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, name: str) -> None:
    response = client.post("/login", data={"name": name, "password": PASSWORD, "next": "/",
                                           "csrf_token": csrf(client, "/login")})
    assert response.status_code == 200 and f"{name}（" in response.text


def check_file(client: TestClient, path: Path, name: str | None = None) -> Any:
    with path.open("rb") as f:
        return client.post("/check", data={"csrf_token": csrf(client)}, files={"file": (name or path.name, f)})


def test_upload_seed_002_highlights_its_short_row(client: TestClient) -> None:
    response = check_file(client, SEED_002)
    assert response.status_code == 200 and "/check/" in str(response.url)
    html = response.text
    # The row the parser could not place is flagged, cell by cell, with the finding that names it.
    flagged = re.findall(r'class="value flag flag-warning" data-key="requests\.rejected\.publications\.(\w+)"', html)
    assert "total" in flagged and len(flagged) == 7
    assert "PARSE-ROW-SHORT" in html
    finding = re.search(r'data-finding="(\d+)"\s+data-cells="([^"]*)"', html)
    assert finding and "requests.rejected.publications.total" in finding.group(2)
    # Other rows are not flagged.
    assert 'flag" data-key="requests.granted.total"' not in html
    assert re.search(r'class="value" data-key="requests\.granted\.total"', html)


def test_the_check_address_opened_directly_leads_to_the_form(client: TestClient) -> None:
    """/check (where a refused upload is answered) opened again is the form, not a method error."""
    response = client.get("/check", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'id="check-form"' in client.get("/check").text


def test_downloads_json_and_xlsx(client: TestClient) -> None:
    base = str(check_file(client, SEED_002).url)
    data = client.get(base + "/report.json")
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    report = json.loads(data.content)
    assert report["schema"] == "xxgk.report/1"
    assert any(f["rule"] == "PARSE-ROW-SHORT" for f in report["findings"])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(base + "/report.xlsx").content))
    ids = {row[3]: row[4] for row in book["表格"].iter_rows(min_row=2, values_only=True)}
    assert ids["requests.granted.total"] == report["tables"]["requests"]["granted"]["total"]
    assert ids["requests.rejected.publications.total"] is None  # left blank, as the report JSON
    assert any(r[1] == "PARSE-ROW-SHORT" for r in book["问题"].iter_rows(values_only=True))


def test_report_text_with_script_is_shown_as_text(client: TestClient) -> None:
    text = SEED_002.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    evil = "<script>alert('xss')</script>"
    response = client.post("/check", data={"csrf_token": csrf(client), "text": first + evil + "\n" + rest})
    assert response.status_code == 200
    assert evil not in response.text
    assert "&lt;script&gt;alert(" in response.text


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    csrf(client)  # a session exists
    with SEED_002.open("rb") as f:
        assert client.post("/check", files={"file": ("a.txt", f)}).status_code == 403
    assert client.post("/check", data={"csrf_token": "forged", "text": "x"}).status_code == 403
    refused = client.post("/login", data={"name": "clerk", "password": PASSWORD})
    assert refused.status_code == 403 and "CSRF" in refused.text
    login(client, "clerk")
    form = {"received": "2025-03-03", "channel": "online", "applicant_type": "natural_person",
            "applicant_name": "测试（虚构）", "request": "某文件"}
    assert client.post("/register/applications", data=form).status_code == 403
    assert client.post("/api/register/applications", json=form).status_code == 403


def test_the_register_requires_signing_in(client: TestClient) -> None:
    response = client.get("/register", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/register/applications").status_code == 401
    assert client.get("/register/applications/new", follow_redirects=False).status_code == 303
    wrong = client.post("/login", data={"name": "clerk", "password": "wrong password", "csrf_token": csrf(client)})
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    login(client, "reviewer")
    assert client.get("/register").status_code == 200
    # A reviewer reads the register but does not write it.
    assert client.get("/register/applications/new").status_code == 403


def test_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    response = client.get("/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/report.html", "http://localhost:9/", "http://[::1]:9/"])
def test_web_addresses_on_the_servers_own_network_are_refused(client: TestClient, url: str) -> None:
    response = client.post("/check", data={"csrf_token": csrf(client), "url": url})
    assert response.status_code == 400
    assert "不允许访问内网或本机地址" in response.text
    api = client.post("/api/check", data={"url": url})
    assert api.status_code == 400 and "不允许访问内网或本机地址" in api.json()["error"]


def test_uploads_are_limited_and_typed_from_content(tmp_path: Path) -> None:
    client = make_client(tmp_path, max_upload_bytes=2000)
    big = client.post("/check", data={"csrf_token": csrf(client)}, files={"file": ("a.txt", b"x" * 100_000)})
    assert big.status_code == 413 and "过大" in big.text
    # A name saying .txt does not make a PDF a text file: the bytes decide (and a broken PDF is an error).
    fake = client.post("/check", data={"csrf_token": csrf(client)}, files={"file": ("报告.txt", b"%PDF-1.4\nbroken")})
    assert fake.status_code == 400 and "PDF" in fake.text
    empty = client.post("/check", data={"csrf_token": csrf(client)})
    assert empty.status_code == 400 and "请选择文件" in empty.text


def test_add_an_application_and_see_it_due(client: TestClient) -> None:
    login(client, "clerk")
    received = date.today() - timedelta(days=40)
    form = {"csrf_token": csrf(client, "/register/applications/new"), "received": received.isoformat(),
            "channel": "letter", "applicant_type": "natural_person", "applicant_name": "网页测试人（虚构）",
            "request": "某道路工程的批复文件"}
    added = client.post("/register/applications", data=form)
    assert added.status_code == 200 and "已保存" in added.text and "答复期限的计算" in added.text
    home = client.get("/register").text
    due = home.split('id="due"')[1].split("</table>")[0]
    assert "已逾期" in due and "网**" in due  # personal data masked in lists
    # The same validation as the CLI: an answer date without an outcome is refused, in Chinese.
    app_id = re.search(r"/register/applications/(\d+)", str(added.url))
    assert app_id
    bad = client.post(f"/register/applications/{app_id.group(1)}",
                      data={**form, "csrf_token": csrf(client), "answered": date.today().isoformat()})
    assert bad.status_code == 400 and "答复日期和办理结果须同时登记" in bad.text
    ok = client.post(f"/register/applications/{app_id.group(1)}",
                     data={**form, "csrf_token": csrf(client), "answered": date.today().isoformat(),
                           "outcome": "granted"})
    assert ok.status_code == 200 and "已保存" in ok.text
    assert "已逾期" not in client.get("/register").text.split('id="due"')[1].split("</table>")[0]


def test_a_date_of_a_step_taken_after_today_is_flagged_on_the_record(client: TestClient) -> None:
    from datetime import timedelta

    from xxgk.register.public import china_today

    login(client, "clerk")
    ahead = (china_today() + timedelta(days=15)).isoformat()
    form = {"csrf_token": csrf(client, "/register/applications/new"), "received": ahead, "channel": "in_person",
            "applicant_type": "natural_person", "applicant_name": "网页测试人（虚构）", "request": "某文件"}
    saved = client.post("/register/applications", data=form)
    assert saved.status_code == 200 and "已保存" in saved.text
    assert 'id="record-warning"' in saved.text and "收到日期晚于今天" in saved.text
    form["received"] = "2025-03-03"
    fixed = client.post("/register/applications/1", data={**form, "csrf_token": csrf(client)})
    assert fixed.status_code == 200 and 'id="record-warning"' not in fixed.text


def test_the_register_page_shows_deadlines_from_an_imported_schedule(tmp_path: Path) -> None:
    from test_register_holidays import FICTITIOUS_2027  # fictitious test data, not the real notice
    from xxgk.register import Register
    from xxgk.register.calendar import use_schedules

    client = make_client(tmp_path)
    login(client, "clerk")
    # Received long ago, extended: its deadline falls in 2027, which chinese-calendar does not know.
    form = {"csrf_token": csrf(client, "/register/applications/new"), "received": "2026-11-20", "channel": "letter",
            "applicant_type": "natural_person", "applicant_name": "网页测试人（虚构）", "request": "某文件",
            "extension_days": "20", "extension_approved": "2026-12-15"}
    assert client.post("/register/applications", data=form).status_code == 200
    try:
        due = client.get("/register").text.split('id="due"')[1].split("</table>")[0]
        assert "无法计算" in due and "xxgk register holidays import" in due
        # Imported from the command line (another connection): the running app uses it at the next page.
        with Register(f"sqlite:///{tmp_path / 'web.db'}") as other:
            other.import_holidays(FICTITIOUS_2027)
        use_schedules([])
        home = client.get("/register").text
        assert "2027-01-18" in home.split('id="applications"')[1].split("</table>")[0]
        assert "国办发明电〔2026〕999号" in home.split('id="calendar"')[1].split("</table>")[0]
        shown = client.get("/register/applications/1").text
        assert "2027-01-18" in shown and "国办发明电〔2026〕999号" in shown
    finally:
        use_schedules([])


def test_build_a_report_and_download_it(client: TestClient) -> None:
    import xxgk

    login(client, "clerk")
    year = date.today().year - 1
    for received, answered in ((f"{year}-03-03", f"{year}-03-20"), (f"{year}-05-06", f"{year}-05-25")):
        added = client.post("/register/applications", data={
            "csrf_token": csrf(client), "received": received, "channel": "online", "applicant_type": "natural_person",
            "applicant_name": "示例（虚构）", "request": "某文件", "answered": answered, "outcome": "granted"})
        assert added.status_code == 200 and "已保存" in added.text
    built = client.post("/register/report", data={"csrf_token": csrf(client, "/register/report"), "year": str(year),
                                                  "agency": "示例县测试局", "prose": "", "published": ""})
    assert built.status_code == 200 and "下载 Word" in built.text
    docx = client.get(str(built.url) + "/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    report = xxgk.parse(docx.content, "report.docx")
    assert report.tables["requests"] is not None
    assert report.tables["requests"]["new_received"]["total"] == 2
    assert report.tables["requests"]["granted"]["total"] == 2
    page = client.get(str(built.url) + "/report.html")
    assert page.status_code == 200 and "示例县测试局" in page.content.decode("utf-8")


def test_save_to_the_collection_and_browse_it(client: TestClient) -> None:
    base = str(check_file(client, SEED_002).url)
    assert "审核员或管理员" in client.get(base).text  # anonymous: no save button
    login(client, "reviewer")
    saved = client.post(base + "/save", data={"csrf_token": csrf(client, base)})
    assert saved.status_code == 200 and "/reports/" in str(saved.url)
    assert "requests.rejected.publications.total" in saved.text
    listing = client.get("/collection").text
    assert "庆阳市人民政府外事办公室" in listing
    agency = re.search(r'href="/agencies/(\d+)"', listing)
    assert agency
    assert client.get(f"/agencies/{agency.group(1)}").status_code == 200
    filtered = client.get("/collection", params={"rule": "PARSE-ROW-SHORT", "year": 2020}).text
    assert "庆阳市人民政府外事办公室" in filtered
    assert "没有符合条件的报告" in client.get("/collection", params={"errors": "yes"}).text
    charts = client.get("/collection/charts").text
    specs = re.findall(r'<script type="application/json" class="chart"[^>]*>(.*?)</script>', charts, re.S)
    assert len(specs) == 7 and all(json.loads(s)["data"] is not None for s in specs)
    stats = client.get("/api/stats").json()
    assert stats[0]["year"] == 2020 and stats[0]["reports"] == 1
    assert client.get("/api/reports").json()[0]["agency"] == "庆阳市人民政府外事办公室"


def test_a_private_collection_needs_signing_in(tmp_path: Path) -> None:
    client = make_client(tmp_path, public_collection=False)
    assert client.get("/collection", follow_redirects=False).status_code == 303
    assert client.get("/api/reports").status_code == 401
    login(client, "clerk")
    assert client.get("/collection").status_code == 200


def test_everything_is_served_locally(client: TestClient) -> None:
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "/api/check" in client.get("/openapi.json").json()["paths"]
    # The bundled Swagger UI (4.x) reads OpenAPI 3.0 only: it is given the description in 3.0's words.
    older = client.get("/openapi-3.0.json").json()
    assert older["openapi"].startswith("3.0.") and older["paths"].keys() == client.get("/openapi.json").json()["paths"].keys()
    assert '{"type": "null"}' not in json.dumps(older)
    for path in ("/", "/collection", "/collection/charts", "/login"):
        assert "http" not in re.sub(r'href="https?://[^"]*"', "", client.get(path).text.split("<main>")[0])


def test_users_are_added_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["users", "add", "张科员", "--role", "clerk", "--db", db, "--password-stdin"],
                           input="a long password\n")
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["users", "add", "张科员", "--role", "clerk", "--db", db, "--password-stdin"],
                          input="a long password\n")
    assert again.exit_code == 2 and "用户已存在" in again.output
    bad = runner.invoke(app, ["users", "add", "李", "--role", "boss", "--db", db, "--password-stdin"],
                        input="a long password\n")
    assert bad.exit_code == 2 and "角色应为" in bad.output
    from xxgk.store import Store
    from xxgk.web.auth import authenticate

    with Store(db) as store:
        user = authenticate(store.engine, "张科员", "a long password")
        assert user is not None and user.role == "clerk"
        assert authenticate(store.engine, "张科员", "wrong") is None
        stored = store.engine.connect().exec_driver_sql("select password_hash from web_users").scalar()
        assert str(stored).startswith("$argon2")


def test_demo_register_fills_plausible_applications(tmp_path: Path) -> None:
    from xxgk.register import Register
    from xxgk.web.demo import fill_demo_register

    with Register(f"sqlite:///{tmp_path / 'demo.db'}") as register:
        assert fill_demo_register(register) == 8
        assert fill_demo_register(register) == 0
        apps = register.applications()
        assert all("虚构" in a.applicant_name for a in apps)
        statuses = {item.status for item in register.due(date.today())}
        assert "overdue" in statuses


def test_a_report_checked_from_a_web_address_can_be_saved(tmp_path: Path) -> None:
    """What was checked is stored, even when the site answers differently afterwards: it is not fetched again."""
    import functools
    import http.server
    import threading

    from xxgk.read.fetch_http import FetchLimits

    site = tmp_path / "site"
    site.mkdir()
    (site / "report.txt").write_bytes(SEED_002.read_bytes())
    asked: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            asked.append(self.path)

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/report.txt"
        client = make_client(tmp_path, fetch_limits=FetchLimits(allow_private=True, deadline=30.0))
        checked = client.post("/check", data={"csrf_token": csrf(client), "url": url})
        assert checked.status_code == 200 and "/check/" in str(checked.url)
        assert asked == ["/report.txt"]
        # The site now answers with another report: the one checked is still the one stored.
        (site / "report.txt").write_bytes(next(CORPUS.glob("seed_001_*.txt")).read_bytes())
        login(client, "reviewer")
        base = str(checked.url)
        assert "保存到报告库" in client.get(base).text
        saved = client.post(base + "/save", data={"csrf_token": csrf(client, base)})
        assert saved.status_code == 200 and "/reports/" in str(saved.url), saved.text[:300]
        assert asked == ["/report.txt"]
        assert "庆阳市人民政府外事办公室" in client.get("/collection").text
        stored = client.get(str(saved.url) + "/report.json").json()
        assert stored["source"]["sha256"] == hashlib.sha256(SEED_002.read_bytes()).hexdigest()
    finally:
        server.shutdown()


def test_a_stored_report_shows_its_cross_report_findings_and_offers_its_file(tmp_path: Path) -> None:
    """Two years of one agency in the store: the later one's page shows the cross-year findings with a link to the
    other report, and the file it was read from is a download (never rendered)."""
    from xxgk.store import Store

    corpus = Path(__file__).parent / "data" / "corpus"
    client = make_client(tmp_path)
    # One district's reports of 2023 and 2024, the later carrying over 2 where the earlier carried forward none.
    line = "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"
    later = tmp_path / "hongze_2024.txt"
    later.write_text((corpus / "dev_003.txt").read_text(encoding="utf-8").replace(
        line, "二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2"), encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        store.ingest([corpus / "dev_002.txt", later], workers=1)
        across = [f for f in store.findings(scope="collection") if f.related_report_id is not None]
        assert across
    login(client, "reviewer")
    shown = across[0]
    page = client.get(f"/reports/{shown.report_id}").text
    assert "跨报告的问题" in page and shown.rule in page and f'href="/reports/{shown.related_report_id}"' in page
    assert "<title>" in page and "<title>报告 ·" not in page  # the report's own title
    original = client.get(f"/reports/{shown.report_id}/original")
    assert original.status_code == 200 and original.headers["content-type"] == "application/octet-stream"
    assert original.headers["content-disposition"].startswith("attachment;")
    assert original.content == later.read_bytes()
    assert client.get("/reports/999/original").status_code == 404


@pytest.mark.parametrize("name", ["报告.附件一", 'report.t"xt', "报告"])
def test_a_stored_file_of_any_name_is_offered_for_download(tmp_path: Path, name: str) -> None:
    """The header's ASCII name takes the extension only where it is plain (a header is Latin-1; a quote ends it)."""
    from xxgk.store import Store

    path = tmp_path / name
    path.write_bytes((Path(__file__).parent / "data" / "corpus" / "dev_002.txt").read_bytes())
    client = make_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        store.ingest([path], workers=1)
        (stored,) = store.reports()
    login(client, "reviewer")
    response = client.get(f"/reports/{stored.id}/original")
    assert response.status_code == 200 and response.content == path.read_bytes()
    ascii_name = response.headers["content-disposition"].split('filename="', 1)[1].split('"', 1)[0]
    assert ascii_name in ("original", "original.txt") and ascii_name.isascii()
