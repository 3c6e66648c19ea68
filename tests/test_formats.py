"""Which statutory format each table is in (国办公开办函〔2019〕60号 or 〔2021〕30号), and the
report's ``meta.template``: told by the tables' own layout, never assumed from the year.

A 2019 表二 printed without its column headers and its 2019-only rows is told by how many numbers
its rows hold (three beside 行政许可, two beside 行政事业性收费), whatever the year or the spelling of
its rows; a table read in a format is judged against the format its year is due in. The reports in
tests/data/formats are /tmp/probe-f2019's reproducers (invented, realistic).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import layouts
import xxgk
from test_layouts import VALUE_SETS, parse
from xxgk.templates import statutory

DATA = Path(__file__).parent / "data" / "formats"
_ACTIVE = statutory().table_by_id("active")
# A 2019 value set whose rows hold different numbers (a row of one number repeated says nothing).
_SIGNED = next(vs for vs in VALUE_SETS if vs.name == "signed_2019")
# Layouts whose numbers keep their places beside their labels (run-together text glues a row's digits).
_LAYOUTS = sorted(set(layouts.LAYOUTS) - {"run_together"})
_CASES = [(2021, "2019"), (2022, "2021"), (2020, "2021")]
_ALL = [pytest.param(layout, year, spelling) for layout in _LAYOUTS for year, spelling in _CASES]


def _parsed(name: str) -> dict[str, Any]:
    return xxgk.parse(DATA / name).to_dict()


def _where(report: dict[str, Any], rule: str) -> list[str]:
    return [f["where"] for f in report["findings"] if f["rule"] == rule]


def _flagged(report: dict[str, Any], where: str) -> bool:
    return any(f["where"] == where or f["where"].startswith(where + ".") for f in report["findings"])


def _headless_2019(layout: str, year: int, spelling: str) -> dict[str, Any]:
    """The 2019 表二 without its column headers and its 2019-only rows, in a report for ``year``,
    规范性文件 spelt as the ``spelling`` format does."""
    tables = {tid: dict(rows) for tid, rows in _SIGNED.tables.items()}
    tables["active"] = {rid: cols for rid, cols in tables["active"].items()
                        if set(_ACTIVE.row_by_id(rid).templates) == set(_ACTIVE.templates)}
    doc = layouts.build_doc(tables, "2019", layouts.VARIANTS["official"], year)
    row = _ACTIVE.row_by_id("normative_documents")
    for block in doc.blocks:
        if block.table == "active":
            block.grid = [[layouts.Cell(row.label_for(spelling)) if c.text == row.label_for("2019") else c for c in cells]
                          for cells in block.grid if not any(c.kind == "header" for c in cells)]
    return parse(layout, layouts.LAYOUTS[layout](doc))


@pytest.mark.parametrize(("layout", "year", "spelling"), _ALL)
def test_a_2019_active_table_without_headers_is_read_in_its_own_format(layout: str, year: int, spelling: str) -> None:
    """Its numbers under the 2019 columns (本年新制作数量…), never the 2021 ones they do not mean."""
    report = _headless_2019(layout, year, spelling)
    assert report["meta"]["template"] == "2019"
    active = report["tables"]["active"]
    for rid, cols in active.items():
        assert set(cols) == {c.id for c in _ACTIVE.row_columns(_ACTIVE.row_by_id(rid), "2019")}
        printed = _SIGNED.tables["active"].get(rid)
        if printed is not None and cols != printed:
            assert _flagged(report, f"active.{rid}"), (rid, cols, printed)
    assert active["normative_documents"] == _SIGNED.tables["active"]["normative_documents"]
    # A report in the 2019 format after its time is told so.
    assert _where(report, "FORM-TEMPLATE-YEAR") == (["meta.template"] if year >= 2021 else [])


@pytest.mark.parametrize("name", ["A1_2021_2019t2_noheads.txt", "A2_2020_2019t2_noheads_xingzheng.txt"])
def test_the_reproducers_of_a_2019_active_table_read_as_2021(name: str) -> None:
    report = _parsed(name)
    assert report["meta"]["template"] == "2019"
    assert report["tables"]["active"]["normative_documents"] == {"made": 3, "published": 3, "total_public": 9}
    assert report["tables"]["active"]["licensing"] == {"previous": 56, "change": 2, "decisions": 318}
    assert report["tables"]["active"]["fees"] == {"previous": 3, "change": 0}


_ONE_NUMBER_ROWS = """某县自然资源局2020年政府信息公开工作年度报告
一、总体情况
2020年，我局认真落实政府信息公开条例。
二、主动公开政府信息情况
第二十条第（一）项 | | | |
规章 | 1 | 0 | 5 |
规范性文件 | 3 | 1 | 9 |
第二十条第（五）项 | | | |
行政许可 | 56 |
其他对外管理服务事项 | 12 |
第二十条第（六）项 | | | |
行政处罚 | 27 |
行政强制 | 19 |
三、收到和处理政府信息公开申请情况
"""


def test_rows_that_tell_both_formats_are_left_null() -> None:
    """A row only the 2019 format has, and rows of one number as the 2021 format gives them: what
    规章's three numbers mean cannot be told, so no row is read (null, each with a finding)."""
    report = xxgk.parse_text(_ONE_NUMBER_ROWS).to_dict()
    active = report["tables"]["active"]
    assert active and all(v is None for cols in active.values() for v in cols.values())
    assert set(_where(report, "PARSE-TEMPLATE-UNSETTLED")) == {f"active.{rid}" for rid in active}
    assert report["meta"]["template"] is None


def test_column_headers_settle_the_format() -> None:
    """With the 2021 column headers printed, 规章's numbers are the 2021 columns', whatever the rows hold."""
    text = _ONE_NUMBER_ROWS.replace("第二十条第（一）项 | | | |\n",
                                    "第二十条第（一）项 | | | |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n")
    report = xxgk.parse_text(text).to_dict()
    assert report["meta"]["template"] == "2021"
    assert report["tables"]["active"]["regulations"] == {"issued": 1, "repealed": 0, "in_force": 5}
    assert not _where(report, "PARSE-TEMPLATE-UNSETTLED")


def test_a_merged_cell_repeated_across_the_row_says_nothing_of_the_format() -> None:
    """``行政许可 | 56 | 56 | 56`` is one merged cell as a crawl prints it, not three 2019 columns."""
    text = (_ONE_NUMBER_ROWS.replace("规范性文件", "行政规范性文件").replace("其他对外管理服务事项 | 12 |\n", "")
            .replace("行政许可 | 56 |", "行政许可 | 56 | 56 | 56 |").replace("行政处罚 | 27 |", "行政处罚 | 27 | 27 | 27 |"))
    report = xxgk.parse_text(text).to_dict()
    assert report["meta"]["template"] == "2021"
    assert report["tables"]["active"]["regulations"] == {"issued": 1, "repealed": 0, "in_force": 5}


@pytest.mark.parametrize(("name", "template"), [("x35_2021_img_act_19req_pipe.txt", "2019"),
                                                ("x36_2020_img_act_21req_html.html", "2021")])
def test_with_active_an_image_the_requests_table_tells_the_format(name: str, template: str) -> None:
    """表三's own layout (one （六）其他处理 row, or three), not the year's, and the year's finding on it."""
    report = _parsed(name)
    assert report["meta"]["template"] == template
    assert _where(report, "FORM-TEMPLATE-YEAR") == ["meta.template"]
    assert _where(report, "FORM-TEMPLATE-ROWS")


def test_with_only_review_the_format_cannot_be_told() -> None:
    """表四 is the same in both formats: ``meta.template`` is null (the contract), and nothing is blamed on it."""
    report = _parsed("x37_2020_only_t4_html.html")
    assert report["tables"]["review_litigation"] is not None
    assert report["meta"]["template"] is None
    assert not [f for f in report["findings"] if f["rule"].startswith("FORM-TEMPLATE")]


def test_a_requests_table_in_the_years_format_is_not_blamed_for_active() -> None:
    """2021 report, 2019 表二, 2021 表三: 表二 is pointed at on meta.template; 表三's rows are right."""
    report = _parsed("C1_2021_t2_2019_t3_2021.html")
    assert report["meta"]["template"] == "2019"
    assert not _where(report, "FORM-TEMPLATE-ROWS")
    year = [f for f in report["findings"] if f["rule"] == "FORM-TEMPLATE-YEAR"]
    assert [f["where"] for f in year] == ["meta.template"] and "表二为2019年格式" in year[0]["message"]


def test_a_requests_table_in_the_other_format_points_at_the_template() -> None:
    """2020 report, 2019 表二 (right), 2021 表三 (wrong): its rows and meta.template are pointed at."""
    report = _parsed("x31_2020_mix_19act_21req_pipe.txt")
    assert report["meta"]["template"] == "2019"
    year = [f for f in report["findings"] if f["rule"] == "FORM-TEMPLATE-YEAR"]
    assert [f["where"] for f in year] == ["meta.template"] and "表三为2021年格式" in year[0]["message"]
    assert {w.rpartition(".")[0] for w in _where(report, "FORM-TEMPLATE-ROWS")} == {"requests.other"}


def test_the_newer_format_before_its_time_is_only_a_note() -> None:
    """A 2020 report wholly in the 2021 format: its 表三 rows are pointed at, as warnings, not errors."""
    report = _parsed("x29_2020_on_2021_html.html")
    assert report["meta"]["template"] == "2021"
    severities = {f["severity"] for f in report["findings"] if f["rule"].startswith("FORM-TEMPLATE")}
    assert severities == {"warning"}
