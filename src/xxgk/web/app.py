"""``create_app(settings)``: the FastAPI application, its middleware, error pages and views.

Everything it sends is local: styles, scripts, Plotly's JavaScript (from the installed
``plotly`` package) and Swagger UI (from ``swagger-ui-bundle``), for intranets without internet.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from xxgk.db.engine import make_engine
from xxgk.register import Register
from xxgk.store import Store
from xxgk.web.cache import CheckedCache
from xxgk.web.settings import Settings
from xxgk.web.state import WebState, page

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
# No inline script anywhere: chart data travels in <script type="application/json"> blocks.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Room for the multipart envelope around an upload of the largest allowed size.
_FORM_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application on the store named by ``settings.db_url`` (or XXGK_DATABASE_URL, ./xxgk.db)."""
    from xxgk.web.views import account, agency, api, apply, check, collection, register

    settings = settings or Settings()
    # Pooled connections: opening the SQLite file for each request cost more than the queries.
    store = Store(engine=make_engine(settings.db_url, pooled=True))
    app = FastAPI(title="xxgk 政府信息公开工作年度报告", version="1", docs_url=None, redoc_url=None,
                  description="检查报告、浏览报告库、依申请公开登记簿的 JSON 接口。")
    app.state.web = WebState(settings, store, Register(engine=store.engine), templates(),
                             CheckedCache(settings.cache_entries, settings.cache_bytes))
    limit = settings.max_upload_bytes + _FORM_OVERHEAD

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return _error(request, 413, f"上传内容过大（超过 {settings.max_upload_bytes // (1024 * 1024)} MB）")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    # Added last, so outermost: the guard's own error pages can read the session.
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="xxgk_session",
                       max_age=settings.session_hours * 3600, same_site="lax", https_only=settings.https_only)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        detail = err.detail if isinstance(err.detail, str) and not err.detail.isascii() else _STATUS.get(
            err.status_code, "请求无法处理")
        return _error(request, err.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        fields = "、".join(sorted({str(e["loc"][-1]) for e in err.errors() if e.get("loc")}))
        return _error(request, 422, f"请求的参数无效：{fields}" if fields else "请求的参数无效")

    @app.exception_handler(Exception)
    async def crashed(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, f"内部错误（{type(err).__name__}），请报告此问题")

    # Before the /static mount, which would otherwise answer for these paths.
    app.add_api_route("/static/plotly.min.js", plotly_js, include_in_schema=False)
    swagger = _swagger_dir()
    if swagger is not None:
        app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (account, check, collection, agency, register, apply, api):
        app.include_router(module.router)
    app.include_router(api.docs)
    return app


_STATUS = {400: "请求无效", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 405: "不支持该请求方法",
           413: "上传内容过大", 422: "请求的参数无效", 429: "请求过于频繁，请稍后再试", 500: "内部错误"}


def _error(request: Request, status: int, message: str) -> Response:
    """An error as JSON for the API, as a page for people."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return page(request, "error.html", status=status, message=message, status_code=status)


def templates() -> Environment:
    """The page templates, every value autoescaped (report text is never trusted)."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    from xxgk.web.filters import FILTERS

    env.filters.update(FILTERS)
    return env


@cache
def _plotly_bytes() -> bytes:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs()).encode("utf-8")


def plotly_js() -> Response:
    """Plotly's JavaScript, as shipped inside the installed Python package."""
    return Response(_plotly_bytes(), media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})


def _swagger_dir() -> Path | None:
    """Swagger UI's files from the swagger-ui-bundle package, if installed."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(swagger_ui_path)
