"""The web application under attack: a hostile upload is killed while everyone else is served.

A real server (uvicorn in a thread, as in production) and real HTTP clients: a 35 KB PDF that
keeps pdfminer busy for hours (tests/hostile.py ``heavy_pdf``) sent to ``/api/check`` and
``/check`` is refused at the time limit; other requests are answered meanwhile; a client that
leaves takes its reading with it (no process left burning CPU). The audit's looping PDF, which
did the same until PDFium read it and pdfminer learnt to stop at its cycle, is answered at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")
import httpx

from conftest import CORPUS
from hostile import CONTENT, UNPLACEABLE, heavy_pdf, looping_pdf
from served import serve
from test_guard import gone_soon
from xxgk.guard import Limits


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The app on a free loopback port, reading uploads within 4 seconds in one watched process."""
    from xxgk.web import Settings, create_app

    db = tmp_path_factory.mktemp("guarded") / "web.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", secret_key="s", read_limits=Limits(seconds=4),
                              read_workers=1, read_queue=2))
    with serve(app) as url:
        yield url, app.state.web.reader


def upload(url: str, raw: bytes, name: str, timeout: float = 120) -> httpx.Response:
    return httpx.post(url + "/api/check", files={"file": (name, raw, "application/pdf")}, timeout=timeout)


def busy_pid(reader: Any, seconds: float = 60) -> int:
    """The watched process that took the upload (waits until there is one)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pids := reader.pids():
            return int(pids[0])
        time.sleep(0.02)
    raise AssertionError("no watched process took the upload")


def test_a_pdf_that_reads_for_hours_is_refused_while_other_users_are_served(served: tuple[str, Any]) -> None:
    url, reader = served
    answer: list[httpx.Response] = []
    attack = threading.Thread(target=lambda: answer.append(upload(url, heavy_pdf(), "heavy.pdf")))
    attack.start()
    pid = busy_pid(reader)
    # Meanwhile the others: pages and the API answer while the heavy file is being read.
    assert httpx.get(url + "/", timeout=60).status_code == 200
    assert httpx.get(url + "/api/rules", timeout=60).status_code == 200
    assert attack.is_alive(), "the attack should still be in the reader while the others are served"
    attack.join(120)
    assert answer and answer[0].status_code == 400
    assert answer[0].json() == {"error": "读取超时（超过 4 秒），已停止读取：heavy.pdf"}
    assert gone_soon(pid), "the process that read the heavy PDF is still running"
    # And the next user's report is read as usual.
    good = httpx.post(url + "/api/check", files={"file": ("dev_001.txt", (CORPUS / "dev_001.txt").read_bytes())},
                      timeout=120)
    assert good.status_code == 200 and good.json()["schema"] == "xxgk.report/1"


def test_the_check_page_says_so_in_chinese(served: tuple[str, Any]) -> None:
    url, _ = served
    with httpx.Client(base_url=url, timeout=120) as client:
        form = client.get("/").text
        token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        page = client.post("/check", data={"csrf_token": token}, files={"file": ("heavy.pdf", heavy_pdf())})
    assert page.status_code == 400
    assert "读取超时（超过 4 秒），已停止读取：heavy.pdf" in page.text


@pytest.mark.parametrize("content", [CONTENT, UNPLACEABLE], ids=["pdfium", "pdfminer"])
def test_the_looping_pdf_is_answered_not_timed_out(served: tuple[str, Any], content: bytes) -> None:
    """The audit's file in either PDF reader: a clear answer, well inside the 4 seconds (no 读取超时)."""
    url, _ = served
    answer = upload(url, looping_pdf(content), "loop.pdf")
    assert answer.status_code == 400
    assert answer.json() == {"error": "内容不像政府信息公开工作年度报告：未找到报告标题、章节标题或统计表格"}


def test_a_client_that_leaves_takes_its_reading_with_it(tmp_path: Any) -> None:
    """With a limit of minutes, the process is killed as soon as the client has gone."""
    from xxgk.web import Settings, create_app

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", secret_key="s", read_limits=Limits(seconds=600),
                              read_workers=1))
    with serve(app) as url:
        reader = app.state.web.reader
        left: list[BaseException] = []

        def leave() -> None:
            try:
                upload(url, heavy_pdf(), "heavy.pdf", timeout=3)  # the client gives up after 3 s
            except httpx.TimeoutException as err:
                left.append(err)

        leaving = threading.Thread(target=leave)
        leaving.start()
        pid = busy_pid(reader)
        leaving.join(60)
        assert left, "the client should have given up"
        assert gone_soon(pid, 60), "the reading went on after the client left"


def test_too_many_waiting_are_told_to_come_back_later(served: tuple[str, Any]) -> None:
    url, _ = served
    answers: list[httpx.Response] = []
    attackers = [threading.Thread(target=lambda: answers.append(upload(url, heavy_pdf(), "heavy.pdf")))
                 for _ in range(5)]
    for attacker in attackers:
        attacker.start()
    for attacker in attackers:
        attacker.join(300)
    statuses = sorted(a.status_code for a in answers)
    assert 503 in statuses and 400 in statuses
    assert {a.json()["error"] for a in answers if a.status_code == 503} == {"正在读取的文件太多，请稍后再试"}
