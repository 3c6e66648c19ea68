"""A statutory table as the official form lays it out: a grid of header, label and value cells.

Derived from the one declaration (``templates/statutory.toml``): captions, stubs, groups and
column groups become merged cells exactly where the official template merges them. Every
renderer (Word, PDF, HTML) draws this grid, so none of them knows a label.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from xxgk.templates import Column, Row, Table

CellKind = Literal["header", "label", "value"]
Values = Mapping[str, Mapping[str, int | float | None]]


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of the form at its top-left grid position, spanning ``rows`` × ``cols``."""

    row: int
    col: int
    text: str
    kind: CellKind
    rows: int = 1
    cols: int = 1
    # For value cells: which number of the contract this is (row id, column id).
    key: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Grid:
    """The cells of one table and the size of the grid they tile."""

    table: str
    height: int
    width: int
    cells: tuple[GridCell, ...]
    # Value columns start here (the columns before hold captions and row labels).
    first_value_col: int


def format_value(value: int | float | None) -> str:
    """A number as the form prints it: integers plainly, amounts without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return repr(value)  # the shortest text that reads back as the same number
    return str(int(value))


def table_grid(table: Table, template: str, values: Values | None = None) -> Grid:
    """The official layout of ``table`` in ``template``, filled with ``values`` where given."""
    values = values or {}
    template = rows_template(table, template, values)
    if table.layout == "groups_in_one_line":
        cells = list(_one_line_cells(table, template, values))
        first_value_col = 0
    elif table.column_header is not None:
        cells = list(_matrix_cells(table, template, values))
        first_value_col = _stub_depth(table.rows_for(template))
    else:
        cells = list(_captioned_cells(table, template, values))
        first_value_col = 1
    height = max(c.row + c.rows for c in cells)
    width = max(c.col + c.cols for c in cells)
    return Grid(table.id, height, width, tuple(cells), first_value_col)


def rows_template(table: Table, template: str, values: Values) -> str:
    """The format whose rows hold every row of ``values``: a report may keep an older row."""
    formats = [template, *(t for t in table.templates if t != template)]
    for candidate in formats:
        if set(values) <= {r.id for r in table.rows_for(candidate)}:
            return candidate
    return template


def _value(values: Values, row: Row, column: Column) -> str:
    return format_value(values.get(row.id, {}).get(column.id))


def _captioned_cells(table: Table, template: str, values: Values) -> Iterator[GridCell]:
    """表二: per legal provision, a caption row, a header row, then one row per item."""
    rows = table.rows_for(template)
    width = 1 + max(len(table.row_columns(r, template)) for r in rows)
    r = 0
    for caption, group in groupby(rows, key=lambda row: row.caption or ""):
        members = list(group)
        columns = table.row_columns(members[0], template)
        yield GridCell(r, 0, caption, "header", cols=width)
        r += 1
        yield GridCell(r, 0, table.row_header or "", "header")
        yield from _spread(r, [c.label_for(template) for c in columns], width, "header")
        r += 1
        for row in members:
            yield GridCell(r, 0, row.label_for(template), "label")
            cols = table.row_columns(row, template)
            for cell, column in zip(_spread(r, [_value(values, row, c) for c in cols], width, "value"),
                                    cols, strict=True):
                yield GridCell(cell.row, cell.col, cell.text, "value", cols=cell.cols, key=(row.id, column.id))
            r += 1


def _spread(r: int, texts: list[str], width: int, kind: CellKind) -> Iterator[GridCell]:
    """Cells after the label column; the last one stretches to the table's right edge."""
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        yield GridCell(r, 1 + i, text, kind, cols=width - 1 - i if last else 1)


def _stub_depth(rows: tuple[Row, ...]) -> int:
    """How many label columns the rows need: label, plus one for a stub, plus one for a group."""
    return 1 + any(r.stub for r in rows) + any(r.group for r in rows)


def _matrix_cells(table: Table, template: str, values: Values) -> Iterator[GridCell]:
    """表三: three header rows (applicant types, grouped), then rows with stubs and groups."""
    rows = table.rows_for(template)
    columns = table.columns_for(template)
    depth = _stub_depth(rows)
    yield GridCell(0, 0, table.note or "", "header", rows=3, cols=depth)
    yield GridCell(0, depth, table.column_header or "", "header", cols=len(columns))
    c = depth
    for group, members in groupby(columns, key=lambda col: col.group):
        cols = list(members)
        if group is None:
            for column in cols:
                yield GridCell(1, c, column.label_for(template), "header", rows=2)
                c += 1
        else:
            yield GridCell(1, c, group, "header", cols=len(cols))
            for column in cols:
                yield GridCell(2, c, column.label_for(template), "header")
                c += 1
    first = 3
    yield from _stub_cells(rows, template, first, depth)
    for i, row in enumerate(rows):
        r = first + i
        for j, column in enumerate(columns):
            yield GridCell(r, depth + j, _value(values, row, column), "value", key=(row.id, column.id))


def _stub_cells(rows: tuple[Row, ...], template: str, first: int, depth: int) -> Iterator[GridCell]:
    """Row labels in up to three columns: stub (merged down), group (merged down), label."""
    r = first
    for stub, by_stub in groupby(rows, key=lambda row: row.stub):
        stub_rows = list(by_stub)
        if stub is None:
            for row in stub_rows:
                yield GridCell(r, 0, row.label_for(template), "label", cols=depth)
                r += 1
            continue
        yield GridCell(r, 0, stub, "label", rows=len(stub_rows))
        for group, by_group in groupby(stub_rows, key=lambda row: row.group):
            group_rows = list(by_group)
            if group is None:
                for row in group_rows:
                    yield GridCell(r, 1, row.label_for(template), "label", cols=depth - 1)
                    r += 1
                continue
            yield GridCell(r, 1, group, "label", rows=len(group_rows))
            for row in group_rows:
                yield GridCell(r, 2, row.label_for(template), "label", cols=depth - 2)
                r += 1


def _one_line_cells(table: Table, template: str, values: Values) -> Iterator[GridCell]:
    """表四: groups side by side (复议 | 诉讼: 直接起诉, 复议后起诉), one line of numbers."""
    columns = table.columns_for(template)
    n = len(columns)
    c = 0
    for group, by_group in groupby(table.rows_for(template), key=lambda row: row.group):
        rows = list(by_group)
        if group is None:
            for row in rows:
                yield GridCell(0, c, row.label_for(template), "header", cols=n)
                yield from _column_headers(columns, template, 1, c, rows=2)
                yield from _values(values, row, columns, c)
                c += n
            continue
        yield GridCell(0, c, group, "header", cols=n * len(rows))
        for row in rows:
            yield GridCell(1, c, row.label_for(template), "header", cols=n)
            yield from _column_headers(columns, template, 2, c, rows=1)
            yield from _values(values, row, columns, c)
            c += n


def _column_headers(columns: tuple[Column, ...], template: str, r: int, c: int, rows: int) -> Iterator[GridCell]:
    for j, column in enumerate(columns):
        yield GridCell(r, c + j, column.label_for(template), "header", rows=rows)


def _values(values: Values, row: Row, columns: tuple[Column, ...], c: int) -> Iterator[GridCell]:
    for j, column in enumerate(columns):
        yield GridCell(3, c + j, _value(values, row, column), "value", key=(row.id, column.id))
