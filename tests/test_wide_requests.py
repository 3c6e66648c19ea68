"""表三 printed wider than a page: transposed under a two-line header, split by columns into tables one
under the other, or with a 合计 column first under 法人或其他组织.

``tests/data/wide_t3``: reports of a probe (invented, realistic; answers checked by hand in
``*.expected.json``). Before, 表三 of each was null (or partly null) with findings: the header's group
words above their items were not combined (transposed), a row labelled by two cells
(``三、本年度办理结果 | （一）予以公开 | 53``) was not placed (split), a 合计 column before a group's
labels was taken for the row labels' header.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import xxgk

DATA = Path(__file__).parent / "data" / "wide_t3"


def _rows(table: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """A table's cells by row id (``denied.state_secret``), its nested groups flattened."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if all(not isinstance(v, dict) for v in value.values()):
            out[prefix + key] = value
        else:
            out.update(_rows(value, f"{prefix}{key}."))
    return out


def _read(name: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[str]]:
    path = next(DATA.glob(f"{name}.*[!n]"))  # the report, not its .expected.json
    report = xxgk.parse(path)
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = json.loads(report.model_dump_json())["tables"]["requests"]
    return _rows(got), _rows(expected["tables"]["requests"]), [f.where for f in report.findings]


@pytest.mark.parametrize("name", [
    "c00_t3transposed_v0",  # HTML: （三）不予公开 spanning its items
    "j02_t3transposed_txt_v2",  # text: the group word printed again over each item
    "d00_t3split_v0",  # HTML: cut after 科研机构
    "d02_t3split_v2",  # HTML: cut after 自然人
    "d03_t3split_v0",  # text
    "e04_t3subfirst",  # HTML: 合计 before 商业企业
])
def test_a_wide_requests_table_is_read_whole(name: str) -> None:
    got, expected, wheres = _read(name)
    assert got == expected
    assert not any(w.startswith("requests.") for w in wheres)


def test_a_second_part_without_labels_gives_no_number_without_a_finding() -> None:
    got, expected, wheres = _read("d01_t3split_v1")
    for row, cells in got.items():
        wrong = [c for c, v in cells.items() if v is not None and v != expected[row][c]]
        assert not wrong
        if any(v is None for v in cells.values()):
            assert f"requests.{row}" in wheres or "requests" in wheres
