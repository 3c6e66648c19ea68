"""An agency: its reports over the years, what changed from year to year, and repeated text; merging another
spelling of it into it (reviewers and administrators)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from xxgk.db.engine import StoreError
from xxgk.model import SEVERITY_NAMES, Report
from xxgk.names import LEVEL_NAMES
from xxgk.store.compare import AmbiguousAgency, compare, resolve_agency
from xxgk.store.query import QueryError
from xxgk.web.access import require_reader
from xxgk.web.auth import COLLECTION_ROLES, check_csrf, current_user, require_role
from xxgk.web.charts import clean
from xxgk.web.params import FormId, RowId
from xxgk.web.queries import StoredAgency, merge_candidates, stored_agency
from xxgk.web.repetition import repetition
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
MERGED_KEY = "merged_agency"


@router.get("/agencies/{agency_id}")
def agency_page(request: Request, agency_id: RowId) -> Response:
    """Reports by year, year-over-year changes of every cell, findings, repetition ratio; for reviewers, the other
    agencies that may be the same body, to merge."""
    require_reader(request)
    store = web_state(request).store
    try:
        comparison = compare(store.engine, agency_id)
    except QueryError as err:
        raise HTTPException(404, str(err)) from err
    rows = [{k: clean(v) for k, v in r.items()} for r in comparison.reports.to_dict("records")]
    labels = [r["label"] for r in rows]
    changed = [{k: clean(v) for k, v in r.items()} for r in comparison.cells.to_dict("records") if r["changed"]]
    findings = [{k: clean(v) for k, v in r.items()} for r in comparison.findings.to_dict("records")]
    loaded: list[Report] = [r for r in (store.get(int(row["report_id"])) for row in rows) if r is not None]
    user = current_user(request)
    may_merge = user is not None and user.role in COLLECTION_ROLES
    return page(request, "agency.html", agency=comparison.agency, reports=rows, labels=labels, changed=changed,
                findings=findings, repeated=repetition(loaded), severity_names=SEVERITY_NAMES, may_merge=may_merge,
                candidates=merge_candidates(store.engine, agency_id) if may_merge else [],
                stored=stored_agency(store.engine, agency_id), levels=LEVEL_NAMES,
                merged=_merged_note(request, agency_id))


def _merged_note(request: Request, agency_id: int) -> dict[str, Any] | None:
    """What the merge just done into this agency moved, said once (kept in the session, not in the address: a
    link cannot make the page claim a merge)."""
    note = request.session.get(MERGED_KEY)
    if not isinstance(note, dict) or note.get("into") != agency_id:
        return None
    del request.session[MERGED_KEY]
    return note


def _agency_or_404(request: Request, agency_id: int) -> StoredAgency:
    found = stored_agency(web_state(request).store.engine, agency_id)
    if found is None:
        raise HTTPException(404, f"数据库中没有 id 为 {agency_id} 的机关")
    return found


def _merge_page(request: Request, keep: StoredAgency, other: StoredAgency | None, given: str, status: int = 200,
                error: str | None = None, choices: list[StoredAgency] | None = None) -> Response:
    """The confirmation page: what merging ``other`` into ``keep`` moves; or why it cannot be named yet."""
    shared = sorted({y for y in other.years if y is not None} & {y for y in keep.years if y is not None}) \
        if other is not None else []
    return page(request, "agency_merge.html", status=status, keep=keep, other=other, given=given, error=error,
                choices=choices or [], shared_years=shared, levels=LEVEL_NAMES)


@router.get("/agencies/{agency_id}/merge")
def merge_confirm(request: Request, agency_id: RowId, other: str = "") -> Response:
    """Name another agency (id or any spelling) to merge into this one; the page says what will move and asks to
    confirm (nothing changes before the POST)."""
    require_role(request, COLLECTION_ROLES)
    keep = _agency_or_404(request, agency_id)
    engine = web_state(request).store.engine
    if not other.strip():
        return _merge_page(request, keep, None, other, 400, "请填写要并入本机关的机关（id 或名称的任一写法）")
    try:
        match = resolve_agency(engine, other)
    except AmbiguousAgency as err:
        choices = [a for a in (stored_agency(engine, c.id) for c in err.candidates if c.id != keep.id) if a]
        return _merge_page(request, keep, None, other, 400, str(err), choices)
    except QueryError as err:
        return _merge_page(request, keep, None, other, 400, str(err))
    if match.id == keep.id:
        return _merge_page(request, keep, None, other, 400, f"“{other.strip()}”就是本机关，不能并入自身")
    return _merge_page(request, keep, stored_agency(engine, match.id), other)


@router.post("/agencies/{agency_id}/merge")
def merge(request: Request, agency_id: RowId, other_id: FormId,
          csrf_token: Annotated[str, Form()] = "") -> Response:
    """Merge agency ``other_id`` into this one, as ``xxgk agencies --merge`` does: its reports and spellings move,
    it is removed, and the collection findings are computed again."""
    check_csrf(request, csrf_token)
    require_role(request, COLLECTION_ROLES)
    keep = _agency_or_404(request, agency_id)
    other = stored_agency(web_state(request).store.engine, other_id)
    if other is None:
        return _merge_page(request, keep, None, str(other_id), 400,
                           f"数据库中没有 id 为 {other_id} 的机关（可能已被合并）")
    if other.id == keep.id:
        return _merge_page(request, keep, None, str(other_id), 400, "要合并的是同一个机关")
    try:
        done = web_state(request).store.merge_agencies(str(keep.id), str(other.id))
    except (QueryError, StoreError) as err:
        return _merge_page(request, keep, other, str(other_id), 400, str(err))
    request.session[MERGED_KEY] = {"into": agency_id, "name": done.merged, "id": done.merged_id,
                                   "reports": done.reports, "names": done.names}
    return RedirectResponse(f"/agencies/{agency_id}#merged", status_code=303)
