"""Real reports' PDFs turned into text by the tools people use (pdftotext, pdfminer), read as reports.

pdftotext without options (poppler) and pdfminer.six's ``extract_text`` read a table in orders of
their own: the cells of a row with blanks move into the next row (``规章 0`` ``行政规范性文件 77 0 0``
for ``规章 0 0 0`` above ``行政规范性文件 77 _ _``); a block's labels come first, then its numbers, then
the next block's caption and labels (``行政许可`` … ``447228`` ``- 3 -`` ``信息内容`` ``行政处罚``). Not
every cell can be placed, but every number stated is the report's own, or its row carries a finding.

``tests/data/extracted/NAME.pdftotext.txt``: ``pdftotext FILE.pdf -`` (poppler 22) of corpus reports
printed to PDF by ``tests/tools/print_reports.py`` (Chromium, A5 or A4 paper); ``NAME.blocks.txt``:
the same PDF's text blocks in reading order, each block's lines as they are (what PyMuPDF's
``get_text("blocks", sort=True)`` gives, joined by line breaks): a tall label's block comes after its
numbers', a spanning group's label between rows. ``NAME.word.txt``: the text xxgk reads from the printed
PDF opened in Word (LibreOffice's PDF import: each line of the page a paragraph, a narrow header cell's
words wrapped onto the next line). Their answers are the source reports'. The PDFs committed in tests/data/pdf and tests/data/printed are extracted here
with pdfminer, which is installed with pdfplumber.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pdfminer.high_level import extract_text

import xxgk

DATA = Path(__file__).parent / "data"
EXTRACTED = DATA / "extracted"
TEXTS = sorted(p.name[: -len(".expected.json")] for p in EXTRACTED.glob("*.expected.json"))
PDFS = sorted(p for folder in ("pdf", "printed") for p in (DATA / folder).glob("*.pdf")
              if p.with_suffix(".expected.json").exists())


def _answer(path: Path) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return answer


def _on_row(report: dict[str, Any], table: str, row: str) -> list[str]:
    """The rules of the findings on a row or its cells (not on the whole table)."""
    where = f"{table}.{row}"
    return [f["rule"] for f in report["findings"]
            if f["where"] != table and (f["where"] == where or f["where"].startswith(where + "."))]


def _read(report: dict[str, Any], answer: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Cells right, cells asked, and the numbers stated wrongly with nothing on their row."""
    right = asked = 0
    silent = []
    for table, rows in answer["tables"].items():
        got = report["tables"].get(table) or {}
        for row, cols in (rows or {}).items():
            for col, value in cols.items():
                if value == "?":
                    continue
                asked += 1
                have = (got.get(row) or {}).get(col)
                if have == value:
                    right += 1
                elif have is not None and not _on_row(report, table, row):
                    silent.append(f"{table}.{row}.{col} = {have}, the report has {value}")
    return right, asked, silent


@pytest.mark.parametrize("name", TEXTS)
def test_extracted_text_states_only_the_reports_numbers(name: str) -> None:
    report = xxgk.parse(EXTRACTED / f"{name}.txt").to_dict()
    right, asked, silent = _read(report, _answer(EXTRACTED / f"{name}.expected.json"))
    assert not silent, silent
    assert right >= 0.75 * asked, (right, asked)


def test_rows_out_of_step_in_text_read_in_blocks_are_doubted() -> None:
    """Text blocks put 2.其他法律行政法规禁止公开's label before 3.危及…'s numbers, and so on down to
    2.重复申请, which reads two rows' worth: every row in that stretch is doubted, right or shifted."""
    report = xxgk.parse(EXTRACTED / "dev_003.a5.blocks.txt").to_dict()
    for row in ("denied.law_prohibited", "denied.security_stability", "denied.query_matters", "unable.not_held"):
        assert "PARSE-ROWS-OUT-OF-STEP" in _on_row(report, "requests", row), row
    assert not _on_row(report, "requests", "new_received")  # before the stretch: in step


def test_a_row_after_a_short_row_is_doubted_in_text_without_cell_boundaries() -> None:
    """pdftotext moved 规章's last two zeros after 行政规范性文件's 77 (the printed row has blanks)."""
    report = xxgk.parse(EXTRACTED / "dev_010.a5.pdftotext.txt").to_dict()
    assert report["tables"]["active"]["regulations"]["issued"] is None
    assert "PARSE-ROW-AFTER-SHORT" in _on_row(report, "active", "normative_documents")


def test_a_label_past_a_header_keeps_its_numbers_with_a_warning() -> None:
    """pdftotext printed 行政处罚's numbers before 第二十条第（五）项 … 信息内容 and the label: they are
    its numbers here, but the reader cannot know it."""
    report = xxgk.parse(EXTRACTED / "dev_d110.a4.pdftotext.txt").to_dict()
    assert report["tables"]["active"]["punishment"] == {"previous": 0, "change": 0, "decisions": 0}
    assert "PARSE-LABEL-PAST-HEADER" in _on_row(report, "active", "punishment")


def test_a_blank_review_table_whose_header_words_wrapped_is_read_as_blank() -> None:
    """d103 is the blank form. Opened in Word, 表四's column labels are cut over two lines (``结果 结果
    其他 尚未`` above ``维持 纠正 结果 审结``): the table is there with every cell null, not missing."""
    report = xxgk.parse(EXTRACTED / "dev_d103.a4.word.txt").to_dict()
    review = report["tables"]["review_litigation"]
    assert review is not None
    assert all(v is None for cols in review.values() for v in cols.values())
    rules = {f["rule"] for f in report["findings"] if f["where"] == "review_litigation"}
    assert "PARSE-CELL-BLANK" in rules and "FORM-TABLE-MISSING" not in rules, rules


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdfminer_text_states_only_the_reports_numbers(path: Path) -> None:
    """pdfminer's text of a real PDF: the tables mostly in blocks of labels and blocks of numbers
    (most cells cannot be placed), and not one number given to the wrong row unflagged."""
    report = xxgk.parse_text(extract_text(str(path))).to_dict()
    _, _, silent = _read(report, _answer(path.with_suffix(".expected.json")))
    assert not silent, silent
