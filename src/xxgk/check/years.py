"""Across years: one body's consecutive reports must agree with each other."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.arithmetic import fmt
from xxgk.check.rules import get, rule
from xxgk.model import Finding, Report
from xxgk.templates import statutory


@rule("XYEAR-CARRY", "warning", "上年结转等于上一年度报告的结转下年度继续办理",
      "表三：本年“二、上年结转”即上年“四、结转下年度继续办理”",
      "2023年度报告上年结转3件，2022年度报告结转下年度为2件", scope="years")
def carry_over(report: Report, previous: Report) -> Iterator[Finding]:
    table = statutory().table_by_id("requests")
    for col in table.columns_for("2021"):
        now = report.cell("requests", "carried_over", col.id)
        before = previous.cell("requests", "carried_forward", col.id)
        if now is not None and before is not None and now != before:
            yield get("XYEAR-CARRY").finding(
                f"requests.carried_over.{col.id}",
                f"“{col.label_for('2021')}”上年结转为{fmt(now)}，而{previous.meta.year}年度报告结转下年度继续办理为{fmt(before)}")


@rule("XYEAR-IN-FORCE", "warning", "现行有效件数与上年数及本年制发、废止数相衔接",
      "现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止（修订、清理会造成差异，仅提示明显差距）",
      "上年现行有效100件，本年制发5件、废止2件，本年现行有效却为60件", scope="years")
def in_force(report: Report, previous: Report) -> Iterator[Finding]:
    if report.meta.template != "2021" or previous.meta.template != "2021":
        return
    for row in ("regulations", "normative_documents"):
        now = report.cell("active", row, "in_force")
        before = previous.cell("active", row, "in_force")
        issued = report.cell("active", row, "issued")
        repealed = report.cell("active", row, "repealed")
        if None in (now, before, issued, repealed):
            continue
        expected = before + issued - repealed  # type: ignore[operator]
        gap = abs(now - expected)  # type: ignore[operator]
        if gap > max(2.0, 0.1 * max(expected, 1)):
            label = statutory().table_by_id("active").row_by_id(row).label_for("2021")
            yield get("XYEAR-IN-FORCE").finding(
                f"active.{row}.in_force",
                f"“{label}”现行有效{fmt(now)}件，而上年{fmt(before)}件 + 本年制发{fmt(issued)} − 废止{fmt(repealed)} = {fmt(expected)}件")
