"""The application's outer guard (pure ASGI): request bodies counted as they arrive, security headers on every answer.

A ``Content-Length`` over the limit is refused before anything is read. A body without one
(``Transfer-Encoding: chunked``) is counted chunk by chunk: the read that passes the limit
raises a 413 inside the view (nothing more is taken from the client), and should a view
swallow that error, whatever it answers is replaced by the 413. Forms, uploads and JSON all
arrive through ``receive``, so every way a view reads its body is bounded here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from xxgk.web.errors import error_response

Message = MutableMapping[str, Any]
# No inline script anywhere: chart data travels in <script type="application/json"> blocks.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
                    "referrer-policy": "same-origin"}
# Only forms carry documents (uploads, pasted text); any other body (JSON) has the small limit.
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BodyTooLarge(HTTPException):
    """A request body over the limit (raised from ``receive``, answered 413)."""


class Guard:
    """Bounds every request body (``limit`` bytes for forms, ``json_limit`` for anything else) and adds the headers."""

    def __init__(self, app: ASGIApp, limit: int, json_limit: int, shown_mb: int) -> None:
        self.app = app
        self.limit = limit
        self.json_limit = json_limit
        self.message = f"上传内容过大（超过 {shown_mb} MB）"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        limit = self.limit if kind in _FORM_TYPES else self.json_limit
        message = self.message if limit == self.limit else f"请求内容过大（表单以外的内容不超过 {limit // 1024} KB）"
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await error_response(request, 413, message)(scope, receive, _with_headers(send))
            return
        state = _Counted(receive, limit, message)
        started = False

        async def guarded_send(event: Message) -> None:
            nonlocal started
            if state.over:  # the view answered something else after the limit was passed
                return
            started = True
            await _with_headers(send)(event)

        try:
            await self.app(scope, state.receive, guarded_send)
        except Exception:
            if not state.over:
                raise
        if state.over and not started:
            await error_response(request, 413, message)(scope, _no_body, _with_headers(send))


class _Counted:
    """``receive`` with the body's bytes counted; past ``limit``, a 413 instead of more body."""

    def __init__(self, receive: Receive, limit: int, message: str) -> None:
        self._receive = receive
        self.limit = limit
        self.message = message
        self.seen = 0
        self.over = False

    async def receive(self) -> Message:
        if self.over:
            raise BodyTooLarge(413, self.message)
        event = await self._receive()
        if event["type"] == "http.request":
            self.seen += len(event.get("body", b""))
            if self.seen > self.limit:
                self.over = True
                raise BodyTooLarge(413, self.message)
        return event


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _with_headers(send: Send) -> Callable[[Message], Awaitable[None]]:
    """``send`` with the security headers added to the response's start (kept where a view set its own)."""

    async def sending(event: Message) -> None:
        if event["type"] == "http.response.start":
            headers = list(event.get("headers", []))
            present = {name.lower() for name, _ in headers}
            for name, value in SECURITY_HEADERS.items():
                if name.encode() not in present:
                    headers.append((name.encode(), value.encode()))
            event = {**event, "headers": headers}
        await send(event)

    return sending
