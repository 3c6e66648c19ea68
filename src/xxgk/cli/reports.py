"""Reports named on the command line (a file, a report JSON or a web address), and the one-line error.

Shared by the commands that read reports (``parse``, ``check``, ``render``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.check import check_report
from xxgk.model import Report
from xxgk.read import ReadError

if TYPE_CHECKING:
    from xxgk.guard import Limits, WatchedPool

EXIT_UNUSABLE = 2

Trusted = Annotated[bool, typer.Option(
    "--trusted", help="文件可信：在本进程中读取，不设时间和内存上限（更快；来历不明的文件不要用）。"
                      "默认每份文件在受监视的子进程中读取（上限见环境变量 XXGK_READ_SECONDS、XXGK_READ_MEMORY_MB）")]


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


def load_report(path: Path | WebAddress, pool: WatchedPool | None = None) -> Report:
    """A report document (read in a watched process), or a report JSON in the contract (re-checked from its numbers).

    ``pool``: the watched processes to read documents in (default: one, with the limits of the environment).
    """
    from xxgk import guard

    if isinstance(path, WebAddress):
        return guard.parse(str(path), pool=pool)
    if _looks_like_json(path):
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
    """The watched processes a command reads documents in (see ``reading_limits``)."""
    from xxgk.guard import WatchedPool

    return WatchedPool(reading_limits(trusted), workers)


def error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")
