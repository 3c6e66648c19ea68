"""The register's tables, on the database's declarative ``Base`` (migrations ``0002``, ``0006``, ``0010`` and ``0012``).

Applicant name, contact and ID number are personal data: stored here, masked wherever they
are shown unless the user asks for them (``xxgk.register.privacy``), never logged.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xxgk.db.base import Base


class RegisterApplication(Base):
    """One 政府信息公开申请 and what became of it (fields as ``xxgk.register.model.Application``)."""

    __tablename__ = "register_applications"
    __table_args__ = (Index("ix_register_applications_applicant_name_received", "applicant_name", "received"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(100), unique=True)  # the office's own number
    received: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    applicant_type: Mapped[str] = mapped_column(String(32))  # a column id of table 三
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_contact: Mapped[str | None] = mapped_column(String(200))
    applicant_id_type: Mapped[str | None] = mapped_column(String(32))
    applicant_id_number: Mapped[str | None] = mapped_column(String(64))
    applicant_address: Mapped[str | None] = mapped_column(String(500))
    request: Mapped[str] = mapped_column(Text)
    info_form: Mapped[str | None] = mapped_column(String(16))
    delivery: Mapped[str | None] = mapped_column(String(16))
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True)  # from the public form
    correction_notice: Mapped[date | None] = mapped_column(Date)
    correction_deadline: Mapped[date | None] = mapped_column(Date)
    correction_received: Mapped[date | None] = mapped_column(Date)
    consult_sent: Mapped[date | None] = mapped_column(Date)
    consult_replied: Mapped[date | None] = mapped_column(Date)
    consult_party: Mapped[str | None] = mapped_column(String(16))
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_approved: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    fee_method: Mapped[str | None] = mapped_column(String(16))
    fee_units: Mapped[int | None] = mapped_column(Integer)
    fee_amount: Mapped[int | None] = mapped_column(Integer)  # yuan
    fee_notice: Mapped[date | None] = mapped_column(Date)
    fee_notice_delivery: Mapped[str | None] = mapped_column(String(16))
    fee_notice_received: Mapped[date | None] = mapped_column(Date)
    fee_paid: Mapped[date | None] = mapped_column(Date)
    answered: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str | None] = mapped_column(String(64))  # a row id of table 三
    note: Mapped[str | None] = mapped_column(Text)
    # 作废 (migration 0012): a row entered twice or by mistake is marked, never deleted; restoring clears these.
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_by: Mapped[str | None] = mapped_column(String(100))
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterVoidEvent(Base):
    """One 作废 or 恢复 of an application, kept for good: who, when, why (migration ``0012``)."""

    __tablename__ = "register_void_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("register_applications.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # void | restore
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)


class RegisterSetting(Base):
    """One of the office's own particulars the letters and the public form show (name, 复议机关, …)."""

    __tablename__ = "register_settings"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterCase(Base):
    """A 行政复议 or 行政诉讼 about disclosure (``kind``: a row id of table 四; ``result``: a column id)."""

    __tablename__ = "register_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    filed: Mapped[date] = mapped_column(Date, index=True)
    decided: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(16))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_applications.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterProactive(Base):
    """One number of table 二 for one year (row and column: the declaration's ids)."""

    __tablename__ = "register_proactive"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    column_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterHolidaySchedule(Base):
    """A year's 放假 and 调休上班 days from the State Council's notice, imported by the office (migration ``0010``).

    ``holidays`` and ``workdays``: ISO dates separated by spaces.
    """

    __tablename__ = "register_holiday_schedules"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(60))
    holidays: Mapped[str] = mapped_column(Text)
    workdays: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
