"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from xxgk.web.auth import authenticate, check_csrf, sign_in, sign_out
from xxgk.web.state import page, web_state

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """Only a path on this site may follow the sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


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
    user = authenticate(web_state(request).store.engine, name, password)
    if user is None:
        return page(request, "login.html", status=401, error="用户名或密码不正确", next=_local(next), name=name)
    sign_in(request, user)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    sign_out(request)
    return RedirectResponse("/", status_code=303)
