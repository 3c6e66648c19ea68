"""Form rules: the report's layout against the statutory format."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.rules import RULES, rule
from xxgk.model import Finding, Report
from xxgk.templates import statutory


@rule("FORM-TEMPLATE-ROWS", "error", "表格的行与报告年度应使用的格式不符",
      "国办公开办函〔2021〕30号：2021年度起三(六)其他处理分列1-3项",
      "2023年度报告的表三只有一行“（六）其他处理”")
def template_rows(report: Report) -> Iterator[Finding]:
    template = report.meta.template
    if template not in ("2019", "2021"):
        return
    table = statutory().table_by_id("requests")
    data = report.tables.get("requests")
    if not data:
        return
    expected = {r.id for r in table.rows_for(template)}
    extra = [rid for rid in data if rid not in expected]
    for rid in extra:
        other = "2019" if template == "2021" else "2021"
        label = table.row_by_id(rid).label_for(other)
        yield RULES["FORM-TEMPLATE-ROWS"].finding(
            f"requests.{rid}",
            f"本报告应使用{template}年格式，但表三为{other}年格式的“{label}”一行"
            + ("（2021年格式应分列1.逾期不补正、2.逾期未缴费、3.其他）" if template == "2021" else ""))
