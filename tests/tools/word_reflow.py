"""Reports printed to PDF and opened in Word: the .docx files converters make of a PDF.

Word opens a PDF by converting it ("PDF Reflow"): what it recognises becomes paragraphs and real
tables, what it cannot reflow is laid out at its place on the page, in text boxes and frames.
LibreOffice's PDF import goes all the way: every run of text becomes a text box of its own at its
place, tables lose their rules. This tool makes both kinds from the project's real reports:

    python tests/tools/word_reflow.py                 # writes tests/data/printed/*.reflow.docx, *.lo.docx
    python tests/tools/word_reflow.py --measure OUT   # prints more corpus reports to PDF (Chromium),
                                                      # converts them with LibreOffice into OUT/NAME.docx
                                                      # beside NAME.gold.json, for the scorer

``*.lo.docx``: the printed PDFs in tests/data/printed converted by LibreOffice
(``soffice --infilter=writer_pdf_import``). ``*.reflow.docx``: built here by hand in the shapes
Word's reflow produces from a printed report: the title in a text box placed on the page (given as
DrawingML with its VML fallback, as Word writes it), flowing paragraphs, tables as Word tables,
one table as a text box per cell placed on the page, 表四 as framed paragraphs, a running header
and page number in text boxes on every page. Their answers are the source report's.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from html import escape
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
OUT = DATA / "printed"
MAX_BYTES = 200 * 1024
# Hand-built reflow documents: (output name, printed report).
# The source is a printed PDF of tests/data/printed, read by the project's PDF reader (rows as cells).
REFLOW = (("dev_003.reflow", "dev_003.a4"), ("seed_001.reflow", "seed_001.a4l"))
# Printed PDFs converted by LibreOffice (committed ones are under 200 KB).
LIBREOFFICE = ("dev_003.a4", "report_2021.letter")
# Corpus reports printed and converted for --measure (none of them is committed).
MEASURE = ("dev_001", "dev_002", "dev_003", "dev_010", "dev_012", "dev_016", "dev_019", "dev_020",
           "dev_025", "dev_027", "dev_031", "dev_d101", "dev_d102", "dev_d103", "dev_d104", "dev_d105",
           "dev_d106", "dev_d107", "dev_d108", "dev_d109", "dev_d110", "dev_d111", "dev_d112")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{_W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'mc:Ignorable="wps"'
)
_EMU = 12700  # per point
PAGE_W, PAGE_H = 595.0, 842.0


def pdf_to_docx(pdfs: list[Path], out: Path) -> None:
    """Convert PDFs to .docx as LibreOffice opens them (its Writer PDF import: text boxes at their places)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--infilter=writer_pdf_import",
             "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, pdfs)],
            check=True, capture_output=True, timeout=900,
        )


# --- a document as Word's reflow writes it --------------------------------------------------


def _run(text: str, size: float = 10.5) -> str:
    return f'<w:r><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, size: float = 10.5, frame: str = "") -> str:
    return f"<w:p><w:pPr>{frame}</w:pPr>{_run(text, size)}</w:p>"


def _box(n: int, x: float, y: float, w: float, h: float, text: str, size: float, fallback: bool) -> str:
    """A text box placed on the page; with its VML fallback, as Word writes it, when ``fallback``."""
    content = f"<w:txbxContent>{_para(text, size)}</w:txbxContent>"
    drawing = (
        f'<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{n}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(x * _EMU)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y * _EMU)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{round(w * _EMU)}" cy="{round(h * _EMU)}"/><wp:wrapNone/>'
        f'<wp:docPr id="{n}" name="Text Box {n}"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{round(w * _EMU)}" cy="{round(h * _EMU)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx>'
        '<wps:bodyPr lIns="0" tIns="0" rIns="0" bIns="0"/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
    )
    if not fallback:
        return f"<w:r>{drawing}</w:r>"
    vml = (
        f'<w:pict><v:shape id="Text Box {n}" type="#_x0000_t202" style="position:absolute;margin-left:{x:.1f}pt;'
        f'margin-top:{y:.1f}pt;width:{w:.1f}pt;height:{h:.1f}pt;mso-position-horizontal-relative:page;'
        f'mso-position-vertical-relative:page"><v:textbox>{content}</v:textbox></v:shape></w:pict>'
    )
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>")


def _width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E80 else 0.55 * size for ch in text) + 2


class _Reflow:
    """Builds the body: flowing paragraphs, Word tables, boxes and frames placed on pages."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.boxes = 0
        self.page = 1

    def box(self, x: float, y: float, text: str, size: float = 10.5, anchor_text: str = "") -> None:
        self.boxes += 1
        run = _box(self.boxes, x, y, _width(text, size), size * 1.3, text, size, fallback=self.boxes % 2 == 1)
        self.parts.append(f"<w:p>{_run(anchor_text) if anchor_text else ''}{run}</w:p>")

    def page_furniture(self, title: str) -> None:
        """A running header and a page number, in boxes at the page's edges, as on every printed page."""
        self.box(36, 14, title, 8)
        self.box(PAGE_W / 2 - 10, PAGE_H - 28, f"{self.page}/3", 8)
        self.page += 1

    def text(self, line: str, size: float = 10.5) -> None:
        self.parts.append(_para(line, size))

    def table(self, rows: list[list[str]]) -> None:
        """A real Word table (what reflow recognises), merged header cells as gridSpan."""
        width = max(len(r) for r in rows)
        grid = "".join('<w:gridCol w:w="600"/>' for _ in range(width))
        body = []
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                span = f'<w:tcPr><w:gridSpan w:val="{width - len(row) + 1}"/></w:tcPr>' if i == 0 and len(row) < width else ""
                cells.append(f"<w:tc>{span}{_para(cell, 9)}</w:tc>")
            body.append(f"<w:tr>{''.join(cells)}</w:tr>")
        self.parts.append(f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")

    def boxed_table(self, rows: list[list[str]], top: float) -> None:
        """A table reflow could not recognise: a box per cell placed on the page, all anchored in one paragraph."""
        runs = []
        for r, row in enumerate(rows):
            y = top + 18 * r
            x = 30.0
            widths = [170.0] + [min(50.0, (PAGE_W - 220) / max(len(row) - 1, 1))] * (len(row) - 1)
            for cell, w in zip(row, widths, strict=False):
                if cell:
                    self.boxes += 1
                    runs.append(_box(self.boxes, x + 2, y, min(w - 4, _width(cell, 9)), 12, cell, 9, fallback=True))
                x += w
        self.parts.append(f"<w:p>{''.join(runs)}</w:p>")

    def framed(self, rows: list[list[str]], top: float) -> None:
        """Rows as framed paragraphs (``w:framePr``) placed on the page, one frame per cell."""
        for r, row in enumerate(rows):
            x = 30.0
            for i, cell in enumerate(row):
                w = 160.0 if i == 0 else min(42.0, (PAGE_W - 220) / max(len(row) - 1, 1))
                if cell:
                    frame = (f'<w:framePr w:w="{round(w * 20)}" w:hSpace="0" w:wrap="auto" w:vAnchor="page" '
                             f'w:hAnchor="page" w:x="{round(x * 20)}" w:y="{round((top + 16 * r) * 20)}"/>')
                    self.parts.append(_para(cell, 8, frame))
                x += w

    def docx(self) -> bytes:
        sect = (f'<w:sectPr><w:pgSz w:w="{round(PAGE_W * 20)}" w:h="{round(PAGE_H * 20)}"/>'
                '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>')
        document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{"".join(self.parts)}{sect}</w:body></w:document>'
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"))
            z.writestr("_rels/.rels", (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"))
            z.writestr("word/document.xml", document)
        return buffer.getvalue()


def reflow_docx(source: str) -> tuple[bytes, dict[str, Any]]:
    """A printed report as Word's reflow of its printed PDF would give it, and the answer it must give."""
    sys.path.insert(0, str(TESTS.parent / "src"))
    from xxgk.read import read

    answer = json.loads((OUT / f"{source}.expected.json").read_text(encoding="utf-8"))
    doc = read(OUT / f"{source}.pdf")
    out = _Reflow()
    title = next((line.text for line in doc.lines if line.text.strip()), "")
    out.page_furniture(title[:30])
    # The title in large type: a box placed at the top of the first page, anchored in an empty paragraph.
    out.box(60, 60, title, 16)
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in doc.lines:
        if line.cells is not None:
            current.append(list(line.cells))
            continue
        if current:
            tables.append(current)
            current = []
            _table(out, tables)
        if line.text.strip() and line.text != title:
            out.text(line.text)
    if current:
        tables.append(current)
        _table(out, tables)
    return out.docx(), answer


def _table(out: _Reflow, tables: list[list[list[str]]]) -> None:
    """The n-th table in one of reflow's shapes: real tables, then a box per cell, then frames."""
    rows = tables[-1]
    shape = len(tables) % 3
    if shape == 2:
        out.page_furniture("")
        out.boxed_table(rows, 90)
    elif shape == 0 and len(rows) <= 40:
        out.page_furniture("")
        out.framed(rows, 80)
    else:
        out.table(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--measure", type=Path, help="print and convert more corpus reports into this folder")
    args = ap.parse_args()
    if args.measure:
        measure(args.measure)
        return
    for name, source in REFLOW:
        raw, answer = reflow_docx(source)
        (OUT / f"{name}.docx").write_bytes(raw)
        (OUT / f"{name}.expected.json").write_text(json.dumps(answer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name}.docx: {len(raw) // 1024} KB")
    with tempfile.TemporaryDirectory() as tmp:
        pdf_to_docx([OUT / f"{name}.pdf" for name in LIBREOFFICE], Path(tmp))
        for name in LIBREOFFICE:
            made = OUT / f"{name}.lo.docx"
            shutil.move(Path(tmp) / f"{name}.docx", made)
            shutil.copy(OUT / f"{name}.expected.json", OUT / f"{name}.lo.expected.json")
            size = made.stat().st_size
            print(f"{made.name}: {size // 1024} KB" + ("" if size <= MAX_BYTES else "  (over 200 KB)"))


def measure(out: Path) -> None:
    """Print corpus reports with Chromium (tests/tools/print_reports.py) and convert them with LibreOffice."""
    sys.path.insert(0, str(Path(__file__).parent))
    import print_reports as pr

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xxgk-reflow-") as tmp:
        folder = Path(tmp)
        server, port = pr.serve(folder)
        pdfs = []
        try:
            for i, source in enumerate(MEASURE):
                paper = ("210mm 297mm", "148mm 210mm", "297mm 210mm")[i % 3]
                job = pr.Print(source, source, paper, "www.example.gov.cn", "门户网站")
                html, answer = pr.page_html(job)
                page = folder / f"{source}.html"
                page.write_text(html, encoding="utf-8")
                pdf = folder / f"{source}.pdf"
                pr.print_pdf(f"http://{job.host}/{page.name}", job.host, port, pdf, folder / f"profile-{source}")
                pdfs.append(pdf)
                (out / f"{source}.gold.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
                print(f"printed {source}", flush=True)
        finally:
            server.shutdown()
        pdf_to_docx(pdfs, out)
    print(f"converted {len(pdfs)} reports into {out}")


if __name__ == "__main__":
    main()
