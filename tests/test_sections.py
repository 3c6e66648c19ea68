"""The six statutory headings of a 2019+ report, found wherever they stand as headings.

A real report (dev 003, a district's 2024 report with its headings on lines of their own) is cut
at its six headings and printed again in another order, with a heading misnumbered, or with the
parts listed in its opening: each part keeps its own text, and the checker says what is wrong
(FORM-SECTION-ORDER, FORM-SECTION-NUMBER) instead of calling a part that is there missing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import xxgk
from conftest import report_path
from xxgk.model import Report
from xxgk.templates import SECTION_IDS, statutory

NAME = "dev_003"
HEADINGS = [s.heading for s in statutory().sections]


def _parts() -> tuple[str, list[str]]:
    """The text before the first heading, and each of the six parts (its heading line first)."""
    text = report_path(NAME).read_text(encoding="utf-8")
    cuts = [text.index(f"\n{h}\n") + 1 for h in HEADINGS]
    parts = [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    return text[: cuts[0]], parts


def _printed(order: list[int], parts: list[str] | None = None) -> str:
    head, straight = _parts()
    return head + "".join((parts or straight)[i] for i in order)


def _rules(report: Report, where: str | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report.findings:
        if where is None or f.where == where:
            out.setdefault(f.rule, []).append(f.message)
    return out


def _texts(report: Report) -> dict[str, Any]:
    return {sid: report.sections[sid].text for sid in SECTION_IDS}


STRAIGHT = xxgk.parse_text(_printed([0, 1, 2, 3, 4, 5]))


def test_the_report_as_published_is_in_order() -> None:
    assert all(STRAIGHT.sections[sid].present for sid in SECTION_IDS)
    assert not {"FORM-SECTION-ORDER", "FORM-SECTION-MISSING", "FORM-SECTION-NUMBER"} & set(_rules(STRAIGHT))


@pytest.mark.parametrize(("order", "first", "second"), [
    ([0, 1, 2, 4, 3, 5], 4, 3),  # 五 before 四
    ([0, 1, 2, 3, 5, 4], 5, 4),  # 六 before 五
    ([0, 1, 2, 5, 3, 4], 5, 3),  # 六 right after 三
], ids=["5_before_4", "6_before_5", "6_after_3"])
def test_a_part_printed_out_of_order_is_there_with_its_own_text(order: list[int], first: int, second: int) -> None:
    report = xxgk.parse_text(_printed(order))
    assert _texts(report) == _texts(STRAIGHT)  # no part swallows the one printed after it
    assert report.tables == STRAIGHT.tables
    assert "FORM-SECTION-MISSING" not in _rules(report)
    (message,) = _rules(report, "sections")["FORM-SECTION-ORDER"]
    assert f"“{HEADINGS[first]}”在“{HEADINGS[second]}”之前" in message


def test_an_empty_problems_part_printed_before_four_is_said_empty() -> None:
    """五 printed before 四 and answered “无。”: CONTENT-PROBLEMS-EMPTY sees 五's own text, not 四's table."""
    _, parts = _parts()
    parts[4] = f"{HEADINGS[4]}\n无。\n"
    report = xxgk.parse_text(_printed([0, 1, 2, 4, 3, 5], parts))
    assert report.sections["problems"].text == "无。"
    assert "CONTENT-PROBLEMS-EMPTY" in _rules(report, "sections.problems")


def test_a_fee_statement_printed_before_five_is_read_as_six() -> None:
    """六 printed before 五: its fee sentence is 六's, so CONTENT-FEE-STATEMENT has nothing to say."""
    report = xxgk.parse_text(_printed([0, 1, 2, 3, 5, 4]))
    assert "信息处理费" in (report.sections["other"].text or "")
    assert "信息处理费" not in (report.sections["problems"].text or "")
    assert "CONTENT-FEE-STATEMENT" not in _rules(report)


def test_a_misnumbered_heading_is_its_part_with_a_finding_on_the_numeral() -> None:
    """五 printed as “四、存在的主要问题及改进情况” (a copied 四): the part is there, its numeral is wrong."""
    _, parts = _parts()
    parts[4] = parts[4].replace("五、", "四、", 1)
    report = xxgk.parse_text(_printed([0, 1, 2, 3, 4, 5], parts))
    assert _texts(report) == _texts(STRAIGHT)
    assert report.sections["problems"].heading == "四、存在的主要问题及改进情况"
    (message,) = _rules(report, "sections.problems")["FORM-SECTION-NUMBER"]
    assert "“四”" in message and "应为“五”" in message
    assert "FORM-SECTION-MISSING" not in _rules(report)


def test_parts_renumbered_after_a_missing_one_are_there() -> None:
    """No 四 at all, and 五 and 六 printed as 四 and 五: 四 is missing, the two others misnumbered."""
    _, parts = _parts()
    parts[4] = parts[4].replace("五、", "四、", 1)
    parts[5] = parts[5].replace("六、", "五、", 1)
    report = xxgk.parse_text(_printed([0, 1, 2, 4, 5], parts))
    assert set(_rules(report, "sections.review_litigation")) == {"FORM-SECTION-MISSING"}
    assert "FORM-SECTION-NUMBER" in _rules(report, "sections.problems")
    assert "FORM-SECTION-NUMBER" in _rules(report, "sections.other")
    assert report.sections["other"].text == STRAIGHT.sections["other"].text


def test_a_legacy_report_numbers_its_parts_its_own_way() -> None:
    """A 2013 report's 六、存在的主要问题及改进措施 is no misnumbered 五."""
    text = ("某区商务局2013年政府信息公开工作年度报告\n一、概述\n2013年，我局主动公开政府信息120条。\n"
            "二、主动公开政府信息情况\n全年主动公开政府信息120条，其中通过政府网站公开98条。\n"
            "三、依申请公开政府信息情况\n全年共受理政府信息公开申请3件，均已按时答复。\n"
            "四、政府信息公开的收费及减免情况\n全年未收取任何费用。\n"
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n全年未发生行政复议和行政诉讼。\n"
            "六、存在的主要问题及改进措施\n公开内容还不够全面，下一步将进一步完善制度，加强培训，提升公开质量。\n")
    report = xxgk.parse_text(text)
    assert report.meta.template == "legacy"
    assert "FORM-SECTION-NUMBER" not in _rules(report)


def test_headings_listed_in_the_opening_prose_are_not_the_parts() -> None:
    """An opening that lists the six parts in a sentence (in the statutory order or not) and an overview
    that names a part: the headings are those on their own lines, and the order is right."""
    head, parts = _parts()
    listing = "；".join(HEADINGS[i] for i in (0, 1, 2, 4, 3, 5))
    parts[0] = parts[0].replace("\n", f"\n本报告从以下六个方面报告：{listing}。\n", 1)
    parts[1] = parts[1].rstrip("\n") + f"\n有关情况详见{HEADINGS[2]}的统计表。\n"
    report = xxgk.parse_text(head + "".join(parts))
    assert {sid: report.sections[sid].offset is not None for sid in SECTION_IDS} == dict.fromkeys(SECTION_IDS, True)
    assert not {"FORM-SECTION-ORDER", "FORM-SECTION-MISSING", "FORM-SECTION-NUMBER"} & set(_rules(report))
    assert report.tables == STRAIGHT.tables
    assert listing in (report.sections["overview"].text or "")


def test_a_table_of_contents_is_not_the_parts() -> None:
    """A PDF's contents page (the six headings, each with its page number) before the body: each part is
    the heading in the body, with its text; the contents say nothing about the order."""
    head, parts = _parts()
    contents = "目  录\n" + "".join(f"{h}……………………{i + 1}\n" for i, h in enumerate(HEADINGS))
    report = xxgk.parse_text(head + contents + "".join(parts))
    assert _texts(report) == _texts(STRAIGHT)
    assert report.tables == STRAIGHT.tables
    assert not {"FORM-SECTION-ORDER", "FORM-SECTION-MISSING", "FORM-SECTION-NUMBER"} & set(_rules(report))


def test_a_sidebar_after_the_body_is_not_the_parts() -> None:
    """A page's sidebar after the report repeating the headings (in-page links): the body's are the parts."""
    head, parts = _parts()
    sidebar = "本文目录\n" + "".join(f"{h}\n" for h in reversed(HEADINGS)) + "【打印本页】 【关闭窗口】\n"
    report = xxgk.parse_text(head + "".join(parts) + sidebar)
    assert [report.sections[s].offset for s in SECTION_IDS] == [STRAIGHT.sections[s].offset for s in SECTION_IDS]
    assert "FORM-SECTION-ORDER" not in _rules(report)
    assert report.tables == STRAIGHT.tables


def test_the_order_message_does_not_run_the_headings_together() -> None:
    report = xxgk.parse_text(_printed([0, 1, 2, 4, 3, 5]))
    (message,) = _rules(report, "sections")["FORM-SECTION-ORDER"]
    assert re.fullmatch(r"章节顺序与法定格式不符：“五、[^”]+”在“四、[^”]+”之前", message)


def test_parts_out_of_order_in_text_run_together() -> None:
    """A crawl that ran the page into one line (no line to go by): headings after a break still count."""
    text = ("株洲市林业局2023年政府信息公开工作年度报告\n发布时间：2024-01-20\n"
            "一、总体情况 2023年，我局认真贯彻落实《条例》，全年未收到政府信息公开申请。 "
            "二、主动公开政府信息情况 （表略） 三、收到和处理政府信息公开申请情况 （表略） "
            "五、存在的主要问题及改进情况 一是政策解读形式不够丰富；二是栏目更新不够及时。下一步将加强培训，完善审核机制。 "
            "四、政府信息公开行政复议、行政诉讼情况 本年度未发生行政复议、行政诉讼。 "
            "六、其他需要报告的事项 本年度未收取信息处理费。\n")
    report = xxgk.parse_text(text)
    assert report.sections["problems"].text == "一是政策解读形式不够丰富；二是栏目更新不够及时。下一步将加强培训，完善审核机制。"
    assert report.sections["review_litigation"].text == "本年度未发生行政复议、行政诉讼。"
    assert "FORM-SECTION-ORDER" in _rules(report, "sections")
    assert "FORM-SECTION-MISSING" not in _rules(report)
