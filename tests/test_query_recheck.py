"""Collection findings stay fresh: peers that move on, copies found on both sides, ``recheck``, stored prints.

Real reports again (tests/data/corpus), varied here: a county government's report given to its
neighbours (same level, same province) and moved a year on; a section copied from another report.
Every test runs on SQLite and, with XXGK_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, insert, select, update

from conftest import CORPUS
from test_query_collection import DONOR, copied_problems, moved_years
from xxgk.db import store_schema as schema
from xxgk.store import Store
from xxgk.store.prints import NUM_PERM, PRINT_VERSION, pack, prints_of, section_texts, unpack

HONGZE = CORPUS / "dev_003.txt"  # 淮安市洪泽区人民政府, 2024
NEIGHBOURS = ("淮安市淮阴区人民政府", "淮安市清江浦区人民政府", "淮安市淮安区人民政府", "淮安市涟水县人民政府")


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def neighbour(folder: Path, agency: str, later: int = 0) -> Path:
    """Hongze's report as published by another county government of Jiangsu, ``later`` years on."""
    text = HONGZE.read_text(encoding="utf-8").replace("淮安市洪泽区人民政府", agency)
    for year in range(2030, 2009, -1):
        text = text.replace(str(year), f"@{year + later}@")
    path = folder / f"{agency}_{later}.txt"
    path.write_text(text.replace("@", ""), encoding="utf-8")
    return path


def collection_findings(store: Store) -> set[tuple[Any, ...]]:
    return {(f.report_id, f.rule, f.where, f.related_report_id, f.message) for f in store.findings(scope="collection")}


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own (its own copied-text index, as a second user would have)."""
    return subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True, text=True, timeout=300)


def test_an_agency_left_behind_by_its_peers_is_told_though_not_ingested_again(store: Store, tmp_path: Path) -> None:
    store.ingest([neighbour(tmp_path, name) for name in NEIGHBOURS], workers=1)
    assert {(a.level, a.province) for a in store.agencies()} == {("government", "江苏省")}
    assert not [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-LATEST"]

    # The next year's reports of three of them: the fourth is not in this run, its finding is.
    store.ingest([neighbour(tmp_path, name, 1) for name in NEIGHBOURS[1:]], workers=1)
    behind = [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-LATEST"]
    assert [(f.agency, f.year) for f in behind] == [(NEIGHBOURS[0], 2024)]
    assert "3个中，3个已有2025年度报告" in behind[0].message

    # Its 2025 report arrives: the finding goes.
    store.ingest([neighbour(tmp_path, NEIGHBOURS[0], 1)], workers=1)
    assert not [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-LATEST"]


def test_recheck_recomputes_every_collection_finding(store: Store, store_url: str, tmp_path: Path) -> None:
    store.ingest([CORPUS], workers=1)
    for made in (copied_problems(tmp_path), moved_years(tmp_path, 1), moved_years(tmp_path, 3)):
        store.ingest([made], workers=1)  # one run each: findings kept current run by run
    fresh = collection_findings(store)
    assert {rule for _, rule, *_ in fresh} >= {"COLL-COPY-OTHER", "COLL-COPY-PREVIOUS", "COLL-MISSING-YEAR"}

    # Stale findings (as an interrupted run or an older version may leave them): one wrong, the rest gone.
    report_id = next(r.id for r in store.reports() if r.agency_id is None)  # no agency: no collection check
    with store.engine.begin() as conn:
        conn.execute(delete(schema.Finding).where(schema.Finding.scope == "collection"))
        conn.execute(insert(schema.Finding).values(report_id=report_id, scope="collection", rule="COLL-COPY-OTHER",
                                                   severity="warning", location="sections.other", message="过时"))
    calls: list[tuple[int, int]] = []
    done = store.recheck(lambda n, total: calls.append((n, total)))
    agencies = len({r.agency_id for r in store.reports() if r.agency_id is not None})
    assert (done.agencies, done.findings) == (agencies, len(fresh))
    assert calls[0] == (0, agencies) and calls[-1] == (agencies, agencies)
    assert collection_findings(store) == fresh

    result = xxgk("recheck", "--db", store_url, "--quiet")
    assert result.returncode == 0, result.stderr
    assert f"重新检查完成：{agencies} 个机关，跨报告问题 {len(fresh)} 项" in result.stdout
    assert collection_findings(store) == fresh


def test_reports_another_process_stored_are_compared(store: Store, store_url: str, tmp_path: Path) -> None:
    store.ingest([CORPUS], workers=1)  # this process's index now holds the corpus
    made = copied_problems(tmp_path)
    result = xxgk("ingest", str(made), "--db", store_url, "--quiet", "-j", "1")
    assert result.returncode == 0, result.stderr
    found = {(f.report_id, f.rule) for f in store.findings(scope="collection") if f.rule == "COLL-COPY-OTHER"}
    donor = next(r.id for r in store.reports() if Path(r.source).name == DONOR.name)
    copy = next(r.id for r in store.reports() if Path(r.source).name == made.name)
    assert found == {(copy, "COLL-COPY-OTHER"), (donor, "COLL-COPY-OTHER")}
    # Recomputed here, the copy the other process stored must be in this process's index too.
    store.recheck()
    assert {(f.report_id, f.rule) for f in store.findings(scope="collection") if f.rule == "COLL-COPY-OTHER"} == found


def test_prints_come_from_the_workers_and_are_rebuilt_when_missing(store: Store, store_url: str,
                                                                   tmp_path: Path) -> None:
    store.ingest([CORPUS, copied_problems(tmp_path)], workers=2)
    before = collection_findings(store)
    assert any(rule == "COLL-COPY-OTHER" for _, rule, *_ in before)
    r = schema.Report
    with store.engine.connect() as conn:
        rows = conn.execute(select(r.id, r.data, r.prints)).all()
    for _, data, packed in rows:
        stored, expected = unpack(packed), prints_of(section_texts(data))
        assert stored is not None and stored.keys() == expected.keys()
        for kind, (found, sig) in expected.items():
            stored_found, stored_sig = stored[kind]
            assert stored_found is not None and np.array_equal(stored_found, found)
            if sig is None:
                assert stored_sig is None
            else:
                assert stored_sig is not None and np.array_equal(stored_sig, sig)
    assert sum(unpack(p)["problems"][1] is not None for _, _, p in rows) > 5  # type: ignore[index]

    # A store written before prints were kept: a new process computes them from the text, and finds the same.
    with store.engine.begin() as conn:
        conn.execute(update(r).values(prints=None))
    result = xxgk("recheck", "--db", store_url, "--quiet")
    assert result.returncode == 0, result.stderr
    with store.engine.connect() as conn:
        assert conn.execute(select(r.prints).where(r.prints.is_(None))).first() is None
    assert collection_findings(store) == before


def test_packed_prints_round_trip_and_refuse_what_they_are_not() -> None:
    prints = prints_of({"overview": "本机关认真贯彻落实政府信息公开条例，主动公开各类信息。", "problems": "", "other": "无"})
    packed = pack(prints)
    again = unpack(packed)
    assert again is not None
    assert np.array_equal(again["overview"][0], prints["overview"][0])
    assert again["overview"][1] is not None and len(again["overview"][1]) == NUM_PERM
    assert again["problems"] == (again["problems"][0], None) and len(again["problems"][0]) == 0
    assert unpack(None) is None and unpack(b"") is None and unpack(packed[:-4]) is None and unpack(b"xyz") is None
    older = np.frombuffer(packed, dtype="<u4").copy()
    older[0] = PRINT_VERSION + 1
    assert unpack(older.tobytes()) is None
