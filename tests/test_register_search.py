"""Finding an application: one filter (``ApplicationQuery``) for the register, ``xxgk register list`` and the API,
by 申请编号, applicant (matched on the real name, shown masked), words of the request, channel, type, outcome,
received dates; the 作废 ones left out unless asked for.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import Register, RegisterError
from xxgk.register.search import ApplicationQuery, outcome_filter_choices

runner = CliRunner()


@pytest.fixture
def register(store_url: str) -> Any:
    reg = Register(store_url)
    _fill(reg)
    yield reg
    reg.close()


def _fill(reg: Register) -> None:
    """Six applications an office might hold (every applicant invented)."""
    rows: list[dict[str, Any]] = [
        {"reference": "2025-001", "received": "2025-01-06", "channel": "online", "applicant_type": "natural_person",
         "applicant_name": "欧阳明月", "request": "某路段道路改造工程的立项批复文件", "answered": date(2025, 1, 20),
         "outcome": "granted"},
        {"reference": "2025-002", "received": "2025-02-10", "channel": "letter", "applicant_type": "commercial",
         "applicant_name": "某某建设有限公司", "request": "2024年度道路养护招标结果", "answered": date(2025, 3, 3),
         "outcome": "denied.third_party"},
        {"reference": "2025-003", "received": "2025-03-03", "channel": "letter", "applicant_type": "natural_person",
         "applicant_name": "司马清风", "request": "征地补偿安置方案", "answered": date(2025, 3, 20),
         "outcome": "denied.state_secret"},
        {"reference": "2025-004", "received": "2025-04-07", "channel": "in_person", "applicant_type": "natural_person",
         "applicant_name": "欧阳明月", "request": "道路改造工程的环境影响评价文件"},
        {"reference": "100%_A", "received": "2025-05-06", "channel": "online", "applicant_type": "legal_service",
         "applicant_name": "某律师事务所", "request": "行政处罚决定书"},
        {"reference": "2025-006", "received": "2025-05-06", "channel": "online", "applicant_type": "natural_person",
         "applicant_name": "欧阳明月", "request": "某路段道路改造工程的立项批复文件（重复）"},
    ]
    for row in rows:
        reg.add(row)
    reg.void(6, "重复登记，同2025-001", "张三")


def found(register: Register, **query: Any) -> list[str | None]:
    return [a.reference for a in register.applications(ApplicationQuery.parse(**query))]


def test_every_filter_narrows_the_list(register: Register) -> None:
    assert found(register) == ["2025-001", "2025-002", "2025-003", "2025-004", "100%_A"]
    assert found(register, reference="2025-00") == ["2025-001", "2025-002", "2025-003", "2025-004"]
    assert found(register, reference="100%") == ["100%_A"]  # a wildcard typed is a character searched
    assert found(register, reference="_") == ["100%_A"]
    assert found(register, applicant="欧阳") == ["2025-001", "2025-004"]  # the stored name, whatever is shown
    assert found(register, words="道路 改造") == ["2025-001", "2025-004"]  # every word
    assert found(register, words="道路") == ["2025-001", "2025-002", "2025-004"]
    assert found(register, channel="信函") == ["2025-002", "2025-003"]
    assert found(register, channel="online", applicant_type="法律服务机构") == ["100%_A"]
    assert found(register, outcome="不予公开") == ["2025-002", "2025-003"]  # a group: every one of its outcomes
    assert found(register, outcome="1.属于国家秘密") == ["2025-003"]
    assert found(register, outcome="予以公开") == ["2025-001"]
    assert found(register, status="open") == ["2025-004", "100%_A"]
    assert found(register, status="answered", received_from="2025-02-01") == ["2025-002", "2025-003"]
    assert found(register, received_from="2025/3/3", received_to="2025年4月7日") == ["2025-003", "2025-004"]
    assert found(register, year="2025", applicant="某某") == ["2025-002"]


def test_voided_ones_are_found_when_asked_for_and_counted_when_not(register: Register) -> None:
    assert found(register, voided="only") == ["2025-006"]
    assert found(register, applicant="欧阳", voided="include") == ["2025-001", "2025-004", "2025-006"]
    page = register.search(ApplicationQuery.parse(reference="2025-006"))
    assert page.applications == [] and page.total == 0 and page.voided_left_out == 1


def test_a_page_of_the_list(register: Register) -> None:
    query = ApplicationQuery.parse(voided="include")
    page = register.search(query, offset=2, limit=2)
    assert [a.reference for a in page.applications] == ["2025-003", "2025-004"] and page.total == 6
    first = register.search(query, limit=3, open_first=True)
    assert [a.reference for a in first.applications] == ["2025-004", "100%_A", "2025-006"]


def test_what_cannot_be_searched_is_said_in_chinese() -> None:
    for query, message in (({"channel": "邮寄"}, "申请方式：无法识别（可填：网络、信函"),
                           ({"outcome": "同意"}, "办理结果：无法识别"),
                           ({"received_from": "2025-13-01"}, "收到日期起：不是有效的日期"),
                           ({"received_from": "2025-05-01", "received_to": "2025-04-01"}, "收到日期起不能晚于收到日期止"),
                           ({"year": "二〇二五"}, "年度应为"), ({"year": "1999"}, "年度应在"),
                           ({"applicant": "某" * 101}, "申请人：过长"), ({"voided": "all"}, "作废状态应为"),
                           ({"status": "closed"}, "办理状态应为")):
        with pytest.raises(RegisterError, match=message):
            ApplicationQuery.parse(**query)


def test_the_outcome_choices_hold_each_group_before_its_outcomes() -> None:
    choices = dict(outcome_filter_choices())
    ids = list(choices)
    assert ids.index("denied") == ids.index("denied.state_secret") - 1
    assert choices["denied"] == "（三）不予公开（全部）" and "other" in choices and len(ids) == len(set(ids))


def test_the_query_string_gives_back_the_query() -> None:
    query = ApplicationQuery.parse(reference="2025", applicant="欧阳", words="道路  改造", channel="网络",
                                   applicant_type="自然人", outcome="不予公开", received_from="2025-01-01",
                                   received_to="2025-06-30", status="open", year="2025", voided="include")
    assert ApplicationQuery.from_params(query.as_params()) == query
    assert query.as_params()["request"] == "道路 改造" and ApplicationQuery().as_params() == {}


def test_cli_search_by_name_stays_masked(register: Register, store_url: str) -> None:
    db = ["--db", store_url]
    wide = {"COLUMNS": "200"}
    result = runner.invoke(cli, ["register", "list", "--name", "欧阳", *db], env=wide)
    assert result.exit_code == 0, result.output
    assert "2025-001" in result.stdout and "2025-004" in result.stdout and "2025-002" not in result.stdout
    assert "欧阳明月" not in result.stdout and "欧***" in result.stdout
    assert "另有 1 件已作废的申请符合条件" in result.stderr
    shown = runner.invoke(cli, ["register", "list", "--name", "欧阳", "--show-personal", "-f", "json", *db])
    assert {json.loads(line)["applicant_name"] for line in shown.stdout.splitlines()} == {"欧阳明月"}
    grouped = runner.invoke(cli, ["register", "list", "--outcome", "不予公开", "--type", "自然人", "--channel", "信函",
                                  "--request", "补偿", "--from", "2025-03-01", "--to", "2025-03-31", *db], env=wide)
    assert grouped.exit_code == 0 and "2025-003" in grouped.stdout and "（1 件）" in grouped.stdout
    none = runner.invoke(cli, ["register", "list", "--reference", "2030", *db])
    assert none.exit_code == 0 and "没有符合条件的申请" in none.stdout
    bad = runner.invoke(cli, ["register", "list", "--type", "机器人", *db])
    assert bad.exit_code == 2 and "申请人类型：无法识别" in bad.output and "机器人" not in bad.output
    both = runner.invoke(cli, ["register", "list", "--open", "--answered", *db])
    assert both.exit_code == 2 and "只能各选一个" in both.output
