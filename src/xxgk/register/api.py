"""The register as a Python object over the store's database: applications, cases, table 二, reports.

>>> from xxgk.register import Register
>>> reg = Register("sqlite:///xxgk.db")            # or XXGK_DATABASE_URL, or ./xxgk.db
>>> app = reg.add({"received": "2025-03-03", "channel": "online", "applicant_type": "natural_person",
...                "applicant_name": "…", "request": "…"})
>>> reg.due(date.today())                          # overdue and due soon
>>> report = reg.build(2025, agency="某某局", markdown=open("prose.md").read())

Nothing here logs personal data, and errors name fields, never their values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from xxgk.db import register_schema as schema
from xxgk.db.engine import Database, writing
from xxgk.db.limits import FIRST_YEAR, LAST_YEAR, is_id, is_year
from xxgk.model import Report
from xxgk.register.build import build_report
from xxgk.register.calendar import package_covers, use_schedules
from xxgk.register.deadlines import Deadline, answer_deadline, payment_deadline, working_days_left
from xxgk.register.errors import CalendarError, RegisterError
from xxgk.register.fees import FEE_METHODS, UNPAID_OUTCOME, fee_for, free_fee_reason
from xxgk.register.holidays import HolidaySchedule, parse_schedule
from xxgk.register.importer import LINK, ImportKind, Ledger, read_ledger
from xxgk.register.letters import Letter, LetterFormat, resolve_kind, write_letter
from xxgk.register.model import (
    FIELDS,
    STORED,
    VOID_FIELDS,
    Application,
    Case,
    ProactiveValue,
    future_dates,
    validated,
)
from xxgk.register.office import OFFICE_FIELDS, Office
from xxgk.register.public import (
    as_application,
    check_public,
    china_today,
    new_receipt_number,
    normal_receipt_number,
)
from xxgk.register.search import ApplicationPage, ApplicationQuery
from xxgk.templates import statutory

log = logging.getLogger(__name__)

DueStatus = Literal["overdue", "due_soon", "unpaid", "awaiting_payment", "correction_expired",
                    "awaiting_correction", "awaiting_agency", "unknown"]
DUE_STATUS = {
    "overdue": "已逾期", "due_soon": "即将到期", "unpaid": "缴费期限已过", "awaiting_payment": "等待缴费",
    "correction_expired": "补正期限已过", "awaiting_correction": "等待补正", "awaiting_agency": "等待其他机关答复",
    "unknown": "无法计算",
}
_APP_FIELDS = tuple(f for f in Application.model_fields if f != "id")
_CASE_FIELDS = tuple(f for f in Case.model_fields if f != "id")


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open application that needs attention, and why."""

    application: Application
    status: DueStatus
    date: date | None  # the deadline, or the applicant's limit (补正, payment)
    days_left: int | None  # working days to ``date``; negative when past
    deadline: Deadline | None
    problem: str | None = None  # why it could not be computed (Chinese)


@dataclass(frozen=True, slots=True)
class VoidEvent:
    """One 作废 or 恢复 of an application: who, when (UTC), why."""

    action: Literal["void", "restore"]
    at: datetime
    by: str
    reason: str | None

    @property
    def name(self) -> str:
        """The action in Chinese."""
        return "作废" if self.action == "void" else "恢复"


@dataclass(frozen=True, slots=True)
class Voided:
    """An application just voided, and what the office should know about what it had already caused."""

    application: Application
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import stored: how many rows of which kind."""

    kind: ImportKind
    rows: int
    future_lines: tuple[int, ...] = ()  # rows with a date of a step taken after today (stored, to be checked)


def _now() -> datetime:
    return datetime.now(UTC)


class Register(Database):
    """The agency's register in the store's database (SQLite file or PostgreSQL), migrated on open."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        super().__init__(url, engine=engine)
        # SQL parameters hold personal data: keep them out of logs and error messages.
        self.engine.hide_parameters = True
        self.holiday_schedules()  # the calendar uses the imported schedules from the start

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session in one write transaction; database errors as a Chinese RegisterError."""
        try:
            with writing(self.engine) as conn, Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()
        except IntegrityError as err:
            raise RegisterError("与已登记的记录冲突（如申请编号或案件编号重复、关联的申请不存在），未保存任何内容") from err
        except SQLAlchemyError as err:
            raise RegisterError(f"数据库操作失败（{type(err).__name__}），未保存任何内容") from err

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read-only session; the calendar first brought up to date with the imported schedules."""
        self.holiday_schedules()
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    # --- the working-day calendar ----------------------------------------------------------

    def holiday_schedules(self) -> list[HolidaySchedule]:
        """The imported holiday schedules by year; the working-day calendar is set to use them.

        Called whenever applications are read, so a schedule imported from the CLI reaches a
        running web app at its next page.
        """
        with Session(self.engine) as session:
            rows = session.scalars(select(schema.RegisterHolidaySchedule).order_by(schema.RegisterHolidaySchedule.year))
            schedules = [_schedule_from(row) for row in rows]
        use_schedules(schedules)
        return schedules

    def holiday_schedule(self, year: int) -> HolidaySchedule:
        """The imported schedule of ``year``."""
        for schedule in self.holiday_schedules():
            if schedule.year == year:
                return schedule
        raise RegisterError(f"没有导入 {year} 年的节假日安排")

    def import_holidays(self, text: str, *, replace: bool = False, name: str = "节假日安排文件") -> HolidaySchedule:
        """Store the schedule in a TOML text (``xxgk.register.holidays``); a year already there needs ``replace``.

        A year chinese-calendar covers also needs ``replace``: the imported notice then wins over
        the package for that year, which an office does only on purpose.
        """
        schedule = parse_schedule(text, name)
        year = schedule.year
        if not replace and package_covers(year):
            raise RegisterError(f"chinesecalendar 已收录 {year} 年的节假日安排；如确需以本机关导入的通知为准，"
                                "请加 --replace 重新导入（导入的安排优先于 chinesecalendar）")
        if not replace and year in {s.year for s in self.holiday_schedules()}:
            raise RegisterError(f"已导入 {year} 年的节假日安排；如要替换，请加 --replace")
        with self._session() as session:
            session.execute(delete(schema.RegisterHolidaySchedule).where(schema.RegisterHolidaySchedule.year == year))
            session.add(schema.RegisterHolidaySchedule(
                year=year, title=schedule.title, number=schedule.number,
                holidays=" ".join(d.isoformat() for d in sorted(schedule.holidays)),
                workdays=" ".join(d.isoformat() for d in sorted(schedule.workdays)), imported_at=_now()))
        self.holiday_schedules()
        log.info("imported the holiday schedule of %d", year)
        return schedule

    def remove_holidays(self, year: int) -> None:
        """Remove the imported schedule of ``year`` (its deadlines then use chinese-calendar, or cannot be computed)."""
        table = schema.RegisterHolidaySchedule
        with self._session() as session:
            if session.get(table, year) is None:
                raise RegisterError(f"没有导入 {year} 年的节假日安排")
            session.execute(delete(table).where(table.year == year))
        self.holiday_schedules()
        log.info("removed the holiday schedule of %d", year)

    # --- applications -------------------------------------------------------------------

    def add(self, data: Application | Mapping[str, Any]) -> Application:
        """Register an application (validated; its 信息处理费 computed); returns it with its id."""
        app = _application(data)
        if app.voided:
            raise RegisterError("新登记的申请不能是已作废的：登记后如需作废，请用 xxgk register void 序号 --reason 原因")
        with self._session() as session:
            _check_reference(session, app.reference, None)
            stored = self._insert(session, app)
        log.info("registered application %d", stored.id or 0)
        return stored

    def _insert(self, session: Session, app: Application) -> Application:
        now = _now()
        row = schema.RegisterApplication(**app.model_dump(include=set(_APP_FIELDS)), created_at=now, updated_at=now)
        if app.voided_at is not None:
            row.voided_at = app.voided_at.astimezone(UTC)  # SQLite keeps no zone: every time is stored in UTC
        session.add(row)
        session.flush()
        if row.voided_at is not None and row.voided_by is not None:  # a ledger's 作废 (the CSV export's round trip)
            session.add(schema.RegisterVoidEvent(application_id=row.id, action="void", at=row.voided_at,
                                                 by=row.voided_by, reason=row.void_reason))
        zeroed = _refresh_fees(session, row.applicant_name, row.applicant_id_number, row.received)
        _check_notices(row, zeroed)
        return _app_from(row)

    def edit(self, app_id: int, changes: Mapping[str, Any]) -> Application:
        """Change fields of a registered application (the result is validated as a whole)."""
        unknown = set(changes) - set(_APP_FIELDS)
        if unknown:
            raise RegisterError("不能修改的项目：" + "、".join(sorted(unknown)))
        if set(changes) & set(VOID_FIELDS):
            raise RegisterError("作废和恢复不能通过修改登记：请用 xxgk register void 或 xxgk register restore")
        with self._session() as session:
            row = _live_row(session, app_id)
            before = (row.applicant_name, row.applicant_id_number, row.received)
            merged = {**_app_from(row).model_dump(), **changes}
            app = validated(Application, merged)
            _check_reference(session, app.reference, row.id)
            for field in _APP_FIELDS:
                setattr(row, field, getattr(app, field))
            row.updated_at = _now()
            session.flush()
            zeroed = _refresh_fees(session, row.applicant_name, row.applicant_id_number, row.received)
            if before != (row.applicant_name, row.applicant_id_number, row.received):
                zeroed += _refresh_fees(session, *before)  # the month or applicant it left
            _check_notices(row, zeroed)
            stored = _app_from(row)
        log.info("edited application %d", app_id)
        return stored

    def get(self, app_id: int) -> Application:
        """One registered application."""
        with self._reading() as session:
            row = session.get(schema.RegisterApplication, _id(app_id, "申请"))
            if row is None:
                raise RegisterError(f"没有第{app_id}号申请")
            return _app_from(row)

    def applications(self, query: ApplicationQuery | None = None, *, year: int | None = None,
                     open_only: bool = False) -> list[Application]:
        """Applications by received date, 作废 ones left out: those ``query`` finds, or of ``year``
        (received, answered or open in it), or open."""
        if query is None:
            query = ApplicationQuery(year=None if year is None else _year(year), status="open" if open_only else None)
        return self.search(query).applications

    def search(self, query: ApplicationQuery, offset: int = 0, limit: int | None = None,
               open_first: bool = False) -> ApplicationPage:
        """A page of the applications ``query`` finds (by received date; open ones first with ``open_first``)."""
        a = schema.RegisterApplication
        where = query.validate().conditions()
        order = (a.answered.is_not(None), a.received, a.id) if open_first else (a.received, a.id)
        rows = select(a).where(*where).order_by(*order).offset(max(offset, 0)).limit(limit)
        with self._reading() as session:
            found = [_app_from(row) for row in session.scalars(rows)]
            total = len(found) if limit is None and offset <= 0 else _count(session, where)
            left_out = _count(session, query.with_voided("only").conditions()) if query.voided == "exclude" else 0
        return ApplicationPage(found, total, max(offset, 0), left_out)

    # --- 作废 and 恢复 -------------------------------------------------------------------------

    def void(self, app_id: int, reason: str, by: str, today: date | None = None) -> Voided:
        """Mark an application 作废 (never deleted): left out of reports, reminders and lists from now on.

        Refused while a 复议 or 诉讼 case refers to it: the case is real and stays in table 四, so it
        must first be linked to the application it is about (a duplicate's twin, most often).
        """
        reason, by = _said(reason, "请填写作废原因"), _said(by, "作废人不能为空")
        with self._session() as session:
            row = _live_row(session, app_id)
            c = schema.RegisterCase
            cases = list(session.scalars(select(c).where(c.application_id == row.id).order_by(c.id)))
            if cases:
                named = "、".join(f"第{k.id}号案件" + (f"（{k.reference}）" if k.reference else "") for k in cases)
                raise RegisterError(
                    f"第{app_id}号申请有关联的复议或诉讼案件：{named}，不能作废。案件照常计入表四；如它实际针对的是"
                    f"另一件申请（如重复登记的另一件），请先修改案件的关联申请：xxgk register case edit "
                    f"{cases[0].id} 关联申请=序号或申请编号，再作废本申请")
            row.voided_at, row.voided_by, row.void_reason = _now().replace(microsecond=0), by, reason
            row.updated_at = row.voided_at
            row.fee_amount = None  # computed, and it charges nothing now; a restore computes it again
            session.add(schema.RegisterVoidEvent(application_id=row.id, action="void", at=row.voided_at, by=by,
                                                 reason=reason))
            session.flush()
            # Only the others' notices: an old 0-yuan notice of its own is no reason to keep a slip in the register.
            _check_notices(row, _refresh_fees(session, row.applicant_name, row.applicant_id_number, row.received),
                           itself=False)
            app = _app_from(row)
        log.info("voided application %d", app_id)
        return Voided(app, void_warnings(app, today or china_today()))

    def restore(self, app_id: int, by: str, reason: str | None = None) -> Application:
        """Undo a 作废: the application counts again everywhere (the 作废 stays in its history)."""
        by = _said(by, "恢复人不能为空")
        with self._session() as session:
            row = session.get(schema.RegisterApplication, _id(app_id, "申请"))
            if row is None:
                raise RegisterError(f"没有第{app_id}号申请")
            if row.voided_at is None:
                raise RegisterError(f"第{app_id}号申请没有作废，无需恢复")
            row.voided_at = row.voided_by = row.void_reason = None
            row.updated_at = _now().replace(microsecond=0)
            session.add(schema.RegisterVoidEvent(application_id=row.id, action="restore", at=row.updated_at, by=by,
                                                 reason=(reason or "").strip() or None))
            session.flush()
            _check_notices(row, _refresh_fees(session, row.applicant_name, row.applicant_id_number, row.received))
            app = _app_from(row)
        log.info("restored application %d", app_id)
        return app

    def void_history(self, app_id: int) -> list[VoidEvent]:
        """Every 作废 and 恢复 of an application, oldest first."""
        e = schema.RegisterVoidEvent
        with self._reading() as session:
            rows = session.scalars(select(e).where(e.application_id == _id(app_id, "申请")).order_by(e.at, e.id))
            return [VoidEvent("void" if r.action == "void" else "restore", _utc(r.at), r.by, r.reason) for r in rows]

    def carried_forward(self, year: int) -> list[Application]:
        """Applications open on 31 December of ``year``: next year's 上年结转."""
        end = date(year, 12, 31)
        return [a for a in self.applications(year=year) if a.is_open_on(end)]

    def due(self, today: date, within: int = 5) -> list[DueItem]:
        """Open applications that are overdue, due within ``within`` working days, or waiting on the applicant."""
        items: list[DueItem] = []
        for app in self.applications(open_only=True):
            if app.received > today:
                continue
            try:
                item = _due_item(app, today, within)
            except CalendarError as err:
                item = DueItem(app, "unknown", None, None, None, str(err))
            if item is not None:
                items.append(item)
        order = list(DUE_STATUS)
        return sorted(items, key=lambda i: (order.index(i.status), i.date or date.max, i.application.id or 0))

    def close_unpaid(self, today: date) -> list[int]:
        """Close as 三(六)2 the applications whose payment period ended before ``today`` unpaid; their ids.

        The period runs from the day after the notice was received: an application whose notice
        was posted and whose receipt (signing) date is not recorded is never closed here, nor one
        whose notice asked for 0 yuan (``payment_deadline`` is None for both).
        """
        closed: list[int] = []
        self.holiday_schedules()
        with self._session() as session:
            a = schema.RegisterApplication
            query = select(a).where(a.answered.is_(None), a.fee_notice.is_not(None), a.fee_paid.is_(None),
                                    a.voided_at.is_(None))
            for row in session.scalars(query):
                limit = payment_deadline(_app_from(row))
                if limit is not None and limit < today:
                    # Deemed abandoned the day after the period ends (国办函〔2020〕109号).
                    row.answered, row.outcome, row.updated_at = limit + timedelta(days=1), UNPAID_OUTCOME, _now()
                    closed.append(row.id)
        log.info("closed %d unpaid applications", len(closed))
        return closed

    # --- the public's own applications ---------------------------------------------------------

    def submit_public(self, data: Mapping[str, Any], today: date | None = None) -> Application:
        """Register a confirmed application from the public form: received online today, with a receipt number."""
        submitted = check_public(dict(data), self.office().require_id)
        day = today or china_today()
        for _ in range(5):  # a clash of 50 random bits is all but impossible; retry anyway
            number = new_receipt_number(day)
            if self.by_receipt(number) is None:
                break
        app = self.add(as_application(submitted, day, number))
        log.info("registered public application %d", app.id or 0)
        return app

    def by_receipt(self, number: str) -> Application | None:
        """The application with that receipt number (as typed: spaces and case do not matter), if any."""
        canonical = normal_receipt_number(number)
        if canonical is None:
            return None
        a = schema.RegisterApplication
        with self._reading() as session:
            row = session.scalars(select(a).where(a.receipt_number == canonical)).first()
            return _app_from(row) if row is not None else None

    # --- the office and its letters -----------------------------------------------------------

    def office(self) -> Office:
        """The office's settings (name, seal, 复议机关, templates folder, …)."""
        with self._reading() as session:
            stored = {row.key: row.value for row in session.scalars(select(schema.RegisterSetting))}
        return validated_office({k: v for k, v in stored.items() if k in OFFICE_FIELDS})

    def set_office(self, changes: Mapping[str, Any]) -> Office:
        """Change settings (a blank value clears one); returns them all."""
        unknown = set(changes) - set(OFFICE_FIELDS)
        if unknown:
            raise RegisterError("不能设置的项目：" + "、".join(sorted(unknown)))
        merged = {**self.office().model_dump(), **changes}
        office = validated_office({k: v for k, v in merged.items() if v is not None and v != ""})
        if changes.get("templates") and not Path(str(changes["templates"])).expanduser().is_dir():
            raise RegisterError(f"{OFFICE_FIELDS['templates']}：不是存在的文件夹")
        with self._session() as session:
            session.execute(delete(schema.RegisterSetting))
            now = _now()
            for key, value in office.as_settings().items():
                session.add(schema.RegisterSetting(key=key, value=value, updated_at=now))
        return office

    def letter(self, app_id: int, kind: str, fmt: LetterFormat = "docx", today: date | None = None,
               font: str | Path | None = None) -> Letter:
        """The letter of ``kind`` (an id, a name, or 补正/延期/征求意见/收费/答复) for an application."""
        app = self.get(app_id)
        if app.voided:
            raise RegisterError(f"第{app_id}号申请已作废，不出具告知书；如确需出具，请先恢复：xxgk register restore {app_id}")
        letter = write_letter(app, resolve_kind(app, kind), self.office(), fmt, today, font)
        log.info("wrote a %s letter for application %d", letter.kind.id, app_id)
        return letter

    # --- reviews and lawsuits ----------------------------------------------------------------

    def add_case(self, data: Case | Mapping[str, Any]) -> Case:
        """Register a 行政复议 or 行政诉讼 case (its application by 序号, or by 申请编号 as ``application_reference``)."""
        with self._session() as session:
            case = data if isinstance(data, Case) else validated(Case, _linked(session, dict(data)))
            _check_link(session, case.application_id)
            stored = _insert_case(session, case)
        log.info("registered case %d", stored.id or 0)
        return stored

    def edit_case(self, case_id: int, changes: Mapping[str, Any]) -> Case:
        """Change fields of a registered case (validated as a whole)."""
        unknown = set(changes) - {*_CASE_FIELDS, LINK}
        if unknown:
            raise RegisterError("不能修改的项目：" + "、".join(sorted(unknown)))
        with self._session() as session:
            row = session.get(schema.RegisterCase, _id(case_id, "案件"))
            if row is None:
                raise RegisterError(f"没有第{case_id}号案件")
            case = validated(Case, {**_case_from(row).model_dump(), **_linked(session, dict(changes))})
            _check_link(session, case.application_id)
            for field in _CASE_FIELDS:
                setattr(row, field, getattr(case, field))
            row.updated_at = _now()
            return _case_from(row)

    def cases(self, *, year: int | None = None) -> list[Case]:
        """Registered cases by filing date: those filed in ``year`` or undecided at its start."""
        c = schema.RegisterCase
        query = select(c).order_by(c.filed, c.id)
        if year is not None:
            query = query.where(c.filed <= date(_year(year), 12, 31),
                                or_(c.decided.is_(None), c.decided >= date(year, 1, 1)))
        with self._reading() as session:
            return [_case_from(row) for row in session.scalars(query)]

    # --- table 二 -----------------------------------------------------------------------------

    def set_proactive(self, values: list[ProactiveValue]) -> int:
        """Enter (or replace) numbers of table 二; returns how many."""
        with self._session() as session:
            _store_proactive(session, values)
        return len(values)

    def proactive(self, year: int) -> list[ProactiveValue]:
        """The numbers of table 二 entered for ``year``."""
        p = schema.RegisterProactive
        with self._reading() as session:
            rows = session.scalars(select(p).where(p.year == _year(year)).order_by(p.row_id, p.column_id))
            return [ProactiveValue(year=r.year, row=r.row_id, column=r.column_id, value=r.value) for r in rows]

    # --- import and report --------------------------------------------------------------------

    def import_file(self, path: Path, kind: ImportKind | None = None) -> ImportResult:
        """Import a CSV/XLSX ledger: every row valid and stored, or nothing (errors list the rows)."""
        ledger = read_ledger(path, kind)
        self._check_references(ledger)
        with self._session() as session:
            _store_ledger(self, session, ledger)
        log.info("imported %d %s rows", ledger.count, ledger.kind)
        today = china_today()
        records: list[Application | Case] = [*ledger.applications, *ledger.cases]
        future = tuple(line for line, record in zip(ledger.lines, records, strict=False) if future_dates(record, today))
        return ImportResult(ledger.kind, ledger.count, future)

    def _check_references(self, ledger: Ledger) -> None:
        """Reject a ledger whose 编号 are already registered (a second import of the same file)."""
        table = schema.RegisterApplication if ledger.kind == "applications" else schema.RegisterCase
        references = [i.reference for i in ledger.applications] + [i.reference for i in ledger.cases]
        refs: dict[str, int] = {}
        repeated: list[int] = []
        for line, ref in zip(ledger.lines, references, strict=False):
            if ref is not None and ref in refs:
                repeated.append(line)
            elif ref is not None:
                refs[ref] = line
        if refs:
            with self._reading() as session:
                taken = set(session.scalars(select(table.reference).where(table.reference.in_(list(refs)))))
            repeated += [refs[r] for r in taken if r is not None]
        if repeated:
            lines = sorted(repeated)
            raise RegisterError("以下行的编号重复或已经登记过，未导入任何内容：第" + "、".join(map(str, lines[:20])) + "行"
                                + ("等" if len(lines) > 20 else ""))

    def build(self, year: int, agency: str, markdown: str = "", published: date | None = None) -> Report:
        """The annual report for ``year`` computed from the register (see ``xxgk.register.build``)."""
        if not agency.strip():
            raise RegisterError("请提供报告机关名称")
        return build_report(self.applications(year=year), self.cases(year=year), self.proactive(year), year,
                            agency.strip(), markdown, published)

    def count(self) -> int:
        """How many applications are registered."""
        with self._reading() as session:
            return int(session.scalar(select(func.count()).select_from(schema.RegisterApplication)) or 0)


def validated_office(data: Mapping[str, Any]) -> Office:
    """The office's settings validated, or a RegisterError naming the settings that are wrong."""
    try:
        return Office.model_validate(dict(data))
    except ValidationError as err:
        problems = [f"{OFFICE_FIELDS.get(str(e['loc'][0]), '')}：{_office_message(e)}"
                    for e in err.errors(include_input=False, include_url=False)]
        raise RegisterError("；".join(problems)) from None


def _office_message(error: Any) -> str:
    if error["type"] == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return "过长" if error["type"] == "string_too_long" else "取值无效"


def _id(value: int, what: str) -> int:
    """A record number from a user, within what the database holds (RegisterError otherwise)."""
    if not is_id(value):
        raise RegisterError(f"没有第{value}号{what}")
    return value


def _year(value: int) -> int:
    """A year from a user, within the years the register works with (RegisterError otherwise)."""
    if not is_year(value):
        raise RegisterError(f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间：{value}")
    return value


def _application(data: Application | Mapping[str, Any]) -> Application:
    """Validated input (a Mapping from a form, the CLI or a ledger row)."""
    if isinstance(data, Application):
        return validated(Application, data.model_dump())
    return validated(Application, {k: v for k, v in data.items() if k != "id"})


def _app_from(row: schema.RegisterApplication) -> Application:
    values = {f: getattr(row, f) for f in _APP_FIELDS}
    values["voided_at"] = _utc(row.voided_at)
    return Application.model_validate({"id": row.id, **values}, context=STORED)


def _utc(moment: datetime | None) -> Any:
    """A stored time with its zone (SQLite gives it back without one: it was stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _count(session: Session, where: list[Any]) -> int:
    """How many applications meet ``where``."""
    a = schema.RegisterApplication
    return int(session.scalar(select(func.count()).select_from(a).where(*where)) or 0)


def _said(text: str | None, missing: str) -> str:
    """A reason or a name a user must give, trimmed; RegisterError when blank."""
    said = (text or "").strip()
    if not said:
        raise RegisterError(missing)
    return said


def _check_reference(session: Session, reference: str | None, own: int | None) -> None:
    """Refuse a 申请编号 a 作废 application holds, saying so (the database's refusal would not say why)."""
    a = schema.RegisterApplication
    if reference is None:
        return
    holder = session.scalars(select(a).where(a.reference == reference, a.id != (own or 0))).first()
    if holder is not None and holder.voided_at is not None:
        raise RegisterError(f"申请编号“{reference}”已由第{holder.id}号申请（已作废）使用：作废的申请保留其编号。"
                            f"请换用其他编号，或恢复第{holder.id}号申请后修改它：xxgk register restore {holder.id}")


def _live_row(session: Session, app_id: int) -> schema.RegisterApplication:
    """An application that is not 作废, to change (RegisterError otherwise, saying how to restore it)."""
    row = session.get(schema.RegisterApplication, _id(app_id, "申请"))
    if row is None:
        raise RegisterError(f"没有第{app_id}号申请")
    if row.voided_at is not None:
        raise RegisterError(f"第{app_id}号申请已作废，不能修改或再次作废；如需修改，请先恢复：xxgk register restore {app_id}")
    return row


# Steps whose recording means a letter most likely went to the applicant (the register keeps no copy).
_LETTER_STEPS = ("correction_notice", "extension_approved", "consult_sent", "fee_notice", "answered")


def _first_due(year: int) -> tuple[date, str]:
    """When the report for ``year`` may already be out: the earliest deadline of the regulation it falls under (条例
    第四十九条: departments by 31 January of the next year), as the date and the sentence saying it."""
    law = statutory().regulation_for(year)
    due = law.earliest()
    return due.on(year), f"{due.who}应于次年{due.spoken}前公布，{law.short}{due.article}"


def void_warnings(app: Application, today: date) -> tuple[str, ...]:
    """What a 作废 does not undo: letters already sent, the applicant's own look-up, reports already published."""
    out: list[str] = []
    steps = [FIELDS[f] for f in _LETTER_STEPS if getattr(app, f) is not None]
    if steps:
        out.append(f"该申请已登记{'、'.join(steps)}，相应的告知书或答复书可能已送达申请人：作废不撤回已发出的文书，"
                   "如需告知申请人，请另行处理")
    if app.receipt_number:
        out.append(f"该申请是网上提交的（回执编号 {app.receipt_number}），申请人凭回执编号查询时将看到“已作废”")
    last = app.answered.year if app.answered else today.year
    published = [y for y in range(app.received.year, last + 1) if _first_due(y)[0] < today]
    if published:
        years = "、".join(f"{y}年度" for y in published)
        out.append(f"该申请已计入{years}的年度报告（{_first_due(published[-1])[1]}）：重新生成的报告不再计入它，"
                   "与已公布的不同；如已公布的报告因此有误，请按规定更正")
    return tuple(out)


def _schedule_from(row: schema.RegisterHolidaySchedule) -> HolidaySchedule:
    return HolidaySchedule.model_construct(
        year=row.year, title=row.title, number=row.number,
        holidays=tuple(date.fromisoformat(d) for d in row.holidays.split()),
        workdays=tuple(date.fromisoformat(d) for d in row.workdays.split()))


def _case_from(row: schema.RegisterCase) -> Case:
    return Case.model_validate({"id": row.id, **{f: getattr(row, f) for f in _CASE_FIELDS}}, context=STORED)


_LINK_HINT = "关联申请可填申请序号，即 xxgk register list 中的“序号”，也可填申请编号"


def _linked(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """Case data whose application, given by 申请编号 (``application_reference``), is given by its 序号 instead."""
    reference = data.pop(LINK, None)
    if reference is None:
        return data
    if data.get("application_id") is not None:
        raise RegisterError(f"{FIELDS['application_id']}：申请序号和申请编号只填一项")
    a = schema.RegisterApplication
    found = session.scalars(select(a.id).where(a.reference == str(reference).strip())).first()
    if found is None:
        raise RegisterError(f"{FIELDS['application_id']}：没有该申请编号的申请（{_LINK_HINT}）")
    return {**data, "application_id": found}


def _check_link(session: Session, app_id: int | None) -> None:
    """Refuse a link to an application that is not registered, or is 作废, saying which number is meant."""
    row = session.get(schema.RegisterApplication, app_id) if app_id is not None else None
    if app_id is not None and row is None:
        raise RegisterError(f"{FIELDS['application_id']}：没有第{app_id}号申请（{_LINK_HINT}）")
    if row is not None and row.voided_at is not None:
        raise RegisterError(f"{FIELDS['application_id']}：第{app_id}号申请已作废，不能关联（{_LINK_HINT}）")


def _insert_case(session: Session, case: Case) -> Case:
    now = _now()
    row = schema.RegisterCase(**case.model_dump(include=set(_CASE_FIELDS)), created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return _case_from(row)


def _store_proactive(session: Session, values: list[ProactiveValue]) -> None:
    p = schema.RegisterProactive
    now = _now()
    for v in values:
        session.execute(delete(p).where(p.year == v.year, p.row_id == v.row, p.column_id == v.column))
        session.add(p(year=v.year, row_id=v.row, column_id=v.column, value=v.value, updated_at=now))


def _store_ledger(register: Register, session: Session, ledger: Ledger) -> None:
    if ledger.kind == "applications":
        for line, app in sorted(zip(ledger.lines, ledger.applications, strict=True), key=lambda la: la[1].received):
            try:
                register._insert(session, app)
            except RegisterError as err:  # a fee that only the register computes (a notice of 0 yuan)
                raise RegisterError(f"导入失败，未导入任何内容：第{line}行：{err}") from None
    elif ledger.kind == "cases":
        for line, case, link in zip(ledger.lines, ledger.cases, ledger.links, strict=True):
            try:
                if link is not None:
                    case = case.model_copy(update=_linked(session, {LINK: link}))
                _check_link(session, case.application_id)
            except RegisterError as err:
                raise RegisterError(f"导入失败，未导入任何内容：第{line}行：{err}") from None
            _insert_case(session, case)
    else:
        _store_proactive(session, ledger.proactive)


def _refresh_fees(session: Session, name: str, id_number: str | None, received: date) -> list[int]:
    """Recompute the fees of one applicant's month: the 11th 件 of a month is the first charged (第四条).

    The applicant is told by ID number when one is registered, else by name. Returns the ids of
    the applications with a fee notice whose fee this made 0 yuan (a notice that asks for nothing).
    """
    a = schema.RegisterApplication
    first = received.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    same = a.applicant_id_number == id_number if id_number else a.applicant_name == name
    # A 作废 application (a duplicate, a slip) is no 件 of the applicant's, and charges nothing (its fee is None).
    query = (select(a).where(same, a.received >= first, a.received < after, a.voided_at.is_(None))
             .order_by(a.received, a.id))
    earlier = 0
    zeroed: list[int] = []
    for other in session.scalars(query):
        method, before = other.fee_method, other.fee_amount
        if method in FEE_METHODS and other.fee_units:
            other.fee_amount = fee_for("pieces" if method == "pieces" else "pages", other.fee_units, earlier)
        else:
            other.fee_amount = None
        if other.fee_notice is not None and other.fee_amount == 0 and before != 0:
            zeroed.append(other.id)
        earlier += other.fee_units if method == "pieces" and other.fee_units else 1
    return zeroed


def _check_notices(row: schema.RegisterApplication, zeroed: list[int], itself: bool = True) -> None:
    """Refuse a fee notice of 0 yuan: the one written (unless not ``itself``), or another one the change made free
    (109号第四条、第五条)."""
    if itself and row.fee_notice is not None and row.fee_amount == 0:
        raise RegisterError(f"{FIELDS['fee_notice']}：该申请的信息处理费为0元（{free_fee_reason(row.fee_method)}），"
                            f"不应发出收费通知：{FIELDS['fee_notice']}（及其送达方式、送达日期）请留空，"
                            f"{FIELDS['fee_method']}和{FIELDS['fee_units']}可照常登记")
    others = sorted({i for i in zeroed if i != row.id})
    if others:
        raise RegisterError(f"这一修改使第{'、'.join(map(str, others))}号申请的信息处理费变为0元（{free_fee_reason('pieces')}），"
                            f"但其已登记{FIELDS['fee_notice']}：请先清除其{FIELDS['fee_notice']}")


def _due_item(app: Application, today: date, within: int) -> DueItem | None:
    """The attention an open application needs on ``today``, if any."""
    deadline = answer_deadline(app)
    if deadline.state == "awaiting_payment":
        limit = deadline.payment_due
        if limit is None:
            return DueItem(app, "awaiting_payment", None, None, deadline,
                           "收费通知送达（签收）日期未登记，缴费期限无法确定")
        status: DueStatus = "unpaid" if limit < today else "awaiting_payment"
        return DueItem(app, status, limit, working_days_left(limit, today), deadline)
    if deadline.state == "awaiting_agency":
        return DueItem(app, "awaiting_agency", None, None, deadline, "其他机关的答复没有法定期限，请及时催告")
    if deadline.state == "awaiting_correction":
        limit = deadline.waiting_until
        if limit is None:
            return DueItem(app, "awaiting_correction", None, None, deadline)
        status = "correction_expired" if limit < today else "awaiting_correction"
        return DueItem(app, status, limit, working_days_left(limit, today), deadline)
    assert deadline.due is not None
    left = working_days_left(deadline.due, today)
    if deadline.due < today:
        return DueItem(app, "overdue", deadline.due, left, deadline)
    if left <= within:
        return DueItem(app, "due_soon", deadline.due, left, deadline)
    return None
