"""The register → the annual report (``xxgk.model.Report``): tables computed, prose filled in.

Table 三: 一 = applications received in the year; 二 = those received earlier and still open
on 31 December of the year before; 三 = those answered in the year, by outcome; 四 = those
open on 31 December. So 一 + 二 = 三(七) + 四 holds by construction. Table 四: cases filed in
the year or still undecided at its start, by result as of 31 December (尚未审结 if none).
Table 二: the proactive counts entered for the year (a number not entered stays blank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from xxgk.check import check_report
from xxgk.model import Meta, Report, Section, Source, TableData
from xxgk.parse.figures import extract_figures
from xxgk.parse.normalize import normalize
from xxgk.register.choices import (
    ACTIVE,
    CARRIED_FORWARD,
    CARRIED_OVER,
    NEW_RECEIVED,
    PENDING,
    REQUESTS,
    REVIEWS,
    TOTAL_PROCESSED,
    applicant_types,
    outcome_in,
    outcomes,
    total_column,
)
from xxgk.register.deadlines import asks_payment
from xxgk.register.errors import RegisterError
from xxgk.register.fees import UNPAID_OUTCOME, free_fee_reason
from xxgk.register.model import Application, Case, ProactiveValue
from xxgk.register.prose import Prose, fill_placeholders, split_prose
from xxgk.templates import SECTION_IDS, TABLE_IDS, statutory

# Sections whose content is a statutory table computed from the register.
_TABLE_SECTIONS = {statutory().table_by_id(t).section for t in TABLE_IDS}
FEE_SECTION = "other"


@dataclass(frozen=True, slots=True)
class Fees:
    """信息处理费 in one year: notices sent (by method) and yuan charged; payments received and yuan collected.

    Money is reported in the year it was collected: a notice of December paid in January is
    charged in the one year and collected in the next.
    """

    notices: int
    by_pieces: int
    by_pages: int
    charged: int
    paid: int
    collected: int


def requests_table(apps: Iterable[Application], year: int, template: str) -> TableData:
    """Table 三 for ``year`` in ``template``: every cell a whole number, totals included."""
    rows = [r.id for r in statutory().table_by_id(REQUESTS).rows_for(template)]
    types = applicant_types()
    total = total_column(REQUESTS)
    table: TableData = {r: {c: 0 for c in (*types, total)} for r in rows}
    start, end = date(year - 1, 12, 31), date(year, 12, 31)

    def count(row: str, app: Application) -> None:
        table[row][app.applicant_type] = int(table[row][app.applicant_type] or 0) + 1

    for app in apps:
        if app.received.year == year:
            count(NEW_RECEIVED, app)
        elif app.is_open_on(start):
            count(CARRIED_OVER, app)
        if app.answered is not None and app.answered.year == year and app.outcome is not None:
            row = outcome_in(app.outcome, template)
            if row is None:
                raise RegisterError(f"第{app.id}号申请的办理结果不在{year}年度的表三格式中")
            _check_unpaid(app)
            count(row, app)
        if app.is_open_on(end):
            count(CARRIED_FORWARD, app)
    leaves = outcomes(template)
    for c in types:
        table[TOTAL_PROCESSED][c] = sum(int(table[r][c] or 0) for r in leaves)
    for cells in table.values():
        cells[total] = sum(int(cells[c] or 0) for c in types)
    return table


def _check_unpaid(app: Application) -> None:
    """Refuse to count as 三(六)2 an application whose fee notice asked for 0 yuan (closed so by older versions)."""
    if app.outcome == UNPAID_OUTCOME and not asks_payment(app):
        raise RegisterError(
            f"第{app.id}号申请按“逾期未缴纳费用”办结，但其收费通知金额为0元（{free_fee_reason(app.fee_method)}），"
            f"不能计为逾期未缴费。请撤销该办结并清除收费通知（xxgk register edit {app.id} 收费通知日期= "
            "收费通知送达方式= 收费通知送达日期= 答复日期= 办理结果=），再按实际办理情况登记答复日期和办理结果")


def reviews_table(cases: Iterable[Case], year: int, template: str) -> TableData:
    """Table 四 for ``year``: cases filed in it or undecided at its start, by result on 31 December."""
    table_decl = statutory().table_by_id(REVIEWS)
    total = total_column(REVIEWS)
    columns = [c.id for c in table_decl.columns_for(template) if c.id != total]
    table: TableData = {r.id: {c: 0 for c in (*columns, total)} for r in table_decl.rows_for(template)}
    start, end = date(year, 1, 1), date(year, 12, 31)
    for case in cases:
        if case.filed > end or (case.decided is not None and case.decided < start):
            continue
        column = case.result if case.decided is not None and case.decided <= end and case.result else PENDING
        table[case.kind][column] = int(table[case.kind][column] or 0) + 1
    for cells in table.values():
        cells[total] = sum(int(cells[c] or 0) for c in columns)
    return table


def active_table(values: Iterable[ProactiveValue], year: int, template: str) -> TableData:
    """Table 二 for ``year``: the entered counts; a number not entered is None (blank, never 0)."""
    table_decl = statutory().table_by_id(ACTIVE)
    table: TableData = {r.id: {c.id: None for c in table_decl.row_columns(r, template)}
                        for r in table_decl.rows_for(template)}
    for v in values:
        if v.year == year and v.column in table.get(v.row, {}):
            table[v.row][v.column] = v.number
    return table


def fees_of(apps: Iterable[Application], year: int) -> Fees:
    """信息处理费 notices sent in ``year`` and what they asked for; payments made in ``year`` and what they brought in."""
    apps = [a for a in apps if asks_payment(a)]  # a notice of 0 yuan charges nothing (stored by older versions)
    noticed = [a for a in apps if a.fee_notice is not None and a.fee_notice.year == year]
    paid = [a for a in apps if a.fee_paid is not None and a.fee_paid.year == year]
    return Fees(
        notices=len(noticed),
        by_pieces=sum(a.fee_method == "pieces" for a in noticed),
        by_pages=sum(a.fee_method == "pages" for a in noticed),
        charged=sum(a.fee_amount or 0 for a in noticed),
        paid=len(paid),
        collected=sum(a.fee_amount or 0 for a in paid),
    )


def fee_statement(fees: Fees, year: int) -> str:
    """Section 六's sentence on 信息处理费, from the register."""
    if fees.notices == 0 and fees.paid == 0:
        return f"{year}年度本机关未发出信息处理费收费通知，未收取信息处理费。"
    if fees.notices == 0:
        return (f"{year}年度本机关未发出信息处理费收费通知；收到申请人按上年度收费通知缴费{fees.paid}件，"
                f"实际收取信息处理费{fees.collected}元。")
    return (f"{year}年度本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出信息处理费收费通知"
            f"{fees.notices}件（按件计收{fees.by_pieces}件、按量计收{fees.by_pages}件），金额合计{fees.charged}元；"
            f"本年度收到申请人缴费{fees.paid}件，实际收取信息处理费{fees.collected}元。")


def named_figures(tables: dict[str, TableData | None], fees: Fees, year: int, agency: str) -> dict[str, str]:
    """The named placeholders a Markdown file may use, with their values."""
    requests = tables[REQUESTS] or {}
    reviews = tables[REVIEWS] or {}
    total = total_column(REQUESTS)

    def cell(table: TableData, row: str, column: str) -> str:
        return str(table.get(row, {}).get(column))

    litigation = sum(int(cells.get(total_column(REVIEWS)) or 0) for row, cells in reviews.items()
                     if row != "review")
    return {
        "year": str(year), "agency": agency,
        "received": cell(requests, NEW_RECEIVED, total), "carried_over": cell(requests, CARRIED_OVER, total),
        "processed": cell(requests, TOTAL_PROCESSED, total), "carried_forward": cell(requests, CARRIED_FORWARD, total),
        "reviews": cell(reviews, "review", total_column(REVIEWS)), "lawsuits": str(litigation),
        "fees.notices": str(fees.notices), "fees.charged": str(fees.charged), "fees.collected": str(fees.collected),
        "fees.statement": fee_statement(fees, year),
    }


def _lookup(tables: dict[str, TableData | None], named: dict[str, str]) -> Callable[[str], str | None]:
    """Resolve a placeholder: a named figure, or ``table.row.column`` with a number in it."""
    def lookup(name: str) -> str | None:
        if name in named:
            return named[name]
        table, _, rest = name.partition(".")
        row, _, column = rest.rpartition(".")
        value = (tables.get(table) or {}).get(row, {}).get(column)
        if value is None:
            return None
        return str(value) if not isinstance(value, float) or not value.is_integer() else str(int(value))
    return lookup


def build_report(apps: list[Application], cases: list[Case], proactive: list[ProactiveValue], year: int,
                 agency: str, markdown: str = "", published: date | None = None) -> Report:
    """The annual report of ``agency`` for ``year``: tables from the register, prose from ``markdown``, checked."""
    template = statutory().format_for_year(year)
    if template is None:
        raise RegisterError(f"{year}年度没有法定的年度报告格式（统一格式自2019年度起适用）")
    tables: dict[str, TableData | None] = {
        ACTIVE: active_table(proactive, year, template),
        REQUESTS: requests_table(apps, year, template),
        REVIEWS: reviews_table(cases, year, template),
    }
    fees = fees_of(apps, year)
    named = named_figures(tables, fees, year, agency)
    prose = split_prose(fill_placeholders(markdown, _lookup(tables, named), named)) if markdown else Prose()
    filled = [s for s in _TABLE_SECTIONS if prose.sections.get(s)]
    if filled:
        headings = "、".join(statutory().section_by_id(s).heading for s in sorted(filled, key=SECTION_IDS.index))
        raise RegisterError(f"“{headings}”的内容是由登记数据生成的统计表，Markdown 中不应为其撰写文字")
    statement = named["fees.statement"]
    other = prose.sections.get(FEE_SECTION, "")
    if statement not in other:  # the office may place {{fees.statement}} itself
        prose.sections[FEE_SECTION] = f"{other}\n{statement}".strip()
    report = Report(
        source=Source(name=f"register-{year}", sha256="", format="register"),
        meta=Meta(title=prose.title, agency=agency, year=year, template=template,  # type: ignore[arg-type]
                  published=published.isoformat() if published else None,
                  signed=published.isoformat() if published else None,
                  period={"start": f"{year}-01-01", "end": f"{year}-12-31"}, preamble=prose.preamble or None),
        tables=tables,
    )
    for sid in SECTION_IDS:
        heading = statutory().section_by_id(sid).heading
        report.sections[sid] = Section(present=True, heading=heading, text=prose.sections.get(sid, ""))
    text = "\n".join([prose.title or "", prose.preamble, *(report.sections[s].text or "" for s in SECTION_IDS)])
    report.figures = extract_figures(text, normalize(text))
    report.findings = check_report(report)
    return report
