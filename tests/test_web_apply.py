"""The public application form and status look-up (no sign-in), and the letters' downloads, via TestClient."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from docx import Document
from fastapi.testclient import TestClient

from test_web import csrf, login, make_client
from xxgk.register.public import normal_receipt_number, resident_id_ok

NAME = "欧阳公众甲"
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"  # a valid check character (GB 11643), not a real person's


def form(client: TestClient, **changes: str) -> dict[str, str]:
    data = {"csrf_token": csrf(client, "/apply"), "applicant_type": "natural_person", "applicant_name": NAME,
            "applicant_contact": PHONE, "request": "本县2024年度某道路改造工程的立项批复文件", "info_form": "electronic",
            "delivery": "online", "applicant_id_type": "", "applicant_id_number": "", "applicant_address": ""}
    data.update(changes)
    return data


def apply(client: TestClient, **changes: str) -> Any:
    """Fill in, check, confirm: the receipt page."""
    checked = client.post("/apply", data=form(client, applicant_contact="gongzhong@example.com", delivery="email",
                                               **changes))
    assert checked.status_code == 200, checked.text
    token = re.search(r'name="token" value="([^"]+)"', checked.text)
    assert token
    return client.post("/apply/confirm", data={"csrf_token": csrf(client, "/apply"), "token": token.group(1)})


# Confirmed on Friday 2025-03-07 (a date the installed calendar covers): due 20 working days later,
# 3.10–14 → 5, 3.17–21 → 10, 3.24–28 → 15, 3.31–4.3 → 19, Qingming 4.4 off, Mon 4.7 → 20.
DAY, DUE = date(2025, 3, 7), date(2025, 4, 7)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return make_client(tmp_path, apply_limit=(3, 3600), today=lambda: DAY)


def test_the_form_asks_for_what_article_29_requires(client: TestClient) -> None:
    page = client.get("/apply")
    assert page.status_code == 200  # no sign-in
    for field in ("applicant_type", "applicant_name", "applicant_id_type", "applicant_id_number", "applicant_contact",
                  "applicant_address", "request", "info_form", "delivery"):
        assert f'name="{field}"' in page.text, field
    assert "第二十九条" in page.text and "第三十一条第（三）项" in page.text


def test_apply_confirm_get_a_receipt_and_look_up_the_status(client: TestClient,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    receipt = apply(client)
    assert receipt.status_code == 200 and str(receipt.url).endswith("/apply/receipt")
    number = re.search(r'id="receipt-number">([^<]+)<', receipt.text)
    assert number and normal_receipt_number(number.group(1)) == number.group(1)
    assert DAY.isoformat() in receipt.text and f"{DUE.isoformat()} 前" in receipt.text
    assert "第三十三条第二款" in receipt.text
    # In the register: received online on the confirmation day, the name masked in the list.
    register = client.app.state.web.register  # type: ignore[attr-defined]
    app = register.by_receipt(number.group(1))
    assert app is not None and app.channel == "online" and app.received == DAY
    assert app.applicant_name == NAME and app.delivery == "email" and app.info_form == "electronic"
    login(client, "clerk")
    listing = client.get("/register").text
    assert number.group(1) in listing and NAME not in listing and "欧****" in listing
    assert DUE.isoformat() in listing  # with its due date
    # The status, by the number as typed (lower case, spaces).
    typed = " " + number.group(1).lower().replace("-", " - ") + " "
    found = client.post("/apply/status", data={"csrf_token": csrf(client, "/apply/status"), "number": typed})
    assert found.status_code == 200 and "办理中" in found.text and f"{DUE.isoformat()} 前" in found.text
    assert NAME not in found.text
    missing = client.post("/apply/status", data={"csrf_token": csrf(client, "/apply/status"),
                                                  "number": "GK20250101-AAAAA-AAAAA"})
    assert missing.status_code == 404 and "没有找到" in missing.text
    assert NAME not in caplog.text and "gongzhong@example.com" not in caplog.text


def test_every_field_is_validated_and_escaped(client: TestClient) -> None:
    bad = client.post("/apply", data=form(client, applicant_contact="call me", request="短",
                                           applicant_name="<script>alert(1)</script>"))
    assert bad.status_code == 400
    assert "联系方式" in bad.text and "所需信息：过短" in bad.text
    # What is wrong, not "不能为空", for a filled-in field (the tester's cases).
    short = client.post("/apply", data=form(client, request="低保名单"))
    assert short.status_code == 400 and "所需信息：过短，至少应有5个字" in short.text and "不能为空" not in short.text
    contact = client.post("/apply", data=form(client, applicant_contact="abc@"))
    assert contact.status_code == 400 and "不能为空" not in contact.text
    assert "联系方式（手机、固定电话或电子邮箱）：应为手机号码、固定电话（如 010-12345678）或电子邮箱" in contact.text
    empty = client.post("/apply", data=form(client, applicant_contact=""))
    assert empty.status_code == 400 and "联系方式（手机、固定电话或电子邮箱）：必须填写" in empty.text
    assert "<script>alert(1)</script>" not in bad.text and "&lt;script&gt;" in bad.text
    post = client.post("/apply", data=form(client, delivery="post"))
    assert post.status_code == 400 and "通信地址" in post.text
    wrong_id = client.post("/apply", data=form(client, applicant_id_type="resident_id",
                                                applicant_id_number="110105194912310021"))
    assert wrong_id.status_code == 400 and "居民身份证" in wrong_id.text
    assert client.post("/apply", data=form(client, applicant_id_type="resident_id",
                                           applicant_id_number=ID_NUMBER)).status_code == 200
    assert resident_id_ok(ID_NUMBER) and not resident_id_ok("110105194912310021")
    # An office that requires proof of identity (条例第二十九条第二款第（一）项).
    client.app.state.web.register.set_office({"require_id": "是"})  # type: ignore[attr-defined]
    needs_id = client.post("/apply", data=form(client))
    assert needs_id.status_code == 400 and "身份证明" in needs_id.text
    # A confirmation whose token was changed is refused.
    tampered = client.post("/apply/confirm", data={"csrf_token": csrf(client, "/apply"), "token": "x.y.z"})
    assert tampered.status_code == 400
    assert client.post("/apply", data={k: v for k, v in form(client).items() if k != "csrf_token"}).status_code == 403


def test_applications_are_limited_per_address(client: TestClient) -> None:
    for _ in range(3):
        assert apply(client).status_code == 200
    refused = apply(client)
    assert refused.status_code == 429 and "过于频繁" in refused.text


def test_a_letter_downloads_from_the_application_page(client: TestClient) -> None:
    apply(client)
    login(client, "clerk")
    page = client.get("/register/applications/1")
    assert 'id="letters"' not in page.text  # no step recorded yet
    edited = client.post("/register/applications/1", data={
        **{k: v for k, v in _values(page.text).items()}, "csrf_token": csrf(client, "/register/applications/1"),
        "correction_notice": DAY.isoformat()})
    assert edited.status_code == 200, edited.text
    page = client.get("/register/applications/1")
    assert 'data-letter="correction"' in page.text and "第三十条" in page.text
    word = client.get("/register/applications/1/letters/correction.docx")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "补正告知书" in text and NAME in text
    pdf = client.get("/register/applications/1/letters/correction.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.get("/register/applications/1/letters/answer.granted.docx").status_code == 400
    assert client.get("/register/applications/1/letters/nothing.docx").status_code == 404
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert client.get("/register/applications/1/letters/correction.docx", follow_redirects=False).status_code == 303


def _values(html: str) -> dict[str, str]:
    """The record form's current values (inputs and selected options)."""
    values = dict(re.findall(r'<input id="f-(\w+)" name="\w+" type="\w+" value="([^"]*)"', html))
    values.update(re.findall(r'<select id="f-(\w+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]*)" selected>',
                             html, re.S))
    values.update(re.findall(r'<textarea id="f-(\w+)"[^>]*>([^<]*)</textarea>', html))
    return values
