"""Statutory tables printed not as grids but cell by cell, each number with its row and column named.

Mobile cards and WeChat articles (a row's label as a heading, then ``自然人：13`` one a line, or the
name and its number on two lines), a two-column table per row (``项目 | 一、本年新收…`` then
``自然人 | 98``), cards per applicant type (``申请人：自然人``, every row as ``label：value``), and a
table split by columns into parts (``（表格较宽，分两部分展示）``). Before, every such cell was null.

``tests/data/markup``: pages of a probe (invented, realistic; answers checked by hand), read by
test_html_markup.py against their ``*.expected.json``. Here: the same arrangements rendered from the
declaration for several value sets and both formats, and what happens where the printing is
incomplete or contradicts itself (null with a finding, never a guess).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import layouts
import xxgk
from xxgk.model import Report
from xxgk.templates import Row, Table, statutory

MARKUP = Path(__file__).parent / "data" / "markup"
Values = dict[str, dict[str, dict[str, Any]]]
Lines = list[str]


# ---------------------------------------------------------------------------------------
# Value sets and arrangements, from the declaration
# ---------------------------------------------------------------------------------------
def value_set(template: str, seed: int) -> Values:
    """Numbers for every cell of the format (zeros common, as in real reports)."""
    rnd = random.Random(seed)
    out: Values = {}
    for table in statutory().tables:
        out[table.id] = {}
        for row in table.rows_for(template):
            cells: dict[str, Any] = {}
            for col in table.row_columns(row, template):
                if col.kind == "money":
                    cells[col.id] = rnd.choice([0, rnd.randint(1, 99999) / 100])
                elif col.kind == "signed":
                    cells[col.id] = rnd.randint(-9, 9)
                else:
                    cells[col.id] = rnd.choice([0, 0, rnd.randint(1, 9), rnd.randint(10, 2000)])
            if "total" in cells:  # each row's total its parts' sum (T3-ROW-TOTAL, T4-GROUP-TOTAL)
                cells["total"] = sum(v for k, v in cells.items() if k != "total")
            out[table.id][row.id] = cells
    return out


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _heading(row: Row, template: str) -> str:
    """A row's label as a card's heading (表四's groups: 行政诉讼（未经复议直接起诉）)."""
    label = row.label_for(template)
    return f"{row.group}（{label}）" if row.group and not row.stub else label


def _row_headings(table: Table, template: str) -> list[tuple[Row, Lines]]:
    """Each row with the lines printed above its card: its stub and group where they change, its label."""
    out: list[tuple[Row, Lines]] = []
    stub = group = None
    for row in table.rows_for(template):
        above: Lines = []
        if row.stub and row.stub != stub:
            above.append(row.stub)
        if row.stub and row.group and row.group != group:
            above.append(row.group)
        stub, group = row.stub, row.group
        out.append((row, [*above, _heading(row, template)]))
    return out


def cards(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """A card per row: its label, then ``列：值`` one a line."""
    lines: Lines = []
    for row, above in _row_headings(table, template):
        lines += above
        lines += [f"{c.label_for(template)}：{_fmt(data[row.id][c.id])}" for c in table.row_columns(row, template)]
    return lines


def spaced(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """The same, a column's name and its number apart by spaces (text of a PDF, a page's div grid)."""
    lines: Lines = []
    for row, above in _row_headings(table, template):
        lines += above
        lines += [f"{c.label_for(template)}    {_fmt(data[row.id][c.id])}" for c in table.row_columns(row, template)]
    return lines


def two_lines(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """The same, each column's name on one line and its number on the next."""
    lines: Lines = []
    for row, above in _row_headings(table, template):
        lines += above
        for c in table.row_columns(row, template):
            lines += [c.label_for(template), _fmt(data[row.id][c.id])]
    return lines


def two_columns(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """A two-column table per row: ``项目 | label |``, then ``列 | 值 |``."""
    lines: Lines = []
    for row, above in _row_headings(table, template):
        lines += above[:-1]
        lines.append(f"项目 | {above[-1]} |")
        lines += [f"{c.label_for(template)} | {_fmt(data[row.id][c.id])} |" for c in table.row_columns(row, template)]
    return lines


def transposed(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """A card per column (``申请人：法人或其他组织·商业企业``), every row in it as ``label：value``."""
    lines: Lines = []
    for col in table.columns_for(template):
        rows = [r for r in table.rows_for(template) if col in table.row_columns(r, template)]
        if not rows:
            continue
        name = col.label_for(template)
        lines.append(f"申请人：{col.group}·{name}" if col.group else f"申请人：{name}")
        lines += [f"{(r.group or '') if r.stub else ''}{_heading(r, template)}：{_fmt(data[r.id][col.id])}" for r in rows]
    return lines


def split(table: Table, template: str, data: dict[str, dict[str, Any]], parts: int = 2) -> Lines:
    """表三 split by columns into grids (``（表格较宽，分两部分展示）``); the other tables as cards."""
    if table.id != "requests":
        return cards(table, template, data)
    cols = table.columns_for(template)
    cut = -(-len(cols) // parts)
    lines: Lines = ["（表格较宽，分几部分展示）"]
    for part in (cols[k:k + cut] for k in range(0, len(cols), cut)):
        lines.append("项目 | " + " | ".join(c.label_for(template) for c in part) + " |")
        for row, above in _row_headings(table, template):
            lines += [f"{w} |" for w in above[:-1]]
            lines.append(f"{above[-1]} | " + " | ".join(_fmt(data[row.id][c.id]) for c in part) + " |")
    return lines


def transposed_grid(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
    """表三 and 表四 as a grid whose header names the rows (``项目 | 一、本年新收… | …``), a line per column;
    表二 as cards."""
    if table.id == "active":
        return cards(table, template, data)
    rows = table.rows_for(template)
    lines = ["项目 | " + " | ".join(_heading(r, template) for r in rows) + " |"]
    for col in table.columns_for(template):
        name = col.label_for(template)
        lines.append(f"{name} | " + " | ".join(_fmt(data[r.id][col.id]) for r in rows) + " |")
    return lines


Arrangement = Callable[[Table, str, dict[str, dict[str, Any]]], Lines]
ARRANGEMENTS: dict[str, Arrangement] = {
    "cards": cards, "spaced": spaced, "two_lines": two_lines, "two_columns": two_columns, "transposed": transposed,
    "transposed_grid": transposed_grid, "split": split,
}


def report_text(template: str, data: Values, arrange: Arrangement,
                edit: Callable[[str, Lines], Lines] | None = None) -> str:
    """A report with its tables in an arrangement (``edit``: changes one table's lines, by table id)."""
    year = 2022 if template == "2021" else 2020
    lines = [f"江川市自然资源局{year}年政府信息公开工作年度报告", f"发布日期：{year + 1}-01-18"]
    for section in statutory().sections:
        lines += [section.heading, layouts.PROSE[section.id].format(year=year)]
        for table in statutory().tables:
            if table.section == section.id:
                printed = arrange(table, template, data[table.id])
                lines += edit(table.id, printed) if edit else printed
    return "\n".join(lines) + "\n"


def _wrong(report: Report, data: Values) -> list[str]:
    return [f"{tid}.{rid}.{cid}: want {v} got {(report.tables[tid] or {}).get(rid, {}).get(cid)}"
            for tid, rows in data.items() for rid, cells in rows.items() for cid, v in cells.items()
            if (report.tables[tid] or {}).get(rid, {}).get(cid) != v]


def _table_warnings(report: Report) -> list[str]:
    return [f"{f.rule} {f.where}" for f in report.findings if f.rule.startswith("PARSE-") and f.severity != "info"]


# ---------------------------------------------------------------------------------------
# Every arrangement reads back exactly
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("arrangement", sorted(ARRANGEMENTS))
def test_every_cell_named_by_its_row_and_column_is_read(arrangement: str, template: str, seed: int) -> None:
    data = value_set(template, seed)
    report = xxgk.parse_text(report_text(template, data, ARRANGEMENTS[arrangement]))
    assert _wrong(report, data) == []
    assert _table_warnings(report) == []
    assert report.meta.template == template
    assert "requests" in {f.where for f in report.findings if f.rule == "PARSE-TABLE-ADDRESSED"}


@pytest.mark.parametrize("name", ["cards_mobile", "cards_two_lines", "two_columns_2019", "transposed"])
def test_the_probe_pages_say_how_they_were_read(name: str) -> None:
    report = xxgk.parse(MARKUP / f"{name}.html")
    assert {f.where for f in report.findings if f.rule == "PARSE-TABLE-ADDRESSED"} == {
        "active", "requests", "review_litigation"}
    assert _table_warnings(report) == []


# ---------------------------------------------------------------------------------------
# Incomplete or contradictory printings: null with a finding, the rest read
# ---------------------------------------------------------------------------------------
DATA = value_set("2021", 7)
REQUESTS = statutory().table_by_id("requests")


def _label(col_id: str) -> str:
    return REQUESTS.column_by_id(col_id).label_for("2021")


def _under(lines: Lines, heading: str) -> int:
    """The index of a card's heading line."""
    return lines.index(heading)


def _read(edit: Callable[[Lines], Lines], arrange: Arrangement = cards) -> Report:
    return xxgk.parse_text(report_text("2021", DATA, arrange, lambda tid, lines: edit(lines) if tid == "requests"
                                       else lines))


def _rules(report: Report, where: str) -> list[str]:
    return [f.rule for f in report.findings if f.where == where]


def _others_read(report: Report, but: set[tuple[str, str]]) -> None:
    rows = DATA["requests"]
    got = report.tables["requests"]
    assert got is not None
    wrong = [(r, c) for r, cells in rows.items() for c, v in cells.items() if (r, c) not in but and got[r][c] != v]
    assert wrong == []


def test_a_cell_named_twice_with_different_numbers_is_null() -> None:
    def edit(lines: Lines) -> Lines:
        at = _under(lines, "（一）予以公开") + 1
        return [*lines[:at + 1], f"{_label('natural_person')}：{DATA['requests']['granted']['natural_person'] + 5}",
                *lines[at + 1:]]
    report = _read(edit)
    assert report.tables["requests"] is not None
    assert report.tables["requests"]["granted"]["natural_person"] is None
    assert "PARSE-CELL-TWICE" in _rules(report, "requests.granted")
    _others_read(report, {("granted", "natural_person")})


def test_a_cell_named_twice_alike_is_read() -> None:
    def edit(lines: Lines) -> Lines:
        at = _under(lines, "（一）予以公开") + 1
        return [*lines[:at + 1], lines[at], *lines[at + 1:]]
    report = _read(edit)
    _others_read(report, set())
    assert _table_warnings(report) == []


def test_a_column_left_out_of_a_card_is_null_and_said() -> None:
    def edit(lines: Lines) -> Lines:
        at = _under(lines, "（一）予以公开")
        return [ln for i, ln in enumerate(lines) if not (i > at and i <= at + 7 and ln.startswith(_label("total")))]
    report = _read(edit)
    assert report.tables["requests"] is not None
    assert report.tables["requests"]["granted"]["total"] is None
    assert "PARSE-CELL-UNNAMED" in _rules(report, "requests.granted")
    _others_read(report, {("granted", "total")})


def test_numbers_under_a_heading_that_names_no_row_are_not_placed() -> None:
    """A card whose heading is not a row of the table (上年同期): its numbers belong to no row said."""
    def edit(lines: Lines) -> Lines:
        return [("上年同期" if ln == "（一）予以公开" else ln) for ln in lines]
    report = _read(edit)
    assert report.tables["requests"] is not None
    assert set(report.tables["requests"]["granted"].values()) == {None}
    assert "PARSE-ROW-MISSING" in _rules(report, "requests.granted")
    assert "PARSE-NUMBERS-UNPLACED" in _rules(report, "requests")
    _others_read(report, {("granted", c) for c in DATA["requests"]["granted"]})


def _parts(parts: int) -> Arrangement:
    return lambda table, template, data: split(table, template, data, parts)


def _drop_part(k: int) -> Callable[[Lines], Lines]:
    """Lines of a split table without its ``k``-th part."""
    def edit(lines: Lines) -> Lines:
        starts = [i for i, ln in enumerate(lines) if ln.startswith("项目 | ")] + [len(lines)]
        return lines[:starts[k]] + lines[starts[k + 1]:]
    return edit


def test_a_part_of_a_split_table_left_out_leaves_its_columns_null() -> None:
    report = _read(_drop_part(1), _parts(3))
    got = report.tables["requests"]
    assert got is not None
    gone = {c.id for c in REQUESTS.columns_for("2021")[3:6]}
    assert all(got[r][c] is None for r in got for c in gone)
    assert all("PARSE-CELL-UNNAMED" in _rules(report, f"requests.{r}") for r in got)
    _others_read(report, {(r, c) for r in got for c in gone})


def test_one_part_of_a_table_is_read_by_its_header_not_by_names() -> None:
    """The second half of a table split in two left out: one grid naming part of the columns is read as
    a grid whose header prints some columns only: those columns read, the others null with a finding on
    every row."""
    report = _read(_drop_part(1), split)
    got = report.tables["requests"]
    assert got is not None
    shown = {c.id for c in REQUESTS.columns_for("2021")[:4]}
    assert all(got[r][c] is None for r in got for c in got[r] if c not in shown)
    assert all("PARSE-HEADER-MERGED" in _rules(report, f"requests.{r}") for r in got)
    _others_read(report, {(r, c) for r in got for c in got[r] if c not in shown})


def test_a_column_in_two_parts_of_a_split_table_with_different_numbers_is_null() -> None:
    def edit(lines: Lines) -> Lines:
        second = [i for i, ln in enumerate(lines) if ln.startswith("项目 | ")][1]
        head = lines[second].replace("项目 | ", f"项目 | {_label('natural_person')} | ")
        body = [ln.replace(" | ", " | 999 | ", 1) if ln.count("|") > 1 else ln for ln in lines[second + 1:]]
        return [*lines[:second], head, *body]
    report = _read(edit, split)
    got = report.tables["requests"]
    assert got is not None
    assert {got[r]["natural_person"] for r in got} == {None}
    assert "PARSE-CELL-TWICE" in _rules(report, "requests.new_received")
    _others_read(report, {(r, "natural_person") for r in got})


def test_an_ordinary_grid_is_left_to_the_row_reader() -> None:
    text = layouts.render("pipes", DATA, "2021", "official", 2022)
    report = xxgk.parse_text(text)
    assert not any(f.rule == "PARSE-TABLE-ADDRESSED" for f in report.findings)
    assert _wrong(report, DATA) == []


def test_a_card_without_its_heading_gives_its_numbers_to_no_row() -> None:
    """``2.重复申请`` left out: its numbers follow the card of ``1.信访举报投诉类申请`` as if printed twice there;
    where they differ neither is taken, and 重复申请 is missing."""
    petition, repeated = DATA["requests"]["rejected.petition"], DATA["requests"]["rejected.repeated"]
    report = _read(lambda lines: [ln for ln in lines if ln != "2.重复申请"])
    got = report.tables["requests"]
    assert got is not None
    differ = {c for c in petition if petition[c] != repeated[c]}
    assert differ
    assert {c for c, v in got["rejected.petition"].items() if v is None} == differ
    assert "PARSE-CELL-TWICE" in _rules(report, "requests.rejected.petition")
    assert set(got["rejected.repeated"].values()) == {None}
    assert "PARSE-ROW-MISSING" in _rules(report, "requests.rejected.repeated")
    _others_read(report, {("rejected.petition", c) for c in differ} | {("rejected.repeated", c) for c in repeated})


def test_a_group_s_heading_ends_the_card_before_it() -> None:
    """``（三）不予公开`` printed, ``1.属于国家秘密`` not: the numbers after the group's heading are no more
    ``（二）部分公开``'s (the card before) than any other row's."""
    report = _read(lambda lines: [ln for ln in lines if ln != "1.属于国家秘密"])
    got = report.tables["requests"]
    assert got is not None
    assert set(got["denied.state_secret"].values()) == {None}
    assert "PARSE-NUMBERS-UNPLACED" in _rules(report, "requests")
    assert not [f for f in report.findings if f.where == "requests.partially_granted" and f.rule.startswith("PARSE-")]
    _others_read(report, {("denied.state_secret", c) for c in DATA["requests"]["denied.state_secret"]})


@pytest.mark.parametrize(("printed", "value"), [("800元", None), ("0.08万元", 0.08), ("0.08", 0.08)])
def test_money_is_taken_in_its_column_s_unit_only(printed: str, value: float | None) -> None:
    data = value_set("2021", 3)
    label = statutory().table_by_id("active").column_by_id("amount").label_for("2021")

    def edit(tid: str, lines: Lines) -> Lines:
        return [f"{label}：{printed}" if ln.startswith(label) else ln for ln in lines] if tid == "active" else lines
    report = xxgk.parse_text(report_text("2021", data, cards, edit))
    assert report.tables["active"] is not None
    assert report.tables["active"]["fees"]["amount"] == value
    assert ("PARSE-CELL-UNNAMED" in _rules(report, "active.fees")) == (value is None)


@pytest.mark.parametrize("sep", ["；", "  ", "，"])
def test_several_cells_on_one_line_are_each_read(sep: str) -> None:
    """A card printing its columns on one line: ``自然人：13；商业企业：1；…``."""
    def one_line(table: Table, template: str, data: dict[str, dict[str, Any]]) -> Lines:
        lines: Lines = []
        for row, above in _row_headings(table, template):
            lines += above
            lines.append(sep.join(f"{c.label_for(template)}：{_fmt(data[row.id][c.id])}"
                                  for c in table.row_columns(row, template)))
        return lines
    report = xxgk.parse_text(report_text("2021", DATA, one_line))
    assert _wrong(report, DATA) == []
    assert _table_warnings(report) == []


@pytest.mark.parametrize("layout", ["pipes", "html", "tabs"])
def test_an_ordinary_grid_with_a_cell_left_null_stays_the_row_reader_s(layout: str) -> None:
    """表二's grids under their captions (``信息内容 | 本年处理决定数量`` over ``行政许可 | /``), 表三 with a
    blank: each row under one header naming all its columns is no table printed cell by cell."""
    data = value_set("2021", 5)
    data["active"]["licensing"]["decisions"] = "/"
    data["requests"]["granted"]["research"] = ""
    text = layouts.render(layout, data, "2021", "official", 2022)
    report = xxgk.parse(text.encode("utf-8"), "x.html") if layout == "html" else xxgk.parse_text(text)
    assert not any(f.rule == "PARSE-TABLE-ADDRESSED" for f in report.findings)
