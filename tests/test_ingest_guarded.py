"""Ingest under attack: hostile documents fail alone, the rest of the batch is stored, the run always ends.

The attacks are the audit's (tests/hostile.py): the 640-byte looping PDF (now read at once, in
both PDF readers), a link to /dev/zero named like a report, a FIFO, and a run killed during its
last step; and a 35 KB PDF that keeps pdfminer busy for hours, which only the time limit ends. Every test runs on SQLite
and, with XXGK_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from conftest import CORPUS
from hostile import UNPLACEABLE, heavy_pdf, looping_pdf, self_length_pdf
from test_query_recheck import NEIGHBOURS, neighbour
from xxgk.db import store_schema as schema
from xxgk.guard import Limits
from xxgk.store import Store

# The heavy PDF must be stopped well before the default limit; real reports get the rest.
SHORT = Limits(seconds=8)


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def test_hostile_pdfs_fail_alone_and_the_good_reports_of_the_batch_are_stored(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "heavy.pdf").write_bytes(heavy_pdf())
    (folder / "loop.pdf").write_bytes(looping_pdf())
    (folder / "loop-pdfminer.pdf").write_bytes(looping_pdf(UNPLACEABLE))
    (folder / "selflen.pdf").write_bytes(self_length_pdf())
    for name in ("dev_001.txt", "dev_002.txt", "dev_010.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    summary = store.ingest([folder], workers=2, limits=SHORT)
    assert (summary.ok, summary.failed) == (3, 4), [f.error for f in summary.failures]
    errors = {Path(f.source).name: f.error or "" for f in summary.failures}
    assert errors["heavy.pdf"] == "读取超时（超过 8 秒），已停止读取：heavy.pdf"
    for name in ("loop.pdf", "loop-pdfminer.pdf"):  # read, and found not to be a report
        assert errors[name].startswith("内容不像政府信息公开工作年度报告"), errors[name]
    assert "内部错误" not in errors["selflen.pdf"]
    assert store.count() == 3
    with store.engine.connect() as conn:
        run = conn.execute(select(schema.IngestRun.status, schema.IngestRun.ok, schema.IngestRun.failed)).one()
        assert tuple(run) == ("completed", 3, 4)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_fifos_and_links_to_them_are_refused_not_read(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "x.txt").symlink_to("/dev/zero")  # read, it would fill the memory
    os.mkfifo(folder / "pipe.txt")  # opened, it would wait for a writer for ever
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "good.txt").symlink_to(CORPUS / "dev_001.txt")  # a link to a regular file is fine
    summary = store.ingest([folder, folder / "pipe.txt"], workers=1, limits=SHORT)
    assert summary.ok == 1
    errors = {Path(f.source).name: f.error or "" for f in summary.failures}
    assert set(errors) == {"x.txt", "pipe.txt", "dangling.txt"}
    assert "不是普通文件" in errors["x.txt"] and "不是普通文件" in errors["pipe.txt"]
    assert "找不到文件" in errors["dangling.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_the_worker_refuses_what_became_a_device_after_the_listing(tmp_path: Path) -> None:
    """The worker checks what it opened (fstat): a file swapped for a FIFO after the listing is refused too."""
    from xxgk.store.sources import Item
    from xxgk.store.work import parse_item

    path = tmp_path / "report.txt"
    os.mkfifo(path)
    with pytest.raises(Exception, match="不是普通文件"):
        parse_item(Item(str(path), size=10, mtime=0.0))


KILLED_IN_THE_LAST_STEP = """
import os, sys
from xxgk.store.write import Writer
Writer.finish = lambda self: os._exit(9)  # killed after the last batch, during the peers' refresh
from xxgk.store import Store
with Store(sys.argv[1]) as store:
    store.ingest(sys.argv[2:], workers=1)
"""


def test_a_run_killed_in_its_last_step_is_finished_by_the_next(store: Store, store_url: str, tmp_path: Path) -> None:
    store.ingest([neighbour(tmp_path, name) for name in NEIGHBOURS], workers=1)
    later = [str(neighbour(tmp_path, name, 1)) for name in NEIGHBOURS[1:]]
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_THE_LAST_STEP, store_url, *later],
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == 9, killed.stderr
    # The reports are stored, but the peers' refresh never ran: the one agency left behind is not told.
    assert store.count() == 2 * len(NEIGHBOURS) - 1
    assert not [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-LATEST"]
    with store.engine.connect() as conn:
        stuck = conn.execute(select(schema.IngestRun.id).where(schema.IngestRun.status == "running")).scalars().all()
    assert len(stuck) == 1

    again = store.ingest(later, workers=1)  # nothing new to read
    assert (again.ok, again.skipped) == (0, len(later))
    assert again.unfinished_runs == stuck
    behind = [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-LATEST"]
    assert [(f.agency, f.year) for f in behind] == [(NEIGHBOURS[0], 2024)]
    with store.engine.connect() as conn:
        statuses = dict(conn.execute(select(schema.IngestRun.id, schema.IngestRun.status)).all())
    assert again.run_id is not None
    assert statuses[stuck[0]] == "interrupted" and statuses[again.run_id] == "completed"


def test_the_command_line_says_an_unfinished_run_was_finished(store: Store, store_url: str) -> None:
    store.ingest([CORPUS / "dev_001.txt"], workers=1)
    with store.engine.begin() as conn:
        conn.execute(update(schema.IngestRun).values(status="running", finished_at=None))
    result = subprocess.run([sys.executable, "-m", "xxgk", "ingest", str(CORPUS / "dev_001.txt"), "--db", store_url,
                             "--quiet"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "上次入库（第 1 次）未正常结束" in result.stdout
