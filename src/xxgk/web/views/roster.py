"""The roster (名录): everyone may read it; an administrator adds, edits, removes bodies and imports a file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from xxgk.store import StoreError
from xxgk.store.roster import bodies, delete_body, export_roster, import_roster, save_body
from xxgk.store.roster_file import HEADINGS, LEVELS
from xxgk.web.access import require_reader
from xxgk.web.auth import check_csrf, current_user, require_role
from xxgk.web.downloads import XLSX_TYPE
from xxgk.web.params import RowId
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)
ADMIN = frozenset({"admin"})
FIELDS = list(HEADINGS)  # the form's fields: the roster file's columns
MAX_UPLOAD = 20 * 1024 * 1024


def _can_edit(request: Request) -> bool:
    user = current_user(request)
    return user is not None and user.role in ADMIN


@router.get("/roster")
def roster_page(request: Request, region: str = "", level: str = "", q: str = "", notice: str = "") -> Response:
    """The bodies that must publish, by region."""
    require_reader(request)
    try:
        found = bodies(web_state(request).store.engine, region=region.strip() or None, level=level or None,
                       text=q.strip() or None)
    except StoreError as err:
        raise HTTPException(400, str(err)) from err
    return page(request, "roster.html", bodies=found, levels=LEVELS, can_edit=_can_edit(request), notice=notice,
                q={"region": region, "level": level, "q": q})


@router.get("/roster.xlsx")
def roster_xlsx(request: Request) -> Response:
    """The roster as a workbook that imports back."""
    require_reader(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        export_roster(web_state(request).store.engine, path)
        body = path.read_bytes()
    return Response(body, media_type=XLSX_TYPE, headers={"Content-Disposition": 'attachment; filename="roster.xlsx"'})


def _form(request: Request, values: dict[str, str], action: str, title: str, error: str | None = None,
          status: int = 200) -> Response:
    return page(request, "roster_form.html", values=values, action=action, title=title, error=error,
                headings=HEADINGS, fields=FIELDS, levels=LEVELS, status=status)


@router.get("/roster/new")
def new_body(request: Request) -> Response:
    require_role(request, ADMIN)
    return _form(request, {}, "/roster", "新增机关")


@router.get("/roster/{body_id}")
def edit_body(request: Request, body_id: RowId) -> Response:
    require_role(request, ADMIN)
    body = next((b for b in bodies(web_state(request).store.engine) if b.id == body_id), None)
    if body is None:
        raise HTTPException(404, f"名录中没有第 {body_id} 号机关")
    values = {"name": body.name, "level": body.level, "region_code": body.region_code, "parent": body.parent or "",
              "site": body.site or "", "column_url": body.column_url or "", "aliases": "；".join(body.aliases),
              "note": body.note or ""}
    return _form(request, values, f"/roster/{body_id}", f"修改：{body.name}")


async def _submitted(request: Request) -> dict[str, str]:
    form = await request.form()
    token: Any = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    require_role(request, ADMIN)
    return {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}


@router.post("/roster")
async def add_body(request: Request) -> Response:
    values = await _submitted(request)
    try:
        save_body(web_state(request).store.engine, values)
    except StoreError as err:
        return _form(request, values, "/roster", "新增机关", error=str(err), status=422)
    return RedirectResponse("/roster?" + urlencode({"notice": "已新增"}), status_code=303)


@router.post("/roster/{body_id}")
async def change_body(request: Request, body_id: RowId) -> Response:
    values = await _submitted(request)
    try:
        save_body(web_state(request).store.engine, values, body_id)
    except StoreError as err:
        return _form(request, values, f"/roster/{body_id}", "修改机关", error=str(err), status=422)
    return RedirectResponse("/roster?" + urlencode({"notice": "已保存"}), status_code=303)


@router.post("/roster/{body_id}/delete")
async def remove_body(request: Request, body_id: RowId) -> Response:
    await _submitted(request)
    try:
        delete_body(web_state(request).store.engine, body_id)
    except StoreError as err:
        raise HTTPException(404, str(err)) from err
    return RedirectResponse("/roster?" + urlencode({"notice": "已删除"}), status_code=303)


@router.post("/roster-import")
async def upload_roster(request: Request) -> Response:
    """Import a roster file (all rows or none)."""
    form = await request.form()
    token: Any = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    require_role(request, ADMIN)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(400, "请选择名录文件（.xlsx 或 .csv）")
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, "名录文件过大（超过 20 MB）")
    suffix = ".xlsx" if data[:2] == b"PK" else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(data)
        try:
            done = import_roster(web_state(request).store.engine, path)
        except StoreError as err:
            raise HTTPException(422, str(err)) from err
    notice = f"名录导入完成：新增 {done.added} 个，更新 {done.updated} 个，未变 {done.unchanged} 个"
    return RedirectResponse("/roster?" + urlencode({"notice": notice}), status_code=303)
