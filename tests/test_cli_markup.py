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
