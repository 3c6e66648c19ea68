"""The numbers every layer accepts: ids a database column holds, and report and register years.

Python's integers have no size, the databases' do (SQLite's INTEGER, PostgreSQL's BIGINT): an id
or a year from a user is checked against these before it reaches a query, so that
``99999999999999999999`` is a Chinese error, never an OverflowError.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1
# Reports and registers: the 条例 took effect in 2008; a little room on either side.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def is_id(value: int) -> bool:
    """Whether ``value`` can be a row id."""
    return 1 <= value <= MAX_ID


def is_year(value: int) -> bool:
    """Whether ``value`` is a year the tools work with."""
    return FIRST_YEAR <= value <= LAST_YEAR
