"""The register on a real database (SQLite, and PostgreSQL when configured): register, edit,
list, deadlines, fees, carry-over, import all-or-nothing, and personal data kept out of sight.
"""

from __future__ import annotations

import csv
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import Register, RegisterError
from xxgk.register.build import fee_statement, fees_of
from xxgk.register.choices import applicant_types, outcomes
from xxgk.register.model import FIELDS
from xxgk.templates import statutory

NAME = "欧阳测试甲"
PHONE = "13812345678"
ID_NUMBER = "110101199001011234"


@pytest.fixture
def register(store_url: str) -> Any:
    reg = Register(store_url)
    yield reg
    reg.close()


def application(received: str, **extra: Any) -> dict[str, Any]:
    return {"received": received, "channel": "online", "applicant_type": "natural_person",
            "applicant_name": NAME, "request": "某项目环境影响评价文件", **extra}


def test_add_edit_and_answer(register: Register) -> None:
    app = register.add(application("2025-09-26", applicant_contact=PHONE))
    assert app.id is not None and app.received == date(2025, 9, 26)
    edited = register.edit(app.id, {"consult_sent": date(2025, 9, 30), "consult_replied": date(2025, 10, 15)})
    assert edited.consult_replied == date(2025, 10, 15) and edited.applicant_contact == PHONE
    done = register.edit(app.id, {"answered": date(2025, 10, 20), "outcome": "granted"})
    assert register.get(app.id) == done
    assert register.applications(open_only=True) == []


def test_invalid_input_is_refused_in_chinese_without_the_data(register: Register) -> None:
    with pytest.raises(RegisterError) as err:
        register.add(application("2025-02-30", applicant_id_number=ID_NUMBER, applicant_type="robot"))
    message = str(err.value)
    assert "收到日期" in message and "申请人类型" in message
    assert NAME not in message and ID_NUMBER not in message and "robot" not in message
    app = register.add(application("2025-03-03"))
    assert app.id is not None
    with pytest.raises(RegisterError, match="同时登记"):
        register.edit(app.id, {"answered": date(2025, 3, 10)})  # an answer needs its outcome
    with pytest.raises(RegisterError, match="补正通知"):  # 三(六)1 only after a 补正 notice
        register.edit(app.id, {"answered": date(2025, 3, 10), "outcome": "other.no_correction"})
    with pytest.raises(RegisterError, match=r"延期工作日数：最长不得超过20个工作日（条例第三十三条第二款）"):
        register.edit(app.id, {"extension_days": 25, "extension_approved": date(2025, 3, 20)})
    with pytest.raises(RegisterError, match="申请编号：过长，最多100个字"):
        register.edit(app.id, {"reference": "A" * 101})


def test_an_unknown_choice_lists_the_valid_ones(store_url: str) -> None:
    db = ["--db", store_url]
    base = ["register", "add", "--received", "2025-03-03", "--name", "某申请人", "--request", "某文件", *db]
    channel = runner.invoke(cli, [*base, "--channel", "邮寄", "--type", "自然人"])
    assert channel.exit_code == 2 and "申请方式：无法识别的申请方式（可填：网络、信函、当面、传真、其他）" in channel.output
    kind = runner.invoke(cli, [*base, "--channel", "信函", "--type", "律师事务所"])
    assert kind.exit_code == 2
    assert "申请人类型（可填：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）" in kind.output
    outcome = runner.invoke(cli, [*base, "--channel", "信函", "--type", "自然人", "答复日期=2025-03-20", "办理结果=同意"])
    assert outcome.exit_code == 2 and "可填表三的行名" in outcome.output


def test_every_outcome_and_applicant_type_comes_from_the_declaration() -> None:
    table = statutory().table_by_id("requests")
    assert set(applicant_types()) == {c.id for c in table.columns_for("2021")} - {"total"}
    leaves = set(outcomes("2021"))
    assert "other.unpaid_fee" in leaves and "other" not in leaves
    assert set(outcomes("2019")) - leaves == {"other"}
    assert len(leaves) == len(table.rows_for("2021")) - 4  # all rows but 一、二、三(七)、四


def test_due_lists_overdue_soon_and_waiting(register: Register) -> None:
    overdue = register.add(application("2025-09-26"))  # due 10.30
    soon = register.add(application("2025-10-09"))  # due 11.6: 10.10, 10.11 … (see the deadline tests)
    later = register.add(application("2025-11-03"))  # due 12.1
    waiting = register.add(application("2025-10-20", fee_method="pages", fee_units=120,
                                        fee_notice=date(2025, 10, 21), fee_notice_delivery="email"))
    items = {i.application.id: i for i in register.due(date(2025, 11, 3), within=5)}
    assert items[overdue.id].status == "overdue" and items[overdue.id].date == date(2025, 10, 30)
    assert items[overdue.id].days_left == -2  # 10.31 and 11.3
    assert items[soon.id].status == "due_soon" and items[soon.id].days_left is not None
    assert later.id not in items
    # Notice Tue 10.21: 10.22–24 → 3, 10.27–31 → 8, 11.3–7 → 13, 11.10–14 → 18, 11.17–18 → 20.
    assert items[waiting.id].status == "awaiting_payment" and items[waiting.id].date == date(2025, 11, 18)
    assert register.close_unpaid(date(2025, 11, 18)) == []  # the last day to pay
    assert register.close_unpaid(date(2025, 11, 19)) == [waiting.id]
    closed = register.get(waiting.id or 0)
    assert closed.outcome == "other.unpaid_fee" and closed.answered == date(2025, 11, 19)


def test_a_posted_fee_notice_counts_from_the_day_after_it_was_signed_for(register: Register) -> None:
    # The case: posted Mon 2025-08-11, signed for Thu 8.14 → the applicant may pay until 9.11.
    app = register.add(application("2025-08-01", fee_method="pages", fee_units=120, fee_notice=date(2025, 8, 11),
                                   fee_notice_delivery="post"))
    assert app.id is not None
    # Not yet signed for: listed as waiting, with no date, and never closed as unpaid automatically.
    item = next(i for i in register.due(date(2025, 10, 1)) if i.application.id == app.id)
    assert item.status == "awaiting_payment" and item.date is None and "签收" in (item.problem or "")
    assert register.close_unpaid(date(2025, 12, 1)) == []
    register.edit(app.id, {"fee_notice_received": date(2025, 8, 14)})
    item = next(i for i in register.due(date(2025, 9, 8)) if i.application.id == app.id)
    assert item.date == date(2025, 9, 11)
    assert register.close_unpaid(date(2025, 9, 11)) == [] and register.close_unpaid(date(2025, 9, 10)) == []
    # A payment on 9.10 is accepted: the application runs on.
    paid = register.edit(app.id, {"fee_paid": date(2025, 9, 10)})
    assert paid.answered is None and register.close_unpaid(date(2025, 9, 12)) == []
    # Unpaid, it is closed the day after the period: 9.12.
    register.edit(app.id, {"fee_paid": None})
    assert register.close_unpaid(date(2025, 9, 12)) == [app.id]
    assert register.get(app.id).answered == date(2025, 9, 12)


def test_fees_are_reported_in_the_year_they_were_collected(register: Register) -> None:
    register.add(application("2025-12-01", fee_method="pages", fee_units=150, fee_notice=date(2025, 12, 10),
                             fee_notice_delivery="email", fee_paid=date(2026, 1, 8)))
    f2025, f2026 = fees_of(register.applications(), 2025), fees_of(register.applications(), 2026)
    assert (f2025.notices, f2025.charged, f2025.paid, f2025.collected) == (1, 1700, 0, 0)
    assert (f2026.notices, f2026.charged, f2026.paid, f2026.collected) == (0, 0, 1, 1700)
    assert "实际收取信息处理费1700元" in fee_statement(f2026, 2026)
    assert "实际收取信息处理费0元" in fee_statement(f2025, 2025)


def test_inconsistent_records_are_refused_naming_the_fields(register: Register) -> None:
    app = register.add(application("2025-03-03", correction_notice=date(2025, 3, 5)))
    assert app.id is not None
    with pytest.raises(RegisterError, match="办理结果与补正收到日期矛盾"):  # 逾期不补正, yet a correction came
        register.edit(app.id, {"correction_received": date(2025, 3, 10), "answered": date(2025, 3, 20),
                               "outcome": "other.no_correction"})
    with pytest.raises(RegisterError, match="办理结果与补正收到日期矛盾"):  # still unclear, yet none came
        register.edit(app.id, {"answered": date(2025, 3, 20), "outcome": "unable.unclear"})
    with pytest.raises(RegisterError, match="答复日期不能早于补正收到日期"):
        register.edit(app.id, {"correction_received": date(2025, 3, 10), "answered": date(2025, 3, 7),
                               "outcome": "granted"})
    old = register.add(application("2020-11-02"))
    assert old.id is not None
    with pytest.raises(RegisterError, match="收费通知日期"):
        register.edit(old.id, {"fee_method": "pages", "fee_units": 120, "fee_notice": date(2020, 11, 20)})
    # Nothing was stored by the refused edits.
    assert register.get(app.id).answered is None and register.get(old.id).fee_notice is None


def test_fees_are_computed_per_applicant_and_month(register: Register) -> None:
    # 按件: the applicant's 11th 件 in a month is the first one charged (100 元).
    for day in range(1, 11):
        register.add(application(f"2025-03-{day:02d}"))
    eleventh = register.add(application("2025-03-20", fee_method="pieces", fee_units=2, fee_notice=date(2025, 3, 21)))
    assert eleventh.fee_amount == 200  # the 11th and 12th 件
    other_month = register.add(application("2025-04-01", fee_method="pieces", fee_units=1))
    assert other_month.fee_amount == 0
    pages = register.add(application("2025-04-02", fee_method="pages", fee_units=150, fee_notice=date(2025, 4, 3),
                                     fee_paid=date(2025, 4, 8)))
    assert pages.fee_amount == 1700
    # Moving an earlier application out of March makes the 11th 件 the 10th: recomputed.
    first = register.applications()[0]
    register.edit(first.id or 0, {"received": date(2025, 2, 28)})
    assert register.get(eleventh.id or 0).fee_amount == 100
    fees = fees_of(register.applications(), 2025)
    assert (fees.notices, fees.charged, fees.paid, fees.collected) == (2, 1800, 1, 1700)
    assert "1800元" in fee_statement(fees, 2025) and "1700元" in fee_statement(fees, 2025)


def test_a_fee_notice_of_zero_yuan_is_refused(register: Register, tmp_path: Path) -> None:
    # The tester's case: a 按件 notice on the applicant's 1st 件 of the month (free under 109号第四条).
    with pytest.raises(RegisterError, match=r"信息处理费为0元.*109号第四条.*不应发出收费通知") as err:
        register.add(application("2025-09-02", fee_method="pieces", fee_units=1, fee_notice=date(2025, 9, 5),
                                 fee_notice_delivery="email"))
    assert NAME not in str(err.value)
    assert register.count() == 0
    free = register.add(application("2025-09-02", fee_method="pieces", fee_units=1))  # recorded, no notice
    assert free.fee_amount == 0 and free.id is not None
    with pytest.raises(RegisterError, match="0元"):
        register.edit(free.id, {"fee_notice": date(2025, 9, 5)})
    with pytest.raises(RegisterError, match="109号第五条"):  # 30 pages are free too
        register.add(application("2025-09-03", fee_method="pages", fee_units=30, fee_notice=date(2025, 9, 5)))
    pages = register.add(application("2025-09-03", fee_method="pages", fee_units=31, fee_notice=date(2025, 9, 5),
                                     fee_notice_delivery="email"))
    assert pages.fee_amount == 10
    # An import stores nothing and names the row.
    header = ["收到日期", "申请方式", "申请人类型", "申请人", "申请内容", "收费方式", "收费件数或页数", "收费通知日期"]
    ledger = _write_csv(tmp_path / "fees.csv", header,
                        [["2025-10-08", "网络", "商业企业", "某公司", "某文件", "按量", "40", "2025-10-09"],
                         ["2025-10-09", "网络", "商业企业", "某公司", "某文件", "按件", "1", "2025-10-10"]])
    with pytest.raises(RegisterError, match="第3行：收费通知日期：该申请的信息处理费为0元"):
        register.import_file(ledger)
    assert register.count() == 2
    # An edit that makes another application's notice free is refused: the 11th 件 becomes the 10th.
    for day in range(1, 11):
        register.add(application(f"2025-03-{day:02d}"))
    eleventh = register.add(application("2025-03-20", fee_method="pieces", fee_units=1, fee_notice=date(2025, 3, 21)))
    assert eleventh.fee_amount == 100
    first = register.applications(year=2025)[0]
    with pytest.raises(RegisterError, match=f"第{eleventh.id}号申请的信息处理费变为0元"):
        register.edit(first.id or 0, {"received": date(2025, 2, 28)})
    assert register.get(eleventh.id or 0).fee_amount == 100


def _store_raw(register: Register, app_id: int, **values: Any) -> None:
    """Write fields as an older version stored them, past today's checks."""
    from sqlalchemy import update

    from xxgk.db import register_schema as schema

    table = schema.RegisterApplication
    with register.engine.begin() as conn:
        conn.execute(update(table).where(table.id == app_id).values(**values))


def test_a_stored_notice_of_zero_yuan_is_never_counted_as_unpaid(register: Register) -> None:
    # Databases written before the refusal may hold such notices, open or already closed as 三(六)2.
    still_open = register.add(application("2025-09-02", fee_method="pieces", fee_units=1))
    closed = register.add(application("2025-09-03", applicant_name="另一申请人", fee_method="pieces", fee_units=1))
    assert still_open.id is not None and closed.id is not None
    _store_raw(register, still_open.id, fee_notice=date(2025, 9, 5), fee_notice_delivery="email")
    _store_raw(register, closed.id, fee_notice=date(2025, 9, 5), fee_notice_delivery="email",
               answered=date(2025, 10, 11), outcome="other.unpaid_fee")
    assert register.close_unpaid(date(2025, 12, 1)) == []
    item = next(i for i in register.due(date(2025, 10, 14)) if i.application.id == still_open.id)
    assert item.status == "overdue" and item.date == date(2025, 9, 29)  # the clock never paused
    fees = fees_of(register.applications(), 2025)
    assert (fees.notices, fees.charged) == (0, 0)
    with pytest.raises(RegisterError, match=f"第{closed.id}号申请按“逾期未缴纳费用”办结，但其收费通知金额为0元"):
        register.build(2025, "某某局")
    with pytest.raises(RegisterError, match="0元"):
        register.letter(closed.id, "收费")
    # Corrected as the message says, the report counts it where it belongs.
    register.edit(closed.id, {"fee_notice": None, "fee_notice_delivery": None, "answered": None, "outcome": None})
    register.edit(closed.id, {"answered": date(2025, 10, 11), "outcome": "granted"})
    register.edit(still_open.id, {"fee_notice": None, "fee_notice_delivery": None})
    table = register.build(2025, "某某局").tables["requests"] or {}
    assert table["other.unpaid_fee"]["total"] == 0 and table["granted"]["total"] == 1


def test_year_end_carry_over_is_automatic(register: Register) -> None:
    register.add(application("2024-12-20"))  # open on 31 Dec 2024, answered in 2025
    register.add(application("2024-12-23", answered=date(2024, 12, 30), outcome="granted"))
    open_now = register.add(application("2025-12-29"))
    register.edit(register.applications()[0].id or 0, {"answered": date(2025, 1, 10), "outcome": "unable.not_held"})
    r2024 = register.build(2024, "某某局")
    r2025 = register.build(2025, "某某局")
    t24, t25 = r2024.tables["requests"] or {}, r2025.tables["requests"] or {}
    assert t24["new_received"]["total"] == 2 and t24["carried_forward"]["total"] == 1
    assert t25["carried_over"]["total"] == 1 and t25["carried_forward"]["total"] == 1
    assert t25["unable.not_held"]["natural_person"] == 1
    assert [a.id for a in register.carried_forward(2025)] == [open_now.id]
    from xxgk.check import check_report

    assert not [f for f in check_report(r2025, previous=r2024) if f.severity != "info" and f.rule.startswith("XYEAR")]


def test_a_2020_report_uses_the_2019_form(register: Register) -> None:
    register.add(application("2020-05-06", correction_notice=date(2020, 5, 8), answered=date(2020, 6, 1),
                             outcome="other.no_correction"))
    report = register.build(2020, "某某局")
    requests = report.tables["requests"] or {}
    assert report.meta.template == "2019"
    assert requests["other"]["total"] == 1 and "other.no_correction" not in requests  # one 三(六) row in 2019
    with pytest.raises(RegisterError, match="2021"):  # that single row no longer exists from 2021 on
        register.add(application("2021-05-06", answered=date(2021, 6, 1), outcome="other"))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_import_with_a_bad_row_imports_nothing_and_names_the_row(register: Register, tmp_path: Path) -> None:
    header = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "联系方式", "申请内容", "答复日期", "办理结果"]
    good = ["A-1", "2025/3/3", "网络", "自然人", "张甲", PHONE, "某文件", "2025-03-20", "予以公开"]
    rows = [good,
            ["A-2", "2025年3月5日", "信函", "商业企业", "某公司", "", "某合同", "2025-03-25", "1.属于国家秘密"],
            ["A-3", "2025-03-06", "信函", "科研机构", NAME, "", "某数据", "2025-03-26", "不存在的结果"],
            ["A-4", "2025-03-07", "当面", "其他", "某协会", "", "某案卷", "", ""]]
    bad = _write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(RegisterError) as err:
        register.import_file(bad)
    assert "第4行" in str(err.value) and "办理结果" in str(err.value) and "未导入任何内容" in str(err.value)
    assert NAME not in str(err.value)
    assert register.count() == 0
    fine = _write_csv(tmp_path / "ok.csv", header, [r for r in rows if r[0] != "A-3"])
    result = register.import_file(fine)
    assert (result.kind, result.rows) == ("applications", 3)
    stored = register.applications()
    assert [a.outcome for a in stored] == ["granted", "denied.state_secret", None]
    assert [a.applicant_type for a in stored] == ["natural_person", "commercial", "other_org"]
    # A second import of the same ledger is refused as a whole (the 编号 are taken).
    with pytest.raises(RegisterError, match="第2、3、4行"):
        register.import_file(fine)
    assert register.count() == 3


def test_import_xlsx_cases_and_proactive(register: Register, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["案件编号", "案件类型", "收到日期", "审结日期", "审理结果"])
    sheet.append(["F-1", "行政复议", date(2025, 4, 1), date(2025, 6, 1), "维持"])
    sheet.append(["F-2", "复议后起诉", date(2025, 7, 1), None, None])
    sheet.append(["F-3", "未经复议直接起诉", date(2024, 11, 1), date(2025, 2, 1), "纠正"])
    book.save(tmp_path / "cases.xlsx")
    assert register.import_file(tmp_path / "cases.xlsx").rows == 3
    proactive = _write_csv(tmp_path / "p.csv", ["年度", "项目", "栏目", "数值"],
                           [["2025", "规章", "本年制发件数", "2"], ["2025", "行政事业性收费", "本年收费金额（单位：万元）", "1.5"]])
    assert register.import_file(proactive).kind == "proactive"
    report = register.build(2025, "某某局")
    t4 = report.tables["review_litigation"] or {}
    assert t4["review"]["upheld"] == 1 and t4["litigation_after_review"]["pending"] == 1
    assert t4["litigation_direct"]["corrected"] == 1  # filed in 2024, decided in 2025
    assert (report.tables["active"] or {})["fees"]["amount"] == 1.5
    assert (report.tables["active"] or {})["regulations"]["repealed"] is None  # not entered: blank, never 0


runner = CliRunner()


def test_personal_data_stays_out_of_logs_exports_and_reports(store_url: str, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # even SQL logging
    db = ["--db", store_url]
    try:
        added = runner.invoke(cli, ["register", "add", "--received", "2025-03-03", "--channel", "网络", "--type", "自然人",
                                    "--name", NAME, "--contact", PHONE, "--id-number", ID_NUMBER, "--request", "某文件",
                                    *db])
        assert added.exit_code == 0, added.output
        edited = runner.invoke(cli, ["register", "edit", "1", "答复日期=2025-03-20", "办理结果=部分公开", *db])
        assert edited.exit_code == 0, edited.output
        outputs = [added.output, edited.output]
        for args in (["register", "list"], ["register", "list", "-f", "json"], ["register", "list", "-f", "csv"],
                     ["register", "show", "1"], ["register", "due", "--today", "2025-03-05"]):
            result = runner.invoke(cli, [*args, *db])
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
        built = runner.invoke(cli, ["report", "build", "--year", "2025", "--agency", "某某局",
                                    "-o", str(tmp_path / "r.json"), *db])
        assert built.exit_code == 0, built.output
        for fmt in ("html", "md", "docx"):
            rendered = runner.invoke(cli, ["report", "render", str(tmp_path / "r.json"), "-f", fmt,
                                           "-o", str(tmp_path / f"r.{fmt}")])
            assert rendered.exit_code == 0, rendered.output
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    from xxgk.read import read

    texts = [*outputs, caplog.text, (tmp_path / "r.json").read_text(encoding="utf-8"),
             (tmp_path / "r.html").read_text(encoding="utf-8"), (tmp_path / "r.md").read_text(encoding="utf-8"),
             read(tmp_path / "r.docx").text]
    assert "register_applications" in caplog.text  # the SQL was logged, its parameters were not
    for secret in (NAME, PHONE, ID_NUMBER):
        assert not [t[:80] for t in texts if secret in t], secret
    assert "欧****" in outputs[2] and "138****5678" in outputs[3]
    shown = runner.invoke(cli, ["register", "list", "-f", "csv", "--show-personal", *db])
    assert NAME in shown.output and ID_NUMBER in shown.output and PHONE in shown.output
    # The CSV export uses the import's column names: it can be imported into another register.
    header = next(csv.reader([shown.output.removeprefix("\ufeff").splitlines()[0]]))
    assert header[:3] == [FIELDS["reference"], FIELDS["received"], FIELDS["channel"]]


def test_the_csv_export_is_imported_back_as_it_was(store_url: str, tmp_path: Path) -> None:
    db = ["--db", store_url]
    with Register(store_url) as source:
        source.add(application("2025-03-03", reference="A-1", applicant_contact=PHONE, applicant_id_number=ID_NUMBER,
                               request="=HYPERLINK(\"x\")", answered=date(2025, 3, 20), outcome="granted"))
        source.add(application("2025-05-06", reference="A-2", applicant_type="commercial", fee_method="pages",
                               fee_units=150, fee_notice=date(2025, 5, 20), fee_notice_delivery="email",
                               extension_days=10, extension_approved=date(2025, 5, 30)))
        before = source.applications()
    exported = runner.invoke(cli, ["register", "list", "-f", "csv", "--show-personal", *db])
    assert exported.exit_code == 0, exported.output
    # UTF-8 with a BOM: Excel on a Chinese Windows would read it as GBK without one.
    raw = exported.stdout_bytes
    assert raw.startswith("\ufeff".encode()) and FIELDS["fee_amount"] in raw.decode("utf-8")
    (tmp_path / "export.csv").write_bytes(raw)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    imported = runner.invoke(cli, ["register", "import", str(tmp_path / "export.csv"), "--db", other])
    assert imported.exit_code == 0, imported.output
    with Register(other) as target:
        after = target.applications()
    assert [a.model_dump(exclude={"id"}) for a in after] == [a.model_dump(exclude={"id"}) for a in before]
    assert after[1].fee_amount == 1700  # the computed column read past, the fee computed again


def test_cli_cases_proactive_due_and_errors(store_url: str, tmp_path: Path) -> None:
    db = ["--db", store_url]
    ok = runner.invoke(cli, ["register", "case", "add", "--kind", "行政复议", "--filed", "2025-04-01", *db])
    assert ok.exit_code == 0 and "第 1 号案件" in ok.output
    decided = runner.invoke(cli, ["register", "case", "edit", "1", "审结日期=2025-06-01", "审理结果=纠正", *db])
    assert decided.exit_code == 0, decided.output
    listed = runner.invoke(cli, ["register", "case", "list", *db])
    assert "2025-06-01" in listed.output
    entered = runner.invoke(cli, ["register", "proactive", "2025", "行政许可.本年处理决定数量=1234", *db])
    assert entered.exit_code == 0 and "1234" in entered.output
    wrong = runner.invoke(cli, ["register", "proactive", "2025", "行政许可.现行有效件数=3", *db])
    assert wrong.exit_code == 2 and "栏目" in wrong.output
    bad_date = runner.invoke(cli, ["register", "add", "--received", "明天", "--channel", "网络", "--type", "自然人",
                                   "--name", NAME, "--request", "x", *db])
    assert bad_date.exit_code == 2 and "收到日期" in bad_date.output and "Traceback" not in bad_date.output
    late = runner.invoke(cli, ["register", "add", "--received", "2025-09-26", "--channel", "信函", "--type", "法律服务机构",
                               "--name", "某律所", "--request", "x", *db])
    assert late.exit_code == 0
    due = runner.invoke(cli, ["register", "due", "--today", "2025-11-03", *db])
    assert due.exit_code == 1 and "已逾期" in due.output  # overdue: exit status 1 for scripts
    missing = runner.invoke(cli, ["register", "import", str(tmp_path / "none.csv"), *db])
    assert missing.exit_code == 2 and "找不到文件" in missing.output
    endless = tmp_path / "ledger.csv"
    endless.symlink_to("/dev/zero")  # a link to a device: refused, never read until memory runs out
    refused = runner.invoke(cli, ["register", "import", str(endless), *db])
    assert refused.exit_code == 2 and "不是普通文件" in refused.output


def test_a_case_names_its_application_by_number_or_by_reference(register: Register, tmp_path: Path) -> None:
    from xxgk.register.model import Case
    from xxgk.web.register_forms import form_changes

    register.add(application("2025-03-03", reference="A-0"))
    app = register.add(application("2025-03-04", reference="2025-011"))
    # The 申请编号 a clerk knows (the tester's case), from the CLI and from the web form.
    added = runner.invoke(cli, ["register", "case", "add", "--kind", "行政复议", "--filed", "2025-03-20",
                                "案件编号=FY-2025-01", "关联申请=2025-011", "--db", str(register.url)])
    assert added.exit_code == 0, added.output
    assert register.cases()[0].application_id == app.id
    web = register.add_case(form_changes(Case, {"kind": "review", "filed": "2025-03-21", "application_id": "2025-011"},
                                         clear_blank=False))
    assert web.application_id == app.id
    by_number = register.add_case({"kind": "review", "filed": "2025-03-22", "application_id": app.id})
    assert by_number.application_id == app.id
    # A number that is not registered, or a reference that is not: the message says which number is meant.
    with pytest.raises(RegisterError, match=r"关联申请：没有第99号申请（关联申请可填申请序号.*也可填申请编号）"):
        register.add_case({"kind": "review", "filed": "2025-03-22", "application_id": 99})
    missing = runner.invoke(cli, ["register", "case", "edit", "1", "关联申请=2025-999", "--db", str(register.url)])
    assert missing.exit_code == 2 and "没有该申请编号的申请" in missing.output
    # A ledger: 关联申请 by number or by reference, and 关联申请编号 always a reference.
    ledger = _write_csv(tmp_path / "cases.csv", ["案件编号", "案件类型", "收到日期", "关联申请", "关联申请编号"],
                        [["F-1", "行政复议", "2025-04-01", "2025-011", ""], ["F-2", "行政复议", "2025-04-02", "1", ""],
                         ["F-3", "行政复议", "2025-04-03", "", "A-0"]])
    assert register.import_file(ledger).rows == 3
    assert [c.application_id for c in register.cases()][-3:] == [app.id, 1, 1]
    wrong = _write_csv(tmp_path / "wrong.csv", ["案件编号", "案件类型", "收到日期", "关联申请"],
                       [["F-4", "行政复议", "2025-04-04", "2025-011"], ["F-5", "行政复议", "2025-04-05", "B-7"]])
    with pytest.raises(RegisterError, match="第3行：关联申请：没有该申请编号的申请"):
        register.import_file(wrong)
    assert len(register.cases()) == 6


def test_dates_of_steps_taken_after_today_are_flagged(store_url: str, tmp_path: Path) -> None:
    from datetime import timedelta

    from xxgk.register.public import china_today

    db = ["--db", store_url]
    today = china_today()
    ahead = today + timedelta(days=15)  # the tester's case: 2026-12-20 typed on 2026-12-05 for 2025-12-20
    added = runner.invoke(cli, ["register", "add", "--received", ahead.isoformat(), "--channel", "当面",
                                "--type", "自然人", "--name", "某申请人", "--request", "某文件", *db])
    assert added.exit_code == 0, added.output
    assert f"注意：收到日期晚于今天（{today.isoformat()}）" in added.output and "误填了年份" in added.output
    past = runner.invoke(cli, ["register", "add", "--received", "2025-03-03", "--channel", "当面", "--type", "自然人",
                               "--name", "某申请人", "--request", "某文件", *db])
    assert past.exit_code == 0 and "注意：" not in past.output
    answered = runner.invoke(cli, ["register", "edit", "2", f"答复日期={ahead.isoformat()}", "办理结果=予以公开", *db])
    assert answered.exit_code == 0 and "注意：答复日期晚于今天" in answered.output
    case = runner.invoke(cli, ["register", "case", "add", "--kind", "行政复议", "--filed", ahead.isoformat(), *db])
    assert case.exit_code == 0 and "注意：收到日期晚于今天" in case.output
    ledger = _write_csv(tmp_path / "l.csv", ["收到日期", "申请方式", "申请人类型", "申请人", "申请内容", "补正期限",
                                             "补正通知日期"],
                        [["2025-03-03", "当面", "自然人", "甲", "某文件", "", ""],
                         [ahead.isoformat(), "当面", "自然人", "乙", "某文件", "", ""],
                         ["2025-03-04", "当面", "自然人", "丙", "某文件", ahead.isoformat(), "2025-03-05"]])
    imported = runner.invoke(cli, ["register", "import", str(ledger), *db])
    assert imported.exit_code == 0 and "注意：第3行有晚于今天" in imported.output  # a 补正期限 ahead is no slip


def test_masks_never_show_a_whole_short_value() -> None:
    from xxgk.register.privacy import mask_address, mask_contact, mask_id_number, mask_name

    assert mask_name("甲") == "*" and mask_name("张三") == "张*" and mask_name("欧阳测试甲") == "欧****"
    assert mask_contact("1") == "*" and mask_id_number("X") == "*"
    assert mask_address("北京市东城区某某街道1号") == "北京市东城区****"


def test_cli_show_labels_and_due_beyond_the_calendar(store_url: str) -> None:
    from xxgk.register.calendar import covered_years

    db = ["--db", store_url]
    added = runner.invoke(cli, ["register", "add", "--received", "2025-03-03", "--channel", "网络", "--type", "自然人",
                                "--name", "甲", "--request", "某文件", "收费方式=按量计收", "收费件数或页数=120",
                                "收费通知日期=2025-03-05", "收费通知送达方式=邮寄", *db])
    assert added.exit_code == 0, added.output
    shown = runner.invoke(cli, ["register", "show", "1", *db])
    assert "按量计收" in shown.output and "pages" not in shown.output and "邮寄" in shown.output
    assert "甲" not in shown.output  # a one-character name is masked whole
    last = covered_years()[1]
    beyond = runner.invoke(cli, ["register", "add", "--received", f"{last}-12-20", "--channel", "信函", "--type",
                                 "自然人", "--name", "乙某", "--request", "某文件", *db])
    assert beyond.exit_code == 0, beyond.output
    due = runner.invoke(cli, ["register", "due", "--today", f"{last + 1}-01-25", *db])
    assert due.exit_code == 2 and "无法计算" in due.output and "xxgk register holidays import" in due.output
