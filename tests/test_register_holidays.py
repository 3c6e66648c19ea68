"""Years chinese-calendar does not know: an office imports the State Council's notice and deadlines use it.

THE 2027 SCHEDULE BELOW IS FICTITIOUS TEST DATA, NOT THE STATE COUNCIL'S NOTICE: it was made up
for these tests (with the dates 《全国年节及纪念日放假办法》 fixes) and must never be shipped or
imported as a real calendar. Its made-up days: 2027-01-01 (Fri) to 01-04 (Mon) off, Sat 01-09 worked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import CalendarError, Register, RegisterError
from xxgk.register.calendar import covered_years, is_working_day
from xxgk.register.deadlines import answer_deadline
from xxgk.register.holidays import parse_schedule, template

runner = CliRunner()

FICTITIOUS_2027 = """\
# 测试用虚构数据，不是国务院办公厅的通知
year = 2027
title = "国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）"
number = "国办发明电〔2026〕999号"
holidays = [
  2027-01-01, 2027-01-02, 2027-01-03, 2027-01-04,
  2027-05-01, 2027-05-02,
  2027-10-01, 2027-10-02, 2027-10-03,
]
workdays = [2027-01-09]
"""
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）（国办发明电〔2026〕999号）"


@pytest.fixture
def register(store_url: str) -> Iterator[Register]:
    reg = Register(store_url)
    yield reg
    reg.close()


def letter_of(received: str, **extra: Any) -> dict[str, Any]:
    return {"received": received, "channel": "letter", "applicant_type": "natural_person",
            "applicant_name": "测试乙", "request": "某文件", **extra}


def test_chinese_calendar_does_not_know_2027_here() -> None:
    # The premise of this file: if a newer chinesecalendar knows 2027, move the fictitious year on.
    assert covered_years()[1] < 2027


def test_a_deadline_across_new_year_uses_the_imported_days(register: Register) -> None:
    app = register.add(letter_of("2026-12-20"))  # a Sunday: signed for by post
    with pytest.raises(CalendarError, match="2027 年") as err:
        answer_deadline(app)
    assert "xxgk register holidays import" in str(err.value)
    register.import_holidays(FICTITIOUS_2027)
    deadline = answer_deadline(register.get(app.id or 0))
    # 12.21–25 → 5, 12.28–31 → 9 (chinese-calendar); 1.1–1.4 off, 1.5–8 → 13, Sat 1.9 worked → 14,
    # 1.11–15 → 19, Mon 1.18 → 20 (the imported days; weekends alone would give Fri 1.15).
    assert deadline.due == date(2027, 1, 18)
    last = deadline.steps[-1]
    assert last.day is None and "2026 年按chinese-calendar" in last.text and f"2027 年按{SOURCE}（本机关导入）" in last.text
    assert is_working_day(date(2027, 1, 9)) and not is_working_day(date(2027, 1, 4))
    assert not is_working_day(date(2027, 1, 10)) and is_working_day(date(2027, 1, 5))
    register.remove_holidays(2027)
    with pytest.raises(CalendarError):
        answer_deadline(register.get(app.id or 0))


def test_a_deadline_within_a_covered_year_names_chinese_calendar_only(register: Register) -> None:
    app = register.add(letter_of("2025-09-26"))
    last = answer_deadline(app).steps[-1]
    assert last.text.startswith("工作日依据：2025 年按chinese-calendar 工作日历（chinesecalendar ")
    assert "2026" not in last.text and "导入" not in last.text


def test_the_due_list_says_how_to_import(register: Register) -> None:
    register.add(letter_of("2026-11-20", extension_days=20, extension_approved="2026-12-15"))
    [item] = register.due(date(2027, 1, 20))
    assert item.status == "unknown" and item.problem is not None
    assert "holidays import" in item.problem and "2027" in item.problem
    register.import_holidays(FICTITIOUS_2027)
    # Due 12.18 without the extension; 20 more: 12.21–31 → 9, 1.5–8 → 13, Sat 1.9 → 14, 1.11–15 → 19, 1.18 → 20.
    [item] = register.due(date(2027, 1, 20))
    assert item.status == "overdue" and item.date == date(2027, 1, 18)


def test_importing_is_checked_and_explicit(register: Register) -> None:
    register.import_holidays(FICTITIOUS_2027)
    with pytest.raises(RegisterError, match="已导入 2027 年"):
        register.import_holidays(FICTITIOUS_2027)
    register.import_holidays(FICTITIOUS_2027.replace("workdays = [2027-01-09]", "workdays = []"), replace=True)
    assert register.holiday_schedule(2027).workdays == ()
    covered = covered_years()[1]
    own = FICTITIOUS_2027.replace("2027", str(covered)).replace("〔2026〕", f"〔{covered - 1}〕")
    own = own.replace(f"{covered}-01-09", "")  # may be a weekday that year
    own = "\n".join(line for line in own.splitlines() if not line.startswith("workdays"))
    with pytest.raises(RegisterError, match="--replace"):
        register.import_holidays(own)
    with pytest.raises(RegisterError, match="没有导入 2030"):
        register.remove_holidays(2030)


@pytest.mark.parametrize(("change", "message"), [
    (("workdays = [2027-01-09]", "workdays = [2027-01-08]"), "第 10 行：调休上班：2027-01-08 是星期五"),
    (("workdays = [2027-01-09]", "workdays = [2027-01-02]"), "2027-01-02 同时列在放假和调休上班中"),
    # A day in both lists: each message names the line of the list it is about (the tester's file).
    (("workdays = [2027-01-09]", "workdays = [2027-01-04]"), "第 10 行：调休上班：2027-01-04 是星期一"),
    (("workdays = [2027-01-09]", "workdays = [2027-01-04]"),
     "第 6 行：2027-01-04 同时列在放假和调休上班中（调休上班在第 10 行）"),
    (("2027-10-02, ", ""), "缺少 2027-10-02（国庆节"),
    (("2027-05-02,", "2028-05-02,"), "第 7 行：放假：2028-05-02 不在 2027 年内"),
    (("number = \"国办发明电〔2026〕999号\"", "number = \"国办发明电(2026)999号\""), "第 4 行：文号格式"),
    (("number = \"国办发明电〔2026〕999号\"", "number = \"\""), "第 4 行：文号（number）不能为空"),
    (("holidays = [", "holiday = ["), "不认识的项目 holiday"),
    (("2027-05-01,", "2027-05-1,"), "第 7 行不是有效的 TOML"),
    (("2027-05-01,", "\"五月一日\","), "第 7 行：放假（holidays）第 5 项应为日期"),
    # Hostile files: arrays or inline tables nested past Python's recursion limit.
    (("workdays = [2027-01-09]", "workdays = " + "[" * 30000), "嵌套过深"),
    (("workdays = [2027-01-09]", "workdays = " + "{a=" * 20000), "嵌套过深"),
])
def test_a_wrong_file_is_refused_naming_line_and_field(change: tuple[str, str], message: str) -> None:
    with pytest.raises(RegisterError) as err:
        parse_schedule(FICTITIOUS_2027.replace(*change), "2027.toml")
    assert message in str(err.value) and str(err.value).startswith("2027.toml")


def test_the_template_holds_hints_only() -> None:
    text = template(2027)
    assert "2027-01-01（星期五）元旦" in text and "2027-01-02 2027-01-03" in text
    with pytest.raises(RegisterError, match="文号（number）不能为空"):
        parse_schedule(text)
    filled = text.replace('number = ""', 'number = "国办发明电〔2026〕999号"').replace(
        "holidays = [\n]", "holidays = [2027-01-01, 2027-05-01, 2027-05-02, 2027-10-01, 2027-10-02, 2027-10-03]")
    assert parse_schedule(filled).holidays[0] == date(2027, 1, 1)


def test_cli_template_import_list_show_remove(store_url: str, tmp_path: Path) -> None:
    db = ["--db", store_url]
    blank = runner.invoke(cli, ["register", "holidays", "template", "2027"])
    assert blank.exit_code == 0 and "xxgk register holidays import 2027.toml" in blank.output
    file = tmp_path / "2027.toml"
    file.write_text(blank.output, encoding="utf-8")
    refused = runner.invoke(cli, ["register", "holidays", "import", str(file), *db])
    assert refused.exit_code == 2 and "文号（number）不能为空" in refused.output
    file.write_text(FICTITIOUS_2027, encoding="utf-8")
    added = runner.invoke(cli, ["register", "add", "--received", "2026-12-20", "--channel", "信函", "--type", "自然人",
                                "--name", "丙某", "--request", "某文件", *db])
    assert added.exit_code == 0, added.output
    before = runner.invoke(cli, ["register", "due", "--today", "2027-01-25", *db])
    assert before.exit_code == 2 and "xxgk register holidays import" in before.output
    imported = runner.invoke(cli, ["register", "holidays", "import", str(file), *db])
    assert imported.exit_code == 0 and "放假 9 天，调休上班 1 天" in imported.output
    listed = runner.invoke(cli, ["register", "holidays", "list", *db], env={"COLUMNS": "200"})
    assert "2027" in listed.output and "国办发明电〔2026〕999号" in listed.output
    shown = runner.invoke(cli, ["register", "holidays", "show", "2027", *db], env={"COLUMNS": "200"})
    assert "2027-01-09" in shown.output and "调休上班" in shown.output and "星期六" in shown.output
    app = runner.invoke(cli, ["register", "show", "1", *db], env={"COLUMNS": "300"})
    assert "2027-01-18" in app.output and "国办发明电〔2026〕999号" in app.output
    due = runner.invoke(cli, ["register", "due", "--today", "2027-01-25", *db])
    assert due.exit_code == 1 and "2027-01-18" in due.output  # overdue, no longer unknown
    again = runner.invoke(cli, ["register", "holidays", "show", "2027", "--toml", *db])
    assert parse_schedule(again.output) == parse_schedule(FICTITIOUS_2027)
    removed = runner.invoke(cli, ["register", "holidays", "remove", "2027", *db])
    assert removed.exit_code == 0
    gone = runner.invoke(cli, ["register", "holidays", "show", "2027", *db])
    assert gone.exit_code == 2 and "没有导入 2027 年" in gone.output
    junk = tmp_path / "junk.toml"
    junk.write_bytes("year = 2027 # 年".encode("gbk"))
    bad = runner.invoke(cli, ["register", "holidays", "import", str(junk), *db])
    assert bad.exit_code == 2 and "UTF-8" in bad.output
    endless = runner.invoke(cli, ["register", "holidays", "import", "/dev/zero", *db])
    assert endless.exit_code == 2 and "不是普通文件" in endless.output  # refused, not read for ever
