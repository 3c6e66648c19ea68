"""``create_app(settings)``: the FastAPI application, its middleware, error pages and views.

Everything it sends is local: styles, scripts, Plotly's JavaScript (from the installed
``plotly`` package) and Swagger UI (from ``swagger-ui-bundle``), for intranets without internet.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from xxgk.db.engine import make_engine
from xxgk.guard import WatchedPool
from xxgk.register import Register
from xxgk.store import Store
from xxgk.web.cache import CheckedCache
from xxgk.web.errors import STATUS, error_response
from xxgk.web.guard import Guard
from xxgk.web.settings import Settings
from xxgk.web.state import WebState

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
# Room for the multipart envelope around an upload of the largest allowed size.
_FORM_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application on the store named by ``settings.db_url`` (or XXGK_DATABASE_URL, ./xxgk.db)."""
    from xxgk.web.views import (
        account,
        agency,
        api,
        apply,
        check,
        collection,
        grade,
        monitor,
        office,
        register,
        roster,
    )

    settings = settings or Settings()
    # Pooled connections: opening the SQLite file for each request cost more than the queries.
    store = Store(engine=make_engine(settings.db_url, pooled=True))
    app = FastAPI(title="xxgk 政府信息公开工作年度报告", version="1", docs_url=None, redoc_url=None,
                  description="检查报告、浏览报告库、依申请公开登记簿的 JSON 接口。")
    reader = WatchedPool(settings.read_limits.but(trusted=False), settings.read_workers, max_waiting=settings.read_queue)
    app.state.web = WebState(settings, store, Register(engine=store.engine), templates(),
                             CheckedCache(settings.cache_entries, settings.cache_bytes), reader)
    app.router.on_shutdown.append(reader.close)

    # Inside the session (its 413 page shows who is signed in): bodies bounded as they stream.
    app.add_middleware(Guard, limit=settings.max_upload_bytes + _FORM_OVERHEAD, json_limit=settings.max_json_bytes,
                       shown_mb=settings.max_upload_bytes // (1024 * 1024))

    # Added last, so outermost: the guard's 413 page can read the session.
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="xxgk_session",
                       max_age=settings.session_hours * 3600, same_site="lax", https_only=settings.https_only)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        detail = err.detail if isinstance(err.detail, str) and not err.detail.isascii() else STATUS.get(
            err.status_code, "请求无法处理")
        return error_response(request, err.status_code, detail, getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        problems = "、".join(dict.fromkeys(_problem(e) for e in err.errors() if e.get("loc")))
        return error_response(request, 422, f"请求的参数无效：{problems}" if problems else "请求的参数无效")

    @app.exception_handler(Exception)
    async def crashed(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return error_response(request, 500, f"内部错误（{type(err).__name__}），请报告此问题")

    # Before the /static mount, which would otherwise answer for these paths.
    app.add_api_route("/static/plotly.min.js", plotly_js, include_in_schema=False)
    swagger = _swagger_dir()
    if swagger is not None:
        app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (account, check, collection, agency, grade, monitor, roster, register, office, apply, api):
        app.include_router(module.router)
    app.include_router(api.docs)
    return app


_REASONS = {"int_parsing": "应为整数", "int_from_float": "应为整数", "date_parsing": "应为日期（YYYY-MM-DD）",
            "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "bool_parsing": "应为 true 或 false",
            "missing": "必须填写", "literal_error": "取值无效", "enum": "取值无效", "string_too_long": "过长"}


def _problem(error: Any) -> str:
    """One invalid parameter, named with what is wrong (its value is not repeated)."""
    name = str(error["loc"][-1])
    bounds = error.get("ctx") or {}
    if error["type"] in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
        return f"{name}（超出范围{f'，应不小于 {low}' if low is not None else ''}{f'，应不大于 {high}' if high is not None else ''}）"
    reason = _REASONS.get(error["type"])
    return f"{name}（{reason}）" if reason else name


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
