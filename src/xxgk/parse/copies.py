"""A statutory table printed more than once in its part → the copy that is the report's own.

Beside their own table, reports print last year's for comparison (``附：2022年度收到和处理政府信息
公开申请情况（供对比）``), a sub-unit's (``（二）区政府办公室收到和处理…``, ``其中，本级…``), or, in
表四, last year's line of numbers above this year's (``2022年`` / ``2023年``, ``上年数`` / ``本年数``).
Read as one table, the copies' rows mix, the later copy's numbers winning each row: wrong numbers
with nothing said. So each copy is read apart, and its caption (a line's label in 表四) says whose
it is: a year (compared with the report's), 本年 or 上年, 供对比, 其中, a body's name before the
table's title. Where the text does not tell and the copies' numbers differ, none is taken: every
row is null, with a finding on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from xxgk.model import Finding, TableData
from xxgk.parse.cells import Cell
from xxgk.parse.memo import by_identity
from xxgk.parse.normalize import norm_label
from xxgk.parse.oneline import first_header_cell, header_words, value_runs
from xxgk.parse.rows import cells_to_runs, exact_scores, row_forms
from xxgk.parse.tables import TableRead
from xxgk.parse.title import same_body
from xxgk.parse.vocabulary import COMPARED, EARLIER
from xxgk.parse.vocabulary import header_words as any_header
from xxgk.templates import Table, statutory

Whose = Literal["own", "other"] | None
Kind = Literal["table", "line"]  # copies as whole tables, or as 表四's lines of numbers under one header
# Reads a table from cells (``TableReader.read`` with the format's hint).
Reader = Callable[[list[Cell]], TableRead]

_YEAR = re.compile(r"((?:19|20)\d{2})年")
# Words naming this year (a year before it: vocabulary.EARLIER).
_THIS_YEAR = ("本年", "今年")
# Words naming the body: a part of it, or itself.
_PART = ("其中",)
_OWN_BODY = ("本机关", "本单位", "本部门", "本局", "我局", "我单位", "本委", "我委", "本办", "我办")
_AROUND_NAME = re.compile(r"^[(\[]?[一二三四五六七八九十\d]{1,2}[)\]、.,:]*|附[表件]?\d*[:,、]?|(?:(?:19|20)\d{2}|本|今|上一?|去)年度?"
                          r"|[的:,、]")
# A row's label right before its numbers scores this much at least (rows.label_score: 1, less the distance).
_BESIDE = 0.8
# What a caption's words are made of (a line's label ``2022年`` is a year and one character).
_WORD_CHAR = re.compile(r"[\u4e00-\u9fff\d]")


@dataclass(slots=True)
class _Copy:
    """One copy of the table: its cells, its place, its caption and its reading."""

    cells: list[Cell]
    number: int  # its place among the copies, from 1
    words: str  # its caption, comparable
    caption: str  # as printed
    read: TableRead


def read_own(table: Table, cells: list[Cell], read: Reader, year: int | None, agency: str | None) -> TableRead:
    """The table in ``cells`` read from the report's own copy (see the module's docstring).

    A region holding one copy is read whole, as it always was.
    """
    starts = _restarts(cells, row_forms(table.rows[0]))
    if len(starts) > 1:
        pieces = [cells[a:b] for a, b in zip(starts, [*starts[1:], len(cells)], strict=True)]
        chosen = _choose(table, pieces, lambda piece: _read_lines(table, piece, read, year, agency), year, agency,
                         "table")
        if chosen is not None:
            return chosen
    return _read_lines(table, cells, read, year, agency)


def _read_lines(table: Table, cells: list[Cell], read: Reader, year: int | None, agency: str | None) -> TableRead:
    """表四 with several full lines of numbers, each labelled (``2022年``, ``本年数``): the own line's."""
    if table.layout == "groups_in_one_line":
        pieces = _lines(table, cells)
        if len(pieces) > 1:
            chosen = _choose(table, pieces, read, year, agency, "line")
            if chosen is not None:
                return chosen
    whole = read(cells)
    if any(f.rule == "PARSE-NUMBERS-UNPLACED" for f in whole.findings):  # a row's second printing is left over
        _rows_twice(table, cells, whole)
    return whole


def _rows_twice(table: Table, cells: list[Cell], read: TableRead) -> None:
    """A row printed twice in one table, each time with its label right before numbers that differ:
    the row is null, with a finding on it (the reading took one of them by position).

    Two printings that differ only where one lost a digit (``?``) agree: the row stands.
    """
    if read.data is None or read.template is None or table.layout != "rows":
        return
    rows = table.rows_for(read.template)
    runs = cells_to_runs(cells)
    for row, scores in zip(rows, exact_scores(rows, runs), strict=True):
        forms = row_forms(row)
        # The label as the whole cell beside the numbers: not the end of a longer one (上年同期本年新收…).
        printings = [[c for c in runs[j].cells if c.kind != "blank"] for j, score in sorted(scores.items())
                     if score >= _BESIDE and runs[j].has_numbers and runs[j].beside in forms]
        values = read.data.get(row.id, {})
        if (len(printings) < 2 or all(v is None for v in values.values())
                or not _disagree([[c.value for c in p] for p in printings])):
            continue
        read.data[row.id] = dict.fromkeys(values, None)
        for key in values:
            read.sources.pop(f"{table.id}.{row.id}.{key}", None)
        shown = "；".join("、".join(c.text.strip() for c in p) for p in printings)
        read.findings.append(Finding(
            rule="PARSE-ROW-TWICE", severity="warning", where=f"{table.id}.{row.id}",
            message=(f"“{row.label_for(read.template)}”一行印了{len(printings)}次，数字不同（{shown}），原文没有写明哪一次是对的，"
                     "该行按空缺（null）处理，请核对原文")))


def _disagree(printed: list[list[int | float | None]]) -> bool:
    """Whether two printings of a row, as long as each other, differ in a cell both have."""
    return any(len(a) == len(b) and any(x is not None and y is not None and x != y for x, y in zip(a, b, strict=True))
               for i, a in enumerate(printed) for b in printed[i + 1 :])


def _restarts(cells: list[Cell], forms: tuple[str, ...]) -> list[int]:
    """Where each copy begins: the first cell after the numbers of the one before, where the table's
    first row's label comes again after numbers that followed it (in the header, or in the caption,
    of the next copy)."""
    starts = [0]
    last = -1  # the last value cell so far
    named = -1  # the last cell naming the first row
    for i, cell in enumerate(cells):
        if cell.kind in ("number", "na"):
            last = i
        elif cell.kind == "text" and any(f in cell.norm for f in forms):
            if starts[-1] <= named < last:
                starts.append(last + 1)
            named = i
    return starts


def _lines(table: Table, cells: list[Cell]) -> list[list[Cell]]:
    """表四's header with each full line of numbers and its label, one piece a line (one piece if
    there are fewer than two full lines)."""
    start = first_header_cell(cells, table)
    width = min(len(table.rows_for(t)) * len(table.columns_for(t)) for t in table.templates)
    full = [line for lo, hi in value_runs(cells[start:], header_words(table)) if hi - lo >= width
            for line in _one_a_line(cells, start + lo, start + hi, width)]
    if len(full) < 2:
        return [cells]
    words = _table_words(table)
    labels: list[int] = []  # where each line's label begins
    previous = start
    for lo, hi in full:
        at = lo
        while at > previous and cells[at - 1].kind == "text" and not _is_header(cells[at - 1].norm, words):
            at -= 1
        labels.append(at)
        previous = hi
    header = cells[: labels[0]]
    return [header + cells[at:hi] for at, (_, hi) in zip(labels, full, strict=True)]


def _one_a_line(cells: list[Cell], lo: int, hi: int, width: int) -> list[tuple[int, int]]:
    """A run of numbers as one run a line where it holds several lines of ``width`` cells each (two
    lines with no label between them), else as it is."""
    bounds = [i for i in range(lo + 1, hi) if cells[i].line != cells[i - 1].line]
    lines = [_trimmed(cells, a, b) for a, b in zip([lo, *bounds], [*bounds, hi], strict=True)]
    if len(lines) > 1 and all(b - a == width for a, b in lines):
        return lines
    return [(lo, hi)]


def _trimmed(cells: list[Cell], lo: int, hi: int) -> tuple[int, int]:
    """``cells[lo:hi]`` without the blank cells at its ends (an empty label's cell, a row's padding)."""
    while lo < hi and cells[lo].kind == "blank":
        lo += 1
    while hi > lo and cells[hi - 1].kind == "blank":
        hi -= 1
    return lo, hi


def _choose(table: Table, pieces: list[list[Cell]], read: Reader, year: int | None, agency: str | None,
            kind: Kind) -> TableRead | None:
    """The own copy's reading, or every row null when the text does not tell; None when the pieces
    are not copies (fewer than two of them read the table's first row and another)."""
    copies = [_Copy(p, i, *_caption(table, p), read(p)) for i, p in enumerate(pieces, 1)]
    tables = [c for c in copies if c.read.data is not None]
    if _parts(tables):
        return None
    seen = [_rows_seen(c.read) for c in tables]
    first = table.rows[0].id
    twice = {r for r in set().union(*seen) if sum(r in s for s in seen) >= 2}
    if first not in twice or len(twice) < 2:
        return None
    tables = [c for c, s in zip(tables, seen, strict=True) if first in s]
    # Not another's, by its caption; of those, the ones that name the report's own body, if any do
    # (a caption naming only the year does not tell this year's own table from this year's 汇总).
    left = [c for c in tables if whose(c.words, table, year, agency) != "other"]
    pick = [c for c in left if _body_says(c.words, table, agency) == "own"] or left
    if len(pick) > 1 and _agree(pick):
        pick = [_fullest(pick)]
    elif len(pick) != 1 and _agree(tables):
        pick = [_fullest(tables)]
    if len(pick) != 1:
        return _undecided(table, tables, kind)
    chosen = pick[0]
    others = [c for c in tables if c is not chosen]
    result = chosen.read
    result.findings.append(Finding(rule="PARSE-TABLE-COPIES", severity="info", where=table.id,
                                   message=_chosen_message(table, chosen, others, kind)))
    return result


def _parts(copies: list[_Copy]) -> bool:
    """The pieces print different columns, some of them only some of the table's (their headers said so):
    parts of one table split by columns, not copies of it."""
    columns = {frozenset(col for values in c.read.data.values() for col, v in values.items() if v is not None)
               for c in copies if c.read.data is not None}
    return len(columns) > 1 and any(f.rule == "PARSE-HEADER-MERGED" for c in copies for f in c.read.findings)


def _rows_seen(read: TableRead) -> set[str]:
    """The rows a reading found numbers for (a copy whose cells did not read, a page's list of
    ``本年制发件数：0`` beside its grid, is no copy to choose)."""
    assert read.data is not None
    return {rid for rid, values in read.data.items() if any(v is not None for v in values.values())}


def _agree(copies: list[_Copy]) -> bool:
    """Whether no cell reads one number in one copy and another in another (a table printed twice as
    it is; a copy some of whose cells did not read)."""
    cells = [_values(c) for c in copies]
    return all(a.get(key, v) == v for i, a in enumerate(cells) for b in cells[i + 1 :] for key, v in b.items())


def _fullest(copies: list[_Copy]) -> _Copy:
    """The copy with the most numbers read (the first of equals)."""
    return max(copies, key=lambda c: (len(_values(c)), -c.number))


def _values(copy: _Copy) -> dict[tuple[str, str], int | float]:
    """A copy's numbers by row and column."""
    assert copy.read.data is not None
    return {(rid, col): v for rid, values in copy.read.data.items() for col, v in values.items() if v is not None}


def _undecided(table: Table, copies: list[_Copy], kind: Kind) -> TableRead:
    """Every row null, with a finding on it: the copies differ and nothing says which is the report's."""
    base = copies[0].read
    assert base.data is not None
    data: TableData = {rid: dict.fromkeys(values, None) for rid, values in base.data.items()}
    named = "、".join(_named(c, kind) for c in copies)
    one = "一张" if kind == "table" else "一行"
    read = TableRead(data, base.template, printed=base.printed)
    for rid in data:
        read.findings.append(Finding(
            rule="PARSE-TABLE-WHICH", severity="warning", where=f"{table.id}.{rid}",
            message=(f"{_printed(table, len(copies), kind)}：{named}，数字不同，原文没有写明哪{one}是本年度、本机关的，"
                     "该行按空缺（null）处理，请核对原文")))
    return read


def _chosen_message(table: Table, chosen: _Copy, others: list[_Copy], kind: Kind) -> str:
    """What was taken and what was left, in the finding's words."""
    printed = _printed(table, len(others) + 1, kind)
    one = "张" if kind == "table" else "行"
    if all(c.read.data == chosen.read.data for c in others):
        return f"{printed}，数字相同，按一{one}读取"
    if _agree([chosen, *others]):
        return f"{printed}，各{one}读到的数字没有矛盾，按读到数字最多的{_named(chosen, kind)}读取"
    left = "、".join(_named(c, kind) for c in others)
    return f"{printed}：取{_named(chosen, kind)}；{left}不是本年度、本机关的数字，未采用"


def _printed(table: Table, n: int, kind: Kind) -> str:
    """How many copies were printed, in a finding's words."""
    if kind == "table":
        return f"本部分印有{n}张“{table.title}”表"
    return f"“{table.title}”表中印有{n}行数字"


def _named(copy: _Copy, kind: Kind) -> str:
    """A copy as a finding names it: by its place and its caption."""
    if kind == "table":
        return f"第{copy.number}张（标题为“{copy.caption}”）" if copy.caption else f"第{copy.number}张（未加标题）"
    return f"第{copy.number}行（“{copy.caption}”）" if copy.caption else f"第{copy.number}行（无标签）"


def _caption(table: Table, cells: list[Cell]) -> tuple[str, str]:
    """The last line of words before a copy's first number that is not the table's own header
    (``附：2022年度…（供对比）``, a line's label ``2022年``), cut where a header begins: comparable,
    and as printed (for findings); empty if none."""
    words = _table_words(table)
    lines: dict[int, list[Cell]] = {}
    for cell in cells:
        if cell.kind in ("number", "na"):
            break
        if cell.kind == "text":
            lines.setdefault(cell.line, []).append(cell)
    caption = printed = ""
    for line in lines.values():
        text = "".join(c.norm for c in line)
        m = any_header().search(text)
        cut = text[: m.start()].rstrip("([") if m else text  # the header's opening bracket is its own
        if not _is_header(cut, words):
            caption = cut
            printed = cut if m else " ".join(c.text.strip() for c in line)
    return caption, printed


def _is_header(text: str, words: re.Pattern[str]) -> bool:
    """Whether a text is the table's own words only (a header, a row's label), a character aside."""
    return len(_WORD_CHAR.findall(words.sub("", text))) < 2


@by_identity
def _table_words(table: Table) -> re.Pattern[str]:
    """Any of the table's declared words (markers, note, headers, row and column labels, captions)."""
    words = {*table.markers, *(w for w in (table.note, table.row_header, table.column_header) if w)}
    for row in table.rows:
        words |= {*row.labels(), *(w for w in (row.caption, row.stub, row.group) if w)}
    for column in table.columns:
        words |= {*column.labels(), *(w for w in (column.group,) if w)}
    forms = sorted({norm_label(w) for w in words} | {f for r in table.rows for f in row_forms(r)}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def whose(caption: str, table: Table, year: int | None, agency: str | None) -> Whose:
    """Whose numbers a copy's caption says they are: the report's own, another's, or None (it does not say).

    Two things are told apart: the year (a year against the report's; 本年 or 上年) and the body (a
    name before the table's title against the report's; 本机关; 其中, a part). Another year, another
    body, or words of comparison (供对比): another's. The report's own in one and nothing against it
    in the other: its own. Both years at once (``2023年与上年…``): the year says nothing.
    """
    if any(w in caption for w in COMPARED):
        return "other"
    verdicts = (_year_says(caption, year), _body_says(caption, table, agency))
    if "other" in verdicts:
        return "other"
    return "own" if "own" in verdicts else None


def _year_says(caption: str, year: int | None) -> Whose:
    """What the years a caption names say: the report's, another's, or nothing (none, or both)."""
    own = any(w in caption for w in _THIS_YEAR)
    other = any(w in caption for w in EARLIER)
    if year is not None:
        for y in _YEAR.findall(caption):
            own, other = own or int(y) == year, other or int(y) != year
    return None if own == other else "own" if own else "other"


def _body_says(caption: str, table: Table, agency: str | None) -> Whose:
    """What a caption says of the body: a part of it (其中), another's name or its own before the title."""
    if any(w in caption for w in _PART):
        return "other"
    name = _name_before_title(caption, table)
    if name:
        own = any(w in name for w in _OWN_BODY) or (agency is not None and same_body(name, norm_label(agency)))
        return "own" if own else "other"
    return "own" if any(w in caption for w in _OWN_BODY) else None


def _name_before_title(caption: str, table: Table) -> str:
    """The words before the table's title in a caption, its list marker, 附, a year and 的 left out
    (``（二）区政府办公室收到和处理…`` → 区政府办公室); "" if the title is not printed or nothing precedes it."""
    for title in _titles(table.id):
        at = caption.find(title)
        if at > 0:
            return _AROUND_NAME.sub("", caption[:at])
    return ""


@cache
def _titles(table_id: str) -> tuple[str, ...]:
    """The table's title and its part's heading words, comparable, longest first."""
    table = statutory().table_by_id(table_id)
    titles = {norm_label(table.title), *(norm_label(k) for k in statutory().section_by_id(table.section).keywords)}
    return tuple(sorted(titles, key=len, reverse=True))
