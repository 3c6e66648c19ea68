"""PDF text layers that are not the report's printed text, or not all of it.

A watermark laid askew across the page (下载时间：2023-03-02 09:41) is no text of the report: its digits
joined table cells. A scan's OCR layer is OCR output, however it is drawn (invisible, white on the paper, under
the picture; the picture in bands, the page in a form): its numbers are confirmed as our own OCR's are. The tables
such a layer left out (an OCR program that took them for pictures) are read from the scan with OCR. Digits a font gives no Unicode for are read from the glyphs' standard names where the font
has them, and where it has not, the cells are said to be unreadable, not blank. ASCII set at the
Symbol-font code points (U+F030 for "0") is read as ASCII. With OCR installed, glyphs no font gives text for are
read from the rendered page, and their rows confirmed as a picture's are; so is a table pasted as a picture on a
page of text. Values typed into a form's fields over a table's
cells (or as free-text notes) are the cells' text.

The reports in tests/data/pdflayer were drawn by a generator of invented reports (each table's numbers
known); the small PDFs below are written by hand, each showing one kind of layer to both readers
(PDFium, and pdfminer which reads files PDFium cannot place).
"""

from __future__ import annotations

import ctypes
import dataclasses
import io
import json
import math
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
import pytest

import xxgk
from xxgk.read import pdf as pdf_reader
from xxgk.read import read_bytes
from xxgk.read.document import TEXT_LAYER_CONFIDENCE, DocumentBuilder
from xxgk.read.pdf_objects import PdfiumPages, scan_pieces
from xxgk.render.pdf import report_to_pdf

DATA = Path(__file__).parent / "data" / "pdflayer"


def answer(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


def flagged(report: dict[str, Any], where: str) -> bool:
    return any(str(f.get("where") or "").startswith(where) for f in report["findings"])


def differences(report: dict[str, Any], want: dict[str, Any]) -> list[tuple[str, Any, Any, bool]]:
    """Each cell read otherwise than the answer: (where, wanted, read, whether a finding is on its row)."""
    out = []
    for table, rows in want["tables"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                have = ((report["tables"].get(table) or {}).get(row) or {}).get(col)
                if have != value:
                    out.append((f"{table}.{row}.{col}", value, have, flagged(report, f"{table}.{row}")))
    return out


def parse(name: str) -> dict[str, Any]:
    report: dict[str, Any] = xxgk.parse(DATA / f"{name}.pdf").to_dict()
    return report


# --- whole reports --------------------------------------------------------------------------


def test_a_watermark_across_the_page_is_not_read_into_the_tables() -> None:
    """下载时间：2023-03-02 09:41 tiled at 35° under the text: before, its digits joined cells (1 → 21)
    and the title line (the body's name lost)."""
    want = answer("watermark_2019")
    report = parse("watermark_2019")
    assert differences(report, want) == []
    assert report["meta"]["agency"] == want["meta"]["agency"]
    assert "下载时间" not in json.dumps(report, ensure_ascii=False)


def test_a_scans_ocr_layer_is_confirmed_as_ocr() -> None:
    """A scan with the invisible text an OCR program laid over it: a digit the layer doubled (1 → 11, in a
    row that no longer adds up) is null with a finding; 表二's rows, which no arithmetic checks, stand
    with a note that they come from the file's own OCR layer (5039 read as 509 was stated silently)."""
    want = answer("ocr_layer_2022")
    report = parse("ocr_layer_2022")
    wrong = differences(report, want)
    assert wrong and all(on_row for *_, on_row in wrong), wrong
    assert report["tables"]["requests"]["new_received"]["total"] is None
    by_where = {f["where"]: f for f in report["findings"]}
    licensing = by_where["active.licensing"]
    assert licensing["rule"] == "PARSE-OCR-UNCHECKED" and "文字识别层" in licensing["message"]
    assert "识别可信度高" not in licensing["message"]
    assert by_where["requests.new_received"]["rule"] == "PARSE-OCR-UNCONFIRMED"
    assert any(f["rule"] == "READ-NOTE" and "文字识别层" in f["message"] for f in report["findings"])
    for where in want["expect_findings"]:
        assert flagged(report, where), where


def test_type3_digits_with_standard_glyph_names_are_read() -> None:
    """Digits drawn by a Type 3 font without a Unicode map, their glyphs named zero … nine."""
    want = answer("type3_digits_2020")
    report = parse("type3_digits_2020")
    assert differences(report, want) == []
    assert not [f for f in report["findings"] if f["rule"] == "READ-NOTE"]


def test_digits_no_font_names_are_unreadable_not_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Type 3 font whose glyphs are named g0 … g9 at the codes of A … J, and no OCR installed: no number is
    made up from the codes, and no cell is called blank: each says its number could not be read."""
    monkeypatch.setattr(pdf_reader, "_scanner", lambda raw: None)
    report = parse("type3_unnamed_2024")
    assert all(have is None for _, _, have, _ in differences(report, answer("type3_unnamed_2024")))
    rules = {f["rule"] for f in report["findings"]}
    assert "PARSE-CELL-BLANK" not in rules and "PARSE-DIGITS-LOST" in rules
    assert flagged(report, "requests.new_received") and flagged(report, "review_litigation.review")
    assert any(f["rule"] == "READ-NOTE" and "不是空白" in f["message"] for f in report["findings"])


def test_digits_no_font_gives_text_for_are_read_from_the_picture() -> None:
    """The same report with OCR: each run of such digits is cut from the rendered page and recognised; the
    numbers stand where the tables' arithmetic (or OCR's confidence) vouches for them, the rest are null with a
    finding on their rows, and none is wrong."""
    pytest.importorskip("onnxruntime")
    want = answer("type3_unnamed_2024")
    report = parse("type3_unnamed_2024")
    wrong = differences(report, want)
    cells = sum(len(cols) for rows in want["tables"].values() for cols in rows.values())
    assert all(have is None and on_row for _, _, have, on_row in wrong)
    assert len(wrong) <= 0.05 * cells
    rules = {f["rule"] for f in report["findings"]}
    assert "PARSE-DIGITS-LOST" not in rules and {"PARSE-OCR-UNCHECKED", "PARSE-OCR-UNCONFIRMED"} <= rules
    (note,) = [f["message"] for f in report["findings"] if f["rule"] == "READ-NOTE"]
    assert note.startswith("PDF 第 1、2 页有字符的字体缺少编码信息") and "OCR" in note


# --- one layer at a time, both readers ------------------------------------------------------


def make_pdf(content: bytes, extra: list[bytes] = (), fonts: bytes = b"/F1 3 0 R",  # type: ignore[assignment]
             xobjects: bytes = b"", page: bytes = b"") -> bytes:
    """A one-page PDF drawing ``content`` (font /F1: Helvetica unless ``fonts`` says otherwise).

    ``extra`` objects are numbered from 5 on; ``page``: more entries of the page's dictionary.
    """
    resources = b"/Font << " + fonts + b" >>" + (b" /XObject << " + xobjects + b" >>" if xobjects else b"")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + resources + b" >>" + page
        + b" /Contents %d 0 R >>" % (5 + len(extra)),
        *extra,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text(x: float, y: float, s: bytes, font: bytes = b"/F1", size: int = 12) -> bytes:
    return b"BT %s %d Tf %.2f %.2f Td (%s) Tj ET\n" % (font, size, x, y, s)


def turned(x: float, y: float, degrees: float, s: bytes, size: int = 20) -> bytes:
    """Text drawn at an angle (a watermark's, or a landscape table's quarter turn)."""
    c, s_ = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return b"q 0.82 g BT /F1 %d Tf %.4f %.4f %.4f %.4f %.2f %.2f Tm (%s) Tj ET Q\n" % (size, c, s_, -s_, c, x, y, s)


# A ruled table of two rows: "Item | Count", "Alpha | 12".
TABLE = (
    b"0 0 0 RG 0.8 w\n"
    + b"".join(b"100 %d m 400 %d l S\n" % (y, y) for y in (700, 680, 660))
    + b"".join(b"%d 660 m %d 700 l S\n" % (x, x) for x in (100, 250, 400))
    + text(105, 686, b"Item") + text(255, 686, b"Count") + text(105, 666, b"Alpha")
)


def both_readers(raw: bytes) -> list[list[str | tuple[str, ...]]]:
    """The lines each reader gives: PDFium's, then pdfminer's (read as a file PDFium cannot place is)."""
    pdfium_lines = [line.cells or line.text for line in read_bytes(raw, "t.pdf").lines]
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        objects = pdf_reader._miner_objects(pdf.pages[0])
    builder = DocumentBuilder()
    pdf_reader.read_positioned([objects], builder, furniture=False)
    miner_lines = [line.cells or line.text for line in builder.build("t.pdf", "pdf", raw).lines]
    return [pdfium_lines, miner_lines]


def test_askew_text_is_left_out_by_both_readers() -> None:
    """Digits of a watermark at 35° over a table cell do not join it; a quarter turn (a landscape
    table set sideways) and a scan's lean of a few degrees are still text."""
    page = TABLE + text(255, 666, b"1")
    page += b"".join(turned(x, y, 35, b"2023-03-02 09:41") for x in (60, 230, 400) for y in (560, 660, 760))
    page += turned(500, 300, 90, b"Sideways 7", 12) + turned(100, 400, 2, b"Leaning 8", 12)
    for lines in both_readers(make_pdf(page)):
        assert ("Alpha", "1") in lines, lines
        # (a quarter-turned line is read a character a line)
        assert "7" in lines and "Leaning8" in [str(x).replace(" ", "") for x in lines], lines
        assert not any("2023" in str(x) or "09" in str(x) for x in lines), lines


# A ToUnicode map giving Helvetica's digits (and the minus and point) at U+F030-U+F039 (U+F02D, U+F02E).
_PUA_MAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"1 beginbfrange <2D> <39> <F02D> endbfrange\n"
            b"1 beginbfrange <41> <7A> <0041> endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end")


def test_digits_at_symbol_font_code_points_are_ascii() -> None:
    """A ToUnicode map that copies a Symbol-style font's codes gives 2024 as U+F032 U+F030 U+F032 U+F034."""
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ArialMT /Encoding /WinAnsiEncoding /ToUnicode 5 0 R"
            b" /FirstChar 32 /LastChar 122 /Widths [%s] >>" % b" ".join([b"556"] * 91))
    stream = b"<< /Length %d >>\nstream\n" % len(_PUA_MAP) + _PUA_MAP + b"\nendstream"
    page = TABLE + text(255, 666, b"-12.5") + text(100, 760, b"Report 2024")
    raw = make_pdf(page, extra=[stream, font], fonts=b"/F1 6 0 R")
    for lines in both_readers(raw):
        assert lines[0] == "Report 2024" and ("Alpha", "-12.5") in lines, lines


def _type3(names: bytes, first: int) -> bytes:
    """A Type 3 font of ten drawn glyphs (boxes) at codes ``first`` … ``first`` + 9, named ``names``."""
    procs = b" ".join(b"/%s 7 0 R" % name for name in names.split())
    differences = b" ".join(b"/" + name for name in names.split())
    widths = b" ".join([b"500"] * 10)
    return (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0]"
            b" /CharProcs << %s >> /Encoding << /Type /Encoding /Differences [%d %s] >>"
            b" /FirstChar %d /LastChar %d /Widths [%s] /Resources << >> >>"
            % (procs, first, differences, first, first + 9, widths))


_GLYPH = b"500 0 0 0 500 700 d1 50 50 400 600 re f"
_GLYPH_STREAM = b"<< /Length %d >>\nstream\n" % len(_GLYPH) + _GLYPH + b"\nendstream"
NAMED = b"zero one two three four five six seven eight nine"


def test_type3_digits_named_by_their_glyphs_are_read() -> None:
    raw = make_pdf(TABLE + text(255, 666, b"305", b"/F2"), extra=[_type3(NAMED, 48), _GLYPH_STREAM],
                   fonts=b"/F1 3 0 R /F2 5 0 R")
    doc = read_bytes(raw, "t.pdf")
    assert ("Alpha", "305") in [line.cells for line in doc.lines]
    assert doc.notes == []


def test_codes_of_glyphs_without_standard_names_are_no_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Glyphs named g0 … g9 at the codes of A … J, or digits' codes whose glyphs the font names
    otherwise, and no OCR: the cell is marked unreadable (not blank, not the codes' letters), with a note."""
    monkeypatch.setattr(pdf_reader, "_scanner", lambda raw: None)
    unnamed = b" ".join(b"g%d" % d for d in range(10))
    for font, code in ((_type3(unnamed, 65), b"ADA"), (_type3(unnamed, 48), b"305")):
        raw = make_pdf(TABLE + text(255, 666, code, b"/F2"), extra=[font, _GLYPH_STREAM],
                       fonts=b"/F1 3 0 R /F2 5 0 R")
        doc = read_bytes(raw, "t.pdf")
        assert ("Alpha", "\ufffd") in [line.cells for line in doc.lines]
        assert doc.notes == ["PDF 中有 3 个字符无法解码（字体缺少编码信息），其中表格的 1 个单元格中的文字（数字）"
                             "无法读出，这些单元格不是空白，请对照原文"]


def test_glyphs_no_font_gives_text_for_are_read_as_ocr() -> None:
    """With OCR, the same glyphs (three bars) are read from the rendered page: the cell holds what OCR saw, and
    the row carries OCR confidences, so that the parser confirms it as it confirms a picture's rows."""
    pytest.importorskip("onnxruntime")
    unnamed = b" ".join(b"g%d" % d for d in range(10))
    raw = make_pdf(TABLE + text(255, 666, b"ADA", b"/F2"), extra=[_type3(unnamed, 65), _GLYPH_STREAM],
                   fonts=b"/F1 3 0 R /F2 5 0 R")
    doc = read_bytes(raw, "t.pdf")
    (row,) = [line for line in doc.lines if line.cells and line.cells[0] == "Alpha"]
    assert row.cells is not None and row.cells[1] and "\ufffd" not in row.cells[1]
    assert row.confidence is not None and row.confidence[0] == 1.0 and 0 < row.confidence[1] <= 1
    assert all(line.confidence is None for line in doc.lines if line.cells and line.cells[0] == "Item")
    assert doc.notes == ["PDF 第 1 页有字符的字体缺少编码信息，无法提取文字，这些字符按页面图像由 OCR 识别，请对照原文核对"]


def _table_picture(path: Path) -> tuple[bytes, float]:
    """A picture file as a grey image XObject, and its height when drawn 495 points wide."""
    from PIL import Image

    picture = Image.open(path).convert("L")
    width, height = picture.size
    data = zlib.compress(picture.tobytes())
    xobject = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
               b" /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data)) + data + b"\nendstream")
    return xobject, 495 * height / width


def test_a_table_pasted_as_a_picture_on_a_page_of_text_is_read() -> None:
    """A Word report whose 表四 was pasted as a picture, printed to PDF: the page has text, so it is no scan, and
    the picture is read with OCR where it stands (between the lines above and below it), its rows carrying OCR's
    confidence (the parser confirms them as a picture's), with a note naming the page."""
    pytest.importorskip("onnxruntime")
    images = Path(__file__).parent / "data" / "images"
    xobject, height = _table_picture(images / "dev_003.review_litigation.borderless.png")
    content = text(50, 620, b"Before the picture") + b"q 495 0 0 %.2f 50 450 cm /Im1 Do Q\n" % height \
        + text(50, 400, b"After the picture")
    doc = read_bytes(make_pdf(content, extra=[xobject], xobjects=b"/Im1 5 0 R"), "t.pdf")
    lines = [line.cells or line.text for line in doc.lines]
    assert lines[0] == "Before the picture" and lines[-1] == "After the picture"
    review = json.loads((DATA.parent / "corpus" / "dev_003.expected.json").read_text(encoding="utf-8"))
    numbers = tuple(str(v) for group in review["tables"]["review_litigation"].values() for v in group.values())
    assert numbers in lines
    assert all(line.confidence is not None for line in doc.lines[1:-1])
    assert doc.notes == ["PDF 第 1 页有图片（可能是表格），其中的文字由 OCR 识别，请对照原图核对"]


def test_both_readers_find_a_tables_picture() -> None:
    """PDFium and pdfminer give the same box for a picture that may hold a table (x0, top, x1, bottom), none for a logo."""
    images = Path(__file__).parent / "data" / "images"
    xobject, height = _table_picture(images / "dev_003.review_litigation.borderless.png")
    content = b"q 495 0 0 %.2f 50 450 cm /Im1 Do Q\n" % height + b"q 120 0 0 30 50 700 cm /Im1 Do Q\n"
    raw = make_pdf(text(50, 620, b"Title") + content, extra=[xobject], xobjects=b"/Im1 5 0 R")
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        miner = pdf_reader._miner_objects(pdf.pages[0]).pictures
    pdfium = PdfiumPages(raw).page(0, 1000, 1000).pictures
    for found in (pdfium, miner):
        assert [tuple(round(v) for v in box) for box in found] == [(50, round(842 - 450 - height), 545, 392)]


def test_a_scan_with_a_page_number_added_is_read_as_a_scan() -> None:
    """A scanned page (a picture over the whole page) to which a program added its page number as text: the page
    has characters, yet it is a scan, read with OCR (before, nothing of it was read, and nothing said so). A cover's
    title printed over a background picture is the page's text."""
    pytest.importorskip("onnxruntime")
    images = Path(__file__).parent / "data" / "images"
    xobject, _ = _table_picture(images / "dev_003.requests.word.png")
    scan = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
    doc = read_bytes(make_pdf(scan + text(280, 20, b"- 1 -"), extra=[xobject], xobjects=b"/Im1 5 0 R"), "t.pdf")
    rows = [line for line in doc.lines if line.cells]
    assert len(rows) > 20 and all(line.confidence is not None for line in doc.lines)
    assert doc.notes == ["PDF 第 1 页没有文字层（扫描件），内容由 OCR 识别，请对照原文核对"]
    cover = scan + text(250, 500, b"Annual report 2023")
    doc = read_bytes(make_pdf(cover, extra=[xobject], xobjects=b"/Im1 5 0 R"), "t.pdf")
    assert [line.text for line in doc.lines] == ["Annual report 2023"]


def test_a_huge_page_is_rendered_within_ocrs_pixels() -> None:
    """A page of 200 × 200 inches (a poster, or a hostile MediaBox) rendered at 300 dpi would take 3.6 gigapixels:
    it is rendered smaller, within what OCR reads of a page."""
    pytest.importorskip("cv2")
    from xxgk.read.image import MAX_OCR_PIXELS
    from xxgk.read.pdf_reread import PagePictures

    raw = make_pdf(text(50, 620, b"Title")).replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 14400 14400]")
    pictures = PagePictures(raw)
    (crop,) = pictures._crops(0, [(0.0, 0.0, 7200.0, 7200.0)])
    pictures.close()
    assert crop.size <= MAX_OCR_PIXELS / 4 + 10_000


def test_a_logo_or_a_letterheads_background_is_not_read_as_a_table() -> None:
    """Pictures too small to hold a table, or with the page's text printed over them, are not read with OCR."""
    pytest.importorskip("onnxruntime")
    images = Path(__file__).parent / "data" / "images"
    xobject, height = _table_picture(images / "dev_003.review_litigation.borderless.png")
    over = b"".join(text(60, 460 + 12 * k, b"Letterhead text over the picture") for k in range(4))
    for drawn in (b"q 120 0 0 30 50 450 cm /Im1 Do Q\n", b"q 495 0 0 %.2f 50 450 cm /Im1 Do Q\n" % height + over):
        doc = read_bytes(make_pdf(text(50, 620, b"Title") + drawn, extra=[xobject], xobjects=b"/Im1 5 0 R"), "t.pdf")
        assert all(line.confidence is None for line in doc.lines) and doc.notes == []


def _picture(width: int = 595, height: int = 842) -> tuple[bytes, bytes]:
    """An image XObject (a grey pixel) and the content drawing it over ``width`` x ``height`` points."""
    pixel = zlib.compress(b"\xc0")
    image = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
             b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixel) + pixel + b"\nendstream")
    return image, b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (width, height)


@pytest.mark.parametrize(("mode", "width", "layer"), [
    (3, 595, True),  # invisible text over a scan of the page: its OCR layer
    (0, 595, False),  # text printed over a picture (a letterhead's background)
    (3, 200, False),  # invisible text beside a small picture
])
def test_a_scans_invisible_text_is_marked_as_ocr(mode: int, width: int, layer: bool) -> None:
    image, draw = _picture(width)
    page = draw + TABLE.replace(b"BT ", b"BT %d Tr " % mode) + text(255, 666, b"12").replace(b"BT ", b"BT %d Tr " % mode)
    doc = read_bytes(make_pdf(page, extra=[image], xobjects=b"/Im1 5 0 R"), "t.pdf")
    rows = [line for line in doc.lines if line.cells is not None]
    assert [line.cells for line in rows] == [("Item", "Count"), ("Alpha", "12")]
    expected = (TEXT_LAYER_CONFIDENCE, TEXT_LAYER_CONFIDENCE) if layer else None
    assert all(line.confidence == expected for line in rows)
    assert any("文字识别层" in note for note in doc.notes) == layer


def _with_annots(annots: tuple[bytes, ...]) -> bytes:
    """The table page with annotations (objects from 5 on, listed in the page's /Annots)."""
    refs = b" ".join(b"%d 0 R" % (5 + i) for i in range(len(annots)))
    return make_pdf(TABLE, extra=list(annots), page=b" /Annots [%s]" % refs)


def _field(value: bytes, rect: bytes, flags: int = 4) -> bytes:
    return b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f) /V (%s) /Rect [%s] /F %d >>" % (value, rect, flags)


def _note(contents: bytes, rect: bytes) -> bytes:
    return b"<< /Type /Annot /Subtype /FreeText /Contents (%s) /Rect [%s] /DA (/Helv 8 Tf 0 g) /F 4 >>" % (contents, rect)


@pytest.mark.parametrize(("annots", "cell"), [
    ((_field(b"12", b"252 662 398 678"),), "12"),  # a filled form field in the cell
    ((_note(b"7", b"252 662 398 678"),), "7"),  # a free-text note typed into it
    ((_field(b"12", b"252 662 398 678", flags=6),), ""),  # a hidden field is not shown
    ((_note(b"Check 7", b"420 662 560 678"),), ""),  # a note beside the table is a comment
])
def test_values_typed_into_a_tables_cells_are_read(annots: tuple[bytes, ...], cell: str) -> None:
    """Numbers entered in a PDF form's fields (or as free-text notes) over the cells: not in the page's
    content, they were read as blank cells."""
    doc = read_bytes(_with_annots(annots), "t.pdf")
    assert [line.cells for line in doc.lines if line.cells is not None] == [("Item", "Count"), ("Alpha", cell)]
    assert not any("Check" in line.text for line in doc.lines)


# --- a scan's OCR layer, however it is drawn ------------------------------------------------


def _redrawn(raw: bytes, how: str) -> bytes:
    """The scan with its invisible OCR layer drawn otherwise, as other OCR programs draw it: in white over the
    picture ("white"), in black under the picture that then covers it ("under"), each page wrapped in a form
    ("form"), or the picture cut into six bands ("bands")."""
    pdf = pdfium.PdfDocument(raw)
    if how == "form":
        return _wrapped(pdf)
    for index in range(len(pdf)):
        page = pdf[index]
        objects = list(page.get_objects(max_depth=1))
        for obj in objects:
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and how in ("white", "under"):
                pdfium_c.FPDFTextObj_SetTextRenderMode(obj.raw, pdfium_c.FPDF_TEXTRENDERMODE_FILL)
                if how == "white":
                    pdfium_c.FPDFPageObj_SetFillColor(obj.raw, 255, 255, 255, 255)
        for obj in objects:
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                pictures = [obj] if how == "under" else _bands(pdf, obj, 6)
                page.remove_obj(obj)
                for picture in pictures:
                    page.insert_obj(picture)  # (last: painted over the text)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _wrapped(pdf: Any) -> bytes:
    """Each page drawn as a form on a page of a new file."""
    wrapped = pdfium.PdfDocument.new()
    for index in range(len(pdf)):
        page = wrapped.new_page(*pdf[index].get_size())
        xobject = pdfium_c.FPDF_NewXObjectFromPage(wrapped.raw, pdf.raw, index)
        pdfium_c.FPDFPage_InsertObject(page.raw, pdfium_c.FPDF_NewFormObjectFromXObject(xobject))
        pdfium_c.FPDF_CloseXObject(xobject)
        page.gen_content()
    out = io.BytesIO()
    wrapped.save(out)
    return out.getvalue()


def _bands(pdf: Any, image: Any, count: int) -> list[Any]:
    """A picture cut into ``count`` bands across, each a picture in its place."""
    picture = image.get_bitmap().to_pil()
    left, bottom, right, top = image.get_bounds()
    scale = (top - bottom) / picture.height
    bands = []
    for k in range(count):
        first, last = round(k * picture.height / count), round((k + 1) * picture.height / count)
        band = pdfium.PdfImage.new(pdf)
        band.set_bitmap(pdfium.PdfBitmap.from_pil(picture.crop((0, first, picture.width, last))))
        band.set_matrix(pdfium.PdfMatrix(right - left, 0, 0, (last - first) * scale, left, top - last * scale))
        bands.append(band)
    return bands


@pytest.mark.parametrize("how", ["white", "under", "form", "bands"])
def test_a_scans_ocr_layer_drawn_otherwise_is_read_as_its_ocr_layer(how: str, tmp_path: Path) -> None:
    """The scan of test_a_scans_ocr_layer_is_confirmed_as_ocr with its OCR layer drawn as other programs draw it:
    the same report as from the invisible layer (its doubled digit null with a finding, 表二 flagged as unchecked,
    the note that the pages are scans). Before, the layer was read as printed text: 11 stood in 表三 with findings
    blaming the body's arithmetic, 表二's misreadings stood silently, and nothing said the pages were scans."""
    invisible = parse("ocr_layer_2022")
    path = tmp_path / f"{how}.pdf"
    path.write_bytes(_redrawn((DATA / "ocr_layer_2022.pdf").read_bytes(), how))
    report: dict[str, Any] = xxgk.parse(path).to_dict()
    assert report["tables"] == invisible["tables"]
    assert sorted((f["rule"], f["where"]) for f in report["findings"]) \
        == sorted((f["rule"], f["where"]) for f in invisible["findings"])
    assert any(f["rule"] == "READ-NOTE" and "文字识别层" in f["message"] for f in report["findings"])


def _page_picture(grey: bytes = b"\xf0", extra: bytes = b"") -> bytes:
    """An image XObject one pixel wide, its rows (top first) the grey levels given; ``extra``: more of its entries."""
    data = zlib.compress(grey)
    return (b"<< /Type /XObject /Subtype /Image /Width 1 /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
            b" /Filter /FlateDecode %s /Length %d >>\nstream\n" % (len(grey), extra, len(data)) + data + b"\nendstream")


def _layer(before: bytes = b"", after: bytes = b"") -> bytes:
    """The table page's text (in the colour ``before`` sets), between what is drawn before and after it."""
    return before + b"BT ET\n" + TABLE.replace(b"0 0 0 RG 0.8 w\n", b"") + text(255, 666, b"12") + after


_SCAN = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
_WHITE = b"1 g "
# Six bands across the page, each 140.33 points high (together the page).
_BAND = [b"q 595 0 0 140.34 0 %.2f cm /Im1 Do Q\n" % (k * 842 / 6) for k in range(6)]
_BANDS = b"".join(_BAND)


@pytest.mark.parametrize(("content", "image", "layer"), [
    (_layer(_SCAN + _WHITE), _page_picture(), True),  # white text over the scan's paper
    (_layer(_SCAN + _WHITE), _page_picture(b"\xf0\x30"), True),  # ... the table on the page's light upper half
    (_layer(_SCAN + _WHITE), _page_picture(b"\x30\xf0"), False),  # white on a dark picture (a cover's banner)
    (_layer(_WHITE), _page_picture(), False),  # white text and no picture under it
    (_layer(after=_SCAN), _page_picture(), True),  # text the scan, painted after it, covers
    (_layer(after=_SCAN), _page_picture(extra=b"/SMask 6 0 R"), False),  # ... a watermark stamped over the page
    (_layer(b"3 Tr " + _BANDS), _page_picture(), True),  # invisible text over a scan cut into bands
    (_layer(b"3 Tr " + _BAND[0] + _BAND[-1]), _page_picture(), False),  # a letterhead's band and a footer's
    (_layer(_BANDS + _WHITE), _page_picture(), True),  # white text over the bands
])
def test_text_no_reader_can_see_over_a_scan_is_its_ocr_layer(content: bytes, image: bytes, layer: bool) -> None:
    """Text over (or under) a picture of the whole page that nobody can see is the OCR layer, drawn in any way;
    text printed to be seen over a picture is the page's text."""
    mask = _page_picture(b"\x40")  # (a watermark's: a quarter opaque)
    doc = read_bytes(make_pdf(content, extra=[image, mask], xobjects=b"/Im1 5 0 R"), "t.pdf")
    rows = [line for line in doc.lines if line.cells is not None]
    assert [line.cells for line in rows] == [("Item", "Count"), ("Alpha", "12")]
    expected = (TEXT_LAYER_CONFIDENCE, TEXT_LAYER_CONFIDENCE) if layer else None
    assert all(line.confidence == expected for line in rows)
    assert any("文字识别层" in note for note in doc.notes) == layer


def test_a_page_wrapped_in_a_form_shows_its_scan() -> None:
    """A scanned page drawn inside a form (moved by the form's matrix and by the page's): its picture is the
    page's scan, and the invisible text over it its OCR layer."""
    inner = b"q 297.5 0 0 421 0 0 cm /Im1 Do Q\n" + _layer(b"3 Tr ").replace(b"BT /F1 12 Tf", b"BT /F1 6 Tf")
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 297.5 421] /Matrix [2 0 0 2 0 0] /Resources << /Font"
            b" << /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> /Length %d >>\nstream\n" % len(inner) + inner
            + b"\nendstream")
    raw = make_pdf(b"q 1 0 0 1 0 0 cm /Fm1 Do Q\n", extra=[_page_picture(), form], xobjects=b"/Im1 5 0 R /Fm1 6 0 R")
    objects = PdfiumPages(raw).page(0, 1000, 1000)
    assert objects.scanned and objects.ocr_layer == len(objects.glyphs) > 0


@pytest.mark.parametrize(("boxes", "pieces"), [
    ([(0, 0, 595, 842)], [0]),  # the whole page
    ([(0, 0, 595, 400), (20, 20, 80, 80), (0, 400, 595, 842)], [0, 1, 2]),  # two halves (and a logo within)
    ([(0, 140.3 * k, 595, 140.3 * (k + 1)) for k in range(6)], list(range(6))),  # bands
    ([(x, y, x + 297.5, y + 421) for x in (0, 297.5) for y in (0, 421)], [0, 1, 2, 3]),  # tiles
    ([(0, 0, 595, 100), (0, 742, 595, 842)], None),  # a letterhead's band and a footer's
    ([(0, 0, 595, 400), (0, 500, 595, 842)], None),  # two halves apart: a gap across the page
    ([(40, 100, 555, 500)], None),  # a picture of a table
])
def test_pictures_that_together_cover_the_page_are_its_scan(boxes: list[tuple[float, float, float, float]],
                                                           pieces: list[int] | None) -> None:
    assert scan_pieces(boxes, 595, 842) == pieces


# --- text leaning a degree or two -------------------------------------------------------------


def _leaning(raw: bytes, degrees: float) -> bytes:
    """The PDF with everything on its pages (text, rules, pictures) turned counter-clockwise about each page's
    centre: a scan fed in askew with its OCR layer, or a report a program drew turned by a degree."""
    doc = pdfium.PdfDocument(raw)
    try:
        for page in doc:
            width, height = page.get_size()
            c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
            turn = pdfium_c.FS_MATRIX(c, s, -s, c, width / 2 * (1 - c) + height / 2 * s,
                                      height / 2 * (1 - c) - width / 2 * s)
            pdfium_c.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(turn), None)
            pdfium_c.FPDFPage_GenerateContent(page.raw)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()


@pytest.mark.parametrize("degrees", [0.8, -1.5, 2.5])
@pytest.mark.parametrize("name", ["dev_001", "dev_012"])
def test_a_report_drawn_at_a_small_angle_reads_as_upright(name: str, degrees: float) -> None:
    """Its rows drift across a table's width by more than a line's height (12 pt at 1.5°): before, cells fell
    onto the neighbouring rows (rows lost or mixed) and the title's line was broken. The page is read upright."""
    upright = report_to_pdf(xxgk.parse(DATA.parent / "corpus" / f"{name}.txt"))
    want = xxgk.parse(upright, "r.pdf")
    got = xxgk.parse(_leaning(upright, degrees), "r.pdf")
    assert got.tables == want.tables
    # (the preamble's prose may gain a space: a gap a hair under a space's width in justified text is a hair over)
    assert got.meta.model_copy(update={"preamble": None}) == want.meta.model_copy(update={"preamble": None})


@pytest.mark.parametrize("degrees", [1.5, -2.0])
def test_a_scan_fed_in_askew_is_read_from_its_leaning_ocr_layer(degrees: float) -> None:
    """The scan and the OCR layer over it lean together: the layer's rows are read as the upright scan's."""
    raw = (DATA / "ocr_layer_2022.pdf").read_bytes()
    want = xxgk.parse(raw, "r.pdf").to_dict()
    got = xxgk.parse(_leaning(raw, degrees), "r.pdf").to_dict()
    assert got["tables"] == want["tables"]
    assert got["meta"]["agency"] == want["meta"]["agency"]


def test_both_readers_straighten_a_leaning_ruled_table() -> None:
    """A table drawn turned by 2° (its rules too) reads as drawn upright by PDFium and by pdfminer; text leaning
    less than a third of a degree is left as it is."""
    rows = b"".join(text(105, y + 6, b"Row%d" % k) + text(255, y + 6, b"%d" % (10 * k))
                    for k, y in enumerate(range(640, 460, -20), start=1))
    rules = (b"0 0 0 RG 0.8 w\n" + b"".join(b"100 %d m 400 %d l S\n" % (y, y) for y in range(700, 440, -20))
             + b"".join(b"%d 460 m %d 700 l S\n" % (x, x) for x in (100, 250, 400)))
    page = rules + text(105, 686, b"Item") + text(255, 686, b"Count") + text(105, 666, b"Alpha") \
        + text(255, 666, b"1") + rows
    upright = both_readers(make_pdf(page))
    assert ("Row9", "90") in upright[0] and upright[0] == upright[1]
    for degrees in (2.0, -2.0):
        c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        turned_page = b"q %.6f %.6f %.6f %.6f 0 0 cm\n" % (c, s, -s, c) + page + b"Q\n"
        for lines in both_readers(make_pdf(turned_page)):
            assert lines == upright[0], (degrees, lines)


# --- a scan's OCR layer that left the tables out --------------------------------------------------------

PRINTED = DATA.parent / "printed" / "dev_003.a4.pdf"  # a report printed from a browser: 表三 runs over pages 3 and 4


def _scanned(raw: bytes, kept: Callable[[int, float, bool], bool]) -> bytes:
    """The printed PDF made a scan with an OCR layer: each page's picture (rendered at 150 dpi, in grey) under the
    page's text made invisible, its rules in the picture only. ``kept(page, y, in_table)`` tells which pieces of
    text (by page and height) the OCR program put in its layer: one that took the tables for pictures left theirs
    out."""
    pdf = pdfium.PdfDocument(raw)
    with pdfplumber.open(io.BytesIO(raw)) as plumber:
        grids = [[table.bbox for table in page.find_tables()] for page in plumber.pages]
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        picture = pdfium.PdfImage.new(pdf)
        picture.set_bitmap(pdfium.PdfBitmap.from_pil(page.render(scale=150 / 72).to_pil().convert("L")))
        picture.set_matrix(pdfium.PdfMatrix(width, 0, 0, height, 0, 0))
        for obj in list(page.get_objects(max_depth=1)):
            left, bottom, right, top = obj.get_bounds()
            x, y = (left + right) / 2, height - (bottom + top) / 2
            in_table = any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in grids[index])
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and kept(index, y, in_table):
                pdfium_c.FPDFTextObj_SetTextRenderMode(obj.raw, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
            else:
                page.remove_obj(obj)
        page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _printed_answer() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PRINTED.with_name("dev_003.a4.expected.json").read_text(encoding="utf-8"))
    return data


LEFT_OUT = "文字识别层缺少页面上的表格"


def test_tables_a_scans_ocr_layer_left_out_are_read_from_its_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layer has the prose and the headings only: the ruled tables its picture shows (表二 and 表三's head on
    page 3, 表三's rest and 表四 between the prose on page 4) are read with OCR where they stand, their numbers
    judged as a picture's are (not as the layer's), with a note. A digit OCR misreads is null with a finding on its
    row. Before, every table was null (FORM-TABLE-MISSING) although the picture was there to read."""
    pytest.importorskip("onnxruntime")
    from xxgk.read import ocr

    recognise = ocr.recognise
    misread: list[str] = []

    def fifty_as_sixty(crops: list[Any], digits: list[bool] | None = None) -> list[Any]:
        readings = recognise(crops, digits)
        for k, reading in enumerate(readings):
            if reading.text == "50" and not misread:  # (表三 予以公开: 50 … 50)
                readings[k] = dataclasses.replace(reading, text="60")
                misread.append(reading.text)
        return readings

    monkeypatch.setattr(ocr, "recognise", fifty_as_sixty)
    raw = _scanned(PRINTED.read_bytes(), lambda page, y, in_table: not in_table)
    report = xxgk.parse(raw, "scan.pdf").to_dict()
    assert misread
    wrong = differences(report, _printed_answer())
    assert wrong and all(where.startswith("requests.granted.") and have is None and on_row
                         for where, _, have, on_row in wrong), wrong
    by_where = {f["where"]: f for f in report["findings"]}
    assert by_where["requests.granted"]["rule"] == "PARSE-OCR-UNCONFIRMED"
    licensing = by_where["active.licensing"]  # (表二 has no arithmetic: flagged as our OCR's, not the layer's)
    assert licensing["rule"] == "PARSE-OCR-UNCHECKED" and "文字识别层" not in licensing["message"]
    (note,) = [f["message"] for f in report["findings"] if LEFT_OUT in f["message"]]
    assert note.startswith("PDF 第 3、4 页")


@pytest.mark.parametrize("degrees", [0.0, 1.5])
def test_a_table_partly_in_the_layer_is_read_whole_from_the_picture(degrees: float) -> None:
    """The layer has 表二 and 表三's first rows on page 3, none of 表三's rows below them nor of page 4's tables:
    表三 is read from the picture on both pages (the layer's rows of it on page 3 give way to the picture's, not
    read twice), 表二 from the layer; so too when the scan was fed in askew, its layer leaning with it."""
    pytest.importorskip("onnxruntime")
    raw = _scanned(PRINTED.read_bytes(),
                   lambda page, y, in_table: not in_table or (page == 2 and y < 560))
    if degrees:
        raw = _leaning(raw, degrees)
    report = xxgk.parse(raw, "scan.pdf").to_dict()
    assert differences(report, _printed_answer()) == []
    assert "文字识别层" in {f["where"]: f for f in report["findings"]}["active.licensing"]["message"]
    assert sum(LEFT_OUT in f["message"] for f in report["findings"]) == 1


def test_a_layer_that_has_the_tables_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layer with the whole report is read from the layer: its pages are glanced at, no table is looked for in
    the picture, none read with OCR. A PDF of text is not even glanced at; without OCR a layer without the tables
    reads as before (the tables missing, with findings)."""
    pytest.importorskip("onnxruntime")
    from xxgk.read.pdf_reread import PagePictures

    def never(*args: Any) -> Any:
        raise AssertionError("looked at the picture")

    printed = PRINTED.read_bytes()
    monkeypatch.setattr(PagePictures, "_left_out", never)
    monkeypatch.setattr(PagePictures, "table_items", never)
    report = xxgk.parse(_scanned(printed, lambda page, y, in_table: True), "scan.pdf").to_dict()
    assert differences(report, _printed_answer()) == []
    monkeypatch.setattr(PagePictures, "left_out_tables", never)
    assert differences(xxgk.parse(printed, "printed.pdf").to_dict(), _printed_answer()) == []
    monkeypatch.setattr(pdf_reader, "_scanner", lambda raw: None)
    report = xxgk.parse(_scanned(printed, lambda page, y, in_table: not in_table), "scan.pdf").to_dict()
    assert report["tables"] == {"active": None, "requests": None, "review_litigation": None}
    assert not any(LEFT_OUT in f["message"] for f in report["findings"])
