"""Real reports printed from web pages to PDF by a browser, and the same pages opened in Word.

The files in tests/data/printed/ are made by tests/tools/print_reports.py (headless Chromium's
print to PDF with its header and footer on every page, on narrow and wide paper; LibreOffice for
the Word files); their answers are the hand-checked answers of the reports they were made from.
The printed PDFs opened in Word are made by tests/tools/word_reflow.py: ``*.lo.docx`` by
LibreOffice's PDF import (every run of text a text box at its place), ``*.reflow.docx`` in the
shapes of Word's PDF Reflow (Word tables, a text box per cell, framed cells, boxed title and
running heads).
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.read import read
from xxgk.read.furniture import PageLines, page_furniture, strip_running_heads

DATA = Path(__file__).parent / "data"
PRINTED = DATA / "printed"
NAMES = sorted(p.name[: -len(".expected.json")] for p in PRINTED.glob("*.expected.json"))
FILES = [(name, ext) for name in NAMES for ext in (".pdf", ".docx", ".txt") if (PRINTED / f"{name}{ext}").exists()]
# What Chromium prints at the top and bottom of every page.
FURNITURE = re.compile(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} [AP]M|https?://|^\d+/\d+$")


def _flagged(report: dict[str, Any], where: str) -> bool:
    return any(f["where"] == where or f["where"].startswith(where + ".") or where.startswith(f["where"] + ".")
               for f in report["findings"])


@pytest.mark.parametrize(("name", "ext"), FILES)
def test_printed_reports_read_as_their_source(name: str, ext: str) -> None:
    """Every cell and the metadata as in the source report; no printer's header taken for the title."""
    want = json.loads((PRINTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    report = xxgk.parse(PRINTED / f"{name}{ext}").to_dict()
    wrong = []
    for table, rows in want["tables"].items():
        got = report["tables"].get(table)
        assert got is not None, f"{table} lost"
        for row, cols in rows.items():
            for col, value in cols.items():
                if value == "?":  # the report does not tell: a finding must say so on its row
                    if not _flagged(report, f"{table}.{row}") and not _flagged(report, table):
                        wrong.append(f"{table}.{row}.{col} ambiguous, not flagged")
                elif got.get(row, {}).get(col) != value:
                    wrong.append(f"{table}.{row}.{col}" + ("" if _flagged(report, f"{table}.{row}") else " SILENT"))
    assert not wrong, wrong
    for key, value in want["meta"].items():
        assert report["meta"][key] == value, key
    assert not FURNITURE.search(report["meta"]["title"] or "")


@pytest.mark.parametrize("name", [n for n, ext in FILES if ext == ".pdf"])
def test_browser_header_and_footer_are_left_out(name: str) -> None:
    doc = read(PRINTED / f"{name}.pdf")
    furniture = [line.text for line in doc.lines if FURNITURE.search(line.text)]
    assert furniture == []
    # The report's own text is all there: the six headings of the statutory outline.
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"):
        assert any(line.text.replace(" ", "").startswith(heading) for line in doc.lines), heading


def test_tables_run_over_page_breaks_on_narrow_paper() -> None:
    """On A5 paper every statutory table runs over pages; the rows come out whole and in order."""
    doc = read(PRINTED / "dev_001.a5.pdf")
    rows = [line.cells for line in doc.lines if line.cells is not None]
    labels = [r[0] for r in rows]
    assert labels.index("规章") < labels.index("行政规范性文件") < labels.index("行政许可")
    # A row is never a fragment of a label: no row starts with what ends a longer label.
    assert ("行政规范性文件", "8", "26", "66") in rows


def _page(height: float, *lines: tuple[float, str | None]) -> PageLines:
    return PageLines(height, [(top, top + 10, text) for top, text in lines])


def test_furniture_is_what_repeats_at_the_page_edges() -> None:
    pages = [
        _page(800, (10, "某某区人民政府网站"), (100, "正文第一行"), (400, None), (780, f"- {n} -"))
        for n in (1, 2, 3)
    ]
    assert page_furniture(pages) == [{0, 3}] * 3


def test_a_single_printed_page_loses_its_printing_stamp_address_and_counter() -> None:
    page = _page(792, (12, "2026/12/3 18:33 某某区2022年政府信息公开工作年度报告_某某区人民政府"),
                 (60, "某某区2022年政府信息公开工作年度报告"), (300, "一、总体情况"),
                 (770, "https://www.example.gov.cn/zwgk/2023/0214/1.html 1/1"))
    assert page_furniture([page]) == [{0, 3}]


def test_body_lines_near_the_edge_are_not_furniture() -> None:
    """A report's own line is kept even at the bottom of a page, unless it repeats or is a counter."""
    pages = [_page(800, (100, "正文"), (760, "（三）政府信息管理。2022年，我局……")),
             _page(800, (100, "正文"), (760, "二、主动公开政府信息情况"))]
    assert page_furniture(pages) == [set(), set()]
    # Lines inside the page are never furniture, whatever they look like.
    assert page_furniture([_page(800, (400, "1/3"), (420, "http://www.example.gov.cn"))]) == [set()]


def test_a_number_alone_is_a_page_number_only_at_the_foot() -> None:
    """A narrow table's row carried over a page break (行政 / 0 / 许可 at the head of the page) keeps its value."""
    head = _page(842, (40, "行政"), (48, "0"), (54, "许可"), (400, "正文"), (800, "3"))
    assert page_furniture([head]) == [{4}]
    assert page_furniture([_page(842, (400, "正文"), (800, "0"))]) == [set()]  # never page 0


# --- pdfminer's warnings ---------------------------------------------------------------------

SHIPPED = sorted(p for p in DATA.rglob("*") if p.suffix in (".pdf", ".docx", ".html", ".txt", ".png"))


def test_no_pdfminer_warning_reaches_the_terminal() -> None:
    """Parsing every document the project ships prints nothing on stderr (pdfminer's FontBBox warnings)."""
    script = (
        "import sys, xxgk\n"
        "from xxgk.read import ReadError\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        xxgk.parse(path)\n"
        "    except ReadError:\n"
        "        pass\n"
    )
    pdfs = [str(p) for p in SHIPPED if p.suffix in (".pdf", ".docx", ".html", ".txt")]
    done = subprocess.run([sys.executable, "-c", script, *pdfs], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""


def test_no_pdfminer_warning_reaches_a_library_callers_log(caplog: pytest.LogCaptureFixture) -> None:
    """A caller logging at WARNING sees none of pdfminer's complaints on a PDF full of Type 3 fonts."""
    from xxgk.read.pdf import read_pdf

    raw = (PRINTED / "report_2021.letter.pdf").read_bytes()
    with caplog.at_level(logging.WARNING):
        read_pdf(raw, "printed.pdf")
        # The fallback reader (pdfminer) meets the Type 3 fonts: force it as a font it cannot place would.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("xxgk.read.pdf.PdfiumPages", _Refused)
            doc = read_pdf(raw, "printed.pdf")
    assert any(line.cells for line in doc.lines)
    assert [r for r in caplog.records if r.name.startswith("pdfminer")] == []


class _Refused:
    def __init__(self, raw: bytes) -> None:
        raise RuntimeError("PDFium refused the file")


# --- a row cut by a page break ------------------------------------------------------------------


def _open_table(top_open: bool, bottom_open: bool, label: str, value: str) -> bytes:
    """One ruled table row (columns 100-250-400, rows 700-660) whose rule above or below is missing."""
    from test_read_docx_pdf import _text

    rules = [y for y, missing in ((700, top_open), (660, bottom_open)) if not missing]
    return (
        b"0 0 0 RG 1 w\n"
        + b"".join(b"100 %d m 400 %d l S\n" % (y, y) for y in rules)
        + b"".join(b"%d 660 m %d 700 l S\n" % (x, x) for x in (100, 250, 400))
        + _text(105, 676, label) + (_text(255, 676, value) if value else b"")
    )


def test_a_row_cut_by_a_page_break_is_joined() -> None:
    """The label's first line ends one page with the row's number, its last line starts the next."""
    from test_read_docx_pdf import make_pdf
    from xxgk.read import read_bytes

    pages = [_open_table(False, True, "Refused as", "7"), _open_table(True, False, "secret", "")]
    doc = read_bytes(make_pdf(pages), "cut.pdf")
    assert [line.cells for line in doc.lines if line.cells] == [("Refused as secret", "7")]


def test_rows_with_numbers_on_both_sides_of_a_break_stay_apart() -> None:
    from test_read_docx_pdf import make_pdf
    from xxgk.read import read_bytes

    pages = [_open_table(False, True, "Granted", "7"), _open_table(True, False, "Refused", "2")]
    doc = read_bytes(make_pdf(pages), "cut.pdf")
    assert [line.cells for line in doc.lines if line.cells] == [("Granted", "7"), ("Refused", "2")]


# --- PDFium ------------------------------------------------------------------------------------


def test_fonts_left_out_of_the_file_are_read_by_pdfium() -> None:
    """Chinese fonts not embedded (common): PDFium lays their text out with the stand-in box font."""
    from xxgk.read.pdf_objects import PdfiumPages

    pages = PdfiumPages((DATA / "pdf" / "002p.pdf").read_bytes())
    try:
        first = pages.page(0, 60_000, 3_000)
    finally:
        pages.close()
    assert first.unplaced == 0
    text = "".join(g.text for g in sorted(first.glyphs, key=lambda g: (round(g.top), g.x0)))
    assert "洪泽区人民政府2023年政府信息公开工作年度报告" in text


def test_radicals_printed_for_ideographs_are_read_as_the_ideographs() -> None:
    from xxgk.read.pdf_objects import radicals_to_ideographs

    assert radicals_to_ideographs("重庆市武隆区⼈⺠政府办公室⼯作") == "重庆市武隆区人民政府办公室工作"


def test_text_pages_lose_only_the_printers_lines() -> None:
    """pdftotext's pages (form feeds): the printing stamp, the address with its counter and a foot's page
    number equal to the page's are blanked; a value alone at the foot of a page, or at its head, is kept."""
    from xxgk.read.furniture import strip_text_furniture

    pages = ["12/4/26, 4:46 AM    某局2022年政府信息公开工作年度报告\n行政许可\n12",
             "0\n许可\n\nfile:///tmp/a.html    2/3\n2",
             "https://www.example.gov.cn/art/1.html  3/3\n规章\n3"]
    stripped = strip_text_furniture("\f".join(pages))
    assert len(stripped) == len("\f".join(pages))  # blanked with spaces: offsets still point into the file
    kept = [[line for line in page.split("\n") if line.strip()] for page in stripped.split("\f")]
    assert kept == [["行政许可", "12"], ["0", "许可"], ["规章"]]


def test_running_heads_beside_page_counters_are_blanked_but_each_title_first_printed_stays() -> None:
    """A compilation saved as text: report A's title at each page head, report B starting on a new page."""
    a, b = "甲县人民政府2024年政府信息公开工作年度报告", "乙县教育局2024年政府信息公开工作年度报告"
    text = "\n".join([a, "一、总体情况", "— 1 —", "", a, "正文", "— 2 —", a, "正文", "— 3 —", b, "一、总体情况",
                      "— 4 —", "", b, "正文", "— 5 —", b, "正文", "— 6 —", "一、总体情况", "六、其他需要报告的事项"])
    kept = strip_running_heads(text).split("\n")
    assert len(kept) == len(text.split("\n")) and len(strip_running_heads(text)) == len(text)  # offsets hold
    assert [line for line in kept if line.strip() in (a, b)] == [a, b]  # A's title, and where B begins
    assert kept[0] == a and kept[10] == b and kept.count("一、总体情况") == 3  # lines that are no title are untouched
    # A table of contents naming B, then B beginning on a new page: beside one counter, not the text's first line.
    once = "\n".join(["目录", b, "正文", "— 1 —", b, "一、总体情况", "— 2 —", "正文"])
    assert strip_running_heads(once) == once
    two_pages = "\n".join([a, "一、总体情况", "— 1 —", "", a, "正文", "— 2 —"])  # the title at the top, then a head
    assert [line for line in strip_running_heads(two_pages).split("\n") if line.strip() == a] == [a]
