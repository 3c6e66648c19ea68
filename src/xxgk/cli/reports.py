"""Reports named on the command line (a file, a report JSON or a web address), ``parse`` and ``check``.

The bodies of ``xxgk parse`` and ``xxgk check``, and what ``render`` shares with them. Imported
when one of those commands runs (the parser is not loaded for ``xxgk --help``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

import xxgk
from xxgk.check import check_collection, check_report
from xxgk.model import Report
from xxgk.read import ReadError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_UNREADABLE = 2


class WebAddress(str):
    """A command-line argument that is a web address; ``.name`` shows it as a path's name would."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return str(self)


def as_source(arg: str) -> Path | WebAddress:
    """A command-line argument as what it names: a web address (``scheme://``) or a file path."""
    # Any scheme counts, so that ftp://… is told it is not supported rather than not found.
    return WebAddress(arg) if re.match(r"\s*[A-Za-z][A-Za-z0-9+.-]*://", arg) else Path(arg)


def load_report(path: Path | WebAddress) -> Report:
    """A report document, or a report JSON in the contract (re-checked from its numbers)."""
    if isinstance(path, WebAddress):
        return xxgk.parse(path)
    raw = path.read_bytes() if path.is_file() else b""
    if raw.lstrip()[:1] == b"{":
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ReadError(f"JSON 无法解析：{path.name}（{e}）") from e
        if not isinstance(data, dict) or "tables" not in data or "meta" not in data:
            raise ReadError(f"不是 xxgk 报告 JSON（缺少 meta 或 tables）：{path.name}")
        try:
            report = Report.from_dict(data)
        except ValueError as e:
            raise ReadError(f"报告 JSON 格式不符合约定：{path.name}（{str(e).splitlines()[0]}）") from e
        # The numbers are taken as corrected: earlier findings no longer apply.
        report.findings = check_report(report)
        return report
    return xxgk.parse(path)


def error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def parse_files(files: list[str], as_json: bool) -> None:
    """``xxgk parse``: each file's tables, figures and findings (drawn, or as contract JSON)."""
    failed = 0
    out = None if as_json else _console()
    for path in map(as_source, files):
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
        if out is None:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False,
                                        indent=None if len(files) > 1 else 1) + "\n")
        else:
            from xxgk.cli.terminal import draw_report

            draw_report(out, report)
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)


def check_files(files: list[str], as_json: bool, strict: bool) -> None:
    """``xxgk check``: each report's findings, with the cross-year ones among the reports given together."""
    reports: list[tuple[Path | WebAddress, Report]] = []
    unreadable = 0
    for path in map(as_source, files):
        try:
            reports.append((path, load_report(path)))
        except ReadError as e:
            unreadable += 1
            error(f"错误：{e}" if path.name in str(e) else f"错误：{path.name}：{e}")
        except Exception as e:  # never a traceback for the user
            unreadable += 1
            error(f"内部错误：{path.name}：检查失败（{type(e).__name__}: {e}），请报告此问题")
    for i, extra in check_collection([r for _, r in reports]).items():
        reports[i][1].findings.extend(extra)
    failing = {"error", "warning"} if strict else {"error"}
    failed = False
    out = None if as_json else _console()
    for path, report in reports:
        failed |= any(f.severity in failing for f in report.findings)
        if out is None:
            record = {"file": str(path), "meta": report.meta.model_dump(mode="json"),
                      "findings": [f.model_dump(mode="json", exclude_none=True) for f in report.findings]}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            from xxgk.cli.terminal import draw_findings

            m = report.meta
            out.print(f"[bold]{m.title or path.name}[/bold]  （{m.agency or '机关未识别'}，{m.year or '年度未识别'}年度）")
            draw_findings(out, report.findings)
            out.print()
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    if failed:
        raise typer.Exit(1)
