"""One agency's report for one year held more than once: COLL-DUPLICATE, and every aggregate counting it once.

The duplicates are made from a real report (tests/data/corpus): a copy with CRLF line endings, one
re-encoded in GB18030, a corrected re-publication (a number and the date changed), a 汇编 repeating it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import CORPUS, DATA
from xxgk.check import RULES
from xxgk.store import Store
from xxgk.store.circular import circular_context
from xxgk.store.compare import compare
from xxgk.store.export import reports_table
from xxgk.store.grade import default_profile
from xxgk.store.monitor import monitor
from xxgk.store.query import Filters, list_reports
from xxgk.store.roster import import_roster
from xxgk.store.scores import grade_collection, score_reports
from xxgk.store.standing import CHOICE
from xxgk.store.stats import rule_counts, stats

ORIGINAL = CORPUS / "seed_001_a8be0d3400cd1f54.txt"  # 重庆市武隆区人民政府办公室 2022, published 2023-01-18
OTHER = CORPUS / "seed_000_21adae8aa08e5a52.txt"  # 重庆市人民政府外事办公室 2022
OFFICE = "重庆市武隆区人民政府办公室"
TABLE_TWO_ROW = "行政规范性文件\n\n8\n\n2\n\n108"  # 表二: 本年制发 8, 本年废止 2, 现行有效 108
POLICE = DATA / "huzhou" / "h07_2023.txt"  # 湖州市公安局 2023, published 2024-01-27: a department, due 2024-01-31


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def crlf_copy(tmp_path: Path) -> Path:
    """The same report downloaded again: CRLF line endings (other bytes, another sha256)."""
    made = tmp_path / "重新下载.txt"
    made.write_bytes(ORIGINAL.read_bytes().replace(b"\n", b"\r\n"))
    return made


def gb18030_copy(tmp_path: Path) -> Path:
    """The same report saved in GB18030."""
    made = tmp_path / "另存.txt"
    made.write_bytes(ORIGINAL.read_text(encoding="utf-8").encode("gb18030"))
    return made


def corrected(tmp_path: Path, published: str = "2023-03-01") -> Path:
    """A corrected re-publication: 表二's 本年制发 and 现行有效 of 行政规范性文件 changed, published later."""
    text = ORIGINAL.read_text(encoding="utf-8")
    assert TABLE_TWO_ROW in text and "日期:2023-01-18" in text
    made = tmp_path / "更正.txt"
    made.write_text(text.replace(TABLE_TWO_ROW, "行政规范性文件\n\n9\n\n2\n\n109")
                    .replace("日期:2023-01-18", f"日期:{published}"), encoding="utf-8")
    return made


def ingest(store: Store, *paths: Path) -> list[int]:
    """Ingest the files one by one (so that their ids follow their order); their reports' ids."""
    ids = []
    for path in paths:
        store.ingest([path], workers=1)
        ids.append(next(r.id for r in store.reports() if Path(r.source).name == path.name))
    return ids


def duplicate_findings(store: Store) -> set[tuple[int, str, int | None]]:
    return {(f.report_id, f.severity, f.related_report_id) for f in store.findings(rule="COLL-DUPLICATE")}


def test_copies_of_one_report_are_found_and_counted_once(store: Store, tmp_path: Path) -> None:
    original, crlf, recoded, other = ingest(store, ORIGINAL, crlf_copy(tmp_path), gb18030_copy(tmp_path), OTHER)
    # Each copy is found, on every report of the agency-year, naming the other; the last ingested stands.
    assert duplicate_findings(store) == {(recoded, "info", original), (recoded, "info", crlf),
                                         (original, "info", recoded), (crlf, "info", recoded)}
    on_original = next(f for f in store.findings(report_id=original) if f.rule == "COLL-DUPLICATE")
    assert "副本" in on_original.message and f"只计报告 {recoded}" in on_original.message
    assert "另存.txt" in on_original.message and "入库较晚" in on_original.message

    # list and export keep every report, saying which one each duplicate gives way to.
    listed = list_reports(store.engine, Filters(agency=OFFICE))
    assert {int(i): None if pd.isna(d) else int(d) for i, d in zip(listed["report_id"], listed["duplicate_of"],
                                                                   strict=True)} == {
        original: recoded, crlf: recoded, recoded: None}
    exported = reports_table(store.engine, Filters(agency=OFFICE))
    assert sorted(exported["duplicate_of"].dropna().tolist()) == [recoded, recoded]
    assert {r.id: r.duplicate_of for r in store.reports()}[crlf] == recoded

    # stats: one report for the agency-year, its 5 requests counted once (not 15), the copies counted apart.
    (row,) = stats(store.engine, Filters(years=(2022,), agency=OFFICE)).to_dict("records")
    assert (row["reports"], row["duplicates"], row["received"], row["received_n"]) == (1, 2, 5, 1)
    (whole,) = stats(store.engine, Filters(years=(2022,))).to_dict("records")
    assert (whole["reports"], whole["duplicates"]) == (2, 2)
    counted = rule_counts(store.engine)
    assert counted.loc[counted["rule"] == "COLL-DUPLICATE", "reports"].tolist() == [1]

    # grade: the agency is ranked once; a duplicate asked for by its number is graded, not ranked.
    graded = grade_collection(store.engine, default_profile(), year=2022)
    assert sorted(s.report_id for s in graded.scored) == [recoded, other]
    assert graded.duplicates == 2
    (alone,) = grade_collection(store.engine, default_profile(), report_ids=[crlf]).scored
    assert (alone.duplicate_of, alone.rank) == (recoded, None)

    # compare: one column for 2022, the copies listed apart.
    comparison = compare(store.engine, OFFICE)
    assert comparison.reports["report_id"].tolist() == [recoded]
    assert dict(zip(comparison.duplicates["report_id"], comparison.duplicates["duplicate_of"], strict=True)) == {
        original: recoded, crlf: recoded}
    assert set(comparison.findings["report_id"]) == {recoded}


def test_a_corrected_republication_supersedes_the_first(store: Store, tmp_path: Path) -> None:
    # The correction is ingested first: the later publication date decides, not the order of ingest.
    fixed, first = ingest(store, corrected(tmp_path), ORIGINAL)
    assert {r.id: r.duplicate_of for r in store.reports()} == {fixed: None, first: fixed}
    found = {f.report_id: f for f in store.findings(rule="COLL-DUPLICATE")}
    assert {(i, f.severity, f.related_report_id) for i, f in found.items()} == {
        (fixed, "warning", first), (first, "warning", fixed)}
    # Which cells differ, with both values, each from the report's own side.
    assert found[first].where == "active.normative_documents.issued"
    assert "不同的版本" in found[first].message and "共 2 个单元格" in found[first].message
    assert f"本报告为8、报告 {fixed} 为9" in found[first].message
    assert f"本报告为9、报告 {first} 为8" in found[fixed].message
    assert "发布日期较晚：2023-03-01" in found[first].message
    comparison = compare(store.engine, OFFICE)
    (cells,) = comparison.cells[comparison.cells["id"] == "active.normative_documents.issued"].to_dict("records")
    assert cells["2022"] == 9


def test_a_compilation_part_gives_way_to_the_report_on_its_own(store: Store, tmp_path: Path) -> None:
    # The 汇编 repeats the office's report with a later date and is ingested after it: the report on its own stands.
    later = corrected(tmp_path, "2023-04-01").read_text(encoding="utf-8").replace(
        "行政规范性文件\n\n9\n\n2\n\n109", TABLE_TWO_ROW)
    compilation = tmp_path / "汇编.txt"
    compilation.write_text("重庆市2022年度政府信息公开工作年度报告汇编\n\n" + later + "\n\n"
                           + OTHER.read_text(encoding="utf-8"), encoding="utf-8")
    (own,) = ingest(store, ORIGINAL)
    store.ingest([compilation], workers=1)
    parts = {r.agency: r for r in store.reports() if Path(r.source).name == compilation.name}
    assert len(parts) == 2
    part = parts[OFFICE]
    assert {r.id: r.duplicate_of for r in store.reports() if r.agency == OFFICE} == {own: None, part.id: own}
    (on_part,) = [f for f in store.findings(rule="COLL-DUPLICATE") if f.report_id == part.id]
    assert "汇编.txt 中的第 1 份" in on_part.message and "单独成文件" in on_part.message
    assert on_part.severity == "info" and "副本" in on_part.message


def test_cross_year_checks_compare_with_the_report_standing_for_last_year(store: Store, tmp_path: Path) -> None:
    from test_query_collection import moved_years

    _, copy = ingest(store, ORIGINAL, crlf_copy(tmp_path))
    (next_year,) = ingest(store, moved_years(tmp_path, 1))
    # 2023's 上年结转 (2) against 2022's 结转下年度 (0): judged though 2022 is held twice, against the copy standing.
    carry = [f for f in store.findings(report_id=next_year) if f.rule == "XYEAR-CARRY"]
    assert carry and {f.related_report_id for f in carry} == {copy}
    copied = {f.related_report_id for f in store.findings(report_id=next_year) if f.rule == "COLL-COPY-PREVIOUS"}
    assert copied == {copy}


def test_the_monitor_shows_the_report_standing_for_the_year(store_url: str, tmp_path: Path) -> None:
    roster = tmp_path / "名录.csv"
    roster.write_text(f"名称,级别,行政区划代码\n{OFFICE},部门,500156\n", encoding="utf-8")
    with Store(store_url) as store:
        import_roster(store.engine, roster)
        fixed, _ = ingest(store, corrected(tmp_path, "2023-03-01"), ORIGINAL)
        result = monitor(store.engine, 2022, today=date(2023, 4, 1))
        (row,) = result.rows
        # The correction stands for the year; on time by the first publication (2023-01-18, before 1-31), not late
        # by the correction's date.
        assert (row.report_id, row.published, row.status, row.others) == (fixed, date(2023, 1, 18), "on_time", 1)
        assert result.duplicates == 1


def test_the_rule_is_registered_with_the_choice_it_documents() -> None:
    from xxgk.check.docs import rules_markdown

    rule = RULES["COLL-DUPLICATE"]
    assert rule.scope == "collection" and CHOICE in rule.title
    assert "`COLL-DUPLICATE`" in rules_markdown()


def police(tmp_path: Path, published: str, penalties: int = 12) -> Path:
    """湖州市公安局's 2023 report published on ``published``; another 行政处罚 count makes it a corrected version."""
    text = POLICE.read_text(encoding="utf-8")
    assert "发布日期：2024-01-27" in text and "行政处罚 | 12 |" in text
    made = tmp_path / f"公安局-{published}.txt"
    made.write_text(text.replace("发布日期：2024-01-27", f"发布日期：{published}")
                    .replace("行政处罚 | 12 |", f"行政处罚 | {penalties} |"), encoding="utf-8")
    return made


def police_roster(store: Store, tmp_path: Path) -> None:
    """A roster of one body: 湖州市公安局, a department."""
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n湖州市公安局,部门,330500\n", encoding="utf-8")
    import_roster(store.engine, roster)


def timeliness_everywhere(store: Store) -> dict[str, Any]:
    """What stats, grade, monitor and the circular say of 湖州市公安局's 2023 (its only agency-year)."""
    (row,) = stats(store.engine, Filters(years=(2023,))).to_dict("records")
    (scored,) = score_reports(store.engine, default_profile(), year=2023)
    result = monitor(store.engine, 2023, today=date(2025, 1, 1))
    (body,) = result.rows
    context = circular_context(store.engine, result, "湖州市政务公开办", "附件.xlsx", "湖州市")
    return {"stats": (row["reports"], row["late"], row["dated"]), "top": row["top_rules"], "grade": scored.grade.status,
            "lost": scored.grade.indicators[0].lost, "detail": [a.detail for a in scored.grade.indicators[0].applied],
            "monitor": (body.status, body.published), "circular": context["late"],
            "problems": [p["rule"] for p in context["problems"]], "standing": scored.report_id,
            "rules": late_in_rule_counts(store)}


def late_in_rule_counts(store: Store, filters: Filters | None = None) -> int:
    """The reports rule_counts (the web's 最常见的问题 chart and /api/rules) says have TIME-LATE."""
    counts = rule_counts(store.engine, filters)
    return int(counts[counts["rule"] == "TIME-LATE"]["reports"].sum())


def test_a_year_is_on_time_or_late_by_its_first_publication(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        police_roster(store, tmp_path)
        # Published on time, then a correction published again after the deadline: the correction stands for the
        # year (its numbers are counted), but the year was published on time, in every count.
        _, fixed = ingest(store, police(tmp_path, "2024-01-20"), police(tmp_path, "2024-02-20", penalties=112))
        said = timeliness_everywhere(store)
        assert said["standing"] == fixed
        assert (said["stats"], said["grade"], said["lost"]) == ((1, 0, 1), "on_time", 0)
        assert (said["monitor"], said["circular"]) == (("on_time", date(2024, 1, 20)), 0)
        # The correction's own TIME-LATE is not the year's problem, in the circular or in stats' common findings.
        assert "TIME-LATE" not in said["problems"] and "TIME-LATE" not in said["top"] and said["rules"] == 0


def test_a_year_first_published_late_stays_late(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        police_roster(store, tmp_path)
        # Both late: the year is late, judged by (and said with) the first publication's date.
        ingest(store, police(tmp_path, "2024-02-05"), police(tmp_path, "2024-02-20", penalties=112))
        said = timeliness_everywhere(store)
        assert (said["stats"], said["grade"], said["lost"]) == ((1, 1, 1), "late", 15)
        assert said["detail"] == ["发布于2024-02-05，晚于期限2024-01-31"]
        assert (said["monitor"], said["circular"]) == (("late", date(2024, 2, 5)), 1)
        assert "TIME-LATE×1" in said["top"] and "TIME-LATE" in said["problems"] and said["rules"] == 1


def test_every_path_gives_the_same_late_count(store_url: str, tmp_path: Path) -> None:
    # 湖州市公安局: on time, then a correction late (on time); 湖州市市场监督管理局: first published late (late).
    market = tmp_path / "市场监管局.txt"
    market.write_text((DATA / "grading" / "h06_2023.txt").read_text(encoding="utf-8")
                      .replace("发布日期：2024-01-25", "发布日期：2024-02-26"), encoding="utf-8")
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n湖州市公安局,部门,330500\n湖州市市场监督管理局,部门,330500\n",
                      encoding="utf-8")
    with Store(store_url) as store:
        import_roster(store.engine, roster)
        ingest(store, police(tmp_path, "2024-01-20"), police(tmp_path, "2024-02-20", penalties=112), market)
        year = Filters(years=(2023,))
        stated = int(stats(store.engine, year)["late"].sum())
        graded = sum(s.grade.status == "late" for s in score_reports(store.engine, default_profile(), year=2023))
        monitored = monitor(store.engine, 2023, today=date(2025, 1, 1)).counts["late"]
        assert (stated, late_in_rule_counts(store, year), graded, monitored) == (1, 1, 1, 1)


def table_three_picture(tmp_path: Path) -> Path:
    """湖州市公安局's report again with the same date, 表三 a picture (its cells read as nothing)."""
    text = POLICE.read_text(encoding="utf-8")
    start, end = text.index("（本列数据的勾稽关系为"), text.index("四、政府信息公开行政复议")
    made = tmp_path / "公安局-表三为图片.txt"
    made.write_text(text[:start] + "（本表为图片，见附件）\n\n" + text[end:], encoding="utf-8")
    return made


@pytest.mark.parametrize("picture_first", [False, True])
def test_a_copy_with_cells_not_read_gives_way_to_the_copy_read(store: Store, tmp_path: Path,
                                                                picture_first: bool) -> None:
    picture = table_three_picture(tmp_path)
    if picture_first:
        unread, read = ingest(store, picture, POLICE)
    else:
        read, unread = ingest(store, POLICE, picture)
    # Whichever was ingested last, the copy with 表三 read stands: its 41 requests are counted.
    assert {r.id: r.duplicate_of for r in store.reports()} == {read: None, unread: read}
    (row,) = stats(store.engine, Filters(years=(2023,))).to_dict("records")
    assert (row["reports"], row["duplicates"], row["received"], row["received_n"]) == (1, 1, 41, 1)
    # They agree on every cell both have: copies (info), one of them with 表三's cells not read.
    table = store.get(read)
    assert table is not None
    missing = sum(v is not None for columns in (table.tables["requests"] or {}).values() for v in columns.values())
    found = {f.report_id: f for f in store.findings(rule="COLL-DUPLICATE")}
    assert {(i, f.severity, f.related_report_id) for i, f in found.items()} == {(read, "info", unread),
                                                                               (unread, "info", read)}
    assert all("副本" in f.message and "不同的版本" not in f.message for f in found.values())
    assert f"报告 {unread} 有 {missing} 个单元格未读出" in found[read].message
    assert f"本报告有 {missing} 个单元格未读出" in found[unread].message
    assert f"报告 {read} 读出的单元格较多" in found[unread].message
