"""``xxgk serve`` (the web application), ``xxgk users`` (its accounts) and ``xxgk demo-register``."""

from __future__ import annotations

import errno
import getpass
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from xxgk.cli.chinese import Typer
from xxgk.cli.store import Db

EXIT_UNUSABLE = 2
DEFAULT_PORT = 8000
# Without --port, the next free port among the following ones is taken when 8000 is in use.
PORTS_TRIED = 100
users_app = Typer(help="管理网页应用的用户（登记员 clerk、审核员 reviewer、管理员 admin）", no_args_is_help=True)


def _error(message: str) -> None:
    sys.stderr.write(" ".join(message.split()) + "\n")


def _web_missing(err: ImportError) -> typer.Exit:
    _error(f"错误：网页应用需要额外组件（{err.name}），请安装：pip install 'xxgk[web]'")
    return typer.Exit(EXIT_UNUSABLE)


class PortError(Exception):
    """No port to listen on; ``str(err)`` is one line in Chinese."""


def _bound(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) as uvicorn binds it (address reuse on), not yet listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _next_free(host: str, after: int) -> socket.socket | None:
    """A socket bound to the first free port after ``after`` (PORTS_TRIED tried), or None."""
    for candidate in range(after + 1, min(after + 1 + PORTS_TRIED, 65536)):
        try:
            return _bound(host, candidate)
        except OSError:
            continue
    return None


def listening_socket(host: str, port: int | None) -> tuple[socket.socket, str | None]:
    """The socket to serve on and, when the default port was taken, a note saying which port is used instead.

    A port given with ``--port`` is used or refused (a deployment behind a proxy must not move);
    without it, 8000 or the next free port.
    """
    wanted = DEFAULT_PORT if port is None else port
    try:
        return _bound(host, wanted), None
    except OSError as err:
        if err.errno != errno.EADDRINUSE:
            reason = "权限不足，1024 以下的端口需要管理员权限" if err.errno == errno.EACCES else (err.strerror or str(err))
            raise PortError(f"无法在 {host}:{wanted} 上监听（{reason}），请用 --port 指定其他端口") from err
        alternative = _next_free(host, wanted)
    if alternative is None:
        raise PortError(f"端口 {wanted} 及其后 {PORTS_TRIED} 个端口都已被占用，请用 --port 指定一个空闲端口")
    free = alternative.getsockname()[1]
    if port is not None:
        alternative.close()
        raise PortError(f"端口 {wanted} 已被占用（可能已有一个 xxgk serve 在运行），请换一个端口，如 --port {free}"
                        f"（make demo 时：make demo DEMO_PORT={free}）")
    return alternative, f"端口 {wanted} 已被占用，改用端口 {free}"


def serve_cmd(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="监听地址（局域网访问用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(
        "--port", min=1, max=65535, help=f"端口（默认 {DEFAULT_PORT}，被占用时自动改用下一个空闲端口；"
        "指定的端口被占用时报错）", show_default=False)] = None,
    public_collection: Annotated[bool, typer.Option(
        "--public-collection/--private-collection", help="报告库是否无需登录即可浏览")] = True,
    https_only: Annotated[bool, typer.Option("--https-only", help="会话 Cookie 只经 HTTPS 发送（部署在 HTTPS 之后时）")] = False,
) -> None:
    """启动网页应用：检查报告、浏览报告库、登记簿（与命令行使用同一数据库）。"""
    try:
        import uvicorn

        from xxgk.web import Settings, create_app
    except ImportError as err:
        raise _web_missing(err) from err
    from xxgk.store import StoreError

    try:
        sock, note = listening_socket(host, port)
    except PortError as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    with sock:
        try:
            app = create_app(Settings(db_url=db, public_collection=public_collection, https_only=https_only))
        except StoreError as err:
            _error(f"错误：{err}")
            raise typer.Exit(EXIT_UNUSABLE) from err
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        if note:
            sys.stdout.write(note + "\n")
        sys.stdout.write(f"xxgk 网页应用已启动，请在浏览器中打开 http://{shown}:{sock.getsockname()[1]}/ （按 Ctrl+C 停止）\n")
        sys.stdout.flush()
        # uvicorn serves on the socket bound here: no second bind, so no race for the port.
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _auth() -> Any:
    """``xxgk.web.auth`` (needs the web extra)."""
    try:
        from xxgk.web import auth
    except ImportError as err:
        raise _web_missing(err) from err
    return auth


def _new_password(from_stdin: bool) -> str:
    """A password read from stdin (scripts) or typed twice in the terminal without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != password:
        _error("错误：两次输入的密码不一致")
        raise typer.Exit(EXIT_UNUSABLE)
    return password


@contextmanager
def _users(db: str | None) -> Iterator[Any]:
    """The store's engine for a users command; AuthError and StoreError end it with one line and exit 2."""
    auth = _auth()
    from xxgk.store import Store, StoreError

    try:
        with Store(db) as store:
            yield store.engine
    except (auth.AuthError, StoreError) as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err


PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（脚本用）")]
UserName = Annotated[str, typer.Argument(help="用户名", show_default=False)]


@users_app.command("add")
def users_add_cmd(
    name: UserName,
    role: Annotated[str, typer.Option("--role", help="角色：clerk（登记员）、reviewer（审核员）、admin（管理员）")],
    db: Db = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """添加网页应用的用户；密码在终端中输入（不回显），以 Argon2 散列保存。"""
    auth = _auth()
    password = _new_password(password_stdin)
    with _users(db) as engine:
        user = auth.add_user(engine, name, role, password)
    sys.stdout.write(f"已添加用户 {user.name}（{user.role_name}）\n")


@users_app.command("list")
def users_list_cmd(
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每行一个用户）")] = False,
) -> None:
    """列出网页应用的用户：用户名、角色、状态、添加时间。"""
    auth = _auth()
    with _users(db) as engine:
        accounts = auth.list_users(engine)
    if as_json:
        import json

        for a in accounts:
            sys.stdout.write(json.dumps({"name": a.name, "role": a.role, "created_at": _utc(a.created_at),
                                         "disabled_at": _utc(a.disabled_at)}, ensure_ascii=False) + "\n")
        return
    from xxgk.cli.output import console, new_table

    out = console()
    if not accounts:
        out.print("还没有用户。添加：xxgk users add 用户名 --role admin")
        return
    table = new_table("用户名", "角色", "状态", "添加时间")
    for a in accounts:
        state = f"[red]已停用[/red]（{_when(a.disabled_at)}）" if a.disabled_at else "启用"
        table.add_row(a.name, f"{a.role_name}（{a.role}）", state, _when(a.created_at))
    out.print(table)
    out.print(f"共 {len(accounts)} 个用户，其中 {sum(a.disabled_at is None for a in accounts)} 个启用")


def _utc(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC (SQLite returns it without its zone)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _when(moment: datetime | None) -> str:
    """A stored time in the machine's local time, to the minute."""
    if moment is None:
        return ""
    return datetime.fromisoformat(str(_utc(moment))).astimezone().strftime("%Y-%m-%d %H:%M")


@users_app.command("disable")
def users_disable_cmd(name: UserName, db: Db = None) -> None:
    """停用用户：不能再登录，已登录的会话立即失效（可用 xxgk users enable 恢复）。"""
    auth = _auth()
    with _users(db) as engine:
        auth.set_disabled(engine, name, True)
    sys.stdout.write(f"已停用用户 {name.strip()}，其登录会话已全部失效\n")


@users_app.command("enable")
def users_enable_cmd(name: UserName, db: Db = None) -> None:
    """恢复已停用的用户。"""
    auth = _auth()
    with _users(db) as engine:
        auth.set_disabled(engine, name, False)
    sys.stdout.write(f"已恢复用户 {name.strip()}\n")


@users_app.command("passwd")
def users_passwd_cmd(name: UserName, db: Db = None, password_stdin: PasswordStdin = False) -> None:
    """修改用户的密码；该用户已登录的会话全部失效，需用新密码重新登录。"""
    auth = _auth()
    password = _new_password(password_stdin)
    with _users(db) as engine:
        auth.set_password(engine, name, password)
    sys.stdout.write(f"已修改用户 {name.strip()} 的密码，其登录会话已全部失效\n")


def demo_register_cmd(db: Db = None) -> None:
    """在登记簿中填入演示用的申请和案件（申请人均为虚构）；已有申请时不做任何事。"""
    from xxgk.register import Register, RegisterError
    from xxgk.store import StoreError
    from xxgk.web.demo import fill_demo_register

    try:
        with Register(db) as register:
            added = fill_demo_register(register)
    except (RegisterError, StoreError) as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    sys.stdout.write(f"演示登记簿：新增 {added} 件申请\n" if added else "演示登记簿：已有申请，未做改动\n")


def register(app: typer.Typer) -> None:
    """Add serve, users and demo-register to the ``xxgk`` command."""
    app.command("serve")(serve_cmd)
    app.command("demo-register")(demo_register_cmd)
    app.add_typer(users_app, name="users")
