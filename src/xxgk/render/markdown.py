"""A report → Markdown: headings, paragraphs, and the statutory tables as pipe tables.

Pipe tables have one header row and no merged cells, so the grid is flattened: the leading
header rows become one header whose cells join their levels (``申请人情况 / 法人或其他组织 /
商业企业``); the label columns become one, a row's label being its path (``三、本年度办理结果 /
（三）不予公开 / 1.属于国家秘密``); a value cell spanning columns is written once, where it
starts. Header rows inside the body (table 二's captions) stay rows of their own.
"""

from __future__ import annotations

import re

from xxgk.model import Report
from xxgk.render.grid import Grid, GridCell
from xxgk.render.outline import Block, report_outline

HEADER_JOIN = " / "
# Characters that Markdown would read as markup in prose (escaped with a backslash).
_MARKUP = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^[#>+\-=]")
_ORDERED = re.compile(r"^(\d+)([.)]\s)")


def report_to_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    return "\n\n".join(_block(block) for block in report_outline(report)) + "\n"


def _block(block: Block) -> str:
    if block.kind == "table":
        assert block.grid is not None
        return grid_to_markdown(block.grid)
    text = escape_markdown(block.text)
    if block.kind == "title":
        return f"# {text}"
    if block.kind == "heading":
        return f"## {text}"
    return text


def escape_markdown(text: str) -> str:
    """Prose as Markdown that shows exactly this text (markup characters escaped)."""
    text = _MARKUP.sub(r"\\\1", " ".join(text.split()))
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\g<0>", text))


def _cell(text: str) -> str:
    """Cell text safe inside a pipe table."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _header_depth(grid: Grid) -> int:
    """How many leading rows hold header cells only."""
    depth = 0
    for r in range(grid.height):
        covering = [c for c in grid.cells if c.row <= r < c.row + c.rows]
        if not covering or any(c.kind != "header" for c in covering):
            break
        depth = r + 1
    return depth


def _covering(grid: Grid) -> dict[tuple[int, int], GridCell]:
    """Every grid position → the (merged) cell that covers it."""
    return {(r, c): cell for cell in grid.cells
            for r in range(cell.row, cell.row + cell.rows) for c in range(cell.col, cell.col + cell.cols)}


def grid_to_markdown(grid: Grid) -> str:
    """One statutory table as a pipe table (see the module docstring for how merges are flattened)."""
    depth = max(_header_depth(grid), 1)
    labels = grid.first_value_col
    # Label columns collapse into one: a row's label is its path (stub / group / label).
    out_col = [0 if c < labels else c - labels + (1 if labels else 0) for c in range(grid.width)]
    width = max(out_col) + 1
    cover = _covering(grid)
    header: list[list[str]] = [[] for _ in range(width)]
    for r in range(depth):
        for c in range(grid.width):
            cell = cover[(r, c)]
            # A spanning header names each value column under it; over label columns it is said once.
            if cell.text and cell.text not in header[out_col[c]] and (c == cell.col or cell.col >= labels):
                header[out_col[c]].append(cell.text)
    body: list[list[str]] = []
    for r in range(depth, grid.height):
        row = [""] * width
        path = [cover[(r, c)] for c in range(labels)] if labels else []
        row[0] = HEADER_JOIN.join(dict.fromkeys(cell.text for cell in path if cell.text)) if labels else row[0]
        for c in range(labels, grid.width):
            cell = cover[(r, c)]
            if cell.row == r and cell.col == c:
                row[out_col[c]] = cell.text
            elif cell.col < labels and cell.row == r and not row[0]:
                row[0] = cell.text  # a caption across the whole table
        body.append(row)
    lines = ["| " + " | ".join(_cell(HEADER_JOIN.join(h)) for h in header) + " |",
             "|" + "|".join(_align(grid, c, labels) for c in range(width)) + "|"]
    lines += ["| " + " | ".join(_cell(t) for t in row) + " |" for row in body]
    return "\n".join(lines)


def _align(grid: Grid, col: int, labels: int) -> str:
    """The label column left-aligned, value columns centred."""
    return ":---" if labels and col == 0 else ":---:"


__all__ = ["escape_markdown", "grid_to_markdown", "report_to_markdown"]
