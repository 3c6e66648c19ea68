"""Values that cannot be right whatever the arithmetic: negative or fractional counts, 元 as 万元."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from xxgk.check.agency import classify_body
from xxgk.check.arithmetic import fmt
from xxgk.check.form import col_label, row_label
from xxgk.check.rules import get, rule
from xxgk.model import Finding, Report
from xxgk.templates import statutory

# 行政事业性收费 in 万元: above these, 元 were most likely entered as 万元. A province's
# own total can be large; a department's or a county's rarely reaches 10亿元.
FEE_LIMIT_WAN = {"government": 1_000_000.0, "department": 100_000.0, "township": 10_000.0, "unknown": 1_000_000.0}


def _tables(report: Report) -> Iterator[tuple[str, dict[str, str], dict[str, dict[str, float | int | None]]]]:
    """(table id, its column kinds, its rows as read) for every table the report has."""
    for t in statutory().tables:
        yield t.id, _column_kinds(t.id), report.tables.get(t.id) or {}


@cache
def _column_kinds(table_id: str) -> dict[str, str]:
    """Column id → its kind (count, signed, money), for one table."""
    return {c.id: c.kind for c in reversed(statutory().table_by_id(table_id).columns)}


def _cell_name(report: Report, table: str, row: str, col: str) -> str:
    """``“四、结转下年度继续办理”一行的“自然人”``: a cell as the reader of the form names it."""
    tpl = report.meta.template or "2021"
    return f"“{row_label(table, row, tpl)}”一行的“{col_label(table, col, tpl)}”"


@rule("V-NEGATIVE", "error", "件数不能为负数", "表格中的件数均为非负整数（表格定义）",
      "“行政许可 本年处理决定数量”填写 -3")
def negative(report: Report) -> Iterator[Finding]:
    for table, kinds, data in _tables(report):
        # Every cell is looked at: a comprehension, not a loop of Python statements per cell.
        for row, col, value in [(row, col, value) for row, cols in data.items() for col, value in cols.items()
                                if value is not None and value < 0 and kinds.get(col, "count") != "signed"]:
            yield get("V-NEGATIVE").finding(f"{table}.{row}.{col}",
                                            f"{_cell_name(report, table, row, col)}为负数 {fmt(value)}，件数不能为负")


@rule("V-NOT-INTEGER", "error", "件数应为整数", "表格中除金额外均为件数（表格定义）",
      "“本年新收政府信息公开申请数量”填写 2.5")
def not_integer(report: Report) -> Iterator[Finding]:
    for table, kinds, data in _tables(report):
        for row, col, value in [(row, col, value) for row, cols in data.items() for col, value in cols.items()
                                if value is not None and not isinstance(value, int)  # most are: no more to ask
                                and kinds.get(col, "count") != "money" and not float(value).is_integer()]:
            yield get("V-NOT-INTEGER").finding(f"{table}.{row}.{col}",
                                               f"{_cell_name(report, table, row, col)}为 {fmt(value)}，件数应为整数")


@rule("V-FEE-UNIT", "warning", "收费金额（万元）与机关规模不符，可能把元填成了万元",
      "表二“本年收费金额（单位：万元）”以万元为单位",
      "某县局“行政事业性收费”填写 350000（万元），即35亿元")
def fee_unit(report: Report) -> Iterator[Finding]:
    if report.meta.template != "2021":
        return
    fees = (report.tables.get("active") or {}).get("fees") or {}
    amount = fees.get("amount")
    body = classify_body(report.meta.agency)
    limit = FEE_LIMIT_WAN[body.kind]
    if amount is not None and amount >= limit:
        table = statutory().table_by_id("active")
        row, col = table.row_by_id("fees").label_for("2021"), table.column_by_id("amount").label_for("2021")
        yield get("V-FEE-UNIT").finding(
            "active.fees.amount",
            f"“{row}”{col}为 {fmt(amount)}（即 {amount / 10000:g} 亿元），"
            f"对{body.reason}而言偏大，请核对是否把“元”填成了“万元”")
