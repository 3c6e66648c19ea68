"""The register (signed in): due list, applications and cases with their forms, the report builder."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from xxgk.db.limits import FIRST_YEAR, LAST_YEAR
from xxgk.register import Application, Case, RegisterError
from xxgk.register.api import DUE_STATUS, VoidEvent, void_warnings
from xxgk.register.calendar import covered_years
from xxgk.register.deadlines import answer_deadline
from xxgk.register.errors import CalendarError
from xxgk.register.importer import parse_date
from xxgk.register.labels import choices_of
from xxgk.register.letters import LetterKind, kind_by_id, kinds_for
from xxgk.register.model import china_time, future_warning
from xxgk.register.privacy import shown
from xxgk.register.public import china_today
from xxgk.register.search import STATUSES, VOIDED, ApplicationPage, ApplicationQuery, outcome_filter_choices
from xxgk.render.docx import ReportTemplateError, report_to_docx
from xxgk.render.html import report_to_html
from xxgk.render.letter import LetterError
from xxgk.web.access import kept_report
from xxgk.web.auth import REGISTER_ROLES, ROLES, check_csrf, require_role
from xxgk.web.cache import Checked
from xxgk.web.downloads import DOCX_TYPE, attachment
from xxgk.web.params import Offset, RowId
from xxgk.web.register_forms import form_changes, form_fields, form_values
from xxgk.web.report_view import report_view
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
ALL_ROLES = frozenset(ROLES)
DUE_WITHIN = 5
PAGE_SIZE = 50


def _labels(name: str) -> dict[str, str]:
    return dict(choices_of(name))


def due_date(app: Application) -> date | None:
    """The application's answer deadline (None while waiting on the applicant, or beyond the calendar)."""
    try:
        return answer_deadline(app).due
    except CalendarError:
        return None


@router.get("/register")
def register_home(request: Request, offset: Offset = 0) -> Response:
    """Open applications needing attention (overdue first), then the applications found (a page), and every case."""
    user = require_role(request, ALL_ROLES)
    register = web_state(request).register
    today = date.today()
    due = register.due(today, DUE_WITHIN)
    error = None
    try:
        query = ApplicationQuery.from_params(request.query_params)
        found = register.search(query, offset, PAGE_SIZE, open_first=True)
    except RegisterError as err:  # a search typed wrong: said above an empty list, the rest of the page as usual
        query, found, error = ApplicationQuery(), ApplicationPage([], 0, 0), str(err)
    rows = [{**shown(a), "due": due_date(a) if a.answered is None and not a.voided else None}
            for a in found.applications]
    return page(request, "register.html", status=400 if error else 200, due=due, statuses=DUE_STATUS, rows=rows,
                found=found, query=query, search=_search_form(request), search_error=error, pages=_pages(query, found),
                cases=register.cases(), today=today, channels=_labels("channel"), types=_labels("applicant_type"),
                outcomes=_labels("outcome"), kinds=_labels("kind"), results=_labels("result"),
                can_edit=user.role in REGISTER_ROLES, is_admin=user.role == "admin", schedules=register.holiday_schedules(),
                package_years=covered_years())


def _search_form(request: Request) -> dict[str, Any]:
    """The search form: what was typed (shown back as typed) and the choices of its lists."""
    return {"values": dict(request.query_params), "channels": choices_of("channel"),
            "types": choices_of("applicant_type"), "outcomes": outcome_filter_choices(), "statuses": STATUSES,
            "voided": VOIDED}


def _pages(query: ApplicationQuery, found: ApplicationPage) -> dict[str, str | None]:
    """The links to the previous and next page and to the 作废 ones left out, the search kept."""
    def link(**changes: Any) -> str:
        params = {**query.as_params(), **changes}
        return "/register?" + urlencode({k: v for k, v in params.items() if v not in (None, "", 0)}) + "#applications"

    before = found.offset - PAGE_SIZE
    return {"previous": link(offset=max(before, 0)) if found.offset > 0 else None,
            "next": link(offset=found.offset + PAGE_SIZE) if found.offset + PAGE_SIZE < found.total else None,
            "with_voided": link(voided="include") if found.voided_left_out else None}


def _form(request: Request, model: type[Application] | type[Case], values: dict[str, str], action: str,
          title: str, status: int = 200, error: str | None = None, explain: str | None = None,
          letters: list[tuple[LetterKind, str]] | None = None, record: Application | Case | None = None,
          history: list[VoidEvent] | None = None, notes: tuple[str, ...] = ()) -> Response:
    warning = future_warning(record, china_today()) if record is not None else None
    application = record if isinstance(record, Application) else None
    return page(request, "record_form.html", status=status, fields=form_fields(model), values=values,
                action=action, title=title, error=error, explain=explain, letters=letters or [], warning=warning,
                application=application, history=history or [], notes=notes,
                voided_at=china_time(application.voided_at) if application and application.voided_at else None)


def _submitted(form: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.get("/register/applications/new")
def new_application(request: Request) -> Response:
    """The form for a new application."""
    require_role(request, REGISTER_ROLES)
    return _form(request, Application, {"received": date.today().isoformat()}, "/register/applications", "登记申请")


@router.post("/register/applications")
async def add_application(request: Request) -> Response:
    """Register an application (validated as the CLI validates)."""
    form = _submitted(dict(await request.form()))
    check_csrf(request, form.get("csrf_token"))
    require_role(request, REGISTER_ROLES)
    try:
        app = web_state(request).register.add(form_changes(Application, form, clear_blank=False))
    except RegisterError as err:
        return _form(request, Application, form, "/register/applications", "登记申请", 400, str(err))
    return RedirectResponse(f"/register/applications/{app.id}?saved=1", status_code=303)


@router.get("/register/applications/{app_id}")
def show_application(request: Request, app_id: RowId) -> Response:
    """An application's form with its deadline worked out step by step (a 作废 one: read only, with its history)."""
    require_role(request, REGISTER_ROLES)
    return _application_page(request, app_id)


def _application_page(request: Request, app_id: int, status: int = 200, error: str | None = None) -> Response:
    """The page of a stored application (a 404 when there is none); a 作废 one says what its 作废 did not undo."""
    register = web_state(request).register
    try:
        app = register.get(app_id)
    except RegisterError as err:
        raise HTTPException(404, str(err)) from err
    return _form(request, Application, form_values(app), f"/register/applications/{app_id}",
                 f"第 {app_id} 号申请", status, error, explain=None if app.voided else _explain(app),
                 letters=[] if app.voided else [(k, k.basis(app)) for k in kinds_for(app)], record=app,
                 history=register.void_history(app_id), notes=void_warnings(app, china_today()) if app.voided else ())


@router.post("/register/applications/{app_id}/void")
def void_application(request: Request, app_id: RowId, reason: Annotated[str, Form()] = "",
                     csrf_token: Annotated[str, Form()] = "") -> Response:
    """作废 an application (with its reason; the signed-in user and the time recorded)."""
    check_csrf(request, csrf_token)
    user = require_role(request, REGISTER_ROLES)
    try:
        web_state(request).register.void(app_id, reason, f"{user.name}（网页）")
    except RegisterError as err:
        return _application_page(request, app_id, 400, str(err))
    return RedirectResponse(f"/register/applications/{app_id}?voided=1", status_code=303)


@router.post("/register/applications/{app_id}/restore")
def restore_application(request: Request, app_id: RowId, reason: Annotated[str, Form()] = "",
                        csrf_token: Annotated[str, Form()] = "") -> Response:
    """Undo an application's 作废."""
    check_csrf(request, csrf_token)
    user = require_role(request, REGISTER_ROLES)
    try:
        web_state(request).register.restore(app_id, f"{user.name}（网页）", reason)
    except RegisterError as err:
        return _application_page(request, app_id, 400, str(err))
    return RedirectResponse(f"/register/applications/{app_id}?restored=1", status_code=303)


@router.get("/register/applications/{app_id}/letters/{kind}.{fmt}")
def download_letter(request: Request, app_id: RowId, kind: str, fmt: str) -> Response:
    """One of the application's letters (告知书) as Word or PDF."""
    require_role(request, REGISTER_ROLES)
    if fmt not in ("docx", "pdf"):
        raise HTTPException(404, "文书格式应为 docx 或 pdf")
    register = web_state(request).register
    try:
        app = register.get(app_id)
        letter = register.letter(app_id, kind_by_id(kind).id, "pdf" if fmt == "pdf" else "docx")
    except RegisterError as err:
        # A template naming a placeholder it lacks (没有“applicnat”) is the office's to fix, not a missing page.
        missing = "没有" in str(err) and not isinstance(err.__cause__, LetterError)
        raise HTTPException(404 if missing else 400, str(err)) from err
    disposition = f"attachment; filename=\"letter-{app.id}.{fmt}\"; filename*=UTF-8''{quote(letter.filename)}"
    return Response(letter.content, media_type=letter.media_type, headers={"Content-Disposition": disposition})


def _is_voided(request: Request, app_id: int) -> bool:
    """Whether the application is stored and 作废."""
    try:
        return web_state(request).register.get(app_id).voided
    except RegisterError:
        return False


def _explain(app: Application) -> str:
    try:
        return answer_deadline(app).explain()
    except CalendarError as err:
        return str(err)


@router.post("/register/applications/{app_id}")
async def edit_application(request: Request, app_id: RowId) -> Response:
    """Change an application (blank fields are cleared)."""
    form = _submitted(dict(await request.form()))
    check_csrf(request, form.get("csrf_token"))
    require_role(request, REGISTER_ROLES)
    try:
        web_state(request).register.edit(app_id, form_changes(Application, form, clear_blank=True))
    except RegisterError as err:
        if _is_voided(request, app_id):  # its stored page, read only, not the form as sent
            return _application_page(request, app_id, 400, str(err))
        return _form(request, Application, form, f"/register/applications/{app_id}", f"第 {app_id} 号申请", 400,
                     str(err))
    return RedirectResponse(f"/register/applications/{app_id}?saved=1", status_code=303)


@router.get("/register/cases/new")
def new_case(request: Request) -> Response:
    """The form for a new review or lawsuit."""
    require_role(request, REGISTER_ROLES)
    return _form(request, Case, {}, "/register/cases", "登记复议或诉讼案件")


@router.post("/register/cases")
async def add_case(request: Request) -> Response:
    """Register a review or lawsuit."""
    form = _submitted(dict(await request.form()))
    check_csrf(request, form.get("csrf_token"))
    require_role(request, REGISTER_ROLES)
    try:
        case = web_state(request).register.add_case(form_changes(Case, form, clear_blank=False))
    except RegisterError as err:
        return _form(request, Case, form, "/register/cases", "登记复议或诉讼案件", 400, str(err))
    return RedirectResponse(f"/register/cases/{case.id}?saved=1", status_code=303)


@router.get("/register/cases/{case_id}")
def show_case(request: Request, case_id: RowId) -> Response:
    """A case's form."""
    require_role(request, REGISTER_ROLES)
    found = [c for c in web_state(request).register.cases() if c.id == case_id]
    if not found:
        raise HTTPException(404, f"没有第{case_id}号案件")
    return _form(request, Case, form_values(found[0]), f"/register/cases/{case_id}", f"第 {case_id} 号案件",
                 record=found[0])


@router.post("/register/cases/{case_id}")
async def edit_case(request: Request, case_id: RowId) -> Response:
    """Change a case (blank fields are cleared)."""
    form = _submitted(dict(await request.form()))
    check_csrf(request, form.get("csrf_token"))
    require_role(request, REGISTER_ROLES)
    try:
        web_state(request).register.edit_case(case_id, form_changes(Case, form, clear_blank=True))
    except RegisterError as err:
        return _form(request, Case, form, f"/register/cases/{case_id}", f"第 {case_id} 号案件", 400, str(err))
    return RedirectResponse(f"/register/cases/{case_id}?saved=1", status_code=303)


@router.get("/register/report")
def report_form(request: Request) -> Response:
    """The annual report builder's form."""
    require_role(request, REGISTER_ROLES)
    return page(request, "build.html", year=date.today().year - 1, agency="", prose="", published="")


@router.post("/register/report")
def build(
    request: Request,
    year: Annotated[str, Form()] = "",
    agency: Annotated[str, Form()] = "",
    prose: Annotated[str, Form()] = "",
    published: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Build the report from the register and show its preview."""
    check_csrf(request, csrf_token)
    require_role(request, REGISTER_ROLES)
    state = web_state(request)
    try:
        if not year.strip().isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            raise RegisterError(f"年度应为 {FIRST_YEAR}–{LAST_YEAR} 之间的四位数字")
        day = parse_date(published) if published.strip() else None
        report = state.register.build(int(year), agency, prose, day)
    except (RegisterError, ValueError) as err:
        return page(request, "build.html", status=400, error=str(err), year=year, agency=agency, prose=prose,
                    published=published)
    token = state.cache.put(Checked(report, "", report.source.name, None, readers=REGISTER_ROLES))
    return RedirectResponse(f"/register/report/{token}", status_code=303)


def _built(request: Request, token: str) -> Checked:
    return kept_report(request, token, "报告预览已过期，请重新生成")


@router.get("/register/report/{token}")
def preview(request: Request, token: str) -> Response:
    """The built report as it will be published, with its check results and downloads."""
    built = _built(request, token)
    return page(request, "built.html", view=report_view(built.report), base=f"/register/report/{token}")


@router.get("/register/report/{token}/report.docx")
def download_docx(request: Request, token: str) -> Response:
    """The built report as Word, through the office's own template (report.docx in its templates folder) if it has one."""
    report = _built(request, token).report
    try:
        data = report_to_docx(report, web_state(request).register.office().report_template())
    except ReportTemplateError as err:
        raise HTTPException(400, str(err)) from err
    return attachment(data, DOCX_TYPE, report, ".docx")


@router.get("/register/report/{token}/report.html")
def download_html(request: Request, token: str) -> Response:
    """The built report as one web page."""
    report = _built(request, token).report
    return attachment(report_to_html(report).encode("utf-8"), "text/html; charset=utf-8", report, ".html")
