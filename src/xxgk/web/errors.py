"""Errors as people and programs see them: a JSON object for the API, a page for everyone else."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xxgk.web.state import page

STATUS = {400: "请求无效", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 405: "不支持该请求方法",
          413: "上传内容过大", 422: "请求的参数无效", 429: "请求过于频繁，请稍后再试", 500: "内部错误",
          503: "服务器繁忙，请稍后再试"}


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error as JSON for the API, as a page for people."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    response = page(request, "error.html", status=status, message=message, status_code=status)
    response.headers.update(headers or {})
    return response
