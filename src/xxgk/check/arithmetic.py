"""勾稽关系: the arithmetic relations declared with the templates, checked cell by cell."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xxgk.check.rules import get, rule
from xxgk.model import Finding, Report
from xxgk.templates import Column, Relation, Row, Table, statutory
from xxgk.templates.relations import Excess, Instance, Outcome, all_hold, evaluate, excess, instances


def fmt(v: float | int | None) -> str:
    """A number as a person writes it (no trailing .0)."""
    if v is None:
        return "空"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def template_of(report: Report) -> str:
    return report.meta.template if report.meta.template in ("2019", "2021") else "2021"


def _header(table: Table, ident: str, is_row: bool) -> Row | Column | None:
    try:
        return table.row_by_id(ident) if is_row else table.column_by_id(ident)
    except KeyError:
        return None


def _label(table: Table, template: str, ident: str, is_row: bool) -> str:
    """A row's or column's label without its trailing note (``（二）部分公开（区分处理的，…）`` → ``（二）部分公开``)."""
    header = _header(table, ident, is_row)
    return _NOTE.sub("", header.label_for(template)) or ident if header is not None else ident


_NOTE = re.compile(r"（[^（）]*）$")
# A side of more terms than this is called 各项之和 (its terms are listed beside their numbers).
_NAMED_TERMS = 3
# A side of more terms than this lists its groups' sums (（三）不予公开 for its eight reasons).
_LISTED_TERMS = 8


def _terms(table: Table, template: str, cells: tuple[tuple[str, str], ...], report: Report,
           by_row: bool) -> list[tuple[str, float | int | None]]:
    """A side's terms as (label, number); in a long side, the rows of one group (``（三）不予公开`` 1.–8.) added up
    under its name."""
    out: list[tuple[str, float | int | None]] = []
    groups: list[str | None] = []
    grouped = len(cells) > _LISTED_TERMS
    for row, col in cells:
        ident = col if by_row else row
        header = _header(table, ident, not by_row)
        group = _NOTE.sub("", header.group) if grouped and header is not None and header.group else None
        value = report.cell(table.id, row, col)
        if group is not None and groups and groups[-1] == group:
            before = out[-1][1]
            out[-1] = (group, None if before is None or value is None else before + value)
            continue
        out.append((group or _label(table, template, ident, not by_row), value))
        groups.append(group)
    return out


def _side(table: Table, template: str, cells: tuple[tuple[str, str], ...], report: Report, by_row: bool,
          total: float | int | None) -> str:
    """One side of a broken relation as a reader says it: ``（七）总计为 20``, ``本年新收与上年结转之和为 21（20 + 1）``,
    ``各项之和为 26（（一）予以公开 10 + （二）部分公开 5 + …）``."""
    terms = _terms(table, template, cells, report, by_row)
    if len(terms) == 1:
        return f"{terms[0][0]}为 {fmt(total)}"
    if len(terms) <= _NAMED_TERMS:
        names = "、".join(label for label, _ in terms[:-1]) + "与" + terms[-1][0]
        return f"{names}之和为 {fmt(total)}（{' + '.join(fmt(value) for _, value in terms)}）"
    return f"各项之和为 {fmt(total)}（{' + '.join(f'{label} {fmt(value)}' for label, value in terms)}）"


def broken(report: Report, relation: Relation) -> Iterator[tuple[Instance, Outcome]]:
    """Every instance of ``relation`` that the report's numbers break."""
    data = report.tables.get(relation.table)
    if not data or all_hold((relation,), data):  # most reports add up: no outcome made per instance
        return
    for inst in instances(relation, data):
        out = evaluate(inst, data)
        if out is not None and not out.holds:
            yield inst, out


def exceeded(report: Report, relation: Relation) -> Iterator[Excess]:
    """Every instance of ``relation`` with blank cells whose known parts already exceed its whole read in full:
    counts are never negative, so it cannot hold whatever the blanks are (``templates.relations.excess``)."""
    data = report.tables.get(relation.table)
    if not data or all(v is not None for row in data.values() for v in row.values()):
        return  # every cell known: ``broken`` says all
    for inst in instances(relation, data):
        if evaluate(inst, data) is None and (bound := excess(inst, data)) is not None:
            yield bound


def _where(inst: Instance) -> str:
    rel = inst.relation
    if rel.each == "row":
        return f"{rel.table}.{inst.axis}"
    return f"{rel.table}.{inst.lhs[0][0]}.{inst.axis}"


def _sentence(report: Report, table: Table, inst: Instance, first: tuple[tuple[tuple[str, str], ...], float],
              second: tuple[tuple[tuple[str, str], ...], float]) -> tuple[str, str, str]:
    """A broken relation's scope (``表“…”“…”一行：statement``) and its two sides (cells, sum) as a reader says them."""
    rel = inst.relation
    tpl = template_of(report)
    by_row = rel.each == "row"
    scope = f"表“{table.title}”“{_label(table, tpl, inst.axis, by_row)}”{'一行' if by_row else '一列'}：{rel.statement}"
    return (scope, _side(table, tpl, first[0], report, by_row, first[1]),
            _side(table, tpl, second[0], report, by_row, second[1]))


def _message(report: Report, table: Table, inst: Instance, out: Outcome) -> str:
    scope, lhs, rhs = _sentence(report, table, inst, (inst.lhs, out.lhs_value), (inst.rhs, out.rhs_value))
    return f"{scope}，但{lhs}，而{rhs}"


def _excess_message(report: Report, table: Table, bound: Excess) -> str:
    scope, whole, parts = _sentence(report, table, bound.instance, (bound.whole, bound.whole_value),
                                    (bound.parts, bound.known_parts))
    return (f"{scope}，但{whole}，而已填写的{parts.replace('之和为', '之和已为', 1)}，"
            "空白各项不论是多少都不能使等式成立（各项都不会是负数）")


def _relation_rule(relation: Relation) -> None:
    def check(report: Report) -> Iterator[Finding]:
        table = statutory().table_by_id(relation.table)
        for inst, out in broken(report, relation):
            yield get(relation.id).finding(_where(inst), _message(report, table, inst, out))
        for bound in exceeded(report, relation):
            yield get(relation.id).finding(_where(bound.instance), _excess_message(report, table, bound))

    rule(relation.id, "error", relation.statement, relation.basis,
         "表中任一数字改动使该等式不成立，如总计 7 而各列之和为 6")(check)


for _relation in statutory().relations:
    _relation_rule(_relation)
