"""The reviewer's tables (migrations ``0008`` and ``0013``): the roster of bodies that must publish, which stored report is
whose, the harvest of their sites, and a newer 行政区划代码 table loaded by the user.

The roster (名录) is the list an office keeps of the bodies under it; a stored report belongs to
a roster body through ``roster_reports`` (found on the body's site by a harvest, set by hand, or
matched by name and region). A harvest remembers every address it fetched (``harvest_pages``: its
validators for conditional requests, its bytes) and what it found for each body and year
(``harvest_results``), so a second harvest downloads nothing unchanged and an interrupted one resumes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xxgk.db.base import Base, JsonType


class RegionDivision(Base):
    """One division of a 行政区划代码 table loaded with ``xxgk regions load`` (it replaces the packaged table)."""

    __tablename__ = "region_divisions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    aliases: Mapped[str] = mapped_column(Text, default="")  # other names, separated by ";"


class RegionTable(Base):
    """A table loaded into ``region_divisions``: where it came from (the newest row is in force)."""

    __tablename__ = "region_tables"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RosterBody(Base):
    """A body that must publish an annual report: its name, level, region, superior, site and report column.

    ``level``: government, department or township (乡镇、街道). ``region_code`` is the 6-digit code of
    the division it belongs to (a city's department: the city; a township: its county). ``key`` is
    the name normalised as agencies' names are (``xxgk.store.agencies.name_key``).
    """

    __tablename__ = "roster_bodies"
    __table_args__ = (UniqueConstraint("key", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("roster_bodies.id", ondelete="SET NULL"))
    site: Mapped[str | None] = mapped_column(Text)
    column_url: Mapped[str | None] = mapped_column(Text)  # 信息公开年报栏目
    aliases: Mapped[list[str]] = mapped_column(JsonType, default=list)  # other spellings of the name
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RosterReport(Base):
    """Whose a stored report is: the roster body (None: examined, no body matched) and how that was decided.

    ``method``: harvest (found on the body's site), manual (set by a user), name (name and region),
    agency (another year of the same agency belongs to the body), none (no body; ``detail`` says why).
    """

    __tablename__ = "roster_reports"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("roster_bodies.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HarvestRun(Base):
    """One ``xxgk harvest``: its year and options, and how it ended (running until it does)."""

    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    options: Mapped[dict[str, Any]] = mapped_column(JsonType)
    status: Mapped[str] = mapped_column(String(16))  # running | completed | interrupted
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HarvestResult(Base):
    """What the newest harvest found for one body and year.

    ``status``: fetched (downloaded, not yet stored), found (``report_id``), not_found, unverified, failed
    (``reason`` in Chinese). ``urls`` are the addresses of the report's page and files (fetched); ``listed``,
    ``missed`` and ``missed_images`` what the download saw that storing the report needs (migration ``0013``),
    so that a run stopped between the download and the storing stores it, when resumed, as one not stopped.
    """

    __tablename__ = "harvest_results"
    __table_args__ = (UniqueConstraint("body_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("roster_bodies.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("harvest_runs.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    report_url: Mapped[str | None] = mapped_column(Text)
    urls: Mapped[list[str]] = mapped_column(JsonType, default=list)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    requests: Mapped[int] = mapped_column(Integer, default=0)  # made for this body in its run
    downloads: Mapped[int] = mapped_column(Integer, default=0)  # of them, answered with a body (not 304)
    listed: Mapped[str | None] = mapped_column(String(10))  # the date beside the report's link in the column (ISO)
    missed: Mapped[dict[str, str] | None] = mapped_column(JsonType)  # the report's attachments not downloaded → why
    missed_images: Mapped[dict[str, str] | None] = mapped_column(JsonType)  # its images not downloaded → why
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HarvestPage(Base):
    """An address a harvest fetched: its validators (ETag, Last-Modified) and its bytes, for conditional requests."""

    __tablename__ = "harvest_pages"
    __table_args__ = (Index("ix_harvest_pages_url_hash", "url_hash", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the address (addresses can be long)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)  # after redirects
    media_type: Mapped[str] = mapped_column(String(100))
    charset: Mapped[str | None] = mapped_column(String(40))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # last downloaded (200)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # last asked (200 or 304)
