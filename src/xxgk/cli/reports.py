"""Reports named on the command line (a file, a report JSON or a web address), ``parse`` and ``check``.

The bodies of ``xxgk parse`` and ``xxgk check``, and what ``render`` and ``ingest`` share with them.
Imported when one of those commands runs (the parser is not loaded for ``xxgk --help``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from xxgk._address import is_web_address
from xxgk.read import ReadError

if TYPE_CHECKING:
    from rich.console import Console

    from xxgk.guard import Limits, WatchedPool
    from xxgk.model import Report

EXIT_UNUSABLE = 2


class WebAddress(str):
    """A command-line argument that is a web address; ``.name`` shows it as a path's name would."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return str(self)


def as_source(arg: str) -> Path | WebAddress:
    """A command-line argument as what it names: a web address (``scheme://``) or a file path."""
    return WebAddress(arg) if is_web_address(arg) else Path(arg)


def load_reports(path: Path | WebAddress, pool: WatchedPool | None = None) -> list[Report]:
    """Every report a document holds (read in a watched process), or the one of a report JSON."""
    from xxgk import guard

    if isinstance(path, Path) and _looks_like_json(path):
        return [load_report(path, pool)]
    return guard.parse_all(str(path) if isinstance(path, WebAddress) else path, pool=pool)


def load_report(path: Path | WebAddress, pool: WatchedPool | None = None) -> Report:
    """A report document (read in a watched process), or a report JSON in the contract (re-checked from its numbers).

    ``pool``: the watched processes to read documents in (default: one, with the limits of the environment).
    """
    from xxgk import guard

    if isinstance(path, WebAddress):
        return guard.parse(str(path), pool=pool)
    if _looks_like_json(path):
        from xxgk.check import check_report
        from xxgk.check.report_json import report_from_json

        report = report_from_json(_json_bytes(path), path.name)
        # The numbers are taken as corrected: earlier findings no longer apply.
        report.findings = check_report(report)
        return report
    return guard.parse(path, pool=pool)


def _looks_like_json(path: Path) -> bool:
    """Whether a regular file starts like a JSON object (only its head is read: it may be huge, or no file)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def _json_bytes(path: Path) -> bytes:
    """A report JSON's bytes, within the readers' size limit."""
    from xxgk.read import MAX_BYTES

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ReadError(f"无法读取文件：{path}（{err.strerror or err}）") from err
    if len(raw) > MAX_BYTES:
        raise ReadError(f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）：{path.name}")
    return raw


def reading_limits(trusted: bool = False) -> Limits:
    """The limits a command reads documents within: the environment's, ``--trusted`` on top.

    A limit set wrongly in the environment ends the command with its Chinese message (exit status 2).
    """
    from xxgk.guard import Limits, LimitsError

    try:
        limits = Limits.from_environment()
    except LimitsError as err:
        error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    return limits.but(trusted=True) if trusted else limits


def reading_pool(trusted: bool = False, workers: int = 1) -> WatchedPool:
    """The watched processes a command reads documents in (see ``reading_limits``), started at once.

    Forked from the command's process (no fork server for a one-off command), which has imported
    little so far: each child imports the parser while the command imports what it draws with.
    """
    from xxgk.guard import PARSER_MODULES, WatchedPool

    pool = WatchedPool(reading_limits(trusted), workers, start="fork", preload=PARSER_MODULES)
    pool.prestart()
    return pool


def error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _read_every(path: Path | WebAddress, pool: WatchedPool, doing: str, every: bool) -> list[Report]:
    """The report named on the command line, or (``every``) each report of a compilation, read in the pool;
    none, with its one-line error printed, where the file cannot be read."""
    try:
        return load_reports(path, pool) if every else [load_report(path, pool)]
    except ReadError as e:
        error(f"错误：{e}" if path.name in str(e) else f"错误：{path.name}：{e}")
    except Exception as e:  # a bug must not show a traceback to the user, but must be reported
        error(f"内部错误：{path.name}：{doing}失败（{type(e).__name__}: {e}），请报告此问题")
    return []


def parse_files(files: list[str], as_json: bool, trusted: bool = False, every: bool = False) -> None:
    """``xxgk parse``: each file's tables, figures and findings (drawn, or as contract JSON); ``every``: each
    report of a file that holds several."""
    failed = 0
    with reading_pool(trusted) as pool:
        out = None if as_json else _console()
        import xxgk.model  # noqa: F401  (for the reports that come back: loaded while the child reads)

        for path in map(as_source, files):
            reports = _read_every(path, pool, "读取", every)
            if not reports:
                failed += 1
            for report in reports:
                if out is None:
                    # One report: indented; several (files, or a compilation's parts): one line each.
                    one = len(files) == 1 and not every
                    sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=1 if one else None) + "\n")
                    sys.stdout.flush()
                else:
                    from xxgk.cli.terminal import draw_report

                    draw_report(out, report)
    if failed:
        raise typer.Exit(EXIT_UNUSABLE)


def check_files(files: list[str], as_json: bool, strict: bool, trusted: bool = False, every: bool = False) -> None:
    """``xxgk check``: each report's findings, with the cross-year ones among the reports given together;
    ``every``: each report of a file that holds several."""
    from xxgk.check import check_collection

    reports: list[tuple[Path | WebAddress, Report]] = []
    unreadable = 0
    with reading_pool(trusted) as pool:
        for path in map(as_source, files):
            read = _read_every(path, pool, "检查", every)
            unreadable += not read
            reports += [(path, report) for report in read]
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
            from rich.text import Text

            from xxgk.cli.terminal import draw_findings

            m = report.meta
            out.print(Text.assemble((m.title or path.name, "bold"),
                                    f"  （{m.agency or '机关未识别'}，{m.year or '年度未识别'}年度）"))
            draw_findings(out, report.findings)
            out.print()
    if unreadable:
        raise typer.Exit(EXIT_UNUSABLE)
    if failed:
        raise typer.Exit(1)
