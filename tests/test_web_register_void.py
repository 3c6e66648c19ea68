"""The register's web pages: 作废 and 恢复 on an application's page, and the list's search form with its pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient

from test_web import csrf, login, make_client
from xxgk.register import Register

NAME = "欧阳网页甲"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    client = make_client(tmp_path)
    received = date.today() - timedelta(days=40)  # overdue by now: in the reminders
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        for ref in ("W-001", "W-001重"):
            register.add({"reference": ref, "received": received, "channel": "letter",
                          "applicant_type": "natural_person", "applicant_name": NAME, "request": "某道路改造工程的批复文件"})
    return client


def applications_table(html: str) -> str:
    return html.split('id="applications"')[1].split("</table>")[0]


def due_table(html: str) -> str:
    return html.split('id="due"')[1].split("</table>")[0]


def test_a_clerk_voids_and_restores_an_application(client: TestClient) -> None:
    login(client, "clerk")
    page = client.get("/register/applications/2").text
    assert 'id="void-form"' in page and 'action="/register/applications/2/void"' in page
    blank = client.post("/register/applications/2/void", data={"csrf_token": csrf(client), "reason": " "})
    assert blank.status_code == 400 and "请填写作废原因" in blank.text
    forged = client.post("/register/applications/2/void", data={"csrf_token": "x", "reason": "重复登记"})
    assert forged.status_code == 403
    voided = client.post("/register/applications/2/void",
                         data={"csrf_token": csrf(client), "reason": "重复登记，同W-001"})
    assert voided.status_code == 200 and "?voided=1" in str(voided.url)
    html = voided.text
    assert 'id="voided"' in html and "重复登记，同W-001" in html and "clerk（网页）" in html
    assert 'id="restore-form"' in html and 'id="void-form"' not in html and 'id="save"' not in html
    assert "<fieldset class=\"plain\" disabled>" in html and 'id="letters"' not in html
    assert 'id="void-history"' in html
    assert client.get("/register/applications/2/letters/correction.docx").status_code == 400
    edited = client.post("/register/applications/2", data={"csrf_token": csrf(client), "note": "改"})
    assert edited.status_code == 400 and "请先恢复" in edited.text and 'id="voided"' in edited.text

    home = client.get("/register").text
    assert "W-001重" not in applications_table(home) and "W-001" in applications_table(home)
    assert 'href="/register/applications/2"' not in due_table(home)
    assert "另有 1 件已作废的申请符合条件" in home
    shown = client.get("/register", params={"voided": "include"}).text
    assert 'class="voided"' in applications_table(shown) and "已作废" in applications_table(shown)

    restored = client.post("/register/applications/2/restore", data={"csrf_token": csrf(client), "reason": "误作废"})
    assert restored.status_code == 200 and "已恢复" in restored.text and 'id="void-form"' in restored.text
    assert restored.text.count("clerk（网页）") == 2  # both steps in the history
    assert "W-001重" in applications_table(client.get("/register").text)


def test_a_reviewer_may_not_void_and_a_linked_case_stops_it(client: TestClient, tmp_path: Path) -> None:
    login(client, "reviewer")
    assert client.post("/register/applications/1/void", data={"csrf_token": csrf(client), "reason": "x"}).status_code == 403
    assert client.post("/register/applications/1/restore", data={"csrf_token": csrf(client)}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client)})
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        register.add_case({"reference": "FY-1", "kind": "review", "filed": date.today(), "application_id": 1})
    login(client, "clerk")
    refused = client.post("/register/applications/1/void", data={"csrf_token": csrf(client), "reason": "重复登记"})
    assert refused.status_code == 400 and "第1号案件（FY-1）" in refused.text and 'id="voided"' not in refused.text


def test_the_search_form_finds_by_name_masked_and_keeps_its_query_across_pages(tmp_path: Path) -> None:
    client = make_client(tmp_path)
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        for n in range(60):
            register.add({"reference": f"P-{n:03d}", "received": date(2025, 3, 3) + timedelta(days=n),
                          "channel": "online" if n % 2 else "letter", "applicant_type": "natural_person",
                          "applicant_name": NAME if n % 2 else "司马某某", "request": f"第{n}号道路的批复文件",
                          "answered": date(2025, 6, 30), "outcome": "granted"})
    login(client, "reviewer")  # everyone signed in may search; the list masks names for all
    first = client.get("/register", params={"name": "欧阳", "channel": "online"})
    assert first.status_code == 200
    table = applications_table(first.text)
    assert table.count("<tr") == 31 and NAME not in first.text and "欧****" in table  # heading + a full page
    assert 'value="欧阳"' in first.text  # the form shows the search back
    assert "P-001" in table and "P-000" not in table
    page = client.get("/register", params={"name": "欧阳", "channel": "online", "offset": "0"})
    assert "共 30 件" in page.text
    everything = client.get("/register").text
    assert "共 60 件" in everything and "显示第 1–50 件" in everything
    link = re.search(r'id="next-page"[^>]*|href="([^"]+)" id="next-page"', everything)
    assert link and link.group(1)
    second = client.get(link.group(1).replace("&amp;", "&"))
    assert "显示第 51–60 件" in second.text and 'id="previous-page"' in second.text
    narrowed = client.get("/register", params={"request": "道路 第5", "from": "2025-03-01", "to": "2025-04-15"})
    table = applications_table(narrowed.text)
    assert "P-005" in table and "P-050" not in table and "共 1 件" in narrowed.text  # P-050: received 2025-04-22
    kept = re.search(r'href="([^"]+)" id="next-page"', client.get(
        "/register", params={"request": "道路", "outcome": "granted"}).text)
    assert kept and parse_qs(urlsplit(kept.group(1).replace("&amp;", "&")).query) == {
        "request": ["道路"], "outcome": ["granted"], "offset": ["50"]}
    bad = client.get("/register", params={"from": "2025-13-40"})
    assert bad.status_code == 400 and 'id="search-error"' in bad.text and "收到日期起" in bad.text
    api = client.get("/api/register/applications", params={"name": "欧阳", "from": "2025-03-01", "to": "2025-03-10"})
    assert api.status_code == 200 and [a["reference"] for a in api.json()] == ["P-001", "P-003", "P-005", "P-007"]
    assert all(a["applicant_name"] == "欧****" for a in api.json())


def test_the_applicant_sees_a_voided_application_as_such(tmp_path: Path) -> None:
    from test_web_apply import DAY, apply

    client = make_client(tmp_path, today=lambda: DAY)
    receipt = apply(client)
    number = re.search(r"GK\d{8}-[0-9A-Z]{5}-[0-9A-Z]{5}", receipt.text)
    assert number
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        found = register.by_receipt(number.group(0))
        assert found and found.id
        register.void(found.id, "申请人重复提交（内部备注）", "张三")
    status = client.post("/apply/status", data={"csrf_token": csrf(client, "/apply/status"), "number": number.group(0)})
    assert status.status_code == 200 and "已作废" in status.text
    assert 'id="status-due"' not in status.text and "内部备注" not in status.text


def api_token(client: TestClient) -> dict[str, str]:
    """The header the JSON API's writes need: the session's CSRF token."""
    return {"X-CSRF-Token": csrf(client, "/register")}


def test_the_api_voids_and_restores_as_the_buttons_do(client: TestClient, tmp_path: Path) -> None:
    """Same roles, same refusals with the same Chinese messages; the user recorded; documented in /docs."""
    void, restore = "/api/register/applications/2/void", "/api/register/applications/2/restore"
    assert client.post(void, json={"reason": "重复登记"}).status_code == 403  # no session, no token
    login(client, "reviewer")
    assert client.post(void, json={"reason": "重复登记"}, headers=api_token(client)).status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "clerk")
    assert client.post(void, json={"reason": "重复登记"}).status_code == 403  # the token is needed
    blank = client.post(void, json={"reason": " "}, headers=api_token(client))
    assert blank.status_code == 400 and blank.json()["error"] == "请填写作废原因"
    assert client.post(void, headers=api_token(client)).json()["error"] == "请填写作废原因"  # no body at all
    not_json = client.post(void, content=b"reason", headers=api_token(client))
    assert not_json.status_code == 400 and "JSON" in not_json.json()["error"]
    missing = client.post("/api/register/applications/99/void", json={"reason": "x"}, headers=api_token(client))
    assert missing.status_code == 404 and missing.json()["error"] == "没有第99号申请"
    not_voided = client.post(restore, json={}, headers=api_token(client))
    assert not_voided.status_code == 400 and not_voided.json()["error"] == "第2号申请没有作废，无需恢复"

    done = client.post(void, json={"reason": "重复登记，同W-001"}, headers=api_token(client))
    assert done.status_code == 200, done.text
    app = done.json()["application"]
    assert app["voided_by"] == "clerk（接口）" and app["void_reason"] == "重复登记，同W-001"
    assert app["applicant_name"] != NAME and isinstance(done.json()["warnings"], list)  # masked as in lists
    again = client.post(void, json={"reason": "再次"}, headers=api_token(client))
    assert again.status_code == 400 and "已作废，不能修改或再次作废" in again.json()["error"]
    assert [a["reference"] for a in client.get("/api/register/applications").json()] == ["W-001"]
    page = client.get("/register/applications/2").text
    assert 'id="voided"' in page and "clerk（接口）" in page  # the page's history shows it

    back = client.post(restore, headers=api_token(client))  # a reason may be left out
    assert back.status_code == 200 and back.json()["application"]["voided_at"] is None
    assert len(client.get("/api/register/applications").json()) == 2
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        assert [(e.action, e.by) for e in register.void_history(2)] == [("void", "clerk（接口）"),
                                                                        ("restore", "clerk（接口）")]
        register.add_case({"reference": "FY-1", "kind": "review", "filed": date.today(), "application_id": 1})
    linked = client.post("/api/register/applications/1/void", json={"reason": "重复登记"}, headers=api_token(client))
    button = client.post("/register/applications/1/void", data={"csrf_token": csrf(client), "reason": "重复登记"})
    assert linked.status_code == button.status_code == 400
    assert "第1号案件（FY-1）" in linked.json()["error"] and linked.json()["error"] in button.text

    described = client.get("/openapi.json").json()["paths"]
    for path in ("/api/register/applications/{app_id}/void", "/api/register/applications/{app_id}/restore"):
        operation = described[path]["post"]
        assert operation["summary"] and "reason" in str(operation["requestBody"])
