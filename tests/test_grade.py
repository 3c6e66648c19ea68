"""Grading: the default profile, deductions tied to stored findings, an office's own profile, ranks, the circular."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from xxgk.check import RULES
from xxgk.db import store_schema
from xxgk.store import Store, StoreError
from xxgk.store.circular import write_circular
from xxgk.store.grade import (
    LEVELS_WITH_DEADLINES,
    PACKAGED_PROFILE,
    default_profile,
    grade_reports,
    load_profile,
    parse_profile,
    ranks,
)
from xxgk.store.roster import import_roster
from xxgk.store.scores import score_reports
from xxgk.templates import statutory

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OFFICE = "重庆市武隆区人民政府办公室"


def test_the_default_profile_weighs_100_and_names_only_rules_that_exist() -> None:
    profile = default_profile()
    assert sum(i.weight for i in profile.indicators) == 100
    assert {i.id for i in profile.indicators} == {"timeliness", "completeness", "accuracy", "form", "substance",
                                                  "continuity"}
    named = {rule for i in profile.indicators for d in i.deductions for rule in d.rules}
    assert named <= set(RULES)
    assert all(i.basis for i in profile.indicators)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "grading.md").read_text(encoding="utf-8")
    for indicator in profile.indicators:  # the documentation covers every indicator and rule
        assert indicator.name in docs
    assert all(rule in docs for rule in named)


# An office's own deadlines, as a profile may state them (the shipped one states none: the law's apply).
OWN_DEADLINES = '\n[deadlines]\ndepartment = "01-31"\n\n[deadlines.until_2018]\ngovernment = "03-31"\n'


@pytest.mark.parametrize(("change", "message"), [
    (("weight = 15", "weight = 16"), "之和应为 100"),
    (('rules = ["TIME-EARLY"]', 'rules = ["TIME-NOPE"]'), "TIME-NOPE"),
    (('department = "01-31"', 'department = "31-01"'), "月-日"),
    (('department = "01-31"', 'county = "01-31"'), "级别应为"),
    (("[deadlines.until_2018]", "[deadlines.before_2019]"), "until_年份"),
    (('  status = "late"', '  status = "early"'), "status"),
])
def test_a_wrong_profile_is_refused_in_chinese(change: tuple[str, str], message: str) -> None:
    before, found, after = (PACKAGED_PROFILE.read_text(encoding="utf-8") + OWN_DEADLINES).rpartition(change[0])
    assert found  # the last one: the profile's comments show deadlines too
    with pytest.raises(StoreError, match=message):
        parse_profile(before + change[1] + after, "细则.toml")


# The deadlines the shipped profile stated until the law was declared once: an office's copy of it still says them.
FORMER_DEADLINES = """
[deadlines]
government = "03-31"
department = "01-31"
township = "03-31"

[deadlines.until_2018]
government = "03-31"
department = "03-31"
township = "03-31"
basis = "2007年《中华人民共和国政府信息公开条例》（国务院令第492号）第三十一条：各级行政机关应当在每年3月31日前公布本行政机关的政府信息公开工作年度报告"
"""


def test_the_deadlines_are_the_laws_unless_a_profile_states_its_own() -> None:
    text = PACKAGED_PROFILE.read_text(encoding="utf-8")
    assert "deadlines" not in tomllib.loads(text)  # the shipped profile does not restate the law
    shipped, law = default_profile(), statutory().in_force()
    for level in ("government", "department"):
        assert shipped.deadline(level, 2023) == (law.deadline_for(level) or law.latest()).on(2023)
    assert law.deadline_for("township") is None and shipped.deadline("township", 2023) == date(2024, 3, 31)
    assert {shipped.deadline(level, 2018) for level in LEVELS_WITH_DEADLINES} == {date(2019, 3, 31)}
    former = parse_profile(text + FORMER_DEADLINES, "旧细则.toml")  # still honoured, and the same
    assert (former.deadlines, former.earlier) == (shipped.deadlines, shipped.earlier)
    own = parse_profile(text + '\n[deadlines]\ntownship = "01-31"\n\n[deadlines.until_2018]\ntownship = "02-28"\n',
                        "考核细则.toml")
    assert own.deadline("township", 2023) == date(2024, 1, 31) and own.deadline("department", 2023) == date(2024, 1, 31)
    # A level the profile leaves out keeps the law of that year: the 2007 条例's 31 March, not 第四十九条's.
    assert own.deadline("township", 2018) == date(2019, 2, 28) and own.deadline("department", 2018) == date(2019, 3, 31)


def test_each_deduction_is_a_stored_finding_and_the_score_adds_up(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        examples = sorted(EXAMPLES.glob("*.txt"))
        store.ingest(examples, workers=1)
        profile = default_profile()
        with store.engine.connect() as conn:
            ids = list(conn.execute(select(store_schema.Report.id)).scalars())
            grades = grade_reports(conn, ids, profile)
            stored = {f.id: f for f in conn.execute(select(store_schema.Finding)).all()}
        assert len(grades) == len(ids) == len(examples) > 1
        for grade in grades.values():
            lost = sum(min(i.indicator.weight, sum(a.points for a in i.applied)) for i in grade.indicators)
            assert grade.score == pytest.approx(100 - lost)
            assert grade.band == profile.band(grade.score)
            for item in grade.indicators:
                for applied in item.applied:
                    if applied.finding is not None:  # lateness alone may stand without a TIME-LATE finding
                        finding = stored[applied.finding.id]
                        assert finding.report_id == grade.report_id and finding.rule == applied.finding.rule
                        assert any(finding.rule in d.rules or d.status for d in item.indicator.deductions)
        # The same findings give the same grade; a report with errors loses points for them.
        again = score_reports(store.engine, profile)
        assert {s.report_id: s.grade.score for s in again} == {k: g.score for k, g in grades.items()}
        assert any(g.score < 100 for g in grades.values())


def test_an_office_profile_with_its_own_deadline_changes_who_is_late(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        store.ingest([EXAMPLES / "kaiyuan_2022.txt"], workers=1)  # a government, published 2023-02-14
        (scored,) = score_reports(store.engine, default_profile(), year=2022)
        assert scored.grade.status == "on_time"
        own = tmp_path / "考核细则.toml"
        own.write_text(PACKAGED_PROFILE.read_text(encoding="utf-8") + '\n[deadlines]\ngovernment = "02-10"\n',
                       encoding="utf-8")
        (strict,) = score_reports(store.engine, load_profile(own), year=2022)
        assert strict.grade.status == "late"
        timeliness = strict.grade.indicators[0]
        assert timeliness.lost == 15 and "2023-02-10" in (timeliness.applied[0].detail or "")


def test_ranks_share_places_on_equal_scores() -> None:
    assert ranks({1: 90.0, 2: 95.0, 3: 90.0, 4: 80.0}) == {2: 1, 1: 2, 3: 2, 4: 4}


def test_the_circular_is_drafted_from_the_store_and_its_numbers_trace_back(tmp_path: Path) -> None:
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n"
                      "重庆市武隆区人民政府,政府,500156\n"
                      f"{OFFICE},部门,500156\n"
                      "重庆市武隆区统计局,部门,500156\n"
                      "=cmd|' /C calc'!A0局,部门,500156\n", encoding="utf-8")
    late = tmp_path / "stats.txt"
    late.write_text((EXAMPLES / "wulong_2022.txt").read_text(encoding="utf-8").replace(OFFICE, "重庆市武隆区统计局")
                    .replace("日期:2023-01-18", "日期:2023-02-20"), encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        import_roster(store.engine, roster)
        store.ingest([EXAMPLES / "wulong_2022.txt", late], workers=1)
        out, annex = tmp_path / "通报.docx", tmp_path / "通报-附件.xlsx"
        written = write_circular(store.engine, 2022, out, annex, region="500156", issuer="武隆区政务公开办",
                                 today=date(2023, 4, 10))
        assert (written.bodies, written.on_time, written.late, written.missing) == (4, 1, 1, 2)
        doc = Document(str(out))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "关于重庆市武隆区2022年度政府信息公开工作年度报告发布情况的通报" in text
        assert "名录内 4 个机关" in text and "按时公布 1 个" in text and "逾期公布 1 个" in text and "未公布 2 个" in text
        assert "重庆市武隆区人民政府" in text.split("未公布年度报告的机关")[1].split("。")[0]
        assert "重庆市武隆区统计局（2023-02-20公布，期限2023-01-31）" in text
        assert "2023年4月10日" in text and "武隆区政务公开办" in text
        rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
        assert rows[0][:4] == ["名次", "机关", "级别", "得分"]
        report_ids = {int(r[6]) for r in rows[1:]}
        with store.engine.connect() as conn:
            stored = set(conn.execute(select(store_schema.Report.id)).scalars())
            finding_ids = set(conn.execute(select(store_schema.Finding.id)).scalars())
        assert report_ids == stored  # every ranked report is a stored one, by its number
        book = load_workbook(annex)
        status = book["发布情况与得分"]
        evil = [row[0] for row in status.iter_rows(min_row=2) if str(row[0].value).startswith("=cmd")]
        assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)  # text, never a formula, in the annex
        listed = {row[2].value for row in book["问题清单"].iter_rows(min_row=2)}
        assert listed and listed <= finding_ids
        # An office's template with a broken placeholder: a Chinese error, nothing written.
        broken = tmp_path / "坏模板.docx"
        broken.write_bytes(b"not a word file")
        with pytest.raises(StoreError, match="不是有效的 Word"):
            write_circular(store.engine, 2022, tmp_path / "x.docx", tmp_path / "x.xlsx", region="500156",
                           template=broken)
        unclosed = Document()
        unclosed.add_paragraph("{{ total 个机关")
        unclosed.save(str(broken))
        with pytest.raises(StoreError, match="占位符有误"):
            write_circular(store.engine, 2022, tmp_path / "x.docx", tmp_path / "x.xlsx", region="500156",
                           template=broken)
        assert not (tmp_path / "x.docx").exists()


def test_a_profile_nested_beyond_reason_is_refused_in_chinese() -> None:
    with pytest.raises(StoreError, match="嵌套过深"):
        parse_profile("x = " + "[" * 30000, "细则.toml")


def test_a_date_before_the_year_has_ended_is_no_date_to_judge_timeliness_by() -> None:
    """Published 2023-01-18 for 2023 (TIME-EARLY: the date or the year is wrong): neither on time nor late."""
    from xxgk.store.grade import STATUS_NAMES, default_profile, timeliness

    profile = default_profile()
    assert timeliness(date(2023, 1, 18), 2023, "department", profile)[0] == "no_date"
    assert timeliness(date(2023, 12, 31), 2023, "department", profile)[0] == "no_date"
    assert timeliness(date(2024, 1, 18), 2023, "department", profile)[0] == "on_time"
    assert timeliness(date(2024, 2, 18), 2023, "department", profile)[0] == "late"
    assert "日期有误" in STATUS_NAMES["no_date"]


GRADING = Path(__file__).resolve().parent / "data" / "grading"
HUZHOU = Path(__file__).resolve().parent / "data" / "huzhou"


def _lost(store: Store, report_year: int, indicator: str) -> tuple[float, int, int]:
    """Points the report of ``report_year`` loses on ``indicator``, its deductions and the findings behind them."""
    (scored,) = score_reports(store.engine, default_profile(), year=report_year)
    (item,) = (i for i in scored.grade.indicators if i.indicator.id == indicator)
    return item.lost, len(item.applied), sum(1 + len(a.also) for a in item.applied)


def test_one_carry_over_mismatch_costs_one_deduction_though_its_total_mismatches_too(
        store_url: str, tmp_path: Path) -> None:
    # 2022 carries 0 forward; 2023 says 3 carried over for 自然人, so 总计 says 3 too: one mismatch, two findings.
    with Store(store_url) as store:
        store.ingest([GRADING / "h06_2022.html", GRADING / "h06_2023.txt"], workers=1)
        assert _lost(store, 2023, "continuity") == (5, 1, 2)
        (scored,) = score_reports(store.engine, default_profile(), year=2023)
        (applied,) = (a for i in scored.grade.indicators if i.indicator.id == "continuity" for a in i.applied)
        # The other finding of the cause is named with its rule and place, not by its id alone.
        assert f"#{applied.also[0].id}（XYEAR-CARRY，requests.carried_over.total）" in (applied.detail or "")


def test_two_independent_carry_over_mismatches_still_cost_two(store_url: str, tmp_path: Path) -> None:
    text = (GRADING / "h06_2023.txt").read_text(encoding="utf-8")
    for before, after in (("二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
                           "二、上年结转政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |"),
                          ("四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                           "四、结转下年度继续办理 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |")):
        assert before in text
        text = text.replace(before, after, 1)  # 商业企业 carries 1 over as well, its own table still adding up
    planted = tmp_path / "h06_2023.txt"
    planted.write_text(text, encoding="utf-8")
    with Store(store_url) as store:
        store.ingest([GRADING / "h06_2022.html", planted], workers=1)
        assert _lost(store, 2023, "accuracy")[0] == 0
        assert _lost(store, 2023, "continuity") == (10, 2, 3)


def test_one_wrong_cell_breaking_its_row_and_its_column_costs_one_deduction(store_url: str, tmp_path: Path) -> None:
    # （一）予以公开 总计 11 where its columns add up to 9: its row's sum and the 总计 column's both break.
    with Store(store_url) as store:
        store.ingest([HUZHOU / "h05_2022.txt"], workers=1)
        assert _lost(store, 2022, "accuracy") == (5, 1, 2)


def test_two_wrong_cells_cost_two_deductions(store_url: str, tmp_path: Path) -> None:
    text = (HUZHOU / "h05_2022.txt").read_text(encoding="utf-8")
    before = "7.属于行政执法案卷 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"
    assert before in text
    planted = tmp_path / "h05_2022.txt"
    planted.write_text(text.replace(before, before.replace("| 2 |\n", "| 3 |\n").replace("0 | 2 |", "0 | 3 |")),
                       encoding="utf-8")
    with Store(store_url) as store:
        store.ingest([planted], workers=1)
        assert _lost(store, 2022, "accuracy") == (10, 2, 3)


def test_blank_cells_count_each_though_one_is_a_total() -> None:
    profile = default_profile()
    (blank,) = (d for i in profile.indicators for d in i.deductions if d.rules == ("PARSE-CELL-NA",))
    assert not blank.follow_totals
    from xxgk.check.causes import causes, places
    cells = ["requests.granted.natural_person", "requests.granted.total"]
    assert len(causes([places("PARSE-CELL-NA", c, False) for c in cells])) == 2
    assert len(causes([places("XYEAR-CARRY", c.replace("granted", "carried_over"), True) for c in cells])) == 1


def test_a_legacy_year_is_judged_by_the_2007_regulations_everywhere(store_url: str, tmp_path: Path) -> None:
    from test_check import legacy_dated
    from xxgk.store.monitor import monitor
    from xxgk.store.query import Filters
    from xxgk.store.stats import stats

    profile = default_profile()  # no deadlines of its own: the declaration's, which the checker reads too
    (earlier,) = profile.earlier
    law = statutory().regulation_for(2018)
    assert earlier.last_year == law.last_year == 2018
    assert set(earlier.deadlines.values()) == {(3, 31)} and "第三十一条" in earlier.basis
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n柳州市住房和城乡建设委员会,部门,450200\n", encoding="utf-8")

    def said() -> tuple[str, date | None, int, int, str | None]:
        (scored,) = score_reports(store.engine, profile, year=2018)
        (applied,) = scored.grade.indicators[0].applied or (None,)
        return (scored.grade.status, scored.grade.deadline, int(stats(store.engine, Filters(years=(2018,)))["late"].sum()),
                monitor(store.engine, 2018, today=date(2020, 1, 1)).counts["late"], applied.detail if applied else None)

    with Store(store_url) as store:
        import_roster(store.engine, roster)
        store.ingest([legacy_dated("2019-04-15", tmp_path)], workers=1)  # after 31 March: late, by 第三十一条
        status, due, stated, monitored, detail = said()
        assert (status, due, stated, monitored) == ("late", date(2019, 3, 31), 1, 1)
        assert detail and "晚于期限2019-03-31" in detail and "第三十一条" in detail
        # The same department's report first published in March: on time then (第四十九条 would say late).
        store.ingest([legacy_dated("2019-03-20", tmp_path)], workers=1)
        assert said() == ("on_time", date(2019, 3, 31), 0, 0, None)
