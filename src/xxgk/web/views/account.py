"""Signing in and out."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from xxgk.web.auth import authenticate, check_csrf, sign_in, sign_out
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """Only a path on this site may follow the sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _duration(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 120 else f"{math.ceil(seconds / 60)} 分钟"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return page(request, "login.html", next=_local(next))


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Check the password and start a session."""
    check_csrf(request, csrf_token)
    state = web_state(request)
    address = request.client.host if request.client is not None else "unknown"
    wait = state.sign_ins.wait(name, address)
    if wait:  # refused before the password is checked: guessing on during a lock learns nothing
        response = page(request, "login.html", status=429, next=_local(next), name=name,
                        error=f"登录失败次数过多，请 {_duration(wait)}后再试")
        response.headers["Retry-After"] = str(wait)
        return response
    user = authenticate(state.store.engine, name, password)
    if user is None:
        state.sign_ins.failed(name, address)
        return page(request, "login.html", status=401, error="用户名或密码不正确", next=_local(next), name=name)
    state.sign_ins.succeeded(name, address)
    sign_in(request, user)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    sign_out(request)
    return RedirectResponse("/", status_code=303)
