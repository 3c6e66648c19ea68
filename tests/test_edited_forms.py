"""表四 printed in another shape than the form: its groups in another order, transposed, or as two tables.

Agencies edit the form: 行政诉讼 printed before 行政复议, the groups as columns and 结果维持 … 总计 as
rows, or 行政复议's table apart from 行政诉讼's. Read as the statutory line of fifteen, each gives its
numbers to the wrong groups with no finding. Each number must stand in the group and column its header
gives it, or stay null with a warning on its group's row (text that cannot tell).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.templates import statutory

DATA = Path(__file__).parent / "data" / "review_shapes"
TABLE = statutory().table_by_id("review_litigation")
GROUPS = [r.id for r in TABLE.rows_for("2021")]
COLUMNS = [c.label_for("2021") for c in TABLE.columns_for("2021")]
IDS = [c.id for c in TABLE.columns_for("2021")]
REVIEW, DIRECT, AFTER = (r.label_for("2021") for r in TABLE.rows_for("2021"))
LITIGATION = TABLE.rows_for("2021")[1].group or ""
VALUES = {"review": [3, 0, 0, 1, 4], "litigation_direct": [1, 0, 0, 0, 1], "litigation_after_review": [0, 2, 0, 0, 2]}
TITLE = "某县人民政府2023年政府信息公开工作年度报告"
HEADING = "四、政府信息公开行政复议、行政诉讼情况"


def _swapped() -> list[list[str]]:
    """行政诉讼's two groups before 行政复议."""
    line = [str(v) for g in ("litigation_direct", "litigation_after_review", "review") for v in VALUES[g]]
    return [[LITIGATION, REVIEW], [DIRECT, AFTER], COLUMNS * 3, line]


def _transposed() -> list[list[str]]:
    """The groups as columns, 结果维持 … 总计 as rows."""
    rows = [["项目", REVIEW, LITIGATION], [DIRECT, AFTER]]
    return rows + [[label, *(str(VALUES[g][i]) for g in GROUPS)] for i, label in enumerate(COLUMNS)]


def _split(reverse: bool) -> list[list[list[str]]]:
    """行政复议's table, then 行政诉讼's (or the other way round)."""
    review = [[REVIEW], COLUMNS, [str(v) for v in VALUES["review"]]]
    litigation = [[LITIGATION], [DIRECT, AFTER], COLUMNS * 2,
                  [str(v) for g in ("litigation_direct", "litigation_after_review") for v in VALUES[g]]]
    return [litigation, review] if reverse else [review, litigation]


def _text(tables: list[list[list[str]]], style: str) -> str:
    """The report with 表四's tables written as ``|`` rows, tab rows, text apart by spaces, or one cell a line."""
    out = [TITLE, "", HEADING, ""]
    for rows in tables:
        for row in rows:
            if style == "pipe":
                out.append("| " + " | ".join(row) + " |")
            elif style == "tab":
                out.append("\t".join(row))
            elif style == "space":
                out.append("  ".join(row))
            else:
                out.extend(row)
        out.append("")
    return "\n".join([*out, "五、存在的主要问题及改进情况", "", "无。"]) + "\n"


def _read(text: str) -> dict[str, Any]:
    return xxgk.parse(text.encode("utf-8"), "report.txt").to_dict()


def _placed_or_flagged(report: dict[str, Any], exact: bool) -> None:
    """Every group's numbers as printed; where ``exact`` is False, a group may be null with a warning on its row."""
    got = report["tables"]["review_litigation"]
    findings = report["findings"]
    for group in GROUPS:
        values = [got[group][c] for c in IDS]
        if values == VALUES[group]:
            continue
        assert not exact, (group, values)
        warned = any(f["severity"] != "info" and (f["where"] or "").startswith(f"review_litigation.{group}")
                     for f in findings)
        assert all(v is None for v in values) and warned, (group, values)


@pytest.mark.parametrize("style", ["pipe", "tab", "space", "cell"])
def test_groups_in_another_order_are_read_by_the_header(style: str) -> None:
    _placed_or_flagged(_read(_text([_swapped()], style)), exact=True)


@pytest.mark.parametrize("style", ["pipe", "tab", "space", "cell"])
def test_a_transposed_table_is_read_by_its_groups_as_columns(style: str) -> None:
    _placed_or_flagged(_read(_text([_transposed()], style)), exact=True)


@pytest.mark.parametrize("reverse", [False, True], ids=["review_first", "litigation_first"])
@pytest.mark.parametrize("style", ["pipe", "tab", "space"])
def test_the_table_in_two_pieces_is_read_by_each_pieces_captions(style: str, reverse: bool) -> None:
    _placed_or_flagged(_read(_text(_split(reverse), style)), exact=style != "space")


def test_a_transposed_table_whose_header_does_not_name_the_groups_is_not_read_in_order() -> None:
    rows = [["项目", "甲", "乙", "丙"], *_transposed()[2:]]
    report = _read(_text([rows], "pipe"))
    got = report["tables"]["review_litigation"]
    assert all(got[g][c] is None for g in GROUPS for c in IDS)
    assert {f["where"] for f in report["findings"] if f["rule"] == "PARSE-ROW-SHORT"} == {
        f"review_litigation.{g}" for g in GROUPS}


@pytest.mark.parametrize("name", ["f049_html", "f061_html"])
def test_web_pages_of_the_shapes_read_as_printed(name: str) -> None:
    """Probe pages (invented, realistic): the groups swapped, and transposed, in an HTML grid with merged cells."""
    report = xxgk.parse(DATA / f"{name}.html").to_dict()
    want = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))["tables"]["review_litigation"]
    assert report["tables"]["review_litigation"] == want
