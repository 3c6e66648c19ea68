"""An agency: its reports over the years, what changed from year to year, and repeated text."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from xxgk.model import SEVERITY_NAMES, Report
from xxgk.store.compare import compare
from xxgk.store.query import QueryError
from xxgk.web.access import require_reader
from xxgk.web.charts import clean
from xxgk.web.params import RowId
from xxgk.web.repetition import repetition
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


@router.get("/agencies/{agency_id}")
def agency_page(request: Request, agency_id: RowId) -> Response:
    """Reports by year, year-over-year changes of every cell, findings, repetition ratio."""
    require_reader(request)
    store = web_state(request).store
    try:
        comparison = compare(store.engine, agency_id)
    except QueryError as err:
        raise HTTPException(404, str(err)) from err
    reports = [{k: clean(v) for k, v in r.items()} for r in comparison.reports.to_dict("records")]
    labels = [r["label"] for r in reports]
    changed = [{k: clean(v) for k, v in r.items()} for r in comparison.cells.to_dict("records") if r["changed"]]
    findings = [{k: clean(v) for k, v in r.items()} for r in comparison.findings.to_dict("records")]
    loaded: list[Report] = [r for r in (store.get(int(row["report_id"])) for row in reports) if r is not None]
    return page(request, "agency.html", agency=comparison.agency, reports=reports, labels=labels, changed=changed,
                findings=findings, repeated=repetition(loaded), severity_names=SEVERITY_NAMES)
