"""Numbers beyond what the database holds, typed on the command line: a Chinese error and exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.store import Store

HUGE = str(2**64)


@pytest.mark.parametrize(("args", "message"), [
    (["register", "list", "--year", HUGE], "年度应在 2000–2100 之间"),
    (["register", "list", "--year", "0"], "年度应在 2000–2100 之间"),
    (["register", "show", HUGE], f"没有第{HUGE}号申请"),
    (["register", "edit", HUGE, "备注=x"], f"没有第{HUGE}号申请"),
    (["register", "case", "list", "--year", "0"], "年度应在"),
    (["register", "proactive", "0"], "年度应在"),
    (["report", "build", "--year", HUGE, "--agency", "某局"], "年度应在"),
    (["list", "--year", HUGE], "统计年度应在 2000–2100 之间"),
    (["compare", HUGE], "没有名称含"),
])
def test_huge_numbers_are_chinese_errors(tmp_path: Path, args: list[str], message: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    Store(url).close()  # the query commands read an existing database only
    result = CliRunner().invoke(cli, [*args, "--db", url])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
