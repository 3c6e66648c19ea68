"""``xxgk serve`` when its port is taken: the next free port (said so), or one Chinese line and exit 2."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli import serve
from xxgk.cli.main import app


@pytest.fixture
def taken() -> Iterator[int]:
    """A loopback port another program is listening on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield int(other.getsockname()[1])


def test_default_port_taken_serves_on_the_next_free_one(taken: int, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "DEFAULT_PORT", taken)
    served: list[int] = []

    def run(self: Any, sockets: list[socket.socket]) -> None:  # uvicorn.Server.run, without serving
        served.extend(s.getsockname()[1] for s in sockets)

    monkeypatch.setattr("uvicorn.Server.run", run)
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and served[0] > taken
    assert f"端口 {taken} 已被占用，改用端口 {served[0]}" in result.stdout
    assert f"http://127.0.0.1:{served[0]}/" in result.stdout


def test_a_port_given_and_taken_is_one_chinese_line_and_exit_2(taken: int, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "xxgk.cli", "serve", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                           "--port", str(taken)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"错误：端口 {taken} 已被占用"), proc.stderr
    assert "--port " in lines[0] and "DEMO_PORT=" in lines[0]
    assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr


def test_listening_socket_refuses_what_it_cannot_bind() -> None:
    with pytest.raises(serve.PortError, match=r"无法在 192\.0\.2\.1:8000 上监听"):
        serve.listening_socket("192.0.2.1", 8000)  # TEST-NET-1: not an address of this machine
