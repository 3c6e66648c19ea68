"""A statutory table printed more than once in its part: the report's own copy, or null with a finding.

The reports in tests/data/copies are realistic invented ones (a probe's, answers checked by hand): last
year's 表二, 表三 or 表四 printed for comparison before or after this year's, a sub-unit's or a part's 表三
after the agency's own, 表四 with last year's line of numbers above this year's. Read as one table,
the later copy's numbers won each row, with nothing said.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.parse.copies import whose
from xxgk.templates import statutory

COPIES = Path(__file__).parent / "data" / "copies"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in COPIES.glob("*.expected.json"))
REPORT_YEAR = 2023


def _wrong(name: str) -> list[str]:
    """The cells that differ from the checked answer."""
    report = xxgk.parse(COPIES / f"{name}.txt")
    expected: dict[str, Any] = json.loads((COPIES / f"{name}.expected.json").read_text(encoding="utf-8"))
    wrong: list[str] = []
    for tid, rows in expected["tables"].items():
        got = report.tables[tid]
        assert got is not None, f"{name}: {tid} not read"
        for rid, cells in rows.items():
            wrong += [f"{tid}.{rid}.{col}: {got[rid][col]} ≠ {v}" for col, v in cells.items() if got[rid][col] != v]
    return wrong


@pytest.mark.parametrize("name", NAMES)
def test_the_report_s_own_copy_is_read(name: str) -> None:
    assert _wrong(name) == []


@pytest.mark.parametrize(("name", "taken", "left"), [
    ("t3_last_year_after", "第1张（未加标题）", "第2张（标题为“附：2021年度收到和处理政府信息公开申请情况（供对比）”）"),
    ("t3_last_year_before", "第2张（标题为“（二）2023年度情况”）", "第1张（标题为“（一）2022年度情况（供对比参考）”）"),
    ("t3_sub_unit_after", "第1张（未加标题）", "第2张（标题为“（二）区政府办公室收到和处理政府信息公开申请情况”）"),
    ("t3_part_after", "第1张（未加标题）", "第2张（标题为“其中，本级收到和处理政府信息公开申请情况如下：”）"),
    ("t4_year_lines", "第2行（“2023年”）", "第1行（“2022年”）"),
    ("t4_last_this_lines", "第2行（“本年数”）", "第1行（“上年数”）"),
])
def test_the_copy_taken_and_those_left_are_said(name: str, taken: str, left: str) -> None:
    report = xxgk.parse(COPIES / f"{name}.txt")
    said = [f.message for f in report.findings if f.rule == "PARSE-TABLE-COPIES"]
    assert len(said) == 1 and f"取{taken}；{left}不是本年度、本机关的数字" in said[0]
    assert not any(f.rule == "PARSE-TABLE-WHICH" for f in report.findings)


def test_a_row_repeating_the_first_row_s_words_is_no_copy() -> None:
    """``上年同期本年新收政府信息公开申请数量`` after 四: one table with an extra row, read as before."""
    report = xxgk.parse(COPIES / "t3_last_year_row.txt")
    assert not any(f.rule.startswith("PARSE-TABLE-") for f in report.findings)


def _two_tables(first_caption: str, second_caption: str, same: bool = False) -> str:
    """A 2023 report whose part 三 prints two 表三, captioned as given (empty: none)."""
    text = (COPIES / "t3_last_year_after.txt").read_text(encoding="utf-8")
    head, rest = text.split("附：2021年度收到和处理政府信息公开申请情况（供对比）")
    own_start = head.index("三、收到和处理政府信息公开申请情况") + len("三、收到和处理政府信息公开申请情况")
    own = head[own_start:]
    second = own if same else rest[: rest.index("四、政府信息公开行政复议")]
    tail = rest[rest.index("四、政府信息公开行政复议"):]
    return (head[:own_start].replace("2022", str(REPORT_YEAR)) + f"\n\n{first_caption}\n" + own
            + f"\n\n{second_caption}\n" + second + tail)


def test_two_different_tables_nothing_tells_apart_are_null_with_a_finding_on_every_row() -> None:
    report = xxgk.parse_text(_two_tables("", ""), "two.txt")
    table = report.tables["requests"]
    assert table is not None and all(v is None for row in table.values() for v in row.values())
    which = {f.where for f in report.findings if f.rule == "PARSE-TABLE-WHICH"}
    assert which == {f"requests.{rid}" for rid in table}


def test_two_tables_for_other_years_are_not_chosen_between() -> None:
    report = xxgk.parse_text(_two_tables("（一）2021年度", "（二）2022年度"), "two.txt")
    assert report.meta.year == REPORT_YEAR
    assert report.tables["requests"]["new_received"]["total"] is None  # type: ignore[index]
    assert any(f.rule == "PARSE-TABLE-WHICH" and f.where == "requests.new_received" for f in report.findings)


def test_the_copy_captioned_with_the_report_s_year_is_taken_wherever_it_stands() -> None:
    report = xxgk.parse_text(_two_tables("（一）2022年度", f"（二）{REPORT_YEAR}年度"), "two.txt")
    assert report.tables["requests"]["new_received"]["total"] == 18  # type: ignore[index]  # the second's


def test_copies_whose_numbers_do_not_contradict_each_other_give_the_fuller_one() -> None:
    """The same table twice, some cells of one unread (blank): nothing to choose between."""
    row = "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |"
    text = _two_tables("", "", same=True)
    at = text.rindex(row)
    text = text[:at] + "| 二、上年结转政府信息公开申请数量 | | | | | | | |" + text[at + len(row):]
    report = xxgk.parse_text(text, "twice.txt")
    assert report.tables["requests"]["carried_over"]["total"] == 1  # type: ignore[index]
    said = [f.message for f in report.findings if f.rule == "PARSE-TABLE-COPIES"]
    assert said == ["本部分印有2张“收到和处理政府信息公开申请情况”表，各张读到的数字没有矛盾，按读到数字最多的第1张（未加标题）读取"]


def test_the_copy_naming_the_report_s_body_is_taken_before_one_that_names_nothing() -> None:
    report = xxgk.parse_text(_two_tables("（一）本机关情况", "（二）所属单位情况"), "two.txt")
    assert report.tables["requests"]["new_received"]["total"] == 15  # type: ignore[index]  # the first's


def test_a_copy_naming_only_the_year_is_not_taken_before_one_that_names_nothing() -> None:
    """This year's own table, or this year's 汇总 of all units: the caption does not tell."""
    report = xxgk.parse_text(_two_tables("", f"（二）{REPORT_YEAR}年度全镇汇总"), "two.txt")
    assert report.tables["requests"]["new_received"]["total"] is None  # type: ignore[index]
    assert any(f.rule == "PARSE-TABLE-WHICH" for f in report.findings)


def test_a_table_printed_twice_as_it_is_is_read_once() -> None:
    report = xxgk.parse_text(_two_tables("", "", same=True), "twice.txt")
    assert report.tables["requests"]["new_received"]["total"] == 15  # type: ignore[index]
    assert [f.message for f in report.findings if f.rule == "PARSE-TABLE-COPIES"] == [
        "本部分印有2张“收到和处理政府信息公开申请情况”表，数字相同，按一张读取"]


REQUESTS = statutory().table_by_id("requests")


@pytest.mark.parametrize(("caption", "expected"), [
    ("附:2022年度收到和处理政府信息公开申请情况(供对比)", "other"),
    ("(二)2023年度情况", "own"),
    ("2023年及上年情况", None),  # both years at once: it does not say
    ("2023年与上年对比", "other"),  # a comparison is printed beside the report's own
    ("附:区政府办公室2023年收到和处理政府信息公开申请情况", "other"),  # this year's, another body's
    ("(一)本年度收到和处理政府信息公开申请情况", "own"),
    ("(二)区政府办公室收到和处理政府信息公开申请情况", "other"),
    ("(一)本机关收到和处理政府信息公开申请情况", "own"),
    ("(一)海陵区人民政府收到和处理政府信息公开申请情况", "own"),  # the body's own name
    ("其中,本级收到和处理政府信息公开申请情况如下:", "other"),
    ("上年数", "other"),
    ("本年数", "own"),
    ("", None),
    ("表格如下", None),
])
def test_whose_numbers_a_caption_says(caption: str, expected: str | None) -> None:
    assert whose(caption, REQUESTS, REPORT_YEAR, "江苏省泰州市海陵区人民政府") == expected


def test_a_year_says_nothing_when_the_report_s_is_unknown() -> None:
    assert whose("(二)2023年度情况", REQUESTS, None, None) is None


def test_a_copy_run_together_on_one_line_is_told_by_its_caption() -> None:
    """Text without line breaks inside the tables (a crawl that ran each table's cells together)."""
    text = (COPIES / "t3_last_year_after.txt").read_text(encoding="utf-8")
    head, rest = text.split("三、收到和处理政府信息公开申请情况")
    part, tail = rest.split("四、政府信息公开行政复议")
    flat = " ".join(part.replace("|", " ").split())
    report = xxgk.parse_text(f"{head}三、收到和处理政府信息公开申请情况\n{flat}\n四、政府信息公开行政复议{tail}", "flat.txt")
    assert report.tables["requests"]["new_received"]["total"] == 15  # type: ignore[index]
    assert any(f.rule == "PARSE-TABLE-COPIES" and "（标题为“附:2021年度收到和处理政府信息公开申请情况(供对比)”）" in f.message
               for f in report.findings)


def test_table_four_with_two_unlabelled_lines_is_null_with_a_finding_on_every_group() -> None:
    text = (COPIES / "t4_year_lines.txt").read_text(encoding="utf-8")
    text = text.replace("2022年\t", "\t").replace("2023年\t", "\t")
    report = xxgk.parse_text(text, "lines.txt")
    table = report.tables["review_litigation"]
    assert table is not None and all(v is None for row in table.values() for v in row.values())
    assert {f.where for f in report.findings if f.rule == "PARSE-TABLE-WHICH"} == {
        "review_litigation.review", "review_litigation.litigation_direct", "review_litigation.litigation_after_review"}


def _row_twice(second: str) -> str:
    """A 2023 report whose 表三 prints 二、上年结转 twice, the second time with ``second``."""
    text = (COPIES / "t3_last_year_after.txt").read_text(encoding="utf-8")
    own = text.split("附：2021年度")[0] + "四、政府信息公开行政复议、行政诉讼情况\n"
    row = "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |\n"
    assert row in own
    return own.replace(row, row + row.replace("| 0 | 0 | 0 | 0 | 0 | 1 | 1 |", second))


def test_a_row_printed_twice_with_other_numbers_is_null_with_a_finding() -> None:
    report = xxgk.parse_text(_row_twice("| 3 | 0 | 0 | 0 | 0 | 1 | 4 |"), "twice.txt")
    assert set(report.tables["requests"]["carried_over"].values()) == {None}  # type: ignore[index]
    said = [f.message for f in report.findings if f.rule == "PARSE-ROW-TWICE" and f.where == "requests.carried_over"]
    assert len(said) == 1 and "0、0、0、0、0、1、1；3、0、0、0、0、1、4" in said[0]
    assert report.tables["requests"]["new_received"]["total"] == 15  # type: ignore[index]  # the rest stands


@pytest.mark.parametrize("second", ["| 0 | 0 | 0 | 0 | 0 | 1 | 1 |", "| 0 | 0 | 0 | 0 | 0 | ? | ? |"])
def test_a_row_printed_twice_alike_or_with_digits_lost_stands(second: str) -> None:
    report = xxgk.parse_text(_row_twice(second), "twice.txt")
    assert report.tables["requests"]["carried_over"]["natural_person"] == 0  # type: ignore[index]
    assert not any(f.rule == "PARSE-ROW-TWICE" for f in report.findings)
