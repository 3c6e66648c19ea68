"""The collection: reports with filters, their exports, findings across them, agencies missing a year, charts, and one
stored report."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from xxgk.check import RULES
from xxgk.model import SEVERITY_NAMES
from xxgk.render.spreadsheet import frame_to_csv
from xxgk.store.export import Format, export, findings_table
from xxgk.store.query import LEVELS, Filters, QueryError, list_reports
from xxgk.web.access import filters_from, page_filters, require_reader, rule_field
from xxgk.web.charts import clean, collection_charts
from xxgk.web.downloads import CSV_TYPE, XLSX_TYPE, attachment, download, report_json, report_xlsx
from xxgk.web.params import Offset, OptionalYear, RowId
from xxgk.web.queries import missing_for_year, stored_rules, stored_years
from xxgk.web.report_view import report_view
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 200
MISSING_SHOWN = 500  # the page lists this many agencies with no report; /api/missing gives them all
RULE_TITLES = {r.id: r.title for r in RULES.values()}


@router.get("/collection")
def collection(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
               rule: str = "", agency: str = "", offset: Offset = 0) -> Response:
    """Stored reports, filtered; and the agencies with no report for the chosen year (by the filters that apply)."""
    require_reader(request)
    engine = web_state(request).store.engine
    filters, wrong = page_filters(year, region, level, errors, rule, agency)
    rows = [{k: clean(v) for k, v in r.items()} for r in list_reports(engine, filters).to_dict("records")] \
        if filters is not None else []
    offset = max(offset, 0)
    years = stored_years(engine)
    missing_year = year or (years[0] if years else None)
    missing = missing_for_year(engine, missing_year, filters) if filters is not None and missing_year else []
    q = {"year": year, "region": region, "level": level, "errors": errors, "rule": rule_field(filters, rule),
         "agency": agency}
    return page(request, "collection.html", status=400 if wrong else 200, filter_error=wrong,
                rows=rows[offset:offset + PAGE_SIZE], total=len(rows), offset=offset, page_size=PAGE_SIZE,
                years=years, rules=stored_rules(engine), rule_titles=RULE_TITLES, levels=LEVELS,
                missing=missing[:MISSING_SHOWN], missing_total=len(missing), missing_year=missing_year,
                missing_api="/api/missing?" + urlencode(
                    {"year": missing_year, **{k: q[k] for k in ("region", "level", "agency") if q[k]}}),
                next_url=str(request.url.include_query_params(offset=offset + PAGE_SIZE)), q=q,
                filtered=urlencode({k: v for k, v in q.items() if v}))


@router.get("/collection/charts")
def charts(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
           rule: str = "", agency: str = "", by: str = "") -> Response:
    """Charts of the filtered collection (Plotly, served locally), grouped by province, city or county."""
    require_reader(request)
    engine = web_state(request).store.engine
    filters, wrong = page_filters(year, region, level, errors, rule, agency)
    grouping, figures = collection_charts(engine, filters, by) if filters is not None else (None, {})
    return page(request, "charts.html", status=400 if wrong else 200, filter_error=wrong, charts=figures,
                grouping=grouping, years=stored_years(engine), rules=stored_rules(engine), rule_titles=RULE_TITLES,
                levels=LEVELS,
                grouping_links={g: str(request.url.include_query_params(by=g)) for g in grouping.levels}
                if grouping is not None else {},
                q={"year": year, "region": region, "level": level, "errors": errors,
                   "rule": rule_field(filters, rule), "agency": agency})


@router.get("/collection/findings")
def findings(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
             rule: str = "", agency: str = "", severity: str = "", offset: Offset = 0) -> Response:
    """Findings across the stored reports: the list's filters (a rule picks its findings) and a severity; by agency."""
    require_reader(request)
    engine = web_state(request).store.engine
    filters, wrong = page_filters(year, region, level, errors, rule, agency)
    frame = _findings(request, filters, severity) if filters is not None else pd.DataFrame(
        columns=["report_id", "severity"])
    rows = [{**{k: clean(v) for k, v in r.items()}, "link": _finding_link(r)} for r in frame.to_dict("records")]
    q = {"year": year, "region": region, "level": level, "errors": errors, "rule": rule_field(filters, rule),
         "agency": agency, "severity": severity}
    return page(request, "findings.html", status=400 if wrong else 200, filter_error=wrong,
                rows=rows[offset:offset + PAGE_SIZE], total=len(rows), offset=offset,
                page_size=PAGE_SIZE, reports=int(frame["report_id"].nunique()),
                counts={s: int(n) for s, n in frame["severity"].value_counts().items()},
                years=stored_years(engine), rules=stored_rules(engine), levels=LEVELS, severities=SEVERITY_NAMES,
                rule_titles=RULE_TITLES, q=q,
                reports_query=urlencode({k: v for k, v in q.items() if v and k != "severity"}),
                filtered=urlencode({k: v for k, v in q.items() if v}),
                next_url=str(request.url.include_query_params(offset=offset + PAGE_SIZE)))


@router.get("/collection/findings.csv")
def findings_csv(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
                 rule: str = "", agency: str = "", severity: str = "") -> Response:
    """Exactly the findings the findings page lists for these filters, in its order, as ``xxgk export`` writes its
    findings CSV (UTF-8 with BOM; text that looks like a formula made safe)."""
    require_reader(request)
    frame = _findings(request, filters_from(year, region, level, errors, rule, agency), severity)
    body = io.BytesIO()
    frame_to_csv(frame, body, encoding="utf-8-sig")
    return download(body.getvalue(), CSV_TYPE, "报告库问题.csv", "findings.csv")


def _findings(request: Request, filters: Filters, severity: str) -> pd.DataFrame:
    """The findings the page lists: those of the filtered reports, of its rules and severity, by agency and year."""
    try:
        frame = findings_table(web_state(request).store.engine, filters, rule=filters.rule or None,
                               severity=severity or None)
    except QueryError as err:
        raise HTTPException(400, str(err)) from err
    return frame.sort_values(["agency", "year", "report_id"], kind="stable", na_position="last")


def _finding_link(row: Mapping[Hashable, Any]) -> str:
    """Where a finding is shown: selected in its report, or among the report's cross-report findings."""
    if row["scope"] == "collection":
        return f"/reports/{row['report_id']}#across"
    return f"/reports/{row['report_id']}#" + urlencode({"rule": row["rule"], "where": row["where"]})


@router.get("/collection/export.xlsx")
def export_xlsx(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
                rule: str = "", agency: str = "") -> Response:
    """The filtered reports as ``xxgk export -f xlsx`` writes them: a sheet of reports, a column per cell; one of findings."""
    require_reader(request)
    (body,) = exported(request, "xlsx", filters_from(year, region, level, errors, rule, agency))
    return download(body, XLSX_TYPE, "报告库导出.xlsx", "reports.xlsx")


@router.get("/collection/export.csv")
def export_csv(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
               rule: str = "", agency: str = "") -> Response:
    """The filtered reports as ``xxgk export -f csv`` writes them (UTF-8 with BOM, a column per cell)."""
    require_reader(request)
    body, _ = exported(request, "csv", filters_from(year, region, level, errors, rule, agency))
    return download(body, CSV_TYPE, "报告库导出.csv", "reports.csv")


@router.get("/collection/export-findings.csv")
def export_findings_csv(request: Request, year: OptionalYear = None, region: str = "", level: str = "",
                        errors: str = "", rule: str = "", agency: str = "") -> Response:
    """The filtered reports' findings: the second file ``xxgk export -f csv`` writes."""
    require_reader(request)
    _, body = exported(request, "csv", filters_from(year, region, level, errors, rule, agency))
    return download(body, CSV_TYPE, "报告库导出-问题.csv", "reports-findings.csv")


def exported(request: Request, fmt: Format, filters: Filters) -> list[bytes]:
    """The files ``xxgk export`` writes for these filters, by the same function (into a folder of their own)."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            written = export(web_state(request).store.engine, Path(folder) / f"reports.{fmt}", fmt, filters)
        except QueryError as err:
            raise HTTPException(400, str(err)) from err
        return [path.read_bytes() for path in written]


@router.get("/reports/{report_id}")
def stored_report(request: Request, report_id: RowId) -> Response:
    """A stored report drawn as the check page draws it."""
    require_reader(request)
    state = web_state(request)
    report = state.store.get(report_id)
    if report is None:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告")
    # The original text is not kept apart from the file: the tables, findings and quotes are shown, the file offered.
    across = state.store.findings(report_id=report_id, scope="collection")
    return page(request, "stored.html", view=report_view(report), report_id=report_id, across=across,
                severity_names=SEVERITY_NAMES,
                original=state.store.original(report_id) is not None, base=f"/reports/{report_id}")


@router.get("/reports/{report_id}/original")
def stored_original(request: Request, report_id: RowId) -> Response:
    """The file a stored report was read from, as a download (never shown in the browser: it came from outside)."""
    require_reader(request)
    found = web_state(request).store.original(report_id)
    if found is None:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告的原文件（文件超过保存上限或来自网址）")
    name, body = found
    return Response(body, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename=\"original{_ascii_suffix(name)}\"; filename*=UTF-8''{quote(name[:120])}",
        "X-Content-Type-Options": "nosniff"})


@router.get("/reports/{report_id}/report.json")
def stored_json(request: Request, report_id: RowId) -> Response:
    """A stored report as contract JSON."""
    require_reader(request)
    report = web_state(request).store.get(report_id)
    if report is None:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告")
    return attachment(report_json(report), "application/json", report, ".json")


@router.get("/reports/{report_id}/report.xlsx")
def stored_xlsx(request: Request, report_id: RowId) -> Response:
    """A stored report's cells and findings as a workbook."""
    require_reader(request)
    report = web_state(request).store.get(report_id)
    if report is None:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告")
    return attachment(report_xlsx(report), XLSX_TYPE, report, ".xlsx")


def _ascii_suffix(name: str) -> str:
    """The file name's extension where it is plain letters and digits (``.pdf``), for the header's ASCII name; else
    none (a header is Latin-1, and a quote would end the name)."""
    suffix = Path(name).suffix
    return suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""
