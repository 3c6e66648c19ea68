"""The checker on real reports: what must be flagged, what must not, and mutations."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import report_path
from xxgk.check import RULES, check_collection, check_report
from xxgk.check.agency import classify_body
from xxgk.check.docs import rules_markdown
from xxgk.model import Report

ROOT = Path(__file__).resolve().parent.parent
ARITHMETIC = {"T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-GROUP-TOTAL"}
# Real reports whose tables 三 and 四 add up as published.
CONSISTENT = ["seed_001_a8be0d3400cd1f54", "dev_001", "dev_003", "dev_010"]


def rules_at(report: dict[str, Any], prefix: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["where"].startswith(prefix)}


def test_seed_002_missing_cell_flagged(parsed: dict[str, Any]) -> None:
    assert "PARSE-ROW-SHORT" in rules_at(parsed["seed_002_f821463d77e6db60"], "requests.rejected.publications")


@pytest.mark.parametrize("name", ["seed_000_21adae8aa08e5a52", "seed_004_98145941d0088452"])
def test_tables_that_were_images_are_flagged(name: str, parsed: dict[str, Any]) -> None:
    report = parsed[name]
    for table in ("active", "requests", "review_litigation"):
        assert report["tables"][table] is None
        finding = next(f for f in report["findings"] if f["rule"] == "FORM-TABLE-MISSING" and f["where"] == table)
        assert "图片" in finding["message"]


def test_the_table_missing_example_is_what_the_checker_says() -> None:
    """FORM-TABLE-MISSING's example in docs/rules.md names both cases its findings tell: a table given as text, and
    one that is a picture (or not published)."""
    import xxgk

    listed = ROOT / "tests" / "data" / "listed" / "a00_t2list_v0.txt"
    (found,) = [f for f in xxgk.parse(listed).findings if f.rule == "FORM-TABLE-MISSING"]
    example = RULES["FORM-TABLE-MISSING"].example
    assert "以文字逐项列出" in found.message and "以文字逐项列出" in example and "图片" in example
    quoted = example.split("（“", 1)[1].split("”）", 1)[0]  # the line the example quotes is one such a report prints
    assert quoted in listed.read_text(encoding="utf-8")


def test_county_government_report_in_february_is_not_late(parsed: dict[str, Any]) -> None:
    report = parsed["seed_004_98145941d0088452"]  # 开远市 (county-level city), 2023-02-14
    assert classify_body(report["meta"]["agency"]).kind == "government"
    assert not rules_at(report, "meta.published")


def test_seed_001_has_no_error(parsed: dict[str, Any]) -> None:
    assert [f for f in parsed["seed_001_a8be0d3400cd1f54"]["findings"] if f["severity"] == "error"] == []


def _with_date(name: str, date_line: str, tmp_path: Path) -> Report:
    import xxgk

    text = report_path(name).read_text(encoding="utf-8")
    text = text.replace("日期:2023-01-30", date_line)
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    return xxgk.parse(f)


def test_department_after_31_january_is_late(tmp_path: Path) -> None:
    # 重庆市人民政府外事办公室 is a department: due 2023-01-31.
    report = _with_date("seed_000_21adae8aa08e5a52", "日期:2023-02-01", tmp_path)
    late = [f for f in report.findings if f.rule == "TIME-LATE"]
    assert late and late[0].severity == "error" and late[0].where == "meta.published"
    assert "2023-01-31" in late[0].message
    on_time = _with_date("seed_000_21adae8aa08e5a52", "日期:2023-01-31", tmp_path)
    assert not [f for f in on_time.findings if f.rule == "TIME-LATE"]


LEGACY_DEPARTMENT = Path(__file__).resolve().parents[1] / "examples" / "liuzhou_zhujian_2018.txt"  # published 2019-01-17


def legacy_dated(published: str, tmp_path: Path) -> Path:
    """柳州市住房和城乡建设委员会's 2018 report (a department, the 2007 条例's layout) published on ``published``."""
    text = LEGACY_DEPARTMENT.read_text(encoding="utf-8")
    assert "发布日期: 2019-01-17" in text
    made = tmp_path / f"liuzhou-{published}.txt"
    made.write_text(text.replace("发布日期: 2019-01-17", f"发布日期: {published}"), encoding="utf-8")
    return made


def test_a_report_for_2018_or_before_is_due_on_31_march_by_the_2007_regulations(tmp_path: Path) -> None:
    import xxgk

    # A department's 2018 report in March: late by 第四十九条 (31 January), on time by the 2007 条例 it fell under.
    march = xxgk.parse(legacy_dated("2019-03-20", tmp_path))
    assert march.meta.template == "legacy" and classify_body(march.meta.agency).kind == "department"
    assert not [f for f in march.findings if f.rule == "TIME-LATE"]
    (late,) = [f for f in xxgk.parse(legacy_dated("2019-04-15", tmp_path)).findings if f.rule == "TIME-LATE"]
    assert (late.severity, late.where) == ("error", "meta.published")
    assert "2007年《中华人民共和国政府信息公开条例》（国务院令第492号）第三十一条" in late.message
    assert "晚于2019-03-31" in late.message and "第四十九条" not in late.message


def test_publication_before_year_end_is_impossible(tmp_path: Path) -> None:
    report = _with_date("seed_000_21adae8aa08e5a52", "日期:2022-12-20", tmp_path)
    assert [f.where for f in report.findings if f.rule == "TIME-EARLY"] == ["meta.published"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("重庆市武隆区人民政府办公室", "department"), ("开远市", "government"), ("淮安市人民政府", "government"),
     ("平潭综合实验区", "government"), ("区统计局", "department"), ("荷塘区桂花街道办事处", "township"),
     ("麻阳苗族自治县板栗树乡人民政府", "township"), ("重庆市人民政府外事办公室", "department"), (None, "unknown"),
     # A 管委会 governing a zone stands for a government; one named for its field is a department.
     ("雄安新区管理委员会", "government"), ("平潭综合实验区管理委员会", "government"),
     ("苏州工业园区管委会", "government"), ("芜湖市人民政府国有资产监督管理委员会", "department"),
     ("北京市城市管理委员会", "department"), ("上海市住房和城乡建设管理委员会", "department"),
     ("广州市人民政府研究室", "department"), ("福建省人民政府参事室", "department"),
     # A government's general office is one of its working departments, with a report of its own.
     ("湖州市人民政府办公室", "department"), ("浙江省人民政府办公厅", "department"), ("德清县政府办", "department")],
)
def test_body_kind_from_name(name: str | None, kind: str) -> None:
    assert classify_body(name).kind == kind


def test_general_office_reporting_for_the_government(parsed: dict[str, Any]) -> None:
    report = parsed["seed_001_a8be0d3400cd1f54"]  # "对以重庆市武隆区人民政府及其办公室的名义…进行报告"
    body = classify_body(report["meta"]["agency"], report["meta"]["preamble"])
    assert body.kind == "government"


def test_2021_report_with_one_other_row_is_a_form_error(parsed: dict[str, Any]) -> None:
    report = parsed["dev_003"]
    assert [f["severity"] for f in report["findings"] if f["rule"] == "FORM-TEMPLATE-ROWS"] == ["error"]


def test_prose_contradicting_the_table_is_flagged(parsed: dict[str, Any]) -> None:
    # 洪泽区 2024: "区政府办代表区政府受理政府信息公开申请 17 件" but 表三 new_received is 95.
    finding = next(f for f in parsed["dev_003"]["findings"] if f["rule"] == "CONTENT-PROSE-TABLE")
    assert finding["where"] == "requests.new_received" and "17" in finding["message"] and "95" in finding["message"]
    assert "限定了范围" in finding["message"]  # the sentence says whose figure it is: 区政府办代表区政府
    # 淮安市 2024: prose 3119/3050/351/46 all agree with the tables.
    assert "CONTENT-PROSE-TABLE" not in {f["rule"] for f in parsed["dev_001"]["findings"]}


def _cells(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(t, r, c) for t in ("requests", "review_litigation")
            for r, cols in report["tables"][t].items() for c, v in cols.items() if v is not None]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_changed_number_is_an_error_on_its_row(parsed: dict[str, Any], data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(CONSISTENT))
    original = parsed[name]
    table, row, col = data.draw(st.sampled_from(_cells(original)))
    delta = data.draw(st.integers(min_value=-50, max_value=500).filter(lambda d: d != 0))
    mutated = copy.deepcopy(original)
    mutated["tables"][table][row][col] += delta
    report = Report.from_dict(mutated)
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert any(f.where == f"{table}.{row}" or f.where.startswith(f"{table}.{row}.") for f in errors), (
        name, table, row, col, delta)


@pytest.mark.parametrize("name", CONSISTENT)
def test_consistent_real_reports_have_no_arithmetic_error(name: str, parsed: dict[str, Any]) -> None:
    found = {f.rule for f in check_report(Report.from_dict(parsed[name]))}
    assert not found & ARITHMETIC


def test_arithmetic_message_quotes_the_cells(parsed: dict[str, Any]) -> None:
    mutated = copy.deepcopy(parsed["seed_001_a8be0d3400cd1f54"])
    mutated["tables"]["requests"]["granted"]["total"] = 3  # 1 + 1 = 2 printed as 3
    f = next(f for f in check_report(Report.from_dict(mutated)) if f.rule == "T3-ROW-TOTAL")
    assert f.where == "requests.granted"
    assert "但总计为 3，而各项之和为 2（自然人 1 + 商业企业 1 + " in f.message


def test_filled_parts_above_their_total_are_an_error_whatever_the_blanks(parsed: dict[str, Any]) -> None:
    """A column with a blank part whose filled parts already exceed its 总计 cannot add up whatever the blank holds
    (counts are never negative): an error on the total, saying so; where the blank could make it add up, none."""
    mutated = copy.deepcopy(parsed["dev_001"])
    requests = mutated["tables"]["requests"]
    total = requests["total_processed"]["natural_person"]
    requests["partially_granted"]["natural_person"] = None
    requests["granted"]["natural_person"] = total + 5
    found = {(f.rule, f.where): f for f in check_report(Report.from_dict(mutated))}
    excess = found[("T3-PROCESSED-SUM", "requests.total_processed.natural_person")]
    assert excess.severity == "error"
    assert f"但（七）总计为 {total}，而已填写的各项之和已为 " in excess.message and "（二）部分公开 空" in excess.message
    assert "空白各项不论是多少都不能使等式成立" in excess.message
    requests["granted"]["natural_person"] = 0  # the blank may hold the rest: nothing can be said
    assert ("T3-PROCESSED-SUM", "requests.total_processed.natural_person") not in {
        (f.rule, f.where) for f in check_report(Report.from_dict(mutated))}


def test_arithmetic_messages_read_as_sentences(parsed: dict[str, Any]) -> None:
    """“（七）总计为 20，而各项之和为 26”: each side named once with its value; a long side by its groups."""
    mutated = copy.deepcopy(parsed["dev_001"])
    requests = mutated["tables"]["requests"]
    requests["total_processed"]["total"] += 6
    found = {(f.rule, f.where): f.message for f in check_report(Report.from_dict(mutated))}
    total = requests["total_processed"]["total"]
    processed = found[("T3-PROCESSED-SUM", "requests.total_processed.total")]
    assert f"但（七）总计为 {total}，而各项之和为 {total - 6}（（一）予以公开 " in processed
    # The 2021 form's (三) has eight reasons: one term, their sum, without the note after 部分公开.
    denied = sum(v["total"] for k, v in requests.items() if k.startswith("denied."))
    assert f"（三）不予公开 {denied} + " in processed and "区分处理" not in processed
    balance = found[("T3-BALANCE", "requests.new_received.total")]
    received, carried = requests["new_received"]["total"], requests["carried_over"]["total"]
    assert f"之和为 {received + carried}（{received} + {carried}），而（七）总计与" in balance
    assert " = " not in processed + balance


def test_cross_year_carry_over(parsed: dict[str, Any]) -> None:
    y2023 = Report.from_dict(parsed["dev_002"])  # 洪泽区人民政府 2023
    y2024 = Report.from_dict(parsed["dev_003"])  # 淮安市洪泽区人民政府 2024
    assert check_collection([y2023, y2024]) == {1: []}  # 0 carried forward = 0 carried over
    broken = copy.deepcopy(parsed["dev_003"])
    broken["tables"]["requests"]["carried_over"]["natural_person"] = 2
    found = check_collection([y2023, Report.from_dict(broken)])[1]
    assert [(f.rule, f.where) for f in found] == [("XYEAR-CARRY", "requests.carried_over.natural_person")]


def test_rules_doc_is_generated_from_the_registry() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").strip() == rules_markdown().strip()


def test_every_finding_has_a_registered_rule(parsed: dict[str, Any]) -> None:
    for report in parsed.values():
        for f in report["findings"]:
            assert f["rule"] in RULES, f["rule"]


def xxgk_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True, text=True, timeout=120)


def test_check_exit_status_gates_publication(tmp_path: Path) -> None:
    assert xxgk_cli("check", str(report_path("seed_001_a8be0d3400cd1f54"))).returncode == 0
    assert xxgk_cli("check", str(report_path("dev_002"))).returncode == 1  # 表四 totals broken
    assert xxgk_cli("check", str(tmp_path / "missing.txt")).returncode == 2
    # --strict: warnings fail too (seed 002's unreadable row is a warning)
    assert xxgk_cli("check", str(report_path("seed_002_f821463d77e6db60"))).returncode == 0
    assert xxgk_cli("check", "--strict", str(report_path("seed_002_f821463d77e6db60"))).returncode == 1


def test_check_a_corrected_json(tmp_path: Path) -> None:
    proc = xxgk_cli("parse", str(report_path("seed_002_f821463d77e6db60")), "--json")
    data = json.loads(proc.stdout)
    data["tables"]["requests"]["rejected.publications"] = dict.fromkeys(
        data["tables"]["requests"]["rejected.publications"], 0)  # the office fills in the unreadable row
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = xxgk_cli("check", "--json", "--strict", str(fixed))
    findings = json.loads(proc.stdout)["findings"]
    assert not [f for f in findings if f["severity"] != "info"], findings
    data["tables"]["requests"]["granted"]["total"] = 1
    fixed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = xxgk_cli("check", "--json", str(fixed))
    assert proc.returncode == 1
    assert "T3-ROW-TOTAL" in {f["rule"] for f in json.loads(proc.stdout)["findings"]}


def test_an_empty_problems_part_of_a_legacy_report_is_named_by_its_own_heading() -> None:
    """A legacy report numbers its parts freely: its 七、存在的主要问题和改进措施 is no 第五部分."""
    import xxgk

    text = ("某局2013年政府信息公开工作年度报告\n一、概述\n2013年，我局主动公开政府信息120条。\n"
            "二、依申请公开政府信息情况\n未收到申请。\n七、存在的主要问题和改进措施\n无。\n")
    finding = next(f for f in xxgk.parse_text(text).findings if f.rule == "CONTENT-PROBLEMS-EMPTY")
    assert finding.message.startswith("“七、存在的主要问题和改进措施”部分内容空缺")
    statutory_report = ("某局2022年政府信息公开工作年度报告\n一、总体情况\n2022年，我局主动公开政府信息120条。\n"
                        "五、存在的主要问题及改进情况\n无。\n")
    finding = next(f for f in xxgk.parse_text(statutory_report).findings if f.rule == "CONTENT-PROBLEMS-EMPTY")
    assert finding.message.startswith("第五部分内容空缺")


@pytest.mark.parametrize(("text", "empty"), [
    ("存在的主要问题：无。改进情况：无。我单位将继续按照上级要求做好政府信息公开工作，不断提升公开质量。", True),
    ("主要问题：暂无；改进措施：无。下一步，我局将继续按照市政府的统一部署，认真做好各项政务公开工作。", True),
    ("一是公开内容不够全面，部分栏目更新不及时；二是工作人员业务水平有待提高。下一步将加强培训，完善制度。", False),
], ids=["none", "not_yet", "written"])
def test_problems_answered_with_none_are_empty(text: str, empty: bool) -> None:
    import xxgk

    report = xxgk.parse(report_path("dev_001"))
    assert report.sections["problems"].present
    report.sections["problems"].text = text
    found = {f.rule for f in check_report(report)}
    assert ("CONTENT-PROBLEMS-EMPTY" in found) is empty


def test_impossible_values_are_named_by_their_labels() -> None:
    import xxgk

    report = xxgk.parse(report_path("dev_001"))
    requests, active = report.tables["requests"], report.tables["active"]
    assert requests is not None and active is not None
    requests["carried_forward"]["natural_person"] = -2
    active["licensing"]["decisions"] = 1235.5
    messages = {f.rule: f.message for f in check_report(report) if f.rule.startswith("V-")}
    assert messages["V-NEGATIVE"].startswith("“四、结转下年度继续办理”一行的“自然人”为负数 -2")
    assert messages["V-NOT-INTEGER"].startswith("“行政许可”一行的“本年处理决定数量”为 1235.5")
