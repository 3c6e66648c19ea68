"""What a ``stats`` row stands for: bodies whose level is unknown, a region's own bodies, outcome shares that do not add up.

The reports are realistic invented ones of 湖州市 (tests/data/huzhou, from a study of 30 agencies over five
years): 湖州市公安局 (a city department), 湖州市人民政府办公室, 德清县人民政府, and 湖州市生态环境局 2022, whose
表三 prints 予以公开 总计 11 while its categories add up to more than its （七）总计.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import DATA
from xxgk.cli.main import app
from xxgk.cli.views import draw_stats
from xxgk.store import Store
from xxgk.store.query import Filters
from xxgk.store.stats import shares_note, stats, stats_records

HUZHOU = DATA / "huzhou"
POLICE = HUZHOU / "h07_2023.txt"  # 湖州市公安局 2023
OFFICE = HUZHOU / "h01_2023.txt"  # 湖州市人民政府办公室 2023: its own report
DEQING = HUZHOU / "h12_2023.txt"  # 德清县人民政府 2023
ECOLOGY = HUZHOU / "h05_2022.txt"  # 湖州市生态环境局 2022: 表三's categories add up to 25, its （七）总计 is 23


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def renamed(tmp_path: Path, source: Path, body: str) -> Path:
    """The report of another body: 湖州市公安局's text with the body's name in its place."""
    made = tmp_path / f"{body}.txt"
    made.write_text(source.read_text(encoding="utf-8").replace("湖州市公安局", body), encoding="utf-8")
    return made


def regions(records: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {r["region"]: (r["reports"], r["region_code"]) for r in records}


def drawn(frame: Any, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), highlight=False)
    draw_stats(console, frame)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def test_a_government_office_counts_among_the_departments(store: Store) -> None:
    store.ingest([OFFICE, POLICE], workers=1)
    assert {a.name: a.level for a in store.agencies()} == {"湖州市人民政府办公室": "department",
                                                           "湖州市公安局": "department"}
    (row,) = stats_records(store.engine, Filters(level="department"), by="city")
    assert (row["reports"], row["level_unknown"]) == (2, 0)


def test_stats_by_level_say_what_they_left_out(store: Store, tmp_path: Path) -> None:
    # 杭州海关: its name does not tell whether it is a government or a department (level unknown).
    store.ingest([POLICE, renamed(tmp_path, POLICE, "杭州海关")], workers=1)
    by_level = stats_records(store.engine, Filters(level="department"), by="city")
    assert {r["region"]: (r["reports"], r["level_unknown"]) for r in by_level} == {
        "浙江省湖州市": (1, 0), "浙江省杭州市": (0, 1)}
    assert all(r["level_unknown"] == 0 for r in stats_records(store.engine, by="city"))
    shown = drawn(stats(store.engine, Filters(level="department"), by="city"), 250)
    assert "另有 1 份报告的机关级别未识别" in shown and "2023 浙江省杭州市 1 份" in shown
    assert "级别未识别" not in drawn(stats(store.engine, by="city"), 250)


def test_rows_of_a_region_own_bodies_say_so(store: Store, tmp_path: Path) -> None:
    store.ingest([POLICE, DEQING, renamed(tmp_path, POLICE, "浙江省公安厅")], workers=1)
    # By county, the city's own departments are not the city: 湖州市（市本级）; the province's likewise.
    assert regions(stats_records(store.engine, by="county")) == {
        "浙江省（省本级）": (1, None), "浙江省湖州市（市本级）": (1, None), "浙江省湖州市德清县": (1, "330521")}
    assert regions(stats_records(store.engine, by="city")) == {"浙江省（省本级）": (1, None),
                                                               "浙江省湖州市": (2, "330500")}
    assert regions(stats_records(store.engine)) == {"浙江省": (3, "330000")}
    # The CLI's JSON says it too (it is the store's record).
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["stats", "--by", "county", "--json", "--db", url])
    assert result.exit_code == 0 and "浙江省湖州市（市本级）" in result.stdout


def test_a_county_under_no_city_is_not_the_province_own(store: Store, tmp_path: Path) -> None:
    # 仙桃市 is governed by 湖北省 directly: by city it is not among 湖北省's own bodies.
    store.ingest([renamed(tmp_path, POLICE, "湖北省公安厅"), renamed(tmp_path, POLICE, "仙桃市公安局")], workers=1)
    assert regions(stats_records(store.engine, by="city")) == {"湖北省（省本级）": (1, None),
                                                               "湖北省（直辖区县）": (1, None)}
    assert regions(stats_records(store.engine, by="county")) == {"湖北省（省本级）": (1, None),
                                                                 "湖北省仙桃市": (1, "429004")}


def test_outcome_shares_not_adding_up_are_said(store: Store) -> None:
    store.ingest([ECOLOGY, POLICE], workers=1)
    rows = {r["year"]: r for r in stats_records(store.engine)}
    shares = {year: sum(v for k, v in r.items() if k.startswith("share_")) for year, r in rows.items()}
    # 2022: the formula stands (Σ category ÷ Σ （七）总计) and says why it is over 100%.
    assert shares[2022] == pytest.approx(25 / 23) and rows[2022]["outcomes_unbalanced"] == 1
    note = shares_note(rows[2022])
    assert note is not None and "108.7%" in note and "1 份报告" in note and "T3-PROCESSED-SUM" in note
    assert shares[2023] == pytest.approx(1) and rows[2023]["outcomes_unbalanced"] == 0
    assert shares_note(rows[2023]) is None
    for width in (250, 80):  # the tables, and the blocks of a narrow terminal
        shown = drawn(stats(store.engine), width)
        assert "108.7%" in shown and "T3-PROCESSED-SUM" in shown
