"""The ``xxgk`` command: a thin layer over the Python API.

Start-up is kept short: this module and the command modules it registers import only Typer and
the standard library at the top. Each command imports what it uses (the parser, the store,
pandas, Rich, the web application) when it runs, so that ``xxgk --help`` or ``xxgk parse``
does not pay for the rest (``tests/test_cli_startup.py`` guards this).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated, Any

import typer

from xxgk.cli.chinese import Typer
from xxgk.cli.options import Trusted
from xxgk.cli.query import register as register_query_commands
from xxgk.cli.register import register as register_register_commands
from xxgk.cli.render import render_cmd
from xxgk.cli.review import register as register_review_commands
from xxgk.cli.serve import register as register_serve_commands
from xxgk.cli.store import register as register_store_commands

# Plain help (rich_markup_mode=None): Typer's Rich help loads Rich and Markdown-it, which doubles the start-up time.
SETTINGS: dict[str, Any] = {"add_completion": False, "pretty_exceptions_enable": False, "rich_markup_mode": None,
                            "context_settings": {"help_option_names": ["-h", "--help"]}}
app = Typer(help="xxgk：政府信息公开工作年度报告的读取、检查与统计工具", no_args_is_help=True, **SETTINGS)

AsJson = Annotated[bool, typer.Option("--json", help="输出 JSON（多个文件时每行一个）")]
Every = Annotated[bool, typer.Option(
    "--all", help="文件收有几份报告（汇编、登载多份报告的页面）时逐份识别（JSON 每行一份）；默认只识别第一份")]


@app.callback()
def main() -> None:
    """xxgk：政府信息公开工作年度报告的读取、检查与统计工具。"""


@app.command("parse")
def parse_cmd(
    files: Annotated[list[str], typer.Argument(help="报告文件（文本、HTML、Word、PDF）或网址", show_default=False)],
    as_json: AsJson = False,
    trusted: Trusted = False,
    every: Every = False,
) -> None:
    """读取年度报告，输出其中的统计表格、正文数字和发现的问题。"""
    from xxgk.cli.reports import parse_files

    parse_files(files, as_json, trusted, every)


@app.command("check")
def check_cmd(
    files: Annotated[list[str], typer.Argument(help="报告文件或网址，或 xxgk parse --json 输出的报告 JSON", show_default=False)],
    as_json: AsJson = False,
    strict: Annotated[bool, typer.Option("--strict", help="警告也视为不通过（退出状态 1）")] = False,
    trusted: Trusted = False,
    every: Every = False,
) -> None:
    """检查年度报告：勾稽关系、格式、时效、内容；同一机关相邻年度的报告一起检查时还核对跨年度衔接。

    退出状态：0 通过；1 发现错误（--strict 时含警告）；2 文件无法读取。
    """
    from xxgk.cli.reports import check_files

    check_files(files, as_json, strict, trusted, every)


app.command("render")(render_cmd)
register_store_commands(app)  # ingest, reparse, findings, agencies (xxgk.cli.store)
register_register_commands(app)  # register …, report build|render (xxgk.cli.register)
register_query_commands(app)  # list, stats, compare, export (xxgk.cli.query)
register_serve_commands(app)  # serve, users, demo-register (xxgk.cli.serve)
register_review_commands(app)  # roster, regions, harvest, monitor, grade, circular (xxgk.cli.review)


@app.command("rules")
def rules_cmd(
    markdown: Annotated[bool, typer.Option("--markdown", help="输出 Markdown（即 docs/rules.md）")] = False,
) -> None:
    """列出全部检查规则（规则 id、级别、依据）。"""
    from xxgk.check import RULES
    from xxgk.check.docs import rules_markdown

    if markdown:
        sys.stdout.write(rules_markdown() + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False)
    for r in RULES.values():
        out.print(Text.assemble((r.id, "bold"), f"  {r.severity}  {r.title}  ", (f"（{r.basis}）", "dim")))


def only(name: str) -> typer.Typer | None:
    """The application with only the command (or command group) ``name``, if there is one of that name.

    Typer builds the options of every command before it runs one (60 ms for thirty commands);
    ``xxgk parse …`` needs only its own. The callback keeps it a group, so usage reads ``xxgk parse …``.
    """
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    one = Typer(**SETTINGS)
    one.info = app.info
    one.registered_callback = app.registered_callback
    one.registered_commands, one.registered_groups = commands, groups
    return one


def run() -> None:
    """Entry point of the ``xxgk`` script."""
    # xxgk uses no pydantic plugin; looking for one reads every installed package's metadata at each start.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _quiet_interrupted_closes()
    chosen = only(sys.argv[1]) if len(sys.argv) > 1 else None
    try:
        (chosen or app)()
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit as stop:
        if stop.code == 130 and _by_ctrl_c(stop):  # typer turns Ctrl-C into a silent exit 130
            _interrupted()
        raise


def _quiet_interrupted_closes() -> None:
    """Keep SQLAlchemy's "Exception closing connection" traceback of a close that Ctrl-C broke off the terminal.

    The pool logs it (with no handler configured, Python's last-resort handler prints it) while the
    interrupt unwinds, above the 已中断 line; other warnings and errors of SQLAlchemy still show as before.
    """
    handler = logging.StreamHandler()  # today's stderr
    handler.set_name(_CLOSES)
    handler.setLevel(logging.WARNING)
    handler.addFilter(lambda record: not (record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt)))
    logger = logging.getLogger("sqlalchemy")
    logger.handlers[:] = [h for h in logger.handlers if h.get_name() != _CLOSES] + [handler]
    logger.propagate = False


_CLOSES = "xxgk-cli-sqlalchemy"


def _by_ctrl_c(error: BaseException) -> bool:
    """Whether an exit was caused by Ctrl-C (KeyboardInterrupt in its chain)."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _interrupted() -> None:
    """Say it was interrupted (and that a harvest resumes where it stopped); exit 130."""
    resumes = "；再次运行同一命令即从中断处继续" if len(sys.argv) > 1 and sys.argv[1] == "harvest" else ""
    sys.stderr.write(f"已中断{resumes}\n")
    sys.exit(130)
