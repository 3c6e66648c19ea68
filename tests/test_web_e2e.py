"""End to end in headless Chromium (the system's, driven by Playwright; no browser is downloaded)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

from conftest import CORPUS
from served import NO_CHROMIUM, serve

pytestmark = NO_CHROMIUM
SEED_002 = next(CORPUS.glob("seed_002_*.txt"))
PASSWORD = "e2e password 123"
# The public form's applications are received on this day (one the installed calendar covers):
# Friday 2025-03-07 → 20 working days → Monday 2025-04-07 (Qingming 4.4 off).
APPLY_DAY, APPLY_DUE = date(2025, 3, 7), date(2025, 4, 7)



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread, for this module's tests."""
    from xxgk.web import Settings, create_app
    from xxgk.web.auth import add_user

    db = tmp_path_factory.mktemp("e2e") / "web.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", secret_key="e2e-secret", today=lambda: APPLY_DAY))
    add_user(app.state.web.store.engine, "clerk", "clerk", PASSWORD)
    with serve(app) as url:
        yield url




def test_upload_seed_002_and_see_its_flagged_row(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.set_input_files("#file", str(SEED_002))
    page.click("#check-button")
    cell = page.locator('td[data-key="requests.rejected.publications.total"]')
    cell.wait_for()
    assert "flag-warning" in (cell.get_attribute("class") or "")
    finding = page.locator(".finding", has_text="PARSE-ROW-SHORT")
    finding.click()
    assert "selected" in (cell.get_attribute("class") or "")
    assert page.locator("#source .line.selected").count() == 1


def test_sign_in_add_an_application_and_see_it_due(server: str, page: Any) -> None:
    page.goto(server + "/register")
    page.fill("#name", "clerk")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.click("#new-application")
    page.fill("#f-received", (date.today() - timedelta(days=45)).isoformat())
    page.select_option("#f-channel", "online")
    page.select_option("#f-applicant_type", "natural_person")
    page.fill("#f-applicant_name", "端到端测试人（虚构）")
    page.fill("#f-request", "某项目的环境影响评价批复")
    page.click("#save")
    page.locator(".notice").wait_for()
    page.goto(server + "/register")
    due = page.locator("#due")
    assert "已逾期" in due.inner_text() and "某项目的环境影响评价批复" in due.inner_text()


def test_build_a_report_and_download_it(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(server + "/register/report")
    if page.locator("#login-form").count():
        page.fill("#name", "clerk")
        page.fill("#password", PASSWORD)
        page.click("#login-form button[type=submit]")
    page.fill("#year", str(date.today().year))
    page.fill("#agency", "示例县端到端测试局")
    page.click("#build")
    page.locator("table.statutory").first.wait_for()
    with page.expect_download() as info:
        page.click("#download-docx")
    target = tmp_path / "report.docx"
    info.value.save_as(target)
    import xxgk

    report = xxgk.parse(target)
    assert report.meta.agency == "示例县端到端测试局"
    assert report.tables["requests"] is not None


def test_apply_online_see_it_in_the_register_and_look_up_its_status(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(server + "/apply")
    page.select_option("#a-applicant_type", "natural_person")
    page.fill("#a-applicant_name", "公众端到端（虚构）<b>")
    page.fill("#a-applicant_contact", "13900001111")
    page.fill("#a-request", "本县2024年度某道路改造工程的立项批复文件")
    page.select_option("#a-info_form", "electronic")
    page.select_option("#a-delivery", "online")
    page.click("#apply-check")
    page.locator("#apply-summary").wait_for()
    assert "公众端到端（虚构）<b>" in page.locator("#apply-summary").inner_text()  # shown as text
    page.click("#apply-confirm")
    number = page.locator("#receipt-number").inner_text().strip()
    assert number.startswith("GK20250307-") and APPLY_DUE.isoformat() in page.locator("#receipt-due").inner_text()
    page.screenshot(path=str(tmp_path / "receipt.png"), full_page=True)
    # The office sees it in the register, received on the confirmation day, with its due date.
    page.goto(server + "/register")
    if page.locator("#login-form").count():
        page.fill("#name", "clerk")
        page.fill("#password", PASSWORD)
        page.click("#login-form button[type=submit]")
    row = page.locator("#applications tr", has_text=number)
    row.wait_for()
    cells = row.inner_text()
    assert APPLY_DAY.isoformat() in cells and APPLY_DUE.isoformat() in cells and "公众端到端" not in cells
    # The applicant looks up the status with the receipt number (signed out: no sign-in needed).
    page.context.clear_cookies()
    page.goto(server + "/apply/status")
    page.fill("#s-number", number.lower())
    page.click("#status-lookup")
    assert page.locator("#status-state").inner_text() == "办理中"
    assert APPLY_DUE.isoformat() in page.locator("#status-due").inner_text()


def _sign_in(page: Any, server: str, name: str, password: str) -> None:
    page.goto(server + "/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")


def test_signing_out_ends_the_session_for_a_copied_cookie_too(server: str, browser: Any) -> None:
    mine = browser.new_context(locale="zh-CN")
    theirs = browser.new_context(locale="zh-CN")
    try:
        page = mine.new_page()
        _sign_in(page, server, "clerk", PASSWORD)
        copied = theirs.new_page()
        theirs.add_cookies(mine.cookies())  # someone else now holds the same cookie
        copied.goto(server + "/register")
        assert copied.locator("#new-application").count() == 1
        page.click("button:has-text('退出')")
        page.wait_for_url(server + "/")
        copied.goto(server + "/register")
        assert "/login" in copied.url and copied.locator("#login-form").count() == 1
    finally:
        mine.close()
        theirs.close()


def test_guessing_passwords_is_locked_out(server: str, page: Any) -> None:
    for n in range(5):
        _sign_in(page, server, "guesser", f"guess number {n}")
        assert "用户名或密码不正确" in page.inner_text("main")
    _sign_in(page, server, "guesser", "one more guess")
    assert "登录失败次数过多" in page.inner_text("main")


def test_a_formula_in_a_report_downloads_as_text(server: str, page: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    lines = SEED_002.read_text(encoding="utf-8").split("\n")
    lines[lines.index("五、存在的主要问题及改进情况") + 1] = "=cmd|' /C calc'!A0"
    page.goto(server + "/")
    page.fill("#text", "\n".join(lines))
    page.click("#check-button")
    page.locator("#findings").wait_for()
    with page.expect_download() as info:
        page.click("a:has-text('下载 XLSX')")
    target = tmp_path / "report.xlsx"
    info.value.save_as(target)
    book = load_workbook(target)
    quotes = [c for row in book["问题"].iter_rows(min_row=2) for c in row if c.value == "=cmd|'/Ccalc'!A0"]
    assert quotes and all(c.data_type == "s" and c.quotePrefix for c in quotes)
    numbers = [row[4] for row in book["表格"].iter_rows(min_row=2) if row[4].value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers)
