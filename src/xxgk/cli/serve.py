"""``xxgk serve`` (the web application), ``xxgk users add`` and ``xxgk demo-register``."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from xxgk.cli.store import Db

EXIT_UNUSABLE = 2
users_app = typer.Typer(help="管理网页应用的用户（登记员 clerk、审核员 reviewer、管理员 admin）", no_args_is_help=True)


def _error(message: str) -> None:
    sys.stderr.write(" ".join(message.split()) + "\n")


def _web_missing(err: ImportError) -> typer.Exit:
    _error(f"错误：网页应用需要额外组件（{err.name}），请安装：pip install 'xxgk[web]'")
    return typer.Exit(EXIT_UNUSABLE)


def serve_cmd(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="监听地址（局域网访问用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
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
        app = create_app(Settings(db_url=db, public_collection=public_collection, https_only=https_only))
    except StoreError as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    sys.stdout.write(f"xxgk 网页应用已启动，请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）\n")
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning")


@users_app.command("add")
def users_add_cmd(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option("--role", help="角色：clerk（登记员）、reviewer（审核员）、admin（管理员）")],
    db: Db = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（脚本用）")] = False,
) -> None:
    """添加网页应用的用户；密码在终端中输入（不回显），以 Argon2 散列保存。"""
    try:
        from xxgk.web.auth import AuthError, add_user
    except ImportError as err:
        raise _web_missing(err) from err
    from xxgk.store import Store, StoreError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != password:
            _error("错误：两次输入的密码不一致")
            raise typer.Exit(EXIT_UNUSABLE)
    try:
        with Store(db) as store:
            user = add_user(store.engine, name, role, password)
    except (AuthError, StoreError) as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    sys.stdout.write(f"已添加用户 {user.name}（{user.role_name}）\n")


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
