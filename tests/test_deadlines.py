"""Publication deadlines: declared once (statutory.toml, with their articles), read by the checker, grading and the
register; a report for 2019 or later is due by the 2019 条例's deadlines whatever its layout.

tests/data/deadlines/free_form_2020.txt (invented, realistic): a county bureau's 2020 report laid out in the 2007
条例's six parts, no statutory table, published 2021-04-12: a department's report, due 2021-01-31.
"""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

import xxgk
from xxgk.cli.main import app
from xxgk.model import Finding, Report
from xxgk.store.grade import FindingFact, ReportFacts, default_profile, grade
from xxgk.templates import statutory

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "xxgk"
FREE_FORM = ROOT / "tests" / "data" / "deadlines" / "free_form_2020.txt"


def test_the_deadlines_are_declared_once_with_their_articles() -> None:
    earlier, current = statutory().regulation_for(2018), statutory().regulation_for(2019)
    assert statutory().regulation_for(2008) is earlier and statutory().regulation_for(2030) is current
    # 2007 条例 第三十一条: every body by 31 March, up to the 2018 report.
    assert "国务院令第492号" in earlier.name and earlier.last_year == 2018
    assert [(d.levels, d.due, d.article) for d in earlier.deadlines] == [((), "03-31", "第三十一条")]
    assert all(earlier.deadline_for(level) is earlier.deadlines[0] for level in ("government", "department", "township"))
    # 2019 条例 第四十九条: departments by 31 January, governments by 31 March; townships are not named there.
    assert "国务院令第711号" in current.name and current.last_year is None
    assert {level: (d.due, d.article) for d in current.deadlines for level in d.levels} == {
        "department": ("01-31", "第四十九条"), "government": ("03-31", "第四十九条")}
    assert current.deadline_for("township") is None and current.latest().on(2020) == date(2021, 3, 31)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of a module's docstring nodes (prose may say what the declaration holds)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _stated_deadlines(path: Path) -> list[str]:
    """Where a module spells out a deadline itself: (1, 31) or (3, 31) as numbers, 1月31日 or 3月31日 in a string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    out: list[str] = []
    for node in ast.walk(tree):
        numbers: list[object] = []
        if isinstance(node, ast.Tuple | ast.Call):
            numbers = [n.value for n in (node.elts if isinstance(node, ast.Tuple) else node.args)
                       if isinstance(n, ast.Constant)]
        said = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose and any(
            f"{month}月31日" in node.value for month in (1, 3))
        if said or any(numbers[i:i + 2] in ([1, 31], [3, 31]) for i in range(len(numbers))):
            out.append(f"{path.relative_to(SRC)}:{getattr(node, 'lineno', 0)}")
    return out


def test_no_deadline_is_stated_in_code() -> None:
    """One source of truth: the checker, grading and the register read the declaration, no copy held equal to it."""
    offenders = [where for path in sorted(SRC.rglob("*.py")) for where in _stated_deadlines(path)]
    assert not offenders, offenders


def _late(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.rule == "TIME-LATE"]


def _as_legacy(report: Report, tmp_path: Path, **meta: object) -> Path:
    """The report's JSON with its layout said to be the free-form one (the contract's ``legacy``), as a reviewer's
    corrected JSON or another reader may say of it."""
    data = report.to_dict()
    data["meta"] |= {"template": "legacy", **meta}
    path = tmp_path / "free_form_2020.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_free_form_report_for_2020_published_late_is_late_whatever_its_layout(tmp_path: Path) -> None:
    report = xxgk.parse(FREE_FORM)
    assert (report.meta.year, report.meta.published, report.meta.agency) == (2020, "2021-04-12", "岳阳县农业农村局")
    assert all(table is None for table in report.tables.values())
    (read,) = _late(report)
    assert "县级以上人民政府部门应于每年1月31日前" in read.message and "晚于2021-01-31" in read.message
    # Laid out in the 2007 条例's parts, it is still due by the 2019 条例's deadline.
    checked = CliRunner().invoke(app, ["check", str(_as_legacy(report, tmp_path)), "--json"])
    assert checked.exit_code == 1, checked.output
    found = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "TIME-LATE"]
    assert [(f["where"], f["severity"], f["message"]) for f in found] == [(read.where, "error", read.message)]


def test_the_grade_of_a_free_form_report_links_its_lateness_to_the_finding(tmp_path: Path) -> None:
    from xxgk.cli.reports import load_report

    report = load_report(_as_legacy(xxgk.parse(FREE_FORM), tmp_path))
    assert report.meta.template == "legacy"
    facts = ReportFacts(1, 2020, date(2021, 4, 12), "department",
                        [FindingFact(i, f.rule, f.severity, f.where, f.message, f.quote, "report", None)
                         for i, f in enumerate(report.findings, start=1)])
    graded = grade(facts, default_profile())
    assert (graded.status, graded.deadline) == ("late", date(2021, 1, 31))
    (lateness, *_) = graded.indicators[0].applied
    assert lateness.finding is not None and lateness.finding.rule == "TIME-LATE"


def test_a_free_form_report_for_2020_without_a_date_is_said_to_have_none(tmp_path: Path) -> None:
    report = xxgk.parse(FREE_FORM)
    from xxgk.cli.reports import load_report

    undated = load_report(_as_legacy(report, tmp_path, published=None))
    assert [f.where for f in undated.findings if f.rule == "TIME-NO-DATE"] == ["meta.published"]
    # A free-form report of the 2007 条例's years is not asked for a page date (as before).
    old = load_report(_as_legacy(report, tmp_path, published=None, year=2018))
    assert not [f for f in old.findings if f.rule in ("TIME-NO-DATE", "TIME-LATE")]
