"""The store as a Python object: ``Store(url)`` with ingest, reports, get, findings, reparse, recheck.

>>> from xxgk.store import Store
>>> store = Store("sqlite:///reports.db")          # or XXGK_DATABASE_URL, or ./xxgk.db
>>> store.ingest(["reports/", "@urls.txt"])         # files, folders, lists, URLs
>>> [r.title for r in store.reports(year=2023)]
>>> store.get(1).tables["requests"]["granted"]["total"]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from xxgk.db import store_schema as schema
from xxgk.db.engine import Database, writing
from xxgk.db.limits import is_id
from xxgk.guard import Limits
from xxgk.model import Report
from xxgk.store.agencies import save_overrides
from xxgk.store.collection import Rechecked, recheck_collection, refresh_peers
from xxgk.store.compare import resolve_agency
from xxgk.store.ingest import Progress, Summary, ingest_items
from xxgk.store.merge import Merged, merge_agencies
from xxgk.store.regions import read_overrides
from xxgk.store.reparse import outdated_reports, reparse_reports
from xxgk.store.sources import Item, expand_sources
from xxgk.store.standing import duplicates


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A stored report's summary: what lists show."""

    id: int
    agency_id: int | None
    agency: str | None  # the agency's canonical name
    level: str | None
    province: str | None
    city: str | None
    county: str | None
    year: int | None
    template: str | None
    title: str | None
    published: str | None
    errors: int
    warnings: int
    source: str
    sha256: str
    part: int  # which report of its file, from 1 (a 汇编 holds several)
    parser_version: str
    duplicate_of: int | None = None  # the report standing for its agency-year, when another (``standing.py``)


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A stored finding with the report it is on."""

    report_id: int
    agency: str | None
    year: int | None
    scope: str
    rule: str
    severity: str
    where: str
    message: str
    quote: str | None
    related_report_id: int | None


class Store(Database):
    """A database of reports (SQLite file or PostgreSQL), migrated to the newest schema on open."""

    def ingest(self, sources: Sequence[str | Path], *, lists: list[Path] | None = None, workers: int | None = None,
               progress: Progress | None = None, limits: Limits | None = None) -> Summary:
        """Store the reports in these files, folders, ``@list`` files and URLs (already stored ones are skipped).

        Each document is read in a watched process within ``limits`` (default: ``Limits.from_environment()``).
        """
        arguments = [str(s) for s in sources]
        items = expand_sources(arguments, lists)
        return self.ingest_items(items, arguments + [f"@{p}" for p in lists or []], workers=workers,
                                 progress=progress, limits=limits)

    def ingest_items(self, items: list[Item], sources: list[str] | None = None, *, workers: int | None = None,
                     progress: Progress | None = None, limits: Limits | None = None) -> Summary:
        """Store prepared items (see ``xxgk.store.sources.expand_sources``)."""
        return ingest_items(self.engine, items, sources or [i.source for i in items][:1000], workers, progress,
                            limits)

    def outdated(self, everything: bool = False) -> list[int]:
        """Ids of the reports an older parser version made (every report with ``everything``)."""
        return outdated_reports(self.engine, everything)

    def reparse(self, report_ids: list[int] | None = None, *, everything: bool = False, workers: int | None = None,
                progress: Progress | None = None, limits: Limits | None = None) -> Summary:
        """Parse again the given reports, or those an older parser made (all with ``everything``)."""
        ids = report_ids if report_ids is not None else self.outdated(everything)
        return reparse_reports(self.engine, ids, workers, progress, limits)

    def recheck(self, progress: Callable[[int, int], None] | None = None) -> Rechecked:
        """Recompute the collection findings (``COLL-*``, cross-year) of the whole store, with ``progress(done,
        total)`` in agencies. Ingest keeps them current for what it touches; run this after an interrupted run."""
        return recheck_collection(self.engine, progress)

    def load_regions(self, path: Path) -> int:
        """Store a region override table (TOML or CSV) and re-apply regions; returns agencies changed."""
        overrides = read_overrides(path)
        with writing(self.engine) as conn:
            changed = save_overrides(conn, overrides)
            if changed:  # agencies moved to other regions: their peers changed
                a = schema.Agency
                refresh_peers(conn, conn.execute(select(a.id)).scalars().all())
            return changed

    def merge_agencies(self, keep: str, other: str) -> Merged:
        """Make the agency meant by ``other`` part of the one meant by ``keep`` (an id or a name, as ``compare``
        takes them; AgencyNotFound, AmbiguousAgency): its reports and spellings move, and the collection
        findings are computed again."""
        kept, merged = resolve_agency(self.engine, keep), resolve_agency(self.engine, other)
        with writing(self.engine) as conn:
            return merge_agencies(conn, kept.id, merged.id)

    def count(self) -> int:
        """How many reports are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.Report)).scalar_one())

    def reports(self, *, year: int | None = None, agency_id: int | None = None, has_errors: bool | None = None,
                limit: int | None = None) -> list[ReportRow]:
        """The stored reports (filtered), ordered by agency and year."""
        r, a, d = schema.Report, schema.Agency, schema.Document
        dup = duplicates()
        columns = (r.id, r.agency_id, a.name.label("agency"), a.level, a.province, a.city, a.county, r.year,
                   r.template, r.title, r.published, r.errors, r.warnings, d.origin.label("source"), d.sha256,
                   (r.part + 1).label("part"), r.parser_version, dup.c.duplicate_of)
        query = (select(*columns).join(d, d.id == r.document_id).outerjoin(a, a.id == r.agency_id)
                 .outerjoin(dup, dup.c.id == r.id).order_by(a.name, r.year, r.id))
        if year is not None:
            query = query.where(r.year == year)
        if agency_id is not None:
            query = query.where(r.agency_id == agency_id)
        if has_errors is not None:
            query = query.where(r.errors > 0 if has_errors else r.errors == 0)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = [row._asdict() for row in conn.execute(query)]
        return [ReportRow(**{**row, "published": row["published"].isoformat() if row["published"] else None})
                for row in rows]

    def get(self, report: int | str) -> Report | None:
        """A stored report (by id, or by its file's sha256) as a Report; None if there is none."""
        r, d = schema.Report, schema.Document
        if isinstance(report, int) and not is_id(report):
            return None
        query = select(r.data).join(d, d.id == r.document_id)
        # By sha256: the file's first report (a 汇编's others are reached by their ids).
        query = query.where(r.id == report) if isinstance(report, int) else query.where(d.sha256 == report, r.part == 0)
        with self.engine.connect() as conn:
            data = conn.execute(query).scalar()
        return Report.from_dict(data) if data is not None else None

    def original(self, report_id: int) -> tuple[str, bytes] | None:
        """The file a stored report was read from (its name and bytes), where its bytes were kept (up to 20 MB)."""
        r, d = schema.Report, schema.Document
        if not is_id(report_id):
            return None
        with self.engine.connect() as conn:
            found = conn.execute(select(d.name, d.content).join(r, r.document_id == d.id)
                                 .where(r.id == report_id)).first()
        return (found.name, found.content) if found is not None and found.content is not None else None

    def findings(self, *, report_id: int | None = None, scope: str | None = None,
                 rule: str | Sequence[str] | None = None, severity: str | None = None) -> list[FindingRow]:
        """Stored findings (filtered; ``rule`` one id or several, any of them), ordered by agency, year and report."""
        f, r, a = schema.Finding, schema.Report, schema.Agency
        columns = (f.report_id, a.name.label("agency"), r.year, f.scope, f.rule, f.severity, f.location.label("where"),
                   f.message, f.quote, f.related_report_id)
        query = (select(*columns).join(r, r.id == f.report_id).outerjoin(a, a.id == r.agency_id)
                 .order_by(a.name, r.year, r.id, f.id))
        for column, value in ((f.report_id, report_id), (f.scope, scope), (f.severity, severity)):
            if value is not None:
                query = query.where(column == value)
        if rule is not None:
            query = query.where(f.rule.in_([rule] if isinstance(rule, str) else list(rule)))
        with self.engine.connect() as conn:
            return [FindingRow(**row._asdict()) for row in conn.execute(query)]

    def agencies(self) -> list[schema.Agency]:
        """Every agency with its names, by name."""
        from sqlalchemy.orm import Session, selectinload

        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(
                select(schema.Agency).options(selectinload(schema.Agency.names)).order_by(schema.Agency.name)))
