"""勾稽关系: the arithmetic relations declared with the templates, checked cell by cell."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.rules import get, rule
from xxgk.model import Finding, Report
from xxgk.templates import Relation, Table, statutory
from xxgk.templates.relations import Instance, Outcome, evaluate, instances


def fmt(v: float | int | None) -> str:
    """A number as a person writes it (no trailing .0)."""
    if v is None:
        return "空"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def template_of(report: Report) -> str:
    return report.meta.template if report.meta.template in ("2019", "2021") else "2021"


def _label(table: Table, template: str, ident: str, is_row: bool) -> str:
    try:
        return (table.row_by_id(ident) if is_row else table.column_by_id(ident)).label_for(template)
    except KeyError:
        return ident


def _side(table: Table, template: str, cells: tuple[tuple[str, str], ...], report: Report, by_row: bool) -> str:
    return " + ".join(
        f"{_label(table, template, col if by_row else row, not by_row)} {fmt(report.cell(table.id, row, col))}"
        for row, col in cells)


def broken(report: Report, relation: Relation) -> Iterator[tuple[Instance, Outcome]]:
    """Every instance of ``relation`` that the report's numbers break."""
    data = report.tables.get(relation.table)
    if not data:
        return
    for inst in instances(relation, data):
        out = evaluate(inst, data)
        if out is not None and not out.holds:
            yield inst, out


def _where(inst: Instance) -> str:
    rel = inst.relation
    if rel.each == "row":
        return f"{rel.table}.{inst.axis}"
    return f"{rel.table}.{inst.lhs[0][0]}.{inst.axis}"


def _message(report: Report, table: Table, inst: Instance, out: Outcome) -> str:
    rel = inst.relation
    tpl = template_of(report)
    by_row = rel.each == "row"
    scope = f"“{_label(table, tpl, inst.axis, by_row)}”{'一行' if by_row else '一列'}"
    lhs = _side(table, tpl, inst.lhs, report, by_row)
    rhs = _side(table, tpl, inst.rhs, report, by_row)
    return (f"表“{table.title}”{scope}：{rel.statement}，但 {lhs} = {fmt(out.lhs_value)}，"
            f"而 {rhs} = {fmt(out.rhs_value)}")


def _relation_rule(relation: Relation) -> None:
    def check(report: Report) -> Iterator[Finding]:
        table = statutory().table_by_id(relation.table)
        for inst, out in broken(report, relation):
            yield get(relation.id).finding(_where(inst), _message(report, table, inst, out))

    rule(relation.id, "error", relation.statement, relation.basis,
         "表中任一数字改动使该等式不成立，如总计 7 而各列之和为 6")(check)


for _relation in statutory().relations:
    _relation_rule(_relation)
