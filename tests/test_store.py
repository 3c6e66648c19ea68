"""The store: ingest of the real reports, re-ingest, the long table, failures, resume, reparse, migrations.

Every test runs on SQLite and, when XXGK_TEST_DATABASE_URL is set, on PostgreSQL (``store_url``).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, make_url, select, text, update

from conftest import CORPUS
from xxgk.db import store_schema as schema
from xxgk.db.engine import alembic_config, make_engine, upgrade
from xxgk.parse import version
from xxgk.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def report_files() -> list[Path]:
    """The real reports shipped with the project (corpus and examples; some are the same file)."""
    return sorted([*CORPUS.glob("*.txt"), *EXAMPLES.glob("*.txt")])


def distinct_files() -> int:
    return len({hashlib.sha256(p.read_bytes()).hexdigest() for p in report_files()})


def numbers(data: dict[str, Any]) -> list[float]:
    """Every number in a contract JSON's tables."""
    return [float(v) for table in (data.get("tables") or {}).values() for row in (table or {}).values()
            for v in row.values() if isinstance(v, int | float)]


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def test_ingest_real_reports_then_again_is_a_no_op(store: Store, tmp_path: Path) -> None:
    first = store.ingest([CORPUS, EXAMPLES], workers=2)  # the process pool
    files = report_files()
    assert (first.ok, first.failed) == (distinct_files(), 0)
    assert first.skipped == len(files) - distinct_files()  # examples/ repeats corpus files
    assert store.count() == distinct_files()

    again = store.ingest([CORPUS, EXAMPLES], workers=1)
    assert (again.ok, again.skipped, again.failed) == (0, len(files), 0)

    # The same bytes under another name and place: recognised by sha256, not stored twice.
    copy = tmp_path / "copy" / "renamed.txt"
    copy.parent.mkdir()
    copy.write_bytes(files[0].read_bytes())
    moved = store.ingest([copy], workers=1)
    assert (moved.ok, moved.skipped) == (0, 1)
    assert store.count() == distinct_files()


def test_stored_report_is_what_parse_gives(store: Store) -> None:
    import xxgk

    path = CORPUS / "dev_003.txt"
    store.ingest([path], workers=1)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = store.get(sha)
    assert stored is not None
    fresh = xxgk.parse(path)
    assert stored.tables == fresh.tables
    assert stored.meta.agency == fresh.meta.agency == "淮安市洪泽区人民政府"
    (row,) = store.reports()
    assert (row.year, row.template, row.sha256) == (2024, "2021", sha)
    assert row.errors == sum(f.severity == "error" for f in fresh.findings)
    assert store.get(row.id) == stored
    assert store.get(10**6) is None


def test_cells_add_up_to_the_contract_json(store: Store) -> None:
    store.ingest([CORPUS], workers=1)
    engine = store.engine
    with engine.connect() as conn:
        reports = conn.execute(select(schema.Report.id, schema.Report.data)).all()
        sums = dict(conn.execute(select(schema.Cell.report_id, func.sum(schema.Cell.value))
                                 .group_by(schema.Cell.report_id)).all())
        counts = dict(conn.execute(select(schema.Cell.report_id, func.count(schema.Cell.value))
                                   .group_by(schema.Cell.report_id)).all())
        granted = conn.execute(select(func.sum(schema.Cell.value)).where(
            schema.Cell.table_id == "requests", schema.Cell.row_id == "granted",
            schema.Cell.column_id == "total")).scalar()
    assert len(reports) == len(list(CORPUS.glob("*.txt")))
    with_tables = 0
    for report_id, data in reports:
        values = numbers(data)
        assert counts.get(report_id, 0) == len(values)
        assert (sums.get(report_id) or 0) == pytest.approx(sum(values))
        with_tables += bool(values)
    assert with_tables >= 10
    expected = sum((d["tables"].get("requests") or {}).get("granted", {}).get("total") or 0 for _, d in reports)
    assert granted == pytest.approx(expected) and expected > 0


def test_a_bad_file_is_a_failed_item_and_the_run_goes_on(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (folder / "c_picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    (folder / "d_report.txt").write_bytes((CORPUS / "dev_010.txt").read_bytes())
    (folder / "e_notes.txt").write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    summary = store.ingest([folder, tmp_path / "missing.txt"], workers=1)
    assert (summary.ok, summary.failed) == (1, 5)
    assert store.count() == 1
    with store.engine.connect() as conn:
        items = conn.execute(select(schema.IngestItem.source, schema.IngestItem.status, schema.IngestItem.error)
                             .where(schema.IngestItem.status == "failed")).all()
    assert len(items) == 5
    for source, _, error in items:
        assert error and any("\u4e00" <= ch <= "\u9fff" for ch in error), (source, error)
        assert "Traceback" not in error
    assert any("找不到" in (e or "") for _, _, e in items)
    # Failed items are tried again on the next run (the file may have been fixed); the rest is skipped.
    (folder / "a_empty.txt").write_bytes((CORPUS / "dev_002.txt").read_bytes())
    again = store.ingest([folder], workers=1)
    assert (again.ok, again.skipped, again.failed) == (1, 1, 3)


def corpus_copies(folder: Path, n: int) -> list[Path]:
    """``n`` distinct report files (real reports, each with a line of its own so the bytes differ)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    paths = []
    for i in range(n):
        path = folder / f"r{i:04d}.txt"
        path.write_text(sources[i % len(sources)] + f"\n（副本 {i}）\n", encoding="utf-8")
        paths.append(path)
    return paths


def stored_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM reports")).scalar_one())
    except Exception:  # tables not created yet
        return 0
    finally:
        engine.dispose()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting for its parent does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_killed_ingest_resumes_with_every_report_once(store_url: str, tmp_path: Path) -> None:
    files = corpus_copies(tmp_path / "many", 100)
    command = [sys.executable, "-m", "xxgk", "ingest", str(tmp_path / "many"), "--db", store_url, "--workers", "2",
               "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        stored = stored_count(store_url)
        if stored > 0:
            break
        time.sleep(0.02)
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)  # the command, mid-run: its workers must not outlive it
    process.wait()
    assert 0 < stored < len(files), "the kill should land in the middle of the run"
    assert workers, "ingest --workers 2 runs worker processes"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.1)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived the killed ingest"
    assert stored_count(store_url) < len(files)

    with Store(store_url) as store:
        summary = store.ingest([tmp_path / "many"], workers=2)
        assert summary.failed == 0
        assert store.count() == len(files)
        with store.engine.connect() as conn:
            shas = conn.execute(select(schema.Document.sha256)).scalars().all()
            data: dict[int, dict[str, Any]] = dict(conn.execute(select(schema.Report.id, schema.Report.data)).all())
            cells = dict(conn.execute(select(schema.Cell.report_id, func.count(schema.Cell.value))
                                      .group_by(schema.Cell.report_id)).all())
        assert sorted(shas) == sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in files)
        # No half-written report: each has exactly the cells of its contract JSON.
        assert all(cells.get(i, 0) == len(numbers(d)) for i, d in data.items())


def test_agencies_same_body_across_years_and_different_bodies_apart(store: Store) -> None:
    store.ingest([CORPUS / "dev_002.txt", CORPUS / "dev_003.txt", CORPUS / "dev_001.txt"], workers=1)
    by_name = {a.name: a for a in store.agencies()}
    hongze = by_name["洪泽区人民政府"]  # the 2023 title; 2024's says 淮安市洪泽区人民政府
    assert {n.name for n in hongze.names} == {"洪泽区人民政府", "淮安市洪泽区人民政府"}
    assert (hongze.level, hongze.county, hongze.county_code, hongze.city) == ("government", "洪泽区", "320813", "淮安市")
    huaian = by_name["淮安市人民政府"]  # the city's government is another body
    assert huaian.id != hongze.id and huaian.county is None
    years = sorted(r.year or 0 for r in store.reports(agency_id=hongze.id))
    assert years == [2023, 2024]


@pytest.mark.parametrize(("first", "second", "same"), [
    ("淮安市洪泽区统计局", "洪泽区统计局", True),
    ("淮安市发展和改革委员会", "淮安市发展改革委员会", True),
    ("淮安市人力资源和社会保障局", "淮安市人力资源社会保障局", True),
    ("麻陽苗族自治縣板栗樹鄉人民政府", "麻阳苗族自治县板栗树乡人民政府", True),
    ("关于淮安市洪泽区统计局2021年政府信息公开工作年度报告", "淮安市洪泽区统计局", True),
    ("淮安市洪泽区统计局 ", "淮安市洪泽区统计局", True),
    ("淮安市洪泽区统计局", "淮安市洪泽区教育局", False),
    ("淮安市公安局交通警察支队第一大队", "淮安市公安局交通警察支队第二大队", False),
    ("淮安市市场监督管理局", "淮安市市场监管局", False),  # maybe the same, but not sure enough to merge
    ("淮安市人民政府", "淮安市洪泽区人民政府", False),
    ("淮安市洪泽区人民政府", "淮安市淮阴区人民政府", False),
    ("朝阳区教育委员会", "北京市朝阳区教育委员会", False),  # 朝阳区 alone: Beijing's or Changchun's?
    ("区统计局", "淮安市洪泽区统计局", False),
])
def test_agency_matching(store: Store, first: str, second: str, same: bool) -> None:
    from xxgk.db.engine import writing
    from xxgk.store.agencies import AgencyResolver

    with writing(store.engine) as conn:
        resolver = AgencyResolver(conn)
        a, b = resolver.resolve(first), resolver.resolve(second)
    assert (a == b) is same


def test_region_unknown_rather_than_guessed_and_the_override_table(store: Store, tmp_path: Path) -> None:
    from xxgk.db.engine import writing
    from xxgk.store.agencies import AgencyResolver

    with writing(store.engine) as conn:
        resolver = AgencyResolver(conn)
        for name in ("朝阳区教育委员会", "雄安新区管理委员会", "淮安市洪泽区统计局", "平潭综合实验区", "武隆县人民政府"):
            resolver.resolve(name)
    regions = {a.name: (a.province, a.city, a.county) for a in store.agencies()}
    assert regions["朝阳区教育委员会"] == (None, None, None)  # Beijing's or Changchun's?
    assert regions["雄安新区管理委员会"] == (None, None, None)  # a zone across several districts: no division
    assert regions["淮安市洪泽区统计局"] == ("江苏省", "淮安市", "洪泽区")
    assert regions["平潭综合实验区"] == ("福建省", "福州市", "平潭县")  # the zone is 平潭县 whole
    assert regions["武隆县人民政府"] == ("重庆市", None, "武隆区")  # the county's name before 2016

    table = tmp_path / "regions.toml"
    table.write_text('[[region]]\nname = "雄安新区管理委员会"\nprovince = "河北省"\nprovince_code = "130000"\n',
                     encoding="utf-8")
    assert store.load_regions(table) == 1
    zone = next(a for a in store.agencies() if a.name == "雄安新区管理委员会")
    assert (zone.province, zone.province_code, zone.city, zone.region_overridden) == ("河北省", "130000", None, True)

    bad = tmp_path / "bad.csv"
    bad.write_text("name,county_code\n雄安新区管理委员会,35x\n", encoding="utf-8")
    with pytest.raises(StoreError, match="6位行政区划代码"):
        store.load_regions(bad)


def test_carry_over_across_years_is_a_collection_finding(store: Store, tmp_path: Path) -> None:
    store.ingest([CORPUS / "dev_002.txt"], workers=1)  # 2023: 结转下年度 0
    assert store.findings(scope="collection") == []
    text_2024 = (CORPUS / "dev_003.txt").read_text(encoding="utf-8")
    line = "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"
    assert line in text_2024
    changed = tmp_path / "hongze_2024.txt"
    changed.write_text(text_2024.replace(line, "二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2"), encoding="utf-8")
    store.ingest([changed], workers=1)
    found = store.findings(scope="collection")
    assert {f.rule for f in found} == {"XYEAR-CARRY"}
    (previous,) = [r.id for r in store.reports(year=2023)]
    assert {f.related_report_id for f in found} == {previous}
    assert any(f.where == "requests.carried_over.total" for f in found)


def test_reparse_after_a_parser_version_bump(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.ingest([CORPUS / "dev_001.txt", CORPUS / "dev_010.txt", CORPUS / "seed_001_a8be0d3400cd1f54.txt"],
                 workers=1)
    assert store.outdated() == []
    with store.engine.connect() as conn:
        cells_before = conn.execute(select(func.count()).select_from(schema.Cell)).scalar_one()
        findings_before = conn.execute(select(func.count()).select_from(schema.Finding)).scalar_one()
    ids = sorted(r.id for r in store.reports())
    # Damage what an "old parser" stored, and keep one report without its bytes (read from its path).
    with store.engine.begin() as conn:
        conn.execute(delete(schema.Cell).where(schema.Cell.report_id == ids[0]))
        conn.execute(update(schema.Report).where(schema.Report.id == ids[1]).values(year=1999))
        conn.execute(update(schema.Document).where(schema.Document.id == select(schema.Report.document_id).where(
            schema.Report.id == ids[2]).scalar_subquery()).values(content=None))

    monkeypatch.setattr(version, "PARSER_REVISION", version.PARSER_REVISION + 1)
    assert store.outdated() == ids
    summary = store.reparse(workers=1)
    assert (summary.ok, summary.failed) == (3, 0)
    assert store.outdated() == []
    assert sorted(r.id for r in store.reports()) == ids
    assert {r.parser_version for r in store.reports()} == {version.parser_version()}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.Cell)).scalar_one() == cells_before
        assert conn.execute(select(func.count()).select_from(schema.Finding)).scalar_one() == findings_before
    assert 1999 not in {r.year for r in store.reports()}
    assert store.reparse(everything=True, workers=1).ok == 3


def test_migrations_reach_head_without_drift(store_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = make_engine(store_url)
    upgrade(engine)
    upgrade(engine)  # a second open changes nothing
    with engine.connect() as conn:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    config = alembic_config(store_url)
    assert current == ScriptDirectory.from_config(config).get_current_head()
    command.check(config)  # raises when schema.py and the migrations disagree

    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(StoreError, match="较新版本"):
        upgrade(engine)
    engine.dispose()


def test_unusable_database_urls_give_chinese_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="文件夹不存在"):
        Store(f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}")
    with pytest.raises(StoreError, match="不支持的数据库"):
        Store("mysql://localhost/x")
    with pytest.raises(StoreError, match="无法识别"):
        Store("not a url://x")
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store(f"sqlite:///{tmp_path / 'junk.db'}")


def test_a_postgresql_server_that_cannot_be_used_is_said_in_chinese() -> None:
    """No server on the port: said before the driver's words; a database missing on a real server: named, with createdb."""
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now
    with pytest.raises(StoreError, match="无法连接数据库服务器：请确认服务器已启动"):
        Store(f"postgresql+psycopg://xxgk@127.0.0.1:{port}/xxgk")
    server = os.environ.get("XXGK_TEST_DATABASE_URL")
    if server:
        url = make_url(server).set(database="xxgk_no_such_database")
        with pytest.raises(StoreError, match="数据库 xxgk_no_such_database 不存在，请先创建（如 createdb xxgk_no_such_database）"):
            Store(url.render_as_string(hide_password=False))


def test_reparse_gives_an_agency_the_level_its_report_now_tells(store: Store, tmp_path: Path) -> None:
    # 湖州市人民政府办公室 (parser revision 13: a government's 办公室 is a department) in a store built before, when
    # it was 未识别; and 湖州市公安局, stored by today's rule. Reparse derives the level again from its report.
    data = Path(__file__).resolve().parent / "data" / "huzhou"
    store.ingest([data / "h01_2023.txt", data / "h07_2023.txt"], workers=1)
    a = schema.Agency
    with store.engine.begin() as conn:
        assert dict(conn.execute(select(a.name, a.level)).all()) == {
            "湖州市人民政府办公室": "department", "湖州市公安局": "department"}
        conn.execute(update(a).where(a.name == "湖州市人民政府办公室").values(
            level="unknown", level_reason="无法从名称判断", province=None, province_code=None, city=None,
            city_code=None))
    from xxgk.store.query import Filters
    from xxgk.store.stats import stats

    def departments() -> int:
        return int(stats(store.engine, Filters(level="department"))["reports"].sum())

    assert departments() == 1
    assert store.reparse(everything=True, workers=1).ok == 2
    with store.engine.connect() as conn:
        office = conn.execute(select(a).where(a.name == "湖州市人民政府办公室")).one()
    assert (office.level, office.city_code) == ("department", "330500")
    assert "办公室" in (office.level_reason or "")
    assert departments() == 2


def test_cli_ingest_findings_agencies_reparse(store_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    runner = CliRunner()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), str(bad), "--db", store_url, "-j", "1"])
    assert result.exit_code == 1, result.output
    examples = len(list(EXAMPLES.glob("*.txt")))
    assert f"成功 {examples} 份" in result.output and "失败 1 份" in result.output and "bad.txt" in result.output
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", store_url, "-j", "1"])
    assert result.exit_code == 0 and f"跳过（已入库）{examples} 份" in result.output

    result = runner.invoke(app, ["findings", "--db", store_url])
    assert result.exit_code == 0 and "PARSE-DIGITS-AMBIGUOUS" in result.output and "平潭综合实验区" in result.output
    result = runner.invoke(app, ["findings", "--db", store_url, "--json", "--severity", "info"])
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and {r["severity"] for r in records} == {"info"}
    result = runner.invoke(app, ["findings", "--db", store_url, "--scope", "nonsense"])
    assert result.exit_code == 2

    result = runner.invoke(app, ["agencies", "--db", store_url, "--json"])
    names = {json.loads(line)["name"] for line in result.output.splitlines()}
    assert {"开远市", "淮安市人民政府", "重庆市武隆区人民政府办公室"} <= names

    result = runner.invoke(app, ["reparse", "--db", store_url])
    assert result.exit_code == 0 and "没有需要重新解析的报告" in result.output

    result = runner.invoke(app, ["ingest", "--db", store_url])
    assert result.exit_code == 2
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", f"sqlite:///{tmp_path}/no/such/x.db"])
    assert result.exit_code == 2 and "文件夹不存在" in result.output


def test_list_files_and_folders(store: Store, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"# 报告清单\n{CORPUS / 'dev_001.txt'}\n\n../{tmp_path.name}/x/dev_002.txt\n", encoding="utf-8")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "dev_002.txt").write_bytes((CORPUS / "dev_002.txt").read_bytes())
    (tmp_path / "x" / "readme.md").write_text("不是报告", encoding="utf-8")  # not a report extension: left out
    summary = store.ingest([f"@{listing}", tmp_path / "x"], workers=1)
    assert (summary.total, summary.ok, summary.failed) == (2, 2, 0)


def test_a_document_that_takes_too_long_fails_alone(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_READ_SECONDS", "0.000001")  # no reading ends within a microsecond
    summary = store.ingest([CORPUS / "dev_001.txt", CORPUS / "dev_010.txt"], workers=2)
    assert (summary.ok, summary.failed) == (0, 2)
    assert all("读取超时" in (f.error or "") for f in summary.failures)
    monkeypatch.delenv("XXGK_READ_SECONDS")
    assert store.ingest([CORPUS / "dev_001.txt", CORPUS / "dev_010.txt"], workers=2).ok == 2


def _compilation_file(tmp_path: Path) -> tuple[Path, list[str]]:
    """A 汇编 of three real reports under one title, and their agencies in order."""
    names = ["dev_031", "dev_003", "dev_d105"]
    texts = [(CORPUS / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    path = tmp_path / "汇编.txt"
    path.write_text("淮安市2023年度政府信息公开工作年度报告汇编\n\n" + "\n\n".join(texts), encoding="utf-8")
    return path, ["麻阳苗族自治县板栗树乡人民政府", "淮安市洪泽区人民政府", "石家庄市桥西区中山街道办事处"]


def _stored_cells(store: Store, report_id: int) -> dict[tuple[str, str, str], float | None]:
    c = schema.Cell
    with store.engine.connect() as conn:
        return {(t, r, col): v for t, r, col, v in conn.execute(
            select(c.table_id, c.row_id, c.column_id, c.value).where(c.report_id == report_id))}


def test_every_report_of_a_compilation_is_stored(store: Store, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import xxgk
    from xxgk.store.rows import cells_of

    path, agencies = _compilation_file(tmp_path)
    summary = store.ingest([path], workers=1)
    assert (summary.ok, summary.reports, summary.failed) == (1, 3, 0)
    rows = sorted(store.reports(), key=lambda r: r.part)
    assert [(r.part, r.agency) for r in rows] == list(enumerate(agencies, start=1))
    assert len({r.sha256 for r in rows}) == 1
    expected = [{(t, r, c): v for t, r, c, v in cells_of(report.to_dict())} for report in xxgk.parse_all(path)]
    assert [_stored_cells(store, row.id) for row in rows] == expected
    assert store.get(rows[0].sha256) == store.get(rows[0].id)  # by the file: its first report
    assert store.ingest([path], workers=1).skipped == 1

    # A store that kept only the first report (before migration 0011), and one with a part too many:
    # reparse makes the file's reports what the parser reads now, keeping the ids of those that stay.
    with store.engine.begin() as conn:
        conn.execute(delete(schema.Report).where(schema.Report.id == rows[2].id))
        conn.execute(text("INSERT INTO reports (document_id, part, agency_name, parser_version, data, errors,"
                          " warnings, infos, parsed_at) SELECT document_id, 7, agency_name, parser_version, data,"
                          " errors, warnings, infos, parsed_at FROM reports WHERE id = :id"), {"id": rows[0].id})
    monkeypatch.setattr(version, "PARSER_REVISION", version.PARSER_REVISION + 1)
    assert store.outdated() == [rows[0].id]  # the file's first report stands for the file
    again = store.reparse(workers=1)
    assert (again.ok, again.reports, again.failed) == (1, 3, 0)
    after = sorted(store.reports(), key=lambda r: r.part)
    assert [(r.part, r.agency) for r in after] == list(enumerate(agencies, start=1))
    assert [r.id for r in after[:2]] == [rows[0].id, rows[1].id]
    assert [_stored_cells(store, row.id) for row in after] == expected
