"""Statutory tables as agencies edit the form: 表四 with its groups in another order, transposed, or as two
tables; 表三 with some of its items left out.

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

DATA = Path(__file__).parent / "data" / "edited_forms"
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


# -- 表三's （六）其他处理 holding only its third item ------------------------------------------------


@pytest.mark.parametrize("name", ["t3_lone_other.txt", "t3_lone_other.html"])
def test_a_lone_other_item_under_other_handling_is_the_2021_item(name: str) -> None:
    """A 2021-format 表三 that leaves out （六）'s first two items (zero) keeps ``3.其他`` (or ``其他``, the table
    unnumbered) under the caption （六）其他处理: the 2021 row ``other.misc``, not the 2019 row ``other``; the
    caption printed over another label is not the 2019 row's label."""
    report = xxgk.parse(DATA / name).to_dict()
    requests = report["tables"]["requests"]
    assert report["meta"]["template"] == "2021"
    assert requests["other.misc"]["total"] == 2
    assert "other" not in requests
    assert requests["other.no_correction"]["total"] is None
    assert not [f for f in report["findings"] if f["rule"].startswith("FORM-TEMPLATE")]


def test_the_2019_row_glossed_with_a_2021_items_words_is_the_2019_row() -> None:
    """A 2019-format 表三 whose row reads （六）其他处理（逾期不补正等）: the words of 2021's first item in the row's
    gloss are no 2021 row, so the table is the 2019 format, its ``other`` row read, and no finding calls the format
    wrong (the tie of one row label each was settled by the formats' names, 2021 winning)."""
    report = xxgk.parse(DATA / "t3_2019_glossed_other.txt").to_dict()
    assert report["meta"]["template"] == "2019"
    assert report["tables"]["requests"]["other"] == {"natural_person": 2, "commercial": 0, "research": 0,
                                                     "social_org": 0, "legal_service": 0, "other_org": 0, "total": 2}
    assert not [f for f in report["findings"] if f["rule"].startswith("FORM-TEMPLATE")]


# -- 表三 with columns merged or left out ----------------------------------------------------------


@pytest.mark.parametrize(("name", "gold"), [
    ("t3_merged.txt", "t3_merged"), ("t3_merged.docx", "t3_merged_docx"),
    ("t3_natural_total.txt", "t3_natural_total"), ("t3_no_total.html", "t3_no_total")])
def test_the_columns_the_header_prints_are_read_and_the_others_are_null(name: str, gold: str) -> None:
    """表三 whose header merges 法人或其他组织's five columns into one (自然人 | 法人或其他组织 | 总计), or leaves
    columns out (自然人 | 总计; no 总计): the columns printed are read, the others null with a finding on every
    row, and the merged number goes into none of the five."""
    report = xxgk.parse(DATA / name).to_dict()
    want = json.loads((DATA / f"{gold}.gold.json").read_text(encoding="utf-8"))["tables"]["requests"]
    assert report["tables"]["requests"] == want
    absent = {c for r in want.values() for c, v in r.items() if v is None}
    assert absent
    for row, values in want.items():
        if any(values[c] is None for c in absent):
            assert any(f["rule"] == "PARSE-HEADER-MERGED" and f["where"] == f"requests.{row}"
                       for f in report["findings"]), row



# -- 表三's labels shortened or numbered otherwise -----------------------------------------------


@pytest.mark.parametrize("name", ["t3_short", "t3_arabic_total", "t3_continuous"])
def test_rows_labelled_short_or_numbered_otherwise_are_read(name: str) -> None:
    """``1.本机关不掌握``, ``2.需另行制作``, ``2.逾期未缴纳费用`` (the declared variants); ``7.总计`` in a table
    numbered 1. to 7.; items numbered 1 to 19 straight through (``19.其他``)."""
    report = xxgk.parse(DATA / f"{name}.txt").to_dict()
    want = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))["tables"]["requests"]
    assert report["tables"]["requests"] == want


def test_a_row_printed_out_of_order_is_read_by_its_label() -> None:
    """二、上年结转 printed after 三、本年度办理结果's rows: read by its whole label, with a finding that says so."""
    report = xxgk.parse(DATA / "t3_results_first.txt").to_dict()
    want = json.loads((DATA / "t3_results_first.gold.json").read_text(encoding="utf-8"))["tables"]["requests"]
    assert report["tables"]["requests"] == want
    assert any(f["rule"] == "PARSE-ROW-MOVED" and f["where"] == "requests.carried_over" for f in report["findings"])


@pytest.mark.parametrize("style", ["pipe", "tab", "space"])
def test_a_group_left_out_of_the_header_is_null_and_the_others_read(style: str) -> None:
    """表四 without 复议后起诉 (ten columns): 行政复议 and 未经复议直接起诉 read, 复议后起诉 null with a finding.
    Where the header's cell boundaries are not all kept (a line of one cell has no tab), every group is null
    with a finding on its row."""
    line = [str(v) for g in ("review", "litigation_direct") for v in VALUES[g]]
    report = _read(_text([[[REVIEW, LITIGATION], [DIRECT], COLUMNS * 2, line]], style))
    if style != "pipe":
        got = report["tables"]["review_litigation"]
        assert all(got[g][c] is None for g in GROUPS for c in IDS)
        assert {f["where"] for f in report["findings"] if f["severity"] == "warning"} >= {
            f"review_litigation.{g}" for g in GROUPS}
        return
    got = report["tables"]["review_litigation"]
    assert [got["review"][c] for c in IDS] == VALUES["review"]
    assert [got["litigation_direct"][c] for c in IDS] == VALUES["litigation_direct"]
    assert all(got["litigation_after_review"][c] is None for c in IDS)
    assert any(f["rule"] == "PARSE-HEADER-MERGED" and f["where"] == "review_litigation.litigation_after_review"
               for f in report["findings"])


@pytest.mark.parametrize("name", ["t2_no_decisions.txt", "t2_no_repealed.html"])
def test_a_column_left_out_of_table_two_is_null_and_the_others_read(name: str) -> None:
    """表二 without 处理决定数量 (2019) or 本年新废止件数 (2021): the columns each caption's header prints are read,
    the one left out null with a finding on each of its rows."""
    report = xxgk.parse(DATA / name).to_dict()
    stem = name.rsplit(".", 1)[0]
    want = json.loads((DATA / f"{stem}.gold.json").read_text(encoding="utf-8"))["tables"]["active"]
    assert report["tables"]["active"] == want
    for row, values in want.items():
        if None in values.values():
            assert any(f["rule"] == "PARSE-HEADER-MERGED" and f["where"] == f"active.{row}"
                       for f in report["findings"]), row


def test_litigation_printed_as_one_group_leaves_its_two_groups_null() -> None:
    """表四 with 行政诉讼 as one group of five (not split into 未经复议直接起诉 and 复议后起诉): 行政复议 read, the two
    litigation groups null with a finding (the five numbers are neither's alone)."""
    line = [str(v) for v in VALUES["review"]] + ["1", "2", "0", "0", "3"]
    report = _read(_text([[[REVIEW, LITIGATION], COLUMNS * 2, line]], "pipe"))
    got = report["tables"]["review_litigation"]
    assert [got["review"][c] for c in IDS] == VALUES["review"]
    for group in ("litigation_direct", "litigation_after_review"):
        assert all(got[group][c] is None for c in IDS)
        assert any(f["rule"] == "PARSE-HEADER-MERGED" and f["where"] == f"review_litigation.{group}"
                   for f in report["findings"])
