"""Causes: which findings one wrong number explains, so that a deduction counts a cause once.

A finding rests on places: a relation finding (勾稽关系) on every cell of the relation it breaks
(one wrong cell breaks its row's relation and its column's, two findings), any other finding on
its own place (a cell ``table.row.col``, a row, a section). A total follows from its parts: with
``follow_totals``, a finding on a total (the declared sum of other cells, rows or columns) rests
on its parts' places too, so a carry-over mismatch in a column and the one in 总计 it causes are
one. The causes of a set of findings are the fewest places every finding rests on one of.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from xxgk.templates import Relation, statutory
from xxgk.templates.relations import Instance, instances

Cell = tuple[str, str, str]  # table, row, column
# Exact search gives up past this many steps (a report with dozens of broken sums): the greedy answer stands.
_SEARCH_STEPS = 20_000


@dataclass(frozen=True, slots=True)
class _Declared:
    """What the templates tell about places: relation findings' cells, and each total's parts."""

    relation_cells: dict[tuple[str, str], frozenset[str]]  # (rule, where) → the cells of the instance there
    parts: dict[str, frozenset[str]]  # a total cell → its parts' cells
    relation_parts: dict[tuple[str, str], tuple[str, ...]]  # (rule, where) → the same rule's places on its parts


def _cell(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"


def _where(inst: Instance) -> str:
    """A relation finding's place, as ``xxgk.check.arithmetic`` writes it."""
    rel = inst.relation
    return f"{rel.table}.{inst.axis}" if rel.each == "row" else f"{rel.table}.{inst.lhs[0][0]}.{inst.axis}"


Shape = dict[str, dict[str, None]]  # a table's rows with their columns (no numbers): what ``instances`` reads


def _shapes(table_id: str) -> list[Shape]:
    """The table's rows with their columns, in each template."""
    table = statutory().table_by_id(table_id)
    return [{row.id: dict.fromkeys(c.id for c in table.row_columns(row, tpl)) for row in table.rows_for(tpl)}
            for tpl in table.templates]


def _totals(relation: Relation, shape: Shape) -> dict[str, list[str]]:
    """A relation whose one side is a single row (or column) declares it the total of the other side's."""
    if len(relation.lhs) != 1 or relation.lhs[0].endswith(".*"):
        return {}
    if relation.each == "row":
        cols = sorted({c for cs in shape.values() for c in cs})
        return {relation.lhs[0]: relation.expand(relation.rhs, cols)}
    return {relation.lhs[0]: relation.expand(relation.rhs, list(shape))}


@cache
def _declared() -> _Declared:
    cells: dict[tuple[str, str], set[str]] = {}
    parts: dict[str, set[str]] = {}
    by_axis: dict[tuple[str, str], dict[str, str]] = {}  # (rule, table) → axis → where
    axis_totals: dict[tuple[str, str], dict[str, list[str]]] = {}  # (table, "row"|"column") → total → parts
    for relation in statutory().relations:
        for shape in _shapes(relation.table):
            for inst in instances(relation, shape):
                where = _where(inst)
                cells.setdefault((relation.id, where), set()).update(
                    _cell(relation.table, r, c) for r, c in (*inst.lhs, *inst.rhs))
                by_axis.setdefault((relation.id, relation.table), {})[inst.axis] = where
            for total, members in _totals(relation, shape).items():
                known = axis_totals.setdefault((relation.table, relation.each), {}).setdefault(total, [])
                known.extend(m for m in members if m not in known)
                for row, cols in shape.items():
                    if relation.each == "row" and total in cols:
                        parts.setdefault(_cell(relation.table, row, total), set()).update(
                            _cell(relation.table, row, m) for m in members if m in cols)
                    elif relation.each == "column" and row == total:
                        for col in cols:
                            parts.setdefault(_cell(relation.table, row, col), set()).update(
                                _cell(relation.table, m, col) for m in members if col in shape.get(m, {}))
    relation_parts: dict[tuple[str, str], tuple[str, ...]] = {}
    for relation in statutory().relations:
        # A column relation's instance on a total column sums those on its parts (each row's total holding).
        across = "row" if relation.each == "column" else "column"
        axes = by_axis.get((relation.id, relation.table), {})
        for total, members in axis_totals.get((relation.table, across), {}).items():
            if total in axes:
                relation_parts[(relation.id, axes[total])] = tuple(axes[m] for m in members if m in axes)
    return _Declared({k: frozenset(v) for k, v in cells.items()}, {k: frozenset(v) for k, v in parts.items()},
                     relation_parts)


def places(rule: str, where: str, follow_totals: bool) -> frozenset[str]:
    """The places a finding of ``rule`` at ``where`` rests on: one wrong number at any of them explains it."""
    return _places(rule, where, follow_totals, frozenset())


def _places(rule: str, where: str, follow_totals: bool, seen: frozenset[str]) -> frozenset[str]:
    declared = _declared()
    own = declared.relation_cells.get((rule, where))
    if own is None:
        out = {where}
        if follow_totals:
            for part in declared.parts.get(where, ()):
                if part not in seen:
                    out |= _places(rule, part, True, seen | {where})
        return frozenset(out)
    out = set(own)
    if follow_totals:
        for part in declared.relation_parts.get((rule, where), ()):
            if part not in seen:
                out |= _places(rule, part, True, seen | {where})
    return frozenset(out)


def causes(rested: Sequence[frozenset[str]]) -> list[list[int]]:
    """The fewest places every one of ``rested`` (each finding's places) has one of, as groups of the findings'
    indexes each place explains, in the order of their first finding."""
    if not rested:
        return []
    chosen = _fewest(rested)
    groups: dict[str, list[int]] = {}
    for index, where in enumerate(rested):
        place = next(p for p in chosen if p in where)
        groups.setdefault(place, []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def _fewest(rested: Sequence[frozenset[str]]) -> list[str]:
    """A smallest set of places meeting every finding's (exact within a step budget, else greedy)."""
    best = _greedy(rested)
    steps = [0]

    def search(open_: list[frozenset[str]], taken: list[str]) -> None:
        nonlocal best
        if not open_:
            if len(taken) < len(best):
                best = list(taken)
            return
        steps[0] += 1
        if len(taken) + _disjoint(open_) >= len(best) or steps[0] > _SEARCH_STEPS:
            return
        first = min(open_, key=len)
        for place in sorted(first, key=lambda p: (-sum(p in o for o in open_), p)):
            search([o for o in open_ if place not in o], [*taken, place])

    search(list(rested), [])
    return best


def _disjoint(rested: Iterable[frozenset[str]]) -> int:
    """How many of ``rested`` share no place with each other (taken smallest first): no fewer places can meet them all."""
    used: set[str] = set()
    count = 0
    for where in sorted(rested, key=len):
        if used.isdisjoint(where):
            used |= where
            count += 1
    return count


def _greedy(rested: Iterable[frozenset[str]]) -> list[str]:
    open_ = list(rested)
    out: list[str] = []
    while open_:
        counts: dict[str, int] = {}
        for where in open_:
            for place in where:
                counts[place] = counts.get(place, 0) + 1
        place = min(counts, key=lambda p: (-counts[p], p))
        out.append(place)
        open_ = [o for o in open_ if place not in o]
    return out
