"""Web accounts: ``xxgk users list / disable / enable / passwd``, and the sessions they end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from test_web import PASSWORD, csrf, login, make_client
from xxgk.cli.main import app
from xxgk.store import Store
from xxgk.web.auth import authenticate, end_sessions

REGISTER_PAGE = "/register"


def users(db: str, *args: str, password: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["users", *args, "--db", db, *(["--password-stdin"] if password else [])],
                                input=f"{password}\n" if password else None)
    return result.exit_code, result.output


def test_list_disable_enable_passwd_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'users.db'}"
    assert users(db, "list")[1].startswith("还没有用户")
    assert users(db, "add", "demo", "--role", "admin", password="demo-password")[0] == 0
    assert users(db, "add", "张科员", "--role", "clerk", password="a long password")[0] == 0
    code, shown = users(db, "list")
    assert code == 0 and "demo" in shown and "管理员" in shown and "张科员" in shown and "共 2 个用户，其中 2 个启用" in shown

    assert users(db, "disable", "张科员") == (0, "已停用用户 张科员，其登录会话已全部失效\n")
    records = [json.loads(line) for line in users(db, "list", "--json")[1].splitlines()]
    assert {r["name"]: r["disabled_at"] is not None for r in records} == {"demo": False, "张科员": True}
    with Store(db) as store:
        assert authenticate(store.engine, "张科员", "a long password") is None  # right password, disabled
    assert users(db, "enable", "张科员")[0] == 0
    with Store(db) as store:
        assert authenticate(store.engine, "张科员", "a long password") is not None

    assert users(db, "passwd", "张科员", password="another long one")[0] == 0
    with Store(db) as store:
        assert authenticate(store.engine, "张科员", "a long password") is None
        assert authenticate(store.engine, "张科员", "another long one") is not None

    assert users(db, "disable", "nobody") == (2, "错误：没有该用户：nobody\n")
    assert users(db, "passwd", "demo", password="short") == (2, "错误：密码至少 8 个字符\n")


def signed_in(tmp_path: Path, name: str = "clerk") -> TestClient:
    client = make_client(tmp_path)
    login(client, name)
    assert client.get(REGISTER_PAGE).status_code == 200
    return client


def refused(client: TestClient) -> bool:
    """The session no longer counts: the register sends the browser to the sign-in page."""
    response = client.get(REGISTER_PAGE, follow_redirects=False)
    return response.status_code == 303 and str(response.headers["location"]).startswith("/login")


def test_disabling_a_user_ends_their_session_at_once(tmp_path: Path) -> None:
    client = signed_in(tmp_path)
    CliRunner().invoke(app, ["users", "disable", "clerk", "--db", f"sqlite:///{tmp_path / 'web.db'}"])
    assert refused(client)
    response = client.post("/login", data={"name": "clerk", "password": PASSWORD, "next": "/",
                                           "csrf_token": csrf(client, "/login")})
    assert "clerk（" not in response.text and refused(client)  # the right password no longer signs in


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(tmp_path: Path) -> None:
    client = signed_in(tmp_path)
    result = CliRunner().invoke(app, ["users", "passwd", "clerk", "--db", f"sqlite:///{tmp_path / 'web.db'}",
                                      "--password-stdin"], input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert refused(client)
    response = client.post("/login", data={"name": "clerk", "password": PASSWORD, "next": "/",
                                           "csrf_token": csrf(client, "/login")})
    assert "clerk（" not in response.text and refused(client)  # the old password is refused


def test_end_sessions_is_the_hook_for_signing_out_everywhere(tmp_path: Path) -> None:
    client = signed_in(tmp_path)
    end_sessions(client.app.state.web.store.engine, "clerk")  # type: ignore[attr-defined]
    assert refused(client)
    login(client, "clerk")  # signing in again starts a session of the new generation
    assert client.get(REGISTER_PAGE).status_code == 200
