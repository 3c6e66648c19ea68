"""Collection-level findings: checks over an agency's stored reports, recomputed after each change.

A collection check is a function registered with ``@collection_check``. It gets the open
connection and one agency's reports (sorted by year; each with its metadata and tables as a
``Report``) and yields ``CollectionFinding``s; their rule ids must be registered in
``xxgk.check.rules`` like any other. ``recompute_collection_findings`` replaces the stored
collection findings of the agencies given, in the caller's transaction, and then those of the
agencies whose reports the new findings name (a copy found on the later report is found on the
earlier one too). Checks that need more of a report (section texts for text copied from last
year) read ``reports.data`` through ``conn``; checks across agencies may query other agencies'
reports the same way.

A check whose findings depend on the reports of an agency's peers (same level and province) is
also marked with ``peer_check``: ``refresh_peers`` reruns it for all the peers of the agencies an
ingest changed, once at the end of the run. ``recheck_collection`` recomputes everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select

from xxgk.check import RULES
from xxgk.check.collection import CollectionFinding, StoredReport
from xxgk.check.collection import missing_reports as judge_missing_reports
from xxgk.db import store_schema as schema
from xxgk.db.engine import writing
from xxgk.model import Finding, Meta, Report, Source
from xxgk.store.duplicates import duplicated_years
from xxgk.store.query import peer_groups, peer_years, peers_cached
from xxgk.store.similarity import copied_text
from xxgk.store.standing import standing_order, standing_reports

# Agencies per transaction of a full recheck (a lock held for a while, not for the whole collection).
RECHECK_CHUNK = 500


CollectionCheck = Callable[[Connection, list[StoredReport]], Iterable[CollectionFinding]]
COLLECTION_CHECKS: list[CollectionCheck] = []
# The checks that also depend on an agency's peers, with the rule ids they yield (their findings are replaced).
PEER_CHECKS: dict[CollectionCheck, tuple[str, ...]] = {}


def collection_check(check: CollectionCheck) -> CollectionCheck:
    """Register a check over one agency's reports (run by ``recompute_collection_findings``)."""
    COLLECTION_CHECKS.append(check)
    return check


def peer_check(check: CollectionCheck, rules: tuple[str, ...]) -> None:
    """Mark a registered check as depending on the agency's peers (``refresh_peers`` reruns it for them)."""
    PEER_CHECKS[check] = rules


@collection_check
def consecutive_years(conn: Connection, reports: list[StoredReport]) -> Iterator[CollectionFinding]:
    """The cross-year rules (scope "years": 上年结转 vs last year's 结转下年度 ...) on consecutive years, between
    the reports standing for them (``standing.py``)."""
    by_year = {r.year: r for r in standing_reports(reports) if r.year is not None}
    for year, current in by_year.items():
        previous = by_year.get(year - 1)
        if previous is None:
            continue
        for rule in RULES.values():
            if rule.scope == "years":
                for finding in rule.check(current.report, previous.report):
                    yield CollectionFinding(current.id, finding, previous.id)


def load_agency_reports(conn: Connection, agency_ids: Iterable[int], tables: bool = True
                        ) -> dict[int, list[StoredReport]]:
    """The stored reports of these agencies, by agency, each list sorted by year and within a year the report
    standing for it first (``standing_order``); ``tables=False``: metadata only."""
    r = schema.Report
    ids = sorted(set(agency_ids))
    out: dict[int, list[StoredReport]] = {i: [] for i in ids}
    columns = [r.id, r.agency_id, r.year, r.template, r.agency_name, *([r.data["tables"]] if tables else [])]
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(*columns).where(r.agency_id.in_(ids[start:start + 500]))
                            .order_by(r.agency_id, r.year, *standing_order(r))).all()
        for report_id, agency_id, year, template, name, *found in rows:
            report = Report(source=Source(name=str(report_id), sha256="", format="store"),
                            meta=Meta(year=year, template=template, agency=name), tables=(found[0] if found else None) or {})
            out[agency_id].append(StoredReport(report_id, agency_id, year, report))
    return out


def recompute_collection_findings(conn: Connection, agency_ids: Iterable[int], related: bool = True) -> int:
    """Replace the collection findings of these agencies' reports (and, with ``related``, of the agencies whose
    reports the new findings name); returns how many were stored."""
    ids = set(agency_ids)
    with peers_cached(conn):
        stored, named = _recompute(conn, ids, COLLECTION_CHECKS, None)
        if related and named:
            others = _agencies_of(conn, named) - ids
            stored += _recompute(conn, others, COLLECTION_CHECKS, None)[0] if others else 0
    return stored


def refresh_peers(conn: Connection, agency_ids: Iterable[int]) -> int:
    """Rerun the peer checks for these agencies and every agency of the same level and province; returns findings."""
    if not PEER_CHECKS:
        return 0
    ids = set(agency_ids)
    with peers_cached(conn):
        members = ids | {a for group in peer_groups(conn, ids).values() for a in group}
        rules = tuple(sorted({rule for rules in PEER_CHECKS.values() for rule in rules}))
        return _recompute(conn, members, list(PEER_CHECKS), rules, tables=False)[0]


@dataclass(frozen=True, slots=True)
class Rechecked:
    """What a full recheck did: agencies checked, collection findings stored."""

    agencies: int
    findings: int


def recheck_collection(engine: Engine, progress: Callable[[int, int], None] | None = None) -> Rechecked:
    """Recompute every collection finding of the store, a chunk of agencies per transaction, calling
    ``progress(done, total)`` (agencies) before the first and after each chunk."""
    r, f = schema.Report, schema.Finding
    with writing(engine) as conn:  # a report without an agency is in no check: nothing of the kind stays on it
        conn.execute(delete(f).where(f.scope == "collection", f.report_id.in_(
            select(r.id).where(r.agency_id.is_(None)).scalar_subquery())))
        ids = sorted(a for a in conn.execute(select(r.agency_id).distinct()).scalars() if a is not None)
    stored = 0
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), RECHECK_CHUNK):
        chunk = ids[start:start + RECHECK_CHUNK]
        with writing(engine) as conn:
            stored += recompute_collection_findings(conn, chunk, related=False)
        if progress:
            progress(start + len(chunk), len(ids))
    return Rechecked(len(ids), stored)


def _agencies_of(conn: Connection, report_ids: set[int]) -> set[int]:
    """The agencies of these reports."""
    r = schema.Report
    wanted = sorted(report_ids)
    return {a for start in range(0, len(wanted), 500)
            for a in conn.execute(select(r.agency_id).distinct().where(r.id.in_(wanted[start:start + 500]))).scalars()
            if a is not None}


def _recompute(conn: Connection, agency_ids: set[int], checks: list[CollectionCheck], rules: tuple[str, ...] | None,
               tables: bool = True) -> tuple[int, set[int]]:
    """Replace the findings of these checks (all collection findings when ``rules`` is None) on these agencies'
    reports; returns how many were stored and the other reports they name."""
    f = schema.Finding
    groups = load_agency_reports(conn, agency_ids, tables)
    if any(check in PEER_CHECKS for check in checks):
        peer_groups(conn, agency_ids)  # the peers of all these agencies read at once, for ``peer_years``
    report_ids = [s.id for group in groups.values() for s in group]
    for start in range(0, len(report_ids), 500):
        condition = [f.scope == "collection", f.report_id.in_(report_ids[start:start + 500])]
        conn.execute(delete(f).where(*condition, *([f.rule.in_(rules)] if rules is not None else [])))
    found = [found for group in groups.values() if group for check in checks for found in check(conn, group)]
    if found:
        conn.execute(insert(f), [finding_row(c.report_id, c.finding, "collection", c.related_report_id)
                                 for c in found])
    mine = set(report_ids)
    return len(found), {c.related_report_id for c in found if c.related_report_id is not None} - mine


def finding_row(report_id: int, finding: Finding, scope: str, related: int | None = None) -> dict[str, object]:
    """Turn a finding into a row of the ``findings`` table."""
    return {"report_id": report_id, "scope": scope, "rule": finding.rule[:64], "severity": finding.severity,
            "location": (finding.where or "")[:200], "message": finding.message, "quote": finding.quote,
            "related_report_id": related}


def missing_reports(conn: Connection, reports: list[StoredReport]) -> Iterator[CollectionFinding]:
    """Reports one agency should have in the store (``xxgk.check.collection`` judges, given its peers' years)."""
    if not any(s.year is not None for s in reports):
        return
    yield from judge_missing_reports(standing_reports(reports), peer_years(conn, reports[0].agency_id))


# The checks across agencies: text copied, reports missing (a year between two of the agency's own reports,
# and the year its peers have: the latter depends on other agencies' reports); a year held more than once.
collection_check(copied_text)
collection_check(missing_reports)
collection_check(duplicated_years)
peer_check(missing_reports, ("COLL-MISSING-YEAR", "COLL-MISSING-LATEST"))
