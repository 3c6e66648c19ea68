"""Lines of a table region → a flat stream of cells (text, number, blank, not-applicable).

Real reports print the same table as HTML grids, ``a | b |`` rows, one cell per line,
space-separated columns, or everything run together on one line. Each line is cut into
cells by the rule its form calls for; the row recogniser then sees one kind of input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from xxgk.parse.lost import MARK
from xxgk.read.document import Line

CellKind = Literal["text", "number", "blank", "na"]
# How sure we are of a blank cell's position: a real grid knows it; a pipe row may be padded.
BlankSource = Literal["grid", "pipe", "none"]


# Not frozen: hundreds are built per report, and a frozen dataclass costs three times as much to
# build. Cells are values all the same: changed only by ``replace``, never assigned to.
@dataclass(slots=True)
class Cell:
    kind: CellKind
    text: str  # as published
    norm: str  # normalised, without white space (for matching)
    offset: int
    line: int
    blank_source: BlankSource = "none"
    value: int | float | None = None
    # A number printed as digits only (a sign at most; no decimal point or separator): a
    # run of several cells' digits may have lost its separators and can be split again.
    bare_digits: bool = False
    # Digits printed at the end of a label ("规范性文件898989"): their cell's place says nothing.
    after_label: bool = False
    # The unit printed after the number ("800元", "1.2万件"): ``value`` is the number as printed, in
    # that unit; the row's reader compares it with its column's (parse/values.py).
    unit: str | None = None
    # A footnote mark printed after the number ("88796①", "0²", "5*", "0[1]"): not part of its value.
    note: str | None = None
    # The last cell of a row that keeps every cell boundary and is as wide as its table (``|`` or tab rows
    # of text, spanned positions printed empty): the row's values are its last cells, counted from here.
    row_end: bool = False


# The units a table cell prints after its number: counts (万 before one multiplies) and money.
_UNITS = r"万?(?:件|条|个|项)|万元|元|万"
# A sign: ASCII or the minus sign (U+2212) a word processor prints, 增/减, or the arrows of a 本年增/减
# column (↑2, ↓3); ± only before zero ("±0": no change). A unit may follow, then a footnote mark
# (①, ², *, ※, †, [1]).
_NUMBER = re.compile(
    r"(?P<sign>[+\-\u2212±↑↓]|增加?|减少?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    rf"(?P<unit>{_UNITS})?(?P<note>[\u2460-\u2473\u2776-\u277f]|[\u00b9\u00b2\u00b3\u2070-\u2079]+"
    r"|\*{1,3}|※|†|‡|\[\d{1,2}\])?"
)
_UNIT_WORD = re.compile(_UNITS)
_NEGATIVE = frozenset(("-", "\u2212", "↓"))
_NA = re.compile(r"[-/\\—－／_]+|无|/无|暂无|不适用|不涉及|空|空白|[×xX✕╳]|N/?A|—+|--+|－+")
_NA_FIRST = frozenset("-/\\—－／_无暂不空×xX✕╳N")  # the characters a not-applicable mark can start with
# Zero written as the numeral 〇 (or a circle, or 零), as Word tables typed with a Chinese input
# method print it. Read as any other text it would split its row's numbers in two, and the part
# after it could be claimed by the next row's label.
_ZERO_MARKS = frozenset("〇○◯零")
# What else a number (a sign, 增, 减), a not-applicable mark or a damaged number can start with.
_VALUE_FIRST = _NA_FIRST | frozenset(f"+-\u2212±↑↓增减,.?{MARK}")
_DIGIT = re.compile(r"\d")
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)\s*")
_PAGE_NUMBER_FIRST = frozenset("-—–第")  # what a page number's first printed character can be
# A number glued to the end of a label: "行政规范性文件6233440".
_TRAILING_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff)\]\"])(\d+(?:\.\d+)?)$")
_ASCII_NUMBER_CHARS = "0123456789."
# In run-together text every digit run is a cell, except list markers ("2.其他…").
# A unit printed after the digits is the number's ("800元", "1.2万"): read apart, 1.2 or 800 would stand as the value.
_DIGIT_RUN = re.compile(rf"[+\-]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:{_UNITS})?")
# Markdown's delimiter row under a header: "|---|:---:|". Each run of spaces has one place to go (a long
# padded line cost cubic time when two adjacent ``\s*`` could share it).
_MARKDOWN_RULE = re.compile(r"\s*(?:\|\s*)?(?::?-{3,}:?\s*\|\s*)+(?::?-{3,}:?\s*)?")
_LIST_MARKER_AFTER = re.compile(r"\.(?=[^\d\s])")
# Digits, with a sign and thousands separators at most: "1,066" or, run together, "81261,066".
_SIGNED_DIGITS = re.compile(r"[+\-]?\d(?:[\d,]*\d)?")
_CJK_DIGIT_CJK = re.compile(r"[\u4e00-\u9fff)]\d+[\u4e00-\u9fff(]")
# A cell whose only character was lost (a 〇, a —, a digit the page's encoding could not carry): one
# character, as no row label is (a label of two lost is no value, and must not join its neighbours' row).
_LOST_CELL = frozenset(("?", MARK))
# A note in brackets closing a cell (``298件(2023年度)``): not part of the number before it.
_BRACKETED_NOTE = re.compile(r"\([^()]*\)$")
# A number that lost a digit in the crawl (``5?0``, ``?50``; see parse/lost.py): it holds its cell's
# place, and its value is unknown.
_DAMAGED_NUMBER = re.compile(rf"(?=.*[?{MARK}])[\d,.?{MARK}]*\d[\d,.?{MARK}]*")


def parse_number(norm: str) -> int | float | None:
    """A cell's number (as printed, in its printed unit), or None when the cell is not a number."""
    m = _NUMBER.fullmatch(norm)
    return _value(m) if m else None


def _value(m: re.Match[str]) -> int | float | None:
    digits = m.group("num").replace(",", "")
    value: int | float = float(digits + m.group("frac")) if m.group("frac") else int(digits)
    sign = m.group("sign")
    if sign == "±":  # "±0" is no change; "±3" says nothing
        return value if value == 0 else None
    if sign and (sign in _NEGATIVE or sign.startswith("减")):
        value = -value
    return value


def classify(text: str, norm: str, offset: int, line: int, blank: BlankSource) -> Cell:
    """One cell's text → a typed cell."""
    if not norm:
        return Cell("blank", text, norm, offset, line, blank_source=blank)
    if norm.isascii() and norm.isdigit():  # the common case, without a regex
        return Cell("number", text, norm, offset, line, blank, int(norm), True)
    first = norm[0]
    if norm in _ZERO_MARKS:
        return Cell("number", text, norm, offset, line, blank, value=0)
    if not _DIGIT.search(norm):  # a label: neither pattern of digits can match
        if first in _NA_FIRST and _NA.fullmatch(norm):
            return Cell("na", text, norm, offset, line, blank)
        if norm in _LOST_CELL:  # a cell's one character lost: its value is unknown, its place is kept
            return Cell("na", text, norm, offset, line, blank)
        return Cell("text", text, norm, offset, line, blank)
    if not first.isdecimal() and first not in _VALUE_FIRST:  # a label with digits: no pattern below can match
        return Cell("text", text, norm, offset, line, blank)
    m = _NUMBER.fullmatch(norm)
    value = _value(m) if m else None
    bare = bool(_SIGNED_DIGITS.fullmatch(norm))
    if m and value is not None:
        return Cell("number", text, norm, offset, line, blank, value=value, bare_digits=bare,
                    unit=m.group("unit"), note=m.group("note"))
    if m is None and (noted := _noted(norm)) is not None:
        return Cell("number", text, norm, offset, line, blank, value=noted[0], unit=noted[1], note=noted[2])
    if bare:
        # Separators in impossible places ("81261,066"): several cells run together.
        return Cell("number", text, norm, offset, line, blank, value=None, bare_digits=True)
    if _NA.fullmatch(norm) or _DAMAGED_NUMBER.fullmatch(norm):
        return Cell("na", text, norm, offset, line, blank)
    return Cell("text", text, norm, offset, line, blank)


def _noted(norm: str) -> tuple[int | float, str | None, str] | None:
    """A number with a note in brackets after it (``298件(2023年度)``) → its value, unit and the note; where
    the number prints its unit, or the note holds no digits (``5(其中3)`` may be two numbers)."""
    m = _BRACKETED_NOTE.search(norm)
    if m is None or m.start() == 0:
        return None
    head = _NUMBER.fullmatch(norm[:m.start()])
    if head is None or head.group("note") or (value := _value(head)) is None:
        return None
    if head.group("unit") is None and _DIGIT.search(m.group()):
        return None
    return value, head.group("unit"), m.group()


def is_damaged_number(cell: Cell) -> bool:
    """A number that lost a character in the crawl (``12?8``, a lone ``?``): not a value, nor a mark the
    agency wrote."""
    return cell.kind == "na" and (cell.norm in _LOST_CELL or _DAMAGED_NUMBER.fullmatch(cell.norm) is not None)


def is_page_number(text: str) -> bool:
    """Page furniture of PDF text (``-3-``, ``- 4 -``, ``第3页``)."""
    return text.lstrip()[:1] in _PAGE_NUMBER_FIRST and bool(_PAGE_NUMBER.fullmatch(text))


def is_run_together(norm_line: str) -> bool:
    """A line where table cells lost their separators (a whole table flattened into one line)."""
    # Five matches of three characters at least: a shorter line (most are) cannot have them.
    return len(norm_line) >= 15 and "|" not in norm_line and len(_CJK_DIGIT_CJK.findall(norm_line)) >= 5


def is_markdown_rule(norm_line: str) -> bool:
    """The ``|---|---|`` line under a Markdown table's first row."""
    return bool(_MARKDOWN_RULE.fullmatch(norm_line))


def line_to_cells(line: Line, norm: str, run_together: bool = False, markdown: bool = False) -> list[Cell]:
    """One line (its published text and its normalised text) → cells.

    ``markdown``: the document holds Markdown tables, whose rows open with a ``|`` that
    closes no cell (``| a | b |``).
    """
    if line.cells is not None and line.cell_offsets is not None:
        return _grid_cells(line, norm)
    if is_page_number(line.text) or ("---" in norm and _MARKDOWN_RULE.fullmatch(norm)):
        return []
    if "|" in norm:
        return _pipe_cells(line, norm, markdown)
    if "\t" in line.text and "\t" in line.text.strip():
        return _tab_cells(line, norm)
    if run_together:
        return _run_together_cells(line, norm)
    return _spaced_cells(line, norm)


def _make(line: Line, norm: str, start: int, end: int, blank: BlankSource = "none") -> Cell:
    piece = norm[start:end]
    stripped = "".join(piece.split())
    lead = len(piece) - len(piece.lstrip())
    return classify(line.text[start:end].strip(), stripped, line.offset + start + lead, line.number, blank)


def _grid_cells(line: Line, norm: str) -> list[Cell]:
    """Cells of a real table row: positions and blanks are exact."""
    assert line.cells is not None and line.cell_offsets is not None
    out: list[Cell] = []
    add = out.append
    base, number, size = line.offset, line.number, len(norm)
    for text, off in zip(line.cells, line.cell_offsets, strict=True):
        rel = off - base
        end = rel + len(text)
        piece_norm = norm[rel:end] if end <= size else text
        if piece_norm.isascii():  # most cells of a grid, numbers and empty cells: what classify would make
            if piece_norm.isdigit():
                add(Cell("number", text, piece_norm, off, number, "grid", int(piece_norm), True))
                continue
            if not piece_norm:
                add(Cell("blank", text, piece_norm, off, number, "grid"))
                continue
        cell = classify(text, "".join(piece_norm.split()), off, number, "grid")
        # A label cell holding its row's digits too ("规范性文件898989"); "数据1" is a header.
        tail = _trailing_number(cell.norm) if cell.kind == "text" and cell.norm[-1].isdecimal() else None
        if tail is not None and len(cell.norm) - tail >= 2:
            out.extend(_split_glued_tail(cell, "grid"))
        else:
            add(cell)
    return out


_BAR = re.compile(r"\|")


def _pipe_cells(line: Line, norm: str, markdown: bool = False) -> list[Cell]:
    """``a | b | | c |``: every ``|`` closes a cell; an empty one is a blank cell.

    In a Markdown row (``| a | b |``) the first ``|`` opens the row instead.
    """
    bars = [m.start() for m in _BAR.finditer(norm)]
    start = 0
    if markdown and not norm[: bars[0]].strip() and norm[bars[0] + 1 :].strip(" |"):
        start = bars.pop(0) + 1
    return _separated_cells(line, norm, bars, start)


def _tab_cells(line: Line, norm: str) -> list[Cell]:
    """Cells apart by tab characters (a table copied from a spreadsheet): an empty one is blank,
    a leading tab included."""
    start = len(line.text) - len(line.text.lstrip(" "))
    tabs = [i for i, ch in enumerate(line.text) if ch == "\t" and i >= start]
    cells = _separated_cells(line, norm, tabs, start)
    if tabs and not norm[tabs[-1] + 1 :].strip():  # a tab separates: an empty last field is a cell
        cells.append(_make(line, norm, tabs[-1] + 1, len(norm), "pipe"))
    return cells


def _separated_cells(line: Line, norm: str, separators: list[int], start: int) -> list[Cell]:
    """Cells between separator positions: each separator closes one (a row may be padded)."""
    out: list[Cell] = []
    for sep in separators:
        cell = _make(line, norm, start, sep, "pipe")
        if cell.kind == "text":  # a label may hold its row's digits
            out.extend(_split_glued_tail(cell))
        else:
            out.append(cell)
        start = sep + 1
    if norm[start:].strip():
        out.extend(_split_glued_tail(_make(line, norm, start, len(norm), "pipe")))
    return out


def _spaced_cells(line: Line, norm: str) -> list[Cell]:
    """Columns separated by white space; neighbouring words of one label are joined again."""
    words = norm.split()
    if len(words) <= 1:  # a table printed one cell per line: the common case, without a regex
        if not words:
            return []
        start = len(norm) - len(norm.lstrip())
        cell = classify(line.text[start : start + len(words[0])].strip(), words[0], line.offset + start,
                        line.number, "none")
        return [cell] if cell.kind != "text" else _split_glued_tail(cell)
    out: list[Cell] = []
    end = 0
    for word in words:
        # Where the word stands: past the last one, only white space comes before it. A word has no
        # white space: its norm is its cell's norm as it is.
        start = norm.find(word, end)
        end = start + len(word)
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "number" and prev.unit is None and _UNIT_WORD.fullmatch(word):
            # "0 件": a unit set apart from its number is still the number's.
            joined = line.text[prev.offset - line.offset : end]
            out[-1] = classify(joined, prev.norm + word, prev.offset, line.number, "none")
            continue
        cell = classify(line.text[start:end].strip(), word, line.offset + start, line.number, "none")
        if cell.kind != "text":
            out.append(cell)
            continue
        for part in _split_glued_tail(cell):
            if part.kind == "text" and out and out[-1].kind == "text":
                prev = out[-1]
                joined_text = line.text[prev.offset - line.offset : part.offset - line.offset + len(part.text)]
                out[-1] = Cell("text", joined_text, prev.norm + part.norm, prev.offset, line.number)
            else:
                out.append(part)
    return out


def _trailing_number(norm: str) -> int | None:
    """Where ``_TRAILING_NUMBER`` finds the number glued to the end of a label; None if it does not."""
    # The number is the whole run of digits and points at the end (what precedes it is neither):
    # strip it off rather than let the pattern try every position of the label.
    head = norm.rstrip(_ASCII_NUMBER_CHARS)
    if head and head[-1].isdecimal():  # a digit of another script: the pattern knows them all
        m = _TRAILING_NUMBER.search(norm)
        return m.start() if m else None
    tail = norm[len(head) :]
    if not head or not tail or tail[0] == "." or tail[-1] == "." or tail.count(".") > 1:
        return None
    before = head[-1]  # the pattern's look-behind: a Chinese character or a closing bracket or quote
    return len(head) if "\u4e00" <= before <= "\u9fff" or before in ')]"' else None


def _split_glued_tail(cell: Cell, blank: BlankSource = "none") -> list[Cell]:
    """``行政规范性文件6233440`` → the label and the number."""
    if cell.kind != "text" or not cell.norm[-1:].isdecimal():  # \d is a decimal digit
        return [cell]
    start = _trailing_number(cell.norm)
    if start is None:
        return [cell]
    head_norm, num = cell.norm[:start], cell.norm[start:]
    head_text = cell.text[: len(cell.text) - len(num)]
    num_cell = replace(classify(num, num, cell.offset + len(cell.text) - len(num), cell.line, blank),
                       after_label=True)
    return [Cell("text", head_text, head_norm, cell.offset, cell.line, blank), num_cell]


def _run_together_cells(line: Line, norm: str) -> list[Cell]:
    """A flattened table: every digit run is a number, except the list marker of the next label."""
    out: list[Cell] = []
    pos = 0
    for m in _DIGIT_RUN.finditer(norm):
        start, end = m.start(), m.end()
        run = m.group()
        if start and norm[start - 1] == "(" and norm.startswith(")", end):
            continue  # "(2)": a list marker or a label's footnote mark, never a value
        if "." not in run and _LIST_MARKER_AFTER.match(norm, end):
            # "00000002.其他法律…": the last digit numbers the next label.
            if len(run) == 1:
                continue
            end -= 1
        elif "." in run and not run.split(".")[1]:
            continue
        if start > pos:
            out.extend(_text_piece(line, norm, pos, start))
        out.append(_make(line, norm, start, end))
        pos = end
    if pos < len(norm):
        out.extend(_text_piece(line, norm, pos, len(norm)))
    return out


def _text_piece(line: Line, norm: str, start: int, end: int) -> list[Cell]:
    if not norm[start:end].strip():
        return []
    return [_make(line, norm, start, end)]
