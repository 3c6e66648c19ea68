"""A report's grade: each indicator, each deduction, and the finding behind it (a link to it in the report)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from xxgk.model import SEVERITY_NAMES
from xxgk.store.grade import STATUS_NAMES, FindingFact, default_profile
from xxgk.store.scores import score_reports
from xxgk.web.access import require_reader
from xxgk.web.params import RowId
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


def finding_link(report_id: int, finding: FindingFact) -> str:
    """Where a finding is shown: in its report (selected there), or in the other report a comparison names."""
    if finding.scope == "collection":
        return f"/reports/{report_id}/grade#finding-{finding.id}"
    return f"/reports/{report_id}#" + urlencode({"rule": finding.rule, "where": finding.where})


@router.get("/reports/{report_id}/grade")
def grade_page(request: Request, report_id: RowId) -> Response:
    """The score, band and rank of a stored report, and every deduction with its finding."""
    require_reader(request)
    profile = default_profile()
    scored = score_reports(web_state(request).store.engine, profile, report_ids=[report_id])
    if not scored:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告")
    first = scored[0]
    peers = (score_reports(web_state(request).store.engine, profile, year=first.year, region=first.region_code,
                           level=first.level) if first.region_code and first.level != "unknown" else scored)
    mine = next((s for s in peers if s.report_id == report_id), scored[0])
    group = [s for s in peers if (s.region_code, s.level) == (mine.region_code, mine.level)]
    return page(request, "grade.html", s=mine, group=len(group), profile=profile, statuses=STATUS_NAMES,
                severity_names=SEVERITY_NAMES, link=finding_link)
