"""The ``xxgk`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

import xxgk
from xxgk.cli.terminal import draw_report
from xxgk.read import ReadError

app = typer.Typer(
    help="xxgk：政府信息公开工作年度报告的读取、检查与统计工具",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_UNREADABLE = 2


@app.callback()
def main() -> None:
    """xxgk：政府信息公开工作年度报告的读取、检查与统计工具。"""


@app.command("parse")
def parse_cmd(
    files: Annotated[list[Path], typer.Argument(help="报告文件（文本、HTML）", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（多个文件时每行一个）")] = False,
) -> None:
    """读取年度报告，输出其中的统计表格、正文数字和发现的问题。"""
    out = Console(highlight=False)
    failed = 0
    for path in files:
        try:
            report = xxgk.parse(path)
        except ReadError as e:
            failed += 1
            error(f"错误：{e}" if path.name in str(e) else f"错误：{path.name}：{e}")
            continue
        except Exception as e:  # a bug must not show a traceback to the user, but must be reported
            failed += 1
            error(f"内部错误：{path.name}：读取失败（{type(e).__name__}: {e}），请报告此问题")
            continue
        if as_json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False,
                                        indent=None if len(files) > 1 else 1) + "\n")
        else:
            draw_report(out, report)
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)


def error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def run() -> None:
    """Entry point of the ``xxgk`` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        sys.exit(130)
