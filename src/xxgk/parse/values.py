"""A run of cells and the row's columns → the row's values, or null where they are unknown.

Honesty first: a blank cell is null, a row with fewer numbers than columns is null where
the position is unknown, digits run together are split only where the template's
arithmetic leaves one possibility. Every such case carries a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from xxgk.model import Finding, Number
from xxgk.parse.cells import Cell, is_damaged_number
from xxgk.parse.digits import bounded, splits
from xxgk.parse.memo import by_identity
from xxgk.parse.rows import Run
from xxgk.templates import Column

# A row's slots: (key, column). The key is the column id, or "group.column" in table 四
# where the three groups stand side by side on one line.
Slots = tuple[tuple[str, Column], ...]
# Whether a candidate set of values satisfies the row's own arithmetic.
Consistent = Callable[[dict[str, int]], bool]


@dataclass(slots=True)
class RowValues:
    values: dict[str, Number | None]
    sources: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Digits run together that can be cut several ways: each candidate satisfies the row's
    # own relations; the table's column relations may still pick one.
    candidates: list[tuple[int, ...]] | None = None
    glued: str | None = None
    glued_cells: list[Cell] | None = None  # the cells whose digits ran together
    spaced: dict[str, Cell] = field(default_factory=dict)  # numbers read from digits set apart in a cell


@by_identity
def slots_of(columns: tuple[Column, ...]) -> Slots:
    """A row's slots: each column with its id (asked for every row of every table read; the templates
    hand out the same tuple of columns each time)."""
    return tuple((c.id, c) for c in columns)


def empty_row(slots: Slots) -> RowValues:
    return RowValues(dict.fromkeys(_keys(slots)))


@by_identity
def _keys(slots: Slots) -> tuple[str, ...]:
    """The slots' keys (the slots are those ``slots_of`` keeps)."""
    return tuple(key for key, _ in slots)


def run_to_values(
    where: str,
    label: str,
    slots: Slots,
    template: str,
    run: Run,
    consistent: Consistent | None,
) -> RowValues:
    """Read one row's values from its run of cells."""
    return _note_spaced(_run_to_values(where, label, slots, template, run, consistent), where, label, consistent)


def _run_to_values(where: str, label: str, slots: Slots, template: str, run: Run,
                   consistent: Consistent | None) -> RowValues:
    k = len(slots)
    valued = [c for c in run.cells if c.kind in ("number", "na")]
    out = empty_row(slots)
    if not valued:
        out.findings.append(_finding("PARSE-CELL-BLANK", "warning", where,
                                     f"“{label}”一行没有数字（单元格为空白），数值按空缺（null）处理，未视为0"))
        return out
    if any(c.kind == "number" and c.value is None for c in valued):
        # Separators where no number has them: cells run together, to be cut again.
        if _glued(valued, k):
            return _split_glued(out, slots, valued, where, label, consistent)
        out.findings.append(_finding("PARSE-ROW-SHORT", "warning", where,
                                     f"“{label}”一行的数字无法分开，该行数值未采用，请核对原文"))
        return out
    if len(valued) == k:
        _place(out, slots, template, valued, where, label)
        return out
    if len(valued) == k + 1 and consistent is not None and all(c.kind == "number" for c in valued):
        kept = _drop_extra(valued, slots, consistent)
        if kept is not None:
            _place(out, slots, template, kept, where, label)
            out.findings.append(_finding(
                "PARSE-EXTRA-COLUMN", "info", where,
                f"“{label}”一行读到{k + 1}个数字（多出一列，可能是小计），去掉其中一个后与勾稽关系相符"))
            return out
    if len(valued) > k:
        _place(out, slots, template, valued[:k], where, label)
        out.findings.append(_finding(
            "PARSE-ROW-EXTRA", "warning", where,
            f"“{label}”一行读到{len(valued)}个数字，多于{k}列，已取前{k}个，请核对原文"))
        return out
    # Fewer values than columns. A real grid says where each value stands ("| | 108" is one
    # number in the third column), so its cells are never cut again.
    own = _on_value_lines(run.cells, valued)
    positioned = _positioned(own, k) if not any(c.after_label for c in valued) else None
    from_grid = any(c.blank_source == "grid" for c in own)
    if positioned is not None and from_grid:
        _place_positioned(out, slots, template, positioned, where, label)
        return out
    if sum(c.blank_source == "grid" and not c.after_label for c in valued) >= 2:
        # A grid row with fewer cells than columns: its cells have borders, so their digits are not
        # cut again, and which column lost its cell is unknown.
        out.findings.append(_finding(
            "PARSE-ROW-SHORT", "warning", where,
            f"“{label}”一行只有{len(valued)}个数字单元格（应有{k}个），无法确定缺少的是哪一列，该行数值未采用，请核对原文"))
        return out
    if _glued(valued, k):
        return _split_glued(out, slots, valued, where, label, consistent)
    if positioned is not None:
        _place_positioned(out, slots, template, positioned, where, label)
        return out
    out.findings.append(_finding(
        "PARSE-ROW-SHORT", "warning", where,
        f"“{label}”一行只读到{len(valued)}个数字（应有{k}个），无法确定缺少的是哪一列，该行数值未采用，请核对原文"))
    return out


def _on_value_lines(cells: list[Cell], valued: list[Cell]) -> list[Cell]:
    """The run's cells without a grid's blanks on other rows than its values' (the next row's first
    cell, under a label spanning rows, is no blank of this one)."""
    lines = {c.line for c in valued}
    return [c for c in cells if c.kind != "blank" or c.blank_source != "grid" or c.line in lines]


def _glued(valued: list[Cell], k: int) -> bool:
    """Digits only, at least one a column: numbers that may have lost their separators."""
    return all(c.kind == "number" and c.bare_digits for c in valued) and sum(
        ch.isdigit() for c in valued for ch in c.norm) >= k


def _drop_extra(cells: list[Cell], slots: Slots, consistent: Consistent) -> list[Cell] | None:
    """A 小计 column (the sum of the columns just before it): the cells without it, if only one
    such column makes the row add up."""
    keys = [key for key, _ in slots]
    readings: dict[tuple[int | float | None, ...], list[Cell]] = {}
    values_all = [c.value or 0 for c in cells]
    for p in range(2, len(cells)):
        if not any(values_all[p] == sum(values_all[j:p]) for j in range(p - 1)):
            continue
        kept = cells[:p] + cells[p + 1 :]
        values = tuple(c.value for c in kept)
        if all(isinstance(v, int) for v in values) and consistent(dict(zip(keys, values, strict=True))):  # type: ignore[arg-type]
            readings.setdefault(values, kept)
    return next(iter(readings.values())) if len(readings) == 1 else None


def _positioned(cells: list[Cell], k: int) -> list[Cell] | None:
    """The first ``k`` cells by position, when blank cells tell where the values stand.

    A real grid always does. In a ``|`` row only a blank before a value does: trailing
    empty cells may be padding added by the crawl.
    """
    if len(cells) < k:
        return None
    if all(c.kind != "blank" or c.blank_source == "grid" for c in cells[:k]) and any(
        c.blank_source == "grid" for c in cells
    ):
        extra = len(cells) - k
        if extra and all(c.kind == "blank" for c in cells[:extra]) and any(c.kind != "blank" for c in cells[k:]):
            # More cells than columns, blank at the start and a value past the k-th: the blanks are the
            # label's spanned columns (Markdown prints a spanning stub as empty cells), not values.
            return cells[extra:]
        return cells[:k]
    last_value = max(i for i, c in enumerate(cells) if c.kind != "blank")
    blank_before = any(c.kind == "blank" and c.blank_source == "pipe" for c in cells[:last_value])
    if blank_before and last_value < k:
        return cells[:k]
    return None


def _place(out: RowValues, slots: Slots, template: str, cells: list[Cell], where: str, label: str) -> None:
    values, sources = out.values, out.sources
    for (key, col), cell in zip(slots, cells, strict=True):
        if cell.kind == "na" or " " in cell.text:  # a mark, or digits that may be set apart: see _set
            _set(out, key, col, template, cell, where, label)
        else:  # what _set does with a number printed as one
            values[key] = cell.value
            sources[key] = cell


def _place_positioned(out: RowValues, slots: Slots, template: str, cells: list[Cell],
                      where: str, label: str) -> None:
    blanks: list[str] = []
    for (key, col), cell in zip(slots, cells, strict=True):
        if cell.kind == "blank":
            blanks.append(col.label_for(template))
            continue
        _set(out, key, col, template, cell, where, label)
    if blanks:
        out.findings.append(_finding(
            "PARSE-CELL-BLANK", "warning", where,
            f"“{label}”一行的{'、'.join(blanks)}为空白，按空缺（null）处理，未视为0"))


def _set(out: RowValues, key: str, col: Column, template: str, cell: Cell, where: str, label: str) -> None:
    if cell.kind == "na":
        out.findings.append(not_a_number(f"{where}.{key}", label, col.label_for(template), cell))
        return
    out.values[key] = cell.value
    out.sources[key] = cell
    if " " in cell.text and _SPACED_DIGITS.search(cell.text):
        out.spaced[key] = cell


# Digits apart by white space inside one cell ("9 7"): a PDF's letter-spaced number, or two numbers.
_SPACED_DIGITS = re.compile(r"\d\s+\d")


def _note_spaced(out: RowValues, where: str, label: str, consistent: Consistent | None) -> RowValues:
    """Say which numbers were read from digits set apart in their cell, where no arithmetic checks them."""
    if not out.spaced:
        return out
    if consistent is None or not all(isinstance(v, int) for v in out.values.values()) \
            or not consistent({k: v for k, v in out.values.items() if isinstance(v, int)}):
        for key, cell in out.spaced.items():
            out.findings.append(_finding(
                "PARSE-DIGITS-SPACED", "info", f"{where}.{key}",
                f"“{label}”一格中的数字之间有空格（“{cell.text}”），按一个数{cell.value}读取；"
                "该行没有勾稽关系可以印证，请核对原文"))
    return out


def _split_glued(out: RowValues, slots: Slots, cells: list[Cell], where: str,
                 label: str, consistent: Consistent | None) -> RowValues:
    """Digits that lost their separators: keep the cuts that satisfy the row's relations."""
    digits = "".join(c.norm for c in cells)
    out.glued_cells = list(cells)
    found = bounded(splits([c.norm for c in cells], len(slots)))
    ids = [key for key, _ in slots]
    if found is not None and consistent is not None:
        found = [cand for cand in found if consistent(dict(zip(ids, cand, strict=True)))]
    elif found is not None and _fewer_numbers_possible(cells, len(slots)):
        # No arithmetic to confirm the cut, and the digits may as well be fewer numbers in
        # a short row ("108" is 1, 0, 8 or just 108): any cut would be a guess.
        out.glued = digits
        out.findings.append(ambiguous_finding(where, label, digits, None, fewer=True))
        return out
    out.glued = digits
    for key in ids:
        out.sources[key] = cells[0]
    if found and len(found) == 1:
        out.values = dict(zip(ids, found[0], strict=True))
        out.findings.append(_finding(
            "PARSE-DIGITS-SPLIT", "info", where,
            f"“{label}”的数字连在一起（“{digits}”），{'按表格勾稽关系' if consistent else ''}只有一种拆分："
            f"{'、'.join(map(str, found[0]))}"))
        return out
    out.candidates = found if found else None
    out.findings.append(ambiguous_finding(where, label, digits, found))
    return out


def _fewer_numbers_possible(cells: list[Cell], k: int) -> bool:
    """Whether the digits can also be read as fewer than ``k`` numbers."""
    return any(next(splits([c.norm for c in cells], m), None) is not None for m in range(len(cells), k))


def ambiguous_finding(where: str, label: str, digits: str, found: list[tuple[int, ...]] | None,
                      fewer: bool = False) -> Finding:
    how = ("可能是一个数字也可能是几个数字（没有勾稽关系可以核对）" if fewer
           else "没有符合勾稽关系的拆分" if found == [] else "可有多种拆分")
    return _finding("PARSE-DIGITS-AMBIGUOUS", "warning", where,
                    f"“{label}”的数字连在一起（“{digits}”），{how}，无法确定各列数值，该行按空缺处理，请核对原文")


def not_a_number(where: str, label: str, column: str, cell: Cell) -> Finding:
    """The finding on a cell that holds no number: a mark the agency wrote (/, —, 无), or a number
    that lost a character in the crawl."""
    if is_damaged_number(cell):
        return _finding("PARSE-DIGITS-LOST", "warning", where,
                        f"“{label}”的“{column}”一格的数字有字符丢失（“{cell.text}”），数值无法确定，按空缺处理，请核对原文")
    return _finding("PARSE-CELL-NA", "warning", where, f"“{label}”的“{column}”填写为“{cell.text}”，不是数字，按空缺处理")


def _finding(rule: str, severity: str, where: str, message: str) -> Finding:
    return Finding(rule=rule, severity=severity, where=where, message=message)  # type: ignore[arg-type]
