"""A report JSON handed to the checker (``xxgk check report.json``) → a Report, strictly validated.

The file comes from outside, so it is read as strictly as the contract (``xxgk.report/1``)
is written: only known schema versions; numbers are numbers (``true`` is not 1, ``"12"`` is
not 12); no number beyond what any report could hold; no nesting deeper than the contract's.
Whatever is wrong is said in one Chinese line naming the field (``tables.requests.…total``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import ValidationError

from xxgk.model import SCHEMA, Report
from xxgk.read.document import ReadError

KNOWN_SCHEMAS = frozenset({SCHEMA})
# The contract nests six levels (tables → table → row → column); a little room for extra fields.
MAX_DEPTH = 32
# No government body counts a trillion of anything; fees in yuan stay far below too.
MAX_NUMBER = 10**12
MAX_DIGITS = 20  # of a number as written, before it is converted
YEARS = range(1990, 2101)

_REASONS = {
    "missing": "缺少必填字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字（字符串）",
    "dict_type": "应为对象（{…}）",
    "model_type": "应为对象（{…}）",
    "model_attributes_type": "应为对象（{…}）",
    "list_type": "应为数组（[…]）",
    "literal_error": "取值不在约定的范围内",
}


def report_from_json(raw: bytes, name: str) -> Report:
    """The report in a contract JSON file, or a ReadError naming what is wrong (and where)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(f"JSON 不是 UTF-8 编码：{name}") from err
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ReadError(f"JSON 嵌套过深（超过 {MAX_DEPTH} 层），不是 xxgk 报告 JSON：{name}")
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_decimal, parse_constant=_BadNumber)
    except (json.JSONDecodeError, RecursionError) as err:
        raise ReadError(f"JSON 无法解析：{name}（{_one_line(err)}）") from err
    bad = _first_bad_number(data)
    if bad is not None:
        where, number = bad
        raise ReadError(f"报告 JSON 格式不符合约定：{name}：字段 {where or '（顶层）'} {number.reason}")
    if not isinstance(data, dict) or "tables" not in data or "meta" not in data:
        raise ReadError(f"不是 xxgk 报告 JSON（缺少 meta 或 tables）：{name}")
    schema = data.get("schema")
    if schema not in KNOWN_SCHEMAS:
        shown = "缺少 schema 字段" if schema is None else f"schema 为 {json.dumps(schema, ensure_ascii=False)[:60]}"
        raise ReadError(f"报告 JSON 的版本不受支持（{shown}，应为 {'、'.join(sorted(KNOWN_SCHEMAS))}）：{name}")
    try:
        report = Report.model_validate(data, strict=True)
    except ValidationError as err:
        raise ReadError(f"报告 JSON 格式不符合约定：{name}：{describe(err, data)}") from err
    problem = out_of_range(report)
    if problem:
        raise ReadError(f"报告 JSON 格式不符合约定：{name}：{problem}")
    return report


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class _BadNumber:
    """A number as written that no report holds (too many digits, not finite): kept aside to be named."""

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def reason(self) -> str:
        if self.text in ("NaN", "Infinity", "-Infinity"):
            return f"不是合法的 JSON 数字（{self.text}）"
        shown = self.text if len(self.text) <= 24 else self.text[:12] + "…"
        return f"数字过大（{shown}，共 {len(self.text.lstrip('-'))} 位）"


def _integer(text: str) -> int | _BadNumber:
    return _BadNumber(text) if len(text.lstrip("-")) > MAX_DIGITS else int(text)


def _decimal(text: str) -> float | _BadNumber:
    value = float(text)
    return value if math.isfinite(value) and len(text) <= 64 else _BadNumber(text)


def _first_bad_number(data: Any) -> tuple[str, _BadNumber] | None:
    """The path and value of the first number no report holds, or None."""
    todo: list[tuple[str, Any]] = [("", data)]
    while todo:
        where, value = todo.pop()
        if isinstance(value, _BadNumber):
            return where, value
        if isinstance(value, dict):
            todo.extend((f"{where}.{k}" if where else str(k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            todo.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value))))
    return None


def describe(err: ValidationError, data: Any) -> str:
    """A pydantic error as one Chinese phrase: the first wrong field, what it should be, how many more."""
    problems = err.errors()
    first = problems[0]
    where = field_path(first["loc"], data)
    reason = _REASONS.get(first["type"], "取值无效")
    kinds = {p["type"] for p in problems if field_path(p["loc"], data) == where}
    if {"int_type", "float_type"} <= kinds:  # a number field (integer or not)
        reason = "应为数字"
    value = _value_at(first["loc"], data)
    if isinstance(value, bool) and kinds & {"int_type", "float_type"}:
        reason = "应为数字（true/false 不是数字）"
    others = len({field_path(p["loc"], data) for p in problems}) - 1
    return f"字段 {where or '（顶层）'} {reason}" + (f"（另有 {others} 处不符）" if others > 0 else "")


def field_path(loc: tuple[int | str, ...], data: Any) -> str:
    """The dotted path of the field an error is about, as it is in the data (pydantic's union tags left out)."""
    parts: list[str] = []
    current = data
    for i, key in enumerate(loc):
        found, inner = _child(current, key)
        if not found:
            if isinstance(current, dict) and i == len(loc) - 1:
                parts.append(str(key))  # a missing field: named, though not in the data
            break
        current = inner
        parts.append(f"[{key}]" if isinstance(key, int) else str(key))
    return ".".join(parts).replace(".[", "[")


def _value_at(loc: tuple[int | str, ...], data: Any) -> Any:
    current = data
    for key in loc:
        found, inner = _child(current, key)
        if not found:
            break
        current = inner
    return current


def _child(current: Any, key: int | str) -> tuple[bool, Any]:
    """(True, the member ``key`` of an object or array) if it has one, else (False, None)."""
    if isinstance(current, dict) and key in current:
        return True, current[key]
    if isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current):
        return True, current[key]
    return False, None


def out_of_range(report: Report) -> str | None:
    """The first value no real report could hold (a count beyond a trillion, year 10000…), or None."""
    if report.meta.year is not None and report.meta.year not in YEARS:
        return f"字段 meta.year 年度超出范围（{report.meta.year}）"
    for table_id, table in report.tables.items():
        for row_id, row in (table or {}).items():
            for column_id, value in row.items():
                if value is not None and not abs(value) <= MAX_NUMBER:
                    return f"字段 tables.{table_id}.{row_id}.{column_id} 数字过大（{value:g}）"
    for i, figure in enumerate(report.figures):
        if not abs(figure.value) <= MAX_NUMBER:
            return f"字段 figures[{i}].value 数字过大（{figure.value:g}）"
    offsets = [("findings", i, f.offset) for i, f in enumerate(report.findings)] + \
              [("figures", i, f.offset) for i, f in enumerate(report.figures)]
    for kind, i, offset in offsets:
        if offset is not None and not 0 <= offset <= MAX_NUMBER:
            return f"字段 {kind}[{i}].offset 超出范围（{offset}）"
    return None


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 160 else text[:160] + "…"
