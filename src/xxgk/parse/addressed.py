"""A statutory table printed not as a grid but cell by cell, each number with its row and its column named.

Mobile pages and WeChat articles print a table as cards: a row's label as a heading, then
``自然人：13`` ``商业企业：1`` … ``总计：22`` one a line (or the label on one line and its number on the
next; or a two-column table ``自然人 | 98`` under ``项目 | 一、本年新收…``). Some print it transposed (a
card per applicant type, ``申请人：自然人``, then every row as ``label：value``), or split by columns into
grids whose headers together name every column once (``（表格较宽，分两部分展示）``). The row reader
finds no grid there and every cell stays null.

A split table's second part may print its numbers alone, its rows' labels left to the first part: its k-th
line is the format's k-th row only where nothing else can be meant (the first part names every row once in
the declared order, the second has a line of as many numbers as its header names columns for each row), and
only where the whole table's arithmetic then holds; else those numbers stay unplaced.

Here a number counts only where its row and its column are both named, unambiguously, by the
declaration's labels (one named by the heading above it, the other beside it; or a grid's header
and its line's label). A cell named twice with different numbers, a row whose cards name only some of
its columns, a number whose row or column cannot be told: those cells stay null with a finding. The
reading is taken where the row reader left cells null and the names tell more: where it read no number
at all, or where every cell is named (表二 as cards, whose one-column rows the row reader reads, its
others not); and where the row reader read every cell but the names, naming each once, say otherwise
(a transposed grid read by position), unless only the row reader's numbers hold the table's arithmetic.
A grid whose rows each sit under one header naming their columns (表二's under their captions) is an
ordinary grid, the row reader's, whatever it made of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from xxgk.model import Finding
from xxgk.parse.cells import Cell, classify
from xxgk.parse.memo import by_identity
from xxgk.parse.normalize import norm_label
from xxgk.parse.rows import row_forms
from xxgk.parse.tables import TableRead
from xxgk.templates import Column, Table, statutory
from xxgk.templates.relations import all_hold

Axis = Literal["row", "col"]
# A line ``label：value`` (the label may hold a colon itself: 本年收费金额（单位：万元）：0).
_PAIR = re.compile(r"^(?P<label>.+)[：:]\s*(?P<value>\S+)\s*$")
# The pieces of a line printing several cells: 自然人：13；商业企业：1 (or apart by spaces, commas).
_PIECE = re.compile(r"[^；;，,\s]+")
# A line ``caption：name`` naming a row or a column (申请人：自然人); the caption is a few characters.
_CAPTIONED = re.compile(r"^(?P<caption>[^：:\d]{1,8})[：:]\s*(?P<name>.+?)\s*$")
# What stands between a column's group and its label (法人或其他组织·商业企业, 法人或其他组织-商业企业).
_SEPARATORS = "·・.-—_/:、 "
# Of a table's cells at least this share must be named before the reading is taken for the table.
_ENOUGH = 0.5


class _Name(NamedTuple):
    axis: Axis
    id: str


class _Names(NamedTuple):
    """What each comparable spelling names in one format of a table."""

    names: dict[str, frozenset[_Name]]
    column_groups: tuple[str, ...]
    # The table's other words, which name no cell: the side they group (a row's stub, group or caption; a
    # column's group or the columns' header), or "table" (its title, markers, notes).
    known: dict[str, Axis | Literal["table"]]


@dataclass(slots=True)
class _Reading:
    """The cells one format's labels name, and what could not be placed."""

    template: str
    named: dict[tuple[str, str], list[Cell]] = field(default_factory=dict)
    unplaced: list[Cell] = field(default_factory=list)
    pairs: int = 0  # cells named by a label beside their number under a heading (cards, two columns, transposed)
    # Grid headers that placed numbers: one naming rows is a transposed table; several naming the cells of
    # one row, a table split by columns in parts. Rows each under one header naming their columns are an
    # ordinary grid (表二's are several, one a caption), the row reader's.
    headers: set[_Grid] = field(default_factory=set)
    row_headers: dict[str, set[_Grid]] = field(default_factory=dict)
    # Each row named beside its numbers under a grid header, in the order printed.
    grid_rows: list[tuple[_Grid, str]] = field(default_factory=list)
    # Lines of numbers only under a grid header naming columns: a table's second part, its rows' labels left
    # to the first; and that header, where its lines were placed row by row.
    bare: list[tuple[_Grid, list[Cell]]] = field(default_factory=list)
    continued: _Grid | None = None


class _Grid(NamedTuple):
    """A grid header: the rows or columns its cells name, in order."""

    axis: Axis
    ids: tuple[str, ...]


# What the lines above say: the row or column a heading puts the next lines under, or a grid's header.
_Context = _Name | _Grid | None


def read_addressed(table: Table, cells: list[Cell], template_hint: str | None, read: TableRead) -> TableRead | None:
    """The table read from cells that each name their row and column, where the row reader (``read``) left
    cells null or placed numbers where the names say otherwise; None where the region is not printed so."""
    if any(f.rule == "PARSE-TABLE-WHICH" for f in read.findings):
        return None  # copies whose numbers differ: naming cells does not tell which is the report's own
    if read.data is not None and read.template is not None and len(_numbers(read)) == _cell_count(table, read.template) \
            and all_hold(statutory().relations_for(table.id), read.data):
        return None  # every cell read by the rows, their arithmetic holding (most reports): nothing to mend
    lines = _lines(cells)
    readings = [_read(table, lines, t) for t in table.templates]
    scored = sorted(readings, key=lambda r: (_score(r), r.template == template_hint), reverse=True)
    best = scored[0]
    total = _cell_count(table, best.template)
    if len(best.named) < _ENOUGH * total or not (best.pairs or _split(best) or _transposed(best)):
        return None  # too few cells named, or one ordinary grid: the row reader's
    if found := _numbers(read):
        if not _clean(best, total):
            return None  # some numbers read by the rows: taken over only by a reading naming every cell once
        if len(found) == total:  # every cell read by the rows
            if all(best.named[key][0].value == v for key, v in found.items() if key in best.named):
                return None  # alike
            relations = statutory().relations_for(table.id)
            if read.data and all_hold(relations, read.data) and not all_hold(relations, _named_data(best)):
                return None  # the rows' numbers hold the table's arithmetic, the names' do not
    told = len(scored) == 1 or _score(scored[1]) < _score(best)
    return _result(table, best, best.template if told else None)


def _split(reading: _Reading) -> bool:
    """Whether a row's numbers were placed under several grid headers (a table split by columns)."""
    return any(len(grids) >= 2 for grids in reading.row_headers.values())


def _transposed(reading: _Reading) -> bool:
    """Whether numbers were placed under a grid header naming rows (each line a column): no grid the row
    reader reads."""
    return any(h.axis == "row" for h in reading.headers)


def _named_data(reading: _Reading) -> dict[str, dict[str, int | float | None]]:
    """The first number named for each cell, by row."""
    out: dict[str, dict[str, int | float | None]] = {}
    for (rid, cid), cells in reading.named.items():
        out.setdefault(rid, {})[cid] = cells[0].value
    return out


def _numbers(read: TableRead) -> dict[tuple[str, str], int | float]:
    """The numbers a reading holds, by cell."""
    return {(rid, cid): v for rid, row in (read.data or {}).items() for cid, v in row.items() if v is not None}


def _clean(reading: _Reading, total: int) -> bool:
    """Every cell of the format named, each with one number, and no number left unplaced."""
    return (not reading.unplaced and len(reading.named) == total
            and all(len({c.value for c in cells}) == 1 and cells[0].value is not None
                    for cells in reading.named.values()))


def _score(reading: _Reading) -> int:
    return len(reading.named) - len(reading.unplaced)


def _cell_count(table: Table, template: str) -> int:
    return sum(len(table.row_columns(r, template)) for r in table.rows_for(template))


def _lines(cells: list[Cell]) -> list[list[Cell]]:
    """The region's cells line by line (a line of blank cells left out)."""
    out: list[list[Cell]] = []
    last: int | None = None
    for c in cells:
        if c.line != last:
            out.append([])
            last = c.line
        out[-1].append(c)
    return [line for line in out if any(c.kind != "blank" for c in line)]


def _names(table: Table, template: str) -> _Names:
    return _names_by_format(table)[template]


@by_identity
def _names_by_format(table: Table) -> dict[str, _Names]:
    return {t: _make_names(table, t) for t in table.templates}


def _make_names(table: Table, template: str) -> _Names:
    """Every spelling of the format's rows and columns, with the stubs and groups a label may be printed after."""
    names: dict[str, set[_Name]] = {}
    known: dict[str, Axis | Literal["table"]] = {}
    for row in table.rows_for(template):
        before = [""] + [norm_label(w) for w in (row.group, row.stub) if w]
        if row.group and row.stub:
            before.append(norm_label(row.stub) + norm_label(row.group))
        for form in row_forms(row):
            for pre in before:
                names.setdefault(pre + form, set()).add(_Name("row", row.id))
            if row.group:  # 行政诉讼（未经复议直接起诉）
                names.setdefault(f"{norm_label(row.group)}({form})", set()).add(_Name("row", row.id))
        known.update((norm_label(w), "row") for w in (row.group, row.stub, row.caption) if w)
    groups: set[str] = set()
    for col in table.columns_for(template):
        names.setdefault(norm_label(col.label_for(template)), set()).add(_Name("col", col.id))
        if col.group:
            groups.add(norm_label(col.group))
    for word in (*groups, *([norm_label(table.column_header)] if table.column_header else [])):
        known.setdefault(word, "col")
    for w in (table.title, *table.markers, table.row_header, table.note):
        if w:
            known.setdefault(norm_label(w), "table")
    return _Names({k: frozenset(v) for k, v in names.items()}, tuple(sorted(groups, key=len, reverse=True)),
                  {k: v for k, v in known.items() if k not in names})


def _resolve(names: _Names, text: str) -> _Name | Axis | Literal["table", "unknown"]:
    """What a label names: one row or column; or, another word of the table, the side it groups; or nothing known."""
    norm = norm_label(text).rstrip(":")
    hits = names.names.get(norm)
    if hits is None:
        for group in names.column_groups:  # 法人或其他组织·商业企业
            if norm.startswith(group) and len(norm) > len(group):
                rest = norm[len(group):].lstrip(_SEPARATORS)
                if rest.startswith("(") and rest.endswith(")"):
                    rest = rest[1:-1]
                hits = names.names.get(rest)
                if hits is not None:
                    hits = frozenset(h for h in hits if h.axis == "col")
                break
    if hits is not None and len(hits) == 1:
        return next(iter(hits))
    if hits:
        return "unknown"  # several cells by one name: it tells none
    return names.known.get(norm, "unknown")


def _read(table: Table, lines: list[list[Cell]], template: str) -> _Reading:
    """Every number of the region placed by the labels of one format."""
    names = _names(table, template)
    reading = _Reading(template)
    context: _Context = None
    i = 0
    while i < len(lines):
        line = lines[i]
        solid = [c for c in line if c.kind != "blank"]
        pairs = _pairs(names, solid) if all(c.kind == "text" for c in solid) else None
        if pairs:  # 自然人：13, or several on a line (自然人：13；商业企业：1)
            for label, value in pairs:
                _place(table, names, reading, context, label, [value])
        elif len(solid) == 1 and solid[0].kind == "text":
            cell = solid[0]
            if (nxt := _lone_value(lines, i + 1)) is not None and isinstance(_resolve(names, cell.text), _Name):
                _place(table, names, reading, context, cell.text, [nxt])  # the label, its number on the next line
                i += 1
            else:
                context = _heading(names, cell.text, context)
        elif all(c.kind == "text" for c in solid):
            below = [c for c in lines[i + 1] if c.kind != "blank"] if i + 1 < len(lines) else []
            if below and all(c.kind == "text" for c in below) and (grid := _stacked(table, names, solid, below)):
                context = grid  # a header on two lines: group words over their labels
                i += 1
            else:
                context = _header(names, solid)
        elif (labelled := _label(names, solid)) is not None:
            # A label, then its values: a blank cell holds its place (its column is named, its number not).
            after = line[next(k for k, c in enumerate(line) if c is labelled) + 1:]
            _place(table, names, reading, context, labelled.text, _trimmed(after))
        else:
            reading.unplaced.extend(c for c in solid if c.kind == "number")
            if isinstance(context, _Grid) and context.axis == "col" and all(c.kind == "number" for c in solid):
                reading.bare.append((context, solid))  # placed, if at all, once every line is seen
        i += 1
    if reading.bare:
        _place_continued(table, reading)
    return reading


def _place_continued(table: Table, reading: _Reading) -> None:
    """A table split by width whose second part prints numbers only, under a header naming its columns: its
    lines placed row by row, the k-th in the format's k-th row, only where that is certain. The first part
    names every row of the format once and in the declared order, the second has as many lines as the format
    has rows, each as many numbers as its header names columns, no other number of the region unplaced; then every
    cell of the table is named once, and the whole table's arithmetic (each row's 总计, the rows' sums) holds. Else
    its numbers stay unplaced."""
    lines = [cells for _, cells in reading.bare]
    grids = {grid for grid, _ in reading.bare}
    rows = [row.id for row in table.rows_for(reading.template)]
    relations = statutory().relations_for(table.id)
    grid = next(iter(grids)) if len(grids) == 1 else None
    if (grid is None or not relations or len(reading.unplaced) != sum(map(len, lines)) or len(lines) != len(rows)
            or [rid for g, rid in reading.grid_rows if g != grid] != rows
            or any(len(cells) != len(grid.ids) for cells in lines)):
        return  # its numbers stay unplaced (so is any other number of the region's)
    named = {key: list(cells) for key, cells in reading.named.items()}
    for rid, cells in zip(rows, lines, strict=True):
        for cid, cell in zip(grid.ids, cells, strict=True):
            named.setdefault((rid, cid), []).append(cell)
    data: dict[str, dict[str, int | float | None]] = {}
    for (rid, cid), cells in named.items():
        data.setdefault(rid, {})[cid] = cells[0].value
    every = [(row, col) for row in table.rows_for(reading.template) for col in table.row_columns(row, reading.template)]
    if (len(named) != len(every)
            or not all(len(named.get((row.id, col.id), ())) == 1 and _fits(named[row.id, col.id][0], col, reading.template)
                       for row, col in every)
            or not all_hold(relations, data)):
        return
    reading.named, reading.continued, reading.unplaced = named, grid, []
    reading.headers.add(grid)
    for rid in rows:
        reading.row_headers.setdefault(rid, set()).add(grid)


def _label(names: _Names, solid: list[Cell]) -> Cell | None:
    """The label of a line of values: its text cells before them, the last naming the cells; the others
    empty (a spanned cell printed again) or words grouping it (``三、本年度办理结果 | （一）予以公开 | 53``)."""
    k = next((k for k, c in enumerate(solid) if c.kind != "text"), len(solid))
    if k == 0 or any(c.kind == "text" for c in solid[k:]):
        return None
    if any(c.norm and _resolve(names, c.text) not in ("row", "col") for c in solid[:k - 1]):
        return None
    return solid[k - 1]


def _pairs(names: _Names, cells: list[Cell]) -> list[tuple[str, Cell]] | None:
    """Text cells made of ``label：value`` pieces → each label and its value as a cell of its own; None
    where a piece is anything else. A cell that is one such piece may have any label (its number is
    then unplaced)."""
    whole = _split_pair(cells[0].text, cells[0]) if len(cells) == 1 else None
    if whole is not None and isinstance(_resolve(names, whole[0]), _Name):
        return [whole]
    out: list[tuple[str, Cell]] = []
    for cell in cells:
        for m in _PIECE.finditer(cell.text):
            pair = _split_pair(m.group(), cell, m.start())
            if pair is None or not isinstance(_resolve(names, pair[0]), _Name):
                return [whole] if whole is not None else None
            out.append(pair)
    return out or None


def _split_pair(text: str, cell: Cell, at: int = 0) -> tuple[str, Cell] | None:
    """``label：value`` (a piece of a cell's text from ``at``) → the label, and the value as a cell of its own."""
    m = _PAIR.match(text)
    if m is None:
        return None
    value_text = m.group("value")
    value = classify(value_text, norm_label(value_text), cell.offset + at + m.start("value"), cell.line, "none")
    return (m.group("label"), value) if value.kind in ("number", "na") else None


def _trimmed(values: list[Cell]) -> list[Cell]:
    """A line's values without the blank cells after the last value (a ``|`` closing a text row)."""
    end = len(values)
    while end and values[end - 1].kind == "blank":
        end -= 1
    return values[:end]


def _lone_value(lines: list[list[Cell]], i: int) -> Cell | None:
    """The line's one value, where it holds nothing else."""
    solid = [c for c in lines[i] if c.kind != "blank"] if i < len(lines) else []
    return solid[0] if len(solid) == 1 and solid[0].kind in ("number", "na") else None


def _heading(names: _Names, text: str, context: _Context) -> _Context:
    """The context after a line of one label: the row or column it names. A word grouping the side the
    lines below name (三、本年度办理结果 over rows named beside their numbers) keeps it; one grouping the
    context's own side (（三）不予公开 after a row's card: the next card's numbers would fall to the last
    row) ends it, as anything else does."""
    said = _resolve(names, text)
    if said == "unknown" and (m := _CAPTIONED.match(text)):  # 申请人：法人或其他组织·商业企业
        said = _resolve(names, m.group("name"))
    if isinstance(said, _Name):
        return said
    if context is not None and (said == "table" or (said in ("row", "col") and said != context.axis)):
        return context
    return None


def _header(names: _Names, line: list[Cell]) -> _Context:
    """A line of labels: a grid's header naming rows or columns after its first cell (项目, 信息内容). A
    two-column table's (``项目 | 规章``) is one naming a row: the lines below name its columns."""
    said = [_resolve(names, c.text) for c in line]
    rest = said[1:]
    if not rest or not all(isinstance(s, _Name) for s in rest):
        return None
    named = [s for s in said if isinstance(s, _Name)]
    axes = {s.axis for s in named}
    if len(axes) != 1:
        return None
    return _Grid(axes.pop(), tuple(s.id for s in named))


def _stacked(table: Table, names: _Names, upper: list[Cell], lower: list[Cell]) -> _Grid | None:
    """A grid's header on two lines: after its first cell, the upper line's labels and group words, each
    group word (printed once over its span, or again in each column) over the lower line's labels of that
    group in order (（三）不予公开 over 1.属于国家秘密 … 8.属于行政查询事项). None unless every label below
    falls under a group word above."""
    queue = [_resolve(names, c.text) for c in lower]
    below = [s for s in queue if isinstance(s, _Name)]
    if len(below) != len(queue):
        return None
    ids: list[_Name] = []
    last = ""
    grouped = False
    for cell in upper[1:]:
        said = _resolve(names, cell.text)
        if isinstance(said, _Name):
            ids.append(said)
            last = ""
            continue
        if said not in ("row", "col"):
            return None
        if cell.norm == last:
            continue  # a spanned group word printed in each of its columns
        taken = 0
        while below and _group(table, below[0]) == norm_label(cell.text):
            ids.append(below.pop(0))
            taken += 1
        if not taken:
            return None
        last, grouped = cell.norm, True
    axes = {n.axis for n in ids}
    if below or len(axes) != 1 or not grouped:
        return None  # labels below no group word took, names of both sides, or no group word above
    return _Grid(axes.pop(), tuple(n.id for n in ids))


def _group(table: Table, name: _Name) -> str:
    """The group word a row or column is printed under, normalised ("" for none)."""
    group = table.row_by_id(name.id).group if name.axis == "row" else table.column_by_id(name.id).group
    return norm_label(group) if group else ""


def _place(table: Table, names: _Names, reading: _Reading, context: _Context, label: str,
           values: list[Cell]) -> None:
    """Values after a label, under the context: each in its cell where both its row and column are named."""
    said = _resolve(names, label)
    if not isinstance(said, _Name):
        reading.unplaced.extend(c for c in values if c.kind == "number")
        return
    if isinstance(context, _Name) and len(values) == 1 and context.axis != said.axis:
        others: tuple[str, ...] = (context.id,)
    elif isinstance(context, _Grid) and context.axis != said.axis and len(context.ids) == len(values):
        others = context.ids
    else:
        reading.unplaced.extend(c for c in values if c.kind == "number")
        return
    if isinstance(context, _Grid):
        reading.headers.add(context)
        if said.axis == "row":
            reading.row_headers.setdefault(said.id, set()).add(context)
            reading.grid_rows.append((context, said.id))
    else:
        reading.pairs += 1
    for other, cell in zip(others, values, strict=True):
        row_id, col_id = (said.id, other) if said.axis == "row" else (other, said.id)
        row = table.row_by_id(row_id)
        if col_id not in {c.id for c in table.row_columns(row, reading.template)}:
            if cell.kind == "number":
                reading.unplaced.append(cell)
            continue
        reading.named.setdefault((row_id, col_id), []).append(cell)


class PlacedRow(NamedTuple):
    """One row's cells from the numbers naming them: values, and the columns left null and why."""

    row_id: str
    where: str
    label: str
    values: dict[str, int | float | None]
    twice: list[str]  # columns named more than once with different numbers (each with what was printed)
    unnamed: list[str]  # columns with no number they can hold
    absent: int  # columns no number named at all


def place_named(table: Table, template: str, named: dict[tuple[str, str], list[Cell]], read: TableRead,
                fits: Callable[[Cell, Column, str], bool]) -> Iterator[PlacedRow]:
    """Each row of ``template`` with its cells from ``named``: a cell named once (or each time alike) with a
    number its column ``fits`` takes its value (its source kept in ``read``); any other cell stays null."""
    for row in table.rows_for(template):
        where = f"{table.id}.{row.id}"
        values: dict[str, int | float | None] = {}
        twice: list[str] = []
        unnamed: list[str] = []
        absent = 0
        for col in table.row_columns(row, template):
            cells = named.get((row.id, col.id), [])
            values[col.id] = None
            if not cells:
                unnamed.append(col.label_for(template))
                absent += 1
            elif len({c.value for c in cells}) > 1:
                twice.append(f"{col.label_for(template)}（{'、'.join(c.text for c in cells)}）")
            elif fits(cells[0], col, template):
                values[col.id] = cells[0].value
                read.sources[f"{where}.{col.id}"] = cells[0]
            else:
                unnamed.append(col.label_for(template))
        yield PlacedRow(row.id, where, row.label_for(template), values, twice, unnamed, absent)


def _result(table: Table, reading: _Reading, printed: str | None) -> TableRead:
    """The table from the named cells: each cell named once (or each time alike) with a number it can hold."""
    read = TableRead({}, reading.template, printed=printed)
    assert read.data is not None
    for placed in place_named(table, reading.template, reading.named, read, _fits):
        where, label, unnamed, twice = placed.where, placed.label, placed.unnamed, placed.twice
        read.data[placed.row_id] = placed.values
        if placed.absent == len(placed.values):
            read.findings.append(_warning("PARSE-ROW-MISSING", where, f"未找到“{label}”一行的数字，数值按空缺处理"))
        elif unnamed:
            read.findings.append(_warning(
                "PARSE-CELL-UNNAMED", where,
                f"“{label}”一行没有印出（或没有印成该列的数字）{'、'.join(unnamed)}，这些列按空缺（null）处理，未视为0，请核对原文"))
        if twice:
            read.findings.append(_warning(
                "PARSE-CELL-TWICE", where,
                f"“{label}”一行的{'；'.join(twice)}印了两次且数字不同，原文没有写明哪一个是对的，按空缺（null）处理，请核对原文"))
    if reading.unplaced:
        sample = "、".join(c.text for c in reading.unplaced[:8])
        read.findings.append(_warning(
            "PARSE-NUMBERS-UNPLACED", table.id,
            f"表中有{len(reading.unplaced)}个数字无法确定属于哪一行、哪一列（{sample}…），未采用，请核对原文"))
    if reading.continued is not None:
        columns = "、".join(table.column_by_id(cid).label_for(reading.template) for cid in reading.continued.ids)
        read.findings.insert(0, Finding(
            rule="PARSE-TABLE-CONTINUED", severity="info", where=table.id,
            message=(f"“{table.title}”分两部分印出，第二部分只印了{columns}各列的数字、没有印行名：按第一部分的行序"
                     "（与法定格式的行序一致）逐行读取，每行的总计和表内的勾稽关系都相符，请核对原文")))
    read.findings.insert(0, Finding(
        rule="PARSE-TABLE-ADDRESSED", severity="info", where=table.id,
        message=f"“{table.title}”没有印成表格（手机版卡片、两列表格、转置或分几部分的表格）：各数按其所在的行名和列名读取"))
    return read


def _fits(cell: Cell, col: Column, template: str) -> bool:
    """Whether the column can hold the number as printed: a count is a whole number, not below zero, in
    pieces (件, 条); money in the column's own unit (800元 under 万元 is no 800)."""
    value = cell.value
    if value is None:
        return False
    if col.kind == "money":
        return value >= 0 and cell.unit in (None, col.unit_for(template))
    if cell.unit is not None and cell.unit.startswith("万"):
        return False  # 1.2万件: a count in tens of thousands, left to the reader of the text
    return float(value).is_integer() and (value >= 0 or col.kind == "signed")


def _warning(rule: str, where: str, message: str) -> Finding:
    return Finding(rule=rule, severity="warning", where=where, message=message)
