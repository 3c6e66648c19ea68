"""表四's line of fifteen under its header, with a row-label column before it (a real grid).

Some reports give 表四 a first column for row labels (``项目`` over ``件数``, or both blank).
The value row is then sixteen cells wide: the header's bottom row (its last column label,
总计, ends the fifteen) says which cells are values. Blank cells anywhere must keep their place.
"""

from __future__ import annotations

import pytest

import xxgk
from test_layouts import REVIEW_BLANKS
from xxgk.templates import statutory

TABLE = statutory().table_by_id("review_litigation")
ROWS = TABLE.rows_for("2021")
COLUMNS = [c.label_for("2021") for c in TABLE.columns_for("2021")]
VALUES = {"review": [1, 2, 0, 3, 6], "litigation_direct": [4, 0, 1, 0, 5], "litigation_after_review": [0, 2, 2, 1, 5]}


def _page(stub_head: str | None, stub_value: str | None, values: dict[str, list[str]]) -> str:
    head = f'<td rowspan="3">{stub_head}</td>' if stub_head is not None else ""
    first = "".join(f'<td rowspan="2">{c}</td>' for c in COLUMNS)
    sub = "".join(f"<td>{c}</td>" for c in COLUMNS) * 2
    direct, after = (r.label_for("2021") for r in ROWS[1:])
    cells = "".join(f"<td>{v}</td>" for r in ROWS for v in values[r.id])
    stub = f"<td>{stub_value}</td>" if stub_value is not None else ""
    return (f"<html><body><h1>江川市自然资源局2022年政府信息公开工作年度报告</h1>"
            f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
            f'<tr>{head}<td colspan="5">{ROWS[0].label_for("2021")}</td><td colspan="10">{ROWS[1].group}</td></tr>'
            f'<tr>{first}<td colspan="5">{direct}</td><td colspan="5">{after}</td></tr>'
            f"<tr>{sub}</tr><tr>{stub}{cells}</tr></table><p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>")


@pytest.mark.parametrize(("stub_head", "stub_value"), [(None, None), ("项目", "件数"), ("", ""), ("项目", "")],
                         ids=["no_stub", "stub", "blank_stub", "blank_value_stub"])
@pytest.mark.parametrize(("name", "blanks"), REVIEW_BLANKS, ids=[n for n, _ in REVIEW_BLANKS])
def test_blanks_keep_their_place(stub_head: str | None, stub_value: str | None, name: str,
                                 blanks: dict[str, list[str]]) -> None:
    printed = {g: [str(v) for v in vs] for g, vs in VALUES.items()}
    ids = [c.id for c in TABLE.columns_for("2021")]
    for group, cols in blanks.items():
        for col in cols:
            printed[group][ids.index(col)] = ""
    report = xxgk.parse(_page(stub_head, stub_value, printed).encode("utf-8"), "x.html").to_dict()
    got = report["tables"]["review_litigation"]
    for group, values in printed.items():
        assert [got[group][c] for c in ids] == [int(v) if v else None for v in values], group


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize(("name", "blanks"), REVIEW_BLANKS[:4], ids=[n for n, _ in REVIEW_BLANKS[:4]])
def test_word_and_pdf_keep_the_blanks_in_place(fmt: str, name: str, blanks: dict[str, list[str]]) -> None:
    """The same line written as Word and PDF (merged cells like the official form) reads back the same."""
    from xxgk.render.docx import report_to_docx
    from xxgk.render.pdf import report_to_pdf

    printed = {g: [str(v) for v in vs] for g, vs in VALUES.items()}
    ids = [c.id for c in TABLE.columns_for("2021")]
    for group, cols in blanks.items():
        for col in cols:
            printed[group][ids.index(col)] = ""
    report = xxgk.parse(_page(None, None, printed).encode("utf-8"), "x.html")
    raw = report_to_docx(report) if fmt == "docx" else report_to_pdf(report)
    back = xxgk.parse(raw, f"report.{fmt}").to_dict()
    assert back["tables"]["review_litigation"] == report.to_dict()["tables"]["review_litigation"]


# pdftotext -raw of a site's page printed by Chromium (淮安市人民政府 2024, dev_001's numbers): the text comes in the
# order it was drawn, so 行政复议's five numbers follow the caption 未经复议直接起诉 and the two 行政诉讼 groups' ten
# numbers come together after both their headers.
RAW_PIECES = """四、政府信息公开行政复议、行政诉讼情况
行政复议
行政诉讼
未经复议直接起诉
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
{review}
复议后起诉
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
{litigation}
五、存在的主要问题及改进情况
无。
"""


def _raw_report(review: list[int], litigation: list[int]) -> str:
    body = RAW_PIECES.format(review="\n".join(map(str, review)), litigation="\n".join(map(str, litigation)))
    return "淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n略。\n" + body


def test_the_line_cut_into_pieces_by_header_words_is_read_in_order() -> None:
    report = xxgk.parse_text(_raw_report([72, 64, 178, 37, 351], [13, 4, 8, 1, 26, 12, 1, 1, 6, 20])).to_dict()
    assert report["tables"]["review_litigation"] == {
        "review": {"upheld": 72, "corrected": 64, "other": 178, "pending": 37, "total": 351},
        "litigation_direct": {"upheld": 13, "corrected": 4, "other": 8, "pending": 1, "total": 26},
        "litigation_after_review": {"upheld": 12, "corrected": 1, "other": 1, "pending": 6, "total": 20}}


def test_pieces_that_do_not_add_up_in_order_are_not_placed_by_guess() -> None:
    """Read in order the groups' totals fail: no number is given to a group it may not belong to."""
    report = xxgk.parse_text(_raw_report([72, 64, 178, 37, 350], [13, 4, 8, 1, 26, 12, 1, 1, 6, 20])).to_dict()
    table = report["tables"]["review_litigation"]
    flagged = {f["where"] for f in report["findings"]}
    for group, values in table.items():
        for column, value in values.items():
            assert value is None or f"review_litigation.{group}" in flagged, (group, column, value)
