"""Timeliness: the report for a year is published by the deadline of the regulation it falls under (declared once, in
``xxgk.templates``' statutory.toml): under the 2019 revision (第四十九条) departments by 31 January, governments by 31
March; up to the 2018 report, under the 2007 条例 (第三十一条), every body by 31 March. The year decides, not the
layout: a free-form report for 2019 or later is due as any other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from xxgk.check.agency import classify_body
from xxgk.check.rules import doubted_year, get, rule
from xxgk.model import Finding, Report
from xxgk.templates import Deadline, statutory


def _article() -> str:
    """The article of the regulation in force that sets the deadlines: 条例第四十九条."""
    law = statutory().in_force()
    return f"{law.short}{law.earliest().article}"


def _late_basis() -> str:
    """TIME-LATE's basis: each regulation's deadlines, the one in force first."""
    earlier = sorted((r for r in statutory().regulations if r.last_year is not None), key=lambda r: -(r.last_year or 0))
    return "；".join([statutory().in_force().basis(), *(f"{r.last_year}年度及以前的报告依{r.basis()}" for r in earlier)])


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


@rule("TIME-LATE", "error", "按法定期限公布年度报告", _late_basis(), "某市局2022年度报告的发布日期为2023-02-14")
def late(report: Report) -> Iterator[Finding]:
    published, year = _published(report), report.meta.year
    if published is None or year is None:
        return
    doubt = doubted_year(report) or ""
    law = statutory().regulation_for(year)
    everyone = law.deadline_for(None)
    if everyone is not None:  # one deadline for every body (the 2007 条例's): no need to tell what the body is
        yield from _past(everyone, published, year, f"依{law.name}{everyone.article}，{everyone.says}", doubt)
        return
    body = classify_body(report.meta.agency, _wording(report))
    deadline = law.deadline_for(body.kind)
    if deadline is not None:
        yield from _past(deadline, published, year, f"{body.reason}，{deadline.says}", doubt)
        return
    # Township or unknown: only the latest statutory date can be applied with certainty.
    latest, earliest = law.latest(), law.earliest()
    if published > latest.on(year):
        yield from _past(latest, published, year, f"{body.reason}，{law.short}未规定其期限，按{law.short}中最晚的期限"
                         f"（{latest.who}{latest.spoken}）衡量", doubt)
    elif published > earliest.on(year):
        yield get("TIME-DEADLINE-UNKNOWN").finding(
            "meta.published",
            f"{body.reason}，无法确定适用{earliest.spoken}还是{latest.spoken}的期限；本报告发布于{published.isoformat()}，"
            "请按本地规定核对")


def _past(deadline: Deadline, published: date, year: int, why: str, doubt: str) -> Iterator[Finding]:
    """TIME-LATE when the report was published after ``deadline`` (``why``: the deadline's ground; a warning where
    the year is in doubt)."""
    due = deadline.on(year)
    if published > due:
        yield get("TIME-LATE").finding(
            "meta.published", f"{why}；本报告（{year}年度）发布于{published.isoformat()}，晚于{due.isoformat()}{doubt}",
            severity="warning" if doubt else None)


@rule("TIME-DEADLINE-UNKNOWN", "info", "无法判断适用的公布期限",
      f"{_article()}区分部门与县级以上地方人民政府",
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


@rule("TIME-NO-DATE", "info", "页面显示发布日期", f"{_article()}（核对时效需要发布日期）", "PDF附件中没有发布日期")
def no_date(report: Report) -> Iterator[Finding]:
    if report.meta.published is None and not _free_form_of_earlier_law(report):
        signed = f"（落款日期为{report.meta.signed}）" if report.meta.signed else ""
        yield get("TIME-NO-DATE").finding("meta.published", f"未找到页面发布日期{signed}，无法核对是否按时公布")


def _free_form_of_earlier_law(report: Report) -> bool:
    """A free-form report of an earlier regulation's years (or of no year known): no page date is asked of it."""
    year = report.meta.year
    return report.meta.template == "legacy" and (year is None or statutory().regulation_for(year).last_year is not None)
