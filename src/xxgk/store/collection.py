"""Collection-level findings: checks over an agency's stored reports, recomputed after each change.

A collection check is a function registered with ``@collection_check``. It gets the open
connection and one agency's reports (sorted by year; each with its metadata and tables as a
``Report``) and yields ``CollectionFinding``s; their rule ids must be registered in
``xxgk.check.rules`` like any other. ``recompute_collection_findings`` replaces the stored
collection findings of the agencies given, in the caller's transaction. Checks that need more
of a report (section texts for text copied from last year) read ``reports.data`` through
``conn``; checks across agencies may query other agencies' reports the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from xxgk.check import RULES
from xxgk.model import Finding, Meta, Report, Source
from xxgk.store import schema


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A stored report as collection checks see it: ids, and a Report with meta and tables only."""

    id: int
    agency_id: int
    year: int | None
    report: Report


@dataclass(frozen=True, slots=True)
class CollectionFinding:
    """A finding on one stored report, maybe naming the other report it was compared with."""

    report_id: int
    finding: Finding
    related_report_id: int | None = None


CollectionCheck = Callable[[Connection, list[StoredReport]], Iterable[CollectionFinding]]
COLLECTION_CHECKS: list[CollectionCheck] = []


def collection_check(check: CollectionCheck) -> CollectionCheck:
    """Register a check over one agency's reports (run by ``recompute_collection_findings``)."""
    COLLECTION_CHECKS.append(check)
    return check


@collection_check
def consecutive_years(conn: Connection, reports: list[StoredReport]) -> Iterator[CollectionFinding]:
    """The cross-year rules (scope "years": 上年结转 vs last year's 结转下年度 ...) on consecutive years."""
    counts = Counter(r.year for r in reports)
    by_year = {r.year: r for r in reports if r.year is not None and counts[r.year] == 1}
    for year, current in by_year.items():
        previous = by_year.get(year - 1) if year is not None else None
        if previous is None:
            continue  # no report, or several for last year: which one to compare is not clear
        for rule in RULES.values():
            if rule.scope == "years":
                for finding in rule.check(current.report, previous.report):
                    yield CollectionFinding(current.id, finding, previous.id)


def load_agency_reports(conn: Connection, agency_ids: Iterable[int]) -> dict[int, list[StoredReport]]:
    """The stored reports of these agencies, by agency, each list sorted by year."""
    r = schema.Report
    ids = sorted(set(agency_ids))
    out: dict[int, list[StoredReport]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(r.id, r.agency_id, r.year, r.template, r.agency_name, r.data["tables"])
            .where(r.agency_id.in_(ids[start:start + 500]))
            .order_by(r.agency_id, r.year, r.id)).all()
        for report_id, agency_id, year, template, name, tables in rows:
            report = Report(source=Source(name=str(report_id), sha256="", format="store"),
                            meta=Meta(year=year, template=template, agency=name), tables=tables or {})
            out[agency_id].append(StoredReport(report_id, agency_id, year, report))
    return out


def recompute_collection_findings(conn: Connection, agency_ids: Iterable[int]) -> int:
    """Replace the collection findings of these agencies' reports; returns how many were stored."""
    f = schema.Finding
    groups = load_agency_reports(conn, agency_ids)
    report_ids = [s.id for group in groups.values() for s in group]
    for start in range(0, len(report_ids), 500):
        conn.execute(delete(f).where(f.scope == "collection", f.report_id.in_(report_ids[start:start + 500])))
    rows = [finding_row(found.report_id, found.finding, "collection", found.related_report_id)
            for group in groups.values() if group
            for check in COLLECTION_CHECKS
            for found in check(conn, group)]
    if rows:
        conn.execute(insert(f), rows)
    return len(rows)


def finding_row(report_id: int, finding: Finding, scope: str, related: int | None = None) -> dict[str, object]:
    """Turn a finding into a row of the ``findings`` table."""
    return {"report_id": report_id, "scope": scope, "rule": finding.rule[:64], "severity": finding.severity,
            "location": (finding.where or "")[:200], "message": finding.message, "quote": finding.quote,
            "related_report_id": related}


# The checks across agencies (reports missing, text copied) register themselves on import.
import xxgk.store.similarity  # noqa: E402, F401
