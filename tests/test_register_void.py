"""作废 and 恢复 of an application (a duplicate, a slip): the row kept with who, when and why; left out of the
annual report, the reminders, the default lists and the fee count; refused while a case refers to it; the CSV
export gives it back on import with its state.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import Register, RegisterError
from xxgk.register.public import public_status
from xxgk.register.search import ApplicationQuery

runner = CliRunner()
NAME = "欧阳作废甲"


@pytest.fixture
def register(store_url: str) -> Any:
    reg = Register(store_url)
    yield reg
    reg.close()


def application(received: str, **extra: Any) -> dict[str, Any]:
    return {"received": received, "channel": "letter", "applicant_type": "natural_person", "applicant_name": NAME,
            "request": "某路段道路改造工程的立项批复文件", **extra}


def cells(report: Any) -> dict[tuple[str, str], Any]:
    return {(r, c): v for r, row in report.tables["requests"].items() for c, v in row.items()}


def test_a_voided_application_is_kept_but_counts_nowhere_until_restored(register: Register) -> None:
    kept = register.add(application("2025-11-03", reference="2025-031"))
    twin = register.add(application("2025-11-03", reference="2025-031-重", applicant_type="commercial"))
    register.add(application("2025-03-03", answered=date(2025, 3, 20), outcome="granted"))
    assert kept.id and twin.id
    before = register.build(2025, "某区人社局")
    assert [i.application.id for i in register.due(date(2025, 12, 15))] == [kept.id, twin.id]

    done = register.void(twin.id, "  重复登记，同2025-031  ", "张三（网页）")
    assert done.application.voided and done.application.void_reason == "重复登记，同2025-031"
    assert done.application.voided_by == "张三（网页）" and done.application.voided_at is not None
    assert register.get(twin.id).voided  # the row is kept
    assert register.count() == 3
    assert twin.id not in [a.id for a in register.applications()]
    assert [i.application.id for i in register.due(date(2025, 12, 15))] == [kept.id]
    assert [a.id for a in register.carried_forward(2025)] == [kept.id]
    # Table 三 changes by exactly that application: one commercial applicant received and carried forward.
    after = register.build(2025, "某区人社局")
    changed = {k: (v, cells(after)[k]) for k, v in cells(before).items() if cells(after)[k] != v}
    assert changed == {("new_received", "commercial"): (1, 0), ("new_received", "total"): (3, 2),
                       ("carried_forward", "commercial"): (1, 0), ("carried_forward", "total"): (2, 1)}
    assert not [f for f in after.findings if f.severity == "error"]

    restored = register.restore(twin.id, "李四（命令行）", "误作废")
    assert not restored.voided and restored.void_reason is None
    assert cells(register.build(2025, "某区人社局")) == cells(before)
    history = register.void_history(twin.id)
    assert [(e.action, e.by, e.reason) for e in history] == [("void", "张三（网页）", "重复登记，同2025-031"),
                                                              ("restore", "李四（命令行）", "误作废")]
    assert history[0].at.tzinfo is not None and history[0].at <= history[1].at


def test_void_is_refused_where_it_would_hide_something(register: Register) -> None:
    app = register.add(application("2025-04-01", reference="2025-012"))
    other = register.add(application("2025-04-02"))
    assert app.id and other.id
    with pytest.raises(RegisterError, match="请填写作废原因"):
        register.void(app.id, "  ", "张三")
    with pytest.raises(RegisterError, match="没有第999号申请"):
        register.void(999, "误登记", "张三")
    with pytest.raises(RegisterError, match="没有作废，无需恢复"):
        register.restore(app.id, "张三")
    # A 复议 case is real and stays in table 四: it must first name the application it is about.
    case = register.add_case({"reference": "FY-2025-01", "kind": "review", "filed": date(2025, 6, 1),
                              "application_id": app.id})
    with pytest.raises(RegisterError) as err:
        register.void(app.id, "重复登记", "张三")
    assert f"第{case.id}号案件（FY-2025-01）" in str(err.value) and "关联申请" in str(err.value)
    assert not register.get(app.id).voided
    assert case.id
    register.edit_case(case.id, {"application_id": other.id})
    register.void(app.id, "重复登记", "张三")
    with pytest.raises(RegisterError, match="已作废，不能关联"):
        register.edit_case(case.id, {"application_reference": "2025-012"})
    with pytest.raises(RegisterError, match="已作废，不能修改或再次作废"):
        register.void(app.id, "再次", "张三")
    with pytest.raises(RegisterError, match="请先恢复"):
        register.edit(app.id, {"note": "改一下"})
    with pytest.raises(RegisterError, match="不出具告知书"):
        register.letter(app.id, "补正")
    with pytest.raises(RegisterError, match="xxgk register void"):
        register.edit(other.id, {"void_reason": "误登记"})
    with pytest.raises(RegisterError, match=f"已由第{app.id}号申请（已作废）使用"):
        register.add(application("2025-04-03", reference="2025-012"))
    with pytest.raises(RegisterError, match="作废的申请保留其编号"):
        register.edit(other.id, {"reference": "2025-012"})
    assert [c.id for c in register.cases()] == [case.id]  # the case still counts


def test_a_voided_duplicate_is_no_piece_of_the_applicants_month(register: Register) -> None:
    # 按件计收: the 11th application of an applicant's month is the first charged (100 yuan).
    ids = [register.add(application(f"2025-05-{d:02d}")).id for d in range(5, 15)]
    eleventh = register.add(application("2025-05-20", fee_method="pieces", fee_units=1))
    assert eleventh.id and eleventh.fee_amount == 100
    register.void(eleventh.id, "误登记", "张三")
    assert register.get(eleventh.id).fee_amount is None  # a void charges nothing
    register.restore(eleventh.id, "张三")
    assert register.get(eleventh.id).fee_amount == 100
    register.void(ids[3] or 0, "重复登记", "张三")
    assert register.get(eleventh.id).fee_amount == 0  # now the 10th: free
    register.restore(ids[3] or 0, "张三")
    assert register.get(eleventh.id).fee_amount == 100
    # A fee notice already sent for that fee: the 作废 would make it ask for 0 yuan, so it is refused, named.
    register.edit(eleventh.id, {"fee_notice": date(2025, 5, 22), "fee_notice_delivery": "email"})
    with pytest.raises(RegisterError, match=f"第{eleventh.id}号申请的信息处理费变为0元"):
        register.void(ids[3] or 0, "重复登记", "张三")
    assert not register.get(ids[3] or 0).voided


def test_unpaid_voided_applications_are_not_closed(register: Register) -> None:
    ids = [register.add(application(f"2025-05-{d:02d}")).id for d in range(5, 15)]
    unpaid = register.add(application("2025-05-20", fee_method="pieces", fee_units=1, fee_notice=date(2025, 5, 22),
                                      fee_notice_delivery="email"))
    assert unpaid.id and ids
    register.add(application("2025-05-21", applicant_name="另一人", fee_method="pieces", fee_units=1))
    register.void(unpaid.id, "误登记", "张三")
    assert register.close_unpaid(date(2025, 8, 1)) == []
    assert register.get(unpaid.id).answered is None


def test_void_warns_of_letters_sent_and_reports_published(register: Register) -> None:
    app = register.add(application("2024-11-04", correction_notice=date(2024, 11, 6), answered=date(2025, 1, 10),
                                   outcome="granted"))
    assert app.id
    warnings = register.void(app.id, "误登记", "张三", today=date(2026, 3, 1)).warnings
    assert any("补正通知日期、答复日期" in w and "作废不撤回已发出的文书" in w for w in warnings)
    assert any("2024年度、2025年度的年度报告" in w and "请按规定更正" in w for w in warnings)
    fresh = register.add(application("2026-02-02"))
    assert fresh.id and register.void(fresh.id, "误登记", "张三", today=date(2026, 3, 1)).warnings == ()


def test_a_voided_public_application_says_so_to_its_applicant(register: Register) -> None:
    app = register.submit_public({"applicant_type": "natural_person", "applicant_name": NAME,
                                  "applicant_contact": "13912345678", "request": "本县某道路改造工程的立项批复文件",
                                  "info_form": "electronic", "delivery": "online"}, date(2025, 3, 7))
    assert app.id and app.receipt_number
    done = register.void(app.id, "申请人重复提交，同GK…", "张三")
    assert any("回执编号" in w for w in done.warnings)
    status = public_status(register.by_receipt(app.receipt_number) or app)
    assert status.state.startswith("已作废") and status.due is None and "GK…" not in status.state


def test_the_stored_time_is_utc_whatever_the_backend(register: Register, store_url: str) -> None:
    app = register.add(application("2025-04-01"))
    assert app.id
    voided = register.void(app.id, "误登记", "张三").application
    with register.engine.connect() as conn:
        stored = conn.execute(text("SELECT voided_at FROM register_applications")).scalar_one()
    moment = voided.voided_at
    assert moment is not None and moment.microsecond == 0
    if store_url.startswith("sqlite"):  # no zone in SQLite: stored in UTC, read back as such
        assert str(stored).startswith(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    assert register.get(app.id).voided_at == moment


def test_cli_void_show_list_restore(store_url: str) -> None:
    db = ["--db", store_url]
    for ref in ("2025-001", "2025-001重"):
        added = runner.invoke(cli, ["register", "add", "--received", "2025-03-03", "--channel", "信函", "--type", "自然人",
                                    "--name", NAME, "--request", "某文件", "--reference", ref, *db])
        assert added.exit_code == 0, added.output
    voided = runner.invoke(cli, ["register", "void", "2", "--reason", "重复登记，同第1号", *db])
    assert voided.exit_code == 0, voided.output
    assert "已作废第 2 号申请（原因：重复登记，同第1号）" in voided.stdout and "xxgk register restore 2" in voided.stdout
    missing = runner.invoke(cli, ["register", "void", "2", *db])
    assert missing.exit_code == 2 and "--reason" in missing.output
    again = runner.invoke(cli, ["register", "void", "2", "--reason", "x", *db])
    assert again.exit_code == 2 and "已作废，不能修改或再次作废" in again.output
    shown = runner.invoke(cli, ["register", "show", "2", *db], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "已作废" in shown.stdout and "作废记录" in shown.stdout
    assert "（命令行）" in shown.stdout and "\n答复期限\n" not in shown.stdout
    listed = runner.invoke(cli, ["register", "list", *db], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "2025-001重" not in listed.stdout and "（1 件）" in listed.stdout
    assert "另有 1 件已作废的申请符合条件，未列出（加 --all 一并列出）" in listed.stderr
    everything = runner.invoke(cli, ["register", "list", "--all", *db], env={"COLUMNS": "200"})
    assert "2025-001重" in everything.stdout and "已作废：重复登记，同第1号" in everything.stdout
    only = runner.invoke(cli, ["register", "list", "--voided", "-f", "json", *db])
    assert [json.loads(r)["reference"] for r in only.stdout.splitlines()] == ["2025-001重"]
    due = runner.invoke(cli, ["register", "due", "--today", "2025-04-30", *db], env={"COLUMNS": "200"})
    assert due.exit_code == 1 and "│ 1 " in due.stdout and "│ 2 " not in due.stdout
    letter = runner.invoke(cli, ["register", "letter", "2", *db])
    assert letter.exit_code == 2 and "不出具告知书" in letter.output
    restored = runner.invoke(cli, ["register", "restore", "2", "--reason", "误作废", *db])
    assert restored.exit_code == 0 and "已恢复第 2 号申请" in restored.stdout
    assert "（2 件）" in runner.invoke(cli, ["register", "list", *db]).stdout


def test_the_csv_export_with_all_is_imported_back_with_the_void_state(store_url: str, tmp_path: Path) -> None:
    db = ["--db", store_url]
    with Register(store_url) as source:
        source.add(application("2025-03-03", reference="A-1", answered=date(2025, 3, 20), outcome="granted"))
        twin = source.add(application("2025-03-03", reference="A-1重", fee_method="pages", fee_units=150))
        assert twin.id
        source.void(twin.id, "重复登记，同A-1", "张三（网页）")
        before = source.applications(ApplicationQuery(voided="include"))
    partial = runner.invoke(cli, ["register", "list", "-f", "csv", "--show-personal", *db])
    assert "A-1重" not in partial.stdout and "未导出（加 --all 一并导出）" in partial.stderr
    exported = runner.invoke(cli, ["register", "list", "-f", "csv", "--all", "--show-personal", *db])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout.removeprefix("\ufeff"))))
    assert rows[1]["作废人"] == "张三（网页）" and rows[1]["作废时间"].endswith("+08:00")
    (tmp_path / "export.csv").write_text(exported.stdout, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    imported = runner.invoke(cli, ["register", "import", str(tmp_path / "export.csv"), "--db", other])
    assert imported.exit_code == 0, imported.output
    with Register(other) as target:
        after = target.applications(ApplicationQuery(voided="include"))
        assert [a.model_dump(exclude={"id"}) for a in after] == [a.model_dump(exclude={"id"}) for a in before]
        assert [a.reference for a in target.applications()] == ["A-1"]
        assert [(e.action, e.by) for e in target.void_history(after[1].id or 0)] == [("void", "张三（网页）")]


def test_a_ledger_with_half_a_void_is_refused(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,申请内容,作废时间,作废原因\n"
                    "B-1,2025-03-03,信函,自然人,某人,某文件,2025-03-05 10:00,重复\n"
                    "B-2,2025-03-03,信函,自然人,某人,某文件,2025-03-05 25:00,\n", encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        register.import_file(path)
    assert "第2行：作废须同时登记作废时间、作废人和作废原因" in str(err.value)
    assert "第3行：作废时间：不是有效的时间" in str(err.value)
    with pytest.raises(RegisterError, match="新登记的申请不能是已作废的"):
        register.add(application("2025-03-03", voided_at="2025-03-05 10:00", voided_by="某人", void_reason="重复"))


def test_an_old_notice_of_zero_yuan_does_not_keep_a_slip_from_being_voided(register: Register) -> None:
    from test_register import _store_raw

    app = register.add(application("2025-05-06", fee_method="pieces", fee_units=1))
    assert app.id and app.fee_amount == 0
    _store_raw(register, app.id, fee_notice=date(2025, 5, 8), fee_notice_delivery="email")  # as older versions did
    assert register.void(app.id, "误登记", "张三").application.voided
