"""Timeliness (条例第四十九条): departments publish by 31 January, governments by 31 March; a report for a year before
the 2019 revision, under the 2007 条例 (第三十一条): every body by 31 March."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from xxgk.check.agency import classify_body
from xxgk.check.rules import doubted_year, get, rule
from xxgk.model import Finding, Report, Severity

DEADLINES = {"department": (1, 31, "县级以上人民政府部门应于每年1月31日前公布上一年度报告"),
             "government": (3, 31, "县级以上地方人民政府的年度报告应于每年3月31日前公布")}
# The 2007 条例 (国务院令第492号, in force 2008-05-01) governed the reports up to the 2018 one: its 第三十一条 gave every
# body 31 March. The revision (国务院令第711号, in force 2019-05-15) governs the 2019 report on (第四十九条). The grade
# profile's [deadlines.until_2018] says the same (tests hold them together).
LAST_YEAR_2007 = 2018
DEADLINE_2007 = (3, 31, "依2007年《中华人民共和国政府信息公开条例》（国务院令第492号）第三十一条，各级行政机关应当在每年3月31日前"
                        "公布本行政机关的政府信息公开工作年度报告")


def _wording(report: Report) -> str:
    """The opening text of the report, where it says on whose behalf it reports."""
    parts = [report.meta.title or "", report.meta.preamble or ""]
    overview = report.sections.get("overview")
    if overview is not None and overview.text:
        parts.append(overview.text[:600])
    parts.extend(f.quote for f in report.figures[:3])
    return "".join(parts)


def before_year_end(published: date, year: int) -> bool:
    """A publication date on or before the last day of the year the report covers: the date or the year is wrong
    (TIME-EARLY), and it tells nothing of timeliness."""
    return published <= date(year, 12, 31)


def _published(report: Report) -> date | None:
    if not report.meta.published:
        return None
    try:
        return date.fromisoformat(report.meta.published)
    except ValueError:
        return None


@rule("TIME-LATE", "error", "按法定期限公布年度报告",
      "条例第四十九条：部门1月31日前，县级以上地方人民政府3月31日前；2018年度及以前的报告："
      "2007年条例第三十一条，各级行政机关3月31日前",
      "某市局2022年度报告的发布日期为2023-02-14")
def late(report: Report) -> Iterator[Finding]:
    published, year = _published(report), report.meta.year
    if published is None or year is None:
        return
    doubt = doubted_year(report)
    severity: Severity | None = "warning" if doubt else None
    if year <= LAST_YEAR_2007:  # whatever the body and the layout
        month, day, text = DEADLINE_2007
        due = date(year + 1, month, day)
        if published > due:
            yield get("TIME-LATE").finding(
                "meta.published", f"{text}；本报告（{year}年度）发布于{published.isoformat()}，晚于{due.isoformat()}"
                f"{doubt or ''}", severity=severity)
        return
    if report.meta.template == "legacy":
        return
    body = classify_body(report.meta.agency, _wording(report))
    if body.kind in DEADLINES:
        month, day, text = DEADLINES[body.kind]
        due = date(year + 1, month, day)
        if published > due:
            yield get("TIME-LATE").finding(
                "meta.published",
                f"{body.reason}，{text}；本报告（{year}年度）发布于{published.isoformat()}，晚于{due.isoformat()}"
                f"{doubt or ''}", severity=severity)
        return
    # Township or unknown: only the latest statutory date can be applied with certainty.
    latest = date(year + 1, 3, 31)
    if published > latest:
        yield get("TIME-LATE").finding(
            "meta.published",
            f"{body.reason}，条例未规定其期限，按条例中最晚的期限（县级以上地方人民政府3月31日）衡量；"
            f"本报告（{year}年度）发布于{published.isoformat()}，晚于{latest.isoformat()}{doubt or ''}", severity=severity)
    elif published > date(year + 1, 1, 31):
        yield get("TIME-DEADLINE-UNKNOWN").finding(
            "meta.published",
            f"{body.reason}，无法确定适用1月31日还是3月31日的期限；本报告发布于{published.isoformat()}，请按本地规定核对")


@rule("TIME-DEADLINE-UNKNOWN", "info", "无法判断适用的公布期限", "条例第四十九条区分部门与县级以上地方人民政府",
      "乡镇政府的报告于2月15日发布")
def _deadline_unknown(report: Report) -> Iterator[Finding]:
    return iter(())  # reported by TIME-LATE, which knows the dates


@rule("TIME-EARLY", "error", "发布日期不早于统计年度结束", "年度报告统计期为该年1月1日至12月31日",
      "2022年度报告的发布日期为2022-11-30")
def too_early(report: Report) -> Iterator[Finding]:
    published, year = _published(report), report.meta.year
    if published is not None and year is not None and before_year_end(published, year):
        doubt = doubted_year(report)
        yield get("TIME-EARLY").finding(
            "meta.published", f"发布日期{published.isoformat()}早于统计年度（{year}年）结束，日期或年度有误{doubt or ''}",
            severity="warning" if doubt else None)


@rule("TIME-NO-DATE", "info", "页面显示发布日期", "条例第四十九条（核对时效需要发布日期）", "PDF附件中没有发布日期")
def no_date(report: Report) -> Iterator[Finding]:
    if report.meta.published is None and report.meta.template != "legacy":
        signed = f"（落款日期为{report.meta.signed}）" if report.meta.signed else ""
        yield get("TIME-NO-DATE").finding("meta.published", f"未找到页面发布日期{signed}，无法核对是否按时公布")
