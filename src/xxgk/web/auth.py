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
    """A signed-in user."""

    name: str
    role: Role

    @property
    def role_name(self) -> str:
        return ROLES[self.role]


def add_user(engine: Engine, name: str, role: str, password: str) -> User:
    """Store a new user with an Argon2 hash of the password."""
    name = name.strip()
    if not _NAME.match(name):
        raise AuthError("用户名应为 1–64 个字母、数字、汉字或 . - _ @")
    if role not in ROLES:
        raise AuthError("角色应为 " + "、".join(f"{k}（{v}）" for k, v in ROLES.items()) + " 之一")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 个字符")
    try:
        with engine.begin() as conn:
            conn.execute(users_table.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), created_at=datetime.now(UTC)))
    except IntegrityError as err:
        raise AuthError(f"用户已存在：{name}") from err
    return User(name, role)


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when the name and password match; None otherwise (same time either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.name == name.strip())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return User(row.name, row.role) if row is not None else None


def find_user(engine: Engine, name: str) -> User | None:
    """The stored user of that name, if any."""
    with engine.connect() as conn:
        row = conn.execute(select(users_table.c.name, users_table.c.role).where(users_table.c.name == name)).first()
    return User(row.name, row.role) if row is not None and row.role in ROLES else None


# Verifying against a dummy hash for unknown names keeps their answer as slow as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def current_user(request: Request) -> User | None:
    """The user signed in on this session (checked against the database: a removed user is out)."""
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    engine: Engine = request.app.state.web.store.engine
    return find_user(engine, name)


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for the user (a new CSRF token: no session fixation)."""
    request.session.clear()
    request.session["user"] = user.name
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
