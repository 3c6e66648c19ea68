"""Tables drawn with characters (a text browser's dump, a pandoc grid table) → one line a row.

w3m and elinks draw a page's table with box-drawing characters (``│ a │ b │`` between
``├──┼──┤`` rules); pandoc's grid tables draw it in ASCII (``| a | b |`` between ``+---+---+``).
Both wrap a long label over several lines inside its box, the row's numbers on one of them
(``│（二）部分公开（区分处理│    │`` ``│的，只计这一情形，不计其│ 0  │`` ``│他情形）│    │``): read line by
line, the label's pieces are three rows and the numbers belong to none of them. A row is what
stands between two rules: each column's pieces, joined, are one cell. The table is written back
as a Markdown pipe table (first row, ``| --- |`` rule, rows), as a converter's Markdown would be.
"""

from __future__ import annotations

import re

from xxgk.read.lines import join_wrapped
from xxgk.read.pipes import widen_tables

# A rule between rows: junctions, horizontal lines, walls and spaces only (a wall or spaces where a label
# spanning rows goes on: ``│        ┼──────┼``); a junction and three horizontal characters at least.
_JUNCTIONS = "┼├┤┌┐└┘┬┴╋┣┫┏┓┗┛┳┻╬╠╣╔╗╚╝╦╩╪╫╞╡╤╧╥╨╒╕╘╛╓╖╙╜+"
_RULE = re.compile(rf"[{_JUNCTIONS}│┃║|─━═\-=: ]*")
_HORIZONTAL = re.compile(r"[─━═\-=]{3}")
_WALL = re.compile(r"[│┃║|]")
_FIRST = frozenset(_JUNCTIONS + "│┃║|")  # the characters a drawn table's line starts with
_MAX_ROW_LINES = 40  # more lines in one row than any wrapped label: no table's row


def unbox(text: str) -> str:
    """The text with every drawn table written as a pipe table, one line a row (other text as it stands)."""
    if not any(ch in text for ch in "┼├+"):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is None:
            out.append(lines[i])
            i += 1
            continue
        rows, i = table
        out.extend(_pipe_table(rows))
    return "\n".join(out)


def _is_rule(line: str) -> bool:
    """A rule of a drawn table."""
    body = line.strip()
    return (len(body) >= 4 and body[0] in _FIRST and _RULE.fullmatch(body) is not None
            and any(ch in _JUNCTIONS for ch in body) and _HORIZONTAL.search(body) is not None)


def _is_row_line(line: str) -> bool:
    """A line of a drawn table's row: between two walls."""
    body = line.strip()
    return len(body) >= 2 and _WALL.match(body[0]) is not None and _WALL.match(body[-1]) is not None


def _table_at(lines: list[str], start: int) -> tuple[list[list[str]], int] | None:
    """The rows of the drawn table whose first rule is ``lines[start]``, and the index past its last
    rule; None where no table starts there (a rule, a row, a rule at least)."""
    if not _is_rule(lines[start]):
        return None
    rows: list[list[str]] = []
    i = start + 1
    end = start
    while i < len(lines):
        j = i
        while j < len(lines) and j - i <= _MAX_ROW_LINES and not _is_rule(lines[j]) and _is_row_line(lines[j]):
            j += 1
        if j == i or j >= len(lines) or not _is_rule(lines[j]):
            break
        rows.extend(_row(lines[i:j]))
        end = i = j + 1
    return (rows, end) if rows else None


def _row(lines: list[str]) -> list[list[str]]:
    """The cells of the row drawn on these lines: each column's pieces joined; each line a row of its
    own where the lines do not have the same walls (not one row's box)."""
    split = [[piece.strip() for piece in _WALL.split(line.strip())[1:-1]] for line in lines]
    if len({len(cells) for cells in split}) != 1:
        return split
    return [[join_wrapped(list(column)) for column in zip(*split, strict=True)]]


def _pipe_table(rows: list[list[str]]) -> list[str]:
    """Rows as a Markdown pipe table: the first row, its rule, the others (each as wide as the widest)."""
    width = max(len(r) for r in rows)
    body = ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows]
    text = "\n".join([body[0], "|" + " --- |" * len(rows[0]), *body[1:]])
    return ["", *widen_tables(text).split("\n"), ""] if width else []
