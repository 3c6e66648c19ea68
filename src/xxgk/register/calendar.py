"""Working days on the official calendar: ``chinese-calendar``, else the office's imported schedule.

chinese-calendar knows the years up to its last release. For a later year an office imports
the State Council's notice (``xxgk.register.holidays``); the register loads the imported
schedules from its database into this module (``use_schedules``) so every deadline uses them.
The rule when both know a year: the imported notice wins (an office imports a year that
chinese-calendar covers only with ``--replace``, on purpose, to follow the notice it holds).

A period of N working days "from" a date does not count that date (the day of receipt is
day 0): the N-th working day after it is the last day of the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

import chinese_calendar

from xxgk.register.errors import CalendarError

if TYPE_CHECKING:
    from xxgk.register.holidays import HolidaySchedule

ONE_DAY = timedelta(days=1)
PACKAGE_SOURCE = "chinese-calendar 工作日历（chinesecalendar {version}）"


@dataclass(frozen=True, slots=True)
class _Year:
    """An imported year: its 放假 and 调休上班 days and the notice they come from."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


_imported: dict[int, _Year] = {}


def use_schedules(schedules: Iterable[HolidaySchedule]) -> None:
    """Make these imported schedules the ones the calendar uses (replacing any used before)."""
    global _imported
    _imported = {s.year: _Year(frozenset(s.holidays), frozenset(s.workdays), s.source) for s in schedules}


def imported_years() -> tuple[int, ...]:
    """The years an imported schedule is used for."""
    return tuple(sorted(_imported))


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar has holiday data for."""
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


def package_covers(year: int) -> bool:
    """Whether the installed chinese-calendar has holiday data for ``year``."""
    first, last = covered_years()
    return first <= year <= last


def source_of(year: int) -> str:
    """Where the working days of ``year`` come from, in Chinese (CalendarError when nowhere)."""
    imported = _imported.get(year)
    if imported is not None:
        return imported.source + "（本机关导入）"
    if package_covers(year):
        return PACKAGE_SOURCE.format(version=_package_version())
    raise CalendarError(missing_year_message(year))


def missing_year_message(year: int) -> str:
    """The Chinese error for a year neither chinese-calendar nor an imported schedule covers."""
    first, last = covered_years()
    return (f"工作日历没有 {year} 年的节假日安排（chinesecalendar 只收录 {first}—{last} 年，也未导入该年的安排），"
            f"无法计算 {year} 年的工作日；请按国务院办公厅关于{year}年部分节假日安排的通知填写节假日文件后导入："
            f"xxgk register holidays template {year} > {year}.toml，填写后 xxgk register holidays import {year}.toml")


@cache
def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "未知版本"


def is_working_day(day: date) -> bool:
    """Whether government offices work on ``day`` (调休 Saturdays and Sundays included)."""
    imported = _imported.get(day.year)
    if imported is not None:
        if day in imported.workdays:
            return True
        return day.weekday() < 5 and day not in imported.holidays
    if not package_covers(day.year):
        raise CalendarError(missing_year_message(day.year))
    return bool(chinese_calendar.is_workday(day))


def sources(first: date, last: date) -> list[tuple[int, str]]:
    """The source of the working days of every year from ``first`` to ``last``."""
    return [(year, source_of(year)) for year in range(first.year, max(first, last).year + 1)]


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself not counted); ``start`` when n is 0."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n > 0:
        day += ONE_DAY
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count
