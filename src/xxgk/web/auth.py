"""Users, roles, sessions and CSRF: who is signed in, and whether a form really came from our page.

Users live in the database (table ``web_users``, ``xxgk.db.web_schema``); passwords are
hashed with Argon2. The session is Starlette's signed cookie (HttpOnly, SameSite=Lax), holding
the user's name and a random CSRF token that every form sends back.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy import Engine, Table, select
from sqlalchemy.exc import IntegrityError

from xxgk.db.web_schema import WebUser

Role = Literal["clerk", "reviewer", "admin"]
ROLES: dict[Role, str] = {"clerk": "登记员", "reviewer": "审核员", "admin": "管理员"}
# What each role may do: the register (clerk), saving reports to the collection (reviewer).
REGISTER_ROLES: frozenset[str] = frozenset({"clerk", "admin"})
COLLECTION_ROLES: frozenset[str] = frozenset({"reviewer", "admin"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.\-@\u4e00-\u9fff]{1,64}$")

users_table = cast(Table, WebUser.__table__)
_hasher = PasswordHasher()


class AuthError(ValueError):
    """A user cannot be created or signed in; ``str(err)`` is Chinese."""


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in user; ``sessions`` is the account's session generation a session must match."""

    name: str
    role: Role
    sessions: int = 0

    @property
    def role_name(self) -> str:
        return ROLES[self.role]


@dataclass(frozen=True, slots=True)
class Account:
    """A stored user as an administrator sees it (``xxgk users list``)."""

    name: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 个字符")


def add_user(engine: Engine, name: str, role: str, password: str) -> User:
    """Store a new user with an Argon2 hash of the password."""
    name = name.strip()
    if not _NAME.match(name):
        raise AuthError("用户名应为 1–64 个字母、数字、汉字或 . - _ @")
    if role not in ROLES:
        raise AuthError("角色应为 " + "、".join(f"{k}（{v}）" for k, v in ROLES.items()) + " 之一")
    _check_password(password)
    try:
        with engine.begin() as conn:
            conn.execute(users_table.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), created_at=datetime.now(UTC)))
    except IntegrityError as err:
        raise AuthError(f"用户已存在：{name}") from err
    return User(name, role)


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when the name and password match and the account is enabled; None otherwise (same time either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.name == name.strip())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled_at is not None:
        return None
    return User(row.name, row.role, row.session_generation)


def find_user(engine: Engine, name: str) -> User | None:
    """The stored, enabled user of that name, if any."""
    c = users_table.c
    with engine.connect() as conn:
        row = conn.execute(select(c.name, c.role, c.session_generation).where(c.name == name, c.disabled_at.is_(None))
                           ).first()
    return User(row.name, row.role, row.session_generation) if row is not None and row.role in ROLES else None


def list_users(engine: Engine) -> list[Account]:
    """Every stored user, enabled or not, by name."""
    c = users_table.c
    with engine.connect() as conn:
        rows = conn.execute(select(c.name, c.role, c.created_at, c.disabled_at).order_by(c.name)).all()
    return [Account(r.name, r.role, r.created_at, r.disabled_at) for r in rows]


def _update(engine: Engine, name: str, **values: object) -> None:
    """Change a stored user's row and end their sessions; AuthError when there is no such user."""
    c = users_table.c
    with engine.begin() as conn:
        done = conn.execute(users_table.update().where(c.name == name.strip())
                            .values(session_generation=c.session_generation + 1, **values))
    if done.rowcount == 0:
        raise AuthError(f"没有该用户：{name}")


def end_sessions(engine: Engine, name: str) -> None:
    """Sign the user out everywhere: every session signed in before now is refused from its next request."""
    _update(engine, name)


def set_disabled(engine: Engine, name: str, disabled: bool) -> None:
    """Disable an account (it can no longer sign in; its sessions end at once) or enable it again."""
    _update(engine, name, disabled_at=datetime.now(UTC) if disabled else None)


def set_password(engine: Engine, name: str, password: str) -> None:
    """Give the user a new password; the sessions signed in with the old one end."""
    _check_password(password)
    _update(engine, name, password_hash=_hasher.hash(password))


# Verifying against a dummy hash for unknown names keeps their answer as slow as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def current_user(request: Request) -> User | None:
    """The user signed in on this session, checked against the database: a removed or disabled user is out,
    and so is a session from before the user's password changed."""
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    engine: Engine = request.app.state.web.store.engine
    user = find_user(engine, name)
    if user is None or request.session.get("sessions", 0) != user.sessions:
        return None
    return user


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for the user (a new CSRF token: no session fixation)."""
    request.session.clear()
    request.session["user"] = user.name
    request.session["sessions"] = user.sessions
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    """End the session."""
    request.session.clear()


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse (403) a state-changing request whose token is missing or not this session's."""
    expected = request.session.get("csrf")
    sent = sent or request.headers.get(CSRF_HEADER)
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def require_role(request: Request, roles: frozenset[str]) -> User:
    """The signed-in user if their role allows this; 401 (not signed in) or 403 otherwise."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "请先登录")
    if user.role not in roles:
        raise HTTPException(403, f"当前角色（{user.role_name}）无权进行此操作")
    return user
