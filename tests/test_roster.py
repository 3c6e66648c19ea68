"""The roster: importing it (every row checked), whose each stored report is, the monitor and its export."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xxgk.render.spreadsheet import looks_like_formula
from xxgk.store import Store, StoreError
from xxgk.store.monitor import export_monitor, monitor
from xxgk.store.roster import bodies, export_roster, import_roster, save_body

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OFFICE = "重庆市武隆区人民政府办公室"
FORMULA_NAME = "=HYPERLINK（\"http://x\"）局"  # as the roster writes names (full-width brackets)


def variant(tmp_path: Path, agency: str, file: str) -> Path:
    """The real 武隆 2022 report published under another body's name."""
    path = tmp_path / file
    path.write_text((EXAMPLES / "wulong_2022.txt").read_text(encoding="utf-8").replace(OFFICE, agency),
                    encoding="utf-8")
    return path


def write(tmp_path: Path, text: str, name: str = "名录.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


ROSTER = """名称,级别,行政区划代码,地区,上级机关,网站,年报栏目,其他名称
重庆市武隆区人民政府,政府,500156,,,https://www.cqwulong.gov.cn/,,
重庆市武隆区人民政府办公室,部门,,,重庆市武隆区人民政府,,,区政府办公室
平潭综合实验区管理委员会,政府,350128,,,,,平潭综合实验区
开远市人民政府,,,,,,,开远市
教育委员会,部门,,北京市朝阳区,,,,朝阳区教育委员会
教育委员会,部门,,长春市朝阳区,,,,朝阳区教育委员会
"""


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


def test_a_roster_is_imported_with_regions_levels_and_superiors(store: Store, tmp_path: Path) -> None:
    done = import_roster(store.engine, write(tmp_path, ROSTER, encoding="gb18030"))  # offices save CSV as GBK
    assert (done.added, done.updated) == (6, 0)
    found = {(b.name, b.region_code): b for b in bodies(store.engine)}
    office = found[(OFFICE, "500156")]  # region read from the name
    assert (office.level, office.parent, office.aliases) == ("department", "重庆市武隆区人民政府", ("区政府办公室",))
    assert found[("开远市人民政府", "532502")].level == "government"  # level told by the name
    assert found[("教育委员会", "110105")].region.label == "北京市朝阳区"  # region by its name
    assert found[("教育委员会", "220104")].region.label == "吉林省长春市朝阳区"
    # Imported again: nothing changes; an edited row is updated, not added.
    assert import_roster(store.engine, write(tmp_path, ROSTER)).unchanged == 6
    again = import_roster(store.engine, write(tmp_path, ROSTER.replace("https://www.cqwulong.gov.cn/", "https://wl.example/")))
    assert (again.added, again.updated) == (0, 1)


def test_a_roster_with_wrong_rows_is_not_imported_at_all(store: Store, tmp_path: Path) -> None:
    bad = ("名称,级别,行政区划代码,上级机关,年报栏目\n"
           "某某县统计局,部门,999999,,\n"  # no such code
           "某某单位,,,,\n"  # neither level nor region
           "重庆市武隆区财政局,部委,500156,,\n"  # no such level
           "重庆市武隆区审计局,部门,500156,不存在的政府,\n"
           "重庆市武隆区交通局,部门,500156,,ftp://x\n")
    with pytest.raises(StoreError) as caught:
        import_roster(store.engine, write(tmp_path, bad))
    message = str(caught.value)
    for expected in ("第 2 行", "999999", "第 3 行", "第 4 行", "部委", "第 6 行", "http"):
        assert expected in message
    assert bodies(store.engine) == []
    with pytest.raises(StoreError, match="上级机关“不存在的政府”"):
        import_roster(store.engine, write(tmp_path, "名称,级别,行政区划代码,上级机关\n重庆市武隆区审计局,部门,500156,不存在的政府\n"))
    assert bodies(store.engine) == []


def test_the_roster_exported_imports_back_unchanged(store: Store, tmp_path: Path) -> None:
    import_roster(store.engine, write(tmp_path, ROSTER))
    # Text a spreadsheet would run, and text that itself starts with the apostrophe CSV export adds.
    save_body(store.engine, {"name": FORMULA_NAME, "level": "department", "region_code": "500156",
                             "aliases": "@某某局；-2+3局", "note": "'引号开头的备注"})
    before = bodies(store.engine)
    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"导出{suffix}"
        assert export_roster(store.engine, out) == 7
        if suffix == ".csv":
            fields = [f for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for f in row]
            assert "'" + FORMULA_NAME in fields and "''引号开头的备注" in fields
            assert not [f for f in fields if looks_like_formula(f)]
        else:
            cells = {c.value: c for row in load_workbook(out).worksheets[0].iter_rows(min_row=2) for c in row}
            shown = cells[FORMULA_NAME]  # the exact text, a string cell that stays text when edited
            assert shown.data_type == "s" and shown.quotePrefix
        done = import_roster(store.engine, out)
        assert (done.added, done.updated, done.unchanged) == (0, 0, 7), suffix
        assert bodies(store.engine) == before


def test_reports_belong_to_bodies_by_name_and_region_and_a_shared_name_stays_unsettled(store: Store,
                                                                                     tmp_path: Path) -> None:
    import_roster(store.engine, write(tmp_path, ROSTER))
    store.ingest([EXAMPLES / "wulong_2022.txt", EXAMPLES / "pingtan_2023.txt", EXAMPLES / "kaiyuan_2022.txt",
                  variant(tmp_path, "朝阳区教育委员会", "cy.txt"), variant(tmp_path, "北京市朝阳区教育委员会", "bj.txt")],
                 workers=1)
    result = {(r.body.name, r.body.region_code): r for r in monitor(store.engine, 2022, today=date(2023, 4, 1)).rows}
    assert result[(OFFICE, "500156")].status == "on_time"
    assert result[("开远市人民政府", "532502")].published == date(2023, 2, 14)
    # "朝阳区教育委员会" names neither district: neither body gets it; "北京市…" is Beijing's.
    assert result[("教育委员会", "110105")].report_id is not None
    assert result[("教育委员会", "220104")].status == "missing"
    assert result[("重庆市武隆区人民政府", "500156")].status == "missing"
    assert monitor(store.engine, 2023, today=date(2024, 4, 1)).rows[-1].body.name == "平潭综合实验区管理委员会"
    from sqlalchemy import text

    with store.engine.connect() as conn:
        details = conn.execute(text("SELECT r.agency_name, t.detail FROM roster_reports t JOIN reports r "
                                    "ON r.id = t.report_id WHERE t.body_id IS NULL")).all()
    assert any(name == "朝阳区教育委员会" and "多个同名机关" in detail for name, detail in details)


def test_the_monitor_lists_missing_bodies_first_rolls_counts_up_and_exports_safely(store: Store,
                                                                                   tmp_path: Path) -> None:
    import_roster(store.engine, write(tmp_path, ROSTER))
    save_body(store.engine, {"name": FORMULA_NAME, "level": "department", "region_code": "500156"})
    store.ingest([EXAMPLES / "wulong_2022.txt"], workers=1)
    before = monitor(store.engine, 2022, region="500156", today=date(2023, 1, 20))
    assert {r.status for r in before.rows} == {"pending", "on_time"}  # before the deadlines nobody is missing
    after = monitor(store.engine, 2022, region="重庆市武隆区", today=date(2023, 4, 1))
    assert [r.status for r in after.rows] == ["missing", "missing", "on_time"]
    (root,) = after.roots
    assert (root.code, root.total, root.counts["missing"], root.counts["on_time"]) == ("500156", 3, 2, 1)
    everywhere = monitor(store.engine, 2022, today=date(2023, 4, 1))
    assert sum(n.total for n in everywhere.roots) == len(everywhere.rows) == 7
    out = tmp_path / "monitor.xlsx"
    export_monitor(after, out)
    sheet = load_workbook(out).worksheets[0]
    (name,) = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == FORMULA_NAME]
    assert name.data_type == "s" and name.quotePrefix  # the exact name, as text that no edit turns into a formula
    assert [row[4].value for row in sheet.iter_rows(min_row=2)] == ["未发布", "未发布", "按时"]


@pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="needs /dev/zero and FIFOs")
def test_a_roster_or_region_table_that_is_not_a_regular_file_is_refused(store: Store, tmp_path: Path) -> None:
    """A link to /dev/zero named 名录.csv (it would fill memory) and a FIFO (it would block) are refused at once."""
    from xxgk.store.divisions import read_table

    (tmp_path / "名录.csv").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "区划.csv")
    for name in ("名录.csv", "区划.csv"):
        with pytest.raises(StoreError, match="不是普通文件"):
            import_roster(store.engine, tmp_path / name)
        with pytest.raises(StoreError, match=r"^区划代码表：不是普通文件"):
            read_table(tmp_path / name)
    assert bodies(store.engine) == []
