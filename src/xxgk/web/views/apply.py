"""The public's application form and status look-up (no sign-in): 条例第二十九条, 第三十一条第（三）项.

Fill in → check (the fields 第二十九条 requires, validated) → confirm → registered as received
online that day, with a receipt number → look up the status with the number. The confirmation
page carries the checked fields in a signed token (it cannot be altered between the two steps).
Each step is limited per address; every value shown is escaped; nothing personal is logged.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from xxgk.register import RegisterError
from xxgk.register.choices import applicant_types
from xxgk.register.deadlines import answer_deadline
from xxgk.register.errors import CalendarError
from xxgk.register.labels import choices_of, shown_value
from xxgk.register.public import PUBLIC_FIELDS, PublicApplication, check_public, public_status
from xxgk.web.auth import check_csrf
from xxgk.web.ratelimit import limit
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
TOKEN_SECONDS = 3600
_FIELDS = tuple(PublicApplication.model_fields)
_CHOICES = ("applicant_type", "applicant_id_type", "info_form", "delivery")


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(web_state(request).settings.secret_key, salt="xxgk-public-application")


def _form(request: Request, values: dict[str, str], status: int = 200, error: str | None = None) -> Response:
    office = web_state(request).register.office()
    choices = {f: choices_of(f) for f in _CHOICES}
    choices["applicant_type"] = tuple(c for c in choices["applicant_type"] if c[0] in applicant_types())
    return page(request, "apply.html", status=status, values=values, error=error, choices=choices,
                labels=PUBLIC_FIELDS, office=office)


@router.get("/apply")
def apply_form(request: Request) -> Response:
    """The application form."""
    return _form(request, {})


@router.post("/apply")
async def apply_check(request: Request) -> Response:
    """Check the form; show what will be submitted, to confirm."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(request, form.get("csrf_token"))
    state = web_state(request)
    limit(request, state.limits["preview"], "提交申请")
    values = {k: form.get(k, "")[:5000] for k in _FIELDS}
    try:
        submitted = check_public(values, state.register.office().require_id)
    except RegisterError as err:
        return _form(request, values, 400, str(err))
    data = submitted.model_dump()
    shown = [(PUBLIC_FIELDS[k], shown_value(k, v)) for k, v in data.items() if v]
    return page(request, "apply_confirm.html", shown=shown, token=_signer(request).dumps(data))


@router.post("/apply/confirm")
def apply_confirm(
    request: Request,
    token: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Register the confirmed application (received online today) and show its receipt number."""
    check_csrf(request, csrf_token)
    state = web_state(request)
    try:
        data: dict[str, Any] = _signer(request).loads(token, max_age=TOKEN_SECONDS)
    except BadSignature as err:
        raise HTTPException(400, "确认已过期或内容被改动，请重新填写申请") from err
    limit(request, state.limits["apply"], "提交申请")
    try:
        app = state.register.submit_public(data, state.settings.today())
    except RegisterError as err:
        return _form(request, {k: str(v or "") for k, v in data.items()}, 400, str(err))
    log.info("public application %d confirmed", app.id or 0)
    request.session["receipt"] = app.receipt_number
    return RedirectResponse("/apply/receipt", status_code=303)


@router.get("/apply/receipt")
def apply_receipt(request: Request) -> Response:
    """The receipt of the application just confirmed (this session's only)."""
    number = request.session.get("receipt")
    app = web_state(request).register.by_receipt(number) if isinstance(number, str) else None
    if app is None:
        raise HTTPException(404, "没有刚提交的申请；可凭回执编号查询办理状态")
    try:
        due = answer_deadline(app).due
    except CalendarError:
        due = None
    return page(request, "apply_receipt.html", number=app.receipt_number, received=app.received, due=due)


@router.get("/apply/status")
def status_form(request: Request) -> Response:
    """The status look-up form."""
    return page(request, "apply_status.html", number="", found=None, error=None)


@router.post("/apply/status")
def status(
    request: Request,
    number: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """An application's status by its receipt number."""
    check_csrf(request, csrf_token)
    state = web_state(request)
    limit(request, state.limits["status"], "查询")
    app = state.register.by_receipt(number[:100])
    if app is None:
        return page(request, "apply_status.html", status=404, number=number[:100], found=None,
                    error="没有找到该回执编号的申请，请核对后重新输入")
    return page(request, "apply_status.html", number=app.receipt_number, found=public_status(app), error=None)
