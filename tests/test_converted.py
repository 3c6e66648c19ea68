"""Report pages turned into text by the converters crawlers use: where each cell stands.

``tests/data/converted``: invented pages with hand-checked answers (``*.expected.json``), converted as
named. markdownify prints a label spanning columns as the label and empty cells, and leaves out the
cells under a label spanning rows; trafilatura's text, a spreadsheet's tab rows and markdownify's
Markdown saved as text keep every cell, the spanned ones empty; w3m draws the grid with box
characters and wraps a long label over lines inside its box. A blank cell beside such spans is that
column's: null with a finding, the other numbers in their own columns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.read.drawn import unbox
from xxgk.read.pipes import widen_tables

CONVERTED = Path(__file__).parent / "data" / "converted"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in CONVERTED.glob("*.expected.json"))


def _source(name: str) -> Path:
    return next(p for p in CONVERTED.glob(f"{name}.*") if not p.name.endswith(".expected.json"))


def _flagged(where: str, findings: list[dict[str, Any]]) -> bool:
    """A finding points at the cell, its row or its table."""
    return any(where == f["where"] or where.startswith(f["where"] + ".") for f in findings)


@pytest.mark.parametrize("name", NAMES)
def test_a_converted_page_is_read_cell_by_cell(name: str) -> None:
    want: dict[str, Any] = json.loads((CONVERTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = xxgk.parse(_source(name)).to_dict()
    for key, value in want["meta"].items():
        assert got["meta"][key] == value, f"meta.{key}"
    wrong, unflagged = [], []
    for table, rows in want["tables"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                read = got["tables"][table].get(row, {}).get(col)
                if read != value:
                    wrong.append(f"{table}.{row}.{col}: want {value} got {read}")
                elif value is None and not _flagged(f"{table}.{row}.{col}", got["findings"]):
                    unflagged.append(f"{table}.{row}.{col}")
    assert not wrong, wrong
    assert not unflagged, unflagged
    for where in want.get("expect_findings", []):
        assert _flagged(where, got["findings"]) or any(f["where"].startswith(where) for f in got["findings"]), where


def _total_row(path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    got = xxgk.parse(path).to_dict()
    return got["tables"]["requests"]["total_processed"], [(f["rule"], f["where"]) for f in got["findings"]]


def test_a_blank_beside_a_spanned_label_in_trafilaturas_text_is_its_own_column() -> None:
    """``|  | （七）总计 |  | 0 |  | 0 | …``: the row keeps every boundary and is as wide as its table, so the
    blank after the 0 is 商业企业's, not a cell lost somewhere (the row was dropped: PARSE-ROW-SHORT)."""
    row, findings = _total_row(CONVERTED / "traf_total_blank_min.txt")
    assert row == {"natural_person": 0, "commercial": None, "research": 0, "social_org": 0, "legal_service": 0,
                   "other_org": 0, "total": 0}
    assert ("PARSE-CELL-BLANK", "requests.total_processed") in findings
    assert not any(rule == "PARSE-ROW-SHORT" for rule, _ in findings)


def _rows(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("|") and "---" not in line]


def test_a_short_markdown_row_of_values_is_filled_at_its_start() -> None:
    """markdownify leaves out the cells under a label spanning rows: the row's last cell is the table's
    last column, so the cells it lacks go before it, not after (the renderer's filling shifted every
    number one column left: 自然人 read 商业企业's 3, 其他 read 总计's 15)."""
    text = ("|  |  |  |  |  |  |  |  |  |  |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            "| 三、本年度办理结果 | （一）予以公开 | | 18 | 0 | 0 | 0 | 2 | 0 | 20 |\n"
            "| （六）其他处理 | |  | 3 | 0 | 1 | 2 | 5 | 15 |\n"
            "| 自然人 | 法人或其他组织 | | | | | 总计 |\n")
    rows = _rows(widen_tables(text))
    assert rows[2] == "| | （六）其他处理 | |  | 3 | 0 | 1 | 2 | 5 | 15 |"
    assert rows[3] == "| 自然人 | 法人或其他组织 | | | | | 总计 |"  # a label row: filled at its end, as before


def test_html2text_row_ending_in_a_bar_has_an_empty_last_cell() -> None:
    """html2text writes an empty last cell as a row ending in ``|``, which a renderer takes for the row's end."""
    text = "a| b| c  \n---|---|---  \nx| 1|  \ny| 3\n2| 3\n"
    rows = widen_tables(text).split("\n")
    assert rows[2] == "x| 1| |"
    assert rows[3] == "| | y| 3"
    assert rows[4] == "2| 3"  # numbers alone (cut from their label's line): where they stand is not known


def test_a_box_drawn_row_is_what_stands_between_two_rules() -> None:
    """w3m wraps a long label over three lines inside its box, the numbers on the middle one: one row."""
    text = ("三、收到和处理政府信息公开申请情况\n"
            "┌────────┬────┬────┐\n"
            "│        │（二）部分公开（区分处理 │    │    │\n"
            "│        │的，只计这一情形，不计其 │ 25 │ 3  │\n"
            "│        │        他情形）         │    │    │\n"
            "│        ┼──────────┼────┼────┤\n"
            "│        │1.属于国家秘密│ 0  │ 1  │\n"
            "└────────┴──────────┴────┴────┘\n"
            "四、政府信息公开行政复议、行政诉讼情况")
    lines = unbox(text).split("\n")
    assert _rows("\n".join(lines)) == ["|  | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 25 | 3 |",
                                       "|  | 1.属于国家秘密 | 0 | 1 |"]
    assert lines[0] == "三、收到和处理政府信息公开申请情况" and lines[-1] == "四、政府信息公开行政复议、行政诉讼情况"


def test_an_ascii_grid_table_is_read_as_its_rows() -> None:
    """pandoc's grid table: ``+---+`` rules, ``+===+`` under the header, a cell's lines joined."""
    text = ("+------------+--------+\n| 信息内容   | 本年处 |\n|            | 理决定 |\n+============+========+\n"
            "| 行政许可   | 14926  |\n+------------+--------+\n")
    assert _rows(unbox(text)) == ["| 信息内容 | 本年处理决定 |", "| 行政许可 | 14926 |"]


def test_text_without_a_drawn_table_is_left_alone() -> None:
    """Rules without rows, ``+`` in prose, Markdown's own ``|---|`` rule: nothing to read as a grid."""
    for text in ("a + b = c\n+-----+\n正文", "| a | b |\n|---|---|\n| 1 | 2 |", "├──────┤\n正文\n└──────┘"):
        assert unbox(text) == text


def test_lines_of_one_box_with_different_walls_stay_lines() -> None:
    """A box whose lines do not have the same walls is no row drawn over lines: each line a row."""
    text = "+---+---+\n| a | b |\n| c |\n+---+---+"
    assert _rows(unbox(text)) == ["| a | b |", "| c |"]
