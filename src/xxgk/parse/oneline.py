"""Table 四's one line of values → each cell in the column the header gives it.

表四 prints its three groups side by side: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) over
five sub-columns each, then one line of fifteen cells. Where the document keeps the cell
boundaries (a table grid, ``|`` rows), a blank cell holds its place, and the cells of the
value line stand in the header's columns in order. Where it does not (text apart by spaces,
one cell a line), a line short of fifteen numbers cannot say which cells were blank.

The numbers are never placed by counting the non-blank ones: every placement the text
allows is worked out (blank cells just before or after the line may belong to it or not),
and a group's values are stated only where every such placement puts the same cells in its
five columns. Elsewhere the group is null, with a finding on its row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xxgk.model import Finding, Number
from xxgk.parse.cells import Cell
from xxgk.parse.normalize import norm_label
from xxgk.parse.rows import Run
from xxgk.parse.values import RowValues, Slots, cell_value, not_a_number, run_to_values
from xxgk.templates import Column, Row, Table

# Whether the values of all groups, flat ("review.upheld" → 1), satisfy the row relations.
Consistent = Callable[[dict[str, int]], bool]
_EXPLICIT = ("grid", "pipe")


@dataclass(slots=True)
class ValueLine:
    """The value cells of the line (first to last number), and the blank cells around them."""

    cells: list[Cell]
    lead: int  # blank cells just before, that may be the line's first cells
    trail: int  # blank cells just after, that may be its last cells
    explicit: bool  # cell boundaries kept (grid or ``|``): a blank cell holds its place


def first_header_cell(cells: Sequence[Cell], table: Table) -> int:
    """Index of the first cell of table 四's header (its values follow it).

    Any group's label opens it: a header may print 行政诉讼 before 行政复议, and cut there it would
    lose the groups' order."""
    groups = {g for r in table.rows for g in (r.label_for("2021"), r.group) if g}
    words = [norm_label(w) for w in (*sorted(groups), *table.markers)]
    for i, c in enumerate(cells):
        if c.kind == "text" and any(w in c.norm for w in words):
            return i
    return 0


def value_runs(cells: Sequence[Cell], header: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of every stretch of non-text cells that holds a number or a "/".

    Text that is only a piece of the header (``总计`` printed after the values by a PDF's
    reading order) does not end a stretch; the caller skips it.
    """
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(cells):
        if cells[i].kind == "text":
            i += 1
            continue
        j = i
        while j < len(cells) and (cells[j].kind != "text" or _header_piece(cells, j, header)):
            j += 1
        while cells[j - 1].kind == "text":
            j -= 1
        if any(c.kind in ("number", "na") for c in cells[i:j]):
            out.append((i, j))
        i = j
    return out


def _header_piece(cells: Sequence[Cell], j: int, header: frozenset[str]) -> bool:
    """A text cell between numbers that is a fragment of a header label (not a row label)."""
    if not header or j + 1 >= len(cells) or cells[j + 1].kind == "text":
        return False
    return any(cells[j].norm in label for label in header)


def header_words(table: Table) -> frozenset[str]:
    """The column labels of 表四 (normalised): the words a header is printed with."""
    return frozenset(norm_label(lab) for c in table.columns for lab in c.labels())


def transposed_lines(cells: Sequence[Cell], start: int, end: int, table: Table,
                     template: str) -> list[tuple[str, list[Cell]]] | None:
    """表四 printed transposed (its groups as columns, 结果维持 … 总计 as rows): for each line of
    ``cells[start:end]`` (and the label just before it), the column its label names and the cells after
    the label; None where the values are not cut so, line by line, by column labels opening the lines.

    Read as one line, such a table gives its numbers row by row to the statutory order of the groups'
    columns: wrong wherever they are not all alike."""
    words = {norm_label(lab): c.id for c in table.columns_for(template) for lab in c.labels()}
    first = start
    while first < end and cells[first].kind == "blank":
        first += 1  # a grid's blank cells before the label (an empty column before the row labels)
    if first == end or cells[first].kind != "text":
        first = start - 1  # the label ends the text before the values
    if first < 0 or cells[first].kind != "text" or cells[first].norm not in words:
        return None
    opens = [i for i in range(first, end) if cells[i].kind == "text" and cells[i].norm in words
             and _opens_line(cells, i)]
    if len(opens) < 2 or any(cells[i].kind == "text" for i in range(start, end) if i not in opens):
        return None
    per_line = Counter(c.line for c in cells[first:end])
    alone = all(n == 1 for n in per_line.values())  # one cell a line: a label's cells are the lines after it
    out: list[tuple[str, list[Cell]]] = []
    for at, nxt in zip(opens, [*opens[1:], end], strict=True):
        line = [c for c in cells[at + 1 : nxt] if alone or c.line == cells[at].line]
        if any(c.line != cells[at].line and c.kind != "blank" for c in cells[at + 1 : nxt]) and not alone:
            return None
        out.append((words[cells[at].norm], line))
    return out


def _opens_line(cells: Sequence[Cell], i: int) -> bool:
    """No cell but blank ones before ``cells[i]`` on its line."""
    j = i - 1
    while j >= 0 and cells[j].line == cells[i].line:
        if cells[j].kind != "blank":
            return False
        j -= 1
    return True


def value_line(cells: Sequence[Cell], start: int, end: int) -> ValueLine:
    """The value line within ``cells[start:end]`` and the blank cells that may belong to it.

    A blank cell next to the line belongs to it if it stands on the same physical line, or,
    in a layout of one cell a line, on a line of its own; a row of several blank cells (a
    header row's padding) does not.
    """
    per_line = Counter(c.line for c in cells)
    valued = [i for i in range(start, end) if cells[i].kind in ("number", "na")]
    first, last = valued[0], valued[-1]
    line = [c for c in cells[first : last + 1] if c.kind != "text"]

    def belongs(i: int, anchor: Cell) -> bool:
        c = cells[i]
        if c.kind != "blank":
            return False
        return c.line == anchor.line or (per_line[c.line] == 1 and per_line[anchor.line] == 1)

    lead = 0
    i = first - 1
    while i >= 0 and belongs(i, cells[first]):
        lead, i = lead + 1, i - 1
    trail = 0
    i = last + 1
    while i < len(cells) and belongs(i, cells[last]):
        trail, i = trail + 1, i + 1
    around = [*cells[first - lead : first], *line, *cells[last + 1 : last + 1 + trail]]
    explicit = all(c.blank_source in _EXPLICIT for c in around)
    return ValueLine(line, lead, trail, explicit)


def placements(line: ValueLine, k: int) -> tuple[list[list[Cell | None]], bool]:
    """Every way the value line can stand in ``k`` columns (None: a blank position).

    The second item is False when the line is shorter than ``k`` even with the blank cells
    around it: then it could start at any column.
    """
    s = len(line.cells)
    lo, hi = max(0, k - s - line.trail), min(line.lead, k - s)
    known = lo <= hi
    leads = range(lo, hi + 1) if known else range(0, k - s + 1)
    out: list[list[Cell | None]] = []
    for lead in leads:
        out.append([None] * lead + list(line.cells) + [None] * (k - s - lead))
    return out, known


class OneLineReader:
    """Reads 表四's fifteen cells from the cells of its region."""

    def __init__(self, table: Table, template: str, consistent: Consistent) -> None:
        self.table = table
        self.template = template
        self.rows: tuple[Row, ...] = table.rows_for(template)
        self.columns: tuple[Column, ...] = table.columns_for(template)
        self.slots: Slots = tuple((f"{r.id}.{c.id}", c) for r in self.rows for c in self.columns)
        self.consistent = consistent

    def read(self, cells: Sequence[Cell], start: int, end: int) -> RowValues:
        """The flat values ("review.upheld" → n) of the value line in ``cells[start:end]``."""
        line = value_line(cells, start, end)
        k = len(self.slots)
        under = self._under_header(cells, line)
        if under is not None:
            return self._place_by_position(ValueLine(under, 0, 0, True))
        if line.explicit and len(line.cells) <= k:
            return self._place_by_position(line)
        valued = sum(1 for c in line.cells if c.kind in ("number", "na"))
        if line.explicit and valued < k:
            # More cells than columns, some blank: which of them are the table's is unknown.
            return self._unplaced(f"表四一行有{len(line.cells)}格（多于{k}列），其中{valued}格有数字，无法确定各数字所在的列")
        return self._place_by_count(line)

    def _unplaced(self, why: str) -> RowValues:
        out = RowValues({key: None for key, _ in self.slots})
        for row in self.rows:
            out.findings.append(_finding("PARSE-ROW-SHORT", "warning", f"{self.table.id}.{row.id}",
                                         f"“{self._label(row)}”一组：{why}，该组数值未采用，请核对原文"))
        return out

    def _under_header(self, cells: Sequence[Cell], line: ValueLine) -> list[Cell] | None:
        """The value row's fifteen cells, found under the header's bottom row (a table grid).

        Where the value row and the header row above it have as many cells, the header's last
        column label (总计) says where the fifteen end; row-label columns before them and
        padding after them are not values.
        """
        number = line.cells[0].line
        row = [c for c in cells if c.line == number]
        if any(c.blank_source != "grid" for c in row) or any(c.line != number for c in line.cells):
            return None
        labels = {norm_label(c.label_for(self.template)) for c in self.columns}
        header_line: int | None = None  # the last line above the value row holding a column label
        for c in cells:
            if c.line >= number:
                break
            if c.blank_source == "grid" and c.kind == "text" and c.norm in labels:
                header_line = c.line
        header = [h for h in cells if h.line == header_line] if header_line is not None else []
        if len(header) != len(row):
            return None
        last = max(i for i, h in enumerate(header) if h.kind == "text" and h.norm in labels) + 1
        k = len(self.slots)
        if last < k or any(c.kind in ("number", "na") for c in row[: last - k] + row[last:]):
            return None
        return row[last - k : last]

    # -- cell boundaries kept ------------------------------------------------------------
    def _place_by_position(self, line: ValueLine) -> RowValues:
        k = len(self.slots)
        options, known = placements(line, k)
        out = RowValues({key: None for key, _ in self.slots})
        n = len(self.columns)
        for g, row in enumerate(self.rows):
            where = f"{self.table.id}.{row.id}"
            label = self._label(row)
            seen = {tuple(id(c) if c is not None else None for c in p[g * n : (g + 1) * n]) for p in options}
            if len(seen) != 1:
                reason = ("这一行的格数少于表头的15列" if not known
                          else "这一行前后的空白格可能属于它也可能不属于它")
                out.findings.append(_finding(
                    "PARSE-ROW-SHORT", "warning", where,
                    f"“{label}”一组：表四的数字在同一行，{reason}，无法确定各数字所在的列，该组数值未采用，请核对原文"))
                continue
            self._take(out, g, options[0][g * n : (g + 1) * n])
        return out

    def _take(self, out: RowValues, g: int, placed: Sequence[Cell | None], unread: frozenset[str] = frozenset()) -> None:
        """The ``g``-th group's cells, each in its column (None: a blank position), but the columns in
        ``unread`` (left null, their finding made by the caller)."""
        n = len(self.columns)
        row = self.rows[g]
        label = self._label(row)
        blanks: list[str] = []
        for (key, col), cell in zip(self.slots[g * n : (g + 1) * n], placed, strict=True):
            if col.id in unread:
                continue
            if cell is None or cell.kind == "blank":
                blanks.append(col.label_for(self.template))
            elif cell.kind == "na":
                out.findings.append(not_a_number(f"{self.table.id}.{key}", label, col.label_for(self.template), cell))
            elif cell.value is None:
                blanks.append(col.label_for(self.template))
            else:
                value, finding = cell_value(cell, col, self.template, f"{self.table.id}.{key}", label)
                if finding is not None:
                    out.findings.append(finding)
                if value is not None:
                    out.values[key] = value
                    out.sources[key] = cell
        if blanks:
            out.findings.append(_finding(
                "PARSE-CELL-BLANK", "warning", f"{self.table.id}.{row.id}",
                f"“{label}”一组的{'、'.join(blanks)}为空白，按空缺（null）处理，未视为0"))

    def take_line(self, cells: Sequence[Cell | None]) -> RowValues:
        """The line's cells in the statutory order, a group's all None where the header leaves it out."""
        out = RowValues({key: None for key, _ in self.slots})
        n = len(self.columns)
        for g, row in enumerate(self.rows):
            placed = cells[g * n : (g + 1) * n]
            if any(c is not None for c in placed):
                self._take(out, g, placed)
                continue
            out.findings.append(_finding(
                "PARSE-HEADER-MERGED", "warning", f"{self.table.id}.{row.id}",
                f"表头没有单独列出“{self._label(row)}”一组（未列出，或与另一组合为一组），该组按空缺（null）处理，请核对原文"))
        return out

    # -- transposed: the groups as columns, a line a column ---------------------------------
    def read_transposed(self, groups: tuple[str, ...] | None, lines: list[tuple[str, list[Cell]]]) -> RowValues:
        """The values of 表四 printed transposed: ``groups`` the row ids its header prints as columns, in
        order (None where it cannot be told), ``lines`` each column's label and the cells after it."""
        if groups is None or sorted(groups) != sorted(r.id for r in self.rows):
            return self._unplaced("表四行列互换（各组印作列），表头未能说明各列是哪一组，无法确定各数字所在的组")
        k = len(groups)
        by_column: dict[str, list[Cell] | None] = {}
        for col, cells in lines:
            line = list(cells)
            if not all(c.blank_source in _EXPLICIT for c in line):
                line = [c for c in line if c.kind != "blank"]  # no cell boundaries: the numbers alone
            while len(line) > k and line[-1].kind == "blank":
                line.pop()  # a grid's padding after the table's cells
            by_column[col] = line if col not in by_column and len(line) == k else None
        unread = frozenset(c.id for c in self.columns if by_column.get(c.id) is None)
        out = RowValues({key: None for key, _ in self.slots})
        index = {r.id: g for g, r in enumerate(self.rows)}
        for at, rid in enumerate(groups):
            g = index[rid]
            placed = [got[at] if (got := by_column.get(c.id)) else None for c in self.columns]
            self._take(out, g, placed, unread)
            if unread:
                names = "、".join(c.label_for(self.template) for c in self.columns if c.id in unread)
                out.findings.append(_finding(
                    "PARSE-ROW-SHORT", "warning", f"{self.table.id}.{rid}",
                    f"“{self._label(self.rows[g])}”一组：表四行列互换（各组印作列），{names}一行未印出、重复，"
                    f"或格数不是{k}格，该项数值未采用，请核对原文"))
        return out

    # -- no cell boundaries: only the count of numbers ------------------------------------
    def _place_by_count(self, line: ValueLine) -> RowValues:
        valued = [c for c in line.cells if c.kind in ("number", "na")]
        k = len(self.slots)
        if len(valued) < k and not _may_be_glued(valued, k):
            return self._unplaced(f"表四一行只读到{len(valued)}个数字（应有{k}个），原文没有单元格边界，无法确定空白的是哪几格")
        rv = run_to_values(self.table.id, self.table.title, self.slots, self.template,
                           Run(valued, "", ""), self.consistent)
        return self._findings_on_rows(rv)

    def _findings_on_rows(self, rv: RowValues) -> RowValues:
        """A finding about the whole line concerns every group: one on each group's row."""
        out: list[Finding] = []
        for f in rv.findings:
            if f.where != self.table.id:
                out.append(f)
                continue
            for row in self.rows:
                out.append(Finding(rule=f.rule, severity=f.severity, where=f"{self.table.id}.{row.id}",
                                   message=f"“{self._label(row)}”一组：{f.message}"))
        rv.findings = out
        return rv

    def _label(self, row: Row) -> str:
        label = row.label_for(self.template)
        return f"{row.group}·{label}" if row.group else label


def _may_be_glued(cells: list[Cell], k: int) -> bool:
    """Digits of neighbouring cells may have run together (one line, digits enough for ``k``)."""
    return (len({c.line for c in cells}) == 1 and all(c.kind == "number" and c.bare_digits for c in cells)
            and sum(ch.isdigit() for c in cells for ch in c.norm) >= k)


def header_printed(text: str, rows: Sequence[Row], columns: Sequence[Column], template: str) -> bool:
    """The group captions and most column labels of 表四 are printed (a header cut short counts)."""
    groups = {r.label_for(template) for r in rows} | {r.group for r in rows if r.group}
    if not all(norm_label(g) in text for g in groups):
        return False
    return sum(1 for c in columns if _label_printed(norm_label(c.label_for(template)), text)) >= len(columns) - 2


def _label_printed(label: str, text: str) -> bool:
    """A column label printed whole, or wrapped in its narrow cell: its first half on one line,
    its second half on the next, which a page read line by line (a PDF opened in Word) prints
    apart (``结果 结果 其他 尚未`` above ``维持 纠正 结果 审结``)."""
    if label in text:
        return True
    half = len(label) // 2
    if half < 2:
        return False
    first = text.find(label[:half])
    return first >= 0 and text.find(label[half:], first + half) >= 0


def regroup(flat: dict[str, Number | None]) -> dict[str, dict[str, Number | None]]:
    """``{"review.upheld": 1}`` → ``{"review": {"upheld": 1}}``."""
    out: dict[str, dict[str, Number | None]] = {}
    for key, value in flat.items():
        row, col = key.split(".", 1)
        out.setdefault(row, {})[col] = value
    return out


def _finding(rule: str, severity: str, where: str, message: str) -> Finding:
    return Finding(rule=rule, severity=severity, where=where, message=message)  # type: ignore[arg-type]
