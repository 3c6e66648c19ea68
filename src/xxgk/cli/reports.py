"""Reports named on the command line (a file, a report JSON or a web address), and the one-line error.

Shared by the commands that read reports (``parse``, ``check``, ``render``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import xxgk
from xxgk.check import check_report
from xxgk.model import Report
from xxgk.read import ReadError


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
