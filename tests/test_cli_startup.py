"""Start-up: ``xxgk --help`` and ``xxgk parse`` of a text file import only what they use.

Each command imports its subsystems when it runs (``xxgk.cli.main``'s docstring). These tests run
the command in a fresh interpreter and look at ``sys.modules`` afterwards: a module imported at
the top of a CLI module, or of ``xxgk/__init__``, shows up here. Time is measured by
``bench/startup.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import report_path

# What the command's help never needs: the store, the web, the parser and their libraries.
NOT_FOR_HELP = ("xxgk.store", "xxgk.web", "xxgk.register", "xxgk.db", "xxgk.read", "xxgk.parse.report",
                "xxgk.check", "xxgk.model", "xxgk.templates", "xxgk.render", "sqlalchemy", "alembic", "pandas",
                "numpy", "pydantic", "rich", "fastapi", "starlette", "uvicorn", "plotly", "openpyxl", "docx",
                "pdfplumber", "PIL", "opencc", "rapidfuzz", "httpx", "selectolax", "argon2", "markdown_it")
# What reading one text file never needs.
NOT_FOR_TEXT = ("xxgk.store", "xxgk.web", "xxgk.register", "xxgk.db", "xxgk.render", "sqlalchemy", "alembic",
                "pandas", "numpy", "fastapi", "starlette", "uvicorn", "plotly", "openpyxl", "docx", "pdfplumber",
                "pdfminer", "PIL", "cv2", "onnxruntime", "httpx", "selectolax", "lxml", "argon2", "markdown_it")

PROBE = """
import json, sys
from xxgk.cli.main import app
try:
    app(sys.argv[1:], prog_name="xxgk")
except SystemExit as done:
    code = done.code
sys.stdout.flush()
sys.stderr.write("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""


def imported_by(*args: str) -> tuple[int, set[str]]:
    """Run ``xxgk ARGS`` in a fresh interpreter: its exit status and every module it imported."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    record = json.loads(proc.stderr.strip().splitlines()[-1])
    return int(record["code"] or 0), set(record["modules"])


def heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules among ``modules`` that are (or are inside) one of ``names``."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    code, modules = imported_by(*args)
    assert code in (0, 2)  # no_args_is_help exits 2 on some Click versions
    assert "typer" in modules  # the probe did run the command
    assert heavy(modules, NOT_FOR_HELP) == []


@pytest.mark.parametrize("command", ["stats", "serve", "users", "register"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_a_commands_help_imports_nothing_heavy(command: str, flag: str) -> None:
    code, modules = imported_by(command, flag)
    assert code == 0
    # Typer itself builds its parameter converters with pydantic (typer._adapters) for any command's options.
    assert heavy(modules, tuple(n for n in NOT_FOR_HELP if n != "pydantic")) == []


def test_parse_of_a_text_file_loads_no_store_web_or_other_readers() -> None:
    """In the command's own process (``--trusted``): the parser and the text reader, nothing else heavy."""
    code, modules = imported_by("parse", "--trusted", str(report_path("seed_001_a8be0d3400cd1f54")))
    assert code == 0
    assert "xxgk.parse.report" in modules and "rich.console" in modules  # it did parse and draw
    assert heavy(modules, NOT_FOR_TEXT) == []


def test_parse_in_a_watched_process_leaves_the_parser_to_it() -> None:
    """By default the file is read in a watched process: the command itself loads neither parser nor readers."""
    code, modules = imported_by("parse", str(report_path("seed_001_a8be0d3400cd1f54")))
    assert code == 0
    assert "xxgk.guard" in modules and "rich.console" in modules  # it did hand the file over and draw
    assert heavy(modules, (*NOT_FOR_TEXT, "xxgk.parse.report")) == []
    # The child was forked from the command itself: no fork server importing everything first.
    assert "multiprocessing.popen_fork" in modules and "multiprocessing.popen_forkserver" not in modules


def test_the_probe_sees_a_heavy_import() -> None:
    """The check can fail: a command that opens the store shows SQLAlchemy among its modules."""
    _, modules = imported_by("list", "--db", "sqlite:///:memory:")
    assert "sqlalchemy" in heavy(modules, NOT_FOR_HELP)


def test_the_script_builds_only_the_command_it_runs() -> None:
    """``xxgk parse …`` runs an application holding that one command (same usage line, same errors)."""
    from xxgk.cli.main import only

    one = only("parse")
    assert one is not None and [c.name for c in one.registered_commands] == ["parse"]
    assert only("users") is not None and only("no-such-command") is None
    proc = subprocess.run([sys.executable, "-m", "xxgk.cli", "parse", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "parse [选项]" in proc.stdout and "读取年度报告" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "xxgk.cli", "users", "list", "--db", "sqlite:///:memory:"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "还没有用户" in proc.stdout
