"""The judge of the register: a ledger of 600 applications over every outcome and applicant type
(plus reviews, lawsuits and table 二) → build → DOCX, HTML and Markdown → ``xxgk.parse`` → the
same tables; and ``check`` finds no error in the built report.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import xxgk
from xxgk.cli.main import app as cli
from xxgk.model import Report
from xxgk.register import Register
from xxgk.register.choices import applicant_type_choices, applicant_types, case_kinds, case_results, outcomes
from xxgk.register.model import CHANNELS, FIELDS
from xxgk.render.docx import report_to_docx
from xxgk.render.html import report_to_html
from xxgk.render.markdown import report_to_markdown
from xxgk.templates import statutory

YEAR = 2025
PROSE = """# 某某市某某局{{year}}年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》第五十条编制。

## 一、总体情况

{{year}}年，本局全年共收到政府信息公开申请{{requests.new_received.total}}件，上年结转{{carried_over}}件，
办结{{processed}}件，结转下年度继续办理{{carried_forward}}件。
全年收到行政复议{{reviews}}件、行政诉讼{{lawsuits}}件。

## 五、存在的主要问题及改进情况

一是部分申请答复说理不够充分；二是政府信息公开平台栏目设置有待优化。下一步，本局将加强答复文书审核，
完善平台栏目，确保按期答复。

## 六、其他需要报告的事项

本局认真落实年度政务公开工作要点。{{fees.statement}}
"""

LEDGER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "申请内容", "补正通知日期", "补正收到日期",
          "征求意见日期", "征求意见答复日期", "延期工作日数", "延期批准日期", "收费方式", "收费件数或页数",
          "收费通知日期", "缴费日期", "答复日期", "办理结果"]


def _application(i: int, rnd: random.Random, outcome: str | None, kind: str, received: date,
                 answered: date | None) -> dict[str, Any]:
    """One ledger row, the label of its applicant type as an office would write it."""
    label = applicant_type_choices()[kind][0]
    row: dict[str, Any] = {"申请编号": f"Y-{i:04d}", "收到日期": received.isoformat(),
                           "申请方式": rnd.choice(list(CHANNELS.values())), "申请人类型": label,
                           "申请人": f"申请人{i:04d}", "申请内容": f"第{i}项信息"}
    if outcome in ("other.no_correction", "unable.unclear") or (outcome and rnd.random() < 0.05):
        row["补正通知日期"] = (received + timedelta(days=2)).isoformat()
        if outcome != "other.no_correction":
            row["补正收到日期"] = (received + timedelta(days=4)).isoformat()
    if outcome == "other.unpaid_fee":
        row.update({"收费方式": "按量计收", "收费件数或页数": "150", "收费通知日期": (received + timedelta(days=1)).isoformat()})
    elif outcome and rnd.random() < 0.05:
        # 40 pages: 100 yuan (a 1st 件 of the month would be free, and a free fee has no notice).
        row.update({"收费方式": "按量", "收费件数或页数": "40", "收费通知日期": (received + timedelta(days=1)).isoformat(),
                    "缴费日期": (received + timedelta(days=3)).isoformat()})
    if rnd.random() < 0.1:
        row.update({"征求意见日期": (received + timedelta(days=1)).isoformat(),
                    "征求意见答复日期": (received + timedelta(days=5)).isoformat()})
    if rnd.random() < 0.1:
        row.update({"延期工作日数": str(rnd.randint(1, 20)), "延期批准日期": (received + timedelta(days=5)).isoformat()})
    if answered is not None and outcome is not None:
        row.update({"答复日期": answered.isoformat(), "办理结果": outcome})
    return row


def ledger_rows(n: int = 600, seed: int = 6) -> list[dict[str, Any]]:
    """``n`` applications received from Oct 2024 to Dec 2025; every (outcome, type) pair answered in 2025."""
    rnd = random.Random(seed)
    leaves, kinds = outcomes("2021"), applicant_types()
    rows = []
    pairs = [(o, k) for o in leaves for k in kinds]
    for i, (outcome, kind) in enumerate(pairs):
        received = date(YEAR, 1, 6) + timedelta(days=i)
        rows.append(_application(i, rnd, outcome, kind, received, received + timedelta(days=10)))
    for i in range(len(pairs), n):
        received = date(2024, 10, 1) + timedelta(days=rnd.randrange(0, 456))
        if rnd.random() < 0.1:
            rows.append(_application(i, rnd, None, rnd.choice(kinds), received, None))
        else:
            answered = received + timedelta(days=rnd.randrange(6, 50))
            rows.append(_application(i, rnd, rnd.choice(leaves), rnd.choice(kinds), received, answered))
    return rows


def _write(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cases(seed: int = 4) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    kinds, results = case_kinds(), case_results()
    table = statutory().table_by_id("review_litigation")
    out = []
    for i in range(45):
        filed = date(2024, 9, 1) + timedelta(days=rnd.randrange(0, 480))
        row = {"案件编号": f"C-{i}", "案件类型": table.row_by_id(kinds[i % 3]).label_for("2021"),
               "收到日期": filed.isoformat()}
        if rnd.random() < 0.7:
            row.update({"审结日期": (filed + timedelta(days=rnd.randrange(20, 150))).isoformat(),
                        "审理结果": table.column_by_id(rnd.choice(results)).label_for("2021")})
        out.append(row)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, list[dict[str, Any]]]:
    """The 2025 report of a register filled by importing the ledgers (SQLite)."""
    folder = tmp_path_factory.mktemp("register")
    rows = ledger_rows()
    with Register(f"sqlite:///{folder / 'r.db'}") as register:
        assert register.import_file(_write(folder / "ledger.csv", LEDGER, rows)).rows == 600
        register.import_file(_write(folder / "cases.csv", ["案件编号", "案件类型", "收到日期", "审结日期", "审理结果"],
                                    _cases()))
        active = statutory().table_by_id("active")
        values = [{"年度": YEAR, "项目": r.label_for("2021"), "栏目": c.label_for("2021"),
                   "数值": "12.34" if c.kind == "money" else str(7 + i)}
                  for i, r in enumerate(active.rows_for("2021")) for c in active.row_columns(r, "2021")]
        register.import_file(_write(folder / "active.csv", ["年度", "项目", "栏目", "数值"], values))
        return register.build(YEAR, "某某市某某局", PROSE, date(2026, 1, 20)), rows


def _diff(want: Report, got: Report) -> list[str]:
    out = []
    for tid, table in want.tables.items():
        for row, cells in (table or {}).items():
            back = (got.tables.get(tid) or {}).get(row)
            if back != cells:
                out.append(f"{tid}.{row}: {cells} → {back}")
    return out


def test_tables_count_the_register(built: tuple[Report, list[dict[str, Any]]]) -> None:
    report, rows = built
    requests = report.tables["requests"] or {}
    kinds = {labels[0]: k for k, labels in applicant_type_choices().items()}
    received = Counter(kinds[r["申请人类型"]] for r in rows if r["收到日期"].startswith(str(YEAR)))
    assert {k: requests["new_received"][k] for k in applicant_types()} == {k: received[k] for k in applicant_types()}
    answered = Counter(r["办理结果"] for r in rows if r.get("答复日期", "").startswith(str(YEAR)))
    assert {o: requests[o]["total"] for o in outcomes("2021")} == {o: answered[o] for o in outcomes("2021")}
    assert all(requests[o][k] for o in outcomes("2021") for k in applicant_types())  # every pair is there
    still_open = sum(1 for r in rows if not r.get("答复日期") or r["答复日期"] > f"{YEAR}-12-31")
    assert requests["carried_forward"]["total"] == still_open > 0
    assert (requests["carried_over"]["total"] or 0) > 0
    assert sum((report.tables["review_litigation"] or {})[k]["total"] or 0 for k in case_kinds()) > 0


def test_built_report_checks_clean(built: tuple[Report, list[dict[str, Any]]]) -> None:
    report, _ = built
    assert report.meta.template == "2021" and report.meta.year == YEAR
    assert [f.rule for f in report.findings if f.severity != "info"] == []
    text = report.sections["overview"].text or ""
    assert f"共收到政府信息公开申请{(report.tables['requests'] or {})['new_received']['total']}件" in text
    assert "信息处理费" in (report.sections["other"].text or "")


@pytest.mark.parametrize("fmt", ["docx", "html", "md"])
def test_rendered_report_parses_back_to_the_same_tables(built: tuple[Report, list[dict[str, Any]]],
                                                        fmt: str) -> None:
    report, _ = built
    data = {"docx": lambda: report_to_docx(report), "html": lambda: report_to_html(report).encode("utf-8"),
            "md": lambda: report_to_markdown(report).encode("utf-8")}[fmt]()
    back = xxgk.parse(data, f"report.{fmt}")
    assert _diff(report, back) == []
    assert back.meta.year == YEAR and back.meta.template == "2021"
    assert all(back.sections[s].present for s in back.sections)
    assert [f.rule for f in back.findings if f.severity == "error"] == []


def test_cli_build_then_render_then_check(store_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", store_url]
    rows = ledger_rows(150, seed=9)
    imported = runner.invoke(cli, ["register", "import", str(_write(tmp_path / "l.csv", LEDGER, rows)), *db])
    assert imported.exit_code == 0, imported.output
    (tmp_path / "prose.md").write_text(PROSE, encoding="utf-8")
    built = runner.invoke(cli, ["report", "build", "--year", str(YEAR), "--agency", "某某市某某局", "--prose",
                                str(tmp_path / "prose.md"), "--date", "2026-01-20", "-o", str(tmp_path / "r.json"), *db])
    assert built.exit_code == 0, built.output
    for fmt in ("docx", "html", "md"):
        rendered = runner.invoke(cli, ["render", str(tmp_path / "r.json"), "-f", fmt])
        assert rendered.exit_code == 0, rendered.output
        checked = runner.invoke(cli, ["check", str(tmp_path / f"r.{fmt}")])
        assert checked.exit_code == 0, checked.output
    unknown = tmp_path / "bad.md"
    unknown.write_text("## 一、总体情况\n\n共{{requests.nothing.total}}件\n", encoding="utf-8")
    refused = runner.invoke(cli, ["report", "build", "--year", str(YEAR), "--agency", "某局", "--prose", str(unknown),
                                  "-o", str(tmp_path / "x.json"), *db])
    assert refused.exit_code == 2 and "第3行" in refused.output and not (tmp_path / "x.json").exists()


def test_field_names_of_the_ledger_are_the_documented_ones() -> None:
    assert set(LEDGER) <= set(FIELDS.values())
