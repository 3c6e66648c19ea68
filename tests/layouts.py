"""The statutory tables of a report, printed in every layout real crawls produce.

A report's tables (the contract shape: table id → row id → column id → number) are laid
out once as the official template lays them out — rows of cells with their row and column
spans, every label taken from ``xxgk.templates.statutory()`` — inside a minimal report
(title, the six headings with a sentence each). Each layout function then prints that
document the way one kind of crawl does:

========================  ============================================================
``one_cell_per_line``     seed 001: every cell on its own line, blank lines in between
``pipes``                 seed 002: ``label | 0 | 0 |`` rows, spans padded ``| |||``
``alternating``           dev 025/027: every cell on its own line ending in `` |``
``alternating_bar``       dev 031: the same, with a lone ``|`` line opening each row
``spaced``                dev 001 (pdftotext -layout): columns apart by runs of spaces
``spaced_raw``            dev 003 (pdftotext -raw): single spaces, header words one per
                          line, the 三、本年度办理结果 stub printed one character a line
``tabs``                  cells separated by tab characters
``tabs_grid``             a spreadsheet's rows saved as text: tabs, every row as wide as the
                          grid, spanned positions empty
``run_together``          dev 010: the whole report on one line, no separators at all
``html``                  a real ``<table>`` with rowspan/colspan (read with xxgk.parse)
``wrapped_headers``       spaced, column headers printed on two physical lines
                          (``本年新`` above ``制作数量``)
``narrow_columns``        tables squeezed beside a site's menu, printed to PDF, read as text:
                          labels a few characters a line around their numbers, spanning
                          cells wrapping down their own column between them
``narrow_top``            the same with cells aligned to their top (LibreOffice's or Word's
                          conversion of a printed PDF): a label's first piece beside its
                          numbers, the rest below them; spanning cells from their first row
``truncated_headers``     seed 002: pipes whose headers kept only their first line
                          (``本年新 | 本年新``)
``pipes_grid``            pipes as wide as the grid, spanned positions left empty
``trafilatura_text``      trafilatura's text: ``| a |  | 3 | `` rows as wide as the grid, a ``|---|``
                          rule under the first table's first row (the whole text read as Markdown)
``box_drawn``             a text browser's dump (w3m, elinks): the same grid drawn with
                          box-drawing characters, a rule between rows
``box_wrapped``           the same with long labels wrapped over lines inside their boxes, a
                          row's numbers on its middle line (w3m)
``ascii_grid``            pandoc's grid table: ``+---+`` rules, ``| a | b |`` rows, labels
                          wrapped, numbers on a row's first line
``markdown``              HTML turned into Markdown: ``| a | b |`` with a ``|---|`` line,
                          spanned cells repeated in every column and row they cover
``markdown_plain``        the same by html2text: each row only the cells it writes
``markdown_spans_empty``  the same by markdownify: a spanned cell once, the columns it
                          covers as empty cells
``markdown_per_row``      a heading per row (``### 一、本年新收…``), then a small table with
                          a generic header (``| 类别 | 数据1 | … | 总计 |``) and its values
``markdown_inline_groups``  Markdown with a row's stub and group inline in its label cell,
                          group captions inline in the column headers
========================  ============================================================

A :class:`Variant` changes the characters, whatever the layout: half-width brackets,
traditional characters (the whole text through ``opencc.OpenCC("s2t")``), labels broken
over lines, the 部分公开 note left out, full-width digits, 减4 for -4, the section headings left out
(trafilatura's text of a page drops its ``<h2>`` headings).

No pytest in here: ``render`` returns the text (HTML source for ``html``).
"""

from __future__ import annotations

import html as _html
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import groupby
from typing import Literal

import opencc

from xxgk.templates import Row, statutory

Number = int | float
# A cell is a number, or a string printed as it stands: "" (a blank cell), "/" or "—".
Value = Number | str
Tables = Mapping[str, Mapping[str, Mapping[str, Value]]]
CellKind = Literal["caption", "header", "note", "stub", "group", "label", "value"]

# Where a label is broken; each layout prints it its own way (a blank line, a space, <br>…).
BREAK = "\ue000"
# A list marker or ordinal in front of a label: breaks go into the words after it.
_ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")
_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})
_FULL_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
TABLE_IDS = ("active", "requests", "review_litigation")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the official grid, text as printed, with its spans."""

    text: str
    kind: CellKind = "label"
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Cell]]


@dataclass(frozen=True, slots=True)
class Variant:
    """How the characters of the report are printed, whatever the layout."""

    name: str
    halfwidth: bool = False  # (一) instead of （一）, : and , instead of ： and ，
    traditional: bool = False  # the whole text through OpenCC s2t
    broken: bool = False  # column headers, group labels and long row labels broken in two
    partial_note: bool = True  # （二）部分公开 followed by （区分处理的，…）
    fullwidth_digits: bool = False  # ０１２… everywhere
    minus_word: bool = False  # a negative number printed 减4 instead of -4
    thousands: bool = False  # 3,001 and 447,228 (tables made in Excel)
    pinyin: bool = False  # a site's reading aid: 規(guī)章, 數(shù)量 (dev d110)
    glued_active: bool = False  # 表二 rows of several numbers glued to their label: 规范性文件898989
    headings: bool = True  # the six section headings printed (a crawl such as trafilatura's drops them)
    # Row labels' list markers: "official" （一）… 1.…; "paren" (1) for 1.; "circled" ① for 1.; "bracket_lost"
    # 一） for （一） (a crawl's lost bracket); "none": no marker at all (予以公开, 总计, 其他).
    markers: Literal["official", "paren", "circled", "bracket_lost", "none"] = "official"
    footnotes: bool = False  # a footnote mark after some row labels: 行政许可①, 行政处罚（2）


VARIANTS: dict[str, Variant] = {v.name: v for v in (
    Variant("official"),
    Variant("halfwidth", halfwidth=True),
    Variant("traditional", traditional=True),
    Variant("broken", broken=True),
    Variant("no_partial_note", partial_note=False),
    Variant("fullwidth_digits", fullwidth_digits=True),
    Variant("minus_word", minus_word=True),
    Variant("thousands", thousands=True),
    Variant("pinyin", traditional=True, pinyin=True),
    Variant("no_headings", headings=False),
    Variant("markers_paren", markers="paren"),
    Variant("markers_circled", markers="circled"),
    Variant("markers_bracket_lost", markers="bracket_lost"),
    Variant("markers_none", markers="none"),
    Variant("label_footnotes", footnotes=True),
    # Several at once, as one crawl produces them.
    Variant("mixed", halfwidth=True, traditional=True, broken=True, partial_note=False),
)}


@dataclass(slots=True)
class Block:
    """A piece of the report: a heading, a line of prose, or a table grid."""

    kind: Literal["title", "date", "heading", "prose", "table"]
    text: str = ""
    table: str | None = None
    grid: Grid = field(default_factory=list)


@dataclass(slots=True)
class Doc:
    blocks: list[Block]
    variant: Variant


# ---------------------------------------------------------------------------------------
# Values and labels
# ---------------------------------------------------------------------------------------
def fmt_number(value: Value, variant: Variant) -> str:
    """A value as a report prints it (money with its decimals, -4 or 减4; text as it is)."""
    if isinstance(value, str):
        return value
    fractional = isinstance(value, float) and not value.is_integer()
    text = repr(abs(value)) if fractional else str(abs(int(value)))
    if variant.thousands:
        whole, dot, frac = text.partition(".")
        text = f"{int(whole):,}" + dot + frac
    if value < 0:
        return ("减" if variant.minus_word else "-") + text
    return text


def break_label(text: str) -> str:
    """``（三）不予公开`` → ``（三）不予⏎公开``: one break in the words after the ordinal."""
    m = _ORDINAL.match(text)
    head = m.group() if m else ""
    core = text[len(head):]
    if len(core) < 4:
        return text
    cut = len(head) + len(core) // 2
    return text[:cut] + BREAK + text[cut:]


def short_label(row: Row, template: str) -> str:
    """A row's label without its trailing note: the longest variant that begins the label."""
    label = row.label_for(template)
    prefixes = [v for v in row.variants if label.startswith(v) and v != label]
    return max(prefixes, key=len) if prefixes else label


def _row_label(row: Row, template: str, variant: Variant) -> str:
    label = row.label_for(template) if variant.partial_note else short_label(row, template)
    return _marked(label, variant.markers) + (_footnote(row) if variant.footnotes else "")


def _footnote(row: Row) -> str:
    """A footnote mark for about two rows in three, the same for a row in every report."""
    return ("①", "（2）", "")[len(row.id) % 3]


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def strip_marker(label: str) -> str:
    """A row label without its list marker (``（七）总计`` → ``总计``)."""
    return re.sub(r"^(?:（[一二三四五六七八九十]+）|\d+\.)", "", label)


def _marked(label: str, markers: str) -> str:
    """A row label with its list marker written as ``markers`` says (see ``Variant``)."""
    if markers == "paren":
        return re.sub(r"^(\d+)\.", r"（\1）", label)
    if markers == "circled":
        return re.sub(r"^(\d+)\.", lambda m: _CIRCLED[int(m.group(1)) - 1], label)
    if markers == "bracket_lost":
        return re.sub(r"^（([一二三四五六七八九十]+)）", r"\1）", label)
    if markers == "none":
        return strip_marker(label)
    return label


def _spread(cells: list[Cell], width: int) -> list[Cell]:
    """Cells filling ``width`` columns: the last one spans what is left."""
    if not cells or len(cells) >= width:
        return cells
    last = cells[-1]
    return [*cells[:-1], replace(last, colspan=width - len(cells) + 1)]


# ---------------------------------------------------------------------------------------
# The three tables as the official template lays them out
# ---------------------------------------------------------------------------------------
def active_grid(data: Mapping[str, Mapping[str, Value]], template: str, variant: Variant) -> Grid:
    """表二: per 第二十条 item a caption row, a header row and its rows (4 columns wide)."""
    table = statutory().table_by_id("active")
    rows = [r for r in table.rows if r.id in data]
    width = 1 + max(len(table.row_columns(r, template)) for r in rows)
    grid: Grid = []
    for caption, members in groupby(rows, key=lambda r: r.caption):
        members_list = list(members)
        columns = table.row_columns(members_list[0], template)
        grid.append([Cell(caption or "", "caption", colspan=width)])
        grid.append([Cell(table.row_header or "", "header"),
                     *_spread([Cell(c.label_for(template), "header") for c in columns], width - 1)])
        for row in members_list:
            values = [Cell(fmt_number(data[row.id][c.id], variant), "value")
                      for c in table.row_columns(row, template)]
            if variant.glued_active and len(values) > 1:
                glued = _row_label(row, template, variant) + "".join(v.text for v in values)
                grid.append([Cell(glued, colspan=width)])
                continue
            grid.append([Cell(_row_label(row, template, variant)), *_spread(values, width - 1)])
    return grid


def requests_grid(data: Mapping[str, Mapping[str, Value]], template: str, variant: Variant) -> Grid:
    """表三: the note, 申请人情况 over the seven columns, stub and group cells spanning rows."""
    table = statutory().table_by_id("requests")
    columns = table.columns_for(template)
    rows = [r for r in table.rows if r.id in data]
    grouped = [c for c in columns if c.group]
    grid: Grid = [
        [Cell(table.note or "", "note", rowspan=3, colspan=3),
         Cell(table.column_header or "", "header", colspan=len(columns))],
        [],
        [Cell(c.label_for(template), "header") for c in grouped],
    ]
    for col in columns:
        if not col.group:
            grid[1].append(Cell(col.label_for(template), "header", rowspan=2))
        elif col is grouped[0]:
            grid[1].append(Cell(col.group, "group", colspan=len(grouped)))
    seen_stub: set[str] = set()
    seen_group: set[str] = set()
    for row in rows:
        cells: list[Cell] = []
        label = _row_label(row, template, variant)
        if row.stub:
            if row.stub not in seen_stub:
                seen_stub.add(row.stub)
                cells.append(Cell(row.stub, "stub", rowspan=sum(1 for r in rows if r.stub == row.stub)))
            if row.group:
                if row.group not in seen_group:
                    seen_group.add(row.group)
                    cells.append(Cell(row.group, "group", rowspan=sum(1 for r in rows if r.group == row.group)))
                cells.append(Cell(label))
            else:
                cells.append(Cell(label, colspan=2))
        else:
            cells.append(Cell(label, colspan=3))
        cells.extend(Cell(fmt_number(data[row.id][c.id], variant), "value") for c in columns)
        grid.append(cells)
    return grid


def review_grid(data: Mapping[str, Mapping[str, Value]], template: str, variant: Variant) -> Grid:
    """表四: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), then one row of 15 values."""
    table = statutory().table_by_id("review_litigation")
    rows = table.rows_for(template)
    columns = table.columns_for(template)
    n = len(columns)
    top: list[Cell] = []
    middle: list[Cell] = []
    bottom: list[Cell] = []
    for group, members in groupby(rows, key=lambda r: r.group):
        members_list = list(members)
        if group is None:
            for row in members_list:
                top.append(Cell(row.label_for(template), "group", colspan=n))
                middle.extend(Cell(c.label_for(template), "header", rowspan=2) for c in columns)
        else:
            top.append(Cell(group, "group", colspan=n * len(members_list)))
            for row in members_list:
                middle.append(Cell(row.label_for(template), "group", colspan=n))
                bottom.extend(Cell(c.label_for(template), "header") for c in columns)
    values = [Cell(fmt_number(data[r.id][c.id], variant), "value") for r in rows for c in columns]
    return [top, middle, bottom, values]


GRIDS: dict[str, Callable[[Mapping[str, Mapping[str, Value]], str, Variant], Grid]] = {
    "active": active_grid,
    "requests": requests_grid,
    "review_litigation": review_grid,
}


def row_width(grid: Grid, index: int) -> int:
    """How many grid columns row ``index`` covers with its own cells (for the pipe padding)."""
    return sum(c.colspan for c in grid[index])


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------
PROSE = {
    "overview": "{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。",
    "active": "本机关主动公开政府信息情况如下表。",
    "requests": "本机关收到和处理政府信息公开申请情况如下表。",
    "review_litigation": "本机关政府信息公开行政复议、行政诉讼情况如下表。",
    "problems": "本机关政府信息公开工作仍存在公开内容不够全面等问题，下一步将加强培训、完善制度。",
    "other": "本机关无其他需要报告的事项。",
}


@dataclass(frozen=True, slots=True)
class Page:
    """What a page prints around the report: lines above it (title, stamps), the opening of
    一、总体情况, and lines below it (a signature, a footer). See ``pages.py``."""

    above: tuple[str, ...]
    overview: str | None = None
    below: tuple[str, ...] = ()


def build_doc(tables: Tables, template: str, variant: Variant, year: int,
              agency: str = "江川市自然资源局", page: Page | None = None) -> Doc:
    """The report around the tables, every string already in the variant's characters."""
    s = statutory()
    if page is None:
        blocks = [
            Block("title", f"{agency}{year}年政府信息公开工作年度报告"),
            Block("date", f"发布日期：{year + 1}-01-18"),
        ]
    else:
        blocks = [Block("prose", line) for line in page.above]
    for section in s.sections:
        if variant.headings:
            blocks.append(Block("heading", section.heading))
        prose = page.overview if page is not None and page.overview and section.id == "overview" else PROSE[section.id]
        blocks.append(Block("prose", prose.format(year=year)))
        for table in s.tables:
            if table.section == section.id and tables.get(table.id) is not None:
                grid = GRIDS[table.id](tables[table.id], template, variant)
                blocks.append(Block("table", table=table.id, grid=grid))
    if page is not None:
        blocks.extend(Block("prose", line) for line in page.below)
    doc = Doc(blocks, variant)
    return _transform(doc)


def _chars(text: str, variant: Variant) -> str:
    if variant.halfwidth:
        text = text.translate(_HALF)
    if variant.fullwidth_digits:
        text = text.translate(_FULL_DIGITS)
    return text


def _breakable(cell: Cell) -> bool:
    if cell.kind in ("header", "group", "stub"):
        return True
    return cell.kind == "label" and len(cell.text) >= 12


def _transform(doc: Doc) -> Doc:
    v = doc.variant
    for block in doc.blocks:
        block.text = _chars(block.text, v)
        for row in block.grid:
            for i, cell in enumerate(row):
                text = break_label(cell.text) if v.broken and _breakable(cell) else cell.text
                row[i] = replace(cell, text=_chars(text, v))
    return doc


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


# Glosses a reading aid puts after characters (simplified and traditional forms).
_PINYIN = {"规": "guī", "規": "guī", "数": "shù", "數": "shù", "内": "nèi", "內": "nèi", "决": "jué", "決": "jué",
           "项": "xiàng", "項": "xiàng", "开": "kāi", "開": "kāi", "发": "fā", "發": "fā", "关": "guān", "關": "guān",
           "处": "chǔ", "處": "chǔ", "诉": "sù", "訴": "sù", "议": "yì", "議": "yì"}


def _finish(text: str, variant: Variant) -> str:
    if variant.traditional:
        text = str(_s2t().convert(text))
    if variant.pinyin:
        text = "".join(f"{ch}({_PINYIN[ch]})" if ch in _PINYIN else ch for ch in text)
    return text


def _plain(text: str, sep: str = "") -> str:
    return text.replace(BREAK, sep)


# ---------------------------------------------------------------------------------------
# Layouts: Doc → text
# ---------------------------------------------------------------------------------------
def _prose_lines(block: Block) -> list[str]:
    if block.kind == "heading":
        return ["    " + block.text]
    return [block.text]


def one_cell_per_line(doc: Doc) -> str:
    """Seed 001: every cell its own line, a blank line after every line."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.extend(_prose_lines(block))
            continue
        for row in block.grid:
            lines.extend(_plain(c.text, "\n\n") for c in row)
    return _finish("\n\n".join(lines) + "\n", doc.variant)


def _pipe_row(cells: list[str], pad: int) -> str:
    line = " | ".join(cells) + " |"
    return line + (" " + "|" * pad if pad > 0 else "")


def pipes(doc: Doc, header: Callable[[Cell], str] | None = None) -> str:
    """Seed 002: ``a | b | c |``, a row short of the grid's width padded with ``|||``."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        width = max(row_width(block.grid, i) for i in range(len(block.grid)))
        for row in block.grid:
            texts = [header(c) if header and c.kind == "header" else _plain(c.text, " ") for c in row]
            lines.append(_pipe_row(texts, width - len(row)))
    return _finish("\n".join(lines) + "\n", doc.variant)


def _alternating(doc: Doc, bar: bool) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        width = max(row_width(block.grid, i) for i in range(len(block.grid)))
        for row in block.grid:
            if bar:
                lines.append("|")
            lines.extend((_plain(c.text, " ") + " |").lstrip() for c in row)
            if width - len(row) > 0:
                lines.append("|" * (width - len(row)))
    return _finish("\n".join(lines) + "\n", doc.variant)


def alternating(doc: Doc) -> str:
    """Dev 025/027: each cell on its own line ending in `` |``, padding on a line of its own."""
    return _alternating(doc, bar=False)


def alternating_bar(doc: Doc) -> str:
    """Dev 031: as ``alternating``, each row opened by a lone ``|`` line."""
    return _alternating(doc, bar=True)


def tabs(doc: Doc) -> str:
    """Cells separated by tab characters."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        lines.extend("\t".join(_plain(c.text, " ") for c in row) for row in block.grid)
    return _finish("\n".join(lines) + "\n", doc.variant)


def tabs_grid(doc: Doc) -> str:
    """A spreadsheet's rows saved as text (a page copied into Excel): tab-separated, every row as wide as the
    grid, spanned positions empty."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        lines.extend("\t".join(row) for row in filled(block.grid, repeat=False))
    return _finish("\n".join(lines) + "\n", doc.variant)


def run_together(doc: Doc) -> str:
    """Dev 010: the whole report on one line, the cells with no separators at all."""
    parts: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            parts.append(block.text)
            continue
        parts.extend(_plain(c.text) for row in block.grid for c in row)
    return _finish("".join(parts) + "\n", doc.variant)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(2, width - _display_width(text))


def _halves(text: str) -> tuple[str, str]:
    """A header printed in a narrow column: its first and second line."""
    cut = len(text) // 2 if len(text) >= 4 else len(text)
    return text[:cut], text[cut:]


def _chunks(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _has_values(row: list[Cell]) -> bool:
    return any(c.kind == "value" for c in row)


def _values(row: list[Cell]) -> str:
    return "".join(_plain(c.text).rjust(9) for c in row if c.kind == "value")


@dataclass(slots=True)
class _Line:
    text: str
    numbers: bool = False  # the line that carries a row's values


def _stub_units(stub: str) -> list[str]:
    """``三、本年度办理结果`` → ``三、``, ``本``, ``年``, …: one unit per printed line."""
    m = _ORDINAL.match(stub)
    head = m.group() if m else ""
    return ([head] if head else []) + list(stub[len(head):])


def _spread_stub(lines: list[_Line], stub: str) -> list[_Line]:
    """The stub printed down the left margin: a unit in front of a values line, or alone."""
    units = _stub_units(stub)
    if not units or not lines:
        return lines
    out = list(lines)
    step = len(lines) / len(units)
    for k in reversed(range(len(units))):
        at = int(k * step)
        unit = units[k]
        line = out[at]
        w = _display_width(unit)
        if line.numbers and line.text.startswith(" " * (w + 2)):
            out[at] = _Line(unit + line.text[w:], True)
        else:
            out.insert(at, _Line(unit))
    return out


def _layout_requests(grid: Grid, page: str) -> list[str]:
    """表三 as pdftotext -layout prints the official table (dev 001).

    Header words at their column positions over several lines, the note broken in two;
    long row labels wrapped with the values on a middle line; a group label (（三）不予公开)
    split in two around its middle row; the stub 三、本年度办理结果 one character a line
    down the margin, sometimes in front of a row; a page number inside the table.
    """
    header_rows = [r for r in grid if not _has_values(r)]
    body = [r for r in grid if _has_values(r)]
    cells = [c for r in header_rows for c in r]
    note = next((_plain(c.text) for c in cells if c.kind == "note"), "")
    top = [_plain(c.text) for c in header_rows[0] if c.kind == "header"]
    group = [_plain(c.text) for c in cells if c.kind == "group"]
    ungrouped = [_plain(c.text) for c in header_rows[1] if c.kind == "header"] if len(header_rows) > 1 else []
    grouped = [_plain(c.text) for c in header_rows[2]] if len(header_rows) > 2 else []
    half = len(note) // 2 + 1
    lines = [" " * 57 + " ".join(top),
             _pad(note[:half], 62) + " ".join(group),
             note[half:],
             " " * 31 + ("" + " " * 46).join(ungrouped)]
    wide = [g for g in grouped if len(g) >= 4]
    lines.append(" " * 40 + "".join(_pad(_halves(g)[0], 10) for g in wide).rstrip())
    lines.extend(" " * 75 + g for g in grouped if len(g) < 4)
    lines.append(" " * 40 + "".join(_pad(_halves(g)[1], 10) for g in wide).rstrip())
    lines.append("")

    # Which body rows a stub or a group cell spans (its rowspan, from the row it starts).
    stub_of: dict[int, tuple[int, str]] = {}
    group_mid: dict[int, str] = {}
    for i, row in enumerate(body):
        for c in row:
            if c.kind == "stub":
                for j in range(i, i + c.rowspan):
                    stub_of[j] = (i, _plain(c.text))
            elif c.kind == "group":
                group_mid[i + c.rowspan // 2] = _plain(c.text)

    region: list[_Line] = []
    region_stub = ""
    out: list[_Line] = []

    def close_region() -> None:
        nonlocal region, region_stub
        if region:
            out.extend(_spread_stub(region, region_stub))
        region, region_stub = [], ""

    for i, row in enumerate(body):
        label = "".join(_plain(c.text) for c in row if c.kind == "label")
        in_group = any(c.kind == "group" for c in row) or any(
            i in range(k, k + c.rowspan) for k, r in enumerate(body) for c in r if c.kind == "group")
        indent = " " * (13 if in_group else 6 if i in stub_of else 0)
        chunks = _chunks(label, 14 if in_group else 19)
        values = _values(row)
        n = len(chunks)
        if n == 1:
            rows = [_Line(_pad(indent + label, 48) + values, True)]
        elif n == 2:
            rows = [_Line(indent + chunks[0]), _Line(" " * 40 + values, True), _Line(indent + chunks[1])]
        else:
            mid = n // 2
            rows = ([_Line(indent + c) for c in chunks[:mid]] + [_Line(_pad(indent + chunks[mid], 48) + values, True)]
                    + [_Line(indent + c) for c in chunks[mid + 1:]])
        if i in group_mid:
            name = group_mid[i]
            first, second = name[: len(name) // 2 + 1], name[len(name) // 2 + 1 :]
            at = next(k for k, ln in enumerate(rows) if ln.numbers)
            rows.insert(at, _Line("      " + first))
            rows.insert(at + 2, _Line("      " + second))
        if i == len(body) // 2:
            rows.extend([_Line(""), _Line(page), _Line("")])
        if i in stub_of:
            if stub_of[i][0] == i:
                close_region()
                region_stub = stub_of[i][1]
            region.extend(rows)
        else:
            close_region()
            out.extend(rows)
    close_region()
    return lines + [ln.text.rstrip() for ln in out]


def _layout_review(grid: Grid) -> list[str]:
    """表四 as pdftotext -layout prints it: header words in fragments, values on one line."""
    top, middle, bottom, values = grid
    lines = ["".join(_pad(_plain(c.text), 30) for c in top).rstrip()]
    lines.append(" " * 30 + "".join(_pad(_plain(c.text), 46) for c in middle if c.kind == "group").rstrip())
    mid_headers = [_plain(c.text) for c in middle if c.kind == "header"]
    bot_headers = [_plain(c.text) for c in bottom]
    lines.append("".join(_pad(_halves(h)[0], 7) for h in mid_headers if len(h) >= 4).rstrip())
    lines.append(" " * 24 + " ".join(h for h in mid_headers if len(h) < 4))
    lines.append(" " * 30 + "".join(_pad(_halves(h)[0], 8) for h in bot_headers if len(h) >= 4).rstrip())
    lines.append("".join(_pad(_halves(h)[1], 7) for h in mid_headers if len(h) >= 4).rstrip())
    lines.append(" " * 63 + (" " * 27).join(h for h in bot_headers if len(h) < 4))
    lines.append(" " * 30 + "".join(_pad(_halves(h)[1], 8) for h in bot_headers if len(h) >= 4).rstrip())
    lines.extend(["", "", "  ".join(_plain(c.text).ljust(4) for c in values).rstrip()])
    return lines


def _layout_rows(grid: Grid, wrap_headers: bool) -> list[str]:
    """A table printed row by row: labels padded to a column, values apart by runs of spaces.

    Cells spanning rows are printed once: the stub on a line of its own, a group label
    alternately on its own line and in front of the row it starts.
    """
    lines: list[str] = []
    groups_seen = 0
    for row in grid:
        if not _has_values(row):
            if wrap_headers and any(len(_plain(c.text)) >= 4 for c in row if c.kind == "header"):
                first = [_pad(_halves(_plain(c.text))[0] if c.kind == "header" else _plain(c.text), 14) for c in row]
                second = [_pad(_halves(_plain(c.text))[1] if c.kind == "header" else "", 14) for c in row]
                lines.append("      " + "".join(first).rstrip())
                lines.append("      " + "".join(second).rstrip())
            else:
                lines.append("      " + "".join(_pad(_plain(c.text, " "), 14) for c in row).rstrip())
            continue
        label_parts: list[str] = []
        for c in row:
            text = _plain(c.text, " ")
            if c.kind == "stub":
                lines.append("  " + text)
            elif c.kind == "group":
                groups_seen += 1
                if groups_seen % 2:
                    lines.append("      " + text)
                else:
                    label_parts.append(text)
            elif c.kind != "value":
                label_parts.append(text)
        head = _pad("      " + " ".join(label_parts), 48) if label_parts else ""
        lines.append((head + _values(row)).rstrip())
    return lines


def _with_page_number(lines: list[str], at: int, page: str) -> list[str]:
    return [*lines[:at], "", "", page, "", *lines[at:]]


def spaced(doc: Doc, wrap_headers: bool = False) -> str:
    """Dev 001 (pdftotext -layout): columns apart by runs of spaces, table cells where they fall.

    With ``wrap_headers`` (the ``wrapped_headers`` layout) every table is printed row by
    row and only its column headers are broken over two lines; otherwise 表三 and 表四 come
    out as fragmented as the real thing.
    """
    lines: list[str] = []
    page = 3
    for block in doc.blocks:
        if block.kind != "table":
            lines.extend(_prose_lines(block))
            continue
        marker = " " * 43 + f"-{page}-"
        page += 1
        if wrap_headers or block.table == "active":
            table_lines = _layout_rows(block.grid, wrap_headers)
            table_lines = _with_page_number(table_lines, len(table_lines) // 2, marker)
        elif block.table == "requests":
            table_lines = _layout_requests(block.grid, marker)
        else:
            table_lines = _layout_review(block.grid)
        lines.extend(["", *table_lines, "", ""])
    return _finish("\n".join(lines) + "\n", doc.variant)


def spaced_raw(doc: Doc) -> str:
    """Dev 003 (pdftotext -raw): cells of a row apart by single spaces, in reading order.

    Header words of 表三/表四 one a line (narrow ones two characters a line), the note
    broken in two, the stub one character a line, group labels alternately on their own
    line and in front of their first row, long labels wrapped with the values on the line
    after, a page number inside each table.
    """
    lines: list[str] = []
    page = 3
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        table_lines: list[str] = []
        groups_seen = 0
        for row in block.grid:
            if block.table != "active" and not _has_values(row):
                for c in row:
                    text = _plain(c.text)
                    if c.kind == "note":
                        table_lines.extend([text[: len(text) // 2] + " " + text[len(text) // 2 : -11],
                                            text[-11:]])
                    elif c.kind == "header" and block.table == "requests" and row is block.grid[2]:
                        table_lines.extend(_chunks(text, 2))
                    elif text == "总计" or len(text) == 2:
                        table_lines.append(" ".join(text))
                    else:
                        table_lines.append(text)
                continue
            parts: list[str] = []
            for c in row:
                text = _plain(c.text, " ")
                if c.kind == "stub":
                    table_lines.extend(_plain(c.text))  # one character a line
                elif c.kind == "group" and block.table == "requests":
                    groups_seen += 1
                    if groups_seen % 2:
                        table_lines.append(text)
                    else:
                        parts.append(text)
                elif c.kind == "label" and len(text) > 22:
                    table_lines.extend([*parts, text[:20] + " " + text[20:-6], text[-6:]])
                    parts = []
                else:
                    parts.append(text)
            table_lines.append(" ".join(parts))
        table_lines = _with_page_number(table_lines, len(table_lines) * 2 // 3, f"- {page} -")
        page += 1
        lines.extend(table_lines)
    return _finish("\n".join(lines) + "\n", doc.variant)


# Characters per printed line in each column of a table squeezed beside a site's menu.
_NARROW = {"stub": 2, "group": 3, "label": 3, "header": 2, "note": 10, "caption": 20}


def _narrow_pieces(cell: Cell) -> list[str]:
    """A cell's text as a narrow column prints it: a few characters a line (a label spanning columns, wider)."""
    width = _NARROW.get(cell.kind, 3) * (1 if cell.kind in ("note", "caption") else cell.colspan)
    return _chunks(_plain(cell.text), width)


def _narrow_rows(grid: Grid, top: bool = False) -> list[str]:
    """A table printed in a narrow column (pdftotext -layout of a page printed beside a site's menu).

    Every label wraps a few characters a line, its row's numbers on its middle line; a cell
    spanning rows (the stub, （三）不予公开) wraps down its own column over the lines of its rows,
    so its pieces fall between the pieces of the labels beside it (``（三） 1.属于`` / ``不予公 国家 0 …``
    / ``开 秘密``); header cells wrap the same way, each column's pieces on the lines of its header row.
    """
    lines: list[str] = []
    body: list[list[Cell]] = []
    for row in [*grid, []]:
        if _has_values(row):
            body.append(row)
            continue
        lines.extend(_narrow_body(body, top))
        body = []
        pieces = [_narrow_pieces(c) for c in row]
        for k in range(max((len(p) for p in pieces), default=0)):
            lines.append("".join(_pad(p[k] if k < len(p) else "", 8) for p in pieces).rstrip())
    return lines


def _narrow_body(body: list[list[Cell]], top: bool = False) -> list[str]:
    """Consecutive value rows of a narrow table: each row's label pieces, its numbers on the middle line
    (``top``: on the first line, spanning cells from the top of their rows)."""
    lines: list[str] = []
    blocks: list[tuple[list[str], int]] = []
    for row in body:
        label = [c for c in row if c.kind == "label"]
        pieces = _narrow_pieces(label[0]) if label else [""]
        blocks.append((pieces, 0 if top else (len(pieces) - 1) // 2))
    starts = [sum(len(b[0]) for b in blocks[:i]) for i in range(len(blocks) + 1)]
    columns: dict[int, dict[int, str]] = {0: {}, 1: {}}  # stub and group columns: line → piece
    for i, row in enumerate(body):
        for c in row:
            if c.kind not in ("stub", "group"):
                continue
            col = 0 if c.kind == "stub" else 1
            first_line, bottom = starts[i], starts[min(len(body), i + c.rowspan)]
            pieces = _narrow_pieces(Cell(c.text, c.kind))
            first = first_line if top else first_line + max(0, (bottom - first_line - len(pieces)) // 2)
            for k, piece in enumerate(pieces):
                columns[col][first + k] = piece
    for i, (row, (pieces, middle)) in enumerate(zip(body, blocks, strict=True)):
        for k, piece in enumerate(pieces):
            at = starts[i] + k
            text = _pad(columns[0].get(at, ""), 6) + _pad(columns[1].get(at, ""), 8) + _pad(piece, 12)
            lines.append((text + (_values(row) if k == middle else "")).rstrip())
    return lines


def narrow_columns(doc: Doc, top: bool = False) -> str:
    """Tables squeezed beside a site's menu, printed to PDF and read back as text (pdftotext -layout)."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.extend(_prose_lines(block))
            continue
        table_lines = _layout_review(block.grid) if block.table == "review_litigation" else _narrow_rows(block.grid, top)
        lines.extend(["", *table_lines, "", ""])
    return _finish("\n".join(lines) + "\n", doc.variant)


def narrow_top(doc: Doc) -> str:
    """Narrow tables whose cells are aligned to their top (a converter's DOCX of a printed page)."""
    return narrow_columns(doc, top=True)


def wrapped_headers(doc: Doc) -> str:
    """Spaced rows whose column headers are printed on two physical lines (本年新 / 制作数量)."""
    return spaced(doc, wrap_headers=True)


def truncated_headers(doc: Doc) -> str:
    """Seed 002: pipes where a header kept only its first line (``本年新 | 本年新``)."""

    def first_line(cell: Cell) -> str:
        text = _plain(cell.text)
        return text[: len(text) // 2] if len(text) >= 5 else text

    return pipes(doc, header=first_line)


_WORD_P = '<p align="center" style="text-align:center;line-height:20px"><span style="font-family:宋体;font-size:14px">'


def _word_cell(text: str) -> str:
    """A cell's content as Word's HTML export writes it; a break starts a new paragraph."""
    parts = [_html.escape(p) or "&nbsp;" for p in text.split(BREAK)]
    return "".join(f"{_WORD_P}{p}</span></p>" for p in parts)


def html(doc: Doc) -> str:
    """A web page: ``<table>`` markup with the template's rowspan and colspan, Word style."""
    out = ['<!DOCTYPE html>', '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">']
    body: list[str] = []
    for block in doc.blocks:
        text = _html.escape(block.text)
        if block.kind == "title":
            out.append(f"<title>{text}</title></head><body><div class=\"article\">")
            body.append(f'<h1 class="title">{text}</h1>')
        elif block.kind == "date":
            body.append(f'<div class="info"><span>{text}</span></div>')
        elif block.kind == "heading":
            body.append(f'<p style="text-indent:2em"><strong>{text}</strong></p>')
        elif block.kind == "prose":
            body.append(f'<p style="text-indent:2em">{text}</p>')
        else:
            body.append('<table border="1" cellspacing="0" cellpadding="0" width="600"><tbody>')
            for row in block.grid:
                tds = []
                for c in row:
                    attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                        f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    tds.append(f'<td{attrs} valign="center">{_word_cell(c.text)}</td>')
                body.append("<tr>" + "".join(tds) + "</tr>")
            body.append("</tbody></table>")
    out.extend(body)
    out.append("</div></body></html>")
    return _finish("\n".join(out) + "\n", doc.variant)


def filled(grid: Grid, repeat: bool = True) -> list[list[str]]:
    """The grid as a full matrix, a spanned cell's text repeated in every position it covers
    (or, without ``repeat``, at its first position only, the others empty)."""
    matrix: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while (r, col) in matrix:
                col += 1
            for i in range(r, r + cell.rowspan):
                for j in range(col, col + cell.colspan):
                    first = (i, j) == (r, col)
                    matrix.setdefault((i, j), _plain(cell.text, " ") if repeat or first else "")
            col += cell.colspan
    width = max(j for _, j in matrix) + 1
    return [[matrix.get((r, j), "") for j in range(width)] for r in range(len(grid))]


# How converters print the rule under a Markdown table's header: html2text ``|---|``, markdownify
# ``| --- |``, pandoc and editors with alignment colons. One converter makes a whole document, so the
# style is chosen per document (by its text, so that the value sets and variants meet every style).
_MD_RULES = ("---", " --- ", ":---", " :---: ")


def _md_rule(width: int, doc: Doc) -> str:
    """The ``|---|`` line under a Markdown table's header row, in the document's converter's style."""
    style = zlib.crc32(repr(doc).encode()) % len(_MD_RULES)
    return "|" + (_MD_RULES[style] + "|") * width


def markdown(doc: Doc, fill: bool = True, repeat: bool = True) -> str:
    """A crawl that turns HTML into Markdown with pandas-style tables: every spanned cell
    repeated in each position it covers, a ``|---|`` line under the first row.

    Without ``repeat`` (``markdown_spans_empty``, markdownify style) a spanned cell is written at its
    first position and the positions it covers are empty cells. Without ``fill`` (``markdown_plain``,
    html2text style) each row has only the cells it writes, and the ``|---|`` line is as wide as the
    first row.
    """
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind == "heading":
            lines.extend(["", "## " + block.text, ""])
        elif block.kind != "table":
            lines.append(block.text)
        else:
            matrix = filled(block.grid, repeat) if fill else [[_plain(c.text, " ") for c in row] for row in block.grid]
            lines.append("")
            for i, row in enumerate(matrix):
                lines.append("| " + " | ".join(row) + " |")
                if i == 0:
                    lines.append(_md_rule(len(row), doc))
            lines.append("")
    return _finish("\n".join(lines) + "\n", doc.variant)


def pipes_grid(doc: Doc) -> str:
    """A table exporter's text: every row as wide as the grid, spanned positions empty
    (``三、本年度办理结果 | （一）予以公开 |  | 1 | 1 | …``)."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
        else:
            lines.extend(" | ".join(row) + " |" for row in filled(block.grid, repeat=False))
    return _finish("\n".join(lines) + "\n", doc.variant)


def trafilatura_text(doc: Doc) -> str:
    """trafilatura's text of a page: every row ``| a |  | 3 | `` as wide as the grid, spanned positions empty,
    a ``|---|`` rule under the first row of a table with a header (here the first table's)."""
    lines: list[str] = []
    ruled = False
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        for i, row in enumerate(filled(block.grid, repeat=False)):
            lines.append("| " + " | ".join(row) + " | ")
            if i == 0 and not ruled:
                lines.append("|" + "---|" * len(row))
                ruled = True
    return _finish("\n".join(lines) + "\n", doc.variant)


def box_drawn(doc: Doc) -> str:
    """A text browser's dump (w3m, elinks): the grid drawn with box-drawing characters, every row as wide
    as the grid (spanned positions empty), a rule between rows, columns padded to their widest cell."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        matrix = filled(block.grid, repeat=False)
        widths = [max(3, *(_display_width(row[k]) for row in matrix)) for k in range(len(matrix[0]))]
        lines.append(_box_rule("┌┬┐", widths))
        for i, row in enumerate(matrix):
            lines.append("│" + "│".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) + "│")
            lines.append(_box_rule("├┼┤" if i + 1 < len(matrix) else "└┴┘", widths))
    return _finish("\n".join(lines) + "\n", doc.variant)


# The widest a wrapped grid's column is drawn (display columns): a longer label wraps inside its box.
_BOX_WRAP = 12


def _wrap_display(text: str, width: int) -> list[str]:
    """A cell's text cut into lines of at most ``width`` display columns (a text browser's wrapping)."""
    out, line = [], ""
    for ch in text:
        if line and _display_width(line + ch) > width:
            out.append(line)
            line = ""
        line += ch
    return [*out, line]


def _wrapped_grid(doc: Doc, walls: str, rules: tuple[str, str, str, str], middle: bool) -> str:
    """A grid whose long labels wrap over several lines inside their box, a rule between rows: the
    row's other cells on its middle line (``middle``: a text browser centres them) or its first."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind != "table":
            lines.append(block.text)
            continue
        matrix = filled(block.grid, repeat=False)
        widths = [min(_BOX_WRAP, max(3, *(_display_width(row[k]) for row in matrix))) for k in range(len(matrix[0]))]
        lines.append(_box_rule(rules[0], widths))
        for i, row in enumerate(matrix):
            pieces = [_wrap_display(cell, w) for cell, w in zip(row, widths, strict=True)]
            height = max(len(p) for p in pieces)
            for h in range(height):
                texts = []
                for piece, w in zip(pieces, widths, strict=True):
                    at = h - ((height - len(piece)) // 2 if middle else 0)
                    texts.append(_pad(piece[at] if 0 <= at < len(piece) else "", w))
                lines.append(walls + walls.join(texts) + walls)
            last = i + 1 == len(matrix)
            lines.append(_box_rule(rules[3] if last else rules[2] if i == 0 else rules[1], widths))
    return _finish("\n".join(lines) + "\n", doc.variant)


def box_wrapped(doc: Doc) -> str:
    """w3m's dump of a page whose labels are longer than their columns: each wraps over two or three lines
    inside its box, the row's numbers on the middle one."""
    return _wrapped_grid(doc, "│", ("┌┬┐", "├┼┤", "├┼┤", "└┴┘"), middle=True)


def ascii_grid(doc: Doc) -> str:
    """pandoc's grid table (``+---+---+`` rules, ``+===+`` under the header row): wrapped labels, the row's
    numbers on its first line."""
    return _wrapped_grid(doc, "|", ("+-+", "+-+", "+=+", "+-+"), middle=False)


def _box_rule(corners: str, widths: list[int]) -> str:
    """A rule of a box-drawn grid: left corner, the columns' widths of ─ apart by the middle one, right corner."""
    return corners[0] + corners[1].join("─" * w for w in widths) + corners[2]


def markdown_spans_empty(doc: Doc) -> str:
    """markdownify's tables: a spanned cell once, the columns it covers as empty cells (a stub spanning
    three columns prints ``| 一、本年新收… |  |  | 8 |``)."""
    return markdown(doc, repeat=False)


def markdown_plain(doc: Doc) -> str:
    """HTML turned into Markdown by html2text: cells as written, ``|---|`` under the first row."""
    return markdown(doc, fill=False)


def _row_cells(block: Block) -> list[tuple[list[str], list[str]]]:
    """Each row of a table that holds values: (its label parts — stub, group, label — and its values).

    表四's one line of fifteen is given back as its three groups, each with its captions.
    """
    if block.table == "review_litigation":
        top, middle, _bottom, values = block.grid
        labels = [_plain(c.text, " ") for c in middle if c.kind == "group"]
        groups = [_plain(top[0].text, " "), *(f"{_plain(top[1].text, ' ')} {lab}" for lab in labels)]
        texts = [_plain(c.text) for c in values]
        n = len(texts) // len(groups)
        return [([g], texts[i * n : (i + 1) * n]) for i, g in enumerate(groups)]
    out: list[tuple[list[str], list[str]]] = []
    spans: list[tuple[int, str]] = []  # (rows left, text) of stub and group cells spanning rows
    for row in block.grid:
        if not _has_values(row):
            continue
        parts = [t for _, t in spans]
        spans = [(left - 1, t) for left, t in spans if left > 1]
        for c in row:
            if c.kind in ("stub", "group"):
                parts.append(_plain(c.text, " "))
                if c.rowspan > 1:
                    spans.append((c.rowspan - 1, _plain(c.text, " ")))
            elif c.kind == "label":
                parts.append(_plain(c.text, " "))
        out.append((parts, [_plain(c.text) for c in row if c.kind == "value"]))
    return out


def markdown_per_row(doc: Doc) -> str:
    """A converter that gives every row a heading and a table of its own (class 7 of issue 12):
    ``### 一、本年新收…`` then ``| 类别 | 数据1 | … | 总计 |``, ``|---|…|`` and ``| 数量 | 5 | … |``.

    The value row opens with the row's label, with 数量, or with nothing, in turn.
    """
    lines: list[str] = []
    k = 0
    for block in doc.blocks:
        if block.kind == "heading":
            lines.extend(["", "## " + block.text, ""])
        elif block.kind != "table":
            lines.append(block.text)
        else:
            for parts, values in _row_cells(block):
                lines.extend(["", "### " + " ".join(parts), ""])
                header = ["类别", *(f"数据{i + 1}" for i in range(len(values) - 1)), "总计"]
                lines.append("| " + " | ".join(header) + " |")
                lines.append(_md_rule(len(header), doc))
                first = (parts[-1], "数量", "")[k % 3]
                k += 1
                lines.append("| " + " | ".join([first, *values]) + " |")
    return _finish("\n".join(lines) + "\n", doc.variant)


def markdown_inline_groups(doc: Doc) -> str:
    """Markdown tables flattened: a row's stub and group printed in its label cell
    (``| 三、本年度办理结果 （三）不予公开 1.属于国家秘密 | 0 | … |``), column headers with their
    group caption inline (``| 法人或其他组织 商业企业 |``), 表四 as one row under fifteen headers."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind == "heading":
            lines.extend(["", "## " + block.text, ""])
        elif block.kind != "table":
            lines.append(block.text)
        elif block.table == "review_litigation":
            _top, middle, _bottom, numbers = block.grid
            groups = [g for g, _ in _row_cells(block)]
            names = [_plain(c.text) for c in middle if c.kind == "header"]
            header = [f"{g[0]} {name}" for g in groups for name in names]
            lines.extend(["", "| " + " | ".join(header) + " |", _md_rule(len(header), doc),
                          "| " + " | ".join(_plain(c.text) for c in numbers) + " |", ""])
        elif block.table == "active":
            # Per 第二十条 item: its header row, then its rows with the item inline.
            caption = ""
            for row in block.grid:
                kinds = {c.kind for c in row}
                if kinds == {"caption"}:
                    caption = _plain(row[0].text, " ")
                elif "header" in kinds:
                    names = [_plain(c.text, " ") for c in row]
                    lines.extend(["", "| " + " | ".join(names) + " |", _md_rule(len(names), doc)])
                else:
                    label = " ".join(_plain(c.text, " ") for c in row if c.kind == "label")
                    values = [_plain(c.text) for c in row if c.kind == "value"]
                    lines.append(f"| {caption} {label} | " + " | ".join(values) + " |")
            lines.append("")
        else:
            rows = _row_cells(block)
            matrix = filled([r for r in block.grid if not _has_values(r)])
            header = [" ".join(dict.fromkeys(col)) for col in zip(*matrix, strict=True)]
            width = max(len(v) for _, v in rows)
            lines.extend(["", "| 项目 | " + " | ".join(header[-width:]) + " |", _md_rule(width + 1, doc)])
            for parts, values in rows:
                lines.append("| " + " ".join(parts) + " | " + " | ".join(values) + " |")
            lines.append("")
    return _finish("\n".join(lines) + "\n", doc.variant)


LAYOUTS: dict[str, Callable[[Doc], str]] = {
    "one_cell_per_line": one_cell_per_line,
    "pipes": pipes,
    "alternating": alternating,
    "alternating_bar": alternating_bar,
    "spaced": spaced,
    "spaced_raw": spaced_raw,
    "tabs": tabs,
    "tabs_grid": tabs_grid,
    "run_together": run_together,
    "html": html,
    "wrapped_headers": wrapped_headers,
    "narrow_columns": narrow_columns,
    "narrow_top": narrow_top,
    "truncated_headers": truncated_headers,
    "pipes_grid": pipes_grid,
    "trafilatura_text": trafilatura_text,
    "box_drawn": box_drawn,
    "box_wrapped": box_wrapped,
    "ascii_grid": ascii_grid,
    "markdown": markdown,
    "markdown_plain": markdown_plain,
    "markdown_spans_empty": markdown_spans_empty,
    "markdown_per_row": markdown_per_row,
    "markdown_inline_groups": markdown_inline_groups,
    # The same Markdown in a file named *.md (read as its rendered page, pipe tables as cells).
    "md_file": markdown,
    "md_file_per_row": markdown_per_row,
    "md_file_inline_groups": markdown_inline_groups,
    # html2text's Markdown in a *.md file: a table's first row (a spanning header) narrower than its rows.
    "md_file_plain": markdown_plain,
}
HTML_LAYOUTS = frozenset({"html"})
MARKDOWN_FILE_LAYOUTS = frozenset({"md_file", "md_file_per_row", "md_file_inline_groups", "md_file_plain"})
# Layouts that keep every cell's boundaries, blank cells included: a number's column is known
# from its place in the row (a blank in 表四's line of fifteen holds its place). Not
# ``alternating_bar``: the lone ``|`` line that opens each row looks just like a blank cell.
POSITION_LAYOUTS = frozenset({"html", "pipes", "alternating", "truncated_headers", "pipes_grid", "trafilatura_text", "box_drawn", "box_wrapped", "ascii_grid", "markdown",
                              "markdown_plain", "markdown_spans_empty", "tabs", "tabs_grid", "markdown_per_row", "markdown_inline_groups",
                              *MARKDOWN_FILE_LAYOUTS})


def render(layout: str, tables: Tables, template: str, variant: Variant | str = "official",
           year: int | None = None, page: Page | None = None) -> str:
    """The report holding ``tables`` printed in ``layout`` (HTML source for ``html``), with the
    page around it (``page``: title, stamps, signature) or a plain title and date."""
    v = VARIANTS[variant] if isinstance(variant, str) else variant
    y = year if year is not None else (2022 if template == "2021" else 2020)
    return LAYOUTS[layout](build_doc(tables, template, v, y, page=page))

