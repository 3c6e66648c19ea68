"""The report that stands for an agency-year: the one every per-agency-year figure counts.

The store keeps every file it is given, so it may hold one agency's report for one year more than
once: the same report downloaded twice (other bytes: CRLF line endings, a PDF and a DOCX of it), a
汇编's part repeating a report also stored on its own, or two versions (a corrected re-publication).
``list``, ``export`` and ``findings`` show every stored report; ``stats``, ``grade``, ``compare``,
``monitor``, ``circular`` and the cross-year checks count ONE report per agency-year, chosen here:

1. a report alone in its file over a 汇编's part (the body's own publication over a compilation of it);
2. then the latest publication date (a corrected re-publication supersedes the first; a dated report
   over an undated one);
3. then the one with more cells read (a copy in which a table was a picture and reads as blank gives
   way to one in which it was read, whichever came first);
4. then the latest ingested (the highest report id).

A report without an agency or without a year stands alone. The others of its agency-year are its
duplicates: ``duplicate_of`` names the report standing for them, and COLL-DUPLICATE (``duplicates.py``)
is found on every report of such an agency-year.

Everything is written from ``_key`` (SQL, so that aggregates choose inside the database):
``duplicates`` (a subquery to outer-join: the reports that do not stand, each with ``duplicate_of``) and
``standing_order`` (an ORDER BY, the standing report first within its agency-year).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from xxgk.check.collection import StoredReport
from xxgk.db import store_schema as schema

# The choice in words, for what the commands print (COLL-DUPLICATE's title says it too).
CHOICE = "单独成文件的先于汇编中的一份，其次发布日期最晚的，再次读出的单元格较多的，最后是最后入库的"
# An undated report counts as published before any dated one.
_UNDATED = date(1, 1, 1)

Reports = Any  # ``schema.Report`` or an alias of it


def _key(r: Reports) -> list[ColumnElement[Any]]:
    """What decides, larger first: alone in its file (1) or a 汇编's part (0), the publication date (undated
    lowest), the cells read (with a value), the id (the later ingested)."""
    sibling = aliased(schema.Report)
    # Correlated explicitly: within ``duplicate_of``, ``r`` is the query two levels up.
    siblings = exists().where(sibling.document_id == r.document_id, sibling.id != r.id).correlate_except(sibling)
    alone = case((siblings, 0), else_=1)
    return [alone, func.coalesce(r.published, literal(_UNDATED, schema.Report.published.type)), cells_read(r), r.id]


def cells_read(r: Reports) -> ColumnElement[int]:
    """SQL: how many of ``r``'s cells were read (have a value; a table that was a picture has none)."""
    cell = aliased(schema.Cell)
    return select(func.count(cell.value)).where(cell.report_id == r.id).correlate_except(cell).scalar_subquery()


def _larger(mine: Sequence[ColumnElement[Any]], theirs: Sequence[ColumnElement[Any]]) -> ColumnElement[bool]:
    """SQL: the key ``mine`` sorts after ``theirs``, term by term."""
    (first, *more), (other, *rest) = mine, theirs
    return first > other if not more else or_(first > other, and_(first == other, _larger(more, rest)))


def _standing_instead(r: Reports) -> Any:
    """SQL: the id of the report standing for ``r``'s agency-year when that is another one; null when ``r`` stands."""
    other = aliased(schema.Report)
    return (select(other.id)
            .where(other.agency_id == r.agency_id, other.year == r.year, other.id != r.id, _larger(_key(other), _key(r)))
            .order_by(*standing_order(other)).limit(1).scalar_subquery())


def duplicates() -> Subquery:
    """SQL: the reports that do not stand for their agency-year (``id``), each with the one that does
    (``duplicate_of``). Outer-join it on ``id``: a report without a row stands. Only the agency-years held
    more than once are looked at (a GROUP BY their index answers), so a store without duplicates pays little."""
    r = aliased(schema.Report)
    held = (select(schema.Report.agency_id, schema.Report.year)
            .group_by(schema.Report.agency_id, schema.Report.year).having(func.count() > 1).subquery("held"))
    instead = _standing_instead(r)
    return (select(r.id, instead.label("duplicate_of"))
            .join(held, and_(held.c.agency_id == r.agency_id, held.c.year == r.year))
            .where(instead.is_not(None)).subquery("duplicates"))


def same_agency_year(other: Reports, agency_id: Any, year: Any, report_id: Any) -> ColumnElement[bool]:
    """SQL: ``other`` is another report of the agency-year (``agency_id``, ``year``) than ``report_id``; a report
    without an agency or a year has none (NULL equals nothing)."""
    return and_(other.agency_id == agency_id, other.year == year, other.id != report_id)


def standing_order(r: Reports = schema.Report) -> list[Any]:
    """ORDER BY terms putting the report standing for an agency-year before its duplicates."""
    return [term.desc() for term in _key(r)]


def standing_reports(reports: list[StoredReport]) -> list[StoredReport]:
    """The reports of one agency standing for their years, from ``load_agency_reports``' list (sorted by
    ``standing_order`` within each year: the first of a year stands); reports without a year all stand."""
    seen: set[int] = set()
    out = []
    for stored in reports:
        if stored.year is None or stored.year not in seen:
            out.append(stored)
        if stored.year is not None:
            seen.add(stored.year)
    return out
