"""Evaluating the declared arithmetic relations on a table as read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from xxgk.templates import Relation

Value = int | float | None
TableValues = Mapping[str, Mapping[str, Value]]


@dataclass(frozen=True, slots=True)
class Instance:
    """One relation applied to one row or one column: sum(lhs cells) = sum(rhs cells)."""

    relation: Relation
    axis: str  # the row id (each="row") or the column id (each="column")
    lhs: tuple[tuple[str, str], ...]  # (row, column) cells
    rhs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    instance: Instance
    lhs_value: float
    rhs_value: float

    @property
    def holds(self) -> bool:
        return abs(self.lhs_value - self.rhs_value) < 1e-6


def instances(relation: Relation, data: TableValues) -> Iterator[Instance]:
    """Every row or column of ``data`` that ``relation`` applies to."""
    # Which cells a relation ties together depends only on the ids of the rows and columns the
    # table has (a few shapes per template), not on the numbers: worked out once per shape.
    return iter(_instances(relation, _shape(data)))


Shape = tuple[tuple[str, tuple[str, ...]], ...]  # a table's row ids, each with its column ids


def _shape(data: TableValues) -> Shape:
    return tuple((row, tuple(cols)) for row, cols in data.items())


@lru_cache(maxsize=512)
def _instances(relation: Relation, shape: Shape) -> tuple[Instance, ...]:
    return tuple(_expand(relation, shape))


def _expand(relation: Relation, shape: Shape) -> Iterator[Instance]:
    data = dict(shape)
    rows = list(data)
    if relation.each == "row":
        for row in rows:
            cols = list(data[row])
            lhs = relation.expand(relation.lhs, cols)
            rhs = relation.expand(relation.rhs, cols)
            if lhs and rhs:
                yield Instance(relation, row, tuple((row, c) for c in lhs), tuple((row, c) for c in rhs))
    else:
        lhs_rows = relation.expand(relation.lhs, rows)
        rhs_rows = relation.expand(relation.rhs, rows)
        if not lhs_rows or not rhs_rows:
            return
        columns: list[str] = []
        for r in lhs_rows + rhs_rows:
            columns.extend(c for c in data[r] if c not in columns)
        for col in columns:
            yield Instance(relation, col, tuple((r, col) for r in lhs_rows), tuple((r, col) for r in rhs_rows))


def evaluate(instance: Instance, data: TableValues) -> Outcome | None:
    """The two sides' sums, or None when a cell is unknown (nothing can be said)."""
    lhs = _total(instance.lhs, data)
    if lhs is None:
        return None
    rhs = _total(instance.rhs, data)
    if rhs is None:
        return None
    return Outcome(instance, lhs, rhs)


@dataclass(frozen=True, slots=True)
class Excess:
    """A relation some cells of which are unknown, whose known parts already exceed its known whole."""

    instance: Instance
    whole: tuple[tuple[str, str], ...]  # the side every cell of which is known
    parts: tuple[tuple[str, str], ...]  # the other side, some of its cells unknown
    whole_value: float
    known_parts: float


def excess(instance: Instance, data: TableValues,
           unknown: frozenset[tuple[str, str]] = frozenset()) -> Excess | None:
    """The certain contradiction a relation with unknown cells still shows, else None.

    Counts are never negative, so the cells of a side that are known add up to no more than the
    side: when they already exceed the other side, read in full, the relation cannot hold whatever
    the unknown cells (and the ``unknown`` ones, taken as not known) hold.
    """
    def known(cells: tuple[tuple[str, str], ...]) -> list[float | None]:
        return [None if (r, c) in unknown else data.get(r, _NO_ROW).get(c) for r, c in cells]

    sides = ((instance.lhs, known(instance.lhs)), (instance.rhs, known(instance.rhs)))
    if any(v is not None and v < 0 for _, values in sides for v in values):
        return None
    for (whole, whole_values), (parts, part_values) in (sides, sides[::-1]):
        if None in whole_values or None not in part_values:
            continue
        whole_value = sum(v for v in whole_values if v is not None)
        known_parts = sum(v for v in part_values if v is not None)
        if known_parts > whole_value + 1e-6:
            return Excess(instance, whole, parts, whole_value, known_parts)
    return None


_NO_ROW: Mapping[str, Value] = {}


def _total(cells: tuple[tuple[str, str], ...], data: TableValues) -> float | None:
    s = 0.0
    for row, col in cells:
        v = data.get(row, _NO_ROW).get(col)
        if v is None:
            return None
        s += v
    return s


def all_hold(relations: tuple[Relation, ...], data: TableValues) -> bool:
    """True when no relation that can be evaluated is broken.

    What ``evaluate`` and ``Outcome.holds`` tell, without an outcome made for each instance: the
    parser asks this of every candidate reading of a row (thousands where digits ran together).
    """
    shape = _shape(data)  # the same for every relation: worked out once
    for rel in relations:
        for inst in _instances(rel, shape):
            lhs = _total(inst.lhs, data)
            if lhs is None:
                continue
            rhs = _total(inst.rhs, data)
            if rhs is not None and not abs(lhs - rhs) < 1e-6:
                return False
    return True
