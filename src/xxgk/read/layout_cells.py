"""A page laid out with a table, turned into Markdown by markdownify: the whole article in one cell.

A site that lays its article out in a one-column ``<table>`` (a frame around the text) is written by
markdownify as a one-column pipe table whose one cell holds everything on one line: the cell's line
breaks become spaces, so its paragraphs are set apart by two spaces and the statutory tables inside
it are their rows run together (``| --- | --- | | 规章 | 0 | 0 | 0 | | 行政规范性文件 | …``). No
reader finds a heading or a row in it: the cell is taken out of its frame, its paragraphs put on
lines of their own and its tables' rows too. A row's break and a spanning cell's padding are both
written ``| |``: every ``| |`` breaks the line, so a row padded for a spanning cell is cut in two
there (its label and its numbers on consecutive lines, which the rows' reading joins).
"""

from __future__ import annotations

import re

# A one-column table's rule (``| --- |``): the frame around a layout table's one cell.
_ONE_COLUMN_RULE = re.compile(r"^\s*\|\s*:?-{3,}:?\s*\|\s*$")
# A table's rule inside a cell: ``| --- | --- |``.
_INNER_RULE = re.compile(r"\|(?:[ \t]*:?-{3,}:?[ \t]*\|){2,}")
# A run of two spaces or more: a paragraph's end, unless between two cell borders (an empty cell, ``|  |``).
_SPACES = re.compile(r" {2,}")
# A row's end run into the next row's start (or a spanning cell's padding): ``| |``.
_ROW_BREAK = re.compile(r"\| (?=\|)")


def unwrap_layout_cells(text: str) -> str:
    """The text with each one-column table's cell that holds tables written out as lines of its own."""
    if "---" not in text or "|" not in text:
        return text
    lines = text.split("\n")
    inside = False  # below a one-column table's rule, among its rows
    for i, line in enumerate(lines):
        if _ONE_COLUMN_RULE.match(line):
            inside = True
            continue
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.endswith("|")):
            inside = False
            continue
        if inside and _holds_a_table(stripped[1:-1]):
            lines[i] = "\n" + _unwrapped(stripped[1:-1].strip()) + "\n"
    return "\n".join(lines)


def _holds_a_table(cell: str) -> bool:
    """Whether a cell holds a table's rule after words of its own (a rule row of its own table has none)."""
    rule = _INNER_RULE.search(cell)
    return rule is not None and bool(cell[: rule.start()].strip(" |"))


def _unwrapped(cell: str) -> str:
    """A layout cell's words as lines: a line per paragraph, a line per row of a table inside it."""
    paragraphs: list[str] = []
    start = 0
    for m in _SPACES.finditer(cell):
        if not (cell[m.start() - 1 : m.start()] == "|" and cell[m.end() : m.end() + 1] == "|"):
            paragraphs.append(cell[start : m.start()])
            start = m.end()
    paragraphs.append(cell[start:])
    out: list[str] = []
    for paragraph in paragraphs:
        if paragraph.startswith("|") and paragraph.endswith("|"):
            rows = [row.strip() for row in _ROW_BREAK.sub("|\n", paragraph).split("\n")]
            out.append("\n".join(row for row in rows if row != "|"))
        else:
            out.append(paragraph)
    return "\n\n".join(part for part in out if part)
