"""The statutory templates are declared once, and the declaration is complete."""

from __future__ import annotations

import ast
from pathlib import Path

from xxgk.templates import TABLE_IDS, statutory

SRC = Path(__file__).resolve().parent.parent / "src" / "xxgk"


def _labels() -> set[str]:
    out: set[str] = set()
    for t in statutory().tables:
        for r in t.rows:
            out.update(r.labels())
        for c in t.columns:
            out.update(c.labels())
    return {lab for lab in out if len(lab) >= 4}


def _code_strings(path: Path) -> list[str]:
    """String constants of a module, leaving out docstrings and rule documentation.

    A rule's title, basis and example (the arguments of ``rule(...)``, or the ``_READING``
    table) are prose for docs/rules.md and may name a row as a person would.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        is_rule = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "rule"
        is_doc_table = isinstance(node, ast.Assign | ast.AnnAssign) and "_READING" in ast.dump(node)[:200]
        if is_rule or is_doc_table:
            docstrings.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_label_is_spelled_out_in_code() -> None:
    """One source of truth: row and column labels live only in statutory.toml.

    Messages may quote a label inside “…” as an example (rule docs); code may not match on one.
    """
    offenders: list[str] = []
    for path in SRC.rglob("*.py"):
        if path.name == "figures.py":
            continue  # prose vocabulary (予以公开 as a verb phrase in sentences), not table labels
        for s in _code_strings(path):
            for label in _labels():
                if label == s or (label in s and f"“{label}" not in s and "例" not in s):
                    offenders.append(f"{path.relative_to(SRC)}: {label} in {s[:40]!r}")
    assert not offenders, offenders


def test_row_counts_of_the_statutory_formats() -> None:
    s = statutory()
    requests = s.table_by_id("requests")
    assert len(requests.rows_for("2021")) == 25 and len(requests.rows_for("2019")) == 23
    active = s.table_by_id("active")
    n2021 = sum(len(active.row_columns(r, "2021")) for r in active.rows_for("2021"))
    n2019 = sum(len(active.row_columns(r, "2019")) for r in active.rows_for("2019"))
    assert (n2021, n2019) == (10, 22)  # the 10 and 22 values of table 二
    review = s.table_by_id("review_litigation")
    assert len(review.rows_for("2021")) * len(review.columns_for("2021")) == 15
    assert {t.id for t in s.tables} == set(TABLE_IDS)


def test_every_relation_names_declared_ids() -> None:
    s = statutory()
    for rel in s.relations:
        table = s.table_by_id(rel.table)
        ids = {c.id for c in table.columns} if rel.each == "row" else {r.id for r in table.rows}
        for ident in (*rel.lhs, *rel.rhs):
            assert ident.endswith(".*") or ident in ids, (rel.id, ident)


def test_the_report_name_is_declared_once() -> None:
    """How a report names itself (政府信息公开工作年度报告 and its spellings) lives in statutory.toml:
    the title's patterns and the words a lost character is restored in are made from it, never a
    list of its subjects spelled again in code."""
    name = statutory().report_name
    assert {"政府信息公开工作年度报告", "政府信息公开年度报告", "政务公开工作年度报告", "信息公开年报"} <= set(name.words())
    assert name.words() == statutory().word_groups()[0]
    # figures.py reads prose (政府信息公开申请, 信息公开的费用): its own vocabulary, not the report's name.
    offenders = [f"{path.relative_to(SRC)}: {s[:60]!r}" for path in (SRC / "parse").rglob("*.py")
                 if path.name != "figures.py" for s in _code_strings(path)
                 if sum(subject in s for subject in name.subjects) >= 2 and "|" in s]
    assert not offenders, offenders
