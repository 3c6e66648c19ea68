"""Numbers read with OCR → kept only where the table's arithmetic (or, failing that, OCR itself) vouches for them.

A table read from an image may hold a misread digit that looks as sure as any other. For
every row whose numbers came from OCR cells (provenance → line → per-cell confidence):

1. A relation declared for each row (``each = "row"``: 表三's and 表四's totals) that can be
   evaluated on the row decides: it holds → the row is confirmed; it fails → the row's OCR
   numbers are set to null with a PARSE-OCR-UNCONFIRMED warning quoting what was read.
2. A row no row relation can judge (表二 has no arithmetic; a row with a blank cell) is
   confirmed cell by cell by column relations (``each = "column"``) that hold; a column
   relation that fails on such a row makes it unconfirmed as well, unless a row of that
   relation was already broken by its own total (the failure is that row's misread).
3. What no relation confirms stays only when every OCR cell in it was read with confidence
   of at least ``HIGH_CONFIDENCE``, with a PARSE-OCR-UNCHECKED note that it could not be
   checked; below that it is null with a PARSE-OCR-UNCONFIRMED warning.

Numbers from a scanned PDF's own OCR layer (the invisible text an OCR program lays over the
picture) are OCR output as well and are judged the same way; the layer tells no confidence, so
they carry ``TEXT_LAYER_CONFIDENCE``: what the arithmetic does not judge stands with its note, and
the findings name the layer, not our recognition, as where the numbers come from.

A column relation that fails while every row in it is confirmed by its own total is the
report's own arithmetic, and is left to the checker (T3-BALANCE, ...).

A relation with unknown cells (a row left null as short, one its own total broke) still judges
what it can: counts are never negative, so known parts that already exceed a whole read in full
(三(一)…(六) of 自然人 adding up to 528 against a 三(七) of 340) are a certain contradiction. Nulling
the rows OCR could not confirm would otherwise switch the column checks off exactly where the
reading is poor, and leave standing a misread that added the same stroke to a cell and its row's
total (59 → 159 and 60 → 160: the row still adds up). Every OCR row that could account for the
excess (a part above zero, or the whole) and that no column relation holding through that cell
confirms is then null with PARSE-OCR-UNCONFIRMED: which of them is misread no arithmetic tells.

A number OCR read as two groups of ink ("4 0") with confidence below ``VOUCHED_CONFIDENCE``
may be a digit and a blot: it needs two relations to hold through it, its row's total and a
column's sum, not one. One relation catches independent misreads, not one blot read into several
cells of a row: a seal stamped over a row's last two cells added the same stroke, read as "4",
to both ("0" → "4 0", "1" → "4 1"), and the row still added up. 表四 has no column sums: such a
row there is null. (Confidence alone says little: scans read right single digits at 0.07.)

A row total that holds only because the row has a single number besides zeros, equal to the
total ("6 0 0 0 0 0 6"), compares one reading of a number with another reading of the same
number: a recogniser that misreads that figure the same way twice (a 6 in some font read as
5) would be "confirmed". Such an echo confirms the row's zeros (a misread zero would break
it) but not the repeated number, which needs a column relation or high confidence as in 2
and 3. docs/ocr.md gives how likely an accidental confirmation is, measured on real tables.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from xxgk.model import Finding, Number
from xxgk.parse.cells import Cell
from xxgk.parse.tables import TableRead
from xxgk.read.document import TEXT_LAYER_CONFIDENCE, Document, Line
from xxgk.templates import Relation, statutory
from xxgk.templates.relations import Excess, Instance, evaluate, excess, instances

# RapidOCR's confidence (the mean of the characters' probabilities) below which a number that
# no arithmetic can check is not taken. Clean table images read digits at 0.9-1.0; blurred or
# noisy ones, and misreads, fall well below.
HIGH_CONFIDENCE = 0.9
# Below this, digits read in two groups may be a digit and a stroke of a seal or a stain: one
# relation does not confirm them (see the module's docstring).
VOUCHED_CONFIDENCE = 0.5
_SPACED_DIGITS = re.compile(r"\d\s+\d")
# Findings that say the parser inferred where a row's numbers go (split digits, took the
# first of too many, placed a label-less run): confidence in the characters says nothing
# about the columns, so such OCR rows stand only where the arithmetic confirms them.
_INFERRED = frozenset({"PARSE-ROW-EXTRA", "PARSE-DIGITS-SPLIT", "PARSE-BLOCK-LAYOUT", "PARSE-ORDER-PLACED",
                       "PARSE-LABEL-PAST-HEADER", "PARSE-ROW-AFTER-SHORT",
                       "PARSE-ROWS-OUT-OF-STEP", "PARSE-EXTRA-COLUMN", "PARSE-LABEL-DIGITS"})


@dataclass(slots=True)
class _Row:
    """One table row's OCR cells: column id → confidence of the cell its number came from."""

    id: str
    ocr: dict[str, float] = field(default_factory=dict)
    state: str = "unchecked"  # "confirmed", "broken" or "unchecked"
    broken_by: Relation | None = None
    confirmed_cells: set[str] = field(default_factory=set)
    echo: str | None = None  # the number a row total only repeats (see the module's docstring)
    guesses: set[str] = field(default_factory=set)  # columns read as two groups, unsurely
    guessed: bool = False  # a relation held through such a cell
    total_held: bool = False  # the row's own total held, through such a cell
    settled: set[str] = field(default_factory=set)  # an echo's zeros, confirmed by the row total
    excess: Excess | None = None  # the certain contradiction that broke the row, when a bound did


def confirm_ocr_rows(doc: Document, table_id: str, read: TableRead) -> None:
    """Null the OCR numbers of a table that neither arithmetic nor OCR confidence vouches for, with findings."""
    if read.data is None or not any(line.confidence is not None for line in doc.lines):
        return
    lines = {line.number: line for line in doc.lines}
    data = read.data
    rows: dict[str, _Row] = {}
    for row_id, values in data.items():
        row = _Row(row_id)
        for col, value in values.items():
            if value is None:
                continue
            cell = read.sources.get(f"{table_id}.{row_id}.{col}")
            confidence = _confidence(cell, lines)
            if confidence is not None:
                row.ocr[col] = confidence
                if cell is not None and confidence < VOUCHED_CONFIDENCE and _SPACED_DIGITS.search(cell.text):
                    row.guesses.add(col)
        if row.ocr:
            rows[row_id] = row
    if not rows:
        return
    inferred = {f.where for f in read.findings if f.rule in _INFERRED}
    relations = statutory().relations_for(table_id)
    _judge_by_rows(rows, data, [r for r in relations if r.each == "row"])
    _judge_by_columns(rows, data, [r for r in relations if r.each == "column"])
    template = read.template or "2021"
    table = statutory().table_by_id(table_id)
    for row in rows.values():
        label = table.row_by_id(row.id).label_for(template) if _has_row(table_id, row.id) else row.id
        where = f"{table_id}.{row.id}"
        if row.state == "confirmed":
            continue
        unconfirmed = {c: s for c, s in row.ocr.items() if c not in row.confirmed_cells | row.settled}
        if row.state == "unchecked" and not unconfirmed:
            continue
        placed = where not in inferred and table_id not in inferred
        unchecked = "勾稽关系只是同一个数字的重复（总计等于唯一的非零项），不能独立核对" if row.echo \
            else "没有勾稽关系可以核对"
        layer = all(c >= TEXT_LAYER_CONFIDENCE for c in row.ocr.values())
        source = "取自PDF自带的文字识别层" if layer else "由图片识别（OCR）读出"
        if row.state == "unchecked" and placed and min(unconfirmed.values()) >= HIGH_CONFIDENCE:
            sure = "该层不标识别可信度，且" if layer else "识别可信度高，但"
            read.findings.append(Finding(
                rule="PARSE-OCR-UNCHECKED", severity="info", where=where,
                message=(f"“{label}”一行的数字{source}（{_quote(data[row.id], row.ocr)}），"
                         f"{sure}{unchecked}，请对照原图确认")))
            continue
        read_values = _quote(data[row.id], row.ocr)
        if row.state == "broken" and row.excess is not None:
            reason = _excess_reason(row.excess, table_id, template)
        elif row.state == "broken" and row.broken_by is not None:
            reason = f"不符合勾稽关系（{row.broken_by.statement}）"
        elif not placed:
            reason = f"所在的列是推断出来的（见同一行的其他提示），且{unchecked}"
        elif row.guessed:
            reason = (f"有数字分成两处（如“{_spaced(row, read, table_id)}”）且识别可信度低，勾稽关系虽然相符，"
                      "也可能是同一处污损（如盖在表上的印章）同时改变了几格的巧合")
        else:
            reason = f"识别可信度不足（最低 {min(unconfirmed.values()):.2f}），且{unchecked}"
        # An echo's zeros stand (its total confirms them); other rows go as a whole.
        dropped = unconfirmed if row.echo and row.state == "unchecked" else row.ocr
        for col in dropped:
            data[row.id][col] = None
            read.sources.pop(f"{table_id}.{row.id}.{col}", None)
        read.findings.append(Finding(
            rule="PARSE-OCR-UNCONFIRMED", severity="warning", where=where,
            message=(f"“{label}”一行{source}的数字（{read_values}）{reason}，"
                     f"无法确认，按空缺（null）处理，请对照原图核对")))


def _spaced(row: _Row, read: TableRead, table_id: str) -> str:
    """The text of the first cell of a row read as two groups of digits."""
    cells = (read.sources.get(f"{table_id}.{row.id}.{col}") for col in sorted(row.guesses))
    return next((cell.text for cell in cells if cell is not None), "")


def _has_row(table_id: str, row_id: str) -> bool:
    return any(r.id == row_id for r in statutory().table_by_id(table_id).rows)


def _confidence(cell: Cell | None, lines: Mapping[int, Line]) -> float | None:
    """The OCR confidence of the cell a number was read from; None when it was not read with OCR."""
    if cell is None:
        return None
    line = lines.get(cell.line)
    if line is None or line.confidence is None:
        return None
    if line.cell_offsets is None or len(line.confidence) != len(line.cell_offsets):
        return min(line.confidence)
    index = max(bisect.bisect_right(list(line.cell_offsets), cell.offset) - 1, 0)
    return line.confidence[index]


def _judge_by_rows(rows: dict[str, _Row], data: Mapping[str, Mapping[str, Number | None]],
                   relations: list[Relation]) -> None:
    """Confirm or break each OCR row by the relations that apply to it alone (its total)."""
    for relation in relations:
        for instance in instances(relation, data):
            row = rows.get(instance.axis)
            if row is None or row.state == "broken":
                continue
            outcome = evaluate(instance, data)
            if outcome is None:
                bound = excess(instance, data)  # a blank cell: known parts above the total still tell
                if bound is not None:
                    row.state, row.broken_by, row.excess = "broken", relation, bound
                continue
            if not outcome.holds:
                row.state, row.broken_by = "broken", relation
                continue
            echo = _echo(instance, data)
            if _through_guess(row, instance):
                row.guessed, row.total_held = True, echo is None  # an echo vouches for no number
                continue
            if echo is None:
                row.state = "confirmed"
            else:
                row.echo = echo
                row.settled.update(c for r, c in (*instance.lhs, *instance.rhs) if data[r][c] == 0)


def _through_guess(row: _Row, instance: Instance) -> bool:
    """Whether a relation runs through a cell of the row that may be a digit and a blot."""
    return any(row_id == row.id and col in row.guesses for row_id, col in (*instance.lhs, *instance.rhs))


def _echo(instance: Instance, data: Mapping[str, Mapping[str, Number | None]]) -> str | None:
    """The number a holding relation merely repeats (one non-zero cell a side, equal), else None."""
    lhs = [data[r][c] for r, c in instance.lhs if data[r][c] != 0]
    rhs = [data[r][c] for r, c in instance.rhs if data[r][c] != 0]
    if len(lhs) == 1 and len(rhs) == 1:
        return _fmt(lhs[0])
    return None


def _judge_by_columns(rows: dict[str, _Row], data: Mapping[str, Mapping[str, Number | None]],
                      relations: list[Relation]) -> None:
    """Confirm cells of rows their own total could not judge by the column relations through them.

    A column relation that fails through a row its own total already broke is explained by that
    row (a misread there): it confirms nothing and condemns none of the others, which are then
    judged as rows no arithmetic could check (one misread total would otherwise take every row
    of its column with it).
    """
    broken_by_rows = {row.id for row in rows.values() if row.state == "broken"}
    held: set[tuple[str, str]] = set()  # cells a column relation holds through
    for relation in relations:
        for instance in instances(relation, data):
            outcome = evaluate(instance, data)
            if outcome is None:
                continue
            cells = (*instance.lhs, *instance.rhs)
            if not outcome.holds and any(row_id in broken_by_rows for row_id, _ in cells):
                continue
            if outcome.holds:
                held.update(cells)
            for row_id, col in cells:
                row = rows.get(row_id)
                if row is None or row.state != "unchecked" or col not in row.ocr or col in row.settled:
                    continue
                if outcome.holds and _through_guess(row, instance) and not row.total_held:
                    row.guessed = True
                elif outcome.holds:
                    row.confirmed_cells.add(col)
                else:
                    row.state, row.broken_by = "broken", relation
    for row in rows.values():  # a guessed cell through which the row's total and a column's sum both hold
        if row.state == "unchecked" and row.total_held and row.guesses <= row.confirmed_cells:
            row.state = "confirmed"
    _judge_by_bounds(rows, data, relations, held)


def _judge_by_bounds(rows: dict[str, _Row], data: Mapping[str, Mapping[str, Number | None]],
                     relations: list[Relation], held: set[tuple[str, str]]) -> None:
    """Break the OCR rows that could account for a column's known parts exceeding its whole.

    The cells of rows already broken count as unknown (they are to be null), so the bound holds
    whatever they really are; a cell a column relation holds through is vouched for.
    """
    gone = frozenset((row.id, col) for row in rows.values() if row.state == "broken" for col in row.ocr)
    doubted: list[tuple[_Row, Excess]] = []
    for relation in relations:
        for instance in instances(relation, data):
            outcome = evaluate(instance, data)
            if outcome is not None and outcome.holds:
                continue
            bound = excess(instance, data, gone)
            if bound is None:
                continue
            for row_id, col in (*bound.whole, *bound.parts):
                row = rows.get(row_id)
                if row is None or row.state == "broken" or col not in row.ocr or (row_id, col) in held:
                    continue
                value = data[row_id][col]
                if (row_id, col) in bound.whole or (value is not None and value > 0):
                    doubted.append((row, bound))
    for row, bound in doubted:
        if row.state != "broken":
            row.state, row.broken_by, row.excess = "broken", bound.instance.relation, bound


def _excess_reason(bound: Excess, table_id: str, template: str) -> str:
    """Why a row a bound broke is doubted: the relation, the column, the two sums."""
    relation = bound.instance.relation
    where = "该行"
    if relation.each == "column":
        label = statutory().table_by_id(table_id).column_by_id(bound.instance.axis).label_for(template)
        where = f"所在的“{label}”列"
    return (f"{where}不能符合勾稽关系（{relation.statement}）：已读出的各项之和 {_fmt(bound.known_parts)} "
            f"已超过 {_fmt(bound.whole_value)}，而各项都不会是负数，必有误读（无法判断是哪一行）")


def _quote(values: Mapping[str, Number | None], ocr: Mapping[str, float]) -> str:
    """The numbers OCR read in a row, in column order, as a short list."""
    return "、".join(_fmt(values[c]) for c in values if c in ocr)


def _fmt(value: Number | None) -> str:
    if value is None:
        return "空"
    return str(int(value)) if float(value).is_integer() else str(value)
