"""One body under two names the matching keeps apart (湖州市人社局, an abbreviation, and its full name): merged by
hand (``xxgk agencies --merge … --into …``) or by a roster's 其他名称, its years are one series again.

The reports (tests/data/agency_merge) are one department's for 2021–2023, the 2022 one titled with the
abbreviation; stored apart, the 2021 and 2023 ones report 2022 missing and no carry-over is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import DATA
from xxgk.cli.main import app
from xxgk.db import store_schema as schema
from xxgk.store import Store, StoreError
from xxgk.store.compare import AgencyNotFound, AmbiguousAgency, compare
from xxgk.store.roster import import_roster

REPORTS = sorted((DATA / "agency_merge").iterdir())
FULL, SHORT = "湖州市人力资源和社会保障局", "湖州市人社局"
ROSTER_HEAD = "名称,级别,行政区划代码,地区,上级机关,网站,年报栏目,其他名称,备注\n"


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def _agencies(store: Store) -> dict[str, set[str]]:
    """Each agency's name with its other spellings."""
    return {a.name: {n.name for n in a.names} for a in store.agencies()}


def _missing_years(store: Store) -> list[str]:
    return [f.message for f in store.findings(rule="COLL-MISSING-YEAR")]


def _roster(tmp_path: Path, name: str, code: str, aliases: str) -> Path:
    path = tmp_path / "名录.csv"
    path.write_text(ROSTER_HEAD + f"{name},部门,{code},,,,,{aliases},\n", encoding="utf-8")
    return path


def test_the_abbreviation_is_its_own_agency_until_merged(store: Store) -> None:
    store.ingest(REPORTS)
    assert set(_agencies(store)) == {FULL, SHORT}
    assert any("缺少2022年度" in m for m in _missing_years(store))

    done = store.merge_agencies(FULL, SHORT)
    assert (done.kept, done.merged, done.reports, done.names) == (FULL, SHORT, 1, 1)
    assert _agencies(store) == {FULL: {FULL, SHORT}}
    assert _missing_years(store) == []
    (agency,) = store.agencies()
    assert [r.year for r in store.reports(agency_id=agency.id)] == [2021, 2022, 2023]
    assert list(compare(store.engine, FULL).reports["year"]) == [2021, 2022, 2023]
    with store.engine.connect() as conn:
        n = schema.AgencyName
        assert conn.execute(select(n.method).where(n.name == SHORT)).scalar_one() == "manual"


def test_a_name_not_stored_or_the_same_agency_is_refused(store: Store) -> None:
    store.ingest(REPORTS)
    with pytest.raises(AgencyNotFound, match="湖州市民政局"):
        store.merge_agencies(FULL, "湖州市民政局")
    with pytest.raises(AmbiguousAgency):
        store.merge_agencies(FULL, "湖州市人")
    with pytest.raises(StoreError, match="同一个机关"):
        store.merge_agencies(FULL, FULL)
    assert set(_agencies(store)) == {FULL, SHORT}


def test_the_cli_merges_and_says_what_moved(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(db) as store:
        store.ingest(REPORTS)
    result = CliRunner().invoke(app, ["agencies", "--merge", SHORT, "--into", FULL, "--db", db])
    assert result.exit_code == 0, result.output
    assert f"已将“{SHORT}”" in result.output and "1 份报告" in result.output and f"并入“{FULL}”" in result.output
    result = CliRunner().invoke(app, ["agencies", "--merge", SHORT, "--db", db])
    assert result.exit_code == 2 and "--merge 与 --into 要一起给出" in result.output
    result = CliRunner().invoke(app, ["agencies", "--merge", "湖州市民政局", "--into", FULL, "--db", db])
    assert result.exit_code == 2 and "没有名称含“湖州市民政局”的机关" in result.output


@pytest.mark.parametrize("roster_first", [False, True], ids=["roster after", "roster before"])
def test_a_rosters_other_name_merges_the_agencies(store: Store, tmp_path: Path, roster_first: bool) -> None:
    roster = _roster(tmp_path, FULL, "330500", SHORT)
    if roster_first:
        import_roster(store.engine, roster)
        store.ingest(REPORTS)
    else:
        store.ingest(REPORTS)
        assert import_roster(store.engine, roster).merged == [f"{SHORT} → {FULL}"]
    assert _agencies(store) == {FULL: {FULL, SHORT}}
    assert _missing_years(store) == []


def test_a_roster_body_of_another_region_merges_nothing(store: Store, tmp_path: Path) -> None:
    store.ingest(REPORTS)
    # 嘉兴 (330400) listing 湖州's abbreviation by mistake: that name is not one of its agencies.
    done = import_roster(store.engine, _roster(tmp_path, "嘉兴市人力资源和社会保障局", "330400", f"{SHORT}；{FULL}"))
    assert done.merged == [] and set(_agencies(store)) == {FULL, SHORT}
