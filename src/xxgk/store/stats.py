"""``stats``: per year and region, what the reports add up to — SQL aggregates over the ``cells`` long table.

Each agency-year counts once: of the reports an agency has for one year, only the one standing for it
(``standing.py``) is counted; the others are ``duplicates``, counted as such and nothing else.
Figures (every one with the number of reports it rests on; a blank cell is never read as 0):

- ``received`` = Σ 表三 new_received.total (reports with that cell: ``received_n``);
- outcome mix: Σ category / Σ total_processed.total, over the reports whose total_processed and
  all six outcome categories (granted, partially_granted, denied.*, unable.*, rejected.*,
  other / other.* — the terms of the T3-PROCESSED-SUM relation) are filled in: ``outcomes_n``;
  of them ``outcomes_unbalanced`` are reports whose categories do not add up to their own （七）总计
  (T3-PROCESSED-SUM on the total column): counted as printed, they make the shares add up to more or
  less than 100%, which ``shares_note`` says;
- 公开率 ``disclosure_rate`` = Σ (granted + partially_granted) / Σ total_processed (column total),
  over the reports with those three cells: ``disclosure_n``;
- 纠错率 ``review_correction_rate`` = Σ corrected / Σ (total − pending) of 行政复议 (the share of
  concluded reviews whose decision was corrected), over the reports with those three cells;
  ``litigation_correction_rate`` the same over both 行政诉讼 groups together;
- ``late`` = agency-years published late, judged by their first publication against the deadline of the body's
  level (``grade.year_timeliness``, with the default profile's deadlines: the 条例's), as ``grade`` and ``monitor``
  judge them; out of ``dated``, the agency-years whose standing report has a publication date;
- ``top_rules``: the rules most reports fail (errors and warnings); a standing report's own TIME-LATE is left out
  when its agency-year was first published on time (a correction published again late), as ``late`` leaves it;
  ``rule_counts`` (the web's 最常见的问题 and ``/api/rules``) counts TIME-LATE as ``late`` does too;
- ``level_unknown``: asked for one level of body, the reports whose body's level is unknown (not told by its
  name), left out; a region with only such reports has a row of its own (0 reports), so none is dropped unsaid.

A ratio whose denominator is 0 (or has no report) is null, not 0. ``stats_records`` gives each ratio's sums too
(``SUMS``: ``disclosed`` / ``disclosed_den``, ``review_corrected`` / ``review_concluded``, ``litigation_corrected`` /
``litigation_concluded``, ``o_<category>`` / ``outcomes_den``), for "X of Y" and for the charts' hover text.

Regions: by city or county, the bodies whose region stops a level above ``by`` are a row of that division's
own level (``region_label``: 浙江省湖州市（市本级）, not the city's total); by city, the counties under no city
(a municipality's districts, a county its province governs directly) are a row apart from the province's own.

Speed: the web asks these questions on every page view, so each distinct question's statement
is built once (``_statement``, memoised by filters and level) and is cacheable, so that SQLAlchemy
compiles it once too; ``stats_records`` answers without pandas (``stats`` wraps it in a DataFrame).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, String, and_, case, exists, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from xxgk.db import roster_schema
from xxgk.db import store_schema as schema
from xxgk.store.grade import default_profile, year_timeliness
from xxgk.store.query import REGION_LEVELS, UNKNOWN_REGION, Filters, QueryError, RegionLevel, reports_query
from xxgk.store.roster import link_pending
from xxgk.store.standing import same_agency_year
from xxgk.templates import statutory

if TYPE_CHECKING:
    import pandas as pd

PROCESSED_RELATION = "T3-PROCESSED-SUM"
# The sums the ratios divide, given with them by ``stats_records`` (the outcome categories' ``o_…`` besides).
SUMS = ("disclosed", "disclosed_den", "review_corrected", "review_concluded", "litigation_corrected",
        "litigation_concluded", "outcomes_den")
RECEIVED_RELATION = "T3-BALANCE"
DISCLOSED = ("granted", "partially_granted")
REVIEW = "review"
TOP_RULES = 3
UNKNOWN_LEVEL = "unknown"
LATE_RULE = "TIME-LATE"
DIRECT = "direct"  # by city: the bodies under no city that sit in a county
# Shares adding up to 100% ± 0.05 percentage points are rounding; further off, reports' own arithmetic.
SHARES_TOLERANCE = 0.0005
_CELL_TOLERANCE = 1e-6  # cells hold whole numbers, summed as floats
# A row of bodies at a division's own level (its departments, not those of the divisions under it) is labelled so:
# 湖州市（市本级）, 浙江省（省本级）; by the kind of division its name ends with.
_OWN_LEVEL = (("自治区", "自治区本级"), ("自治州", "州本级"), ("地区", "地区本级"), ("省", "省本级"), ("市", "市本级"),
              ("州", "州本级"), ("盟", "盟本级"))

STATS_COLUMNS = ["year", "region", "region_code", "reports", "duplicates", "level_unknown", "errors", "received",
                 "received_n",
                 "outcomes_n", "outcomes_unbalanced", "disclosure_rate", "disclosure_n", "review_correction_rate", "review_n",
                 "litigation_correction_rate", "litigation_n", "late", "dated", "top_rules"]


@cache
def outcome_rows() -> dict[str, tuple[str, ...]]:
    """The outcome categories of 表三 (category → its row ids), read from the T3-PROCESSED-SUM relation."""
    relation = next(r for r in statutory().relations if r.id == PROCESSED_RELATION)
    table = statutory().table_by_id(relation.table)
    out: dict[str, list[str]] = {}
    for row_id in relation.expand(relation.rhs, [r.id for r in table.rows]):
        out.setdefault(row_id.split(".")[0], []).append(row_id)
    return {category: tuple(rows) for category, rows in out.items()}


@cache
def _ids() -> dict[str, str]:
    """The ids of 表三 and 表四 used here, read from the declaration (relations and tables)."""
    processed = next(r for r in statutory().relations if r.id == PROCESSED_RELATION)
    balance = next(r for r in statutory().relations if r.id == RECEIVED_RELATION)
    review = statutory().table_by_id("review_litigation")
    return {"requests": processed.table, "total_processed": processed.lhs[0], "new_received": balance.lhs[0],
            "review_litigation": review.id}


def wanted_cells() -> list[tuple[str, str, str, str]]:
    """(table, row, column, figure) for every cell a figure adds up, from the declaration."""
    ids = _ids()
    requests, litigation = ids["requests"], ids["review_litigation"]
    out = [(requests, ids["new_received"], "total", "received"), (requests, ids["total_processed"], "total", "processed")]
    out += [(requests, row, "total", f"o_{category}") for category, rows in outcome_rows().items() for row in rows]
    for group in statutory().table_by_id(litigation).rows:
        name = "review" if group.id == REVIEW else "litigation"
        out += [(litigation, group.id, column, f"{name}_{column}") for column in ("corrected", "total", "pending")]
    return out


_PLAIN = re.compile(r"^[A-Za-z0-9_.]+$")


def _constant(value: str) -> Any:
    """A declared id (``requests``, ``denied.1``) as an SQL string constant."""
    if not _PLAIN.match(value):
        raise ValueError(f"not a plain id: {value!r}")
    return literal_column(f"'{value}'", String)


def per_report_query(filters: Filters) -> Any:
    """One row per report with each figure's cells summed — null unless all of them are filled in.

    Two steps so that the big table is read once with one join: cells → (report, figure) sums
    and counts, then one row per report. The filters apply when this is joined to the reports.
    """
    c = schema.Cell
    cells = wanted_cells()
    # A UNION of constant rows rather than VALUES, which SQLAlchemy cannot cache the compiled form of.
    # The ids are the declaration's own (checked to be plain), written into the SQL: no parameters to bind.
    wanted = union_all(*(select(*(_constant(v).label(n) for v, n in zip(cell, ("t", "r", "c", "figure"),
                                                                        strict=True)))
                         for cell in cells)).cte("wanted")
    step = (select(c.report_id, wanted.c.figure, func.count().label("cells"), func.count(c.value).label("filled"),
                   func.sum(c.value).label("total"))
            .join(wanted, and_(c.table_id == wanted.c.t, c.row_id == wanted.c.r, c.column_id == wanted.c.c))
            .group_by(c.report_id, wanted.c.figure).subquery("per_figure"))
    figures = list(dict.fromkeys(figure for *_, figure in cells))
    complete = step.c.cells == step.c.filled
    return (select(step.c.report_id, *(func.max(case((and_(step.c.figure == f, complete), step.c.total))).label(f)
                                       for f in figures))
            .group_by(step.c.report_id).subquery("per_report"))


def _region(base: Any, by: RegionLevel) -> list[Any]:
    """What a row's region is grouped by: the names down to ``by``, the code at ``by`` and, by city, whether a body
    under no city sits in a county (a municipality's district, a county its province governs directly: ``DIRECT``),
    so that those are not counted with the province's own bodies."""
    out = [base.c[name] for name in _region_keys(by) if name != DIRECT]
    if by == "city":
        out.append(case((and_(base.c.city.is_(None), base.c.county.is_not(None)), 1), else_=0).label(DIRECT))
    return out


def stats(engine: Engine, filters: Filters | None = None, by: RegionLevel = "province") -> pd.DataFrame:
    """Per year and region (``by`` province, city or county): the figures of the module docstring."""
    import pandas as pd

    records = stats_records(engine, filters, by)
    frame = pd.DataFrame.from_records(records, columns=stats_columns())
    return frame.astype({"year": "Int64", "received": "Float64"})


def stats_columns() -> list[str]:
    """The columns of ``stats``: STATS_COLUMNS, then one ``share_…`` per outcome category."""
    return STATS_COLUMNS + [f"share_{c}" for c in outcome_rows()]


def stats_records(engine: Engine, filters: Filters | None = None, by: RegionLevel = "province") -> list[dict[str, Any]]:
    """``stats`` as plain records (no pandas), ordered by year (unknown last), then region (``_order``)."""
    if by not in REGION_LEVELS:
        raise QueryError(f"地区层级应为 {'、'.join(REGION_LEVELS)} 之一：{by}")
    filters = (filters or Filters()).validate()
    query, top_query, dates_query = _statements(filters, by)
    link_pending(engine)  # a body's level is its roster body's where the roster has it
    categories = [f"o_{c}" for c in outcome_rows()]
    with engine.connect() as conn:
        rows = [row._asdict() for row in conn.execute(query)]
        late, excused = _late(conn, dates_query, by)
        top = _top_rules(conn, top_query, excused)
        unknown = _level_unknown(conn, filters, by)
    found = {_key(row, by) for row in rows}
    # A region whose reports are all of unknown level still has its row, saying how many were left out.
    rows += [_empty_row(query, key, by) for key in unknown if key not in found]
    rows.sort(key=lambda row: _order(row, by))
    return [_record(row, by, categories, top, late, unknown) for row in rows]


def _order(row: dict[str, Any], by: RegionLevel) -> tuple[Any, ...]:
    """Rows by year (unknown last), then region: a division's own bodies before the divisions under it."""
    names = "".join(row.get(level) or "" for level in REGION_LEVELS[: REGION_LEVELS.index(by) + 1])
    return row["year"] is None, row["year"] or 0, names or UNKNOWN_REGION, bool(row.get(DIRECT))


def _region_keys(by: RegionLevel) -> list[str]:
    """The names of a row's region columns (``_region``)."""
    return [*REGION_LEVELS[: REGION_LEVELS.index(by) + 1], f"{by}_code", *([DIRECT] if by == "city" else [])]


def _key(row: Mapping[str, Any], by: RegionLevel) -> tuple[Any, ...]:
    """A row's year and region, as the statements group by them."""
    return tuple(row[name] for name in ("year", *_region_keys(by)))


def _empty_row(query: Any, key: tuple[Any, ...], by: RegionLevel) -> dict[str, Any]:
    """A row of ``query`` for a year and region it has no reports of: counts 0, sums null."""
    row: dict[str, Any] = {name: (0 if name in _COUNTS or name.endswith("_n") else None)
                           for name in (column.key for column in query.selected_columns)}
    return row | dict(zip(("year", *_region_keys(by)), key, strict=True))


_COUNTS = frozenset({"reports", "duplicates", "errors", "dated", "outcomes_unbalanced"})


def _level_unknown(conn: Any, filters: Filters, by: RegionLevel) -> dict[tuple[Any, ...], int]:
    """Asked for one level of body: per (year, region names…, code), the reports of unknown level it leaves out."""
    if filters.level in (None, UNKNOWN_LEVEL):
        return {}
    return {tuple(row[:-1]): int(row.n) for row in conn.execute(_level_unknown_query(filters, by))}


@lru_cache(maxsize=64)
def _level_unknown_query(filters: Filters, by: RegionLevel) -> Any:
    """Per (year, region names…, code): the reports standing for their agency-year whose body's level is unknown."""
    base = reports_query(replace(filters, level=UNKNOWN_LEVEL)).subquery("base")
    region = _region(base, by)
    return (select(base.c.year, *region, func.count().label("n")).where(base.c.duplicate_of.is_(None))
            .group_by(base.c.year, *region))


@lru_cache(maxsize=128)
def _statements(filters: Filters, by: RegionLevel) -> tuple[Any, Any, Any]:
    """The three statements of one question (the figures; the most failed rules; the publication dates), built
    once."""
    p = per_report_query(filters)
    categories = [f"o_{c}" for c in outcome_rows()]
    complete = and_(p.c.processed.is_not(None), *(p.c[c].is_not(None) for c in categories))
    disclosed = and_(p.c.processed.is_not(None), *(p.c[f"o_{c}"].is_not(None) for c in DISCLOSED))

    def where(condition: Any, value: Any) -> Any:
        return func.sum(case((condition, value)))

    def counted(condition: Any) -> Any:
        return func.count(case((condition, 1)))

    base = reports_query(filters).subquery("base")
    stands = base.c.duplicate_of.is_(None)  # a duplicate is counted only as such; its figures are not joined
    region = _region(base, by)
    aggregates: list[Any] = [
        counted(stands).label("reports"),
        counted(~stands).label("duplicates"),
        counted(and_(stands, base.c.errors > 0)).label("errors"),
        func.sum(p.c.received).label("received"),
        func.count(p.c.received).label("received_n"),
        counted(complete).label("outcomes_n"),
        counted(and_(complete, func.abs(sum(p.c[c] for c in categories) - p.c.processed) > _CELL_TOLERANCE))
        .label("outcomes_unbalanced"),
        where(complete, p.c.processed).label("outcomes_den"),
        *(where(complete, p.c[c]).label(c) for c in categories),
        where(disclosed, p.c[f"o_{DISCLOSED[0]}"] + p.c[f"o_{DISCLOSED[1]}"]).label("disclosed"),
        where(disclosed, p.c.processed).label("disclosed_den"),
        counted(disclosed).label("disclosure_n"),
    ]
    for name in ("review", "litigation"):
        judged = and_(*(p.c[f"{name}_{col}"].is_not(None) for col in ("corrected", "total", "pending")))
        aggregates += [where(judged, p.c[f"{name}_corrected"]).label(f"{name}_corrected"),
                       where(judged, p.c[f"{name}_total"] - p.c[f"{name}_pending"]).label(f"{name}_concluded"),
                       counted(judged).label(f"{name}_n")]
    aggregates += [counted(and_(stands, base.c.published.is_not(None))).label("dated")]
    query = (select(base.c.year, *region, *aggregates)
             .select_from(base.outerjoin(p, and_(p.c.report_id == base.c.report_id, stands)))
             .group_by(base.c.year, *region))
    return query, _top_rules_query(filters, by), _dates_query(filters, by)


def _dates_query(filters: Filters, by: RegionLevel) -> Any:
    """Per standing report: its year, region, level (its roster body's, else its agency's: as grading takes it),
    whether it has a TIME-LATE finding, its date and, a row each, the dates of its agency-year's other reports
    (which the filters need not match)."""
    t, b, f = roster_schema.RosterReport, roster_schema.RosterBody, schema.Finding
    base = reports_query(filters).subquery("base")
    other = aliased(schema.Report)
    region = _region(base, by)
    found_late = exists().where(f.report_id == base.c.report_id, f.rule == LATE_RULE)
    return (select(base.c.report_id, base.c.year, *region, func.coalesce(b.level, base.c.level).label("level"),
                   found_late.label("found_late"), base.c.published, other.published.label("also"))
            .select_from(base.outerjoin(other, same_agency_year(other, base.c.agency_id, base.c.year,
                                                                base.c.report_id))
                         .outerjoin(t, t.report_id == base.c.report_id).outerjoin(b, b.id == t.body_id))
            .where(base.c.duplicate_of.is_(None)))


Counts = dict[tuple[Any, ...], int]  # per (year, region names…, code)


def _late(conn: Any, query: Any, by: RegionLevel) -> tuple[Counts, Counts]:
    """The agency-years published late, by their first publication; and the standing reports with a TIME-LATE
    finding of their own whose agency-year was not (a correction published again late)."""
    years: dict[int, tuple[tuple[Any, ...], str | None, bool, list[Any]]] = {}
    for row in conn.execute(query):
        mapped = row._mapping
        *_, dates = years.setdefault(row.report_id, (_key(mapped, by), row.level, bool(row.found_late),
                                                     [row.published]))
        dates.append(row.also)
    profile = default_profile()
    late: Counts = {}
    excused: Counts = {}
    for key, level, found_late, dates in years.values():
        if year_timeliness(dates, key[0], level, profile)[0] == "late":
            late[key] = late.get(key, 0) + 1
        elif found_late:
            excused[key] = excused.get(key, 0) + 1
    return late, excused


def _late_row(rows: list[dict[str, Any]], late: int, severity: str) -> list[dict[str, Any]]:
    """``rule_counts``' rows with TIME-LATE's replaced by one of the ``late`` agency-years (at the gravest severity its
    findings had): one judgement per agency-year, by its first publication."""
    found = [row for row in rows if row["rule"] == LATE_RULE]
    out = [row for row in rows if row["rule"] != LATE_RULE]
    if late:
        if found:
            severity = "error" if any(row["severity"] == "error" for row in found) else found[0]["severity"]
        out.append({"rule": LATE_RULE, "severity": severity, "reports": late, "findings": late})
    return out


def _ratio(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or float(denominator) == 0:
        return None
    return float(numerator) / float(denominator)


def _record(row: dict[str, Any], by: RegionLevel, categories: list[str], top: dict[tuple[Any, ...], str],
            late: dict[tuple[Any, ...], int], unknown: dict[tuple[Any, ...], int]) -> dict[str, Any]:
    code = row.get(f"{by}_code")
    out = {
        "year": row["year"], "region": region_label(row, by), "region_code": code,
        "reports": row["reports"], "duplicates": row["duplicates"],
        "level_unknown": unknown.get(_key(row, by), 0), "errors": row["errors"],
        "received": None if row["received"] is None else float(row["received"]),
        "received_n": row["received_n"], "outcomes_n": row["outcomes_n"],
        "outcomes_unbalanced": row["outcomes_unbalanced"],
        "disclosure_rate": _ratio(row["disclosed"], row["disclosed_den"]), "disclosure_n": row["disclosure_n"],
        "review_correction_rate": _ratio(row["review_corrected"], row["review_concluded"]),
        "review_n": row["review_n"],
        "litigation_correction_rate": _ratio(row["litigation_corrected"], row["litigation_concluded"]),
        "litigation_n": row["litigation_n"], "late": late.get(_key(row, by), 0), "dated": row["dated"],
        "top_rules": top.get(_key(row, by), ""),
    }
    out.update({f"share_{c[2:]}": _ratio(row[c], row["outcomes_den"]) for c in categories})
    out.update({name: _number(row[name]) for name in (*SUMS, *categories)})
    return out


def shares_note(record: dict[str, Any]) -> str | None:
    """Why a row's outcome shares do not add up to 100% (± ``SHARES_TOLERANCE``), or None when they do."""
    shares = [_number(record.get(f"share_{c}")) for c in outcome_rows()]
    if any(share is None for share in shares):
        return None
    total = sum(share for share in shares if share is not None)
    if abs(total - 1) <= SHARES_TOLERANCE:
        return None
    table = statutory().table_by_id(_ids()["requests"])
    row = table.row_by_id(_ids()["total_processed"])
    label = row.label_for(max(row.templates))
    return (f"各类办理结果合计为 {total:.1%}，不是 100%：{record['outcomes_unbalanced']} 份报告表三各类结果之和与"
            f"“{label}”不符（{PROCESSED_RELATION}），按公式（各类之和 ÷ “{label}”之和）照所填数字计入")


def _number(value: Any) -> float | None:
    """A figure as a float, None when missing (None, NaN or pandas' NA)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def region_label(row: dict[str, Any], by: RegionLevel) -> str:
    """A row's region as people read it: ``浙江省湖州市德清县``; bodies that stop above ``by`` at their division's own
    level, ``浙江省湖州市（市本级）``; by city, the counties under no city, ``湖北省（直辖区县）``."""
    names = [row.get(level) for level in REGION_LEVELS[: REGION_LEVELS.index(by) + 1]]
    known = [n for n in names if n]
    if not known:
        return UNKNOWN_REGION
    if names[-1]:
        return "".join(known)
    if row.get(DIRECT):
        return f"{''.join(known)}（直辖区县）"
    own = next((label for ending, label in _OWN_LEVEL if known[-1].endswith(ending)), "本级")
    return f"{''.join(known)}（{own}）"


def _top_rules_query(filters: Filters, by: RegionLevel) -> Any:
    """Per (year, region names…, code, rule): how many reports have errors or warnings of that rule."""
    f = schema.Finding
    base = reports_query(filters).subquery("base")
    region = _region(base, by)
    reports = func.count(func.distinct(f.report_id)).label("n")
    return (select(base.c.year, *region, f.rule, reports)
            .join(f, f.report_id == base.c.report_id).where(or_(f.severity == "error", f.severity == "warning"),
                                                            base.c.duplicate_of.is_(None))
            .group_by(base.c.year, *region, f.rule))


def _top_rules(conn: Any, query: Any, excused: Counts) -> dict[tuple[Any, ...], str]:
    """Per (year, region names…, code): the most failed rules as ``T3-BALANCE×5、TIME-LATE×3``; the TIME-LATE of
    years first published on time (``excused``) not counted."""
    ranked: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    for row in conn.execute(query):
        key = tuple(row[:-2])
        n = int(row.n) - (excused.get(key, 0) if row.rule == LATE_RULE else 0)
        if n > 0:
            ranked.setdefault(key, []).append((n, row.rule))
    return {key: "、".join(f"{rule}×{n}" for n, rule in sorted(found, key=lambda x: (-x[0], x[1]))[:TOP_RULES])
            for key, found in ranked.items()}


def rule_counts(engine: Engine, filters: Filters | None = None) -> pd.DataFrame:
    """Every rule with findings on the matching reports (one per agency-year: duplicates left out): reports
    affected and findings, most frequent first.

    TIME-LATE counts the agency-years published late by their first publication (``grade.year_timeliness``), as
    ``late`` does: not a correction's own TIME-LATE when the year was first published on time."""
    from xxgk.check import RULES

    f = schema.Finding
    filters = filters or Filters()
    base = reports_query(filters).subquery("base")
    query = (select(f.rule, f.severity, func.count(func.distinct(f.report_id)).label("reports"),
                    func.count().label("findings"))
             .join(base, base.c.report_id == f.report_id).where(base.c.duplicate_of.is_(None))
             .group_by(f.rule, f.severity))
    with engine.connect() as conn:
        rows = [row._asdict() for row in conn.execute(query)]
        late, _ = _late(conn, _dates_query(filters, "province"), "province")
    rows = _late_row(rows, sum(late.values()), RULES[LATE_RULE].severity)
    for row in rows:
        known = RULES.get(row["rule"])
        row["title"] = known.title if known else None
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=["rule", "severity", "reports", "findings", "title"])
    return frame.sort_values(["reports", "findings", "rule"], ascending=[False, False, True]).reset_index(drop=True)
