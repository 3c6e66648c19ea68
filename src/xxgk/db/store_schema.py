"""The store's tables (SQLAlchemy 2 declarative). The Alembic migrations in ``xxgk/db/migrations/`` follow this file.

Identity of a report is the sha256 of its source file and its place in it: one ``documents`` row per file,
one ``reports`` row per report it holds (one, or each report of a 汇编: ``part`` 0, 1, …). Numbers live twice on purpose: in ``reports.data`` (the contract
JSON, exactly as ``xxgk parse --json`` prints it) and in ``cells`` (one row per table cell, so
SQL can filter and aggregate without parsing JSON). Both are written in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xxgk.db.base import Base, JsonType


class Agency(Base):
    """A reporting body (机关), one row however many spellings of its name the reports use.

    ``level`` is ``xxgk.check.agency.classify_body``'s kind: government, department, township or
    unknown, of its name and its first report's wording, derived again when that report is parsed again
    (``store.agencies.refresh_agencies``). The region is read from the name (the 行政区划代码 table) unless
    ``region_overridden`` says it came from the override table.
    """

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # canonical display name (simplified Chinese)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # normalised name used for matching
    level: Mapped[str] = mapped_column(String(16), index=True)
    level_reason: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(String(40))
    province_code: Mapped[str | None] = mapped_column(String(6), index=True)
    city: Mapped[str | None] = mapped_column(String(40))
    city_code: Mapped[str | None] = mapped_column(String(6), index=True)
    county: Mapped[str | None] = mapped_column(String(40))
    county_code: Mapped[str | None] = mapped_column(String(6), index=True)
    region_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    names: Mapped[list[AgencyName]] = relationship(back_populates="agency")


class AgencyName(Base):
    """Every spelling of an agency's name seen in a report, and how it was matched to the agency.

    ``method``: ``new`` (first seen, created the agency), ``same`` (same normalised name),
    ``region`` (same region and the same name once the region is left out: ``洪泽区人民政府`` /
    ``淮安市洪泽区人民政府``), ``fuzzy`` (rapidfuzz within the same region; ``score`` kept),
    ``manual`` (set by a user).
    """

    __tablename__ = "agency_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    agency: Mapped[Agency] = relationship(back_populates="names")


class RegionOverride(Base):
    """A user's correction of an agency's region, by name (normalised like ``agencies.key``).

    Loaded from a TOML/CSV file (``xxgk agencies regions FILE``) or written directly; it wins over
    what the name says. Codes are 6-digit administrative division codes.
    """

    __tablename__ = "region_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # as the user wrote it
    province: Mapped[str | None] = mapped_column(String(40))
    province_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(40))
    city_code: Mapped[str | None] = mapped_column(String(6))
    county: Mapped[str | None] = mapped_column(String(40))
    county_code: Mapped[str | None] = mapped_column(String(6))


class Document(Base):
    """A source file, identified by its sha256; its bytes are kept when small enough to re-parse.

    ``content`` holds the file as read for files up to ``XXGK_STORE_MAX_BYTES`` (default 20 MB);
    larger ones keep only ``origin`` (path or URL) and are re-read from there by ``reparse``.
    """

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))  # original file name
    origin: Mapped[str] = mapped_column(Text)  # absolute path or URL it was ingested from
    format: Mapped[str] = mapped_column(String(16))  # text, html, docx, pdf, ...
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    reports: Mapped[list[Report]] = relationship(back_populates="document", order_by="Report.part")


class Report(Base):
    """One parsed and checked annual report: metadata columns for filtering, the contract JSON in ``data``.

    ``errors``/``warnings``/``infos`` count the report-scope findings. ``parser_version`` is
    ``xxgk.parse.version.parser_version()`` at parse time; ``reparse`` refreshes older ones.
    """

    __tablename__ = "reports"
    # The second index covers what the copied-text index checks for changes (migration 0004): SQLite keeps
    # ``parsed_at`` after the large ``data`` column, which a scan of the table would have to read through.
    __table_args__ = (Index("ix_reports_agency_id_year", "agency_id", "year"),
                      Index("ix_reports_parsed_at_agency_id_year", "parsed_at", "agency_id", "year"),
                      UniqueConstraint("document_id", "part"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # Which report of its document, from 0: a 汇编 holds several, each stored as a report of its own (migration 0011).
    part: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    agency_name: Mapped[str | None] = mapped_column(String(200))  # meta.agency as read
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    template: Mapped[str | None] = mapped_column(String(8))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    parser_version: Mapped[str] = mapped_column(String(40), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    parsed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Shingles and MinHash signatures of sections 一、五、六 (``store/prints.py``), for the copied-text check;
    # NULL or of an older version: recomputed from ``data`` when the index loads it (migration 0004).
    prints: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    document: Mapped[Document] = relationship(back_populates="reports")
    agency: Mapped[Agency | None] = relationship()


class Cell(Base):
    """The long table: one row per cell of a report's statutory tables (contract ids).

    A blank or unreadable cell is stored with ``value`` NULL; a table missing from the report
    (e.g. an image) has no rows at all. Money is in 万元 as printed; counts are whole numbers.
    """

    __tablename__ = "cells"
    # Covering (value included): ``stats`` reads the cells it sums from the index alone (migration 0003).
    __table_args__ = (Index("ix_cells_table_id_row_id_column_id_report_id_value", "table_id", "row_id", "column_id",
                            "report_id", "value"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    table_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    column_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)


class Finding(Base):
    """A finding on a report: ``scope`` report (from parse/check) or collection (across reports).

    ``location`` is the contract's ``where`` (``requests.granted.total``, ``meta.published``...).
    Collection findings may name the other report involved (``related_report_id``, e.g. last
    year's); they are recomputed per agency after each ingest.
    """

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_scope_rule", "scope", "rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(16))  # report | collection
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8))  # error | warning | info
    location: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    related_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))


class IngestRun(Base):
    """One ``xxgk ingest`` invocation: what it was given and how it ended (running until it does)."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # running | completed | interrupted
    sources: Mapped[list[str]] = mapped_column(JsonType)  # the arguments as given
    parser_version: Mapped[str] = mapped_column(String(40))
    ok: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class IngestItem(Base):
    """One file or URL met by an ingest run, and what became of it.

    ``status``: ok (stored), skipped (already stored: same sha256, or same path, size and mtime),
    failed (``error`` says why, in Chinese). Resume looks items up by ``source``.
    """

    __tablename__ = "ingest_items"
    __table_args__ = (Index("ix_ingest_items_source", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)  # absolute path or URL
    size: Mapped[int | None] = mapped_column(Integer)
    mtime: Mapped[float | None] = mapped_column(Float)
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
