"""A table's printed header → the declared column each printed value column stands for.

Most reports print the statutory columns in the statutory order, but some move them (表三 with
法人或其他组织 before 自然人, 表二 with 现行有效件数 first, 表四 with 总计 first in each group) or add
columns the form has not (上年总计, 同比增减, 备注). Where a table keeps its cell boundaries (a grid,
``|`` or tab rows) or prints one cell a line, the header says which column each value is in; where
it does not (text apart by spaces, a PDF's reading order), a header in another order still tells
that the statutory order cannot be assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from xxgk.parse.cells import Cell
from xxgk.parse.normalize import norm_label
from xxgk.parse.rows import Run
from xxgk.templates import Table

# A header item: a declared column's id, a group of declared columns (法人或其他组织, or the table's
# own column header 申请人情况 over all of them), or a column the form has not.
_COLUMN, _GROUP, _UNKNOWN, _STUB = "column", "group", "unknown", "stub"
_EXPLICIT = ("grid", "pipe")


class Item(NamedTuple):  # a tuple: made for every header cell, at a quarter of a frozen dataclass's cost
    kind: str  # _COLUMN, _GROUP, _UNKNOWN or _STUB (the row labels' header)
    ids: tuple[str, ...]  # the column's id, or the group's columns; () for an unknown column
    text: str  # as printed
    line: int


@dataclass(frozen=True, slots=True)
class Order:
    """What a header says of the value columns under it."""

    # Each printed value column, in order: the declared column it names, None for one the form has
    # not; None where the header cannot be read column by column.
    ids: tuple[str | None, ...] | None
    # The declared columns the header names.
    named: frozenset[str]
    # Per line of the header, the labels printed on it (each its columns' ids), side by side.
    lines: tuple[tuple[tuple[str, ...], ...], ...]
    grouped: frozenset[str]  # the columns that stand in a group (法人或其他组织's five)
    explicit: bool  # the cell boundaries are kept: a value's place is its column
    against: bool = False  # a line of labels against the statutory order, where ``lines`` cannot tell
    groups: tuple[str, ...] | None = None  # 表四's groups, where the header moves them whole: in its order
    # The columns of a group the header prints as one column (法人或其他组织 over a single cell of their sum):
    # ``ids`` holds None there, and no value is read for them.
    merged: frozenset[str] = frozenset()

    def contrary(self, slots: tuple[str, ...]) -> bool:
        """Two labels on one line in an order other than ``slots``: of the columns and groups not in a
        group, or of one group's columns."""
        if self.against:
            return True
        rank = {key: i for i, key in enumerate(slots)}
        for found in self.lines:
            mine = [ids for ids in found if all(i in rank for i in ids) and len(ids) < len(slots)]
            top = [min(rank[i] for i in ids) for ids in mine if not (len(ids) == 1 and ids[0] in self.grouped)]
            inner = [rank[ids[0]] for ids in mine if len(ids) == 1 and ids[0] in self.grouped]
            if _descends(top) or _descends(inner):
                return True
        return False


def _descends(ranks: list[int]) -> bool:
    """Some rank is followed by a smaller one."""
    return any(a > b for a, b in pairwise(ranks))


@dataclass(frozen=True, slots=True)
class _Labels:
    """A table's column words in their comparable form (for one format)."""

    columns: dict[str, str]  # label → column id
    groups: dict[str, tuple[str, ...]]  # group label → its columns' ids
    ignored: frozenset[str]  # the row labels' header (信息内容)
    grouped: frozenset[str]  # the columns that stand in a group
    rank: dict[str, int]  # a column's place in the statutory order
    pattern: re.Pattern[str]  # any of the labels, longest first


_LABELS: dict[tuple[str, str], _Labels] = {}


def _labels(table: Table, template: str) -> _Labels:
    """The table's column words for one format (worked out once)."""
    found = _LABELS.get((table.id, template))
    if found is None:
        found = _LABELS[(table.id, template)] = _make_labels(table, template)
    return found


def _make_labels(table: Table, template: str) -> _Labels:
    """``_labels``, worked out."""
    columns = table.columns_for(template)
    by_label = {norm_label(lab): c.id for c in columns for lab in (c.label_for(template), *c.labels())}
    groups: dict[str, tuple[str, ...]] = {}
    for c in columns:
        if c.group:
            groups[norm_label(c.group)] = (*groups.get(norm_label(c.group), ()), c.id)
    grouped = frozenset(i for ids in groups.values() for i in ids)
    if table.column_header:
        groups[norm_label(table.column_header)] = tuple(c.id for c in columns)
    ignored = frozenset(norm_label(w) for w in (table.row_header, table.note) if w)
    words = sorted({*by_label, *groups}, key=len, reverse=True)
    return _Labels(by_label, groups, ignored, grouped, {c.id: i for i, c in enumerate(columns)},
                   re.compile("|".join(map(re.escape, words))))


def zone_headers(cells: list[Cell], table: Table, template: str) -> list[Order | None]:
    """For each run of values (as ``cells_to_runs`` makes them), the order of the header above it:
    the last stretch of text before it, or before an earlier run, that names two column words."""
    labels = _labels(table, template)
    out: list[Order | None] = []
    current: Order | None = None
    zone: list[Cell] = []  # the text since the last run with values (blank cells do not end a header)
    in_run = valued = False
    for cell in cells:
        if cell.kind == "text":
            if in_run and valued:
                zone = []
            in_run = valued = False
            zone.append(cell)
            continue
        valued = valued or cell.kind != "blank"
        if not in_run:
            in_run = True
            found = header_order(zone, labels)
            if found is not None:
                current = found
            out.append(current)
    return out


def header_order(zone: list[Cell], labels: _Labels) -> Order | None:
    """The order a stretch of text cells gives the value columns; None where it names fewer than two
    column words."""
    if not _names_two(zone, labels):
        return None  # most stretches are a row's label: said before their cells are weighed one by one
    return _read_order(zone, labels)


def _read_order(zone: list[Cell], labels: _Labels) -> Order | None:
    """``header_order``, each cell weighed."""
    items = [_item(c, labels) for c in zone]
    known = [it for it in items if it.kind in (_COLUMN, _GROUP)]
    printed = _printed_lines(zone, labels)
    if len(known) < 2:
        named = frozenset(i for found in printed for ids in found for i in ids)
        if len(named) < 2:
            return None
        # Labels run together in a cell (words apart by spaces): an order, but no cells to place by.
        return Order(None, named, printed, labels.grouped, False)
    named = frozenset(i for it in known for i in it.ids)
    explicit = _explicit(zone, {it.line for it in known})
    if explicit:
        ids = _by_lines(items)
    elif all(sum(1 for c in zone if c.line == it.line) == 1 for it in known):
        ids = _by_sequence(items)
    else:
        ids = None
    merged: frozenset[str] = frozenset()
    if ids is not None:
        found = [i for i in ids if i is not None]
        # The columns named but by the table's own header over all of them (申请人情况).
        own = {i for it in known if len(it.ids) < len(labels.rank) for i in it.ids}
        merged = frozenset(own - set(found)) if explicit else frozenset()
        some = explicit and (_merged_alone(items, merged, labels) if merged else None not in ids and set(found) == own)
        if len(found) != len(set(found)) or (set(found) != named and not some):
            # A column named twice, or a group's column not printed by its label (``社会公`` for 社会公益组织, a
            # header cut short): which cell is whose cannot be told from it.
            ids, merged = None, frozenset()
    return Order(ids, named, printed, labels.grouped, explicit, merged=merged)


def _merged_alone(items: list[Item], merged: frozenset[str], labels: _Labels) -> bool:
    """The columns ``merged`` are all those of groups printed over no column labels of their own
    (法人或其他组织 over one cell); not a group's columns some of which lost their labels (``社会公``)."""
    groups = [set(it.ids) for it in items if it.kind == _GROUP and len(it.ids) < len(labels.rank)]
    covered = {i for ids in groups if ids <= merged for i in ids}
    opened = {i for it in items if it.kind == _COLUMN for i in it.ids}
    return covered == merged and not any(ids & merged and ids & opened for ids in groups)


def _names_two(zone: list[Cell], labels: _Labels) -> bool:
    """The cells print two column words or more, counted as ``_printed_lines`` finds them: fewer, and
    ``header_order`` finds no order (a cell that is a column word is one of them)."""
    seen = 0
    for c in zone:
        for _ in labels.pattern.finditer(c.norm):
            seen += 1
            if seen == 2:
                return True
    return False


def _explicit(zone: list[Cell], lines: set[int]) -> bool:
    """The header's lines keep their cell boundaries (a grid, ``|`` or tab rows)."""
    return all(c.blank_source in _EXPLICIT for c in zone if c.line in lines)


def _item(cell: Cell, labels: _Labels) -> Item:
    """One header cell as a column, a group or a column the form has not."""
    norm = cell.norm
    if norm in labels.columns:
        return Item(_COLUMN, (labels.columns[norm],), cell.text, cell.line)
    if norm in labels.groups:
        return Item(_GROUP, labels.groups[norm], cell.text, cell.line)
    if norm in labels.ignored:
        return Item(_STUB, (), cell.text, cell.line)
    return Item(_UNKNOWN, (), cell.text, cell.line)


def _by_lines(items: list[Item]) -> tuple[str | None, ...] | None:
    """The value columns of a header printed a line per header row: each row's cells stand under
    the one group of the row above that they belong to."""
    lines = sorted({it.line for it in items if it.kind in (_COLUMN, _GROUP)})
    seq: list[Item] = []
    for n in lines:
        row = _dedupe([it for it in items if it.line == n])
        # Cells before the first label head the row labels (信息内容, 序号, the table's note).
        first = next(i for i, it in enumerate(row) if it.kind in (_COLUMN, _GROUP))
        while seq and first and row[first - 1].kind == _UNKNOWN and row[first - 1].text.strip():
            first -= 1  # below the first line, a column the form has not right before a group's labels (合计 商业企业 …)
        row = [it for it in row[first:] if it.kind != _STUB]
        if not seq:
            seq = row
            continue
        leaves = {i for it in seq if it.kind == _COLUMN for i in it.ids}
        row = [it for it in row if not (it.kind == _COLUMN and it.ids[0] in leaves)]  # a spanned cell again
        if not row:
            continue
        expanded = _expand(seq, row)
        if expanded is None:
            return None
        seq = expanded
    return _leaves(seq, lines[-1])


def _dedupe(row: list[Item]) -> list[Item]:
    """A line's cells with a spanning cell printed once per column it spans read once."""
    out: list[Item] = []
    for it in row:
        if out and it.kind != _UNKNOWN and out[-1].kind == it.kind and out[-1].ids == it.ids:
            continue
        out.append(it)
    return out


def _expand(seq: list[Item], row: list[Item]) -> list[Item] | None:
    """``seq`` with its open groups replaced by the cells of the header row below them."""
    open_ = [i for i, it in enumerate(seq) if it.kind == _GROUP]
    if len(open_) == 1:
        at = open_[0]
        return [*seq[:at], *row, *seq[at + 1 :]]
    # Several groups: each cell goes under the one whose columns it names.
    under: dict[int, list[Item]] = {i: [] for i in open_}
    for it in row:
        owners = [i for i in open_ if it.ids and set(it.ids) <= set(seq[i].ids)]
        if len(owners) != 1:
            return None
        under[owners[0]].append(it)
    out: list[Item] = []
    for i, it in enumerate(seq):
        out.extend(under[i] if under.get(i) else [it])
    return out


def _by_sequence(items: list[Item]) -> tuple[str | None, ...] | None:
    """The value columns of a header printed one cell a line: a column goes under the group printed
    before it that holds it, else it is a column of its own."""
    top: list[Item] = []
    under: dict[int, list[Item]] = {}
    started = unknown = False
    for it in items:
        if it.kind == _STUB:
            continue
        if it.kind == _UNKNOWN:
            unknown = started  # after the labels: the first row's label, or a column the form has not
            continue
        if unknown:
            return None  # a column the form has not among the labels: where it stands cannot be told
        started = True
        if it.kind == _GROUP and len(it.ids) > 1 and not top and not under and _covers_all(it, items):
            continue  # 申请人情况, over every column
        owner = next((i for i, t in enumerate(top) if t.kind == _GROUP and it.kind == _COLUMN
                      and it.ids[0] in t.ids), None)
        if owner is not None:
            under.setdefault(owner, []).append(it)
        else:
            top.append(it)
    seq: list[Item] = []
    for i, it in enumerate(top):
        seq.extend(under.get(i, [it]))
    return _leaves(seq)


def _covers_all(group: Item, items: list[Item]) -> bool:
    """The group holds every column the header names."""
    return all(set(it.ids) <= set(group.ids) for it in items if it.kind == _COLUMN)


def _leaves(seq: list[Item], bottom: int | None = None) -> tuple[str | None, ...] | None:
    """The value columns, once every group is opened; None where a group's columns were not printed. A group
    on the header's ``bottom`` line, with no line below to open it, is one value column (its columns merged,
    ``Order.merged``)."""
    out: list[str | None] = []
    columns = {it.ids[0] for it in seq if it.kind == _COLUMN}
    for it in seq:
        if it.kind == _GROUP and (it.line != bottom or columns & set(it.ids)):
            return None  # not opened, or opened elsewhere (a header run together on one line)
        out.append(it.ids[0] if it.kind == _COLUMN else None)
    if not any(out):
        return None
    while out and out[0] is None:
        out.pop(0)
    return tuple(out)


def _printed_lines(zone: list[Cell], labels: _Labels) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per line of the zone, the labels printed on it in order (each its columns' ids); a cell of
    words run together (``法人或其他组织 自然人 总计`` apart by spaces) may print several."""
    out: list[tuple[tuple[str, ...], ...]] = []
    for n in sorted({c.line for c in zone}):
        found: list[tuple[str, ...]] = []
        for c in zone:
            if c.line == n and c.kind == "text":
                for m in labels.pattern.finditer(c.norm):
                    word = m.group()
                    found.append(labels.groups.get(word) or (labels.columns[word],))
        if len(found) >= 2:
            out.append(tuple(found))
    return tuple(out)


def _alike(run: Run, k: int) -> bool:
    """A value for every column, all the same (``0 0 0``): in any order they read alike."""
    values = [c for c in run.cells if c.kind != "blank"]
    return len(values) == k and all(c.kind == "number" and c.norm == values[0].norm for c in values)


class Arranged(NamedTuple):
    """A row's run as its header places it."""

    run: Run | None  # None: the header's order is not the statutory one and the row cannot follow it
    moved: bool  # cells were moved or left out by the header
    # The columns the header does not print on their own (merged in their group's one column, or left out):
    # ``run`` holds the cells of the others only, in the order of ``slots``.
    absent: tuple[str, ...] = ()


def arrange(order: Order | None, slots: tuple[str, ...], run: Run, parts: bool = False) -> Arranged:
    """The run's cells in the order of ``slots``, where the header says which column each stands in.

    The run as it is where the header prints the statutory order or says nothing of these columns.
    ``parts``: the table is printed in parts by columns (headers naming different columns), whose rows
    are not each read by the columns their part prints.
    """
    if order is not None and order.ids is not None and order.explicit and not parts and _names_some(order, slots):
        return _some_columns(order.ids, slots, run)
    if order is None or order.named != set(slots):
        return Arranged(run, False)
    ids = order.ids
    if ids is not None and not set(slots) <= set(ids):
        ids = None  # some columns not printed on their own, and the row not read by those printed
    if ids is None:
        return Arranged(None if order.contrary(slots) and not _alike(run, len(slots)) else run, False)
    if ids == slots:
        return Arranged(run, False)
    valued = [c for c in run.cells if c.kind != "blank"]
    if not valued:
        return Arranged(run, False)
    if order.explicit:
        # A value's place is its column: the cells of its line, blanks included.
        cells = [c for c in run.cells if c.line == valued[0].line]
        if len(cells) != len(run.cells) and any(c.kind != "blank" for c in run.cells if c.line != valued[0].line):
            cells = []
    else:
        cells = valued
    n = len(ids)
    if not cells or len(cells) > n or any(i is not None for i in ids[len(cells):]):
        # Cells missing in columns the form has: where the order is the statutory one, read as ever.
        core = ids[: max((i for i, x in enumerate(ids) if x is not None), default=-1) + 1]
        return Arranged(run if core == slots else None, False)
    if not order.explicit and len(cells) != n:
        return Arranged(None, False)
    picked = [cells[ids.index(key)] for key in slots]
    return Arranged(Run(picked, run.pre, run.post, beside=run.beside), True)


def in_parts(orders: list[Order | None]) -> bool:
    """The headers name different columns each on their own: a table split by columns into parts."""
    named = {frozenset(i for i in o.ids if i is not None) for o in orders if o is not None and o.ids is not None}
    return len(named) > 1


def _names_some(order: Order, slots: tuple[str, ...]) -> bool:
    """The header prints some of the row's columns on their own and not the others (a group merged into one
    column, or columns left out: 自然人 | 总计), every value column one of the form's or a merged group."""
    assert order.ids is not None
    own = {i for i in order.ids if i is not None}
    if order.merged:
        return order.named == set(slots) and own == set(slots) - order.merged
    return len(own) >= 2 and own < set(slots) and None not in order.ids


def _some_columns(ids: tuple[str | None, ...], slots: tuple[str, ...], run: Run) -> Arranged:
    """The run's cells under the columns the header prints, where the row has a cell for each of its value
    columns (its line, blanks included); the run as it is otherwise (too few numbers: a finding on the row)."""
    valued = [c for c in run.cells if c.kind != "blank"]
    if not valued:
        return Arranged(run, False)
    cells = [c for c in run.cells if c.line == valued[0].line]
    if len(cells) != len(ids) or any(c.kind != "blank" for c in run.cells if c.line != valued[0].line):
        return Arranged(run, False)
    picked = [cells[ids.index(key)] for key in slots if key in ids]
    return Arranged(Run(picked, run.pre, run.post, beside=run.beside), True, tuple(k for k in slots if k not in ids))


# -- 表四: its groups side by side, one line of values -------------------------------------------


def line_order(zone: list[Cell], table: Table, template: str) -> Order | None:
    """The order 表四's header gives its line of values (each "group.column", None for a column the form
    has not); None where the header names fewer than two column words."""
    labels = _labels(table, template)
    line = _line_labels(table, template)
    items: list[Item] = []
    for c in zone:
        if c.kind != "text":
            continue
        if c.norm in labels.columns:
            items.append(Item(_COLUMN, (labels.columns[c.norm],), c.text, c.line))
        elif c.norm in line.rows:
            items.append(Item(_ROW, (line.rows[c.norm],), c.text, c.line))
        elif c.norm in line.groups:
            items.append(Item(_GROUP, line.groups[c.norm], c.text, c.line))
        else:
            items.append(Item(_UNKNOWN, (), c.text, c.line))
    # Per line, the column labels printed on it (words apart by spaces run together in one cell).
    by_line: dict[int, list[int]] = {}
    for c in zone:
        if c.kind == "text":
            by_line.setdefault(c.line, []).extend(labels.rank[labels.columns[m.group()]]
                                                  for m in labels.pattern.finditer(c.norm))
    if sum(len(ranks) for ranks in by_line.values()) < 2:
        return None
    explicit = _explicit(zone, {it.line for it in items if it.kind != _UNKNOWN})
    has_cells = sum(it.kind == _COLUMN for it in items) >= 2
    ids = _line_ids(items, line.width, line.count) if explicit and has_cells else None
    # A line of column labels that the groups' labels in the statutory order, in turn, cannot print even
    # with some lost (a picture's garbled header cell): 总计 first, say.
    columns_against = any(not _subsequence(ranks, line.statutory) for ranks in by_line.values())
    groups_against = _groups_against(zone, line)
    # Groups moved whole, each's columns in the statutory order: the groups' order places a line of all fifteen.
    groups = None if columns_against or not groups_against else group_order(zone, table, template)
    return Order(ids, line.named, (), frozenset(), explicit, columns_against or groups_against, groups)


def _groups_against(zone: list[Cell], line: _LineLabels) -> bool:
    """The groups' labels printed in another order than the statutory one (行政诉讼 before 行政复议, 复议后起诉
    before 未经复议直接起诉): the values cannot be read group after group in the statutory order.

    Where the header's lines are rows of the page (two groups' labels side by side on one), only labels
    side by side tell their order: a label on a line of its own is centred on header rows it spans."""
    printed = _groups_by_line(zone, line)
    if any(len(words) > 1 for words in printed):
        return any(_descends([line.rank[word] for word in words]) for words in printed)
    return _in_turn_against(_first_printed(zone, line), line)


def _in_turn_against(seen: list[str], line: _LineLabels) -> bool:
    """Labels printed one after another in another order than the statutory one."""
    top = [line.rank[word] for word in seen if word not in line.inner]
    inner = [line.rank[word] for word in seen if word in line.inner]
    return _descends(top) or _descends(inner)


def _groups_by_line(zone: list[Cell], line: _LineLabels) -> list[list[str]]:
    """Per line of header cells, the groups' labels printed on it, in the order first printed (a cell per column
    may repeat its group's label: ``行政诉讼 复议后起诉 | 行政诉讼 …``)."""
    by_line: dict[int, dict[str, None]] = {}
    for c in zone:
        if c.kind == "text" and line.header.fullmatch(c.norm):
            by_line.setdefault(c.line, {}).update((m.group(), None) for m in line.groups_pattern.finditer(c.norm))
    return [list(words) for words in by_line.values() if words]


def groups_moved(zone: list[Cell], table: Table, template: str) -> bool:
    """The groups' labels in a stretch of 表四's cells that may hold several pieces of the table, each with its
    header, printed in another order than the statutory one: one piece's captions come after another's values."""
    return _in_turn_against(_first_printed(zone, _line_labels(table, template)), _line_labels(table, template))


def groups_unsure(zone: list[Cell], table: Table, template: str) -> bool:
    """The header's lines are rows of the page, and the groups that stand side by side at its top are printed
    each on a line of its own, in another order than the statutory one: which stands left cannot be told.

    The official form centres 行政复议 on the two header rows it spans, so a page's text prints it on a line
    below 行政诉讼's, as it would print 行政复议 standing right of 行政诉讼; the statutory order is the likelier.
    """
    line = _line_labels(table, template)
    printed = _groups_by_line(zone, line)
    if not any(len(words) > 1 for words in printed) or _groups_against(zone, line):
        return False
    if any(len({line.top[word] for word in words}) > 1 for words in printed):
        return False  # a line relates the top groups: their order is told
    return _in_turn_against(_first_printed(zone, line), line)


def _first_printed(zone: list[Cell], line: _LineLabels) -> list[str]:
    """The groups' labels in the order first printed, in cells of header words only (a grid repeats a
    spanning cell; prose that names the groups is not a header), whether the cells stand a line each or
    side by side or run together in one cell (words apart by spaces)."""
    seen: dict[str, None] = {}
    for c in zone:
        if c.kind == "text" and line.header.fullmatch(c.norm):
            seen.update((m.group(), None) for m in line.groups_pattern.finditer(c.norm))
    return list(seen)


def group_order(zone: list[Cell], table: Table, template: str) -> tuple[str, ...] | None:
    """The groups (row ids) of 表四 in the order its header prints them side by side, a group over others
    (行政诉讼) standing for those printed under it; None where some group is not printed by its own label
    (行政诉讼 alone over five columns) or twice."""
    out = captioned_groups(zone, table, template)
    return out if sorted(out) == sorted(_line_labels(table, template).rows.values()) else None


def captioned_groups(zone: list[Cell], table: Table, template: str) -> tuple[str, ...]:
    """The groups (row ids) of 表四 the header cells of ``zone`` print, in the order printed; a group over
    others (行政诉讼) stands for those printed under it, or for all of them where none is."""
    line = _line_labels(table, template)
    out: list[str] = []
    seen = _first_printed(zone, line)
    for word in seen:
        if word in line.rows and line.rows[word] not in out:
            out.append(line.rows[word])
        elif word in line.groups:
            under = [rid for w in seen if w in line.rows and (rid := line.rows[w]) in line.groups[word]]
            out.extend(rid for rid in (under or line.groups[word]) if rid not in out)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _LineLabels:
    """表四's row (group) words for one format, beside its column words (``_Labels``)."""

    rows: dict[str, str]  # a group's label → its row id
    groups: dict[str, tuple[str, ...]]  # a label over several groups → their row ids
    width: int  # the columns of a group
    count: int  # the groups (rows)
    named: frozenset[str]  # every "group.column"
    statutory: list[int]  # the columns' ranks, group after group, in the statutory order
    rank: dict[str, int]  # a group's label → its place in the statutory order (a group over others: its first's)
    inner: frozenset[str]  # the labels of the groups that stand under another (未经复议直接起诉)
    top: dict[str, str]  # a group's label → the label of the group at the header's top it stands in (itself, or 行政诉讼)
    groups_pattern: re.Pattern[str]  # any group's label, longest first
    # A cell of header words only: groups' and columns' labels, after the row labels' header (项目) at most.
    header: re.Pattern[str]


_LINE_LABELS: dict[tuple[str, str], _LineLabels] = {}


def _line_labels(table: Table, template: str) -> _LineLabels:
    """表四's row words for one format (worked out once)."""
    found = _LINE_LABELS.get((table.id, template))
    if found is None:
        found = _LINE_LABELS[(table.id, template)] = _make_line_labels(table, template)
    return found


def _make_line_labels(table: Table, template: str) -> _LineLabels:
    """``_line_labels``, worked out."""
    rows = table.rows_for(template)
    width = len(table.columns_for(template))
    row_words = {norm_label(r.label_for(template)): r.id for r in rows}
    group_words: dict[str, tuple[str, ...]] = {}
    for r in rows:
        if r.group:
            group_words[norm_label(r.group)] = (*group_words.get(norm_label(r.group), ()), r.id)
    named = frozenset(f"{r.id}.{c.id}" for r in rows for c in table.columns_for(template))
    inner = frozenset(norm_label(r.label_for(template)) for r in rows if r.group)
    order = {r.id: i for i, r in enumerate(rows)}
    rank = {**{w: order[i] for w, i in row_words.items()}, **{w: min(order[i] for i in ids) for w, ids in group_words.items()}}
    top = {**{w: next((g for g, ids in group_words.items() if i in ids), w) for w, i in row_words.items()},
           **{w: w for w in group_words}}
    words = sorted({*row_words, *group_words}, key=len, reverse=True)
    every = sorted({*words, *(norm_label(lab) for c in table.columns_for(template) for lab in c.labels())},
                   key=len, reverse=True)
    return _LineLabels(row_words, group_words, width, len(rows), named, list(range(width)) * len(rows),
                       rank, inner, top, re.compile("|".join(map(re.escape, words))),
                       re.compile(f"[^\\d]{{0,4}}?(?:{'|'.join(map(re.escape, every))})+"))


_ROW = "row"


def _line_ids(items: list[Item], width: int, groups: int) -> tuple[str | None, ...] | None:
    """Each value cell's "group.column" (None: a column the form has not), from a header printed a line
    per header row: the groups (and groups the form has not, 合计) above, a block of column labels under
    each, a column the form has not (复议诉讼合计) over a single cell."""
    lines = sorted({it.line for it in items if it.kind != _UNKNOWN})
    bottom = max(it.line for it in items if it.kind == _COLUMN)
    blocks = _blocks([it for it in items if it.line == bottom], width)
    if blocks is None:
        return None
    seq: list[Item] = []
    for n in lines:
        if n == bottom:
            break
        row = [it for it in items if it.line == n]
        if not seq:  # cells before the first label head the row labels; below, a group the form has not
            seq = row[next(i for i, it in enumerate(row) if it.kind != _UNKNOWN) :]
            continue
        expanded = _expand(seq, row)
        if expanded is None:
            return None
        seq = expanded
    takers = [it for it in seq if it.kind == _ROW]
    unknown = sum(1 for it in seq if it.kind == _UNKNOWN)
    # Some groups may be left out of the header (复议后起诉 not printed), or printed as one (行政诉讼 over a single
    # block, not split): the others are read, a merged group's block skipped, the line as wide.
    merged = [it for it in seq if it.kind == _GROUP]
    if len({it.ids for it in takers}) != len(takers) or not takers or (merged and len(takers) == groups):
        return None
    if len(takers) < groups and any(it.kind not in (_ROW, _UNKNOWN, _GROUP) for it in seq):
        return None  # a group left out, and column labels among the groups': which block is whose is unclear
    if len(blocks) == len(takers) + len(merged) + unknown:
        unknown_width = width  # each column the form has not is a group of its own, with its block
    elif len(blocks) == len(takers) + len(merged):
        unknown_width = 1
    else:
        return None
    out: list[str | None] = []
    taken = iter(blocks)
    for it in seq:
        if it.kind == _ROW:
            out.extend(f"{it.ids[0]}.{c}" for c in next(taken))
        elif it.kind == _GROUP or unknown_width == width:
            next(taken)
            out.extend([None] * width)
        else:
            out.append(None)
    return tuple(out)


def _blocks(bottom: list[Item], width: int) -> list[tuple[str, ...]] | None:
    """The bottom header row's column labels cut into groups: each ``width`` labels, every column once."""
    if any(it.kind != _COLUMN for it in bottom) or len(bottom) % width:
        return None
    out = [tuple(it.ids[0] for it in bottom[i : i + width]) for i in range(0, len(bottom), width)]
    return out if all(len(set(b)) == width for b in out) else None


# -- a column of serial numbers before the row labels (序号) ----------------------------------------

_MIN_SERIALS = 3  # rows numbered in turn: fewer could be a coincidence of values


def serial_numbers(cells: list[Cell], table: Table, template: str) -> set[int]:
    """The cells (by ``id``) of a column that numbers the rows (序号, 1 2 3 …), printed before the row
    labels: each row's number lands after the row before's values.

    Only where the header prints a column the form has not before the row labels' header, and the
    numbers run 1, 2, 3 … in turn, each the last value before a row's label (and, where the cell
    boundaries are kept, the first cell of its line).
    """
    first = next((i for i, c in enumerate(cells) if c.kind != "text"), len(cells))
    if not _unknown_before_stub(cells[:first], _labels(table, template)):
        return set()
    explicit = all(c.blank_source in _EXPLICIT for c in cells if c.kind != "text")
    marked: set[int] = set()
    expected = 1
    run: list[Cell] = []
    for cell in [*cells, None]:
        if cell is not None and cell.kind != "text":
            if cell.kind != "blank":
                run.append(cell)
            continue
        if (run and run[-1].kind == "number" and run[-1].value == expected and run[-1].bare_digits
                and (not explicit or _opens_line(run[-1], cells))):
            marked.add(id(run[-1]))
            expected += 1
        run = []
    return marked if len(marked) >= _MIN_SERIALS else set()


def _unknown_before_stub(cells: list[Cell], labels: _Labels) -> bool:
    """A cell of a column the form has not stands before the first cell heading the row labels (信息内容)."""
    unknown = False
    for c in cells:
        norm = c.norm
        if norm in labels.columns or norm in labels.groups:
            continue
        if norm in labels.ignored:
            return unknown
        unknown = True
    return False


def _opens_line(cell: Cell, cells: list[Cell]) -> bool:
    """The cell is the first of its line that is not blank."""
    return next(c for c in cells if c.line == cell.line and c.kind != "blank") is cell


def _subsequence(part: list[int], whole: list[int]) -> bool:
    """``part`` is ``whole`` with some items left out."""
    rest = iter(whole)
    return all(x in rest for x in part)  # each ``in`` goes on from where the last one stopped
