"""The office's settings in the register (administrators): its particulars and the holiday schedules it imported.

What ``xxgk register office`` and ``xxgk register holidays …`` do, in a browser. The folder of
letter templates is a path on the server, so it is shown here but set only from the server's CLI.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from xxgk.register import RegisterError
from xxgk.register.calendar import covered_years
from xxgk.register.holidays import template
from xxgk.register.office import OFFICE_FIELDS
from xxgk.web.auth import check_csrf, require_role
from xxgk.web.params import PathYear, Year
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
ADMIN = frozenset({"admin"})
# Settings the page edits: the templates folder names a path on the server (CLI only).
EDITABLE = tuple(k for k in OFFICE_FIELDS if k != "templates")
# A schedule file is a few hundred bytes; anything much larger is not one.
MAX_SCHEDULE = 64 * 1024


def _page(request: Request, *, values: dict[str, str] | None = None, error: str | None = None,
          holiday_error: str | None = None, holiday_text: str = "", notice: str = "", status: int = 200) -> Response:
    register = web_state(request).register
    office = register.office()
    stored = {k: ("是" if office.require_id else "否") if k == "require_id" else (getattr(office, k) or "")
              for k in OFFICE_FIELDS}
    return page(request, "office.html", status=status, fields=OFFICE_FIELDS, editable=EDITABLE,
                values=values if values is not None else stored, templates_folder=office.templates,
                schedules=register.holiday_schedules(), package_years=covered_years(), error=error,
                holiday_error=holiday_error, holiday_text=holiday_text, notice=notice,
                next_year=date.today().year + 1)


async def _form(request: Request) -> dict[str, Any]:
    """The posted form, once its CSRF token and the user's role are checked."""
    form = dict(await request.form())
    token = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    require_role(request, ADMIN)
    return form


@router.get("/register/office")
def office_page(request: Request, notice: str = "") -> Response:
    """The office's particulars (letters' signature, 复议机关, 人民法院, the public form) and its calendar."""
    require_role(request, ADMIN)
    return _page(request, notice=notice[:200])


@router.post("/register/office")
async def save_office(request: Request) -> Response:
    """Save the particulars (a blank field clears it), validated as the CLI validates them."""
    form = await _form(request)
    values = {k: form[k].strip() if isinstance(form.get(k), str) else "" for k in EDITABLE}
    try:
        web_state(request).register.set_office({k: v or None for k, v in values.items()})
    except RegisterError as err:
        return _page(request, values=values, error=str(err), status=422)
    return RedirectResponse("/register/office?" + urlencode({"notice": "已保存本机关设置"}), status_code=303)


@router.get("/register/holidays/template.toml")
def holiday_template(request: Request, year: Year) -> Response:
    """A blank schedule file for a year, to fill in from the State Council's notice."""
    require_role(request, ADMIN)
    return Response(template(year), media_type="application/toml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="holidays-{year}.toml"'})


@router.post("/register/holidays")
async def import_holidays(request: Request) -> Response:
    """Import one year's schedule, from an uploaded file or the text pasted in the form."""
    form = await _form(request)
    upload, pasted = form.get("file"), form.get("text")
    text = pasted.strip() if isinstance(pasted, str) else ""
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_SCHEDULE + 1)
        if len(raw) > MAX_SCHEDULE:
            return _page(request, holiday_error="节假日安排文件过大（超过 64 KB），请检查是否选错了文件", status=413)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _page(request, holiday_error="节假日安排文件应为 UTF-8 编码的 TOML 文本", status=422)
    if not text:
        return _page(request, holiday_error="请选择节假日安排文件，或把文件内容粘贴到文本框中", status=422)
    try:
        schedule = web_state(request).register.import_holidays(text, replace=form.get("replace") == "1")
    except RegisterError as err:
        message = str(err).replace("请加 --replace 重新导入", "请勾选“替换已有安排”后重新导入").replace(
            "请加 --replace", "请勾选“替换已有安排”")
        return _page(request, holiday_error=message, holiday_text=text if not isinstance(upload, UploadFile) else "",
                     status=422)
    notice = (f"已导入 {schedule.year} 年节假日安排：放假 {len(schedule.holidays)} 天，"
              f"调休上班 {len(schedule.workdays)} 天")
    return RedirectResponse("/register/office?" + urlencode({"notice": notice}), status_code=303)


@router.post("/register/holidays/{year}/remove")
async def remove_holidays(request: Request, year: PathYear) -> Response:
    """Remove an imported schedule (that year's deadlines then use chinese-calendar, or cannot be computed)."""
    await _form(request)
    try:
        web_state(request).register.remove_holidays(year)
    except RegisterError as err:
        raise HTTPException(404, str(err)) from err
    return RedirectResponse("/register/office?" + urlencode({"notice": f"已删除 {year} 年节假日安排"}),
                            status_code=303)
