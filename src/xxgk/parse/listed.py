"""A statutory table written out as lines of text: each number placed by the row and column words beside it.

Some reports give 表二 or 表四 not as a grid but as a numbered list or prose: ``1.规章：本年制发0件，本年
废止0件，现行有效0件。`` ``行政复议结果维持 6 件`` ``行政复议：结果维持0件，…总计0件。`` a heading
``（一）行政复议`` over ``1.结果维持：0件`` lines; or sentences (``制发规章0件，废止规章0件``, ``行政诉讼35件，
其中未经复议直接起诉35件（结果维持7件，…）``). The row reader finds no row of values there.

The text is cut into clauses (at sentence marks, commas not inside a number, brackets, line ends). A
number is named by the words between it and the number before it in its clause: a row (its label, the
declaration's spellings) and a column (its label, or the verbs of the column's ``prose``); a row named
earlier holds for the clauses after it until another row, or a word grouping rows (行政诉讼), is
named. A row of one column takes a number beside its own label that names no column, where the unit
fits (``行政事业性收费0万元``). A number naming no row or no column, or several columns, places nothing;
a cell named twice with different numbers stays null. Numbers are never placed by counting; a year
(``2023年``), a list marker (``1.``) or an ordinal (``第3``) is no value.

表二 is also laid across as one grid: a line of row labels (规章 | 行政规范性文件 | 行政许可 …), under it the
columns' labels, then one line of values. The row reader, looking for a label at each row's head, finds
none. It is read only where the column line is exactly each row's declared columns in order (which
tells how far each row label spans) and the value line has a cell under each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.model import Finding
from xxgk.parse.addressed import place_named
from xxgk.parse.cells import Cell, classify
from xxgk.parse.memo import by_identity
from xxgk.parse.normalize import norm_label
from xxgk.parse.rows import row_forms
from xxgk.parse.tables import TableRead
from xxgk.templates import Column, Table, statutory

# Where a clause ends (in normalised text): sentence marks, brackets, a comma not between digits (12,345).
_CLAUSE_END = re.compile(r"[;。\n()]|,(?!\d{3}(?!\d))")
# A value: digits (thousands apart by commas), a fraction, a unit; not a year, a date, a list marker,
# an ordinal, a share, or part of a longer run of digits and dots.
_VALUE = re.compile(
    r"(?<![\d.,第])(?:[+\-\u2212↑↓])?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|元|万?件|条|个|项)?(?![\d.,年月日号%]|\.\D)")
# Of a table's cells at least this share must be named before the lines are taken for the table.
_ENOUGH = 0.5


@dataclass(slots=True)
class _Reading:
    """The cells one format's words name, and the numbers that name no cell, by the row they fell under."""

    template: str
    named: dict[tuple[str, str], list[Cell]] = field(default_factory=dict)
    unplaced: dict[str | None, list[Cell]] = field(default_factory=dict)
    # Numbers beside their own row's label naming no column (行政复议0件，其中结果维持0件…), by row.
    bare: dict[str, list[Cell]] = field(default_factory=dict)
    across: bool = False  # one grid laid across: the rows' labels over their columns' labels over the values


@dataclass(frozen=True, slots=True)
class _Words:
    """The spellings that name a format's rows and columns, longest first, and the words grouping rows."""

    rows: tuple[tuple[str, str], ...]
    cols: tuple[tuple[str, str], ...]
    groups: tuple[str, ...]


def read_listed(table: Table, text: str, norm: str, start: int, end: int, template_hint: str | None,
                read: TableRead) -> TableRead | None:
    """The table read from lines of text naming each number's row and column, where the row reader
    (``read``) left cells null and these lines name more; None where the region is not written so."""
    total_of: dict[str, int] = {t: _cell_count(table, t) for t in table.templates}
    found = {(rid, cid): v for rid, row in (read.data or {}).items() for cid, v in row.items() if v is not None}
    if read.data is not None and read.template is not None and len(found) == total_of[read.template]:
        return None  # every cell read by the rows
    readings = [_read(table, text, norm, start, end, t) for t in table.templates]
    readings += [h for t in table.templates if (h := _horizontal(table, text, norm, start, end, t)) is not None]
    best = max(readings, key=lambda r: (len(r.named), r.template == template_hint, r.across))
    if len(best.named) < _ENOUGH * total_of[best.template] or len(best.named) <= len(found):
        return None
    if _gridded(norm[start:end]):
        for key, value in found.items():
            cells = best.named.get(key)
            if cells is None or any(c.value != value for c in cells):
                return None  # the grid's rows read a number these lines do not name, or name otherwise
    # Lines of text only: numbers the row reader took from sentences stand by their place, not their words.
    return _result(table, best)


def _gridded(region: str) -> bool:
    """Whether a line of the region holding digits is a grid's row (cells apart by ``|`` or tabs)."""
    return any(("|" in ln or "\t" in ln) and any(ch.isdigit() for ch in ln) for ln in region.split("\n"))


def _cell_count(table: Table, template: str) -> int:
    return sum(len(table.row_columns(r, template)) for r in table.rows_for(template))


@by_identity
def _words_by_format(table: Table) -> dict[str, _Words]:
    return {t: _make_words(table, t) for t in table.templates}


def _make_words(table: Table, template: str) -> _Words:
    """The format's row spellings, column labels (with and without their bracketed unit) and prose verbs."""
    rows = {form: row.id for row in table.rows_for(template) for form in row_forms(row)}
    cols: dict[str, str] = {}
    for col in table.columns_for(template):
        label = norm_label(col.label_for(template))
        for word in (label, _unbracketed(label), *(norm_label(p) for p in col.prose)):
            if word:
                cols.setdefault(word, col.id)
    groups = {norm_label(r.group) for r in table.rows_for(template) if r.group}
    longest = lambda kv: -len(kv[0])  # noqa: E731
    return _Words(tuple(sorted(rows.items(), key=longest)), tuple(sorted(cols.items(), key=longest)),
                  tuple(g for g in groups if g not in rows))


def _find(words: tuple[tuple[str, str], ...], segment: str) -> set[str]:
    """The ids the segment's words name, a longer spelling taking its characters from the shorter ones in it."""
    ids: set[str] = set()
    for word, wid in words:
        if word in segment:
            ids.add(wid)
            segment = segment.replace(word, "\x00")
    return ids


def _read(table: Table, text: str, norm: str, start: int, end: int, template: str) -> _Reading:
    """Every number of the region's lines of text placed by the words of one format."""
    words = _words_by_format(table)[template]
    reading = _Reading(template)
    row: str | None = None
    line_no = text.count("\n", 0, start)
    pos = start
    for line in norm[start:end].split("\n"):
        if "|" not in line and "\t" not in line:  # a grid's row is the row reader's
            row = _read_line(table, words, reading, text, line, pos, line_no, row)
        pos += len(line) + 1
        line_no += 1
    _totals(table, reading)
    return reading


def _horizontal(table: Table, text: str, norm: str, start: int, end: int, template: str) -> _Reading | None:
    """表二 laid across as one grid: a line of row labels, under it a line of column labels that is each
    row's declared columns in order (which tells the span of each row label), then one line of values, a
    value under each column label. None where the lines are not exactly so."""
    words = _words_by_format(table)[template]
    rows = dict(words.rows)
    cols = {_unbracketed(c.label_for(template)): c.id for c in table.columns_for(template)}
    lines = _grid_lines(norm, start, end)
    for k in range(len(lines) - 2):
        heads = [rows.get(norm_label(c)) for _, c in lines[k]]
        if len(heads) < 2 or None in heads or len(set(heads)) != len(heads):
            continue
        want = [(r, c.id) for r in heads if r for c in table.row_columns(table.row_by_id(r), template)]
        under = [cols.get(_unbracketed(c)) for _, c in lines[k + 1]]
        values = lines[k + 2]
        if under != [c for _, c in want] or len(values) != len(want):
            continue
        reading = _Reading(template, across=True)
        for (row, col), (at, cell_text) in zip(want, values, strict=True):
            cell = classify(text[at:at + len(cell_text)].strip(), norm_label(cell_text), at,
                            text.count("\n", 0, at), "grid")
            if cell.kind == "number":
                reading.named[(row, col)] = [cell]
        return reading
    return None


def _unbracketed(label: str) -> str:
    """A column label without its bracketed unit (本年收费金额（万元）, 本年收费金额（单位：万元）)."""
    return re.sub(r"\(.*?\)", "", norm_label(label))


def _grid_lines(norm: str, start: int, end: int) -> list[list[tuple[int, str]]]:
    """The region's ``|`` rows, each cell with its offset (the empty piece after a closing ``|`` left out)."""
    out: list[list[tuple[int, str]]] = []
    pos = start
    for line in norm[start:end].split("\n"):
        if "|" in line:
            cells: list[tuple[int, str]] = []
            at = pos
            for piece in line.split("|"):
                cells.append((at, piece))
                at += len(piece) + 1
            if not cells[-1][1].strip():
                cells.pop()
            out.append(cells)
        pos += len(line) + 1
    return out


def _totals(table: Table, reading: _Reading) -> None:
    """A row's one number naming no column, in the row's total column where it is the sum of the row's
    other cells as named (the declared row relation): a row's own figure, its parts after it."""
    for row, cells in reading.bare.items():
        placed = False
        for rel in statutory().relations_for(table.id):
            if rel.each != "row" or len(rel.lhs) != 1 or len(cells) != 1 or (row, rel.lhs[0]) in reading.named:
                continue
            parts = [reading.named.get((row, c), []) for c in rel.rhs]
            if all(len({p.value for p in cell}) == 1 for cell in parts) \
                    and sum(cell[0].value or 0 for cell in parts) == cells[0].value:
                reading.named[(row, rel.lhs[0])] = list(cells)
                placed = True
        if not placed:
            reading.unplaced.setdefault(row, []).extend(cells)


def _read_line(table: Table, words: _Words, reading: _Reading, text: str, line: str, pos: int, line_no: int,
               row: str | None) -> str | None:
    """One line's numbers placed; the row named last (it holds for the lines below)."""
    at = 0
    for m in [*_CLAUSE_END.finditer(line), None]:
        clause_end = m.start() if m else len(line)
        before = at  # where the words naming the next number start
        for v in _VALUE.finditer(line, at, clause_end):
            row = _place(table, words, reading, line[before:v.start()], row,
                         classify(text[pos + v.start():pos + v.end()].strip(), norm_label(v.group()),
                                  pos + v.start(), line_no, "none"))
            before = v.end()
        row = _context(words, norm_label(line[before:clause_end]), row)
        at = m.end() if m else len(line)
    return row


def _context(words: _Words, segment: str, row: str | None) -> str | None:
    """The row the words of a segment put the next numbers under."""
    rows = _find(words.rows, segment)
    if len(rows) == 1:
        return next(iter(rows))
    if rows or any(g in segment for g in words.groups):
        return None  # several rows, or a group of rows (行政诉讼 35件): the next numbers' row is not told
    return row


def _place(table: Table, words: _Words, reading: _Reading, words_before: str, row: str | None,
           value: Cell) -> str | None:
    """A number in the cell its words name (its row named here or above); the row it leaves in force."""
    segment = norm_label(words_before)
    own = _find(words.rows, segment)
    row = _context(words, segment, row)
    cols = _find(words.cols, segment)
    if value.kind != "number" or row is None:
        reading.unplaced.setdefault(row, []).append(value)
        return row
    columns = table.row_columns(table.row_by_id(row), reading.template)
    ids = {c.id for c in columns}
    if not cols and own == {row} and len(columns) == 1 and _fits(value, columns[0], reading.template):
        cols = ids  # a row of one column, its number beside its own label
    if not cols and own == {row}:
        reading.bare.setdefault(row, []).append(value)
        return row
    if len(cols) != 1 or not cols <= ids:
        reading.unplaced.setdefault(row, []).append(value)
        return row
    reading.named.setdefault((row, next(iter(cols))), []).append(value)
    return row


def _fits(cell: Cell, col: Column, template: str) -> bool:
    """Whether the column can hold the number as printed: a count a whole number in pieces (件, 条), money
    in the column's unit (800元 under 万元 is no 800)."""
    value = cell.value
    if value is None or (value < 0 and col.kind != "signed"):
        return False
    if col.kind == "money":  # a column declaring no unit (2019's 采购总金额) takes the figure as printed
        declared = col.unit_for(template)
        return cell.unit in (None, declared) if declared else cell.unit != "万"
    if cell.unit is not None and cell.unit.startswith("万"):
        return False
    return float(value).is_integer()


def _result(table: Table, reading: _Reading) -> TableRead:
    """The table from the named cells: each cell named once (or each time alike) with a number it can hold."""
    read = TableRead({}, reading.template, printed=reading.template)
    assert read.data is not None
    for placed in place_named(table, reading.template, reading.named, read, _fits):
        where, label, unnamed, twice = placed.where, placed.label, placed.unnamed, placed.twice
        read.data[placed.row_id] = placed.values
        stray = reading.unplaced.get(placed.row_id, [])
        if unnamed:
            also = f"（该行另有数字{'、'.join(c.text for c in stray[:6])}，无法确定属于哪一列）" if stray else ""
            read.findings.append(_warning(
                "PARSE-CELL-UNNAMED", where,
                f"“{label}”的{'、'.join(unnamed)}没有写明（或写的不是该栏的数字）{also}，这些项按空缺（null）处理，未视为0，请核对原文"))
        if twice:
            read.findings.append(_warning(
                "PARSE-CELL-TWICE", where,
                f"“{label}”的{'；'.join(twice)}写了两次且数字不同，无法确定哪一个是对的，按空缺（null）处理，请核对原文"))
    if reading.across:
        read.findings.insert(0, Finding(
            rule="PARSE-TABLE-ADDRESSED", severity="info", where=table.id,
            message=f"“{table.title}”印成横排的一张表（各项目名在上，其下为各栏目名，再下为数字）：各数按其上方的项目名和栏目名读取"))
    else:
        read.findings.insert(0, Finding(
            rule="PARSE-TABLE-LISTED", severity="info", where=table.id,
            message=f"“{table.title}”没有印成统计表，而以文字逐项列出：各数按其旁边写明的项目和栏目读取"))
    return read


def _warning(rule: str, where: str, message: str) -> Finding:
    return Finding(rule=rule, severity="warning", where=where, message=message)
