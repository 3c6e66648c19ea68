"""A report JSON given to ``xxgk check`` is validated strictly, and what is wrong is named in Chinese.

The audit's cases: ``true`` taken as 1, an unknown schema version accepted, very deep arrays and huge
integers ending in 内部错误, a missing field told only as "1 validation error for Report".
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import xxgk
from conftest import CORPUS
from xxgk.check.report_json import nesting_depth, report_from_json
from xxgk.cli.main import app
from xxgk.read import ReadError

runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return xxgk.parse(CORPUS / "dev_001.txt").to_dict()


def changed(report: dict[str, Any], change: Any) -> bytes:
    data = copy.deepcopy(report)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def total(data: dict[str, Any], value: Any) -> None:
    data["tables"]["requests"]["new_received"]["total"] = value


CASES = [
    ("a boolean count", lambda d: total(d, True),
     "字段 tables.requests.new_received.total 应为数字（true/false 不是数字）"),
    ("a number as a string", lambda d: total(d, "12"), "字段 tables.requests.new_received.total 应为数字"),
    ("a huge integer", lambda d: total(d, 10**30), "字段 tables.requests.new_received.total 数字过大（100000000000…，共 31 位）"),
    ("a trillion and one", lambda d: total(d, 10**12 + 1), "字段 tables.requests.new_received.total 数字过大"),
    ("a year far away", lambda d: d["meta"].update(year=20230), "字段 meta.year 年度超出范围（20230）"),
    ("an unknown schema", lambda d: d.update(schema="xxgk.report/9"),
     "报告 JSON 的版本不受支持（schema 为 \"xxgk.report/9\"，应为 xxgk.report/1）"),
    ("no schema", lambda d: d.pop("schema"), "报告 JSON 的版本不受支持（缺少 schema 字段"),
    ("a missing field", lambda d: d["source"].pop("sha256"), "字段 source.sha256 缺少必填字段"),
    ("a missing object", lambda d: d.pop("source"), "字段 source 缺少必填字段"),
    ("a wrong finding", lambda d: d["findings"].append({"rule": "X", "severity": "fatal", "where": "a", "message": "m"}),
     "字段 findings[1].severity 取值不在约定的范围内"),
    ("a list for an object", lambda d: d.update(meta=[]), "字段 meta 应为对象（{…}）"),
]


@pytest.mark.parametrize(("case", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_wrong_json_names_the_field(report: dict[str, Any], case: str, change: Any, message: str) -> None:
    with pytest.raises(ReadError) as caught:
        report_from_json(changed(report, change), "r.json")
    assert message in str(caught.value)
    assert "validation error" not in str(caught.value) and "\n" not in str(caught.value)


def test_deep_arrays_and_long_numbers_are_refused_before_python_chokes_on_them(report: dict[str, Any]) -> None:
    text = json.dumps(report)
    deep = (text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    with pytest.raises(ReadError, match=r"JSON 嵌套过深（超过 32 层）"):
        report_from_json(deep, "deep.json")
    digits = text.replace('"schema"', '"n": ' + "9" * 5000 + ', "schema"', 1).encode()  # past Python's 4300 digits
    with pytest.raises(ReadError, match=r"字段 n 数字过大（999999999999…，共 5000 位）"):
        report_from_json(digits, "digits.json")
    with pytest.raises(ReadError, match="不是合法的 JSON 数字（NaN）"):
        report_from_json(text.replace('"schema"', '"n": NaN, "schema"', 1).encode(), "nan.json")
    assert nesting_depth('{"a": "[[[[", "b": [[1]]}') == 3  # brackets inside strings do not count


def test_the_contract_json_is_accepted_and_checked_again(report: dict[str, Any]) -> None:
    again = report_from_json(json.dumps(report, ensure_ascii=False).encode("utf-8-sig"), "r.json")
    assert again.tables == xxgk.parse(CORPUS / "dev_001.txt").tables


def test_the_command_says_so_with_exit_status_2(report: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "bool.json"
    path.write_bytes(changed(report, lambda d: total(d, False)))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "字段 tables.requests.new_received.total 应为数字（true/false 不是数字）" in result.output
    assert "内部错误" not in result.output
