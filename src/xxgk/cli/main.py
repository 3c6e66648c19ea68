"""The ``xxgk`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from xxgk.check import RULES, check_collection
from xxgk.check.docs import rules_markdown
from xxgk.cli.query import register as register_query_commands
from xxgk.cli.register import register as register_register_commands
from xxgk.cli.render import render_cmd
from xxgk.cli.reports import Trusted, WebAddress, as_source, error, load_report, reading_pool
from xxgk.cli.review import register as register_review_commands
from xxgk.cli.serve import register as register_serve_commands
from xxgk.cli.store import register as register_store_commands
from xxgk.cli.terminal import draw_findings, draw_report
from xxgk.model import Report
from xxgk.read import ReadError

if TYPE_CHECKING:
    from xxgk.guard import WatchedPool

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
    files: Annotated[list[str], typer.Argument(help="报告文件（文本、HTML、Word、PDF）或网址", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（多个文件时每行一个）")] = False,
    trusted: Trusted = False,
) -> None:
    """读取年度报告，输出其中的统计表格、正文数字和发现的问题。"""
    out = Console(highlight=False)
    failed = 0
    with reading_pool(trusted) as pool:
        for path in map(as_source, files):
            report = _read_one(path, pool, "读取")
            if report is None:
                failed += 1
            elif as_json:
                sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False,
                                            indent=None if len(files) > 1 else 1) + "\n")
                sys.stdout.flush()
            else:
                draw_report(out, report)
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)


def _read_one(path: Path | WebAddress, pool: WatchedPool, doing: str) -> Report | None:
    """One report named on the command line (read in the pool), or None with its one-line error printed."""
    try:
        return load_report(path, pool)
    except ReadError as e:
        error(f"错误：{e}" if path.name in str(e) else f"错误：{path.name}：{e}")
    except Exception as e:  # a bug must not show a traceback to the user, but must be reported
        error(f"内部错误：{path.name}：{doing}失败（{type(e).__name__}: {e}），请报告此问题")
    return None


@app.command("check")
def check_cmd(
    files: Annotated[list[str], typer.Argument(help="报告文件或网址，或 xxgk parse --json 输出的报告 JSON", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（多个文件时每行一个）")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="警告也视为不通过（退出状态 1）")] = False,
    trusted: Trusted = False,
) -> None:
    """检查年度报告：勾稽关系、格式、时效、内容；同一机关相邻年度的报告一起检查时还核对跨年度衔接。

    退出状态：0 通过；1 发现错误（--strict 时含警告）；2 文件无法读取。
    """
    out = Console(highlight=False)
    reports: list[tuple[Path | WebAddress, Report]] = []
    unreadable = 0
    with reading_pool(trusted) as pool:
        for path in map(as_source, files):
            report = _read_one(path, pool, "检查")
            if report is None:
                unreadable += 1
            else:
                reports.append((path, report))
    for i, extra in check_collection([r for _, r in reports]).items():
        reports[i][1].findings.extend(extra)
    failing = {"error", "warning"} if strict else {"error"}
    failed = False
    for path, report in reports:
        failed |= any(f.severity in failing for f in report.findings)
        if as_json:
            record = {"file": str(path), "meta": report.meta.model_dump(mode="json"),
                      "findings": [f.model_dump(mode="json", exclude_none=True) for f in report.findings]}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            m = report.meta
            out.print(Text.assemble((m.title or path.name, "bold"),
                                    f"  （{m.agency or '机关未识别'}，{m.year or '年度未识别'}年度）"))
            draw_findings(out, report.findings)
            out.print()
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    if failed:
        raise typer.Exit(1)


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
    if markdown:
        sys.stdout.write(rules_markdown() + "\n")
        return
    out = Console(highlight=False)
    for r in RULES.values():
        out.print(Text.assemble((r.id, "bold"), f"  {r.severity}  {r.title}  ", (f"（{r.basis}）", "dim")))


def run() -> None:
    """Entry point of the ``xxgk`` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        sys.exit(130)
