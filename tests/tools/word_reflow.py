"""Reports printed to PDF and opened in Word: the .docx files converters make of a PDF.

Word opens a PDF by converting it ("PDF Reflow"): what it recognises becomes paragraphs and real
tables, what it cannot reflow is laid out at its place on the page, in text boxes and frames.
LibreOffice's PDF import goes all the way: every run of text becomes a text box of its own at its
place, tables lose their rules. This tool makes both kinds from the project's real reports:

    python tests/tools/word_reflow.py                 # writes tests/data/printed/*.reflow.docx, *.lo.docx,
                                                      # *.word.lo.docx
    python tests/tools/word_reflow.py --measure OUT   # prints more corpus reports to PDF (Chromium),
                                                      # converts them with LibreOffice into OUT/NAME.docx
                                                      # beside NAME.gold.json, for the scorer

``*.lo.docx``: the printed PDFs in tests/data/printed converted by LibreOffice
(``soffice --infilter=writer_pdf_import``); ``*.word.lo.docx``: corpus reports as a Word file exported
to PDF (cells aligned to their top: a long label's first line beside its numbers), opened the same
way. ``*.reflow.docx``: built here by hand in the shapes
Word's reflow produces from a printed report: the title in a text box placed on the page (given as
DrawingML with its VML fallback, as Word writes it), flowing paragraphs, tables as Word tables,
one table as a text box per cell placed on the page, 表四 as framed paragraphs, a running header
and page number in text boxes on every page. Their answers are the source report's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reflow import Reflow

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
OUT = DATA / "printed"
MAX_BYTES = 200 * 1024
# Hand-built reflow documents: (output name, printed report).
# The source is a printed PDF of tests/data/printed, read by the project's PDF reader (rows as cells).
REFLOW = (("dev_003.reflow", "dev_003.a4"), ("seed_001.reflow", "seed_001.a4l"))
# Printed PDFs converted by LibreOffice (committed ones are under 200 KB).
LIBREOFFICE = ("dev_003.a4", "report_2021.letter")
# Corpus reports as offices publish them (a Word file exported to PDF, its table cells aligned to
# their top), that PDF then opened by LibreOffice: ``NAME.word.lo.docx``.
WORD_EXPORTS = ("dev_001", "seed_002_f821463d77e6db60")
# Corpus reports printed and converted for --measure (none of them is committed).
MEASURE = ("dev_001", "dev_002", "dev_003", "dev_010", "dev_012", "dev_016", "dev_019", "dev_020",
           "dev_025", "dev_027", "dev_031", "dev_d101", "dev_d102", "dev_d103", "dev_d104", "dev_d105",
           "dev_d106", "dev_d107", "dev_d108", "dev_d109", "dev_d110", "dev_d111", "dev_d112")

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



def word_export_docx(names: tuple[str, ...], out: Path) -> None:
    """Corpus reports → Word files (the project's renderer) → PDF (LibreOffice's export, as Word's) → .docx
    (LibreOffice's PDF import), with the reports' answers."""
    sys.path.insert(0, str(TESTS.parent / "src"))
    import xxgk
    from xxgk.render.docx import report_to_docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed")
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
        folder = Path(tmp)
        for name in names:
            (folder / f"{name}.word.docx").write_bytes(report_to_docx(xxgk.parse(DATA / "corpus" / f"{name}.txt")))
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder / "pdf"), *(str(folder / f"{n}.word.docx") for n in names)],
                       check=True, capture_output=True, timeout=900)
        pdf_to_docx([folder / "pdf" / f"{n}.word.pdf" for n in names], folder / "lo")
        for name in names:
            made = out / f"{name}.word.lo.docx"
            shutil.move(folder / "lo" / f"{name}.word.docx", made)
            answer = json.loads((DATA / "corpus" / f"{name}.expected.json").read_text(encoding="utf-8"))
            keep = {"tables": answer["tables"], "meta": answer["meta"]}
            (out / f"{name}.word.lo.expected.json").write_text(json.dumps(keep, ensure_ascii=False, indent=1) + "\n",
                                                               encoding="utf-8")
            size = made.stat().st_size
            print(f"{made.name}: {size // 1024} KB" + ("" if size <= MAX_BYTES else "  (over 200 KB)"))


def reflow_docx(source: str) -> tuple[bytes, dict[str, Any]]:
    """A printed report as Word's reflow of its printed PDF would give it, and the answer it must give."""
    sys.path.insert(0, str(TESTS.parent / "src"))
    from xxgk.read import read

    answer = json.loads((OUT / f"{source}.expected.json").read_text(encoding="utf-8"))
    doc = read(OUT / f"{source}.pdf")
    out = Reflow()
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


def _table(out: Reflow, tables: list[list[list[str]]]) -> None:
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
    word_export_docx(WORD_EXPORTS, OUT)


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
