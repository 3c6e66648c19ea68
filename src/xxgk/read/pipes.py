"""Markdown pipe tables as converters write them, made whole before a renderer reads them.

A pipe table is as wide as its first row, and a renderer drops the cells of a longer row. The
statutory tables' first row is a spanning header (``（本列数据的勾稽关系为…） | 申请人情况``, two cells)
above rows of eight, so converters' tables (html2text's) lose most of their numbers that way: the
first row and its delimiter row are widened to the table's widest row before rendering.

A row narrower than its table lost cells to spans: the renderer fills it at its end, which is right for
a label row (``| 信息内容 | 本年处理决定数量 |``) but not for a row of values, whose last cell is the
table's last column and whose lost cells are on the left, under a label spanning rows (markdownify's
``| （六）其他处理 | |  | 3 | … | 15 |`` below ``三、本年度办理结果``): such a row is filled at its start.
"""

from __future__ import annotations

import re

# The delimiter row under a pipe table's first row: ``---|---``, ``| :--- | ---: |``.
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
# Wider than any statutory table's row (表四's fifteen values, their label, spans repeated).
_MAX_WIDTH = 64


def widen_tables(text: str) -> str:
    """Give every pipe table's first row and delimiter row as many cells as its widest row has."""
    lines = text.split("\n")
    i = 1
    while i < len(lines):
        if "-" not in lines[i] or not _DELIMITER_ROW.match(lines[i]) or "|" not in lines[i - 1] + lines[i]:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() and _PIPE.search(lines[end]):
            end += 1
        # At most _MAX_WIDTH: every row is padded to the first row's width, so a hostile row of a million
        # ``|`` would otherwise make every row of the table a million cells.
        open_ended = not lines[i - 1].rstrip().endswith("|")
        if open_ended:  # html2text's rows: a ``|`` ending a row ends a cell, empty after it
            lines[i + 1 : end] = [_closed(line) for line in lines[i + 1 : end]]
        width = min(_MAX_WIDTH, max((_cell_count(line) for line in lines[i + 1 : end]), default=0))
        header = _cell_count(lines[i - 1])
        if width > header:
            lines[i - 1] = _with_cells(lines[i - 1], width - header, " ")
            lines[i] = _with_cells(lines[i], width - header, " --- ")
        width = max(width, header)
        lines[i + 1 : end] = [_right_aligned(line, width) for line in lines[i + 1 : end]]
        i = end
    return "\n".join(lines)


def _cell_count(line: str) -> int:
    """The cells of a pipe table row (a leading and a trailing ``|`` open and close it)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(_PIPE.findall(body)) + 1


# The last cell of a row of values: a number (a unit or a percent after it), a mark for none, or empty.
_VALUE_CELL = re.compile(r"\s*(?:[+\-\u2212]?\d[\d,，.]*\s*(?:万?[件条个项]|万元|元|万|%)?|[-/／—－_]+|无|)\s*")


def _closed(line: str) -> str:
    """A row that ends with a ``|`` in a table whose rows do not open with one (html2text's ``x| 1|  ``):
    the ``|`` ends a cell and an empty one follows it, which the renderer would not count."""
    body = line.rstrip()
    if body.endswith("|") and not body.endswith("\\|") and not body.lstrip().startswith("|"):
        return body + " |"
    return line


def _right_aligned(line: str, width: int) -> str:
    """A row of values narrower than its table with the cells it lacks at its start (see the module's
    docstring); any other row as it stands."""
    count = _cell_count(line)
    body = line.strip()
    if count >= width or not body:
        return line
    cells = _PIPE.split(body.strip("|") if not body.endswith("\\|") else body.lstrip("|"))
    # A value last, or an empty last cell in a row that holds values (a blank 总计); and a label before them
    # (a row of numbers alone may have been cut from its label's line: where it stands is not known).
    values = [bool(c.strip()) and _VALUE_CELL.fullmatch(c) is not None for c in cells]
    labelled = any(c.strip() and not v for c, v in zip(cells, values, strict=True))
    if not labelled or not (values[-1] or (not cells[-1].strip() and any(values))):
        return line
    indent = line[: len(line) - len(line.lstrip())]
    rest = body[1:] if body.startswith("|") else body
    return indent + "|" + " |" * (width - count) + " " + rest.lstrip()


def _with_cells(line: str, extra: int, cell: str) -> str:
    """A row with ``extra`` cells more at its end, closed by a ``|`` (a last cell of spaces after an
    unclosed ``|`` would not count)."""
    body = line.rstrip()
    if not body.endswith("|") or body.endswith("\\|"):
        body += "|"
    return body + (cell + "|") * extra
