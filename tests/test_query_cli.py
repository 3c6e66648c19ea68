"""The query commands as a researcher types them: several --rule, --level in Chinese, a database that is not
there (never created by a command that only reads), a plain file path for --db, spreadsheet-ready CSV, and
tables that read at 80 columns.

The store holds examples/ and two reports of tests/data/queries (invented, realistic): 湖州市生态环境局 2022
with a row whose total is wrong (T3-ROW-TOTAL) and 湖州市教育局 2024 whose 一+二 ≠ 三(七)+四 (T3-BALANCE).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from xxgk.cli.main import app
from xxgk.cli.views import change_heading
from xxgk.store import Store
from xxgk.store.query import LIST_COLUMNS
from xxgk.store.stats import stats_columns

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "data" / "queries"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of examples/ and the two reports with arithmetic errors, named by its plain file path."""
    path = tmp_path_factory.mktemp("queries") / "store.db"
    with Store(str(path)) as store:
        summary = store.ingest([ROOT / "examples", QUERIES], workers=2)
        assert summary.failed == 0
    yield str(path)


def run(*args: str, width: int = 300, env: dict[str, str | None] | None = None) -> Result:
    """The command's result, with XXGK_DATABASE_URL unset unless given."""
    return CliRunner(env={"COLUMNS": str(width), "XXGK_DATABASE_URL": None, **(env or {})}).invoke(app, list(args))


def listed(*args: str) -> list[dict[str, object]]:
    """``xxgk list --json`` with these options, as records."""
    result = run("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def rule_reports(db: str, rule: str) -> set[object]:
    """The reports with a finding of this rule, from ``xxgk findings --json``."""
    result = run("findings", "--json", "--rule", rule, "--db", db)
    assert result.exit_code == 0, result.output
    return {json.loads(line)["report_id"] for line in result.stdout.splitlines()}


def test_rule_may_be_given_several_times_in_any_case(db: str) -> None:
    row_total, balance = rule_reports(db, "T3-ROW-TOTAL"), rule_reports(db, "T3-BALANCE")
    assert row_total and balance and row_total != balance
    both = {r["report_id"] for r in listed("--rule", "T3-ROW-TOTAL", "--rule", "T3-BALANCE", "--db", db)}
    assert both == row_total | balance  # before: only the last --rule counted
    assert {r["report_id"] for r in listed("--rule", "t3-balance", "--db", db)} == balance

    result = run("findings", "--json", "--rule", "t3-row-total", "--rule", "T3-Balance", "--db", db)
    rules = {json.loads(line)["rule"] for line in result.stdout.splitlines()}
    assert result.exit_code == 0 and rules == {"T3-ROW-TOTAL", "T3-BALANCE"}

    stats = run("stats", "--json", "--rule", "T3-ROW-TOTAL", "--rule", "t3-balance", "--db", db)
    assert stats.exit_code == 0 and sum(json.loads(line)["reports"] for line in stats.stdout.splitlines()) == len(
        row_total | balance)


def test_export_takes_several_rules(db: str, tmp_path: Path) -> None:
    out = tmp_path / "two.csv"
    result = run("export", "-o", str(out), "--rule", "T3-ROW-TOTAL", "--rule", "T3-BALANCE", "--db", db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {int(r["report_id"]) for r in rows} == rule_reports(db, "T3-ROW-TOTAL") | rule_reports(db, "T3-BALANCE")


@pytest.mark.parametrize("command", [["list"], ["stats"], ["findings"], ["export", "-o", "x.csv"]])
def test_an_unknown_rule_is_an_error_naming_the_closest(db: str, command: list[str]) -> None:
    result = run(*command, "--rule", "T3-TOTAL", "--db", db)
    assert result.exit_code == 2
    assert "T3-TOTAL" in result.stderr and "T3-ROW-TOTAL" in result.stderr and "xxgk rules" in result.stderr
    late = run(*command, "--rule", "late", "--db", db)
    assert late.exit_code == 2 and "TIME-LATE" in late.stderr and "FORM-TEMPLATE" not in late.stderr


def test_level_in_chinese_means_the_same_as_its_id(db: str) -> None:
    for chinese, level in (("政府", "government"), ("部门", "department"), ("未识别", "unknown"),
                           ("乡镇（街道）", "township"), ("乡镇街道", "township"), ("乡镇", "township")):
        assert listed("--level", chinese, "--db", db) == listed("--level", level, "--db", db)
    governments = listed("--level", "政府", "--db", db)
    assert governments and {r["level"] for r in governments} == {"government"}  # the output keeps the ids
    result = run("list", "--level", "省级", "--db", db)
    assert result.exit_code == 2 and "级别应为" in result.stderr and "政府" in result.stderr
    grade = run("grade", "--level", "政府", "--json", "--db", db)
    assert grade.exit_code == 0 and {json.loads(line)["level"] for line in grade.stdout.splitlines()} == {"government"}
    assert run("grade", "--level", "未识别", "--db", db).exit_code == 2  # the roster's levels have no 未识别


READ_ONLY = [["list"], ["stats"], ["compare", "洪泽"], ["findings"], ["agencies"], ["export", "-o", "out.csv"],
             ["grade"], ["monitor", "--year", "2023"], ["circular", "--year", "2023", "-o", "c.docx"], ["recheck"],
             ["reparse"], ["roster", "list"], ["roster", "export", "-o", "r.csv"]]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_a_read_only_command_never_creates_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command)  # no --db, no XXGK_DATABASE_URL: ./xxgk.db
    assert result.exit_code == 2
    assert f"数据库不存在：{tmp_path / 'xxgk.db'}" in result.stderr and "默认" in result.stderr
    assert "xxgk ingest" in result.stderr and "XXGK_DATABASE_URL" in result.stderr
    missing = tmp_path / "elsewhere" / "reports.db"
    (tmp_path / "elsewhere").mkdir()
    named = run(*command, env={"XXGK_DATABASE_URL": str(missing)})
    assert named.exit_code == 2 and str(missing) in named.stderr and "环境变量 XXGK_DATABASE_URL" in named.stderr
    given = run(*command, "--db", f"sqlite:///{missing}")
    assert given.exit_code == 2 and str(missing) in given.stderr and "--db" in given.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["elsewhere"]


def test_regions_show_without_a_database_uses_the_packaged_table(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("regions", "show", "湖州市")
    assert result.exit_code == 0 and "330500" in result.stdout and not list(tmp_path.iterdir())


def test_db_is_a_plain_path_or_a_url_and_an_empty_answer_names_it(db: str, tmp_path: Path) -> None:
    assert listed("--db", db) == listed("--db", f"sqlite:///{db}")
    from_env = run("list", "--json", env={"XXGK_DATABASE_URL": db})
    assert from_env.exit_code == 0 and len(from_env.stdout.splitlines()) == len(listed("--db", db))
    for command in ("list", "stats", "grade"):
        result = run(command, "--year", "2001", "--db", db)
        assert result.exit_code == 0 and "没有符合条件的报告" in result.stdout and db in result.stdout
    findings = run("findings", "--rule", "PARSE-OCR-AGENCY", "--db", db)
    assert findings.exit_code == 0 and db in findings.stdout
    compare = run("compare", "没有这个机关", "--db", db)
    assert compare.exit_code == 2 and db in compare.stderr

    new = tmp_path / "new.db"  # ingest still makes the database, from a plain path too
    made = run("ingest", str(ROOT / "examples" / "hongze_2024.txt"), "--db", str(new), "-q")
    assert made.exit_code == 0 and new.is_file()
    empty = tmp_path / "empty.db"
    Store(str(empty)).close()
    result = run("list", "--db", str(empty))
    assert result.exit_code == 0 and "数据库中还没有报告" in result.stdout and str(empty) in result.stdout


def test_csv_has_a_bom_and_whole_numbers_without_decimals(db: str) -> None:
    for command, columns in ((["stats"], stats_columns()), (["list"], LIST_COLUMNS)):
        result = run(*command, "--csv", "--db", db)
        assert result.exit_code == 0 and result.stdout_bytes.startswith(BOM)  # as xxgk export's CSV
        text = result.stdout_bytes.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == columns  # the headers as they were
    stats = list(csv.DictReader(io.StringIO(run("stats", "--csv", "--db", db).stdout_bytes.decode("utf-8-sig"))))
    received = [r["received"] for r in stats if r["received"]]
    assert received and all(value.isdigit() for value in received)  # 670, not 670.0
    records = [json.loads(line) for line in run("stats", "--json", "--db", db).stdout.splitlines()]
    assert all(isinstance(r["received"], int) for r in records if r["received"] is not None)
    assert any(isinstance(r["disclosure_rate"], float) for r in records)  # shares stay fractions


def test_list_reads_at_80_columns(db: str) -> None:
    result = run("list", "--db", db, width=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "…" not in result.stdout and all(cell_len(line) <= 80 for line in lines)
    assert "湖州市教育局" in result.stdout and "终端较窄" in result.stdout
    wide = run("list", "--db", db, width=300)
    assert "标题" in wide.stdout and "终端较窄" not in wide.stdout


def test_compare_names_the_years_its_change_subtracts(db: str) -> None:
    result = run("compare", "洪泽区人民政府", "--db", db, width=80)
    assert result.exit_code == 0 and "较上年变化" in result.stdout and "（2024−2023）" in result.stdout
    assert change_heading(["2021", "2023"]) == "变化\n（2023−2021）"  # not 较上年 across a missing year
    assert change_heading(["2023"]) == "变化"


def test_monitor_without_a_roster_says_so(db: str) -> None:
    result = run("monitor", "--year", "2023", "--db", db)
    assert result.exit_code == 2 and "名录为空" in result.stderr and "xxgk roster import" in result.stderr


def test_grade_heads_each_group_its_ranks_restart_in(db: str) -> None:
    result = run("grade", "--db", db, width=100)
    assert result.exit_code == 0
    assert "2024年度 浙江省湖州市 部门（" in result.stdout
    assert "xxgk 默认评分细则（xxgk 默认评分细则）" not in result.stdout and "评分细则：xxgk 默认评分细则" in result.stdout


def test_stats_take_a_body_s_level_from_the_roster_where_it_has_the_body(tmp_path: Path) -> None:
    """重庆市武隆区人民政府办公室 reports in the government's name (its level told from the report: 政府); the
    reviewer's roster, imported before the report was stored, lists it as a department, as grading and monitor
    take it."""
    db = str(tmp_path / "store.db")
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n重庆市武隆区人民政府办公室,部门,500156\n", encoding="utf-8")
    Store(db).close()
    assert run("roster", "import", str(roster), "--db", db).exit_code == 0
    assert run("ingest", str(ROOT / "examples" / "wulong_2022.txt"), "--db", db, "-q").exit_code == 0

    def reports(level: str) -> dict[str, int]:
        result = run("stats", "--json", "--level", level, "--by", "county", "--db", db)
        assert result.exit_code == 0, result.output
        return {row["region"]: row["reports"] for row in map(json.loads, result.stdout.splitlines()) if row["reports"]}

    assert reports("部门") == {"重庆市武隆区": 1} and reports("政府") == {}
    # stats examined the new report's roster body: list, filtering on the same condition, says the same.
    assert [r["level"] for r in listed("--level", "部门", "--db", db)] == ["department"]
