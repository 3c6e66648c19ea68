"""Questions the pages ask the store that its public API does not answer directly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from sqlalchemy import Engine, select

from xxgk.db import store_schema as schema
from xxgk.store.query import Filters, apply_filters


@dataclass(frozen=True, slots=True)
class MissingAgency:
    """An agency with reports in other years but none for the year asked about."""

    id: int
    name: str
    level: str | None
    region: str
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FileReport:
    """A stored report of one file: which of its reports (from 1), whose, and what was found."""

    id: int
    part: int
    agency: str | None  # the agency's canonical name, else the name as read
    year: int | None
    title: str | None
    errors: int
    warnings: int


def reports_of_file(engine: Engine, sha256: str) -> list[FileReport]:
    """The stored reports read from the file with this sha256, in the file's order (a 汇编 holds several)."""
    r, d, a = schema.Report, schema.Document, schema.Agency
    query = (select(r.id, r.part, a.name, r.agency_name, r.year, r.title, r.errors, r.warnings)
             .join(d, d.id == r.document_id).outerjoin(a, a.id == r.agency_id)
             .where(d.sha256 == sha256).order_by(r.part, r.id))
    with engine.connect() as conn:
        return [FileReport(row.id, row.part + 1, row.name or row.agency_name, row.year, row.title, row.errors,
                           row.warnings) for row in conn.execute(query)]


def stored_years(engine: Engine) -> list[int]:
    """The years the stored reports are for, newest first."""
    r = schema.Report
    with engine.connect() as conn:
        years = conn.execute(select(r.year).distinct().where(r.year.is_not(None)).order_by(r.year.desc())).scalars()
        return [int(y) for y in years if y is not None]


def stored_rules(engine: Engine) -> list[str]:
    """The rule ids that stored findings carry, for the filter's choices."""
    f = schema.Finding
    with engine.connect() as conn:
        return [str(r) for r in conn.execute(select(f.rule).distinct().order_by(f.rule)).scalars()]


def missing_for_year(engine: Engine, year: int, filters: Filters | None = None) -> list[MissingAgency]:
    """Agencies that have reports for other years but none for ``year``; of the filters, those that say which
    agencies (region, level, name): errors and rules describe reports, and these have none that year."""
    r, a = schema.Report, schema.Agency
    have = select(r.agency_id).where(r.year == year, r.agency_id.is_not(None))
    query = (select(a.id, a.name, a.level, a.province, a.city, a.county, r.year).distinct()
             .join(r, r.agency_id == a.id).where(a.id.not_in(have), r.year.is_not(None)).order_by(a.name, r.year))
    if filters is not None:  # the agencies chosen, with all their years listed (a name as read picks the agency)
        chosen = apply_filters(select(a.id).join(r, r.agency_id == a.id),
                               replace(filters, years=(), has_errors=None, rule=None))
        query = query.where(a.id.in_(chosen))
    found: dict[int, MissingAgency] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            region = "".join(p for p in (row.province, row.city, row.county) if p)
            before = found.get(row.id)
            years = (*before.years, int(row.year)) if before else (int(row.year),)
            found[row.id] = MissingAgency(row.id, row.name, row.level, region, years)
    return list(found.values())


@dataclass(frozen=True, slots=True)
class StoredAgency:
    """An agency as the merge pages name it: id, name, level, region, its spellings and its reports' years."""

    id: int
    name: str
    level: str | None
    region: str
    spellings: tuple[str, ...]  # every spelling of its name the reports used (its own name among them)
    years: tuple[int | None, ...]  # one per stored report, None where the year is not known

    @property
    def reports(self) -> int:
        return len(self.years)


def stored_agency(engine: Engine, agency_id: int) -> StoredAgency | None:
    """The agency with this id, with its spellings and its reports' years; None when there is none."""
    a, n, r = schema.Agency, schema.AgencyName, schema.Report
    with engine.connect() as conn:
        row = conn.execute(select(a.id, a.name, a.level, a.province, a.city, a.county).where(a.id == agency_id)).first()
        if row is None:
            return None
        spellings = conn.execute(select(n.name).where(n.agency_id == agency_id).order_by(n.id)).scalars().all()
        years = conn.execute(select(r.year).where(r.agency_id == agency_id).order_by(r.year, r.id)).scalars().all()
    region = "".join(p for p in (row.province, row.city, row.county) if p)
    return StoredAgency(row.id, row.name, row.level, region, tuple(spellings), tuple(years))


def merge_candidates(engine: Engine, agency_id: int, limit: int = 8) -> list[StoredAgency]:
    """The other agencies of the same region and level, those named most like this one first: where a spelling the
    name matching kept apart (an abbreviation) is most likely to be."""
    a = schema.Agency
    with engine.connect() as conn:
        me = conn.execute(select(a).where(a.id == agency_id)).first()
        if me is None:
            return []
        same = [a.level == me.level] + [column.is_(None) if getattr(me, column.key) is None
                                         else column == getattr(me, column.key)
                                         for column in (a.province_code, a.city_code, a.county_code)]
        peers = conn.execute(select(a.id, a.name).where(a.id != agency_id, *same)).all()
    ranked = sorted(peers, key=lambda p: (-SequenceMatcher(None, me.name, p.name).ratio(), p.name))[:limit]
    return [found for p in ranked if (found := stored_agency(engine, p.id)) is not None]
