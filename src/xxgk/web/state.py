"""What every view needs: the settings, the store, the register, the templates and the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from xxgk.guard import WatchedPool
from xxgk.register import Register
from xxgk.store import Store
from xxgk.web.auth import User, csrf_token, current_user
from xxgk.web.cache import CheckedCache
from xxgk.web.ratelimit import RateLimiter
from xxgk.web.settings import Settings
from xxgk.web.throttle import SignInThrottle


@dataclass(slots=True)
class WebState:
    settings: Settings
    store: Store
    register: Register
    templates: Environment
    cache: CheckedCache
    reader: WatchedPool  # the watched processes that read what users send
    limits: dict[str, RateLimiter] = field(default_factory=dict)
    sign_ins: SignInThrottle = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.limits = {"apply": RateLimiter(*s.apply_limit), "preview": RateLimiter(*s.apply_preview_limit),
                       "status": RateLimiter(*s.status_limit)}
        self.sign_ins = SignInThrottle(s.sign_in_account, s.sign_in_address)


def web_state(request: Request) -> WebState:
    """The application's shared state."""
    state: WebState = request.app.state.web
    return state


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page (autoescaped) with what every page shows: the user, the CSRF token, the nav."""
    state = web_state(request)
    user: User | None = current_user(request)
    html = state.templates.get_template(template).render(
        request=request, user=user, csrf=csrf_token(request), settings=state.settings, **context)
    return HTMLResponse(html, status_code=status)
