"""The register's settings page: an administrator sets the office's particulars and imports holiday schedules.

The 2027 schedule used here is test_register_holidays' FICTITIOUS test data, never a real notice.
"""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from test_register_holidays import FICTITIOUS_2027
from test_web import csrf, login, make_client
from xxgk.register.calendar import covered_years
from xxgk.web.state import WebState

OFFICE = "/register/office"


@pytest.fixture
def admin(tmp_path: Path) -> TestClient:
    client = make_client(tmp_path)
    login(client, "admin")
    return client


def state(client: TestClient) -> WebState:
    web: WebState = client.app.state.web  # type: ignore[attr-defined]
    return web


def upload(client: TestClient, text: str | bytes, replace: bool = False, name: str = "2027.toml") -> httpx2.Response:
    data = {"csrf_token": csrf(client, OFFICE), **({"replace": "1"} if replace else {})}
    raw = text.encode("utf-8") if isinstance(text, str) else text
    response: httpx2.Response = client.post("/register/holidays", data=data,
                                           files={"file": (name, raw, "application/toml")})
    return response


@pytest.mark.parametrize("role", ["clerk", "reviewer"])
def test_only_an_administrator_changes_the_office(tmp_path: Path, role: str) -> None:
    client = make_client(tmp_path)
    anonymous = client.get(OFFICE, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    login(client, role)
    assert client.get(OFFICE).status_code == 403
    token = csrf(client, "/register")
    refused = client.post(OFFICE, data={"csrf_token": token, "agency": "某局"})
    assert refused.status_code == 403 and "无权" in refused.text
    assert state(client).register.office().agency is None
    assert "/register/office" not in client.get("/register").text  # no link to a page they cannot open


def test_particulars_are_saved_validated_and_the_server_folder_is_not_set_from_the_web(admin: TestClient) -> None:
    assert 'href="/register/office"' in admin.get("/register").text
    page = admin.get(OFFICE)
    assert page.status_code == 200 and "告知书落款" in page.text
    form = {"csrf_token": csrf(admin, OFFICE), "agency": "  某市某区人民政府办公室 ", "review_body": "某市人民政府",
            "court": "", "require_id": "是", "templates": "/etc"}
    saved = admin.post(OFFICE, data=form)
    assert saved.status_code == 200 and "已保存本机关设置" in saved.text
    office = state(admin).register.office()
    assert (office.agency, office.review_body, office.court, office.require_id) == (
        "某市某区人民政府办公室", "某市人民政府", None, True)
    assert office.templates is None  # a path on the server: CLI only
    assert 'value="某市某区人民政府办公室"' in admin.get(OFFICE).text

    too_long = admin.post(OFFICE, data={**form, "agency": "局" * 201})
    assert too_long.status_code == 422 and 'role="alert">机关名称' in too_long.text, too_long.text[-3000:]
    assert "局" * 201 in too_long.text  # the form keeps what was typed
    assert state(admin).register.office().agency == "某市某区人民政府办公室"
    assert admin.post(OFFICE, data={"agency": "某局"}).status_code == 403  # no CSRF token


def test_a_schedule_is_imported_listed_replaced_and_removed(admin: TestClient) -> None:
    register = state(admin).register
    assert "尚未导入节假日安排" in admin.get(OFFICE).text
    template = admin.get("/register/holidays/template.toml", params={"year": 2027})
    assert template.status_code == 200 and "year = 2027" in template.text
    assert 'filename="holidays-2027.toml"' in template.headers["content-disposition"]

    app = register.add({"received": "2026-12-31", "channel": "letter", "applicant_type": "natural_person",
                        "applicant_name": "测试乙", "request": "某文件"})
    assert "无法计算" in admin.get(f"/register/applications/{app.id}").text  # 2027 is not in the package

    done = upload(admin, FICTITIOUS_2027)
    assert done.status_code == 200 and "已导入 2027 年节假日安排：放假 9 天，调休上班 1 天" in done.text
    assert [s.year for s in register.holiday_schedules()] == [2027]
    # The deadline of an application received in 2027 can now be worked out, on the imported days.
    page = admin.get(f"/register/applications/{app.id}").text
    assert "测试用虚构数据" in page and "无法计算" not in page

    again = upload(admin, FICTITIOUS_2027)
    assert again.status_code == 422 and "勾选“替换已有安排”" in again.text
    changed = FICTITIOUS_2027.replace("workdays = [2027-01-09]", "workdays = []")
    assert upload(admin, changed, replace=True).status_code == 200
    assert register.holiday_schedule(2027).workdays == ()

    removed = admin.post("/register/holidays/2027/remove", data={"csrf_token": csrf(admin, OFFICE)})
    assert removed.status_code == 200 and "已删除 2027 年节假日安排" in removed.text
    assert register.holiday_schedules() == []
    missing = admin.post("/register/holidays/2027/remove", data={"csrf_token": csrf(admin, OFFICE)})
    assert missing.status_code == 404 and "没有导入 2027 年" in missing.text


def test_pasted_text_is_imported_and_wrong_files_are_explained(admin: TestClient) -> None:
    pasted = admin.post("/register/holidays", data={"csrf_token": csrf(admin, OFFICE), "text": FICTITIOUS_2027})
    assert pasted.status_code == 200 and "已导入 2027 年" in pasted.text

    last = covered_years()[1]  # a year chinese-calendar knows: importing it needs 替换
    known = (FICTITIOUS_2027.replace("2027", str(last)).replace(f"〔{last}〕", f"〔{last - 1}〕")
             .replace(f"workdays = [{last}-01-09]", "workdays = []"))
    covered = upload(admin, known)
    assert covered.status_code == 422 and "chinesecalendar 已收录" in covered.text

    broken = admin.post("/register/holidays", data={"csrf_token": csrf(admin, OFFICE),
                                                     "text": "year = 2028\nholidays = [2028-01-01,\n"})
    assert broken.status_code == 422 and "不是有效的 TOML" in broken.text
    assert "year = 2028" in broken.text  # pasted text is kept for correcting
    wrong_day = upload(admin, FICTITIOUS_2027.replace("2027", "2028").replace("2028-01-09", "2028-13-09"))
    assert wrong_day.status_code == 422
    assert upload(admin, "年".encode("gbk") * 10).status_code == 422
    assert upload(admin, b"#" * (65 * 1024)).status_code == 413
    deep = upload(admin, "year = 2028\nholidays = " + "[" * 30000)
    assert deep.status_code == 422 and "嵌套过深" in deep.text
    nothing = admin.post("/register/holidays", data={"csrf_token": csrf(admin, OFFICE)})
    assert nothing.status_code == 422 and "请选择节假日安排文件" in nothing.text
    assert admin.get("/register/holidays/template.toml", params={"year": 1900}).status_code == 422
    assert [s.year for s in state(admin).register.holiday_schedules()] == [2027]
