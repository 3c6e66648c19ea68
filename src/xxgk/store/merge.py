"""Agencies made one by a person: two spellings the name matching kept apart (``湖州市人社局`` and
``湖州市人力资源和社会保障局``) named as one body, by hand or by a roster's 其他名称.

Matching names is conservative on purpose (``agencies.py``): an abbreviation is not matched, since
merging two bodies would mix their numbers. When someone who knows says they are one, the reports and
spellings of one agency move to the other, which then stands for the body in every count and check:
its years are one series, compared across years, and the collection findings are computed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select, update

from xxgk.db import store_schema as schema
from xxgk.db.engine import StoreError
from xxgk.db.roster_schema import RosterBody
from xxgk.store.agencies import display_name
from xxgk.store.collection import recompute_collection_findings, refresh_peers


@dataclass(frozen=True, slots=True)
class Merged:
    """What a merge did: the agency kept and the one merged into it, with what moved."""

    kept: str
    kept_id: int
    merged: str
    merged_id: int
    reports: int
    names: int


def merge_agencies(conn: Connection, keep: int, other: int) -> Merged:
    """Move agency ``other``'s reports and spellings to ``keep``, remove ``other``, and compute the collection
    findings of ``keep`` (and its peers) again; in the caller's transaction."""
    if keep == other:
        raise StoreError("要合并的是同一个机关")
    a, n, r = schema.Agency, schema.AgencyName, schema.Report
    names: dict[int, str] = {i: name for i, name in conn.execute(select(a.id, a.name).where(a.id.in_((keep, other))))}
    reports = int(conn.execute(select(func.count()).select_from(r).where(r.agency_id == other)).scalar_one())
    spellings = int(conn.execute(update(n).where(n.agency_id == other).values(agency_id=keep, method="manual"))
                    .rowcount)
    conn.execute(update(r).where(r.agency_id == other).values(agency_id=keep))
    conn.execute(delete(a).where(a.id == other))
    recompute_collection_findings(conn, [keep])
    refresh_peers(conn, [keep])
    return Merged(names[keep], keep, names[other], other, reports, spellings)


def merge_by_roster(conn: Connection) -> list[Merged]:
    """Merge the agencies a roster says are one body: for each body with 其他名称, the agencies stored under its
    name or one of those names, within the body's region, into the one under its name (else the oldest)."""
    b, a, n = RosterBody, schema.Agency, schema.AgencyName
    bodies = [(body.region_code, [display_name(s) for s in (body.name, *body.aliases) if s])
              for body in conn.execute(select(b.name, b.aliases, b.region_code)) if body.aliases]
    # One look at every spelling first (run after each ingest): only a body two stored agencies answer to is merged.
    wanted = sorted({s for _, spellings in bodies for s in spellings})
    stored = {name: agency for start in range(0, len(wanted), 500) for name, agency in conn.execute(
        select(n.name, n.agency_id).where(n.name.in_(wanted[start:start + 500])))}
    done = []
    for region_code, spellings in bodies:
        if len({stored[s] for s in spellings if s in stored}) < 2:
            continue
        found = conn.execute(select(n.name, a.id, a.province_code, a.city_code, a.county_code)
                             .join(a, a.id == n.agency_id).where(n.name.in_(spellings))).all()
        ids = sorted({row.id for row in found if _within(region_code, row)})
        if len(ids) < 2:
            continue
        named = [row.id for row in found if row.name == spellings[0] and row.id in ids]
        keep = named[0] if named else ids[0]
        done += [merge_agencies(conn, keep, other) for other in ids if other != keep]
    return done


def _within(region_code: str | None, row: object) -> bool:
    """Whether an agency's region is the body's (an agency or body whose region is not known: yes)."""
    codes = [getattr(row, c) for c in ("county_code", "city_code", "province_code")]
    own = next((c for c in codes if c), None)
    return not region_code or own is None or own == region_code
