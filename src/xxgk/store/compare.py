"""``compare``: one agency year over year — its cells of 表二/三/四 side by side, the changes, its findings.

One report a year: the one standing for it (``standing.py``); the agency's other reports of a year are
listed as ``duplicates``, each with the report compared instead.

The agency is named by id or by any spelling of its name (an exact spelling wins over a part
of a name); several agencies matching is an ``AmbiguousAgency`` listing them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from xxgk.db import store_schema as schema
from xxgk.store.query import AgencyMatch, QueryError, cell_columns, find_agencies
from xxgk.store.standing import duplicates


class AgencyNotFound(QueryError):
    """No agency is called that."""


class AmbiguousAgency(QueryError):
    """Several agencies are called that; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[AgencyMatch]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class Comparison:
    """An agency's reports, cells by year (one column per report) and findings; one report per year, the
    others of a year (held more than once) listed apart as duplicates."""

    agency: AgencyMatch
    reports: pd.DataFrame  # report_id, year, label (the cells' column name), template, published, errors, ...
    cells: pd.DataFrame  # id, table, row, column, label, one column per report label, change, changed
    findings: pd.DataFrame  # label, year, report_id, scope, rule, severity, where, message, related_report_id
    duplicates: pd.DataFrame  # report_id, year, duplicate_of (the report compared instead), published, title


def resolve_agency(engine: Engine, agency: str) -> AgencyMatch:
    """The one agency meant by ``agency`` (id or name), or AgencyNotFound / AmbiguousAgency."""
    found = find_agencies(engine, agency)
    if not found:
        raise AgencyNotFound(f"数据库中没有名称含“{agency.strip()}”的机关（也可用 xxgk agencies 查看机关 id）")
    if len(found) > 1:
        raise AmbiguousAgency(f"“{agency.strip()}”对应{len(found)}个机关，请用机关 id 或更完整的名称", found)
    return found[0]


def _report_labels(years: list[int | None], ids: list[int]) -> list[str]:
    """A column name per report: its year, with the report id where one year has several reports."""
    return [f"{year}" if years.count(year) == 1 and year is not None else f"{year or '年度未识别'}#{report_id}"
            for year, report_id in zip(years, ids, strict=True)]


def compare(engine: Engine, agency: str | int) -> Comparison:
    """The agency's reports side by side, the one standing for each year (``standing.py``): every cell any of
    them has, by year, with the last change."""
    match = resolve_agency(engine, str(agency))
    r, c, f = schema.Report, schema.Cell, schema.Finding
    dup = duplicates()
    with engine.connect() as conn:
        stored = conn.execute(
            select(r.id, r.year, r.template, r.title, r.published, r.errors, r.warnings, r.infos, r.agency_name,
                   dup.c.duplicate_of).outerjoin(dup, dup.c.id == r.id)
            .where(r.agency_id == match.id).order_by(r.year, r.id)).all()
        reports = [row for row in stored if row.duplicate_of is None]
        ids = [row.id for row in reports]
        cells = conn.execute(select(c.report_id, c.table_id, c.row_id, c.column_id, c.value)
                             .where(c.report_id.in_(ids))).all() if ids else []
        findings = conn.execute(
            select(f.report_id, f.scope, f.rule, f.severity, f.location, f.message, f.related_report_id)
            .where(f.report_id.in_(ids)).order_by(f.report_id, f.id)).all() if ids else []
    labels = _report_labels([row.year for row in reports], ids)
    label_of = dict(zip(ids, labels, strict=True))
    report_frame = pd.DataFrame.from_records(
        [{"report_id": row.id, "year": row.year, "label": label_of[row.id], "template": row.template,
          "title": row.title, "published": row.published.isoformat() if row.published else None,
          "errors": row.errors, "warnings": row.warnings, "infos": row.infos, "agency_name": row.agency_name}
         for row in reports],
        columns=["report_id", "year", "label", "template", "title", "published", "errors", "warnings", "infos",
                 "agency_name"])
    values: dict[str, dict[str, float | None]] = {}
    for row in cells:
        values.setdefault(f"{row.table_id}.{row.row_id}.{row.column_id}", {})[label_of[row.report_id]] = row.value
    records = []
    for column in cell_columns():
        if column.id not in values:
            continue  # no report of this agency has this cell (the other format's rows)
        by_report = values[column.id]
        series = [by_report.get(label) for label in labels]
        records.append({"id": column.id, "table": column.table, "row": column.row, "column": column.column,
                        "label": column.label, **dict(zip(labels, series, strict=True)),
                        "change": _last_change(series), "changed": _changed(series)})
    cell_frame = pd.DataFrame.from_records(
        records, columns=["id", "table", "row", "column", "label", *labels, "change", "changed"])
    finding_frame = pd.DataFrame.from_records(
        [{"label": label_of[row.report_id], "year": next(x.year for x in reports if x.id == row.report_id),
          "report_id": row.report_id, "scope": row.scope, "rule": row.rule, "severity": row.severity,
          "where": row.location, "message": row.message, "related_report_id": row.related_report_id}
         for row in findings],
        columns=["label", "year", "report_id", "scope", "rule", "severity", "where", "message",
                 "related_report_id"])
    duplicate_frame = pd.DataFrame.from_records(
        [{"report_id": row.id, "year": row.year, "duplicate_of": row.duplicate_of,
          "published": row.published.isoformat() if row.published else None, "title": row.title}
         for row in stored if row.duplicate_of is not None],
        columns=["report_id", "year", "duplicate_of", "published", "title"])
    return Comparison(match, report_frame, cell_frame, finding_frame, duplicate_frame)


# Reports give amounts to at most a few decimals (万元 to the hundredth): more are floating-point noise.
CHANGE_DECIMALS = 6


def _last_change(series: list[float | None]) -> float | None:
    """The last report's value minus the one before (None unless both are numbers), without float noise
    (7545 − 7730.28 is −185.28, not −185.27999999999975)."""
    if len(series) < 2 or series[-1] is None or series[-2] is None:
        return None
    return round(series[-1] - series[-2], CHANGE_DECIMALS)


def _changed(series: list[float | None]) -> bool:
    """Whether any report's value differs from the one before it (a blank next to a number counts)."""
    return any(a != b for a, b in itertools.pairwise(series))
