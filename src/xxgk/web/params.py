"""The numbers a path or a query string may carry, bounded where they are declared.

Python's integers have no size, the databases' do: ``/reports/99999999999999999999`` must be a
422 with a Chinese message, not an OverflowError inside SQLite. Every integer parameter of a
route uses one of these types (``tests/test_web_security.py`` walks the routes to make sure);
the bounds are ``xxgk.db.limits``, which the store and the register check as well.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Path, Query
from pydantic import BeforeValidator, Field

from xxgk.db.limits import FIRST_YEAR, LAST_YEAR, MAX_ID

MAX_OFFSET = 10**9
MAX_DAYS = 366

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
FormId = Annotated[int, Form(ge=1, le=MAX_ID, description="编号")]
Year = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="年度")]
PathYear = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="年度")]


def _blank_is_none(value: Any) -> Any:
    """A form's blank field (``year=`` when 全部 is chosen) means none, not a wrong number."""
    return None if isinstance(value, str) and not value.strip() else value


# The bounds sit on the number (a blank is None, which no bound applies to).
OptionalYear = Annotated[Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)] | None, BeforeValidator(_blank_is_none),
                         Query(description="年度")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="从第几条开始")]
Days = Annotated[int, Query(ge=0, le=MAX_DAYS, description="天数")]
OptionalDay = Annotated[date | None, Query(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 31), description="日期")]
