"""Which stored reports a question is about: filters (year, region, level, errors, rule, agency) → SQL, and ``list``.

Every question (``list``, ``stats``, ``export``) starts from ``Filters``: one ``Select`` of the
reports with their agency, written in SQLAlchemy Core so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, Select, and_, exists, func, or_, select

from xxgk.db import roster_schema
from xxgk.db import store_schema as schema
from xxgk.db.limits import FIRST_YEAR, LAST_YEAR, is_id, is_year
from xxgk.names import LEVEL_NAMES
from xxgk.store.agencies import display_name, name_key
from xxgk.store.standing import duplicates
from xxgk.templates import statutory

# A query over reports, whatever its columns.
ReportsSelect = Select[*tuple[Any, ...]]
RegionLevel = Literal["province", "city", "county"]
REGION_LEVELS: tuple[RegionLevel, ...] = ("province", "city", "county")
REGION_LEVEL_NAMES = {"province": "省", "city": "市", "county": "县（区）"}
LEVELS = LEVEL_NAMES
UNKNOWN_REGION = "地区未识别"

_CODE = re.compile(r"^\d{6}$")


class QueryError(ValueError):
    """A question that cannot be answered as asked; ``str(err)`` is one line in Chinese."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which reports: every field left empty matches all."""

    years: tuple[int, ...] = ()
    region: str | None = None  # a province/city/county name (its beginning: 江苏, 淮安市) or a 6-digit code
    level: str | None = None  # government | department | township | unknown
    has_errors: bool | None = None
    rule: str | tuple[str, ...] | None = None  # reports with a finding of this rule id (or of any of these)
    agency: str | None = None  # part of the agency's name (any of its spellings)

    def __post_init__(self) -> None:
        # Filters are hashed (cached questions): years given as a list or a set are kept as a tuple.
        if not isinstance(self.years, tuple):
            object.__setattr__(self, "years", tuple(self.years))
        if self.rule is not None and not isinstance(self.rule, str | tuple):
            object.__setattr__(self, "rule", tuple(self.rule))

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids asked for: a report with a finding of any of them matches."""
        return (self.rule,) if isinstance(self.rule, str) else self.rule or ()

    def validate(self) -> Filters:
        """The same filters, or a QueryError saying in Chinese what is wrong with them."""
        wrong = [y for y in self.years if not is_year(y)]
        if wrong:
            raise QueryError(f"统计年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间：{wrong[0]}")
        if self.level is not None and self.level not in LEVELS:
            raise QueryError(f"级别应为 {'、'.join(LEVELS)} 之一：{self.level}")
        if self.region is not None and not self.region.strip():
            raise QueryError("地区不能为空")
        return self


def reports_query(filters: Filters) -> ReportsSelect:
    """The reports that match, with their agency's columns (reports without an agency kept when not filtered out)
    and ``duplicate_of``: the report standing for its agency-year when that is another one (``standing.py``)."""
    r, a, d = schema.Report, schema.Agency, schema.Document
    dup = duplicates()
    query: ReportsSelect = (
        select(r.id.label("report_id"), r.agency_id, a.name.label("agency"), r.agency_name, level_of_body().label("level"),
               a.province, a.province_code, a.city, a.city_code, a.county, a.county_code, r.year, r.template,
               r.published, r.errors, r.warnings, r.infos, r.title, d.origin.label("source"), d.sha256,
               (r.part + 1).label("part"), r.parser_version, dup.c.duplicate_of)
        .join(d, d.id == r.document_id).outerjoin(a, a.id == r.agency_id).outerjoin(dup, dup.c.id == r.id))
    return apply_filters(query, filters.validate())


def apply_filters(query: ReportsSelect, filters: Filters) -> ReportsSelect:
    """Add the filters' conditions to a query over ``reports`` joined to ``agencies``."""
    r, f = schema.Report, schema.Finding
    if filters.years:
        query = query.where(r.year.in_(filters.years))
    if filters.level is not None:
        query = query.where(level_of_body() == filters.level)
    if filters.has_errors is not None:
        query = query.where(r.errors > 0 if filters.has_errors else r.errors == 0)
    if filters.rules:
        query = query.where(exists().where(f.report_id == r.id, f.rule.in_(filters.rules)))
    if filters.region is not None:
        query = query.where(region_condition(filters.region.strip()))
    if filters.agency is not None:
        query = query.where(agency_condition(filters.agency))
    return query


def level_of_body() -> Any:
    """A report's body's level: its roster body's where the roster has it (the reviewer's authority, as grading and
    the monitor take it), else the one told from its agency's name."""
    r, a = schema.Report, schema.Agency
    t, b = roster_schema.RosterReport, roster_schema.RosterBody
    roster = select(b.level).join(t, t.body_id == b.id).where(t.report_id == r.id).scalar_subquery()
    return func.coalesce(roster, a.level)


def region_condition(region: str) -> Any:
    """Reports of agencies in a region named by its code, or by its name or the beginning of it."""
    a = schema.Agency
    if _CODE.match(region):
        return or_(a.province_code == region, a.city_code == region, a.county_code == region)
    pattern = _like(display_name(region)) + "%"
    return or_(a.province.like(pattern, escape="\\"), a.city.like(pattern, escape="\\"),
               a.county.like(pattern, escape="\\"))


def agency_condition(text: str) -> Any:
    """Reports whose agency (any spelling of its name) or name as read contains ``text``."""
    r, a, n = schema.Report, schema.Agency, schema.AgencyName
    pattern = "%" + _like(display_name(text)) + "%"
    return or_(a.name.like(pattern, escape="\\"), r.agency_name.like(pattern, escape="\\"),
               exists().where(n.agency_id == r.agency_id, n.name.like(pattern, escape="\\")))


def _like(text: str) -> str:
    """Escape LIKE's wildcards in user text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def region_of(row: Any, level: RegionLevel = "county") -> str:
    """An agency's region as one name down to ``level`` (``江苏省淮安市``), or ``地区未识别``."""
    parts = [row.province, row.city, row.county][: REGION_LEVELS.index(level) + 1]
    return "".join(p for p in parts if p) or UNKNOWN_REGION


LIST_COLUMNS = ["report_id", "agency", "region", "level", "year", "template", "published", "errors", "warnings",
                "infos", "title", "agency_id", "agency_name", "province", "city", "county", "source", "sha256", "part",
                "duplicate_of"]


def list_reports(engine: Engine, filters: Filters | None = None) -> pd.DataFrame:
    """One row per matching report: agency, region, level, year, template, published, findings counted, title;
    ``duplicate_of`` names the report standing for its agency-year when it is a duplicate (else null)."""
    a, r = schema.Agency, schema.Report
    query = reports_query(filters or Filters()).order_by(a.name, r.year, r.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    records = [{**row._asdict(), "region": region_of(row), "agency": row.agency or row.agency_name,
                "published": row.published.isoformat() if row.published else None} for row in rows]
    frame = pd.DataFrame.from_records(records, columns=LIST_COLUMNS)
    return frame.astype({"year": "Int64", "agency_id": "Int64", "duplicate_of": "Int64"})


Group = tuple[str, str]  # (level, province code): an agency's peers share both


@dataclass(slots=True)
class _Peers:
    """Agencies' groups and each group's years, each read once while a block of collection checks runs."""

    conn: Connection
    groups: dict[int, Group | None] = field(default_factory=dict)
    years: dict[Group, dict[int, set[int]]] = field(default_factory=dict)


_PEERS: ContextVar[_Peers | None] = ContextVar("xxgk_store_peers", default=None)


@contextmanager
def peers_cached(conn: Connection) -> Iterator[None]:
    """Within this block, ``peer_years`` and ``peer_groups`` on ``conn`` read each group once (a block that does
    not change the reports meanwhile: a batch's collection checks ask for the same groups many times)."""
    token = _PEERS.set(_Peers(conn))
    try:
        yield
    finally:
        _PEERS.reset(token)


def _cache(conn: Connection) -> _Peers:
    """The block's cache for this connection, or a throwaway one outside such a block."""
    cache = _PEERS.get()
    return cache if cache is not None and cache.conn is conn else _Peers(conn)


def _groups(conn: Connection, cache: _Peers, agency_ids: Iterable[int]) -> dict[int, Group | None]:
    """The group of each of these agencies (None when its level or province is unknown)."""
    a = schema.Agency
    wanted = sorted(set(agency_ids) - set(cache.groups))
    for start in range(0, len(wanted), 500):
        for agency_id, level, province in conn.execute(
                select(a.id, a.level, a.province_code).where(a.id.in_(wanted[start:start + 500]))):
            cache.groups[agency_id] = None if province is None or level in (None, "unknown") else (level, province)
    return {i: cache.groups.get(i) for i in agency_ids}


def _years(conn: Connection, cache: _Peers, groups: set[Group]) -> dict[Group, dict[int, set[int]]]:
    """The years each agency of these groups reported (agencies without a report's year left out)."""
    a, r = schema.Agency, schema.Report
    wanted = groups - set(cache.years)
    if wanted:
        for group in wanted:
            cache.years[group] = {}
        rows = conn.execute(select(r.agency_id, r.year, a.level, a.province_code).distinct()
                            .join(a, a.id == r.agency_id).where(
            and_(a.level.in_(sorted({g[0] for g in wanted})), a.province_code.in_(sorted({g[1] for g in wanted})),
                 r.year.is_not(None))))
        for agency_id, year, level, province in rows:
            if province is not None and (level, province) in wanted and agency_id is not None and year is not None:
                cache.years[(level, province)].setdefault(agency_id, set()).add(year)
    return {g: cache.years[g] for g in groups}


def peer_groups(conn: Connection, agency_ids: Iterable[int]) -> dict[Group, set[int]]:
    """The agencies (with reports) of each group that one of these agencies belongs to."""
    cache = _cache(conn)
    groups = {g for g in _groups(conn, cache, list(agency_ids)).values() if g is not None}
    return {g: set(years) for g, years in _years(conn, cache, groups).items()}


def peer_years(conn: Connection, agency_id: int) -> dict[int, set[int]]:
    """The years reported by each agency of the same level and province as this one (itself left out)."""
    cache = _cache(conn)
    group = _groups(conn, cache, [agency_id])[agency_id]
    if group is None:
        return {}
    return {other: years for other, years in _years(conn, cache, {group})[group].items() if other != agency_id}


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    """An agency a user's words may mean."""

    id: int
    name: str
    reports: int


def find_agencies(engine: Engine, text: str) -> list[AgencyMatch]:
    """The agencies meant by an id or a name: an exact spelling wins; otherwise every agency whose names contain it."""
    a, n, r = schema.Agency, schema.AgencyName, schema.Report
    text = text.strip()
    if not text:
        return []
    with engine.connect() as conn:
        if text.isdigit():
            ids = set(conn.execute(select(a.id).where(a.id == int(text))).scalars()) if is_id(int(text)) else set()
        else:
            name = display_name(text)
            ids = set(conn.execute(select(a.id).where(or_(a.name == name, a.key == name_key(text)))).scalars())
            ids |= set(conn.execute(select(n.agency_id).where(n.name == name)).scalars())
            if not ids:
                pattern = "%" + _like(name) + "%"
                ids = set(conn.execute(select(a.id).where(a.name.like(pattern, escape="\\"))).scalars())
                ids |= set(conn.execute(select(n.agency_id).where(n.name.like(pattern, escape="\\"))).scalars())
        if not ids:
            return []
        counts = {row.agency_id: int(row.n) for row in conn.execute(
            select(r.agency_id, func.count().label("n")).where(r.agency_id.in_(ids)).group_by(r.agency_id))}
        names = conn.execute(select(a.id, a.name).where(a.id.in_(ids)).order_by(a.name)).all()
    return [AgencyMatch(i, name, counts.get(i, 0)) for i, name in names]


@dataclass(frozen=True, slots=True)
class CellColumn:
    """One cell of the statutory tables as a column: its contract id and a Chinese header from the declaration."""

    id: str  # requests.granted.total
    table: str
    row: str
    column: str
    label: str  # 三、收到和处理政府信息公开申请情况｜（一）予以公开｜总计
    kind: str  # count | signed | money


def _one(labels: list[str]) -> str:
    """Labels that differ between the formats, joined (规范性文件／行政规范性文件)."""
    return "／".join(dict.fromkeys(labels))


def cell_columns() -> list[CellColumn]:
    """Every cell of the three statutory tables, in the declaration's order (both formats' cells)."""
    out: list[CellColumn] = []
    declaration = statutory()
    for table in declaration.tables:
        heading = declaration.section_by_id(table.section).heading
        for row in table.rows:
            newest_first = sorted(row.templates, reverse=True)
            row_label = _one([row.label_for(t) for t in newest_first])
            if row.group:
                row_label = f"{row.group}·{row_label}"
            columns: dict[str, list[str]] = {}
            for template in newest_first:
                for column in table.row_columns(row, template):
                    columns.setdefault(column.id, []).append(column.label_for(template))
            for column_id, labels in columns.items():
                column = table.column_by_id(column_id)
                column_label = f"{column.group}·{_one(labels)}" if column.group else _one(labels)
                out.append(CellColumn(f"{table.id}.{row.id}.{column_id}", table.id, row.id, column_id,
                                      f"{heading}｜{row_label}｜{column_label}", column.kind))
    return out
