"""Users, roles, sessions and CSRF: who is signed in, and whether a form really came from our page.

Users live in the database (table ``web_users``, ``xxgk.db.web_schema``); passwords are
hashed with Argon2. Starlette's signed cookie (HttpOnly, SameSite=Lax) holds a random session
token and a random CSRF token that every form sends back; the session itself lives in the
database (``web_sessions``, keyed by the token's SHA-256), so that signing out, a new password
or a disabled account ends it on the server: ``end_sessions(engine, name)`` ends all of a user's.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy import Engine, Table, delete, select
from sqlalchemy.exc import IntegrityError

from xxgk.db.web_schema import WebSession, WebUser

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
sessions_table = cast(Table, WebSession.__table__)
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
    return User(row.name, row.role)


def find_user(engine: Engine, name: str) -> User | None:
    """The stored, enabled user of that name, if any."""
    c = users_table.c
    with engine.connect() as conn:
        row = conn.execute(select(c.name, c.role).where(c.name == name, c.disabled_at.is_(None))).first()
    return User(row.name, row.role) if row is not None and row.role in ROLES else None


def list_users(engine: Engine) -> list[Account]:
    """Every stored user, enabled or not, by name."""
    c = users_table.c
    with engine.connect() as conn:
        rows = conn.execute(select(c.name, c.role, c.created_at, c.disabled_at).order_by(c.name)).all()
    return [Account(r.name, r.role, r.created_at, r.disabled_at) for r in rows]


def _update(engine: Engine, name: str, **values: object) -> None:
    """Change a stored user's row and end all their sessions; AuthError when there is no such user."""
    c = users_table.c
    with engine.begin() as conn:
        done = conn.execute(users_table.update().where(c.name == name.strip()).values(**values))
        if done.rowcount == 0:
            raise AuthError(f"没有该用户：{name}")
        user_ids = select(c.id).where(c.name == name.strip()).scalar_subquery()
        conn.execute(delete(sessions_table).where(sessions_table.c.user_id == user_ids))


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
    """The user signed in on this session: its token names a live session in the database (once per request)."""
    cached = getattr(request.state, "xxgk_user", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cast(User | None, cached)
    user = _session_user(_engine(request), request.session.get("sid"))
    request.state.xxgk_user = user
    return user


_UNKNOWN = object()


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.web.store.engine
    return engine


def _digest(token: str) -> str:
    """What the database keeps of a session token (a copy of the table signs no one in)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _session_user(engine: Engine, token: object) -> User | None:
    if not isinstance(token, str) or not token:
        return None
    u, s = users_table.c, sessions_table.c
    with engine.connect() as conn:
        row = conn.execute(select(u.name, u.role).join(sessions_table, s.user_id == u.id)
                           .where(s.id == _digest(token), s.expires_at > datetime.now(UTC), u.disabled_at.is_(None))
                           ).first()
    return User(row.name, row.role) if row is not None and row.role in ROLES else None


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for the user: a new session token and CSRF token (no session fixation)."""
    engine = _engine(request)
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    hours = request.app.state.web.settings.session_hours
    with engine.begin() as conn:
        conn.execute(delete(sessions_table).where(sessions_table.c.expires_at <= now))  # the expired ones
        user_id = conn.execute(select(users_table.c.id).where(users_table.c.name == user.name)).scalar_one()
        conn.execute(sessions_table.insert().values(id=_digest(token), user_id=user_id, created_at=now,
                                                    expires_at=now + timedelta(hours=hours)))
    request.session.clear()
    request.session["sid"] = token
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.xxgk_user = user


def sign_out(request: Request) -> None:
    """End the session, on the server too: its cookie signs no one in any more."""
    token = request.session.get("sid")
    if isinstance(token, str) and token:
        with _engine(request).begin() as conn:
            conn.execute(delete(sessions_table).where(sessions_table.c.id == _digest(token)))
    request.session.clear()
    request.state.xxgk_user = None


def end_sessions(engine: Engine, name: str) -> int:
    """End every session of the user ``name`` (after a password change, when disabling it); how many ended."""
    user_ids = select(users_table.c.id).where(users_table.c.name == name).scalar_subquery()
    with engine.begin() as conn:
        return conn.execute(delete(sessions_table).where(sessions_table.c.user_id == user_ids)).rowcount or 0


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


def refuse_cross_site(request: Request) -> None:
    """Refuse (403) a request that a browser sent from another site; programs, which send neither header, pass.

    For a JSON API without sessions (``/api/check``): a script has no token to send, and needs
    none, but a page elsewhere must not make its visitors' browsers post here. Browsers say
    where a request comes from (``Sec-Fetch-Site``, ``Origin``); only this site itself is accepted.
    """
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if (site is not None and site not in ("same-origin", "none")) or (
            origin is not None and origin.lower() != _own_origin(request, origin)):
        raise HTTPException(403, "不接受其他网站页面发来的请求（跨站请求）；脚本调用接口时无需 Origin 头")


def _own_origin(request: Request, origin: str) -> str:
    """This site's origin as the browser names it (scheme of the Origin given, host as the request names it)."""
    scheme = origin.split("://", 1)[0].lower() if "://" in origin else request.url.scheme
    return f"{scheme}://{request.headers.get('host', '').lower()}"


def require_role(request: Request, roles: frozenset[str]) -> User:
    """The signed-in user if their role allows this; 401 (not signed in) or 403 otherwise."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "请先登录")
    if user.role not in roles:
        raise HTTPException(403, f"当前角色（{user.role_name}）无权进行此操作")
    return user
