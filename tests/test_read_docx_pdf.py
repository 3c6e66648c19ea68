"""The Word and PDF readers: real reports end to end, merged cells, page breaks, broken files.

Fixtures are made during the run: a DOCX from the official template filled with a real
report's numbers and prose (seed_001), small PDFs written by hand, and, when LibreOffice is
installed, a PDF and a legacy .doc converted from that DOCX. The three real PDFs in
tests/data/pdf are published reports with hand-checked answers; their embedded font programs
and images were stripped to keep them small (the text layer, which is what xxgk reads, is
untouched: the parse is identical to the published files').
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

import xxgk
from xxgk.read import Document, ReadError, read, read_bytes
from xxgk.read import docx as docx_reader

DATA = Path(__file__).parent / "data"
TEMPLATE = DATA / "template-2021.docx"
SEED = "seed_001_a8be0d3400cd1f54"
SEED_TEXT = DATA / "corpus" / f"{SEED}.txt"
SEED_ANSWER = DATA / "corpus" / f"{SEED}.expected.json"
PDF_DIR = DATA / "pdf"
REAL_PDFS = sorted(p.stem for p in PDF_DIR.glob("*.pdf"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"


def rows(doc: Document) -> list[tuple[str, ...]]:
    return [line.cells for line in doc.lines if line.cells is not None]


def texts(doc: Document) -> list[str]:
    return [line.text for line in doc.lines if line.cells is None]


def answer(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def flagged(report: dict[str, Any], where: str) -> bool:
    wheres = [str(f.get("where") or "") for f in report["findings"]]
    return any(w and (w.startswith(where) or where.startswith(w)) for w in wheres)


def wrong_cells(report: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Cells that differ from the answer ("?" cells must be flagged); SILENT when unflagged."""
    wrong: list[str] = []
    for table, table_rows in want["tables"].items():
        got = report["tables"].get(table)
        if table_rows is None:
            if got is not None:
                wrong.append(f"{table}: must be null (SILENT)")
            continue
        if got is None:
            wrong.append(f"{table}: missing" + ("" if flagged(report, table) else " (SILENT)"))
            continue
        for row, cols in table_rows.items():
            for col, value in cols.items():
                where = f"{table}.{row}"
                if value == "?":
                    if not flagged(report, where):
                        wrong.append(f"{where}.{col}: ambiguous but not flagged (SILENT)")
                    continue
                have = (got.get(row) or {}).get(col)
                if have != value:
                    silent = not flagged(report, where) and not flagged(report, table)
                    wrong.append(f"{where}.{col}: want {value} got {have}" + (" (SILENT)" if silent else ""))
    return wrong


# --- a real report as a Word document, made from the official template ----------------------


def _seed_sections() -> dict[str, list[str]]:
    """The seed report's prose: title, date and the text of sections 一, 五 and 六."""
    lines = [" ".join(line.split()) for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title = next(i for i, line in enumerate(lines) if line.endswith("年度报告"))
    starts = {key: next(i for i, line in enumerate(lines) if line.startswith(key)) for key in "一二五六"}
    end = next(i for i, line in enumerate(lines) if i > starts["六"] and line.startswith("扫一扫"))
    return {
        "title": [lines[title]],
        "intro": lines[title + 1 : starts["一"]],
        "一": lines[starts["一"] + 1 : starts["二"]],
        "五": lines[starts["五"] + 1 : starts["六"]],
        "六": lines[starts["六"] + 1 : end],
    }


def _distinct_cells(row: Any) -> list[Any]:
    """A row's cells once each (python-docx repeats a merged cell in every grid column)."""
    seen: list[Any] = []
    for cell in row.cells:
        if all(cell._tc is not other._tc for other in seen):
            seen.append(cell)
    return seen


def _fill(cell: Any, value: Any) -> None:
    cell.paragraphs[0].text = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def build_report_docx(path: Path) -> dict[str, Any]:
    """Fill a copy of the official template with seed_001's tables and prose; return its answer."""
    want = answer(SEED_ANSWER)
    tables = want["tables"]
    document = docx.Document(str(TEMPLATE))
    prose = _seed_sections()
    paragraphs = document.paragraphs
    title = next(p for p in paragraphs if "年度报告" in p.text)
    title.text = prose["title"][0]
    anchor = next(p for p in paragraphs if p.text.startswith("一、"))
    for line in prose["intro"]:
        anchor.insert_paragraph_before(line)
    descriptions = [p for p in paragraphs if p.text.startswith("（文字描述")]
    for placeholder, key in zip(descriptions, ("一", "五", "六"), strict=True):
        placeholder.text = prose[key][0]
        element = placeholder._p
        for line in prose[key][1:]:  # the section's other paragraphs, after the first
            new = copy.deepcopy(element)
            element.addnext(new)
            element = new
            Paragraph(new, placeholder._parent).text = line

    active, requests, review = document.tables
    # 表二: value cells after the label cell, rows in template order.
    active_rows = [
        (2, tables["active"]["regulations"], ("issued", "repealed", "in_force")),
        (3, tables["active"]["normative_documents"], ("issued", "repealed", "in_force")),
        (6, tables["active"]["licensing"], ("decisions",)),
        (9, tables["active"]["punishment"], ("decisions",)),
        (10, tables["active"]["enforcement"], ("decisions",)),
        (13, tables["active"]["fees"], ("amount",)),
    ]
    for index, values, columns in active_rows:
        cells = _distinct_cells(active.rows[index])[1:]
        for cell, column in zip(cells, columns, strict=True):
            _fill(cell, values[column])
    # 表三: the last seven cells of rows 3-27, rows in the answer's (template) order.
    for row, values in zip(requests.rows[3:], tables["requests"].values(), strict=True):
        for cell, value in zip(_distinct_cells(row)[-7:], values.values(), strict=True):
            _fill(cell, value)
    # 表四: one row of fifteen numbers.
    numbers = [v for group in tables["review_litigation"].values() for v in group.values()]
    for cell, value in zip(_distinct_cells(review.rows[3]), numbers, strict=True):
        _fill(cell, value)
    document.save(str(path))
    return want


@pytest.fixture(scope="session")
def report_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    return path, build_report_docx(path)


def _soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    assert SOFFICE is not None
    profile = (outdir / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    extension = target_format.split(":")[0]
    result = outdir / f"{source.stem}.{extension}"
    assert result.is_file(), f"LibreOffice did not write {result.name}"
    return result


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory: pytest.TempPathFactory, report_docx: tuple[Path, dict[str, Any]]) -> Path:
    if SOFFICE is None:
        pytest.skip(NO_SOFFICE)
    return _soffice_convert(report_docx[0], "pdf", tmp_path_factory.mktemp("pdf"))


def test_docx_report_gives_exactly_the_expected_tables(report_docx: tuple[Path, dict[str, Any]]) -> None:
    path, want = report_docx
    report = xxgk.parse(path).to_dict()
    assert report["source"]["format"] == "docx"
    assert report["tables"] == want["tables"]
    for key in ("agency", "year", "published", "template"):
        assert report["meta"][key] == want["meta"][key], key


def test_docx_merged_cells_give_their_text_once(report_docx: tuple[Path, dict[str, Any]]) -> None:
    doc = read(report_docx[0])
    grid = rows(doc)
    review_header = next(r for r in grid if r[0] == "行政复议")
    assert len(review_header) == 2  # gridSpan: each group header once, no blank beside it
    assert review_header[1] != ""
    # vMerge: the 表三 group label once, at the top of the rows it spans.
    outcome = [r for r in grid if r[0].startswith("三、") and r[1].startswith("（一）")]
    assert len(outcome) == 1
    below = grid[grid.index(outcome[0]) + 1]
    assert below[0] == "" and below[1].startswith("（二）")
    # No row repeats a cell's text in the next grid column (python-docx's row.cells would).
    for row in grid:
        assert all(a != b or not a or a.replace(".", "").isdigit() for a, b in itertools.pairwise(row)), row
    # Body order: the heading of 二 comes before the first table row, 五 after the last.
    kinds = [(line.text, line.cells is not None) for line in doc.lines]
    first_row = next(i for i, (_, is_row) in enumerate(kinds) if is_row)
    last_row = max(i for i, (_, is_row) in enumerate(kinds) if is_row)
    assert kinds.index(("二、主动公开政府信息情况", False)) < first_row
    assert kinds.index(("五、存在的主要问题及改进情况", False)) > last_row


def _docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_body_order_merges_and_layout_tables() -> None:
    document = docx.Document()
    document.add_paragraph("标题一")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "横向合并"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    table.cell(1, 1).text, table.cell(1, 2).text = "1", "2"
    table.cell(2, 1).text, table.cell(2, 2).text = "3", ""
    document.add_paragraph("中间\t文字")
    # A layout table: one cell holding a paragraph and a nested data table.
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).paragraphs[0].text = "外框里的文字"
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "甲", (0, 1): "乙", (1, 0): "5", (1, 1): "6"}.items():
        inner.cell(r, c).text = text
    document.add_paragraph("结尾")
    doc = read_bytes(_docx_bytes(document), "t.docx")
    items = [line.cells if line.cells is not None else line.text for line in doc.lines]
    assert items == [
        "标题一",
        ("横向合并",),
        ("纵向合并", "1", "2"),
        ("", "3", ""),
        "中间\t文字",
        "外框里的文字",
        ("甲", "乙"),
        ("5", "6"),
        "结尾",
    ]


def test_docx_hidden_and_deleted_text_is_left_out() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("看得见")
    hidden = paragraph.add_run("看不见")
    hidden.font.hidden = True
    deleted = copy.deepcopy(paragraph.runs[0]._r)
    deletion = paragraph._p.makeelement(qn("w:del"), {})
    deletion.append(deleted)
    for t in deleted.iter(qn("w:t")):
        t.tag = qn("w:delText")
    paragraph._p.append(deletion)
    paragraph.add_run("的")
    doc = read_bytes(_docx_bytes(document), "t.docx")
    assert texts(doc) == ["看得见的"]


# --- legacy Word through LibreOffice ------------------------------------------------------------


def test_legacy_word_without_libreoffice_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xxgk.read.docx.shutil.which", lambda name: None)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le")
    with pytest.raises(ReadError, match=r"另存为 \.docx，或安装 LibreOffice"):
        read_bytes(ole2, "old.doc")


def test_other_ole2_files_are_named() -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with pytest.raises(ReadError, match=r"暂不支持读取 Excel 文件（\.xls）"):
        read_bytes(header + "Workbook".encode("utf-16-le"), "table.xls")
    # A .doc cut short loses its directory (at the end of the file): no Word stream is named.
    with pytest.raises(ReadError, match=r"无法识别的旧版 Office 文件（不是完整的 \.doc/\.wps 文档"):
        read_bytes(header, "report.doc")


def test_encrypted_office_file_is_named() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ReadError, match="Word 文件已加密"):
        read_bytes(ole2, "locked.docx")


@pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE)
def test_legacy_doc_is_converted_and_read(
    report_docx: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, want = report_docx
    legacy = _soffice_convert(path, "doc:MS Word 97", tmp_path)
    assert legacy.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    report = xxgk.parse(legacy).to_dict()
    assert report["source"]["format"] == "doc"
    assert report["tables"] == want["tables"]


# --- PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_pdf_reports(name: str) -> None:
    """Every cell right ("?" cells flagged), and a wrong cell at least flagged on its row."""
    want = answer(PDF_DIR / f"{name}.expected.json")
    report = xxgk.parse(PDF_DIR / f"{name}.pdf").to_dict()
    assert report["source"]["format"] == "pdf"
    wrong = wrong_cells(report, want)
    assert not [w for w in wrong if w.endswith("(SILENT)")], wrong
    assert not wrong, wrong
    for key, value in want["meta"].items():
        assert report["meta"][key] == value, key
    for where in want.get("expect_findings") or []:
        assert flagged(report, where), f"no finding at {where}"


def test_real_pdf_tables_across_page_breaks() -> None:
    """A table cut by a page break keeps its last row and its spanning label (no bottom rule)."""
    doc = read(PDF_DIR / "002p.pdf")
    grid = rows(doc)
    assert ("", "", "2.没有现成信息需要另行制作", "3", "0", "0", "0", "0", "0", "3") in grid
    assert any(r[0] == "三、本年度办理结果" for r in grid)
    # Text inside tables is not read twice.
    assert not any("没有现成信息" in line for line in texts(doc))
    # The white boxes behind the first page's paragraphs are not a table.
    assert grid[0][0] == "第二十条第（一）项"
    assert "一、总体情况" in texts(doc)


def test_pdf_made_from_the_docx(report_pdf: Path, report_docx: tuple[Path, dict[str, Any]]) -> None:
    report = xxgk.parse(report_pdf).to_dict()
    assert report["source"]["format"] == "pdf"
    assert report["tables"] == report_docx[1]["tables"]


def make_pdf(
    content: bytes | list[bytes], *, encrypt: bytes = b"", pages: int = 1, deflated: frozenset[int] = frozenset()
) -> bytes:
    """A small PDF: ``pages`` pages drawing ``content`` (or one page per content) in Helvetica.

    Contents whose index is in ``deflated`` are already compressed: marked /FlateDecode.
    """
    contents = content if isinstance(content, list) else [content] * pages
    pages = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {5 + 2 * i} 0 R >>".encode()
        )
        flate = b" /Filter /FlateDecode" if i in deflated else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(contents[i]), flate) + contents[i] + b"\nendstream")
    if encrypt:
        objects.append(encrypt)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" % len(objects)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _text(x: float, y: float, text: str, size: int = 12) -> bytes:
    return b"BT /F1 %d Tf %.2f %.2f Td (%s) Tj ET\n" % (size, x, y, text.encode("latin-1"))


# A ruled 3 x 2 table (rows 700-680-660-640, columns 100-250-400), text above and below it,
# and a fake-bold line (each string drawn twice, 0.4 pt apart).
TABLE_PAGE = (
    _text(100, 760, "Heading above")
    + b"0 0 0 RG 0.8 w\n"
    + b"".join(b"100 %d m 400 %d l S\n" % (y, y) for y in (700, 680, 660, 640))
    + b"".join(b"%d 640 m %d 700 l S\n" % (x, x) for x in (100, 250, 400))
    + _text(105, 686, "Item") + _text(255, 686, "Count")
    + _text(105, 666, "Alpha") + _text(255, 666, "12 5")
    + _text(105, 646, "Beta")
    + _text(100, 600, "Total 17") + _text(100.4, 600, "Total 17")
    + _text(100, 560, "Text below")
)


def test_pdf_ruled_table_among_lines_and_fake_bold() -> None:
    doc = read_bytes(make_pdf(TABLE_PAGE), "t.pdf")
    items = [line.cells if line.cells is not None else line.text for line in doc.lines]
    assert items == [
        "Heading above",
        ("Item", "Count"),
        ("Alpha", "12 5"),
        ("Beta", ""),
        "Total 17",
        "Text below",
    ]
    assert doc.format == "pdf" and doc.notes == []


def test_pdf_table_continued_on_next_page() -> None:
    """Vertical rules running off the page (no closing rule) still make a row of cells."""
    open_table = (
        b"0 0 0 RG 1 w\n100 700 m 400 700 l S\n100 680 m 400 680 l S\n"
        + b"".join(b"%d 650 m %d 700 l S\n" % (x, x) for x in (100, 250, 400))
        + _text(105, 686, "Item") + _text(255, 686, "Count")
        + _text(105, 664, "Last") + _text(255, 664, "9")
    )
    doc = read_bytes(make_pdf(open_table, pages=2), "t.pdf")
    assert rows(doc) == [("Item", "Count"), ("Last", "9")] * 2


def test_pdf_without_text_needs_ocr() -> None:
    scanned = b"0.5 g 50 50 400 600 re f\n"
    with pytest.raises(ReadError, match=r"没有可提取的文字（可能是扫描件），需要 OCR"):
        read_bytes(make_pdf(scanned), "scan.pdf")


def test_pdf_with_a_textless_page_says_so() -> None:
    doc = read_bytes(make_pdf([TABLE_PAGE, b"0.5 g 50 50 400 600 re f\n"]), "t.pdf")
    assert rows(doc) == [("Item", "Count"), ("Alpha", "12 5"), ("Beta", "")]
    assert doc.notes == ["PDF 第 2 页没有可提取的文字（可能是扫描图片），其中的内容未读取"]


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler wants a user password (the U entry matches none)."""
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>"
    )
    return make_pdf(_text(100, 700, "secret"), encrypt=encrypt)


def test_encrypted_pdf() -> None:
    with pytest.raises(ReadError, match="PDF 已加密"):
        read_bytes(encrypted_pdf(), "locked.pdf")


def test_bounded_inflate_skips_a_bomb_stream() -> None:
    from xxgk.read import pdf as pdf_reader

    bomb = zlib_compress_zeros(pdf_reader.MAX_STREAM_BYTES + 1024)
    assert pdf_reader._BoundedZlib.decompress(bomb) == b""
    assert pdf_reader._decompress_damaged(bomb[:-8]) == b""  # damaged, and still too large
    small = zlib_compress_zeros(1000)
    assert pdf_reader._BoundedZlib.decompress(small) == b"\0" * 1000
    assert pdf_reader._decompress_damaged(small[:-6]).startswith(b"\0" * 10)


def test_pdf_bomb_stream_is_skipped_with_a_note() -> None:
    from xxgk.guard import Limits, WatchedPool
    from xxgk.read import pdf as pdf_reader

    bomb = zlib_compress_zeros(pdf_reader.MAX_STREAM_BYTES + 1024)
    # Read in a watched process, as users' files are: a reader that inflated the bomb past the memory
    # limit would end in 内存超限, one that kept at it in 读取超时 (no stopwatch in the test).
    with WatchedPool(Limits(memory_mb=1024)) as pool:
        doc = pool.run(read_bytes, make_pdf([TABLE_PAGE, bomb], deflated=frozenset({1})), "bomb.pdf")
        assert rows(doc) == [("Item", "Count"), ("Alpha", "12 5"), ("Beta", "")]
        assert any("解压后过大" in note for note in doc.notes)
        with pytest.raises(ReadError, match="解压后过大"):
            pool.run(read_bytes, make_pdf([bomb], deflated=frozenset({0})), "bomb.pdf")


def zlib_compress_zeros(size: int) -> bytes:
    import zlib

    compressor = zlib.compressobj(1)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(compressor.compress(b"\0" * (size % len(chunk))))
    parts.append(compressor.flush())
    return b"".join(parts)


# --- broken input through the command line -------------------------------------------------------


def zip_bomb() -> bytes:
    """A .docx whose word/document.xml inflates to 300 MB (of spaces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def docx_with_body(document_xml: bytes, declared_size: int | None = None) -> bytes:
    """A real .docx with its word/document.xml replaced, its declared size optionally a lie."""
    original = io.BytesIO()
    docx.Document().save(original)
    source = zipfile.ZipFile(original)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info.filename)
            archive.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    if declared_size is not None:
        # Local header: size at +22, name length at +26, name at +30; central directory: +24, +28, +46.
        for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
            start = 0
            while (start := raw.find(signature, start)) >= 0:
                length = int.from_bytes(raw[start + length_at : start + length_at + 2], "little")
                if raw[start + name_at : start + name_at + length] == b"word/document.xml":
                    raw[start + size_at : start + size_at + 4] = declared_size.to_bytes(4, "little")
                start += 4
    return bytes(raw)


BODY = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    + b"<w:p/>" * (1 << 20)
    + b"</w:body></w:document>"
)


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("broken")
    good_docx = io.BytesIO()
    docx.Document().save(good_docx)
    real_pdf = (PDF_DIR / REAL_PDFS[0]).with_suffix(".pdf").read_bytes() if REAL_PDFS else make_pdf(TABLE_PAGE)
    files = {
        "truncated.docx": good_docx.getvalue()[: len(good_docx.getvalue()) // 2],
        "truncated.pdf": real_pdf[: len(real_pdf) // 2],
        "bomb.docx": zip_bomb(),
        "lying.docx": docx_with_body(BODY, declared_size=1000),
        "encrypted.pdf": encrypted_pdf(),
        "scanned.pdf": make_pdf(b"0.5 g 50 50 400 600 re f\n"),
        "empty.docx": b"",
        "truncated.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
        "empty.pdf": b"",
        "not-xml.docx": docx_with_body(b"<w:document><w:body>\x00\x01 garbage"),
        "no-body.docx": docx_with_body(BODY.replace(b"w:body", b"w:bodx")),
        "not-a-docx.docx": _zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<x/>"}),
    }
    paths = {}
    for name, raw in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(raw)
    return paths


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in members.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.docx", "Word 文件已损坏或不完整"),
        ("truncated.pdf", "PDF 文件已损坏或不完整"),
        ("bomb.docx", "压缩炸弹"),
        ("lying.docx", "Word 文件已损坏或不完整"),
        ("encrypted.pdf", "PDF 已加密"),
        ("scanned.pdf", "需要 OCR"),
        ("empty.docx", ""),
        ("truncated.doc", "旧版 Office 文件"),
        ("empty.pdf", ""),
        ("not-xml.docx", "Word 文件已损坏或不完整"),
        ("no-body.docx", "Word 文件已损坏或不完整"),
        ("not-a-docx.docx", "Word 文件已损坏或不完整"),
    ],
)
def test_broken_input_exits_2_with_one_chinese_line(
    broken_files: dict[str, Path], name: str, message: str
) -> None:
    # Read in a watched process (the default): a reader stuck on the file would end in 读取超时.
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "parse", str(broken_files[name])],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert "Traceback" not in result.stderr
    assert "读取超时" not in result.stderr and "内存超限" not in result.stderr


def test_docx_automatic_numbering_is_shown() -> None:
    """Numbers Word draws from numbering.xml ("一、", "（二）") are part of the text read."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int, where: Any = document) -> None:
        paragraph = where.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        ))

    numbered("总体情况", 0)
    numbered("主动公开情况", 1)
    numbered("依申请公开情况", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("其他", 1)
    table = document.add_table(rows=2, cols=2)
    cell = table.cell(0, 0)
    cell.paragraphs[0].text = "（三）不予公开"
    numbered("属于国家秘密", 2, cell)
    numbered("其他法律行政法规禁止公开", 2, cell)
    table.cell(0, 1).text = "0"
    document.add_paragraph("第十项", style="List Number")
    doc = read_bytes(_docx_bytes(document), "t.docx")
    assert texts(doc)[:5] == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "二、主动公开政府信息情况", "（一）其他"]
    assert rows(doc)[0] == ("（三）不予公开 1.属于国家秘密 2.其他法律行政法规禁止公开", "0")
    assert texts(doc)[5].endswith("第十项") and texts(doc)[5][0].isdigit()
    assert [docx_reader._chinese(n) for n in (1, 10, 11, 20, 23, 105, 1010)] == [
        "一", "十", "十一", "二十", "二十三", "一百零五", "一千零一十",
    ]
