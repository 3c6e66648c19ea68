"""Pages of real reports, each read on its own (a flipbook page, an excerpt, one page of a PDF).

Every real report in ``tests/data/corpus`` is cut into pages of a few dozen lines. A page that
holds a statutory heading or a table row is read as a report (never refused as "not a report"),
and every number it states is the report's own number for that cell, or its row is flagged:
a table cut by the page break must not shift numbers into the wrong cells.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import xxgk
from conftest import corpus_names, expected, report_path
from xxgk.read import ReadError


def _pages(name: str, size: int) -> list[str]:
    lines = report_path(name).read_text(encoding="utf-8").split("\n")
    step = size // 2  # pages overlapping by half: cuts fall everywhere
    return ["\n".join(lines[i : i + size]) for i in range(0, max(1, len(lines) - step), step)]


def _flagged_row(report: dict[str, Any], table: str, row: str) -> bool:
    where = f"{table}.{row}"
    return any(f["where"] != table and (f["where"] == where or f["where"].startswith(where + ".")
                                        or where.startswith(f["where"] + ".")) for f in report["findings"])


NAMES = [n for n in corpus_names() if any(t for t in (expected(n).get("tables") or {}).values())]


@pytest.mark.parametrize("size", [24, 60])
@pytest.mark.parametrize("name", NAMES)
def test_pages_of_a_report(name: str, size: int) -> None:
    want = expected(name)["tables"]
    wrong: list[str] = []
    refused: list[int] = []
    for i, page in enumerate(_pages(name, size)):
        try:
            report = xxgk.parse_text(page).to_dict()
        except ReadError:
            if any(h in page for h in ("、主动公开政府信息情况", "、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请数量")):
                refused.append(i)
            continue
        for table, rows in (report["tables"] or {}).items():
            for row, cols in (rows or {}).items():
                for col, value in cols.items():
                    good = ((want.get(table) or {}).get(row) or {}).get(col)
                    if value is None or good == "?" or value == good:
                        continue
                    if not _flagged_row(report, table, row):
                        wrong.append(f"page {i}: {table}.{row}.{col} = {value}, the report has {good}")
    assert not refused, f"pages refused as not a report: {refused}"
    assert not wrong, wrong[:10]


def test_legacy_excerpt_whose_headings_lost_their_numbers_is_a_report() -> None:
    """The second half of a legacy report (seed 003, traditional script) whose part headings stand
    alone on their lines without their numbers (``主動公開政府信息情況``): read as a legacy report."""
    text = report_path("seed_003_f96ab9401ee54cc2").read_text(encoding="utf-8")
    tail = text[len(text) * 3 // 10 :]
    assert "主動公開政府信息情況\n" in tail and "一、" not in tail.split("主動公開")[0]
    report = xxgk.parse_text(tail)
    assert report.meta.template == "legacy" and report.meta.year == 2013
    assert report.sections["active"].present and report.sections["problems"].present


def _without_heading(text: str, words: str) -> str:
    """The text with a numbered statutory heading taken out (lost in the crawl), its line kept."""
    heading = re.compile(rf"(?:[一二三四五六七八九十]+\s*[、.．]\s*){re.escape(words)}")
    assert heading.search(text)
    return heading.sub("", text, count=1)


@pytest.mark.parametrize("name", [n for n in NAMES if (expected(n)["tables"] or {}).get("review_litigation")
                                  and "政府信息公开行政复议、行政诉讼情况" in report_path(n).read_text(encoding="utf-8")])
def test_table_four_without_its_heading_is_found_by_its_header(name: str) -> None:
    """四's heading lost: 表四 is found by its group captions (未经复议直接起诉, 复议后起诉), as it stands."""
    text = _without_heading(report_path(name).read_text(encoding="utf-8"), "政府信息公开行政复议、行政诉讼情况")
    report = xxgk.parse_text(text).to_dict()
    want = expected(name)["tables"]["review_litigation"]
    got = report["tables"]["review_litigation"]
    assert got is not None
    for row, cols in want.items():
        for col, value in cols.items():
            if value != "?":  # "?": the report itself does not tell
                assert got[row][col] == value or (got[row][col] is None
                                                  and _flagged_row(report, "review_litigation", row))


def _without_headings(text: str) -> str:
    """The text without the six statutory headings, as trafilatura's text of a web page gives it (it
    drops the page's ``<h2>``): every line that is nothing but a heading is left out."""
    from xxgk.parse.normalize import norm_label
    from xxgk.templates import statutory

    headings = {norm_label(section.heading) for section in statutory().sections}
    return "\n".join(line for line in text.split("\n")
                     if not line.strip() or norm_label(re.sub(r"[#*|]", "", line)) not in headings)


@pytest.mark.parametrize("name", NAMES)
def test_a_report_whose_headings_were_dropped_states_only_its_own_numbers(name: str) -> None:
    """Tables no heading bounds end at the prose after them: the year of 五's first sentence
    (``2024 年，全区…``) or 六's fee (``0 元``) is not read into 表四."""
    text = _without_headings(report_path(name).read_text(encoding="utf-8"))
    report = xxgk.parse_text(text).to_dict()
    wrong, lost = [], []
    for table, rows in (expected(name)["tables"] or {}).items():
        got = report["tables"].get(table) or {}
        for row, cols in (rows or {}).items():
            for col, value in (cols.items() if isinstance(cols, dict) else [("", cols)]):
                have = (got.get(row) or {}).get(col) if col else got.get(row)
                if value == "?" or have == value:
                    continue
                if have is not None and not _flagged_row(report, table, row):
                    wrong.append(f"{table}.{row}.{col} = {have}, the report has {value}")
                lost.append(f"{table}.{row}.{col}")
    assert not wrong, wrong[:10]
    if name in ("dev_003", "dev_d104"):  # 表四 runs into 五's prose; 表三's last row into 四's
        assert not lost, lost[:10]
