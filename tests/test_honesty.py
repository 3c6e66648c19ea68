"""Honesty rules on real report text: unknown numbers are null with a finding, never guessed."""

from __future__ import annotations

from typing import Any

import xxgk
from conftest import report_path

SEED_001 = report_path("seed_001_a8be0d3400cd1f54").read_text(encoding="utf-8")
SEED_002 = report_path("seed_002_f821463d77e6db60").read_text(encoding="utf-8")


def rules_at(report: xxgk.Report, where: str) -> set[str]:
    return {f.rule for f in report.findings if f.where == where or f.where.startswith(where + ".")}


def test_table_missing_is_null_not_zero(parsed: dict[str, Any]) -> None:
    report = parsed["seed_000_21adae8aa08e5a52"]
    assert report["tables"] == {"active": None, "requests": None, "review_litigation": None}
    assert report["meta"]["template"] is None  # a 2022 report whose tables were images: format unknown


def test_short_row_is_null_where_position_unknown() -> None:
    report = xxgk.parse_text(SEED_002)
    row = report.tables["requests"]["rejected.publications"]  # type: ignore[index]
    assert set(row.values()) == {None}
    assert "PARSE-ROW-SHORT" in rules_at(report, "requests.rejected.publications")
    assert report.tables["requests"]["rejected.repeated"]["total"] == 0  # type: ignore[index]


def test_blank_cells_are_null_with_a_finding(parsed: dict[str, Any]) -> None:
    report = parsed["dev_025"]  # rows 一 and 二: six blank applicant cells, 总计 0
    row = report["tables"]["requests"]["new_received"]
    assert row["total"] == 0 and row["natural_person"] is None and row["other_org"] is None
    assert any(f["where"] == "requests.new_received" and f["rule"] == "PARSE-CELL-BLANK" for f in report["findings"])
    assert report["tables"]["active"]["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert any(f["rule"] == "PARSE-CELL-NA" and f["where"].startswith("active.regulations")
               for f in report["findings"])


def _pipe_table(rows: list[tuple[str, str]]) -> str:
    lines = ["某县某局2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |"]
    lines += [f"{label} | {cells} |" for label, cells in rows]
    return "\n".join(lines)


def test_digits_run_together_split_when_arithmetic_allows_one_cut() -> None:
    text = _pipe_table([("一、本年新收政府信息公开申请数量", "21710000218"),
                        ("二、上年结转政府信息公开申请数量", "0 | 0 | 0 | 0 | 0 | 0 | 0")])
    report = xxgk.parse_text(text)
    row = report.tables["requests"]["new_received"]  # type: ignore[index]
    assert list(row.values()) == [217, 1, 0, 0, 0, 0, 218]
    assert "PARSE-DIGITS-SPLIT" in rules_at(report, "requests.new_received")


def test_digits_run_together_with_several_cuts_are_not_guessed() -> None:
    text = "\n".join(["某县某局2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第(一)项",
                      "信息内容 本年制发件数 本年废止件数 现行有效件数", "规章 0 0 0", "行政规范性文件6233440"])
    report = xxgk.parse_text(text)
    row = report.tables["active"]["normative_documents"]  # type: ignore[index]
    assert set(row.values()) == {None}
    assert "PARSE-DIGITS-AMBIGUOUS" in rules_at(report, "active.normative_documents")
    assert report.tables["active"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}  # type: ignore[index]


def test_subtotal_column_dropped_only_when_arithmetic_agrees() -> None:
    # Some offices add a 法人或其他组织 小计 column: eight numbers for seven columns.
    text = _pipe_table([("一、本年新收政府信息公开申请数量", "5 | 2 | 0 | 0 | 1 | 0 | 3 | 8"),
                        ("二、上年结转政府信息公开申请数量", "1 | 1 | 0 | 0 | 0 | 0 | 1 | 2")])
    report = xxgk.parse_text(text)
    assert list(report.tables["requests"]["new_received"].values()) == [5, 2, 0, 0, 1, 0, 8]  # type: ignore[index]
    assert list(report.tables["requests"]["carried_over"].values()) == [1, 1, 0, 0, 0, 0, 2]  # type: ignore[index]


def test_every_table_number_is_traced(parsed: dict[str, Any]) -> None:
    report = parsed["seed_001_a8be0d3400cd1f54"]
    src = report["provenance"]["requests.unable.not_held.natural_person"]
    assert SEED_001[src["offset"]] == "3" and src["line"] > 0


def test_preamble_listing_the_numbered_parts_does_not_hide_the_tables() -> None:
    text = SEED_001.replace(
        "编制本报告。",
        "编制本报告。本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
        "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。")
    report = xxgk.parse_text(text)
    assert report.tables["requests"]["total_processed"]["total"] == 7  # type: ignore[index]
    assert report.tables["review_litigation"] is not None
    assert not [f for f in report.findings if f.severity != "info"]


def _active_table(rows: list[list[str]], as_grid: bool) -> Any:
    from xxgk.read.document import DocumentBuilder

    builder = DocumentBuilder()
    builder.add_text("2022年政府信息公开工作年度报告\n一、总体情况\n文字\n二、主动公开政府信息情况")
    for row in rows:
        if as_grid:
            builder.add_row(row)
        else:
            builder.add_text(" ".join(c for c in row if c))
    builder.add_text("三、收到和处理政府信息公开申请情况")
    return xxgk.parse_document(builder.build("t", "html" if as_grid else "text", b"t"))


HEAD = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]


def test_a_grid_cell_is_one_number_never_cut_again() -> None:
    # "| | 108": 108 documents in force, the other two cells left blank.
    report = _active_table([*HEAD, ["规章", "0", "0", "0"], ["行政规范性文件", "", "", "108"]], as_grid=True)
    assert report.tables["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": 108}
    assert any(f.rule == "PARSE-CELL-BLANK" and f.where == "active.normative_documents" for f in report.findings)


def test_digits_without_arithmetic_are_cut_only_when_no_other_reading_exists() -> None:
    report = _active_table([*HEAD, ["规章", "000"], ["行政规范性文件", "108"]], as_grid=False)
    assert report.tables["active"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    # 108 may be one number in a short row or 1, 0, 8: nothing is guessed.
    assert set(report.tables["active"]["normative_documents"].values()) == {None}
    assert any(f.rule == "PARSE-DIGITS-AMBIGUOUS" and f.where == "active.normative_documents"
               for f in report.findings)


def test_digits_set_apart_in_a_cell_are_said_so_where_no_arithmetic_checks_them() -> None:
    """``9 7`` in one cell: a PDF's letter-spaced 97, or two numbers in one cell. 表二 has no
    arithmetic to tell: the number is read as one, with a finding on its cell; in 表三, where the
    row's arithmetic confirms it, nothing is said."""
    text = report_path("dev_d106").read_text(encoding="utf-8")
    spaced = text.replace("行政处罚  | 3  | 6  | 9  |", "行政处罚  | 3  | 6  | 9 7  |")
    spaced = spaced.replace("一、本年新收政府信息公开申请数量  | 2  | 0 | 0 | 0 | 0 | 0 | 2  |",
                            "一、本年新收政府信息公开申请数量  | 1 2  | 0 | 0 | 0 | 0 | 0 | 1 2  |")
    assert spaced.count(" 9 7 ") == 1 and spaced.count("1 2 ") == 2
    report = xxgk.parse_text(spaced)
    assert report.tables["active"]["punishment"]["decisions"] == 97  # type: ignore[index]
    assert "PARSE-DIGITS-SPACED" in rules_at(report, "active.punishment.decisions")
    assert report.tables["requests"]["new_received"]["total"] == 12  # type: ignore[index]
    assert "PARSE-DIGITS-SPACED" not in rules_at(report, "requests")
    assert "PARSE-DIGITS-SPACED" not in rules_at(xxgk.parse_text(text), "active")
