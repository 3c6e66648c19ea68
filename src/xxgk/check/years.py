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
    over, forward = (table.row_by_id(r).label_for("2021") for r in ("carried_over", "carried_forward"))
    for col in table.columns_for("2021"):
        now = report.cell("requests", "carried_over", col.id)
        before = previous.cell("requests", "carried_forward", col.id)
        if now is not None and before is not None and now != before:
            yield get("XYEAR-CARRY").finding(
                f"requests.carried_over.{col.id}",
                f"“{col.label_for('2021')}”一栏：本年“{over}”为{fmt(now)}，"
                f"而{previous.meta.year}年度报告“{forward}”为{fmt(before)}")


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
            table = statutory().table_by_id("active")
            label = table.row_by_id(row).label_for("2021")
            n_force, n_issued, n_repealed = (table.column_by_id(c).label_for("2021")
                                             for c in ("in_force", "issued", "repealed"))
            yield get("XYEAR-IN-FORCE").finding(
                f"active.{row}.in_force",
                f"“{label}”{n_force}为 {fmt(now)}，而按上年{n_force} {fmt(before)} + {n_issued} {fmt(issued)} − "
                f"{n_repealed} {fmt(repealed)} 应约为 {fmt(expected)}")
