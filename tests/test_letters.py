"""The letters (告知书): a register of 30+ applications over every outcome of 表三 and every step gives
a letter for each, in Word (python-docx reads it back) and PDF, each citing the article and paragraph
it rests on, with the dates the deadline computation gives.

The expected citations are written here from the regulation's text (条例 2019), independently of
``xxgk.register.letters``: a wrong citation there fails here.
"""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import Register, RegisterError
from xxgk.register.choices import outcomes
from xxgk.register.letters import KINDS, TEMPLATES, answer_kinds, kinds_for

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from make_letter_templates import templates

REG = "《中华人民共和国政府信息公开条例》"
# Letter → what its text must cite (条例 unless another instrument is named).
CITES: dict[str, tuple[str, ...]] = {
    "correction": (REG + "第三十条",),
    "extension": (REG + "第三十三条第二款",),
    "consultation.third_party": (REG + "第三十二条",),
    "consultation.co_producer": (REG + "第三十四条",),
    "consultation.other_agency": (REG + "第三十三条第三款",),
    "fee": (REG + "第四十二条第一款", "国办函〔2020〕109号"),  # and the method's article, below
    "answer.granted": (REG + "第三十六条第（二）项", "第四十条"),
    "answer.granted.already_public": (REG + "第三十六条第（一）项",),
    "answer.partially_granted": (REG + "第三十七条",),
    "answer.denied.state_secret": (REG + "第十四条", "第三十六条第（三）项"),
    "answer.denied.law_prohibited": (REG + "第十四条", "第三十六条第（三）项"),
    "answer.denied.security_stability": (REG + "第十四条", "第三十六条第（三）项"),
    "answer.denied.third_party": (REG + "第十五条", "第三十六条第（三）项"),
    "answer.denied.internal_affairs": (REG + "第十六条第一款", "第三十六条第（三）项"),
    "answer.denied.process_info": (REG + "第十六条第二款", "第三十六条第（三）项"),
    "answer.denied.enforcement_files": (REG + "第十六条第二款", "第三十六条第（三）项"),
    "answer.denied.query_matters": (REG + "第三十六条第（七）项",),
    "answer.unable.not_held": (REG + "第三十六条第（四）项",),
    "answer.unable.not_held.not_ours": (REG + "第三十六条第（五）项",),
    "answer.unable.needs_creation": (REG + "第三十八条",),
    "answer.unable.unclear": (REG + "第三十条",),
    "answer.rejected.petition": (REG + "第三十九条第一款",),
    "answer.rejected.repeated": (REG + "第三十六条第（六）项",),
    "answer.rejected.publications": (REG + "第三十九条第二款",),
    "answer.rejected.excessive": (REG + "第三十五条",),
    "answer.rejected.confirmation": (REG + "第二条",),
    "answer.other.no_correction": (REG + "第三十条",),
    "answer.other.unpaid_fee": ("国办函〔2020〕109号",),
    "answer.other.misc": (),
}
REMEDIES = ("第五十一条", "六十日内", "申请行政复议", "六个月内", "提起行政诉讼", "行政复议法》第二十条第一款",
            "行政诉讼法》第四十六条第一款")
AGENCY = "某某市某某局"


def _app(i: int, received: date, **extra: Any) -> dict[str, Any]:
    return {"reference": f"L-{i:03d}", "received": received, "channel": "letter", "applicant_type": "natural_person",
            "applicant_name": f"测试申请人{i}", "request": f"某事项的文件（第{i}件）<&>", **extra}


def _needs(outcome: str) -> dict[str, Any]:
    """What a record with ``outcome`` must also hold to be consistent."""
    if outcome == "other.no_correction":
        return {"correction_notice": date(2025, 3, 5), "correction_deadline": date(2025, 3, 20)}
    if outcome == "unable.unclear":
        return {"correction_notice": date(2025, 3, 5), "correction_deadline": date(2025, 3, 20),
                "correction_received": date(2025, 3, 12)}
    if outcome == "other.unpaid_fee":
        return {"fee_method": "pages", "fee_units": 150, "fee_notice": date(2025, 3, 10),
                "fee_notice_delivery": "post", "fee_notice_received": date(2025, 3, 13)}
    return {}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Any:
    reg = Register(f"sqlite:///{tmp_path_factory.mktemp('letters') / 'r.db'}")
    reg.set_office({"agency": AGENCY, "phone": "0512-00000000", "address": "某某路1号", "review_body": "某某市人民政府"})
    i = 0
    for outcome in outcomes("2021"):  # every outcome of the 2021 form, answered in 2025
        i += 1
        reg.add(_app(i, date(2025, 3, 3), answered=date(2025, 4, 15), outcome=outcome, **_needs(outcome)))
    i += 1
    reg.add(_app(i, date(2020, 6, 1), answered=date(2020, 6, 20), outcome="other"))  # 2019 form's single row
    # Every step, and the dates the deadline computation gives (see test_register_deadlines.py).
    steps: list[dict[str, Any]] = [
        {"correction_notice": date(2025, 3, 5), "correction_deadline": date(2025, 3, 20)},
        {"consult_sent": date(2025, 3, 10), "consult_party": "third_party"},
        {"consult_sent": date(2025, 3, 10), "consult_party": "co_producer"},
        {"consult_sent": date(2025, 3, 10), "consult_party": "other_agency"},
        {"extension_days": 10, "extension_approved": date(2025, 3, 28), "extension_reason": "所需信息数量较大"},
        {"fee_method": "pages", "fee_units": 150, "fee_notice": date(2025, 8, 11), "fee_notice_delivery": "post",
         "fee_notice_received": date(2025, 8, 14)},
        {"consult_sent": date(2025, 3, 10)},  # whom not recorded: a third party
        # One application through every step to its answer.
        {"correction_notice": date(2025, 3, 5), "correction_deadline": date(2025, 3, 20),
         "correction_received": date(2025, 3, 10), "consult_sent": date(2025, 3, 12),
         "consult_replied": date(2025, 3, 20), "consult_party": "co_producer", "extension_days": 5,
         "extension_approved": date(2025, 4, 10), "fee_method": "pieces", "fee_units": 12,
         "fee_notice": date(2025, 3, 24), "fee_notice_delivery": "email", "fee_paid": date(2025, 3, 28),
         "answered": date(2025, 4, 25), "outcome": "partially_granted"},
    ]
    for extra in steps:
        i += 1
        reg.add(_app(i, date(2025, 3, 3), **extra))
    assert reg.count() >= 30
    yield reg
    reg.close()


def _letters(register: Register) -> list[tuple[int, str]]:
    return [(a.id or 0, k.id) for a in register.applications() for k in kinds_for(a)]


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_every_kind_of_letter_is_declared_cited_and_shipped() -> None:
    assert {k.id for k in KINDS} == set(CITES)
    for o in outcomes("2021"):
        assert answer_kinds(o), o  # every outcome of 表三 has its letter
    assert answer_kinds("other")  # and the 2019 form's 其他处理
    # The shipped Word templates are the ones the wording in tests/tools/letter_texts.toml makes.
    made = templates()
    assert set(made) == {k.file for k in KINDS}
    for name, (lines, _) in made.items():
        shipped = [p.text for p in Document(str(TEMPLATES / name)).paragraphs]
        assert shipped == [text for _, text in lines], f"{name}: run tests/tools/make_letter_templates.py"


def test_a_register_of_every_outcome_gives_each_letter_in_word_and_pdf(register: Register) -> None:
    written = _letters(register)
    assert {k for _, k in written} == set(CITES)  # every kind of letter, from a real register
    for app_id, kind in written:
        app = register.get(app_id)
        letter = register.letter(app_id, kind, "docx")
        text = _docx_text(letter.content)
        for cited in CITES[kind]:
            assert cited in text, (kind, cited)
        if kind == "fee":  # 109号办法: 第四条 按件计收, 第五条 按量计收
            assert ("印发）第四条" if app.fee_method == "pieces" else "印发）第五条") in text
        assert "{{" not in text and "{%" not in text, kind  # every placeholder filled
        assert not re.search(r"(按|采用|方式)\1", text), kind  # a label doubling the template's word (按按量计收)
        assert AGENCY in text, kind
        assert "<&>" in text, kind  # the applicant's text, escaped into the XML and back intact
        if kind.startswith("answer."):
            for remedy in REMEDIES:
                assert remedy in text, (kind, remedy)
            assert "某某市人民政府申请行政复议" in text
            assert f"{app.answered.year}年{app.answered.month}月{app.answered.day}日" in text  # type: ignore[union-attr]
        else:
            assert "行政诉讼" not in text, kind
        if kind.startswith("consultation."):
            assert app.applicant_name not in text, kind  # a third party is not told who applied
        else:
            assert app.applicant_name in text, kind
        pdf = register.letter(app_id, kind, "pdf")
        assert pdf.content.startswith(b"%PDF-")
        with pdfplumber.open(io.BytesIO(pdf.content)) as document:
            flat = "".join("".join(page.extract_text().split()) for page in document.pages)
        for cited in CITES[kind]:
            assert cited in flat, (kind, "pdf", cited)


def test_letters_carry_the_dates_of_the_deadline_computation(register: Register) -> None:
    by_ref = {a.reference: a for a in register.applications()}
    # Extension: received Mon 3.3 → due Mon 3.31; approved 3.28; +10 working days → 4.15 (Qingming 4.4).
    ext = next(a for a in by_ref.values() if a.extension_days)
    text = _docx_text(register.letter(ext.id or 0, "延期", "docx").content)
    assert "不能在2025年3月31日前作出答复" in text and "延长10个工作日" in text and "2025年4月15日前作出答复" in text
    assert "2025年3月28日" in text  # dated the day the extension was approved
    # Fee notice posted 8.11, signed for 8.14 → pay by 9.11.
    fee = next(a for a in by_ref.values() if a.fee_notice == date(2025, 8, 11))
    text = _docx_text(register.letter(fee.id or 0, "收费", "docx").content)
    assert "2025年9月11日" in text and "按量计收" in text and "1700元" in text and "150页" in text
    # Correction: the deadline the office set, dated the day of the notice.
    corr = next(a for a in by_ref.values() if a.correction_notice and not a.outcome)
    text = _docx_text(register.letter(corr.id or 0, "补正", "docx").content)
    assert "2025年3月20日前" in text and "2025年3月5日" in text


def test_a_letter_the_record_does_not_support_is_refused(register: Register) -> None:
    granted = next(a for a in register.applications() if a.outcome == "granted")
    with pytest.raises(RegisterError, match="办理结果为"):
        register.letter(granted.id or 0, "answer.denied.state_secret")
    with pytest.raises(RegisterError, match="延期"):
        register.letter(granted.id or 0, "延期")
    with pytest.raises(RegisterError, match="没有这种文书"):
        register.letter(granted.id or 0, "nonsense")


def test_no_letter_for_a_late_extension_or_a_free_fee(tmp_path: Path) -> None:
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        # Received Mon 3.10, due Tue 4.8: an extension approved on 4.10 extends nothing (第三十三条第二款).
        late = reg.add(_app(1, date(2025, 3, 10), extension_days=10, extension_approved=date(2025, 4, 10)))
        with pytest.raises(RegisterError, match="晚于原答复期限 2025-04-08"):
            reg.letter(late.id or 0, "延期")
        in_time = reg.add(_app(2, date(2025, 3, 10), extension_days=10, extension_approved=date(2025, 4, 8)))
        assert "2025年4月22日前作出答复" in _docx_text(reg.letter(in_time.id or 0, "延期").content)
        # The 1st 件 of the month costs 0 yuan: there is no fee notice to write.
        free = reg.add(_app(3, date(2025, 9, 2), fee_method="pieces", fee_units=1))
        assert "fee" not in [k.id for k in kinds_for(free)]
        with pytest.raises(RegisterError, match="0元"):
            reg.letter(free.id or 0, "收费")
    finally:
        reg.close()


def test_an_office_replaces_a_template_with_its_own(register: Register, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(register.url)]
    copied = runner.invoke(cli, ["register", "letter-templates", str(tmp_path / "mine")])
    assert copied.exit_code == 0 and len(list((tmp_path / "mine").glob("*.docx"))) == len(KINDS)
    own = Document(str(tmp_path / "mine" / "correction.docx"))
    own.add_paragraph("本机关自定义的一段话：{{ applicant }}。")
    own.save(str(tmp_path / "mine" / "correction.docx"))
    assert runner.invoke(cli, ["register", "office", f"文书模板文件夹={tmp_path / 'mine'}", *db]).exit_code == 0
    try:
        corr = next(a for a in register.applications() if a.correction_notice and not a.outcome)
        out = tmp_path / "c.docx"
        made = runner.invoke(cli, ["register", "letter", str(corr.id), "补正", "-o", str(out), *db])
        assert made.exit_code == 0, made.output
        assert f"本机关自定义的一段话：{corr.applicant_name}。" in _docx_text(out.read_bytes())
        pdf = runner.invoke(cli, ["register", "letter", str(corr.id), "补正", "-o", str(tmp_path / "c.pdf"), *db])
        assert pdf.exit_code == 0 and (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
        listed = runner.invoke(cli, ["register", "letter", str(corr.id), *db])
        assert "补正告知书" in listed.output and "第三十条" in listed.output
        # A template with a broken placeholder is a Chinese error, not a traceback.
        broken = Document()
        broken.add_paragraph("{{ applicant ")
        broken.save(str(tmp_path / "mine" / "correction.docx"))
        bad = runner.invoke(cli, ["register", "letter", str(corr.id), "补正", "-o", str(out), *db])
        assert bad.exit_code == 2 and "占位符" in bad.output and "Traceback" not in bad.output
    finally:
        runner.invoke(cli, ["register", "office", "文书模板文件夹=", *db])


def test_a_hostile_template_cannot_reach_python(register: Register, tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    evil = Document()
    evil.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    evil.save(str(folder / "correction.docx"))
    register.set_office({"templates": str(folder)})
    try:
        corr = next(a for a in register.applications() if a.correction_notice and not a.outcome)
        with pytest.raises(RegisterError, match="占位符"):
            register.letter(corr.id or 0, "补正")
    finally:
        register.set_office({"templates": None})

