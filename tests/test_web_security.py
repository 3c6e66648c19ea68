"""The web application attacked as an audit did (issue 11): each attack run again, each refused as it should be.

Sessions that outlive their logout, register reports read through another address, bodies
without a declared length, integers beyond the database's, guessed passwords, cross-site posts
to the JSON API, register dates in year 1 or 2100.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from test_web import PASSWORD, SEED_002, csrf, login, make_client
from xxgk.cli.main import app as cli
from xxgk.web.auth import end_sessions
from xxgk.web.throttle import SignInThrottle, ThrottleRule

MB = 1024 * 1024


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return make_client(tmp_path)


def web_app(client: TestClient) -> FastAPI:
    """The application a test client drives."""
    assert isinstance(client.app, FastAPI)
    return client.app


def session_cookie(client: TestClient) -> str:
    value = client.cookies.get("xxgk_session")
    assert isinstance(value, str) and value
    return value


def with_cookie(client: TestClient, cookie: str) -> TestClient:
    """Another browser holding a copy of a session cookie."""
    other = TestClient(client.app)
    other.cookies.set("xxgk_session", cookie)
    return other


def signed_in(response: Any) -> bool:
    return 'action="/logout"' in response.text


# --- 7. logout ends the session -----------------------------------------------------------------


def test_a_copied_cookie_is_worthless_after_logout(client: TestClient) -> None:
    login(client, "clerk")
    stolen = session_cookie(client)
    thief = with_cookie(client, stolen)
    assert thief.get("/api/register/applications").status_code == 200  # the copy works while signed in
    token = csrf(client, "/register")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 200
    assert thief.get("/api/register/applications").status_code == 401
    refused = thief.get("/register", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    thief_token = csrf(thief, "/")
    form = {"received": "2025-03-03", "channel": "online", "applicant_type": "natural_person",
            "applicant_name": "测试（虚构）", "request": "某文件"}
    wrote = thief.post("/api/register/applications", json=form, headers={"X-CSRF-Token": thief_token})
    assert wrote.status_code == 401


def test_end_sessions_signs_a_user_out_everywhere(client: TestClient) -> None:
    """What a password change or disabling the user calls: every session of that user ends, others' stay."""
    login(client, "clerk")
    laptop = with_cookie(client, session_cookie(client))
    other = TestClient(client.app)
    login(other, "admin")
    assert end_sessions(web_app(client).state.web.store.engine, "clerk") == 1
    for browser in (client, laptop):
        assert browser.get("/api/register/applications").status_code == 401
    assert other.get("/api/register/applications").status_code == 200


def test_an_expired_session_is_out_and_a_fresh_login_gets_a_new_one(client: TestClient) -> None:
    from sqlalchemy import update

    from xxgk.db.web_schema import WebSession

    login(client, "clerk")
    first = session_cookie(client)
    client.post("/logout", data={"csrf_token": csrf(client, "/register")})
    login(client, "clerk")
    assert session_cookie(client) != first
    with web_app(client).state.web.store.engine.begin() as conn:  # the session's hours are over
        conn.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert client.get("/api/register/applications").status_code == 401


# --- 8. one access rule for reports built from the register -------------------------------------


def test_a_register_report_is_for_register_roles_at_every_address(client: TestClient) -> None:
    login(client, "clerk")
    year = date.today().year - 1
    built = client.post("/register/report", data={"csrf_token": csrf(client, "/register/report"), "year": str(year),
                                                  "agency": "示例县测试局", "prose": "", "published": ""})
    token = str(built.url).rsplit("/", 1)[1]
    paths = [f"/check/{token}", f"/check/{token}/report.json", f"/check/{token}/report.xlsx",
             f"/register/report/{token}", f"/register/report/{token}/report.docx"]
    for path in paths:
        assert client.get(path).status_code == 200, path
    anonymous = TestClient(client.app)
    reviewer = TestClient(client.app)
    login(reviewer, "reviewer")
    for path in paths:
        assert anonymous.get(path, follow_redirects=False).status_code in (303, 401), path
        assert reviewer.get(path).status_code == 403, path
    # An uploaded report stays readable by whoever holds its token.
    with SEED_002.open("rb") as f:
        upload = anonymous.post("/check", data={"csrf_token": csrf(anonymous)}, files={"file": (SEED_002.name, f)})
    assert reviewer.get(str(upload.url) + "/report.json").status_code == 200


# --- 9. bodies without a declared length --------------------------------------------------------


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"0" * min(size, total - sent)
        sent += size


def test_bodies_without_a_declared_length_stop_at_the_limit(tmp_path: Path) -> None:
    client = make_client(tmp_path, max_upload_bytes=1 * MB, max_json_bytes=64 * 1024)
    token = csrf(client)
    boundary = "xxgkboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n").encode()

    def upload() -> Iterator[bytes]:
        yield head
        yield from chunks(3 * MB)

    response = client.post("/check", content=upload(),
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413 and "上传内容过大" in response.text
    assert "content-security-policy" in response.headers
    login(client, "clerk")
    api_token = csrf(client, "/register")
    for kind in ("application/json", "text/plain"):
        big = client.post("/api/register/applications", content=chunks(200 * 1024),
                          headers={"X-CSRF-Token": api_token, "Content-Type": kind})
        assert big.status_code == 413 and "请求内容过大" in big.json()["error"], kind
    # A declared length over the limit is refused before reading; one under it is served.
    declared = client.post("/api/register/applications", content=b"0" * (100 * 1024),
                           headers={"X-CSRF-Token": api_token, "Content-Type": "application/json"})
    assert declared.status_code == 413
    assert client.get("/").status_code == 200


def test_bad_json_bodies_are_400_in_chinese(client: TestClient) -> None:
    login(client, "clerk")
    token = csrf(client, "/register")
    for body in (b"{", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"[1, 2]"):
        answer = client.post("/api/register/applications", content=body,
                             headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
        assert answer.status_code == 400 and "JSON" in answer.json()["error"], body[:10]


# --- 10. integers beyond the database's ---------------------------------------------------------

HUGE = str(2**64)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """For the read-only probes below (each only GETs one address): one app, a client signed out and one per role."""
    clients = {"anonymous": make_client(tmp_path_factory.mktemp("probe"))}
    for role in ("clerk", "admin"):
        clients[role] = TestClient(clients["anonymous"].app)
        login(clients[role], role)
    yield clients


@pytest.mark.parametrize("path", [
    f"/api/reports/{HUGE}", f"/reports/{HUGE}", f"/reports/{HUGE}/report.xlsx", f"/agencies/{HUGE}",
    f"/api/agencies/{HUGE}", "/reports/0", f"/api/missing?year={HUGE}", f"/api/reports?year={HUGE}",
    f"/collection?year={HUGE}", f"/collection?offset={HUGE}", "/api/stats?year=-1", "/api/missing?year=0",
])
def test_huge_numbers_in_paths_and_queries_are_422_in_chinese(probe: dict[str, TestClient], path: str) -> None:
    answer = probe["anonymous"].get(path)
    assert answer.status_code == 422, path
    text = answer.json()["error"] if path.startswith("/api/") else answer.text
    assert "请求的参数无效" in text and "超出范围" in text


@pytest.mark.parametrize("path", [
    f"/register/applications/{HUGE}", f"/register/cases/{HUGE}", f"/api/register/applications?year={HUGE}",
    "/api/register/applications?year=0", f"/api/register/due?within={HUGE}", "/api/register/due?today=9999-12-31",
    f"/api/register/report?year={HUGE}&agency=x", "/api/register/report?year=2024&agency=x&published=0001-01-01",
])
def test_huge_numbers_and_dates_for_the_register_are_422(probe: dict[str, TestClient], path: str) -> None:
    assert probe["clerk"].get(path).status_code == 422, path


@pytest.mark.parametrize("path", [
    f"/reports/{HUGE}/grade", f"/monitor?year={HUGE}", f"/monitor.xlsx?year={HUGE}", "/monitor?year=0",
    f"/roster/{HUGE}",
])
def test_huge_numbers_for_the_reviewer_pages_are_422_in_chinese(probe: dict[str, TestClient], path: str) -> None:
    answer = probe["admin"].get(path)
    assert answer.status_code == 422, path
    assert "请求的参数无效" in answer.text and "超出范围" in answer.text


def test_huge_body_numbers_in_roster_forms_are_422(client: TestClient) -> None:
    login(client, "admin")
    token = csrf(client, "/roster/new")
    for path in (f"/roster/{HUGE}", f"/roster/{HUGE}/delete"):
        answer = client.post(path, data={"csrf_token": token, "name": "某某局", "level": "部门",
                                         "region_code": "500156"})
        assert answer.status_code == 422 and "超出范围" in answer.text, path


def test_huge_numbers_in_register_forms_are_400(client: TestClient) -> None:
    login(client, "clerk")
    token = csrf(client, "/register")
    built = client.post("/register/report", data={"csrf_token": token, "year": HUGE, "agency": "x"})
    assert built.status_code == 400 and "年度应为" in built.text
    case = client.post("/api/register/cases", json={"kind": "review", "filed": "2025-03-03", "application_id": HUGE},
                       headers={"X-CSRF-Token": token})
    assert case.status_code == 400 and "关联申请" in case.json()["error"]


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)


def test_every_integer_and_date_parameter_is_bounded(client: TestClient) -> None:
    """Routes added later must bound their numbers too (xxgk.web.params): no overflow reaches the database."""
    loose: list[str] = []
    for route in _routes(list(web_app(client).routes)):
        params = route.dependant.path_params + route.dependant.query_params
        for param in params:
            annotation = str(param.field_info.annotation)
            if "int" in annotation or "date" in annotation:
                # On the parameter, or on the number of an optional one (a blank field is None, beyond any bound).
                kinds = {type(m).__name__ for m in param.field_info.metadata}
                for member in get_args(param.field_info.annotation):
                    kinds |= {type(m).__name__ for f in getattr(member, "__metadata__", ())
                              for m in getattr(f, "metadata", ())}
                if not ({"Ge", "Gt"} & kinds and {"Le", "Lt"} & kinds):
                    loose.append(f"{route.path} {param.name}")
    assert not loose, f"bound these with xxgk.web.params: {loose}"


# --- 13. guessed passwords ----------------------------------------------------------------------


def attempt(client: TestClient, name: str, password: str) -> Any:
    return client.post("/login", data={"name": name, "password": password, "next": "/",
                                       "csrf_token": csrf(client, "/login")})


def test_guessing_a_password_is_locked_out_even_when_the_guess_is_right(tmp_path: Path) -> None:
    client = make_client(tmp_path, sign_in_account=ThrottleRule(free=3, base=60),
                         sign_in_address=ThrottleRule(free=6, base=60))
    for n in range(3):
        assert attempt(client, "clerk", f"wrong {n}").status_code == 401
    locked = attempt(client, "clerk", PASSWORD)  # the right password during the lock: refused unread
    assert locked.status_code == 429 and "登录失败次数过多" in locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 60
    assert not signed_in(locked)
    # Another account from the same address may still sign in, until the address has failed too often.
    assert attempt(client, "reviewer", PASSWORD).status_code == 200
    for n in range(6):
        attempt(client, f"nobody{n}", "wrong")
    assert attempt(client, "admin", PASSWORD).status_code == 429


def test_the_lock_doubles_and_success_forgets() -> None:
    throttle = SignInThrottle(ThrottleRule(free=2, base=1, cap=8), ThrottleRule(free=100), max_keys=3)
    for now in (0.0, 0.1):
        assert throttle.wait("a", "1.2.3.4", now) == 0
        throttle.failed("a", "1.2.3.4", now)
    assert throttle.wait("a", "1.2.3.4", 0.2) == 1
    waits = []
    now = 0.1
    for _ in range(5):
        now += throttle.wait("a", "1.2.3.4", now)
        throttle.failed("a", "1.2.3.4", now)
        waits.append(throttle.wait("a", "1.2.3.4", now))
    assert waits == [2, 4, 8, 8, 8]  # doubling up to the cap
    throttle.succeeded("a", "1.2.3.4")
    assert throttle.wait("a", "1.2.3.4", now) == 0
    for name in "bcde":  # bounded: the oldest names are forgotten
        throttle.failed(name, "5.6.7.8", now)
        throttle.failed(name, "5.6.7.8", now)
    assert throttle.wait("b", "9.9.9.9", now) == 0 and throttle.wait("e", "9.9.9.9", now) > 0
    assert throttle.wait("a", "1.2.3.4", now + 10_000) == 0  # forgotten after an hour


# --- 13. cross-site posts to /api/check ---------------------------------------------------------


def test_api_check_refuses_browsers_on_other_sites_and_serves_scripts(client: TestClient) -> None:
    text = SEED_002.read_text(encoding="utf-8")
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"}):
        refused = client.post("/api/check", data={"text": text}, headers=headers)
        assert refused.status_code == 403 and "跨站" in refused.json()["error"], headers
    for headers in ({}, {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}):
        answered = client.post("/api/check", data={"text": text}, headers=headers)
        assert answered.status_code == 200 and answered.json()["schema"] == "xxgk.report/1", headers


# --- 13. register dates -------------------------------------------------------------------------


@pytest.mark.parametrize("received", ["0001-01-01", "2100-01-01", "2007-12-31",
                                      (date.today() + timedelta(days=400)).isoformat()])
def test_register_dates_out_of_range_are_refused_everywhere(client: TestClient, tmp_path: Path,
                                                           received: str) -> None:
    login(client, "clerk")
    form = {"received": received, "channel": "online", "applicant_type": "natural_person",
            "applicant_name": "测试（虚构）", "request": "某文件"}
    api = client.post("/api/register/applications", json=form, headers={"X-CSRF-Token": csrf(client, "/register")})
    assert api.status_code == 400 and "收到日期：日期超出合理范围" in api.json()["error"]
    page = client.post("/register/applications", data={**form, "csrf_token": csrf(client, "/register")})
    assert page.status_code == 400 and "日期超出合理范围" in page.text
    db = ["--db", f"sqlite:///{tmp_path / 'web.db'}"]
    added = CliRunner().invoke(cli, ["register", "add", "--received", received, "--channel", "网络", "--type", "自然人",
                                     "--name", "某某", "--request", "x", *db])
    assert added.exit_code == 2 and "日期超出合理范围" in added.output
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(f"收到日期,申请方式,申请人类型,申请人,申请内容\n{received},网络,自然人,某某,x\n", encoding="utf-8")
    imported = CliRunner().invoke(cli, ["register", "import", str(ledger), *db])
    assert imported.exit_code == 2 and "日期超出合理范围" in imported.output


def test_a_date_stored_before_the_bound_is_still_listed(client: TestClient) -> None:
    """An old slip already in the database is shown (to be corrected), not an error page."""
    from sqlalchemy import insert

    from xxgk.db.register_schema import RegisterApplication

    engine = web_app(client).state.web.store.engine
    with engine.begin() as conn:
        conn.execute(insert(RegisterApplication).values(
            received=date(1, 1, 1), channel="online", applicant_type="natural_person", applicant_name="旧记录",
            request="x", created_at=datetime.now(UTC), updated_at=datetime.now(UTC)))
    login(client, "clerk")
    listed = client.get("/api/register/applications")
    assert listed.status_code == 200 and json.dumps(listed.json(), ensure_ascii=False).count("0001-01-01") == 1
    assert re.search("0001-01-01", client.get("/register").text)
