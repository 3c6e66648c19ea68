"""A report → a web page in the official form: ``<table>`` with rowspan/colspan from the grid.

Every piece of text is escaped; the page carries its own style (fonts fit for publication:
方正小标宋/黑体 for titles and headings, 仿宋 for prose, 宋体 in tables) and nothing external.
"""

from __future__ import annotations

from html import escape

from xxgk.model import Report
from xxgk.render.grid import Grid
from xxgk.render.outline import Block, report_outline, report_title

STYLE = """
body { max-width: 60em; margin: 2em auto; padding: 0 1em; color: #000; line-height: 1.8;
       font-family: "FangSong", "仿宋", "FangSong_GB2312", "STFangsong", serif; font-size: 16pt; }
h1 { text-align: center; font-family: "FZXiaoBiaoSong-B05", "方正小标宋简体", "SimSun", "宋体", serif;
     font-size: 22pt; font-weight: normal; }
h2 { font-family: "SimHei", "黑体", "STHeiti", sans-serif; font-size: 16pt; font-weight: normal; }
p { text-indent: 2em; margin: 0.3em 0; }
p.signature { text-align: right; text-indent: 0; }
p.dateline { text-align: center; text-indent: 0; color: #555; }
table { border-collapse: collapse; margin: 1em auto; font-family: "SimSun", "宋体", serif; font-size: 10.5pt;
        line-height: 1.4; }
th, td { border: 1px solid #000; padding: 0.2em 0.4em; text-align: center; vertical-align: middle; }
td.label { text-align: left; }
"""


def report_to_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    body = "\n".join(_block(block) for block in report_outline(report))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(report_title(report))}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _block(block: Block) -> str:
    if block.kind == "table":
        assert block.grid is not None
        return grid_to_html(block.grid)
    text = escape(block.text)
    if block.kind == "title":
        return f"<h1>{text}</h1>"
    if block.kind == "heading":
        return f"<h2>{text}</h2>"
    if block.kind in ("signature", "dateline"):
        return f'<p class="{block.kind}">{text}</p>'
    return f"<p>{text}</p>"


def grid_to_html(grid: Grid) -> str:
    """One statutory table: header cells as ``th``, merged cells as rowspan/colspan."""
    rows: list[list[str]] = [[] for _ in range(grid.height)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        tag = "th" if cell.kind == "header" else "td"
        attrs = "".join(f' {name}="{n}"' for name, n in (("rowspan", cell.rows), ("colspan", cell.cols)) if n > 1)
        if cell.kind == "label":
            attrs += ' class="label"'
        rows[cell.row].append(f"<{tag}{attrs}>{escape(cell.text)}</{tag}>")
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return f'<table data-table="{escape(grid.table)}">\n{body}\n</table>'
