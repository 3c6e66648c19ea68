"""Check a report: upload a file, give a web address or paste text; see tables, findings, source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xxgk.guard import Busy
from xxgk.read import ReadError
from xxgk.store.sources import Item
from xxgk.web.access import kept_report, require_reader
from xxgk.web.auth import COLLECTION_ROLES, check_csrf, require_role
from xxgk.web.cache import Checked
from xxgk.web.downloads import XLSX_TYPE, attachment, report_json, report_xlsx
from xxgk.web.intake import checked_text, checked_upload, checked_url, client_gone
from xxgk.web.queries import FileReport, reports_of_file
from xxgk.web.report_view import report_view
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


@router.get("/")
def check_form(request: Request) -> Response:
    """The check page's form."""
    return page(request, "check.html", tab="file")


@router.get("/check")
def check_again() -> Response:
    """The address a result was shown at, opened again (reloaded, bookmarked): the form, not a method error."""
    return RedirectResponse("/", status_code=303)


def read_submission(request: Request, file: UploadFile | None, url: str, text: str) -> Checked:
    """Whichever input was given → its checked report (ReadError in Chinese otherwise).

    Read in a watched process, stopped if the client leaves; ``Busy`` when too many are waiting.
    """
    state = web_state(request)
    settings, reader, gone = state.settings, state.reader, client_gone(request)
    if file is not None and file.filename:
        raw = file.file.read(settings.max_upload_bytes + 1)
        return checked_upload(raw, file.filename, settings.max_upload_bytes, reader, gone)
    if url.strip():
        return checked_url(url, settings.fetch_limits, reader, gone)
    if text.strip():
        return checked_text(text, settings.max_text_chars, reader, gone)
    raise ReadError("请选择文件、填写网址或粘贴报告文字")


def status_of(err: ReadError) -> int:
    """The HTTP status of a reading error: 503 when the readers are all busy, else 400."""
    return 503 if isinstance(err, Busy) else 400


@router.post("/check")
def check_submit(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    url: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    """Read and check what was sent, then show the result at its own address."""
    check_csrf(request, csrf_token)
    tab = "url" if url.strip() else "text" if text.strip() else "file"
    try:
        checked = read_submission(request, file, url, text)
    except ReadError as err:
        return page(request, "check.html", status=status_of(err), error=str(err), tab=tab, url=url, text=text[:200_000])
    token = web_state(request).cache.put(checked)
    return RedirectResponse(f"/check/{token}", status_code=303)


def _kept(request: Request, token: str) -> Checked:
    return kept_report(request, token, "检查结果已过期，请重新上传")


@router.get("/check/{token}")
def check_result(request: Request, token: str) -> Response:
    """A checked report: tables with flagged cells, findings, source text, downloads."""
    checked = _kept(request, token)
    return page(request, "result.html", view=report_view(checked.report, checked.text), token=token,
                storable=checked.storable, parts=len(checked.parts), base=f"/check/{token}")


@router.get("/check/{token}/report.json")
def check_json(request: Request, token: str) -> Response:
    """The checked report as contract JSON."""
    report = _kept(request, token).report
    return attachment(report_json(report), "application/json", report, ".json")


@router.get("/check/{token}/report.xlsx")
def check_xlsx(request: Request, token: str) -> Response:
    """The checked report's cells and findings as a workbook."""
    report = _kept(request, token).report
    return attachment(report_xlsx(report), XLSX_TYPE, report, ".xlsx")


@router.post("/check/{token}/save")
def check_save(request: Request, token: str, csrf_token: Annotated[str, Form()] = "") -> Response:
    """Store the checked document's reports in the collection (reviewers and administrators), each report of a 汇编."""
    check_csrf(request, csrf_token)
    require_role(request, COLLECTION_ROLES)
    saved, before = save_checked(request, _kept(request, token))
    if len(saved) == 1:
        return RedirectResponse(f"/reports/{saved[0].id}", status_code=303)
    return RedirectResponse(f"/check/{token}/saved{'?before=1' if before else ''}", status_code=303)


@router.get("/check/{token}/saved")
def check_saved(request: Request, token: str, before: bool = False) -> Response:
    """The stored reports a checked document became, each linked (a 汇编 is several)."""
    require_reader(request)
    checked = _kept(request, token)
    saved = reports_of_file(web_state(request).store.engine, checked.report.source.sha256)
    if not saved:
        raise HTTPException(404, "这份报告尚未保存到报告库")
    return page(request, "saved.html", saved=saved, before=before, name=checked.name, base=f"/check/{token}")


def save_checked(request: Request, checked: Checked) -> tuple[list[FileReport], bool]:
    """Store a checked document as ingest does, every report it holds as it was checked (its bytes, when it was
    uploaded): the file's stored reports, and whether the file was stored before."""
    if not checked.storable:
        raise HTTPException(400, "这份报告不是上传的文件或网址，不能入库")
    origin = checked.url or f"网页上传：{checked.name}"
    item = Item(checked.url or checked.name, content=checked.raw, reports=checked.parts or (checked.report,))
    store = web_state(request).store
    summary = store.ingest_items([item], [origin], workers=1)
    if summary.failures:
        raise HTTPException(400, summary.failures[0].error or "入库失败")
    saved = reports_of_file(store.engine, checked.report.source.sha256)
    if not saved:
        raise HTTPException(500, "入库后找不到该报告")
    return saved, summary.skipped > 0
