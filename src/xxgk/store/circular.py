"""The circular (通报): the year's publication and grades of a region's roster bodies, drafted in Word, with an annex.

Every number in it comes from the monitor (``xxgk monitor``, the same store and profile) and
every name and problem from stored reports, which the annex lists with their report numbers
and sources: each line of the circular can be traced to the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from xxgk.check import RULES
from xxgk.db import store_schema
from xxgk.db.engine import StoreError
from xxgk.names import SEVERITY_NAMES
from xxgk.render.spreadsheet import xlsx_append
from xxgk.store.grade import STATUS_NAMES, Profile
from xxgk.store.monitor import Monitor, Row, monitor
from xxgk.store.regions import divisions_for

# The problems the circular names: the rules most reports have an error or warning of.
TOP_PROBLEMS = 5
# How xxgk read the document, or what the store holds of it (the same report twice), not what the body did.
_NOT_PROBLEMS = ("PARSE-", "READ-", "COLL-DUPLICATE")
# A report's own lateness; the body's year is late only when the monitor says so (by its first publication).
_LATE_RULE = "TIME-LATE"
_QUOTE_CHARS = 120
_LEVEL_ORDER = ("government", "department", "township")


@dataclass(frozen=True, slots=True)
class Written:
    bodies: int
    on_time: int
    late: int
    missing: int
    unverified: int = 0  # no report, and the harvest could not read the body's column: not said missing


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def circular_context(engine: Engine, result: Monitor, issuer: str, annex_name: str,
                     region_name: str) -> dict[str, Any]:
    """What the template is filled with (docs/circular.md lists every name)."""
    rows = result.rows
    counts = result.counts
    graded = [r for r in rows if r.grade is not None]
    published = [r for r in rows if r.report_id is not None]
    bands = Counter(r.grade.band for r in graded if r.grade)
    ranking = sorted(graded, key=lambda r: (r.body.region_code, _LEVEL_ORDER.index(r.body.level)
                                            if r.body.level in _LEVEL_ORDER else 9, r.rank or 0, r.body.name))
    return {
        "issuer": issuer, "region": region_name, "year": result.year, "as_of": chinese_date(result.today),
        "date": chinese_date(result.today), "annex": annex_name, "profile": result.profile.name,
        "total": len(rows), "published": len(published), "on_time": counts["on_time"], "late": counts["late"],
        "no_date": counts["no_date"], "missing": counts["missing"], "pending": counts["pending"],
        "unverified": counts["unverified"],
        "unverified_names": "、".join(r.body.name for r in rows if r.status == "unverified"),
        "unverified_bodies": [r.body.name for r in rows if r.status == "unverified"],
        "missing_names": "、".join(r.body.name for r in rows if r.status == "missing"),
        "late_names": "、".join(f"{r.body.name}（{r.published.isoformat() if r.published else ''}公布，期限"
                               f"{r.deadline.isoformat() if r.deadline else ''}）" for r in rows if r.status == "late"),
        "missing_bodies": [r.body.name for r in rows if r.status == "missing"],
        "late_bodies": [{"name": r.body.name, "published": r.published.isoformat() if r.published else "",
                         "deadline": r.deadline.isoformat() if r.deadline else ""} for r in rows if r.status == "late"],
        "problems": _problems(engine, [r for r in published if r.report_id is not None], result.profile),
        "graded": len(graded),
        "average": f"{sum(r.grade.score for r in graded if r.grade) / len(graded):.1f}" if graded else "—",
        "bands": "，".join(f"{name} {bands[name]} 份" for name, _ in result.profile.bands) if graded else "无",
        "ranking": [{"rank": r.rank, "name": r.body.name, "level": r.body.level_name,
                     "score": f"{r.grade.score:g}" if r.grade else "", "band": r.grade.band if r.grade else "",
                     "status": r.status_name, "report_id": r.report_id, "region": r.body.region.label}
                    for r in ranking],
    }


def _problems(engine: Engine, rows: list[Row], profile: Profile) -> list[dict[str, Any]]:
    """The most common problems (rules by reports having them) with one quoted example each.

    A problem is named as the profile's deduction for its rule names it (``逾期公布``), else as
    falling short of what the rule checks.
    """
    reasons = {rule: d.reason for i in profile.indicators for d in i.deductions for rule in d.rules}
    reasons.setdefault(_LATE_RULE, next((d.reason for i in profile.indicators for d in i.deductions
                                         if d.status == "late"), "逾期公布"))
    f = store_schema.Finding
    ids = {r.report_id: r for r in rows if r.report_id is not None}
    by_rule: dict[str, set[int]] = {}
    example: dict[str, Any] = {}
    with engine.connect() as conn:
        keys = list(ids)
        for start in range(0, len(keys), 900):
            for found in conn.execute(
                    select(f.id, f.report_id, f.rule, f.message, f.quote, f.severity)
                    .where(f.report_id.in_(keys[start:start + 900]), f.severity.in_(("error", "warning")))
                    .order_by(f.id)):
                if found.rule.startswith(_NOT_PROBLEMS) or (found.rule == _LATE_RULE
                                                            and ids[found.report_id].status != "late"):
                    continue  # a correction published late does not make a year first published on time late
                by_rule.setdefault(found.rule, set()).add(found.report_id)
                best = example.get(found.rule)
                if best is None or (best.quote is None and found.quote):
                    example[found.rule] = found
    ordered = sorted(by_rule, key=lambda rule: (-len(by_rule[rule]), rule))[:TOP_PROBLEMS]
    out = []
    for rule in ordered:
        shown = example[rule]
        quote = f"“{_short(shown.quote)}”，" if shown.quote else ""
        title = reasons.get(rule) or (f"不符合“{RULES[rule].title}”" if rule in RULES else rule)
        out.append({"rule": rule, "title": title,
                    "reports": len(by_rule[rule]), "example_body": ids[shown.report_id].body.name,
                    "example_report": shown.report_id, "example": f"{quote}{shown.message}",
                    "finding_id": shown.id})
    return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + "……"


def write_annex(engine: Engine, result: Monitor, path: Path) -> None:
    """The annex: every body's status and grade, and every finding of its report (with the finding's number)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    status = book.active
    assert status is not None
    status.title = "发布情况与得分"
    xlsx_append(status, ["机关", "级别", "地区", "行政区划代码", "状态", "发布日期", "公布期限", "得分", "等次", "名次",
                   "错误", "警告", "报告编号", "来源"])
    for r in result.rows:
        xlsx_append(status, (
            r.body.name, r.body.level_name, r.body.region.label, r.body.region_code, r.status_name,
            r.published.isoformat() if r.published else None, r.deadline.isoformat() if r.deadline else None,
            r.grade.score if r.grade else None, r.grade.band if r.grade else None, r.rank,
            r.errors if r.report_id else None, r.warnings if r.report_id else None, r.report_id, r.source))
    problems = book.create_sheet("问题清单")
    xlsx_append(problems, ["机关", "报告编号", "问题编号", "级别", "规则", "规则说明", "位置", "问题", "原文"])
    f = store_schema.Finding
    names = {r.report_id: r.body.name for r in result.rows if r.report_id is not None}
    severity = SEVERITY_NAMES
    with engine.connect() as conn:
        keys = sorted(names)
        for start in range(0, len(keys), 900):
            for found in conn.execute(select(f).where(f.report_id.in_(keys[start:start + 900]))
                                      .order_by(f.report_id, f.id)):
                xlsx_append(problems, (
                    names[found.report_id], found.report_id, found.id, severity.get(found.severity, found.severity),
                    found.rule, RULES[found.rule].title if found.rule in RULES else "", found.location,
                    found.message, found.quote))
    for sheet in (status, problems):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def write_circular(engine: Engine, year: int, output: Path, annex: Path, *, region: str | None = None,
                   level: str | None = None, profile: Profile | None = None, template: Path | None = None,
                   issuer: str = "（发文机关）", today: date | None = None) -> Written:
    """Draft the circular (Word) and its annex (XLSX) for the roster bodies of a region and year."""
    from xxgk.render.circular import CircularError, fill_circular

    result = monitor(engine, year, region=region, level=level, profile=profile, today=today)
    if not result.rows:
        raise StoreError("名录中没有符合条件的机关（先用 xxgk roster import 导入名录）")
    region_name = _region_name(engine, result)
    context = circular_context(engine, result, issuer, annex.name, region_name)
    try:
        document = fill_circular(context, template)
    except CircularError as err:
        raise StoreError(str(err)) from err
    write_annex(engine, result, annex)
    output.write_bytes(document)
    counts = result.counts
    return Written(len(result.rows), counts["on_time"], counts["late"], counts["missing"], counts["unverified"])


def _region_name(engine: Engine, result: Monitor) -> str:
    """The region the circular is about (``重庆市武隆区``): the roots of the monitor's tree, by their full names."""
    with engine.connect() as conn:
        table = divisions_for(conn)
    return "、".join(table.region(root.code).label or root.name for root in result.roots) or "本地区"


__all__ = ["STATUS_NAMES", "Written", "circular_context", "write_annex", "write_circular"]
