"""The JSON API over the same functions as the pages, described by OpenAPI (``/openapi.json``, ``/docs``).

Reading the collection follows the collection's public/private setting; the register needs a
signed-in session, and its writes the session's CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse

from xxgk.read import ReadError
from xxgk.register import Application, Case, RegisterError
from xxgk.register.api import DUE_STATUS
from xxgk.register.privacy import shown
from xxgk.register.search import ApplicationQuery
from xxgk.store.compare import compare
from xxgk.store.query import QueryError, RegionLevel, list_reports
from xxgk.store.stats import rule_counts, stats_records
from xxgk.web.access import filters_from, require_reader
from xxgk.web.auth import REGISTER_ROLES, ROLES, check_csrf, refuse_cross_site, require_role
from xxgk.web.charts import clean
from xxgk.web.params import Days, OptionalDay, OptionalYear, RowId, Year
from xxgk.web.queries import missing_for_year
from xxgk.web.register_forms import form_changes
from xxgk.web.state import web_state
from xxgk.web.views.check import read_submission, status_of

router = APIRouter(prefix="/api", tags=["api"])
docs = APIRouter(include_in_schema=False)
ALL_ROLES = frozenset(ROLES)
Json = dict[str, Any]


def _records(frame: Any) -> list[Json]:
    return [{k: clean(v) for k, v in r.items()} for r in frame.to_dict("records")]


@router.post("/check", summary="检查一份报告（上传文件、网址或文字）")
def api_check(
    request: Request,
    file: Annotated[UploadFile | None, File(description="报告文件")] = None,
    url: Annotated[str, Form(description="报告网址")] = "",
    text: Annotated[str, Form(description="报告文字")] = "",
) -> Json:
    """The report as contract JSON (``xxgk.report/1``) with its findings.

    No sign-in and no token needed (call it from a script); a browser posting from another site is refused.
    """
    refuse_cross_site(request)
    try:
        checked = read_submission(request, file, url, text)
    except ReadError as err:
        raise HTTPException(status_of(err), str(err)) from err
    return checked.report.to_dict()


@router.get("/reports", summary="报告库中的报告（可筛选）")
def api_reports(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
                rule: str = "", agency: str = "") -> list[Json]:
    require_reader(request)
    filters = filters_from(year, region, level, errors, rule, agency)
    return _records(list_reports(web_state(request).store.engine, filters))


@router.get("/reports/{report_id}", summary="一份入库报告的 JSON")
def api_report(request: Request, report_id: RowId) -> Json:
    require_reader(request)
    report = web_state(request).store.get(report_id)
    if report is None:
        raise HTTPException(404, f"报告库中没有第 {report_id} 号报告")
    return report.to_dict()


@router.get("/stats", summary="按年度和地区汇总")
def api_stats(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
              rule: str = "", agency: str = "", by: RegionLevel = "province") -> list[Json]:
    require_reader(request)
    filters = filters_from(year, region, level, errors, rule, agency)
    try:
        return stats_records(web_state(request).store.engine, filters, by)
    except QueryError as err:
        raise HTTPException(400, str(err)) from err


@router.get("/rules", summary="各规则涉及的报告数")
def api_rules(request: Request, year: OptionalYear = None, region: str = "", level: str = "", errors: str = "",
              rule: str = "", agency: str = "") -> list[Json]:
    require_reader(request)
    filters = filters_from(year, region, level, errors, rule, agency)
    return _records(rule_counts(web_state(request).store.engine, filters))


@router.get("/missing", summary="某年度没有报告的机关（可按地区、级别、机关名称筛选）")
def api_missing(request: Request, year: Year, region: str = "", level: str = "", agency: str = "") -> list[Json]:
    require_reader(request)
    filters = filters_from(None, region, level, "", "", agency)
    return [{"id": m.id, "name": m.name, "level": m.level, "region": m.region, "years": list(m.years)}
            for m in missing_for_year(web_state(request).store.engine, year, filters)]


@router.get("/agencies/{agency_id}", summary="一个机关的历年报告与逐年变化")
def api_agency(request: Request, agency_id: RowId) -> Json:
    require_reader(request)
    try:
        c = compare(web_state(request).store.engine, agency_id)
    except QueryError as err:
        raise HTTPException(404, str(err)) from err
    return {"agency": {"id": c.agency.id, "name": c.agency.name}, "reports": _records(c.reports),
            "cells": _records(c.cells), "findings": _records(c.findings)}


def _text(description: str, alias: str | None = None) -> Any:
    return Query(description=description, alias=alias, max_length=100)


@router.get("/register/applications", summary="登记簿中的申请（个人信息已遮盖；默认不含已作废的）")
def api_applications(
    request: Request, year: OptionalYear = None, open_only: bool = False,
    status: Annotated[str, _text("办理状态：open 未办结、answered 已办结")] = "",
    reference: Annotated[str, _text("申请编号或回执编号（含所填文字即可）")] = "",
    name: Annotated[str, _text("申请人姓名或名称（按真实姓名查找，返回的仍遮盖）")] = "",
    words: Annotated[str, _text("申请内容中的词（以空格分隔，须都出现）", "request")] = "",
    channel: Annotated[str, _text("申请方式（id 或名称）")] = "",
    applicant_type: Annotated[str, _text("申请人类型（id 或名称）", "type")] = "",
    outcome: Annotated[str, _text("办理结果或其一类（id 或表三的行名）")] = "",
    received_from: Annotated[str, _text("收到日期起（YYYY-MM-DD）", "from")] = "",
    received_to: Annotated[str, _text("收到日期止（YYYY-MM-DD）", "to")] = "",
    voided: Annotated[str, _text("已作废的：exclude 不含（默认）、include 含、only 只看")] = "",
) -> list[Json]:
    require_role(request, ALL_ROLES)
    try:
        query = ApplicationQuery.parse(
            year=year, status="open" if open_only else status, reference=reference, applicant=name, words=words,
            channel=channel, applicant_type=applicant_type, outcome=outcome, received_from=received_from,
            received_to=received_to, voided=voided)
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err
    return [shown(a) for a in web_state(request).register.applications(query)]


@router.get("/register/due", summary="逾期和即将到期的申请")
def api_due(request: Request, today: OptionalDay = None, within: Days = 5) -> list[Json]:
    require_role(request, ALL_ROLES)
    items = web_state(request).register.due(today or date.today(), within)
    return [{"application": shown(i.application), "status": i.status, "status_name": DUE_STATUS[i.status],
             "date": i.date.isoformat() if i.date else None, "days_left": i.days_left, "problem": i.problem}
            for i in items]


async def _body(request: Request) -> dict[str, str]:
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError) as err:  # not JSON, not UTF-8, or nested beyond reason
        raise HTTPException(400, "请求内容不是有效的 JSON") from err
    if not isinstance(data, dict):
        raise HTTPException(400, "请求内容应为 JSON 对象")
    return {str(k): "" if v is None else str(v) for k, v in data.items()}


@router.post("/register/applications", summary="登记一件申请（与命令行相同的校验）", status_code=201)
async def api_add_application(request: Request) -> JSONResponse:
    check_csrf(request, None)
    require_role(request, REGISTER_ROLES)
    try:
        app = web_state(request).register.add(form_changes(Application, await _body(request), clear_blank=False))
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err
    return JSONResponse(shown(app), status_code=201)


@router.post("/register/cases", summary="登记一件复议或诉讼案件", status_code=201)
async def api_add_case(request: Request) -> JSONResponse:
    check_csrf(request, None)
    require_role(request, REGISTER_ROLES)
    try:
        case = web_state(request).register.add_case(form_changes(Case, await _body(request), clear_blank=False))
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err
    return JSONResponse(case.model_dump(mode="json"), status_code=201)


def _application_or_404(request: Request, app_id: int) -> Application:
    """The stored application, or a 404 saying there is none (as the application's page does)."""
    try:
        return web_state(request).register.get(app_id)
    except RegisterError as err:
        raise HTTPException(404, str(err)) from err


async def _reason(request: Request) -> str:
    """The ``reason`` of a JSON body; an empty body gives none (the register then says whether one is needed)."""
    if not (await request.body()).strip():
        return ""
    return (await _body(request)).get("reason", "")


def _reason_body(description: str, required: bool) -> dict[str, Any]:
    """The OpenAPI description of a ``{"reason": …}`` body (read by hand, so FastAPI does not know it)."""
    schema = {"type": "object", "properties": {"reason": {"type": "string", "description": description}}}
    return {"requestBody": {"required": required, "content": {"application/json": {
        "schema": {**schema, "required": ["reason"]} if required else schema}}}}


@router.post("/register/applications/{app_id}/void", summary="作废一件申请（须填写原因；与申请页面的“作废本申请”相同）",
             openapi_extra=_reason_body("作废原因（必填）", True), description=(
                 "作废该申请：记录不删除，不再计入年度报告、到期提醒和默认列表，记下作废原因、操作用户（“用户名（接口）”）和时间。"
                 "须以登记员或管理员登录，并在 X-CSRF-Token 头中带会话的 CSRF 令牌。内容：`{\"reason\": \"重复登记，同第11号\"}`。"
                 "未填原因、已作废、有关联的复议或诉讼案件、会使其他申请已发收费通知的金额变为 0 元时拒绝（400，说明与申请页面的按钮相同）；"
                 "没有该申请时 404。返回该申请（个人信息遮盖）和 `warnings`：作废不能撤回的事项（已送达的文书、已公布的年度报告等）。"))
async def api_void_application(request: Request, app_id: RowId) -> Json:
    """作废 the application: kept, left out of annual reports, reminders and the default list; the signed-in user and
    the time are recorded in its history.

    Body: ``{"reason": "重复登记，同第11号"}``. Refused (400, the same Chinese message as the page's button) without a
    reason, when already 作废, while a 复议 or 诉讼 case refers to it, or when another application's fee notice would
    drop to 0 元. Answers the application (personal data masked) and ``warnings``: what the 作废 does not undo.
    """
    check_csrf(request, None)
    user = require_role(request, REGISTER_ROLES)
    reason = await _reason(request)
    _application_or_404(request, app_id)
    try:
        done = web_state(request).register.void(app_id, reason, f"{user.name}（接口）")
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err
    return {"application": shown(done.application), "warnings": list(done.warnings)}


@router.post("/register/applications/{app_id}/restore", summary="恢复一件已作废的申请（撤销作废）",
             openapi_extra=_reason_body("恢复原因（可不填）", False), description=(
                 "撤销该申请的作废：重新计入各处，作废记录保留。角色和 CSRF 令牌同作废；内容 `{\"reason\": \"误作废\"}` 可省略。"
                 "未作废的拒绝（400，说明与申请页面的按钮相同）；没有该申请时 404。返回该申请（个人信息遮盖）。"))
async def api_restore_application(request: Request, app_id: RowId) -> Json:
    """Undo the application's 作废: it counts again everywhere (the 作废 stays in its history).

    Body: ``{"reason": "误作废"}`` (the reason may be left out). Refused (400, the same message as the page's button)
    when it is not 作废. Answers the application (personal data masked).
    """
    check_csrf(request, None)
    user = require_role(request, REGISTER_ROLES)
    reason = await _reason(request)
    _application_or_404(request, app_id)
    try:
        app = web_state(request).register.restore(app_id, f"{user.name}（接口）", reason)
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err
    return {"application": shown(app)}


@router.get("/register/report", summary="由登记簿生成年度报告（JSON）")
def api_build(request: Request, year: Year, agency: str, published: OptionalDay = None) -> Json:
    require_role(request, REGISTER_ROLES)
    try:
        return web_state(request).register.build(year, agency, "", published).to_dict()
    except RegisterError as err:
        raise HTTPException(400, str(err)) from err


@docs.get("/openapi-3.0.json")
def openapi_30(request: Request) -> JSONResponse:
    """The OpenAPI description in version 3.0, for the Swagger UI swagger-ui-bundle ships (4.x reads no 3.1)."""
    return JSONResponse(downgrade_openapi(request.app.openapi()))


def downgrade_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.1 description as 3.0 says it: ``anyOf`` with ``null`` as ``nullable``, ``examples`` as ``example``."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        choices = out.get("anyOf")
        if isinstance(choices, list) and {"type": "null"} in choices:
            rest = [c for c in choices if c != {"type": "null"}]
            del out["anyOf"]
            out.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
            out["nullable"] = True
        if isinstance(out.get("examples"), list) and "example" not in out and out["examples"]:
            out["example"] = out.pop("examples")[0]
        return out

    downgraded: dict[str, Any] = walk(schema)
    downgraded["openapi"] = "3.0.3"
    return downgraded


@docs.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI from local files (swagger-ui-bundle); a plain link to the description otherwise."""
    if not any(getattr(r, "name", "") == "swagger" for r in request.app.routes):
        return HTMLResponse('<!DOCTYPE html><meta charset="utf-8"><title>接口文档</title>'
                            '<p>未安装 swagger-ui-bundle；接口描述见 <a href="/openapi.json">/openapi.json</a></p>')
    return HTMLResponse(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>xxgk 接口文档</title>'
        '<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head><body>'
        '<p style="font-family:sans-serif;margin:1em"><a href="/">返回首页</a> · '
        '<a href="/openapi.json">openapi.json</a></p><div id="swagger-ui"></div>'
        '<script src="/static/swagger/swagger-ui-bundle.js"></script>'
        '<script src="/static/swagger-init.js"></script></body></html>')
