"""A run of cells and the row's columns → the row's values, or null where they are unknown.

Honesty first: a blank cell is null, a row with fewer numbers than columns is null where
the position is unknown, digits run together are split only where the template's
arithmetic leaves one possibility. Every such case carries a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import combinations

from xxgk.model import Finding, Number
from xxgk.parse.cells import Cell, is_damaged_number, parse_number
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
    return RowValues(dict.fromkeys(slot_keys(slots)))


@by_identity
def slot_keys(slots: Slots) -> tuple[str, ...]:
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
        return _extra(out, slots, template, valued, where, label, consistent)
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
    if positioned is not None and _blank_between(positioned):
        # "行政许可 | 38 |  | 1204 |": an empty cell between two numbers, set apart by explicit separators
        # (| or tabs), says where each stands; the digits are not one number cut apart.
        _place_positioned(out, slots, template, positioned, where, label)
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


def _extra(out: RowValues, slots: Slots, template: str, valued: list[Cell], where: str, label: str,
           consistent: Consistent | None) -> RowValues:
    """More numbers than columns: the reading the text supports, else nothing (null, with the finding)."""
    k = len(slots)
    # A spanned cell printed once per column it spans ("| 45 | 45 | 45 |"), or the next row's list marker
    # ("2") printed after this row's numbers; or "（四）… | 1 | 0 | … | 1" with a row below whose label was
    # lost ("2.??????? | 0 | …"), the row's line holding exactly its k numbers: the first k are the row's.
    why = ("" if _repeats_or_next_marker(valued, k, label)
           else f"；其中{k}个同在一行，其余{len(valued) - k}个在其后几行（可能属于标题无法识别的行）"
           if _one_line_then_others(valued, k) else None)
    if why is not None:
        _place(out, slots, template, valued[:k], where, label)
        out.findings.append(_finding(
            "PARSE-ROW-EXTRA", "warning", where,
            f"“{label}”一行读到{len(valued)}个数字，多于{k}列{why}，已取前{k}个，请核对原文"))
        return out
    own = [c for c in valued if not c.after_label]
    if len(own) == k and all(c.kind == "number" for c in valued if c.after_label):
        # "行政许可1<TAB>15841": digits glued to the label's end are its footnote number.
        _place(out, slots, template, own, where, label)
        glued = "、".join(f"“{c.text}”" for c in valued if c.after_label)
        out.findings.append(_finding(
            "PARSE-LABEL-DIGITS", "info", where,
            f"“{label}”一行的行标题末尾连着数字{glued}，其后的{k}个数字正好各占一列：按标题的注释序号处理，不作为数值"))
        return out
    joined = _thousands_joined(valued, k, [key for key, _ in slots], consistent)
    if joined is not None:  # each joined number is told of where no arithmetic confirms it (_note_spaced)
        _place(out, slots, template, joined, where, label)
        return out
    out.findings.append(_finding(
        "PARSE-ROW-EXTRA", "warning", where,
        f"“{label}”一行读到{len(valued)}个数字，多于{k}列，无法确定哪些是该行的数值，该行数值未采用，请核对原文"))
    return out


def _one_line_then_others(valued: list[Cell], k: int) -> bool:
    """The first k cells make one line of their own (two at least: one cell is a line in any layout), and
    every other cell stands on a later line."""
    line = valued[0].line
    return (k >= 2 and all(c.line == line for c in valued[:k])
            and all(c.line > line for c in valued[k:]))


_LIST_NUMBER = re.compile(r"(\d+)\.")


def _repeats_or_next_marker(valued: list[Cell], k: int, label: str) -> bool:
    """Every cell reads the same (whichever k are the row's, its values are those); or the cells past the k-th
    are a grid's, repeating the k-th (a spanned cell printed once per column); or one cell, the list number
    of the next label on a line of its own."""
    extra = valued[k:]
    if all(c.norm == valued[0].norm for c in valued):
        return True
    if all(c.norm == valued[k - 1].norm and c.blank_source == "grid" for c in valued[k - 1 :]):
        return True
    marker = _LIST_NUMBER.match(label)
    return (len(extra) == 1 and marker is not None and extra[0].line != valued[k - 1].line
            and extra[0].norm == str(int(marker.group(1)) + 1))


# Thousands set apart by a space ("11 599", a PDF's or a no-break space): a group of one to three
# digits, then groups of exactly three.
_HEAD_GROUP = re.compile(r"[+\-]?[1-9]\d{0,2}")
_GROUP = re.compile(r"\d{3}")
_ANY_GROUP = re.compile(r"[+\-]?\d{1,3}")  # the head of a number or one of its middle groups
_MAX_JOINS = 4  # more numbers too many than this is no thousands gap


def _thousands_joined(valued: list[Cell], k: int, keys: list[str],
                      consistent: Consistent | None) -> list[Cell] | None:
    """The row's cells with numbers set apart by one space joined again, where exactly one choice of
    such gaps leaves ``k`` numbers (and satisfies the row's relations, where it has any)."""
    need = len(valued) - k
    gaps = [i for i in range(len(valued) - 1) if _thousands_gap(valued[i], valued[i + 1])]
    if need > _MAX_JOINS or len(gaps) < need:
        return None
    readings: list[list[Cell]] = []
    for chosen in combinations(gaps, need):
        cells = _join(valued, set(chosen))
        if cells is None:
            continue
        values = [c.value for c in cells]
        if consistent is not None and all(isinstance(v, int) for v in values) \
                and not consistent(dict(zip(keys, values, strict=True))):  # type: ignore[arg-type]
            continue
        readings.append(cells)
    return readings[0] if len(readings) == 1 else None


def _thousands_gap(left: Cell, right: Cell) -> bool:
    """Two numbers one space apart on one line, the right one a group of three digits: maybe one number."""
    return (left.kind == right.kind == "number" and left.line == right.line
            and left.blank_source == right.blank_source == "none" and left.unit is None and left.note is None
            and right.offset - (left.offset + len(left.text)) == 1 and _GROUP.fullmatch(right.norm) is not None
            and _ANY_GROUP.fullmatch(left.norm) is not None)


def _join(valued: list[Cell], chosen: set[int]) -> list[Cell] | None:
    """The cells with each chosen gap (after cell i) closed; None where a joined number would begin
    with a full group ("599 123" is no number)."""
    out: list[Cell] = []
    i = 0
    while i < len(valued):
        j = i
        while j in chosen:
            j += 1
        if j == i:
            out.append(valued[i])
        elif _HEAD_GROUP.fullmatch(valued[i].norm) is None:
            return None
        else:
            norm = "".join(c.norm for c in valued[i : j + 1])
            text = " ".join(c.text for c in valued[i : j + 1])
            out.append(replace(valued[i], text=text, norm=norm, value=parse_number(norm), bare_digits=True))
        i = j + 1
    return out


def _on_value_lines(cells: list[Cell], valued: list[Cell]) -> list[Cell]:
    """The run's cells without a grid's blanks on other rows than its values' (the next row's first
    cell, under a label spanning rows, is no blank of this one)."""
    lines = {c.line for c in valued}
    return [c for c in cells if c.kind != "blank" or c.blank_source != "grid" or c.line in lines]


def _blank_between(cells: list[Cell]) -> bool:
    """An empty cell of a row apart by ``|`` or tabs stands between two of its values."""
    at = [i for i, c in enumerate(cells) if c.kind != "blank"]
    return any(c.kind == "blank" and c.blank_source == "pipe" for c in cells[at[0] : at[-1]]) if at else False


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
    tail = _from_row_end(cells, k)
    if tail is not None:
        return tail
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


def _from_row_end(cells: list[Cell], k: int) -> list[Cell] | None:
    """The last ``k`` cells of a row that keeps every boundary and is as wide as its table (``Cell.row_end``):
    the cells before them are its label's, whatever columns the label spans; None for any other row."""
    lines = {c.line for c in cells if c.kind != "blank"}
    if len(lines) != 1:
        return None
    line = lines.pop()
    own = [c for c in cells if c.line == line]
    return own[-k:] if own[-1].row_end and len(own) >= k else None


def _place(out: RowValues, slots: Slots, template: str, cells: list[Cell], where: str, label: str) -> None:
    values, sources = out.values, out.sources
    for (key, col), cell in zip(slots, cells, strict=True):
        # A mark, digits that may be set apart, a unit or a footnote mark: see _set.
        if cell.kind == "na" or " " in cell.text or cell.unit is not None or cell.note is not None:
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
    value, finding = cell_value(cell, col, template, f"{where}.{key}", label)
    if finding is not None:
        out.findings.append(finding)
    if value is None:
        return
    out.values[key] = value
    out.sources[key] = cell
    if " " in cell.text and _SPACED_DIGITS.search(cell.text):
        out.spaced[key] = cell


# Units a count is printed with; 万 before one multiplies ("1.2万件").
_COUNT_UNITS = frozenset("件条个项")
_MONEY_UNITS = {"元": 0, "万元": 4, "万": 4}  # a money unit → its power of ten in 元


def cell_value(cell: Cell, col: Column, template: str, where: str, label: str) -> tuple[Number | None, Finding | None]:
    """A number cell's value in its column's unit, and the finding that says how it was read (None: as printed).

    A unit printed in the cell is the cell's own: "800元" under 本年收费金额（单位：万元） is 0.08, not
    800. Where it cannot be turned into the column's unit, the value is null with a finding.
    """
    value, unit = cell.value, cell.unit
    assert value is not None
    column = col.label_for(template)
    if unit is None or value == 0:  # zero is zero in any unit
        return value, _footnote(cell, where, label, column)
    power = _power(unit, col, template)
    if power is None:
        return None, _finding("PARSE-CELL-UNIT", "warning", where,
                              f"“{label}”的“{column}”一格写作“{cell.text}”，其单位与该列不符，无法换算，按空缺处理，请核对原文")
    if power == 0:
        return value, _footnote(cell, where, label, column)
    exact = Decimal(repr(value)).scaleb(power)
    whole = exact == exact.to_integral_value()
    if not whole and col.kind != "money":  # a count is whole: "1.23456万" was rounded
        return None, _finding("PARSE-CELL-UNIT", "warning", where,
                              f"“{label}”的“{column}”一格写作“{cell.text}”，换算后不是整数，按空缺处理，请核对原文")
    converted: Number = int(exact) if whole else float(exact)
    return converted, _finding("PARSE-CELL-CONVERTED", "info", where,
                               f"“{label}”的“{column}”一格写作“{cell.text}”，单位与该列不同，按该列单位换算为{converted}")


def _power(unit: str, col: Column, template: str) -> int | None:
    """The power of ten that turns a number printed in ``unit`` into the column's unit; None where
    nothing does (money in a count column, a count in a money column, an unknown scale)."""
    if col.kind != "money":
        if unit in _MONEY_UNITS and unit != "万":
            return None
        return 4 if unit[0] == "万" else 0
    if unit not in _MONEY_UNITS:
        return None
    declared = col.unit_for(template)
    if declared is None:
        # A column that declares no unit (2019's 采购总金额): the figure as printed, where the cell
        # spells its unit in full; "1.2万" may be 1.2 of it or 12000.
        return 0 if unit != "万" else None
    return _MONEY_UNITS[unit] - _MONEY_UNITS[declared]


def _footnote(cell: Cell, where: str, label: str, column: str) -> Finding | None:
    """The note on a number printed with a footnote mark ("88796①"): the mark is not part of it."""
    if cell.note is None:
        return None
    return _finding("PARSE-CELL-FOOTNOTE", "info", where,
                    f"“{label}”的“{column}”一格写作“{cell.text}”，数字后的“{cell.note}”是注释标记，按{cell.value}读取")


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
