"""Untrusted documents are read in watched processes: killed at the time limit, refused past the memory limit.

The attacks are the audit's, rebuilt here byte for byte (tests/hostile.py): a 640-byte PDF whose
page resources refer to each other in a loop (pdfminer followed them for ever; PDFium, the default
reader since, reads it at once, and xxgk's pdfminer now stops at the cycle) and a PDF whose stream
length refers to itself. A document that really does not finish in time is a 35 KB PDF that keeps
pdfminer busy for hours (``heavy_pdf``). What is asserted is behaviour: the error and its wording,
the process gone, the next document read; never how fast.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, DATA
from hostile import UNPLACEABLE, heavy_pdf, looping_pdf, self_length_pdf
from xxgk import guard
from xxgk.guard import Limits, LimitsError, MemoryExceeded, ReadTimeout, Stopped, WatchedPool
from xxgk.guard.pool import descendants
from xxgk.model import Report
from xxgk.read import ReadError

# Hostile tasks get a few seconds; real documents the default (a loaded machine must not fail them).
QUICK = 3.0


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_soon(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


# Tasks for the watched processes (module functions: they travel by name).

def spin(pid_file: str) -> None:
    """Write this process's id, then burn CPU for ever (a reader stuck in a loop)."""
    Path(pid_file).write_text(str(os.getpid()))
    while True:
        pass


def hog(megabytes: int) -> int:
    """Take this much memory, page by page (a reader blowing up)."""
    chunks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return len(chunks)


def pid() -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def pool() -> object:
    with WatchedPool(Limits(), workers=2) as watched:
        yield watched


def pdfium_unplaced(raw: bytes) -> int:
    """How many text objects PDFium leaves unplaced on the first page (any: the file goes to pdfminer)."""
    from xxgk.read.pdf_objects import PdfiumPages

    pages = PdfiumPages(raw)
    try:
        return pages.page(0, 1000, 1000).unplaced
    finally:
        pages.close()


def test_a_pdf_that_reads_for_hours_is_refused_at_the_time_limit_and_the_next_document_is_read(
        pool: WatchedPool) -> None:
    assert pdfium_unplaced(heavy_pdf()) == 1  # the file is read by pdfminer, the reader it keeps busy
    with pytest.raises(ReadTimeout, match=r"读取超时（超过 3 秒），已停止读取：heavy\.pdf"):
        pool.run(guard._bytes_to_parsed, heavy_pdf(), "heavy.pdf", seconds=QUICK, label="heavy.pdf")
    report = guard.parse(DATA / "html" / "report_2021.html", pool=pool)
    assert report.tables["requests"] is not None


def resolve_cycle(raw: bytes) -> object:
    """What pdfminer (as xxgk reads with it) makes of the looping PDF's reference ``6 0 R``."""
    import pdfminer.pdfdocument
    import pdfminer.pdfparser
    import pdfminer.pdftypes

    import xxgk.read.pdf  # noqa: F401 (stops references at their cycles)

    doc = pdfminer.pdfdocument.PDFDocument(pdfminer.pdfparser.PDFParser(io.BytesIO(raw)))
    return pdfminer.pdftypes.resolve1(pdfminer.pdftypes.PDFObjRef(doc, 6))


def test_the_looping_pdf_is_answered_by_both_readers_and_never_reaches_the_limit(pool: WatchedPool) -> None:
    """PDFium reads the audit's file; with text PDFium cannot place it goes to pdfminer, which stops at the cycle."""
    assert pdfium_unplaced(looping_pdf()) == 0 and pdfium_unplaced(looping_pdf(UNPLACEABLE)) == 1
    # Under a limit no reading of 640 bytes comes near: a loop would end as ReadTimeout, not as this.
    assert pool.run(resolve_cycle, looping_pdf(UNPLACEABLE), seconds=60) is None
    for raw in (looping_pdf(), looping_pdf(UNPLACEABLE)):
        with pytest.raises(ReadError) as caught:
            pool.run(guard._bytes_to_parsed, raw, "loop.pdf", seconds=60, label="loop.pdf")
        assert not isinstance(caught.value, ReadTimeout)
        assert str(caught.value) == "内容不像政府信息公开工作年度报告：未找到报告标题、章节标题或统计表格"


def test_a_pdf_whose_stream_length_refers_to_itself_is_a_clear_error_in_both_paths(pool: WatchedPool) -> None:
    """Watched and trusted: PDFium reads the page (not a report); pdfminer says what is wrong with the file."""
    for where in (pool, WatchedPool(Limits(trusted=True))):
        with pytest.raises(ReadError, match="内容不像政府信息公开工作年度报告"):
            guard.parse(self_length_pdf(), "self.pdf", pool=where)
        with pytest.raises(ReadError, match="对象相互引用成环") as caught:
            guard.parse(self_length_pdf(UNPLACEABLE), "self.pdf", pool=where)
        assert "内部错误" not in str(caught.value)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the process")
def test_a_process_over_time_is_killed_not_asked(pool: WatchedPool, tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    with pytest.raises(ReadTimeout, match="读取超时"):
        pool.run(spin, str(marker), seconds=QUICK, label="spin")
    spinner = int(marker.read_text())
    assert gone_soon(spinner), "the process that ran over is still burning CPU"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the process")
def test_a_stopped_task_kills_its_process_at_once(pool: WatchedPool, tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    future = pool.submit(spin, str(marker), seconds=600.0)
    while not marker.exists() or not marker.read_text():
        time.sleep(0.05)
    spinner = int(marker.read_text())
    pool.stop(future)
    with pytest.raises(Stopped):
        future.result(timeout=30)
    assert gone_soon(spinner)


def test_run_stops_the_task_when_the_caller_is_gone(pool: WatchedPool, tmp_path: Path) -> None:
    asked = []

    def gone() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Stopped):
        pool.run(spin, str(tmp_path / "pid"), seconds=600.0, gone=gone, poll=0.2)


def test_memory_over_the_limit_is_refused_and_the_process_replaced() -> None:
    with WatchedPool(Limits(seconds=60, memory_mb=300)) as pool:
        first = pool.run(pid)
        with pytest.raises(MemoryExceeded, match=r"内存超限（超过 300 MB），已停止读取：hog"):
            pool.run(hog, 2000, label="hog")
        assert pool.run(hog, 10) == 10
        assert pool.run(pid) != first  # the process that ran out was not reused


def test_a_child_forked_from_a_large_caller_has_the_whole_budget() -> None:
    """The memory limit counts what the document takes, not what the caller held when the child was forked
    (a notebook or a test run with OCR models loaded: a CLI command run in-process forks from it)."""
    held = bytearray(400 * 1024 * 1024)  # more than the budget, held by the caller before the fork
    try:
        with WatchedPool(Limits(seconds=60, memory_mb=300), start="fork") as pool:
            assert pool.run(hog, 200) == 200
            with pytest.raises(MemoryExceeded, match="内存超限"):
                pool.run(hog, 2000, label="hog")
    finally:
        del held


def test_a_pool_forked_from_this_process_keeps_both_limits(tmp_path: Path) -> None:
    """``start="fork"`` (one-off commands): children forked at ``prestart``, killed and refused as from the fork server."""
    with WatchedPool(Limits(seconds=60, memory_mb=300), start="fork") as pool:
        pool.prestart()
        started = pool.pids()
        assert len(started) == 1 and started[0] != os.getpid()
        assert pool.run(pid) == started[0]  # the task went to the child started before it
        with pytest.raises(MemoryExceeded, match="内存超限"):
            pool.run(hog, 2000, label="hog")
        marker = tmp_path / "pid"
        with pytest.raises(ReadTimeout, match="读取超时"):
            pool.run(spin, str(marker), seconds=QUICK, label="spin")
        assert gone_soon(int(marker.read_text()))
        assert pool.run(pid) not in (*started, int(marker.read_text()), os.getpid())
    assert gone_soon(started[0])


def test_processes_are_reused_and_end_with_the_pool() -> None:
    pool = WatchedPool()
    first = pool.run(pid)
    assert pool.run(pid) == first
    pool.close()
    assert not alive(first) or gone_soon(first)
    with pytest.raises(RuntimeError):
        pool.submit(pid)


def test_many_tasks_in_a_few_processes_come_back_each_with_its_own_outcome(pool: WatchedPool) -> None:
    files = [str(CORPUS / "dev_001.txt"), str(DATA / "pdf" / "002p.pdf"), str(CORPUS / "no-such-file.txt")]
    outcomes = dict(pool.map_unordered(guard._source_to_report, files, label=lambda f: Path(f).name))
    first, second = outcomes[files[0]], outcomes[files[1]]
    assert isinstance(first, Report) and first.source.name == "dev_001.txt"
    assert isinstance(second, Report) and second.meta.agency == "洪泽区人民政府"
    assert isinstance(outcomes[files[2]], ReadError) and "找不到文件" in str(outcomes[files[2]])


def test_trusted_runs_in_this_process() -> None:
    with WatchedPool(Limits(trusted=True)) as pool:
        assert pool.run(pid) == os.getpid()


def test_busy_pool_refuses_more_than_it_can_queue(tmp_path: Path) -> None:
    with WatchedPool(Limits(seconds=30), max_waiting=1) as pool:
        running = pool.submit(spin, str(tmp_path / "a"))
        waiting = pool.submit(pid)
        with pytest.raises(guard.Busy, match="请稍后再试"):
            pool.submit(pid).result()
        pool.stop(running)
        assert waiting.result(timeout=60) > 0


# In a fresh process the first child waits for the fork server to start (it imports the package):
# the first task is then out of the queue and with no child yet, and must still count as busy.
FIRST_CHILD_STARTING = """
import sys, time
from test_guard import pid, spin
from xxgk import guard
from xxgk.guard import Limits, WatchedPool
with WatchedPool(Limits(seconds=30), max_waiting=1) as pool:
    running = pool.submit(spin, sys.argv[1])
    while pool._waiting:  # taken by the watcher, its process starting
        time.sleep(0.001)
    waiting = pool.submit(pid)
    try:
        pool.submit(pid).result(timeout=60)
    except guard.Busy as err:
        print(err)
    pool.stop(running)
    waiting.result(timeout=60)
"""


def test_busy_pool_counts_the_task_whose_process_is_starting(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", FIRST_CHILD_STARTING, str(tmp_path / "a")],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "正在读取的文件太多，请稍后再试"


@pytest.mark.parametrize(("changes", "message"), [
    ({"seconds": 0}, "读取时间上限"), ({"seconds": True}, "读取时间上限"), ({"memory_mb": 10}, "读取内存上限"),
    ({"memory_mb": 1.5}, "读取内存上限"), ({"trusted": "yes"}, "trusted"),
])
def test_limits_are_validated(changes: dict[str, object], message: str) -> None:
    with pytest.raises(LimitsError, match=message):
        Limits(**changes)  # type: ignore[arg-type]


def test_limits_from_the_environment() -> None:
    assert Limits.from_environment({}) == Limits()
    assert Limits.from_environment({}, seconds=60) == Limits(seconds=60)
    env = {"XXGK_READ_SECONDS": "30", "XXGK_READ_MEMORY_MB": "1024", "XXGK_TRUSTED": "1"}
    assert Limits.from_environment(env, seconds=60) == Limits(seconds=30, memory_mb=1024, trusted=True)
    with pytest.raises(LimitsError, match="XXGK_READ_SECONDS"):
        Limits.from_environment({"XXGK_READ_SECONDS": "abc"})


def test_the_command_line_refuses_a_pdf_that_reads_for_hours_at_the_limit_and_reads_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "heavy.pdf"
    bad.write_bytes(heavy_pdf())
    env = {**os.environ, "XXGK_READ_SECONDS": "6"}
    result = subprocess.run([sys.executable, "-m", "xxgk", "parse", "--json", str(bad), str(CORPUS / "dev_001.txt")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 2
    # One line on stderr: the refusal (no pdfminer log line, no traceback).
    assert result.stderr.strip().splitlines() == ["错误：读取超时（超过 6 秒），已停止读取：heavy.pdf"]
    assert '"schema": "xxgk.report/1"' in result.stdout


def test_trusted_flag_reads_in_process(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "xxgk", "parse", "--trusted", "--json", str(CORPUS / "dev_001.txt")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert '"schema": "xxgk.report/1"' in result.stdout


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_descendants_lists_the_whole_tree() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import subprocess,sys,time; "
                              "p=subprocess.Popen([sys.executable,'-c','import time; time.sleep(60)']); "
                              "print(p.pid, flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        grandchild = int(child.stdout.readline())
        assert grandchild in descendants(child.pid)
        from xxgk.guard.pool import kill_tree

        kill_tree(child.pid)
        assert gone_soon(grandchild)
    finally:
        child.kill()
        child.wait()
