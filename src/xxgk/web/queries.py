"""Questions the pages ask the store that its public API does not answer directly."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from xxgk.db import store_schema as schema


@dataclass(frozen=True, slots=True)
class MissingAgency:
    """An agency with reports in other years but none for the year asked about."""

    id: int
    name: str
    level: str | None
    region: str
    years: tuple[int, ...]


def report_id_for_sha(engine: Engine, sha256: str) -> int | None:
    """The stored report read from the file with this sha256."""
    r, d = schema.Report, schema.Document
    with engine.connect() as conn:
        found = conn.execute(select(r.id).join(d, d.id == r.document_id).where(d.sha256 == sha256)
                             .order_by(r.id).limit(1)).scalar()
    return int(found) if found is not None else None


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


def missing_for_year(engine: Engine, year: int, limit: int = 500) -> list[MissingAgency]:
    """Agencies that have reports for other years but none for ``year``."""
    r, a = schema.Report, schema.Agency
    have = select(r.agency_id).where(r.year == year, r.agency_id.is_not(None))
    query = (select(a.id, a.name, a.level, a.province, a.city, a.county, r.year).distinct()
             .join(r, r.agency_id == a.id).where(a.id.not_in(have), r.year.is_not(None)).order_by(a.name, r.year))
    found: dict[int, MissingAgency] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            region = "".join(p for p in (row.province, row.city, row.county) if p)
            before = found.get(row.id)
            years = (*before.years, int(row.year)) if before else (int(row.year),)
            found[row.id] = MissingAgency(row.id, row.name, row.level, region, years)
    return list(found.values())[:limit]
