"""A table region of the document → the statutory table (values, sources, findings).

The pipeline: ``region_to_cells`` → ``choose_template`` → ``cells_to_runs`` → ``align`` →
``run_to_values`` → ``resolve_glued_rows``; ``TableReader`` composes it for one table.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from math import prod
from typing import NamedTuple

from xxgk.model import Finding, TableData
from xxgk.parse.blocks import redistribute
from xxgk.parse.cells import Cell, is_markdown_rule, is_run_together, line_to_cells
from xxgk.parse.header import (
    Arranged,
    Order,
    arrange,
    captioned_groups,
    group_order,
    groups_moved,
    groups_unsure,
    in_parts,
    line_order,
    serial_numbers,
    zone_headers,
)
from xxgk.parse.memo import by_identity
from xxgk.parse.normalize import norm_label
from xxgk.parse.oneline import (
    OneLineReader,
    first_header_cell,
    header_printed,
    header_words,
    regroup,
    transposed_lines,
    value_runs,
)
from xxgk.parse.regions import Span
from xxgk.parse.rows import (
    Run,
    align,
    cells_to_runs,
    label_present,
    named_past_a_header,
    printed_forms,
    region_text,
    row_forms,
    short_cores,
)
from xxgk.parse.values import RowValues, Slots, empty_row, run_to_values, slot_keys, slots_of
from xxgk.read.document import Document, Line
from xxgk.templates import Column, Row, Table, statutory
from xxgk.templates.relations import all_hold

MAX_COMBINATIONS = 20000


@dataclass(slots=True)
class TableRead:
    """One table as read: None data when the document does not contain it."""

    data: TableData | None
    template: str | None = None
    sources: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Rows left null because their digits ran together and could be cut several ways: row id
    # → the cells (the report's prose may still tell the cut, see ``parse/stated.py``).
    glued: dict[str, list[Cell]] = field(default_factory=dict)
    # The format the region tells by its labels or its rows' counts of numbers (``choose_template``), None
    # when it tells none (or both, unsettled).
    printed: str | None = None


def holds_markdown(norm: str) -> bool:
    """Whether the (normalised) document holds Markdown tables: a ``|---|`` line under a header."""
    # "---" alone: converters also space the rule (markdownify's ``| --- | --- |``).
    return "---" in norm and any(is_markdown_rule(ln) for ln in norm.split("\n"))


def region_to_cells(doc: Document, norm: str, span: Span, markdown: bool | None = None) -> list[Cell]:
    """The cells of every line that falls inside ``span``.

    ``markdown``: ``holds_markdown(norm)``, when the caller has it (a property of the whole document).
    """
    cells: list[Cell] = []
    if markdown is None:
        markdown = holds_markdown(norm)
    lines = doc.lines
    width = 0  # cells in the header row of the Markdown table being read
    stub = False  # its first column holds row labels (类别, 项目), not values
    separated: list[tuple[int, int, int]] = []  # rows of text apart by ``|`` or tabs: (line, first cell, cells)
    # Lines are in offset order: start at the one holding the span's start, stop past its end.
    start, stop = span.start, span.end
    first = max(0, bisect_right(lines, start, key=_line_offset) - 1)
    for idx in range(first, len(lines)):
        line = lines[idx]
        offset = line.offset
        if offset >= stop:
            break
        text = line.text
        end = offset + len(text)
        if end <= start:
            continue
        line_norm = norm[offset:end]
        if line.cells is not None:
            got = line_to_cells(line, line_norm)
            for c in got:
                if c.kind == "number" or c.kind == "na":
                    if stub and got[0].kind == "blank":
                        # Under a header whose first column holds row labels (类别, 项目), a blank first
                        # cell is an empty label, not a blank value.
                        got[0] = replace(got[0], kind="text")
                    break
            else:  # no values: a header row, whose first cell may head the row labels
                stub = bool(got) and _stub_header(got[0])
            cells.extend(got)
            continue
        if not markdown and not line_norm.strip() and not text.strip():
            continue  # a blank line: no cells (in Markdown it ends a table, below)
        # Whether cells lost their separators is a property of the whole line.
        flat = is_run_together(line_norm)
        if start > offset or stop < end:
            # A region boundary inside a line (a run-together table): read only our part.
            lo, hi = max(start, offset) - offset, min(stop, end) - offset
            sub = Line(text[lo:hi], offset + lo, line.number)
            got = line_to_cells(sub, line_norm[lo:hi], flat, markdown)
        else:
            got = line_to_cells(line, line_norm, flat, markdown)
        if not markdown:
            if got and _keeps_boundaries(text, line_norm):
                separated.append((idx, len(cells), len(got)))
            cells.extend(got)
            continue
        if idx + 1 < len(lines) and is_markdown_rule(rule := _line_norm(norm, lines[idx + 1])):
            got = _header_row(got)
            # The rule says how wide the table is (a header of empty cells, ``|  |  |``, reads one cell more).
            width, stub = _rule_width(rule) or len(got), bool(got) and _stub_header(got[0])
        elif width and len(got) == width and text.lstrip().startswith("|"):
            # A row as wide as its table's header: every cell in its column, blanks included;
            # a blank under a row-label header is an empty label, not a blank value.
            got = [replace(c, blank_source="grid") for c in got]
            got[-1] = replace(got[-1], row_end=True)
            if stub and got[0].kind == "blank":
                got[0] = replace(got[0], kind="text")
        else:
            if not text.lstrip().startswith("|"):
                width = 0
            if got and _keeps_boundaries(text, line_norm):  # a pipe table without a header rule of its own
                separated.append((idx, len(cells), len(got)))
        cells.extend(got)
    _mark_full_rows(cells, separated)
    return cells


# Rows as wide as their table it takes to trust the width (one long row may hold a stray ``|``).
_FULL_ROWS_MIN = 3


def _keeps_boundaries(text: str, norm: str) -> bool:
    """A row of text whose every cell boundary is printed: ``| a | | 3 |`` or ``a | | 3 |``, its last cell
    closed too, or cells apart by tabs (a spreadsheet's rows keep their empty cells)."""
    body = norm.strip()
    if "|" in norm:
        return len(body) >= 2 and body[-1] == "|"
    return "\t" in text.strip()


def _mark_full_rows(cells: list[Cell], separated: list[tuple[int, int, int]]) -> None:
    """In each block of consecutive rows that keep their boundaries, the rows as wide as its widest: their
    cells stand in their columns (a blank is that column's), their values the row's last cells."""
    i = 0
    while i < len(separated):
        j = i + 1
        while j < len(separated) and separated[j][0] == separated[j - 1][0] + 1:
            j += 1
        block = separated[i:j]
        width = max(n for _, _, n in block)
        full = [(at, n) for _, at, n in block if n == width]
        # One cell a row is no grid (a table printed one cell a line, each closed by ``|``).
        if width >= 2 and len(full) >= _FULL_ROWS_MIN and _ends_with_values(cells, full):
            for at, n in full:
                cells[at : at + n] = [replace(c, blank_source="grid") for c in cells[at : at + n]]
                cells[at + n - 1] = replace(cells[at + n - 1], row_end=True)
        i = j


def _ends_with_values(cells: list[Cell], rows: list[tuple[int, int]]) -> bool:
    """Most rows of values end with a value: the rows are as wide as their table, not padded with empty
    cells at their end (a crawl pads ``a | 3 | ||``: its rows' blanks past their values are no columns)."""
    ends = [cells[at + n - 1].kind != "blank" for at, n in rows
            if any(c.kind in ("number", "na") for c in cells[at : at + n])]
    return 2 * sum(ends) > len(ends)


def _rule_width(rule: str) -> int:
    """The columns a Markdown table's ``|---|---|`` rule has."""
    return len(_RULE_CELL.findall(rule))


_RULE_CELL = re.compile(r":?-{3,}:?")


def _line_offset(line: Line) -> int:
    return line.offset


def _line_norm(norm: str, line: Line) -> str:
    return norm[line.offset : line.offset + len(line.text)]


def _stub_header(cell: Cell) -> bool:
    """A Markdown header's first cell over the row labels (``类别``, ``项目``), not over values."""
    if cell.kind != "text" or not cell.norm or cell.norm[-1].isdigit():
        return False
    return not _column_labels().search(cell.norm)


@cache
def _column_labels() -> re.Pattern[str]:
    """Labels that head values: every column's, and 表四's groups (its columns' captions); one
    pattern finds any of them."""
    s = statutory()
    out = {norm_label(lab) for t in s.tables for c in t.columns for lab in c.labels()}
    for t in s.tables:
        if t.layout == "groups_in_one_line":
            out |= {norm_label(lab) for r in t.rows for lab in r.labels()} | {norm_label(r.group) for r in t.rows if r.group}
    return re.compile("|".join(map(re.escape, sorted(out))))


def _header_row(cells: list[Cell]) -> list[Cell]:
    """A Markdown table's first row: a generic header (``| 类别 | 数据1 | 数据2 |``) is all text,
    unless the row holds numbers of its own (a table whose first row is data)."""
    if any(c.kind == "number" and not c.after_label for c in cells):
        return cells
    out: list[Cell] = []
    for c in cells:
        if c.after_label and out and out[-1].kind == "text":
            prev = out[-1]
            out[-1] = Cell("text", prev.text + c.text, prev.norm + c.norm, prev.offset, prev.line, prev.blank_source)
        else:
            out.append(c)
    return out


class Layout(NamedTuple):
    """The format a table region tells (``choose_template``)."""

    template: str | None  # None when neither format's, or when the evidence disagrees
    # Why the evidence names both formats and nothing settles which (the rows whose columns mean
    # different things in the two formats are then left null); None when it does not.
    unsettled: str | None = None


class _Forms(NamedTuple):
    """A format's own labels (no other format's labels contain them), by what they tell."""

    headers: frozenset[str]  # its column labels: they say what the numbers under them mean
    rows: frozenset[str]  # the labels of rows only it has
    spellings: frozenset[str]  # its own spellings of rows every format has (行政规范性文件)
    # Of ``rows``, those within another format's group caption, with the spellings of that group's items.
    captions: dict[str, frozenset[str]] = {}  # noqa: RUF012 (a NamedTuple's default, never changed)


def choose_template(table: Table, text: str, cells: list[Cell] | None = None) -> Layout:
    """The format the region (its labels ``region_text``, its ``cells``) tells.

    Column labels printed for one format settle it. Without them, how many numbers the rows
    hold tells more than a spelling: three numbers beside 行政许可 are the 2019 format's, whatever
    the rows are called. Else the format whose own labels the region prints more of.
    """
    unglossed = _GLOSS.sub("", text)
    found = {tpl: (_printed(forms.headers, text), _printed(_row_evidence(forms, cells), unglossed),
                   _printed(forms.spellings, text))
             for tpl, forms in _exclusive_forms(table.id).items()}
    headed = [tpl for tpl, (headers, _, _) in found.items() if headers]
    if len(headed) == 1:
        return Layout(headed[0])
    if not headed and cells is not None and _telling_widths(table.id):
        shaped = _told_by_shapes(table, cells, {tpl: rows for tpl, (_, rows, _) in found.items()})
        if shaped is not None:
            return shaped
    totals = {tpl: sum(counts) for tpl, counts in found.items()}
    if not any(totals.values()):
        return Layout(None)
    return Layout(max(totals, key=lambda t: (totals[t], t)))


def _row_evidence(forms: _Forms, cells: list[Cell] | None) -> frozenset[str]:
    """A format's own rows, but a row label that another format prints as a group's caption ((六)其他处理, the
    2019 row over 2021's three items) where a cell holding it is followed by one of that group's items: it is
    the caption there (a 2021 table printing only ``3.其他`` under it, the other two left out)."""
    if cells is None or not forms.captions:
        return forms.rows
    return frozenset(f for f in forms.rows if f not in forms.captions or not _over_items(cells, f, forms.captions[f]))


# A gloss in brackets within a label (``(六)其他处理(逾期不补正等)``: the 2019 row, glossed with words of a 2021
# item): words of another format's row there are no row of that format. A list marker in brackets (``(六)``) is no gloss.
_GLOSS = re.compile(r"\((?![一二三四五六七八九十\d]{1,3}\))[^()]{2,}\)")


def _over_items(cells: list[Cell], form: str, items: frozenset[str]) -> bool:
    """Some cell holding ``form`` is followed (its copies across a merged cell aside) by a cell naming one of
    ``items``."""
    for i, c in enumerate(cells):
        if c.kind == "text" and form in c.norm:
            j = i + 1
            while j < len(cells) and cells[j].kind == "text" and cells[j].norm == c.norm:
                j += 1
            if j < len(cells) and cells[j].kind == "text" and cells[j].norm in items:
                return True
    return False


def _printed(forms: frozenset[str], text: str) -> int:
    """How many of ``forms`` the text prints, a form within another printed one not counted again: a row
    printed once is one piece of evidence, whether or not its variant is part of its label (其他处理 in
    （六）其他处理)."""
    found = [f for f in forms if f in text]
    return sum(1 for f in found if not any(f != g and f in g for g in found))


def _told_by_shapes(table: Table, cells: list[Cell], rows: dict[str, int]) -> Layout | None:
    """The format the rows' counts of numbers tell (``rows``: per format, its own rows' labels
    printed); None when no row's count tells one."""
    votes = _shape_votes(table, cells)
    ranked = sorted(votes, key=lambda t: votes[t], reverse=True)
    if not votes[ranked[0]]:
        return None
    best, second = ranked[0], ranked[1]
    if votes[best] == votes[second]:
        own = [tpl for tpl, n in rows.items() if n]
        if len(own) == 1:  # the rows disagree; a row only one format has settles it
            return Layout(own[0])
        return Layout(None, f"表中各行数字的个数有的符合{best}年格式、有的符合{second}年格式")
    printed = [tpl for tpl, n in rows.items() if n]
    if printed and best not in printed:
        return Layout(None, f"表中印有只有{'、'.join(printed)}年格式才有的行，而各行数字的个数符合{best}年格式")
    return Layout(best)


def _shape_votes(table: Table, cells: list[Cell]) -> dict[str, int]:
    """Per format, the rows whose count of numbers only that format gives them."""
    widths = _telling_widths(table.id)
    runs = cells_to_runs(cells)
    # Digits right after a label on its line may be several numbers run together: their count says nothing.
    glued = {c.offset for prev, c in itertools.pairwise(cells)
             if c.kind == "number" and (c.after_label or (prev.kind == "text" and prev.line == c.line
                                                           and prev.offset + len(prev.text) == c.offset))}
    widest = _widest_row(table.id)
    votes: dict[str, int] = dict.fromkeys(table.templates, 0)
    for i, j in align(table.rows, runs).items():
        by_format = widths.get(table.rows[i].id)
        count = _count_printed(runs[j], glued, widest) if by_format else None
        if by_format is None or count is None:
            continue
        fits = [tpl for tpl, k in by_format.items() if k == count]
        if len(fits) == 1:
            votes[fits[0]] += 1
    return votes


def _count_printed(run: Run, glued: set[int], widest: int) -> int | None:
    """How many columns a row's numbers fill: first number to last, cells between them included;
    None when that says nothing (digits that may have run together; one number across the table's
    whole width, as a crawl prints a merged cell in every column it spans)."""
    at = [k for k, c in enumerate(run.cells) if c.kind == "number"]
    if not at or any(run.cells[k].offset in glued for k in at):
        return None
    count = at[-1] - at[0] + 1
    if count == widest > 1 and len(at) == count and len({run.cells[k].value for k in at}) == 1:
        return None
    return count


@cache
def _widest_row(table_id: str) -> int:
    """The most columns a row of the table has, in any format (a merged cell spans at most these)."""
    table = statutory().table_by_id(table_id)
    return max(len(table.row_columns(r, tpl)) for r in table.rows for tpl in r.templates)


@cache
def _telling_widths(table_id: str) -> dict[str, dict[str, int]]:
    """The rows every format has, with different counts of columns: row id → per format, its count."""
    table = statutory().table_by_id(table_id)
    out: dict[str, dict[str, int]] = {}
    for r in table.rows:
        if set(r.templates) != set(table.templates):
            continue
        widths: dict[str, int] = {tpl: len(table.row_columns(r, tpl)) for tpl in table.templates}
        if len(set(widths.values())) > 1:
            out[r.id] = widths
    return out


@cache
def _differing_rows(table_id: str) -> frozenset[str]:
    """The rows whose columns are not the same in every format (their numbers mean different things)."""
    table = statutory().table_by_id(table_id)
    return frozenset(r.id for r in table.rows if set(r.templates) != set(table.templates)
                     or len({tuple(c.id for c in table.row_columns(r, tpl)) for tpl in table.templates}) > 1)


@cache
def _exclusive_forms(table_id: str) -> dict[str, _Forms]:
    """Per format, the labels no other format's labels contain, by what they tell."""
    table = statutory().table_by_id(table_id)
    own: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for tpl in table.templates:
        headers = {norm_label(c.label_for(tpl)) for c in table.columns_for(tpl)}
        rows: set[str] = set()
        spellings: set[str] = set()
        for r in table.rows_for(tpl):
            forms = {norm_label(r.label_for(tpl))} | {norm_label(v) for v in r.variants}
            (spellings if set(r.templates) == set(table.templates) else rows).update(forms)
        own[tpl] = (headers, rows, spellings)
    out: dict[str, _Forms] = {}
    for name, (headers, rows, spellings) in own.items():
        others = {f for tpl, kinds in own.items() if tpl != name for kind in kinds for f in kind}
        # A form is counted once, under what tells most (a row's label that is also a column's, a column's).
        told_by_headers = _alone(headers, others)
        told_by_rows = _alone(rows, others) - told_by_headers
        items: dict[str, set[str]] = {}  # another format's group caption → its items' spellings
        for tpl in table.templates:
            for r in table.rows_for(tpl) if tpl != name else ():
                if r.group:
                    items.setdefault(norm_label(r.group), set()).update(printed_forms(r) + short_cores(r))
        captions = {f: frozenset(i for c, forms in items.items() if f in c for i in forms)
                    for f in told_by_rows if any(f in c for c in items)}
        out[name] = _Forms(told_by_headers, told_by_rows, _alone(spellings, others) - told_by_headers - told_by_rows,
                           captions)
    return out


def _alone(forms: set[str], others: set[str]) -> frozenset[str]:
    """The forms none of ``others`` contains."""
    return frozenset(f for f in forms if not any(f in o for o in others))


class _HeaderWords(NamedTuple):
    """A table's header words in their comparable form, as ``_looks_like_table`` looks for them."""

    columns: tuple[str, ...]  # its columns' labels of two characters or more, each once
    header: tuple[str, ...]  # its markers' and columns' labels of three characters or more
    one_line: tuple[str, ...]  # markers', columns' and rows' labels, one per distinct spelling (表四)


@by_identity
def _header_words(table: Table) -> _HeaderWords:
    """A table's header words, worked out once (they were normalised again for every region read)."""
    header = [*table.markers, *(lab for c in table.columns for lab in c.labels())]
    columns = {norm_label(lab) for c in table.columns for lab in c.labels()}
    spellings = set(header) | {lab for r in table.rows for lab in r.labels()}
    return _HeaderWords(
        columns=tuple(sorted(lab for lab in columns if len(lab) >= 2)),
        header=tuple(norm_label(w) for w in header if len(norm_label(w)) >= 3),
        # Counted per spelling as declared: two spellings of one comparable form count twice.
        one_line=tuple(norm_label(w) for w in sorted(spellings)),
    )


class _RowSpec(NamedTuple):
    """What reading one row of a format asks of the declaration."""

    row: Row
    where: str  # the row's place in findings: table id and row id
    label: str  # its label in the format
    slots: Slots
    forms: tuple[str, ...]  # row_forms


def _row_specs(table: Table, template: str) -> tuple[_RowSpec, ...]:
    """Per row of the format, its place, label and slots: worked out once, not for every table read."""
    return _specs_by_format(table).get(template, ())


@by_identity
def _specs_by_format(table: Table) -> dict[str, tuple[_RowSpec, ...]]:
    """``_row_specs`` of each of the table's formats."""
    return {template: tuple(_RowSpec(row, f"{table.id}.{row.id}", row.label_for(template),
                                     slots_of(table.row_columns(row, template)), row_forms(row))
                            for row in table.rows_for(template))
            for template in table.templates}


# A cell's name in a table's sources (``requests.new.natural``), by table, row and column id: the
# same few hundred names for every report, made once.
_SOURCE_NAMES: dict[tuple[str, str], dict[str, str]] = {}


class _RowNames(NamedTuple):
    """A table's row forms, for finding the first row a text names: by the whole text, or by its end."""

    whole: dict[str, int]  # form → the first row (by index) with it
    ends: dict[str, int]  # form of eight characters or more → the first row with it
    lengths: tuple[int, ...]  # the lengths of those forms, shortest first


@by_identity
def _row_names(table: Table) -> _RowNames:
    """The table's ``_RowNames``."""
    whole: dict[str, int] = {}
    for i, r in enumerate(table.rows):
        for f in row_forms(r):
            whole.setdefault(f, i)
    ends = {f: i for f, i in whole.items() if len(f) >= 8}
    return _RowNames(whole, ends, tuple(sorted({len(f) for f in ends})))


def _row_named_by(table: Table, norm: str) -> Row | None:
    """The first of the table's rows with a form that is ``norm`` or, eight characters or more, ends it."""
    names = _row_names(table)
    first = names.whole.get(norm)
    for n in names.lengths:
        if n > len(norm):
            break
        at = names.ends.get(norm[-n:])
        if at is not None and (first is None or at < first):
            first = at
    return None if first is None else table.rows[first]


class TableReader:
    """Reads one statutory table from the cells of its region."""

    def __init__(self, table: Table, strict: bool = False) -> None:
        """``strict``: a table only where its column headers are printed (a report that may be a
        legacy one, whose prose names 规范性文件 or 行政许可 beside numbers)."""
        self.table = table
        self.strict = strict
        self.relations = statutory().relations_for(table.id)
        self.row_relations = tuple(r for r in self.relations if r.each == "row")
        self.column_relations = tuple(r for r in self.relations if r.each == "column")
        self._gap_runs: set[int] = set()

    def read(self, cells: list[Cell], template_hint: str | None) -> TableRead:
        text = region_text(cells)  # the region's labels, run together: asked for by every step below
        if not self._looks_like_table(cells, text):
            return TableRead(None)
        layout = choose_template(self.table, text, cells)
        template = layout.template or template_hint or "2021"
        if self.table.layout == "groups_in_one_line":
            read = self._read_one_line(cells, text, template)
        else:
            read = self._read_rows(cells, text, template)
        if layout.unsettled is not None:
            _unsettle(read, self.table, layout.unsettled)
        read.printed = layout.template
        return read

    def _looks_like_table(self, cells: list[Cell], text: str) -> bool:
        """The table's own header words, or two of its row labels, are printed in the region.

        Prose that merely names 行政许可 (a pre-2019 report, say) is not a table.
        """
        words = _header_words(self.table)
        if self.strict and sum(1 for lab in words.columns if lab in text) < 2:
            return False
        if self.table.layout == "groups_in_one_line":
            return sum(1 for w in words.one_line if w in text) >= 2
        # Rows are counted up to four, all that is asked (a table's rows run to thirty).
        rows = sum(1 for _ in itertools.islice((r for r in self.table.rows if label_present(r, text)), 4))
        has_header = any(w in text for w in words.header)
        return (rows >= 2 and has_header) or rows >= 4 or (not self.strict and self._complete_row(cells))

    def _complete_row(self, cells: list[Cell]) -> bool:
        """A long row label followed right away by exactly its row's count of numbers (a page that
        starts inside the table: ``四、结转下年度继续办理 0 0 0 0 0 0 0``)."""
        for i, cell in enumerate(cells):
            if cell.kind != "text" or len(cell.norm) < 8:
                continue
            row = _row_named_by(self.table, cell.norm)
            if row is None:
                continue
            k = max(len(self.table.row_columns(row, t)) for t in row.templates)
            numbers = 0
            for c in cells[i + 1 :]:
                if c.kind != "number":
                    break
                numbers += 1
            if numbers == k and len(self.table.row_columns(row, "2021")) == len(self.table.row_columns(row, "2019")):
                return True
        return False

    def _row_consistent(self, values: dict[str, int]) -> bool:
        return all_hold(self.row_relations, {"row": values})

    def _read_rows(self, cells: list[Cell], text: str, template: str) -> TableRead:
        rows = self.table.rows_for(template)
        serials = serial_numbers(cells, self.table, template)
        if serials:
            cells = [c for c in cells if id(c) not in serials]
        runs = cells_to_runs(cells)
        assignment = align(rows, runs)
        consistent = self._row_consistent if self.row_relations else None
        results: dict[str, RowValues] = {}
        missing: list[str] = []
        orders = zone_headers(cells, self.table, template)
        # Headers naming different columns split a table whose rows share their columns (表三) into parts; 表二's
        # rows have their own columns, each caption's header naming them.
        parts = not any(r.columns for r in rows) and in_parts(
            [o for o, run in zip(orders, runs, strict=True) if run.has_numbers])
        moved = False
        for i, (row, where, label, slots, forms) in enumerate(_row_specs(self.table, template)):
            if i in assignment:
                arranged = arrange(orders[assignment[i]], slot_keys(slots), runs[assignment[i]], parts)
                moved = moved or arranged.moved
                if arranged.run is None:
                    rv = empty_row(slots)
                    rv.findings.append(_finding(
                        "PARSE-HEADER-ORDER", where,
                        f"表头所列各列的顺序与法定格式不同，“{label}”一行的数字无法按表头逐列对应，该行数值未采用，请核对原文"))
                elif arranged.absent:
                    rv = self._some_columns(where, label, slots, template, arranged)
                else:
                    rv = run_to_values(where, label, slots, template, arranged.run, consistent)
                if named_past_a_header(forms, runs[assignment[i]]) and any(
                        v is not None for v in rv.values.values()):
                    rv.findings.append(_finding(
                        "PARSE-LABEL-PAST-HEADER", where,
                        f"“{label}”的数字印在该行标题之前，中间隔着表头，按其后的行标题归入该行；"
                        "这些数字也可能属于表头之前的另一行，请核对原文"))
            else:
                rv = empty_row(slots)
                if label_present(row, text):
                    rv.findings.append(_finding("PARSE-CELL-BLANK", where,
                                                f"“{label}”一行没有读到数字（单元格为空白），按空缺（null）处理，未视为0"))
                else:
                    missing.append(label)
                    rv.findings.append(_finding("PARSE-ROW-MISSING", where, f"未找到“{label}”一行，数值按空缺处理"))
            results[row.id] = rv
        if self.row_relations:
            placed = self._redistribute_blocks(rows, runs, assignment, results, template)
            self._fill_gaps(rows, runs, assignment, placed, results, template, text)
        self._resolve_glued_rows(results)
        _doubt_after_short_rows(self.table.id, rows, runs, assignment, results, template)
        used = set(assignment.values()) | self._gap_runs
        self._read_moved(runs, assignment, used, results, (orders, parts), template)
        _doubt_rows_between_surplus_and_want(self.table.id, rows, runs, assignment, used, results)
        read = TableRead({}, template)
        assert read.data is not None
        if serials:
            read.findings.append(Finding(
                rule="PARSE-HEADER-COLUMNS", severity="info", where=self.table.id,
                message=f"表头在行标题之前有法定格式以外的一列（如序号），其{len(serials)}个依次编号的数字不作为数值"))
        if moved:
            read.findings.append(Finding(
                rule="PARSE-HEADER-COLUMNS", severity="info", where=self.table.id,
                message="表头各列的顺序与法定格式不同或有法定格式以外的列，各行数值按表头所示的列读取"))
        for row_id, rv in results.items():
            read.data[row_id] = rv.values
            read.findings.extend(rv.findings)
            if rv.glued_cells and all(v is None for v in rv.values.values()):
                read.glued[row_id] = rv.glued_cells
            if rv.sources:
                names = _SOURCE_NAMES.setdefault((self.table.id, row_id), {})
                for key, cell in rv.sources.items():
                    name = names.get(key)
                    if name is None:
                        name = names[key] = f"{self.table.id}.{row_id}.{key}"
                    read.sources[name] = cell
        unplaced = [c for j, run in enumerate(runs) if j not in used for c in run.cells if c.kind == "number"]
        if unplaced:
            sample = "、".join(c.text for c in unplaced[:8])
            read.findings.append(_finding(
                "PARSE-NUMBERS-UNPLACED", self.table.id,
                f"表中有{len(unplaced)}个数字未能对应到任何一行（{sample}…），请核对原文"))
        if len(missing) == len(rows):
            read.findings.append(_finding("PARSE-TABLE-UNREADABLE", self.table.id,
                                          f"“{self.table.title}”表格无法识别，请核对原文"))
        return read

    def _read_moved(self, runs: list[Run], assignment: dict[int, int], used: set[int], results: dict[str, RowValues],
                    headers: tuple[list[Order | None], bool], template: str) -> None:
        """A row printed out of the statutory order (二、上年结转 after 三's rows), which the rows' alignment, in
        order, cannot reach: read from the one run left over whose whole label before it is the row's."""
        orders, parts = headers
        for i, (row, where, label, slots, forms) in enumerate(_row_specs(self.table, template)):
            if i in assignment or any(v is not None for v in results[row.id].values.values()):
                continue
            found = [j for j, run in enumerate(runs) if j not in used and run.has_numbers and run.pre in forms]
            if len(found) != 1:
                continue
            arranged = arrange(orders[found[0]], slot_keys(slots), runs[found[0]], parts)
            if arranged.run is None or arranged.absent:
                continue
            rv = run_to_values(where, label, slots, template, arranged.run, None)
            if all(v is None for v in rv.values.values()):
                continue
            rv.findings.append(Finding(
                rule="PARSE-ROW-MOVED", severity="info", where=where,
                message=f"“{label}”一行印在法定行序以外的位置，按其行标题读取"))
            results[row.id] = rv
            used.add(found[0])

    def _some_columns(self, where: str, label: str, slots: Slots, template: str, arranged: Arranged) -> RowValues:
        """A row whose header prints only some of its columns: those read, the others null with a finding."""
        assert arranged.run is not None
        shown = tuple(s for s in slots if s[0] not in arranged.absent)
        read = run_to_values(where, label, shown, template, arranged.run, None)
        rv = empty_row(slots)
        rv.values.update(read.values)
        rv.sources, rv.findings, rv.spaced = read.sources, read.findings, read.spaced
        names = "、".join(col.label_for(template) for key, col in slots if key in arranged.absent)
        rv.findings.append(_finding(
            "PARSE-HEADER-MERGED", where,
            f"表头没有单独列出{names}（合并为一列或未列出），“{label}”一行这几列按空缺（null）处理，"
            "合并列的数字不归入其中任何一列"))
        return rv

    def _tuple_consistent(self, slots: Slots) -> Callable[[tuple[int | float, ...]], bool]:
        keys = [key for key, _ in slots]
        return lambda values: all_hold(self.row_relations, {"row": dict(zip(keys, values, strict=True))})

    def _redistribute_blocks(self, rows: tuple[Row, ...], runs: list[Run], assignment: dict[int, int],
                             results: dict[str, RowValues], template: str) -> set[int]:
        """A row that read several rows' worth of numbers gives them to its label-less neighbours."""
        placed: set[int] = set()
        free = {i for i in range(len(rows)) if i not in assignment}
        for i, j in sorted(assignment.items()):
            numbers = [c for c in runs[j].cells if c.kind == "number"]
            slots = slots_of(self.table.row_columns(rows[i], template))
            k = len(slots)
            if len(numbers) <= k or any(c.kind == "na" or c.value is None for c in runs[j].cells
                                        if c.kind != "blank"):
                continue
            answer = redistribute([c.value for c in numbers if c.value is not None], k, i, free - placed,
                                  len(rows), self._tuple_consistent(slots))
            if answer is None or any(len(self.table.row_columns(rows[r], template)) != k for r in answer):
                continue
            m = len(answer)
            for r, values in answer.items():
                row_slots = slots_of(self.table.row_columns(rows[r], template))
                rv = RowValues(dict(zip([key for key, _ in row_slots], values, strict=True)))
                rv.sources = {key: numbers[0] for key, _ in row_slots}
                rv.findings.append(Finding(
                    rule="PARSE-BLOCK-LAYOUT", severity="info", where=f"{self.table.id}.{rows[r].id}",
                    message=(f"{m}行的数字成块排列、与行标题分离，按各行勾稽关系唯一还原为"
                             f"{'、'.join(_fmt(v) for v in values)}")))
                results[rows[r].id] = rv
                placed.add(r)
        return placed

    def _fill_gaps(self, rows: tuple[Row, ...], runs: list[Run], assignment: dict[int, int], placed: set[int],
                   results: dict[str, RowValues], template: str, text: str) -> None:
        """A run no label claimed, between two rows that did: the one free row there, if it adds up."""
        self._gap_runs = set()
        used = set(assignment.values())
        by_run = {j: i for i, j in assignment.items()}
        # Whether each free row's label is printed, found once: a search of the region's whole text
        # per unplaced run would grow with the square of a table of thousands of label-less runs.
        present: dict[int, bool] = {}

        def printed(i: int) -> bool:
            if i not in present:
                present[i] = label_present(rows[i], text)
            return present[i]

        for j, run in enumerate(runs):
            if j in used or not run.has_numbers:
                continue
            before = max((by_run[x] for x in by_run if x < j), default=-1)
            after = min((by_run[x] for x in by_run if x > j), default=len(rows))
            candidates = [i for i in range(before + 1, after) if i not in assignment and i not in placed
                          and printed(i)]
            if len(candidates) != 1:
                continue
            i = candidates[0]
            slots = slots_of(self.table.row_columns(rows[i], template))
            numbers = [c for c in run.cells if c.kind == "number"]
            if (len(numbers) != len(slots) or len(numbers) != len([c for c in run.cells if c.kind != "blank"])
                    or any(c.value is None for c in numbers)):
                continue
            values = tuple(c.value for c in numbers if c.value is not None)
            if not self._tuple_consistent(slots)(values):
                continue
            label = rows[i].label_for(template)
            rv = RowValues(dict(zip([key for key, _ in slots], values, strict=True)))
            rv.sources = {key: cell for (key, _), cell in zip(slots, numbers, strict=True)}
            rv.findings.append(Finding(
                rule="PARSE-ORDER-PLACED", severity="info", where=f"{self.table.id}.{rows[i].id}",
                message=f"“{label}”的数字未紧挨行标题，按表格行序和勾稽关系对应到该行"))
            results[rows[i].id] = rv
            placed.add(i)
            self._gap_runs.add(j)

    def _resolve_glued_rows(self, results: dict[str, RowValues]) -> None:
        """Rows with several possible cuts: keep the one combination the columns confirm."""
        ambiguous = [rid for rid, rv in results.items() if rv.candidates]
        if not ambiguous or not self.column_relations:
            return
        options = [results[rid].candidates or [] for rid in ambiguous]
        if prod(len(o) for o in options) > MAX_COMBINATIONS:
            return
        data = {rid: dict(rv.values) for rid, rv in results.items()}
        keys = {rid: list(results[rid].values) for rid in ambiguous}
        good: list[tuple[tuple[int, ...], ...]] = []
        for combo in itertools.product(*options):
            for rid, cand in zip(ambiguous, combo, strict=True):
                data[rid] = dict(zip(keys[rid], cand, strict=True))
            if all_hold(self.column_relations, data):
                good.append(combo)
                if len(good) > 1:
                    return
        if len(good) != 1:
            return
        for rid, cand in zip(ambiguous, good[0], strict=True):
            rv = results[rid]
            rv.values = dict(zip(keys[rid], cand, strict=True))
            rv.candidates = None
            rv.findings = [f for f in rv.findings if f.rule != "PARSE-DIGITS-AMBIGUOUS"]
            rv.findings.append(Finding(
                rule="PARSE-DIGITS-SPLIT", severity="info", where=f"{self.table.id}.{rid}",
                message=(f"数字连在一起（“{rv.glued}”），有多种拆分，按表内各列的勾稽关系唯一确定为"
                         f"{'、'.join(map(str, cand))}")))

    def _read_one_line(self, cells: list[Cell], text: str, template: str) -> TableRead:
        """Table 四: its groups side by side, their values on one line after the header.

        Printed one group a row instead (a heading or a label before each group's numbers),
        it is read like any other table, row by row.
        """
        rows = self.table.rows_for(template)
        columns = self.table.columns_for(template)
        start = first_header_cell(cells, self.table)
        runs = value_runs(cells[start:], header_words(self.table))
        if not runs:
            if not header_printed(text, rows, columns, template):
                return TableRead(None)
            # The form is there, its cells are empty (or the numbers are an image).
            slots = tuple((f"{row.id}.{col.id}", col) for row in rows for col in columns)
            blank = TableRead(regroup(empty_row(slots).values), template)
            blank.findings.append(_finding(
                "PARSE-CELL-BLANK", self.table.id,
                f"“{self.table.title}”表有表头而没有读到任何数字（单元格为空白，或数字是图片），"
                "各项按空缺（null）处理，未视为0，请核对原文"))
            return blank
        def consistent(flat: dict[str, int]) -> bool:
            return all_hold(self.row_relations, regroup(flat))  # type: ignore[arg-type]

        if _groups_as_rows(cells[start:], runs, rows, len(columns), template):
            pieces = _pieces_by_captions(cells[start:], runs, self.table, template)
            if pieces is None and not groups_moved(cells[start:], self.table, template):
                pieces = _line_in_pieces(cells[start:], runs, rows, columns)  # in the statutory order
            if pieces is None or not consistent(
                    {f"{r.id}.{c.id}": cell.value for (r, c), cell in  # type: ignore[misc]
                     zip(itertools.product(rows, columns), pieces, strict=True)}):
                return self._read_rows(cells, text, template)
            rv = OneLineReader(self.table, template, consistent).read(pieces, 0, len(pieces))
            read = TableRead(regroup(rv.values), template, findings=rv.findings)
            read.sources = {f"{self.table.id}.{key}": cell for key, cell in rv.sources.items()}
            return read

        # The line of values is the longest run (prose numbers may follow the table).
        lo, hi = max(runs, key=lambda r: (sum(c.kind != "blank" for c in cells[start + r[0] : start + r[1]]), -r[0]))
        reader = OneLineReader(self.table, template, consistent)
        lines = transposed_lines(cells[start:], lo, hi, self.table, template)
        if lines is not None:
            rv = reader.read_transposed(group_order(cells[start : start + lo], self.table, template), lines)
            rv.findings.append(Finding(
                rule="PARSE-HEADER-COLUMNS", severity="info", where=self.table.id,
                message=f"表四行列互换（各组印作列，{columns[0].label_for(template)}至{columns[-1].label_for(template)}"
                        "印作行），数值按表头所示的组和各行读取"))
            read = TableRead(regroup(rv.values), template, findings=rv.findings)
            read.sources = {f"{self.table.id}.{key}": cell for key, cell in rv.sources.items()}
            return read
        arranged = self._line_by_header(reader, cells[start : start + lo], cells[start + lo : start + hi], template)
        if arranged is None:
            rv = reader.read(cells[start:], lo, hi)
            rv.findings.extend(self._groups_assumed(cells[start : start + lo], template))
        elif arranged:
            whole = [c for c in arranged if c is not None]
            rv = reader.read(whole, 0, len(whole)) if len(whole) == len(arranged) else reader.take_line(arranged)
            rv.findings.append(Finding(
                rule="PARSE-HEADER-COLUMNS", severity="info", where=self.table.id,
                message="表头各列的顺序与法定格式不同或有法定格式以外的列，数值按表头所示的列读取"))
        else:
            rv = empty_row(reader.slots)
            rv.findings.extend(_finding(
                "PARSE-HEADER-ORDER", f"{self.table.id}.{row.id}",
                f"表头所列各列的顺序与法定格式不同，“{row.label_for(template)}”一组的数字无法按表头逐列对应，"
                "该组数值未采用，请核对原文") for row in rows)
        read = TableRead(regroup(rv.values), template, findings=rv.findings)
        read.sources = {f"{self.table.id}.{key}": cell for key, cell in rv.sources.items()}
        return read


    def _groups_assumed(self, header: list[Cell], template: str) -> list[Finding]:
        """Where the header cannot tell which group stands left (``groups_unsure``): a finding on each group read
        in the statutory order."""
        if not groups_unsure(header, self.table, template):
            return []
        return [Finding(rule="PARSE-GROUPS-ASSUMED", severity="info", where=f"{self.table.id}.{row.id}",
                        message=f"表头各组标题各占一行，文字无法说明其左右顺序（法定表样中跨两行的标题居中，印在另一组标题之下），"
                                f"“{row.label_for(template)}”一组按法定顺序读取，请核对原文")
                for row in self.table.rows_for(template)]

    def _line_by_header(self, reader: OneLineReader, header: list[Cell], line: list[Cell],
                        template: str) -> list[Cell | None] | None:
        """表四's value cells in the statutory order, where its header prints another order or columns the form
        has not (None for a column of a group it leaves out): None where the header is the statutory one or says
        nothing; [] where it is another but the line cannot follow it."""
        order = line_order(header, self.table, template)
        flat = slot_keys(reader.slots)
        if order is None or order.named != set(flat) or order.ids == flat:
            return None
        valued = [c for c in line if c.kind != "blank"]
        if order.ids is None:
            if order.groups is not None and len(valued) == len(flat):
                return _by_groups(valued, order.groups, flat)
            return [] if order.contrary(flat) else None
        if not valued:
            return None
        cells = [c for c in line if c.line == valued[0].line]
        while len(cells) > len(order.ids) and cells[0].kind == "blank":
            cells = cells[1:]  # a blank under the row labels' column
        if len(cells) != len(order.ids) or any(c.kind != "blank" for c in line if c.line != valued[0].line):
            return []
        return [cells[order.ids.index(key)] if key in order.ids else None for key in flat]


def _by_groups(valued: list[Cell], groups: tuple[str, ...], flat: tuple[str, ...]) -> list[Cell | None]:
    """表四's line of all its cells, its groups printed whole in the order ``groups``, in the statutory order."""
    width = len(flat) // len(groups)
    at = {key: groups.index(key.partition(".")[0]) * width + flat.index(key) % width for key in flat}
    return [valued[at[key]] for key in flat]


def _line_in_pieces(cells: list[Cell], runs: list[tuple[int, int]], rows: tuple[Row, ...],
                    columns: tuple[Column, ...]) -> list[Cell] | None:
    """表四's line of fifteen cut into pieces by header words (a PDF's text in the order it was drawn:
    ``未经复议直接起诉 结果维持 … 72 64 178 37 351 复议后起诉 结果维持 … 13 4 8 1 26 12 1 1 6 20``).

    The pieces' numbers, in order, when there are exactly as many as the line's cells and one piece
    holds more than a group's worth (so the pieces are not the groups); None otherwise.
    """
    values = [c for lo, hi in runs for c in cells[lo:hi] if c.kind != "text"]
    if len(values) != len(rows) * len(columns):
        values = [c for c in values if c.kind != "blank" or _inside_a_line(c, values)]
    if len(values) != len(rows) * len(columns) or any(c.kind != "number" or c.value is None for c in values):
        return None
    if all(sum(c.kind != "text" for c in cells[lo:hi]) <= len(columns) for lo, hi in runs):
        return None  # each piece a group's numbers, after its label: the rows as printed
    return values


def _pieces_by_captions(cells: list[Cell], runs: list[tuple[int, int]], table: Table,
                        template: str) -> list[Cell] | None:
    """表四 printed as several tables that keep their cell boundaries (行政复议's, then 行政诉讼's), each with its
    groups' captions over its line of values: the line's cells in the statutory order, each piece placed by
    its own captions (in whatever order the pieces come); None where a piece's captions do not name as many
    groups as its values fill, or some group is not named once.

    Text without cell boundaries is not read so: a PDF's drawing order prints captions where they do not
    head the numbers after them."""
    rows = table.rows_for(template)
    width = len(table.columns_for(template))
    placed: dict[str, list[Cell]] = {}
    previous = 0
    for lo, hi in runs:
        line = [c for c in cells[lo:hi] if c.kind != "text"]
        if any(c.blank_source not in ("grid", "pipe") for c in line):
            return None
        values = [c for c in line if c.kind != "blank" or _inside_a_line(c, line)]
        groups = captioned_groups(cells[previous:lo], table, template)
        if not groups or len(values) != width * len(groups) or placed.keys() & set(groups):
            return None
        placed.update((rid, values[i * width : (i + 1) * width]) for i, rid in enumerate(groups))
        previous = hi
    if sorted(placed) != sorted(r.id for r in rows):
        return None
    return [c for r in rows for c in placed[r.id]]


def _inside_a_line(blank: Cell, cells: list[Cell]) -> bool:
    """A blank cell between two numbers of its line (a cell of the table), not padding at a line's end or a
    line of its own (a table printed in pieces, each its rows' widths)."""
    line = [i for i, c in enumerate(cells) if c.line == blank.line and c.kind != "blank"]
    at = next(i for i, c in enumerate(cells) if c is blank)
    return bool(line) and line[0] < at < line[-1]


def _groups_as_rows(cells: list[Cell], runs: list[tuple[int, int]], rows: tuple[Row, ...], width: int,
                    template: str) -> bool:
    """Each group's numbers follow its own label (表四 printed one group a row)."""
    forms = [norm_label(r.label_for(template)) for r in rows]
    labelled = 0
    previous = 0
    for lo, _ in runs:
        text = "".join(c.norm for c in cells[previous:lo] if c.kind == "text")
        labelled += any(f in text for f in forms)
        previous = lo
    if len(runs) == 1 and labelled:
        # One group's numbers only (the others blank): a row of five, not a line of fifteen.
        lo, hi = runs[0]
        return all(c.blank_source == "grid" for c in cells[lo:hi]) and hi - lo <= width
    return labelled >= 2


def _unsettle(read: TableRead, table: Table, why: str) -> None:
    """Null every row whose columns mean different things in the two formats, with a finding on it:
    the region does not tell which format its numbers are in."""
    if read.data is None or read.template is None:
        return
    doubted = _differing_rows(table.id) & read.data.keys()
    places = {f"{table.id}.{rid}" for rid in doubted}

    def of_doubted(where: str) -> bool:
        return where in places or where.rpartition(".")[0] in places

    read.findings = [f for f in read.findings if not of_doubted(f.where)]
    read.sources = {key: cell for key, cell in read.sources.items() if not of_doubted(key.rpartition(".")[0])}
    for rid in doubted:
        read.data[rid] = dict.fromkeys(read.data[rid])
        read.glued.pop(rid, None)
        label = table.row_by_id(rid).label_for(read.template)
        read.findings.append(_finding(
            "PARSE-TEMPLATE-UNSETTLED", f"{table.id}.{rid}",
            f"{why}，无法确定“{label}”一行各数字的含义（两种格式中该行各列含义不同），该行按空缺（null）处理，请核对原文"))


def _fmt(v: int | float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _doubt_after_short_rows(table_id: str, rows: tuple[Row, ...], runs: list[Run], assignment: dict[int, int],
                            results: dict[str, RowValues], template: str) -> None:
    """Warn on the row read after a row that read too few numbers, in text without cell boundaries.

    A short row there may have lost its numbers to the next one in reading order: ``规章 0``
    ``行政规范性文件 77 0 0`` (pdftotext's text of ``规章 0 0 0`` above ``行政规范性文件 77 _ _``). The
    short row is null already; the next row's numbers are kept, with a warning on that row.
    """
    for i, j in assignment.items():
        after = i + 1
        if (after not in assignment or assignment[after] != j + 1
                or not any(f.rule == "PARSE-ROW-SHORT" for f in results[rows[i].id].findings)
                or any(c.blank_source != "none" for c in runs[j].cells + runs[j + 1].cells)):
            continue
        rv = results[rows[after].id]
        if any(v is not None for v in rv.values.values()) and not any(f.rule == "PARSE-ROW-SHORT" for f in rv.findings):
            short, label = rows[i].label_for(template), rows[after].label_for(template)
            rv.findings.append(_finding(
                "PARSE-ROW-AFTER-SHORT", f"{table_id}.{rows[after].id}",
                f"上一行“{short}”的数字不全，原文没有单元格边界，它缺少的数字可能排到了“{label}”一行，请核对原文"))


_SURPLUS = frozenset({"PARSE-ROW-EXTRA"})
_WANT = frozenset({"PARSE-CELL-BLANK", "PARSE-ROW-SHORT"})


def _doubt_rows_between_surplus_and_want(table_id: str, rows: tuple[Row, ...], runs: list[Run],
                                         assignment: dict[int, int], used: set[int],
                                         results: dict[str, RowValues]) -> None:
    """Warn on every row read from the stretch of a table where, in text without cell boundaries,
    some numbers have no row (a row read two rows' worth, or a run stands unplaced) and some rows
    have no numbers.

    Both at once mean labels and numbers fell out of step (PDF text read in blocks: a tall label
    printed after its numbers, a spanning group's label between rows); every row in between may
    hold its neighbour's numbers, and a shift by one row keeps every sum. The numbers are kept.
    """
    if any(c.blank_source != "none" for run in runs for c in run.cells):
        return
    surplus: set[int] = set()
    want: set[int] = set()
    for i, row in enumerate(rows):
        rules = {f.rule for f in results[row.id].findings}
        if rules & _SURPLUS:
            surplus.add(i)
        if rules & _WANT:
            want.add(i)
    by_run = sorted((j, i) for i, j in assignment.items())
    for j, run in enumerate(runs):
        if j in used or not run.has_numbers:
            continue
        # An unplaced run: the rows read on either side of it are where the step was lost.
        before = [i for jj, i in by_run if jj < j]
        after = [i for jj, i in by_run if jj > j]
        surplus.update(([before[-1]] if before else []) + ([after[0]] if after else []))
    if not surplus or not want:
        return
    first, last = max(0, min(surplus | want) - 1), min(len(rows) - 1, max(surplus | want) + 1)
    for i in range(first, last + 1):
        rv = results[rows[i].id]
        if any(v is not None for v in rv.values.values()) and not {f.rule for f in rv.findings} & (_SURPLUS | _WANT):
            rv.findings.append(_finding(
                "PARSE-ROWS-OUT-OF-STEP", f"{table_id}.{rows[i].id}",
                "本表这一段有的数字没有对应的行、有的行没有数字，原文没有单元格边界，行标题与数字可能错开了一行"
                "（错开一行时勾稽关系仍然成立），请核对原文"))


def _finding(rule: str, where: str, message: str) -> Finding:
    return Finding(rule=rule, severity="warning", where=where, message=message)
