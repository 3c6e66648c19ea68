"""What the command line prints from reports and hints is shown as written: Rich markup never eats it.

``pip install 'xxgk[ocr]'`` lost its ``[ocr]`` when printed as markup; a report's own text with
square brackets (``[bold]`` in a title, ``[2023]`` in a finding) must come out as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from sqlalchemy import insert, select
from typer.testing import CliRunner

import xxgk
from conftest import CORPUS
from xxgk.cli.main import app
from xxgk.cli.store import _print_summary
from xxgk.db import store_schema as schema
from xxgk.store import Store, Summary
from xxgk.store.write import Outcome

HINT = "需要 OCR：pip install 'xxgk[ocr]'"
runner = CliRunner()


def test_a_failure_hint_keeps_its_brackets() -> None:
    console = Console(record=True, width=200)
    summary = Summary(total=1)
    summary.add(Outcome("/data/scan.pdf", "failed", error=f"PDF 没有可提取的文字（可能是扫描件），{HINT}"))
    _print_summary(console, "入库", summary)
    assert HINT in console.export_text()


def test_findings_and_titles_with_brackets_are_printed_as_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as store:
        store.ingest([CORPUS / "dev_001.txt"], workers=1)
        with store.engine.begin() as conn:
            report_id = conn.execute(select(schema.Report.id)).scalar_one()
            conn.execute(insert(schema.Finding).values(report_id=report_id, scope="report", rule="READ-NOTE",
                                                       severity="warning", location="document",
                                                       message=f"第 3 页无法识别，[2023] {HINT}"))
    shown = runner.invoke(app, ["findings", "--db", url])
    assert shown.exit_code == 0, shown.output
    assert f"[2023] {HINT}" in shown.output
    report = xxgk.parse(CORPUS / "dev_001.txt").to_dict()
    report["meta"]["title"] = "[bold]某县[2023]年度报告"
    marked = tmp_path / "marked.json"
    marked.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    checked = runner.invoke(app, ["check", str(marked)])
    assert "[bold]某县[2023]年度报告" in checked.output


# --- the reviewer's commands: roster, harvest, monitor, grade (names and profiles are the users') ---

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OFFICE = "重庆市武隆区人民政府办公室"
MARKED_OFFICE = "[bold]" + OFFICE  # a real Rich style: as markup it would vanish and embolden the name
PILOT = "重庆市武隆区[试点]统计局"
SITE = "https://www.cqwulong.gov.cn/?a[1]=2"
wide = CliRunner(env={"COLUMNS": "400"})


def marked_profile(tmp_path: Path) -> Path:
    """The default grading profile with brackets in every name, band, basis and reason an office writes,
    and a deadline for departments that the 武隆 report misses."""
    from xxgk.store.grade import PACKAGED_PROFILE

    text = PACKAGED_PROFILE.read_text(encoding="utf-8")
    for key, mark in (("name", "[细则]"), ("basis", "[条例]"), ("reason", "[扣]")):
        text = text.replace(f'{key} = "', f'{key} = "{mark}')
    text += '\n[deadlines]\ndepartment = "01-02"\n'  # a deduction to show: 逾期公布
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_monitor_grade_and_harvest_print_names_as_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码,网站,其他名称\n"
                      f'"{MARKED_OFFICE}",部门,500156,{SITE},{OFFICE}\n'
                      f"{PILOT},部门,500156,,\n", encoding="utf-8")
    with Store(url) as store:
        store.ingest([EXAMPLES / "wulong_2022.txt"], workers=1)
    assert wide.invoke(app, ["roster", "import", str(roster), "--db", url]).exit_code == 0
    listed = wide.invoke(app, ["roster", "list", "--db", url])
    assert MARKED_OFFICE in listed.output and PILOT in listed.output and SITE in listed.output
    exported = tmp_path / "[名录].csv"
    shown = wide.invoke(app, ["roster", "export", "-o", str(exported), "--db", url])
    assert str(exported) in shown.output.replace("\n", "")

    profile = str(marked_profile(tmp_path))
    monitored = wide.invoke(app, ["monitor", "--year", "2022", "--today", "2023-04-01", "--profile", profile,
                                  "--db", url])
    assert monitored.exit_code == 0, monitored.output
    assert MARKED_OFFICE in monitored.output and PILOT in monitored.output
    assert "评分细则：[细则]" in monitored.output and "（[细则]" in monitored.output  # profile name, band

    graded = wide.invoke(app, ["grade", "--year", "2022", "--profile", profile, "--db", url])
    assert graded.exit_code == 0, graded.output
    assert MARKED_OFFICE in graded.output and "[细则]" in graded.output
    report_id = json.loads(wide.invoke(app, ["grade", "--year", "2022", "--json", "--db", url]).output)["report_id"]
    breakdown = wide.invoke(app, ["grade", "--report", str(report_id), "--profile", profile, "--db", url])
    assert breakdown.exit_code == 0, breakdown.output
    assert breakdown.output.startswith(MARKED_OFFICE)
    assert "[细则]时效" in breakdown.output and "依据：[条例]" in breakdown.output and "[扣]逾期公布" in breakdown.output

    # A body without a site fails at once (no request is made); its name is printed as written.
    harvested = wide.invoke(app, ["harvest", "--year", "2022", "--name", "试点", "--quiet", "--db", url])
    assert harvested.exit_code == 1 and PILOT in harvested.output
