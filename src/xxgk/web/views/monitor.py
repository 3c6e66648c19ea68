"""The monitor: every roster body's report for a year (published, on time, errors, grade), by region tree."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from xxgk.store import StoreError
from xxgk.store.grade import STATUS_NAMES
from xxgk.store.monitor import STATUS_ORDER, Monitor, export_monitor, monitor
from xxgk.store.roster_file import LEVELS
from xxgk.web.access import require_reader
from xxgk.web.downloads import XLSX_TYPE
from xxgk.web.params import OptionalYear
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


def _default_year() -> int:
    """The year whose reports are due this spring (before April: last year's; after it too)."""
    return date.today().year - 1


def _monitor(request: Request, year: int | None, region: str, level: str, status: str) -> Monitor:
    require_reader(request)
    if level and level not in LEVELS:
        raise HTTPException(400, f"级别应为 {'、'.join(LEVELS)} 之一")
    if status and status not in STATUS_NAMES:
        raise HTTPException(400, f"状态应为 {'、'.join(STATUS_NAMES)} 之一")
    try:
        return monitor(web_state(request).store.engine, year or _default_year(), region=region.strip() or None,
                       level=level or None, status=status or None)
    except StoreError as err:
        raise HTTPException(400, str(err)) from err


@router.get("/monitor")
def monitor_page(request: Request, year: OptionalYear = None, region: str = "", level: str = "",
                 status: str = "") -> Response:
    """Bodies with no report past their deadline first; counts rolled up the region tree."""
    result = _monitor(request, year, region, level, status)
    return page(request, "monitor.html", result=result, statuses=STATUS_NAMES, order=STATUS_ORDER, levels=LEVELS,
                q={"year": result.year, "region": region, "level": level, "status": status},
                query=str(request.url.query))


@router.get("/monitor.xlsx")
def monitor_xlsx(request: Request, year: OptionalYear = None, region: str = "", level: str = "",
                 status: str = "") -> Response:
    """The monitor as a workbook."""
    result = _monitor(request, year, region, level, status)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "monitor.xlsx"
        export_monitor(result, path)
        body = path.read_bytes()
    name = f"monitor-{result.year}.xlsx"
    return Response(body, media_type=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})
