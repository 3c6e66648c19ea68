"""Columns read by the table's printed header: columns in another order than the statutory one, columns
the form has not (上年总计, 同比增减, 备注, 序号, a 合计 group), and an empty cell between explicit separators.

The reports are the invented but realistic probes of tests/data/columns (gold answers beside them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk

DATA = Path(__file__).parent / "data" / "columns"


def _parse(name: str) -> dict[str, Any]:
    return xxgk.parse(DATA / name).to_dict()


def _rules(report: dict[str, Any], where: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["where"] == where or f["where"].startswith(where + ".")}


@pytest.mark.parametrize("name", [
    "D_t3_legal_before_natural.txt",  # 表三 法人或其他组织 before 自然人 (| rows): row sums hold either way
    "x010_cell.txt",  # the same, one cell a line
    "D2_t2_columns_reordered.txt",  # 表二 现行有效件数 first: no arithmetic at all
    "D3_t4_total_first.txt",  # 表四 总计 first in each group
    "x001_cell.txt",  # 序号 before the row labels, one cell a line: each number lands after the row before
    "x044_tab.txt",  # 序号 in 表二's tab rows
    "x004_pipe.txt",  # 表三 with 上年总计 and 同比增减 (-52%, 持平) after 总计
    "x046_tab.txt",  # 表二 with 同比增减 and 备注 (〔2019〕25号)
    "x054_html.html",  # 表四 with a 合计 group before 未经复议直接起诉
])
def test_values_stand_in_the_columns_the_header_names(name: str) -> None:
    gold = json.loads((DATA / name).with_suffix(".gold.json").read_text(encoding="utf-8"))
    report = _parse(name)
    for table, rows in gold["tables"].items():
        assert report["tables"][table] == rows, table


def test_a_header_in_another_order_is_said() -> None:
    report = _parse("D_t3_legal_before_natural.txt")
    assert "PARSE-HEADER-COLUMNS" in _rules(report, "requests")


def test_a_header_in_another_order_without_cell_boundaries_nulls_the_rows() -> None:
    """Apart by spaces, the header's words run together: which value is whose cannot be told, and the
    statutory order is not assumed."""
    text = (DATA / "D2_t2_columns_reordered.txt").read_text(encoding="utf-8")
    spaced = "\n".join(line.strip(" |").replace(" | ", "  ") for line in text.splitlines())
    report = xxgk.parse_text(spaced).to_dict()
    assert report["tables"]["active"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}  # alike in any order
    assert report["tables"]["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert "PARSE-HEADER-ORDER" in _rules(report, "active.normative_documents")
    assert report["tables"]["active"]["licensing"] == {"decisions": 3}  # a column of its own: nothing to mix up


def test_table_four_with_total_first_without_cell_boundaries_is_null() -> None:
    """表四's header apart by spaces, 总计 first in each group: the line of fifteen is not read in the statutory order."""
    text = (DATA / "D3_t4_total_first.txt").read_text(encoding="utf-8")
    spaced = "\n".join(line.strip(" |").replace(" | ", "  ") for line in text.splitlines())
    report = xxgk.parse_text(spaced).to_dict()
    for group in ("review", "litigation_direct", "litigation_after_review"):
        assert set(report["tables"]["review_litigation"][group].values()) == {None}
        assert "PARSE-HEADER-ORDER" in _rules(report, f"review_litigation.{group}")


@pytest.mark.parametrize("name", ["E1_2020_pipe_blank_change.txt", "E2_2020_tabs_blank_change.txt"])
def test_an_empty_cell_between_separators_is_blank_not_glued_digits(name: str) -> None:
    """``行政许可 | 38 |  | 1204 |``: 38, null, 1204, not the digits 381204 cut apart."""
    report = _parse(name)
    assert report["tables"]["active"]["licensing"] == {"previous": 38, "change": None, "decisions": 1204}
    assert _rules(report, "active.licensing") == {"PARSE-CELL-BLANK"}
