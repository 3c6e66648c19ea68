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
    "d01_t3split_v1",  # HTML: cut after 科研机构, the second part's numbers printed without their rows' labels
    "d02_t3split_v2",  # HTML: cut after 自然人
    "d03_t3split_v0",  # text
    "e04_t3subfirst",  # HTML: 合计 before 商业企业
])
def test_a_wide_requests_table_is_read_whole(name: str) -> None:
    got, expected, wheres = _read(name)
    assert got == expected
    assert not any(w.startswith("requests.") for w in wheres)


def test_a_second_part_without_labels_is_read_by_the_first_part_s_rows_and_says_so() -> None:
    """d01: the second part (社会公益组织 … 总计) prints 25 lines of numbers under its header, no row labels: each
    line is the row the first part prints in its place (the declared order), every 总计 checked. It was null."""
    report = xxgk.parse(DATA / "d01_t3split_v1.html")
    (note,) = [f for f in report.findings if f.rule == "PARSE-TABLE-CONTINUED"]
    assert (note.severity, note.where) == ("info", "requests")
    assert "社会公益组织、法律服务机构、其他、总计" in note.message
    text = xxgk.read.read(DATA / "d01_t3split_v1.html").text  # the same page as a crawl's text, ``|`` between cells
    assert xxgk.parse_text(text).tables["requests"] == report.tables["requests"]


def _second_part(html: str) -> tuple[str, list[str], str]:
    """d01's page cut at its second part's rows: the text before them, each row's ``<tr>``, the text after."""
    start = html.index("<tr>", html.index("<tr><td>社会公益组织</td>") + 1)
    end = html.index("</table>", start)
    return html[:start], html[start:end].strip("\n").split("\n"), html[end:]


def _changed(change: str) -> str:
    """d01's page with its second part (or its first) printed otherwise."""
    html = (DATA / "d01_t3split_v1.html").read_text(encoding="utf-8")
    head, rows, tail = _second_part(html)
    if change == "a line left out":
        del rows[12]
    elif change == "two lines swapped":  # （一）予以公开 and （二）部分公开: no longer each row's own 总计
        rows[2], rows[3] = rows[3], rows[2]
    elif change == "a total misprinted":
        rows[0] = rows[0].replace("<td>21</td>", "<td>12</td>")
    elif change == "a column fewer":
        head = head.replace("<td>总计</td>", "")
        rows = [row[: row.rindex("<td>")] + "</tr>" for row in rows]
    elif change == "a row left out of the first part":
        head = head.replace("<tr><td>3.补正后申请内容仍不明确</td><td>0</td><td>0</td><td>0</td></tr>", "")
    return head + "\n".join(rows) + "\n" + tail


@pytest.mark.parametrize("change", ["a line left out", "two lines swapped", "a total misprinted", "a column fewer",
                                    "a row left out of the first part"])
def test_a_second_part_without_labels_gives_no_number_without_a_finding(change: str) -> None:
    """Where the second part's lines cannot be told to be the first part's rows (fewer, misordered, a 总计 that does
    not add up, a column fewer than the format's, a row the first part leaves out), its numbers are placed nowhere:
    those cells are null with findings, as before; no number the page does not give stands without one."""
    html = _changed(change)
    assert html != (DATA / "d01_t3split_v1.html").read_text(encoding="utf-8")
    report = xxgk.parse(html.encode(), "page.html")
    expected = json.loads((DATA / "d01_t3split_v1.expected.json").read_text(encoding="utf-8"))
    wheres = [f.where for f in report.findings]
    got = _rows(json.loads(report.model_dump_json())["tables"]["requests"])
    assert "PARSE-TABLE-CONTINUED" not in {f.rule for f in report.findings}
    for row, cells in got.items():
        assert all(cells[c] is None for c in ("social_org", "legal_service", "other_org", "total")), row
        wrong = [c for c, v in cells.items() if v is not None and v != _rows(expected["tables"]["requests"])[row][c]]
        assert not wrong
        if any(v is None for v in cells.values()):
            assert f"requests.{row}" in wheres or "requests" in wheres
