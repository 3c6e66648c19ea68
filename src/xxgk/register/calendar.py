"""Working days on the official calendar (法定节假日 and 调休 from ``chinese-calendar``).

A period of N working days "from" a date does not count that date (the day of receipt is
day 0): the N-th working day after it is the last day of the period.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar

from xxgk.register.errors import CalendarError

ONE_DAY = timedelta(days=1)


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar has holiday data for."""
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


def _checked(day: date) -> date:
    """The date itself, or a Chinese error when the calendar does not cover its year."""
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarError(
            f"工作日历（chinesecalendar）只收录 {first}—{last} 年的节假日安排，无法计算 {day.year} 年的工作日；"
            "请在国务院办公厅公布该年节假日安排后升级：pip install -U chinesecalendar")
    return day


def is_working_day(day: date) -> bool:
    """Whether government offices work on ``day`` (调休 Saturdays and Sundays included)."""
    return bool(chinese_calendar.is_workday(_checked(day)))


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
