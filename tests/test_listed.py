"""Statutory tables written as lines of text: each number placed by the row and column words beside it.

``tests/data/listed``: reports of a probe (invented, realistic; answers checked by hand) whose 表二 or
表四 is a numbered list (``1.规章：本年制发0件，本年废止0件，现行有效0件。``), one line per cell
(``行政复议结果维持 6 件``), one line per group, nested lists, or prose (``制发规章0件，废止规章0件``;
``行政诉讼35件，其中未经复议直接起诉35件（结果维持7件，…）``); traps: a number in brackets beside the
value, 现行有效 named first, a year first, thousands commas. And a cell ``298件（2023年度）``: the number,
its bracketed note not taken. And 表二 laid across as one grid (m00, m01): the rows' labels over their
columns' labels over the values. Before, every such cell was null, said to be blank.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.model import Report

LISTED = Path(__file__).parent / "data" / "listed"
CASES = sorted(p.name for p in LISTED.iterdir() if p.suffix in (".txt", ".html"))


def _report(text: str) -> Report:
    return xxgk.parse(text.encode("utf-8"), "report.txt")


@pytest.mark.parametrize("name", CASES)
def test_every_cell_of_a_table_written_as_text_is_read_as_printed(name: str) -> None:
    got = xxgk.parse(LISTED / name).to_dict()
    gold: dict[str, Any] = json.loads((LISTED / name).with_suffix(".gold.json").read_text(encoding="utf-8"))
    for tid, rows in gold["tables"].items():
        assert got["tables"][tid] == rows, tid
    # A message never calls blank a cell the document prints a number in.
    assert not [f for f in got["findings"] if f["rule"] == "PARSE-CELL-BLANK"]


def test_the_bracketed_number_beside_a_value_is_no_value() -> None:
    report = xxgk.parse(LISTED / "h00_t2trap_extra.txt").to_dict()
    assert report["tables"]["active"]["licensing"] == {"decisions": 29}


_HEAD = "某县司法局2023年政府信息公开工作年度报告\n一、总体情况\n本局依法公开。\n二、主动公开政府信息情况\n"
_TAIL = "三、收到和处理政府信息公开申请情况\n无。\n"


def test_a_number_whose_column_the_text_does_not_name_stays_null_with_a_finding_on_its_row() -> None:
    report = _report(_HEAD + "1.规章：本年制发0件，本年废止0件，现行有效3件。\n"
                     "2.行政规范性文件：本年制发5件，另有2件，现行有效27件。\n"
                     "3.行政许可：本年处理决定数量10件。\n4.行政处罚：本年处理决定数量7件。\n"
                     "5.行政强制：本年处理决定数量1件。\n6.行政事业性收费：本年收费金额658.9万元。\n" + _TAIL)
    active = report.tables["active"]
    assert active is not None
    assert active["normative_documents"] == {"issued": 5, "repealed": None, "in_force": 27}
    assert active["fees"] == {"amount": 658.9}
    found = [f for f in report.findings if f.where == "active.normative_documents"]
    assert found and "本年废止件数" in found[0].message and "2件" in found[0].message


def test_a_cell_named_twice_with_different_numbers_stays_null() -> None:
    report = _report(_HEAD + "1.规章：本年制发0件，本年废止0件，现行有效3件。\n"
                     "2.行政规范性文件：本年制发5件，本年废止0件，现行有效27件，本年制发6件。\n"
                     "3.行政许可：本年处理决定数量10件。\n4.行政处罚：本年处理决定数量7件。\n"
                     "5.行政强制：本年处理决定数量1件。\n6.行政事业性收费：本年收费金额0万元。\n" + _TAIL)
    active = report.tables["active"]
    assert active is not None and active["normative_documents"]["issued"] is None
    assert any(f.rule == "PARSE-CELL-TWICE" and f.where == "active.normative_documents" for f in report.findings)


def test_a_row_total_without_its_column_word_is_taken_only_where_its_parts_add_up_to_it() -> None:
    review = ("四、政府信息公开行政复议、行政诉讼情况\n"
              "行政复议5件，其中结果维持1件，结果纠正1件，其他结果0件，尚未审结0件；"
              "未经复议直接起诉2件（结果维持1件，结果纠正0件，其他结果1件，尚未审结0件），"
              "复议后起诉0件（结果维持0件，结果纠正0件，其他结果0件，尚未审结0件）。\n五、存在的主要问题及改进情况\n无。\n")
    report = _report(_HEAD + "无。\n" + _TAIL + review)
    got = report.tables["review_litigation"]
    assert got is not None
    assert got["review"]["total"] is None  # 5 is not 1+1+0+0: which is wrong the text does not tell
    assert got["litigation_direct"]["total"] == 2
    assert any(f.where == "review_litigation.review" and "5件" in f.message for f in report.findings)


def test_a_table_written_as_text_is_a_form_defect_said_as_such_not_a_picture() -> None:
    report = xxgk.parse(LISTED / "b01_t4list_v1.txt")
    found = [f for f in report.findings if f.rule == "FORM-TABLE-MISSING"]
    assert [f.where for f in found] == ["review_litigation"]
    assert "文字" in found[0].message and "图片" not in found[0].message
    assert any(f.rule == "PARSE-TABLE-LISTED" and f.where == "review_litigation" for f in report.findings)


def test_a_section_stating_figures_it_does_not_name_is_not_said_to_hold_a_picture() -> None:
    report = _report(_HEAD + "本年度共主动公开各类信息1234条，其中新闻动态56件，通知公告78件。\n" + _TAIL)
    assert report.tables["active"] is None
    found = next(f for f in report.findings if f.rule == "FORM-TABLE-MISSING" and f.where == "active")
    assert "文字" in found.message and "图片" not in found.message


def test_a_grid_laid_across_whose_column_labels_do_not_follow_the_rows_is_not_read_by_position() -> None:
    grid = ("规章 | 行政规范性文件 | 行政许可 | 行政处罚 | 行政强制 | 行政事业性收费 |\n"
            "本年制发件数 | 现行有效件数 | 本年制发件数 | 本年废止件数 | 现行有效件数 | 本年处理决定数量 | 本年处理决定数量 |"
            " 本年处理决定数量 | 本年收费金额（万元） |\n0 | 8 | 2 | 0 | 36 | 0 | 299 | 0 | 0 |\n")
    report = _report(_HEAD + grid + _TAIL)
    active = report.tables["active"]
    assert active is None or all(v is None for row in active.values() for v in row.values())


def test_the_prose_of_a_report_before_the_statutory_tables_is_no_table() -> None:
    text = (_HEAD.replace("2023年", "2017年") + "1.规章：本年制发0件，本年废止0件，现行有效3件。\n"
            "2.行政规范性文件：本年制发5件，本年废止0件，现行有效27件。\n3.行政许可：本年处理决定数量10件。\n" + _TAIL)
    active = _report(text).tables.get("active")
    assert active is None or all(v is None for row in active.values() for v in row.values())


def test_numbers_given_respectively_for_several_rows_are_not_dealt_out_in_order() -> None:
    report = _report(_HEAD + "规章本年制发0件、本年废止0件、现行有效16件；行政规范性文件本年制发4件、本年废止0件、现行有效33件。"
                     "行政许可、行政处罚、行政强制决定分别为10件、7件、1件，行政事业性收费0万元。\n" + _TAIL)
    active = report.tables["active"]
    assert active is not None and active["regulations"] == {"issued": 0, "repealed": 0, "in_force": 16}
    assert active["licensing"] == active["punishment"] == active["enforcement"] == {"decisions": None}
    assert {"active.licensing", "active.enforcement"} <= {f.where for f in report.findings if f.rule == "PARSE-CELL-UNNAMED"}
