"""Publication deadlines: declared once (statutory.toml, with their articles), read by the checker, grading and the
register."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from xxgk.templates import statutory

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "xxgk"


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

