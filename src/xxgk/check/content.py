"""Content rules: what sections 五 and 六 must say, and prose that contradicts the tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xxgk.check.arithmetic import fmt
from xxgk.check.rules import get, rule
from xxgk.model import Figure, Finding, Report
from xxgk.templates import statutory

_PLACEHOLDER = re.compile(r"文字描述|此处填写|XX|××")
# The form's own words answered with "none" (``存在的主要问题：无。改进情况：无。``): padding around
# them can make the part long enough, and it still reports nothing.
_ANSWERED_NONE = re.compile(r"(?:问题|改进情况|改进措施)[：:](?:无|暂无|没有)(?:[。；;，,]|$)")


def _text(report: Report, section: str) -> str | None:
    s = report.sections.get(section)
    if s is None or not s.present:
        return None
    # str.split's white space is the regex's \s (both are str.isspace): the same text, five times faster
    # on a part that runs to the end of a page (a site's footer and all).
    return "".join((s.text or "").split())


@rule("CONTENT-FEE-STATEMENT", "warning", "第六部分报告信息处理费收取情况",
      "国办公开办函〔2021〕30号格式六、其他需要报告的事项：“收取信息处理费情况在此处报告”",
      "2022年度报告第六部分只写“无。”")
def fee_statement(report: Report) -> Iterator[Finding]:
    if report.meta.template != "2021":
        return
    text = _text(report, "other")
    if text is None:
        return
    if "信息处理费" not in text and "收费" not in text and "收取" not in text:
        yield get("CONTENT-FEE-STATEMENT").finding(
            "sections.other", "第六部分未说明信息处理费的收取情况（未收取也应写明）", quote=text[:80] or None)


@rule("CONTENT-PROBLEMS-EMPTY", "warning", "第五部分写明存在的问题及改进情况",
      "条例第五十条第（四）项；国办公开办函〔2021〕30号格式五", "第五部分为空或只有“（文字描述）”")
def problems_written(report: Report) -> Iterator[Finding]:
    text = _text(report, "problems")
    if text is None:
        return
    if len(text) < 30 or _PLACEHOLDER.search(text) or _ANSWERED_NONE.search(text):
        yield get("CONTENT-PROBLEMS-EMPTY").finding(
            "sections.problems", f"{_part_named(report, 'problems', '第五部分')}内容空缺、过短、只写“无”或保留了模板占位文字，"
            "应写明主要问题及改进情况", quote=text[:80] or None)


def _part_named(report: Report, section: str, ordinal: str) -> str:
    """How to name a section in a message: its statutory place, or a legacy report's own heading (its
    parts are numbered freely: 七、存在的主要问题和改进措施 is no 第五部分)."""
    heading = report.sections[section].heading if section in report.sections else None
    if report.meta.template == "legacy" and heading:
        return f"“{heading}”部分"
    return ordinal


def _figure(report: Report, key: str) -> Figure | None:
    for f in report.figures:
        if f.key == key and not f.approximate:
            return f
    return None


def _total(report: Report, table: str, *rows: str) -> float | None:
    s = 0.0
    for row in rows:
        v = report.cell(table, row, "total")
        if v is None:
            return None
        s += v
    return s


# Prose key → (table, the table's rows whose totals the prose may legitimately mean).
_COMPARISONS: dict[str, tuple[str, list[tuple[str, ...]]]] = {
    "requests.received": ("requests", [("new_received",), ("new_received", "carried_over")]),
    "requests.carried_over": ("requests", [("carried_over",)]),
    "requests.carried_forward": ("requests", [("carried_forward",)]),
    "requests.answered": ("requests", [("total_processed",)]),
    "review.count": ("review_litigation", [("review",)]),
    "litigation.count": ("review_litigation", [("litigation_direct", "litigation_after_review")]),
}


def _rows_name(table_id: str, rows: tuple[str, ...]) -> str:
    table = statutory().table_by_id(table_id)
    total = table.column_by_id("total").label_for("2021")
    names = "与".join(table.row_by_id(r).label_for("2021") for r in rows)
    return f"“{names}”的{total}"


@rule("CONTENT-PROSE-TABLE", "warning", "正文中的数字与表格一致",
      "正文与表格应相互印证（数据失准是年报质量检查的常见问题）",
      "总体情况写“全年收到申请21件”，表三本年新收总计为20")
def prose_matches_tables(report: Report) -> Iterator[Finding]:
    for key, (table, options) in _COMPARISONS.items():
        fig = _figure(report, key)
        if fig is None or report.tables.get(table) is None:
            continue
        totals = [(rows, t) for rows in options if (t := _total(report, table, *rows)) is not None]
        if not totals or any(abs(t - fig.value) < 1e-6 for _, t in totals):
            continue
        rows, value = totals[0]
        scope = "（该句限定了范围，所指可能只是表格的一部分或更多，请核对）" if _SCOPED.search(fig.quote) else ""
        yield get("CONTENT-PROSE-TABLE").finding(
            f"{table}.{rows[0]}",
            f"正文称{fmt(fig.value)}，而表格中{_rows_name(table, rows)}为{fmt(value)}，两者不一致{scope}", quote=fig.quote)


# A sentence that says whose figure it gives (区政府办代表区政府, 本级, 全区各级, 各部门): its scope may not be the table's.
_SCOPED = re.compile(r"代表|本级|各级|各部门|各单位|所属|下属|直属")
