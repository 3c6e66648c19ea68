"""勾稽关系: the arithmetic relations declared with the templates, checked cell by cell."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.rules import RULES, rule
from xxgk.model import Finding, Report
from xxgk.templates import Relation, Table, statutory
from xxgk.templates.relations import Instance, Outcome, evaluate, instances


def _label(table: Table, template: str, row_or_col: str, is_row: bool) -> str:
    try:
        if is_row:
            return table.row_by_id(row_or_col).label_for(template)
        return table.column_by_id(row_or_col).label_for(template)
    except KeyError:
        return row_or_col


def _side(table: Table, template: str, cells: tuple[tuple[str, str], ...], report: Report, by_row: bool) -> str:
    parts = []
    for row, col in cells:
        name = _label(table, template, col if by_row else row, not by_row)
        parts.append(f"{name} {_fmt(report.cell(table.id, row, col))}")
    return " + ".join(parts)


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "空"
    return str(int(v)) if float(v).is_integer() else str(v)


def relation_findings(report: Report, relation: Relation) -> Iterator[tuple[Outcome, str, str]]:
    """(outcome, where, message) for every broken instance of ``relation`` in ``report``."""
    data = report.tables.get(relation.table)
    if not data:
        return
    table = statutory().table_by_id(relation.table)
    template = report.meta.template if report.meta.template in ("2019", "2021") else "2021"
    for inst in instances(relation, data):
        out = evaluate(inst, data)
        if out is None or out.holds:
            continue
        yield out, _where(inst), _message(report, table, template, inst, out)


def _where(inst: Instance) -> str:
    rel = inst.relation
    if rel.each == "row":
        return f"{rel.table}.{inst.axis}"
    row = inst.lhs[0][0]
    return f"{rel.table}.{row}.{inst.axis}"


def _message(report: Report, table: Table, template: str, inst: Instance, out: Outcome) -> str:
    rel = inst.relation
    by_row = rel.each == "row"
    lhs = _side(table, template, inst.lhs, report, by_row)
    rhs = _side(table, template, inst.rhs, report, by_row)
    if by_row:
        scope = f"“{_label(table, template, inst.axis, True)}”一行"
    else:
        scope = f"“{_label(table, template, inst.axis, False)}”一列"
    return (f"{table.title}表{scope}：{rel.statement}，但 {lhs} = {_fmt(out.lhs_value)}，"
            f"{rhs} = {_fmt(out.rhs_value)}")


def _relation_rule(relation: Relation) -> None:
    def check(report: Report) -> Iterator[Finding]:
        r = RULES[relation.id]
        for _, where, message in relation_findings(report, relation):
            yield r.finding(where, message)

    rule(relation.id, "error", relation.statement, relation.basis,
         "改动表中任一数字使该等式不成立")(check)


for _relation in statutory().relations:
    _relation_rule(_relation)
