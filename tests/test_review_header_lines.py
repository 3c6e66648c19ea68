"""表四's header as a page's text prints it, line by line as the rows of the page, without cell boundaries.

The official form's 行政复议 spans the two header rows and is centred on them, so a PDF's text (a scan's
OCR layer, a table without rules) prints it on a line of its own below 行政诉讼: the same lines a table
whose 行政复议 stands right of 行政诉讼 gives. Which group stands left cannot be told from such text: the
statutory order is read, with an info finding on each group; never the groups moved silently by the lines.
Where a line prints two top groups side by side, their order is told and the values follow it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.templates import statutory

TABLE = statutory().table_by_id("review_litigation")
ROWS = TABLE.rows_for("2021")
REVIEW, DIRECT, AFTER = (r.label_for("2021") for r in ROWS)
LITIGATION = ROWS[1].group or ""
COLUMNS = [c.label_for("2021") for c in TABLE.columns_for("2021")]
VALUES = {"review": [1, 2, 0, 0, 3], "litigation_direct": [0, 0, 4, 0, 4], "litigation_after_review": [0, 1, 0, 2, 3]}
PDF = Path(__file__).parent / "data" / "headers" / "t4_centred_caption_no_rules.pdf"  # a probe's invented report, no rules


def _columns(wrapped: bool) -> list[str]:
    """The bottom header row, three groups' columns: whole, or each label wrapped after three characters."""
    if not wrapped:
        return [" ".join(COLUMNS * 3)]
    heads = [c[:3] if len(c) > 3 else c for c in COLUMNS]
    tails = [c[3:] for c in COLUMNS if len(c) > 3]
    return [" ".join(heads * 3), " ".join(tails * 3)]


def _report(header: list[str], order: list[str], wrapped: bool = False) -> dict[str, Any]:
    """A report whose 表四 has these header lines over one line of values, the groups' values in ``order``."""
    line = " ".join(str(v) for group in order for v in VALUES[group])
    text = "\n".join([
        "临川区审计局2023年政府信息公开工作年度报告", "",
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", "",
        "四、政府信息公开行政复议、行政诉讼情况", *header, *_columns(wrapped), line, "",
        "五、存在的主要问题及改进情况", "无。", ""])
    return xxgk.parse(text.encode("utf-8"), "report.txt").to_dict()


def _groups(report: dict[str, Any]) -> dict[str, list[Any]]:
    got = report["tables"]["review_litigation"]
    return {g: [got[g][c.id] for c in TABLE.columns_for("2021")] for g in VALUES}


def _assumed(report: dict[str, Any]) -> set[str]:
    return {f["where"] for f in report["findings"] if f["rule"] == "PARSE-GROUPS-ASSUMED"}


@pytest.mark.parametrize("wrapped", [False, True], ids=["whole_labels", "wrapped_labels"])
def test_a_caption_centred_on_two_header_rows_is_read_in_the_statutory_order_and_said(wrapped: bool) -> None:
    report = _report([LITIGATION, REVIEW, f"{DIRECT} {AFTER}"], list(VALUES), wrapped)
    assert _groups(report) == VALUES
    assert _assumed(report) == {f"review_litigation.{g}" for g in VALUES}


def test_captions_side_by_side_tell_the_order_and_nothing_is_assumed() -> None:
    statutory_order = _report([f"{REVIEW} {LITIGATION}", f"{DIRECT} {AFTER}"], list(VALUES))
    assert _groups(statutory_order) == VALUES and not _assumed(statutory_order)
    # 行政复议 on the line of the groups under 行政诉讼, before them: it stands left.
    beside = _report([LITIGATION, f"{REVIEW} {DIRECT} {AFTER}"], list(VALUES))
    assert _groups(beside) == VALUES and not _assumed(beside)


def test_groups_moved_side_by_side_are_never_read_in_the_statutory_order() -> None:
    moved = ["litigation_direct", "litigation_after_review", "review"]
    report = _report([f"{LITIGATION} {REVIEW}", f"{DIRECT} {AFTER}"], moved)
    for group, values in _groups(report).items():
        warned = any(f["severity"] != "info" and f["where"] == f"review_litigation.{group}"
                     for f in report["findings"])
        assert values == VALUES[group] or (all(v is None for v in values) and warned), group
    assert not _assumed(report)


def test_a_pdf_table_without_rules_under_the_official_header() -> None:
    report = xxgk.parse(PDF).to_dict()
    assert _groups(report) == VALUES
    assert _assumed(report) == {f"review_litigation.{g}" for g in VALUES}
