"""Grades of stored reports with their rank within region and level, for listing and export.

A report's body is its roster body when it has one (name, level, region from the roster), else
its agency (as matched from its name). Ranks are among the reports of the same year, region (the
most specific division known) and level, one report per agency-year (``standing.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import writing
from xxgk.render.spreadsheet import xlsx_append
from xxgk.store.grade import STATUS_NAMES, Grade, Profile, grade_reports, ranks
from xxgk.store.regions import divisions_for
from xxgk.store.roster import link_new, region_codes
from xxgk.store.roster_file import LEVELS
from xxgk.store.standing import duplicates


@dataclass(slots=True)
class Scored:
    report_id: int
    name: str
    level: str
    region_code: str | None
    region: str
    year: int | None
    title: str | None
    grade: Grade
    rank: int | None = None
    duplicate_of: int | None = None  # the report standing for its agency-year, when another (then not ranked)

    @property
    def level_name(self) -> str:
        return LEVELS.get(self.level, "未识别")

    @property
    def label(self) -> str:
        return f"{self.name} {self.year or ''}年度报告（编号 {self.report_id}）"

    def record(self) -> dict[str, Any]:
        """The score as JSON-ready data, with every deduction and its finding."""
        return {"report_id": self.report_id, "duplicate_of": self.duplicate_of, "body": self.name, "level": self.level,
                "region_code": self.region_code, "region": self.region, "year": self.year, "score": self.grade.score, "band": self.grade.band,
                "rank": self.rank, "timeliness": self.grade.status,
                "deadline": self.grade.deadline.isoformat() if self.grade.deadline else None,
                "indicators": [{"id": i.indicator.id, "name": i.indicator.name, "weight": i.indicator.weight,
                                "score": i.score,
                                "deductions": [{"points": a.points, "reason": a.reason, "detail": a.detail,
                                                "finding_id": a.finding.id if a.finding else None,
                                                "rule": a.finding.rule if a.finding else None,
                                                "where": a.finding.where if a.finding else None,
                                                "message": a.finding.message if a.finding else None,
                                                "also_finding_ids": [f.id for f in a.also]}
                                               for a in i.applied]}
                               for i in self.grade.indicators]}


@dataclass(frozen=True, slots=True)
class Scores:
    """The graded reports, and how many matching reports were left out as duplicates."""

    scored: list[Scored]
    duplicates: int  # reports of an agency-year another report stands for (``standing.py``), not graded


def score_reports(engine: Engine, profile: Profile, *, year: int | None = None, region: str | None = None,
                  level: str | None = None, report_ids: list[int] | None = None, details: bool = True) -> list[Scored]:
    """``grade_collection``'s graded reports."""
    return grade_collection(engine, profile, year=year, region=region, level=level, report_ids=report_ids,
                            details=details).scored


def grade_collection(engine: Engine, profile: Profile, *, year: int | None = None, region: str | None = None,
                     level: str | None = None, report_ids: list[int] | None = None, details: bool = True) -> Scores:
    """Grade the stored reports asked for and rank them within year, region and level (best first).

    One report per agency-year: a duplicate (another report stands for its agency-year) is left out, and
    counted, unless asked for by its id; then it is graded but not ranked. ``details`` False: the deductions'
    findings without their messages (enough for scores and ranks).
    """
    r, a = store_schema.Report, store_schema.Agency
    t, b = roster_schema.RosterReport, roster_schema.RosterBody
    dup = duplicates()
    with writing(engine) as conn:
        link_new(conn)
    with engine.connect() as conn:
        table = divisions_for(conn)
        codes = region_codes(table, region) if region else None
        query = (select(r.id, r.year, r.title, r.agency_name, a.name.label("agency"), a.level.label("agency_level"),
                        a.province_code, a.city_code, a.county_code, b.name.label("body"), b.level.label("body_level"),
                        b.region_code, dup.c.duplicate_of)
                 .outerjoin(a, a.id == r.agency_id).outerjoin(t, t.report_id == r.id).outerjoin(b, b.id == t.body_id)
                 .outerjoin(dup, dup.c.id == r.id))
        if year is not None:
            query = query.where(r.year == year)
        if report_ids is not None:
            query = query.where(r.id.in_(report_ids))
        wanted: list[tuple[Any, str | None, str]] = []
        left_out = 0
        for row in conn.execute(query):
            code = row.region_code or row.county_code or row.city_code or row.province_code
            lvl = row.body_level or row.agency_level or "unknown"
            if level is not None and lvl != level:
                continue
            if codes is not None and not (code and any(code == c or table.contains(c, code) for c in codes)):
                continue
            if row.duplicate_of is not None and report_ids is None:
                left_out += 1
                continue
            wanted.append((row, code, lvl))
        grades = grade_reports(conn, [row.id for row, _, _ in wanted], profile, details)
    scored = [Scored(row.id, row.body or row.agency or row.agency_name or "机关未识别", lvl, code,
                     table.region(code).label if code else "地区未识别", row.year, row.title, grades[row.id],
                     duplicate_of=row.duplicate_of)
              for row, code, lvl in wanted]
    groups: dict[tuple[int | None, str | None, str], dict[int, float]] = {}
    for i, s in enumerate(scored):
        if s.duplicate_of is None:
            groups.setdefault((s.year, s.region_code, s.level), {})[i] = s.grade.score
    for scores in groups.values():
        for i, rank in ranks(scores).items():
            scored[i].rank = rank
    scored.sort(key=lambda s: (-(s.year or 0), s.region_code or "", s.level, s.rank or 0, s.name))
    return Scores(scored, left_out)


def export_scores(scored: list[Scored], path: Path) -> None:
    """Write the scores (one row per report) and every deduction (one row each) to an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "得分与排名"
    indicators = [i.indicator for i in scored[0].grade.indicators] if scored else []
    xlsx_append(sheet, ["报告编号", "机关", "级别", "地区", "年度", "得分", "等次", "同地区同级别排名", "时效",
                  *(f"{i.name}（{i.weight:g}）" for i in indicators)])
    for s in scored:
        xlsx_append(sheet, (s.report_id, s.name, s.level_name, s.region, s.year, s.grade.score,
                                             s.grade.band, s.rank, STATUS_NAMES.get(s.grade.status),
                                             *(i.score for i in s.grade.indicators)))
    details = book.create_sheet("扣分明细")
    xlsx_append(details, ["报告编号", "机关", "指标", "扣分", "原因", "说明", "问题编号", "规则", "位置", "问题"])
    for s in scored:
        for item in s.grade.indicators:
            for d in item.applied:
                f = d.finding
                xlsx_append(details, (
                    s.report_id, s.name, item.indicator.name, d.points, d.reason, d.detail, f.id if f else None,
                    f.rule if f else None, f.where if f else None, f.message if f else None))
    for ws in (sheet, details):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    book.save(path)
