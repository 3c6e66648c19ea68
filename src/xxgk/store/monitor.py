"""The monitor: for every roster body, whether its report for a year is published, on time, how many errors, its grade.

Bodies are grouped by the region tree (a city: its own departments, then its districts; a
district: its departments and townships), with the counts of each status rolled up at every
level; bodies with no report past their deadline come first. A body with no report whose column the newest
harvest could not read through is 未能核实 (unverified), counted apart: only a column read without the
report in it makes a body 未发布.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import writing
from xxgk.render.spreadsheet import xlsx_append
from xxgk.store.divisions import Divisions
from xxgk.store.grade import (
    STATUS_NAMES,
    Grade,
    Profile,
    default_profile,
    first_publication,
    grade_reports,
    ranks,
    year_timeliness,
)
from xxgk.store.regions import divisions_for
from xxgk.store.roster import Body, bodies, link_new
from xxgk.store.standing import standing_order

# Shown first: what needs chasing.
STATUS_ORDER = ("missing", "unverified", "late", "no_date", "pending", "on_time")
HARVEST_NAMES = {"not_found": "采集未找到", "unverified": "采集未能核实", "failed": "采集失败", "fetched": "已下载未入库"}
# What a harvest says when it could not read the body's column through (its site down, the column's page
# gone, robots.txt, a list a script loads): no report found then is not a report missing.
_UNCHECKED = frozenset({"failed", "unverified"})


@dataclass(slots=True)
class Row:
    """One roster body for the year: its report (if any), status, findings counted, grade and rank."""

    body: Body
    status: str
    deadline: date | None
    report_id: int | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    errors: int = 0
    warnings: int = 0
    grade: Grade | None = None
    rank: int | None = None  # among the bodies of the same region and level with a report
    others: int = 0  # further reports of the body for the year: duplicates, not counted (``standing.py``)
    harvest: str | None = None  # the newest harvest's word on it

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(slots=True)
class Node:
    """A division of the region tree with its bodies and the status counts of everything under it."""

    code: str
    name: str
    rows: list[Row] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def walk(self, depth: int = 0) -> list[tuple[int, Node]]:
        """This node and those under it, depth first, with their depth."""
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


@dataclass(slots=True)
class Monitor:
    year: int
    profile: Profile
    today: date
    rows: list[Row]
    roots: list[Node]

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.rows)

    @property
    def duplicates(self) -> int:
        """The bodies' further reports of the year, left out (one report per body and year)."""
        return sum(r.others for r in self.rows)


def monitor(engine: Engine, year: int, *, region: str | None = None, level: str | None = None,
            status: str | None = None, profile: Profile | None = None, today: date | None = None) -> Monitor:
    """Every roster body (filtered) and its report of ``year``: status, counts, grade, rank; grouped by region."""
    profile = profile or default_profile()
    today = today or date.today()
    with writing(engine) as conn:  # reports stored since the last look: whose are they?
        link_new(conn)
    roster = bodies(engine, region=region, level=level)
    r, d, t = store_schema.Report, store_schema.Document, roster_schema.RosterReport
    h = roster_schema.HarvestResult
    wanted = {b.id for b in roster}
    with engine.connect() as conn:
        table = divisions_for(conn)
        # A body's reports of the year, the one standing for it first (``standing_order``, as for every
        # agency-year); its other reports are duplicates, not counted.
        found: dict[int, list[tuple[int, date | None, str | None, str, int, int]]] = {}
        for stored in conn.execute(
                select(t.body_id, r.id, r.published, r.title, d.origin, r.errors, r.warnings)
                .join(r, r.id == t.report_id).join(d, d.id == r.document_id)
                .where(r.year == year, t.body_id.is_not(None)).order_by(*standing_order(r))):
            if stored.body_id in wanted:
                found.setdefault(stored.body_id, []).append(
                    (stored.id, stored.published, stored.title, stored.origin, stored.errors, stored.warnings))
        harvest = {said.body_id: (said.status, said.reason) for said in conn.execute(
            select(h.body_id, h.status, h.reason).where(h.year == year))}
        chosen = {body_id: reports[0] for body_id, reports in found.items()}
        grades = grade_reports(conn, [c[0] for c in chosen.values()], profile, details=False)
    rows = []
    for body in roster:
        pick = chosen.get(body.id)
        said, reason = harvest.get(body.id, ("found", None))
        if pick is None:
            due = profile.deadline(body.level, year)
            state = ("pending" if due is not None and today <= due else "unverified" if said in _UNCHECKED
                     else "missing")
            row = Row(body, state, due)
        else:
            report_id, published, title, origin, errors, warnings = pick
            graded = grades.get(report_id)
            # On time or late by the year's first publication, as everywhere (``year_timeliness``): a correction
            # published again after the deadline (which then stands for the year) does not make it late.
            dates = [p for _, p, *_ in found[body.id]]
            state, due = year_timeliness(dates, year, body.level, profile)
            published = first_publication(dates, year) or published
            row = Row(body, state, due, report_id, title, published, origin, errors, warnings, graded,
                      others=len(found[body.id]) - 1)
        if said != "found":
            row.harvest = HARVEST_NAMES.get(said, said) + (f"：{reason}" if reason else "")
        rows.append(row)
    _rank(rows)
    rows.sort(key=lambda x: (STATUS_ORDER.index(x.status), x.body.region_code, x.body.level, x.body.name))
    if status:
        rows = [x for x in rows if x.status == status]
    return Monitor(year, profile, today, rows, _tree(rows, table))


def _rank(rows: list[Row]) -> None:
    """Rank the graded bodies within each region and level."""
    groups: dict[tuple[str, str], dict[int, float]] = {}
    for i, row in enumerate(rows):
        if row.grade is not None:
            groups.setdefault((row.body.region_code, row.body.level), {})[i] = row.grade.score
    for scores in groups.values():
        for i, rank in ranks(scores).items():
            rows[i].rank = rank


def _tree(rows: list[Row], table: Divisions) -> list[Node]:
    """The region tree of the rows' bodies, counts rolled up; the roots are the highest divisions reached."""
    nodes: dict[str, Node] = {}

    def node(code: str) -> Node:
        if code not in nodes:
            division = table.get(code)
            nodes[code] = Node(code, division.name if division else code)
            parent = table.parent(code)
            if parent is not None:
                node(parent).children.append(nodes[code])
        return nodes[code]

    for row in rows:
        node(row.body.region_code).rows.append(row)
        code: str | None = row.body.region_code
        while code is not None:
            node(code).counts[row.status] += 1
            code = table.parent(code)
    for n in nodes.values():
        n.children.sort(key=lambda c: c.code)
    roots = [n for code, n in nodes.items() if table.parent(code) is None or table.parent(code) not in nodes]
    # Start where the tree branches: a county's monitor need not show its province and city above it.
    while len(roots) == 1 and not roots[0].rows and len(roots[0].children) == 1:
        roots = roots[0].children
    return sorted(roots, key=lambda n: n.code)


def export_monitor(result: Monitor, path: Path) -> None:
    """Write the monitor to an XLSX workbook: one row per body, and the counts by region."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{result.year}年度发布情况"
    header = ["机关", "级别", "行政区划代码", "地区", "状态", "发布日期", "公布期限", "错误", "警告", "得分", "等次",
              "同地区同级别排名", "报告编号", "来源", "采集情况"]
    xlsx_append(sheet, header)
    for row in result.rows:
        g = row.grade
        xlsx_append(sheet, (
            row.body.name, row.body.level_name, row.body.region_code, row.body.region.label, row.status_name,
            row.published.isoformat() if row.published else None, row.deadline.isoformat() if row.deadline else None,
            row.errors if row.report_id else None, row.warnings if row.report_id else None,
            g.score if g else None, g.band if g else None, row.rank, row.report_id, row.source, row.harvest))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    counts = book.create_sheet("地区汇总")
    xlsx_append(counts, ["地区", "行政区划代码", "机关数", *(STATUS_NAMES[s] for s in STATUS_ORDER)])
    for root in result.roots:
        for depth, n in root.walk():
            xlsx_append(counts, ["　" * depth + n.name, n.code, n.total, *(n.counts[s] for s in STATUS_ORDER)])
    for cell in counts[1]:
        cell.font = Font(bold=True)
    book.save(path)
