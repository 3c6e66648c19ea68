"""Parsing speed: reports per second on one core, per input format, beside each format's floor.

    python bench/parse.py [--docs 2000] [--binary-docs 60]

Parses the example reports (text), web pages (the HTML fixture and corpus reports rendered to web
pages by the project's renderer: small, 10–40 KiB), real reports published inside a government site's
chrome as real sites publish them (html-site, 100–200 KiB: menus, links, footer, inline scripts and
styles, the report pasted from Word; made at bench time by bench/site_pages.py), a Word report generated from the official template with a real
report's numbers (as tests/test_read_docx_pdf.py makes it), the real PDF reports in tests/data/pdf
(Chinese fonts not embedded: read by pdfminer) and the reports printed from web pages by Chromium in
tests/data/printed (fonts embedded: read by PDFium), repeated until at least ``--docs`` documents per
format (``--binary-docs`` for DOCX and PDF), in this one process (one core). Then every committed
table picture (tests/data/images/REPORT.TABLE.STYLE.*: real reports' tables in the styles users meet
them) read with OCR: seconds per picture beside the text-layer parse of the same report
(bench/ocr.py measures accuracy per style).

Beside each figure stands the format's floor, measured on the same files in the same run: what a
bare library needs just to get at the document's content, with no reading of a report:
  html  Lexbor (selectolax) parses the page and walks every node, taking each tag and text;
  pdf   PDFium (pypdfium2) extracts every page's characters with their boxes;
  docx  the body (word/document.xml) unzipped and parsed by lxml;
  text  the bytes decoded and split into lines.
and the ratio of the two: for each file the least CPU time of several calls, the parse, the floor
and the reading taking turns, so that a load on the machine falls on all three alike (a mean over
back-to-back calls, as the first line's throughput is, lets the machine's other work fall unevenly on
the two: on the same pages and code it read 5.3 one run and 7.9 another, where this reads 6.4 and 6.6).
Then the reading
alone (``xxgk.read.read``: the document into text lines and cells, no recognition) as its own ratio
to the floor, so that what the reader costs and what recognising the report costs are told apart.
Times are CPU time of this process. It asserts nothing (speed is measured here, not in the test
suite). The same few files are parsed again and again, so what is remembered per text (a title
line's OpenCC conversion) is found after the first round: a page never seen before costs about
0.8 ms more to recognise (site pages, measured with the memos cleared).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import xxgk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "text": sorted((ROOT / "examples").glob("*.txt")),
    "html": sorted((ROOT / "tests" / "data" / "html").glob("*.html")),
    "pdf": sorted((ROOT / "tests" / "data" / "pdf").glob("*.pdf")),
    "pdf-printed": sorted((ROOT / "tests" / "data" / "printed").glob("*.pdf")),
}
# Real reports' tables drawn as pictures, one table per picture, in the styles users meet them
# (tests/tools/make_table_images.py): report.table.style.png|jpg.
IMAGES = sorted(p for p in (ROOT / "tests" / "data" / "images").glob("*.*.*.*") if p.suffix in (".png", ".jpg"))
BINARY = {"docx", "pdf", "pdf-printed"}
# Corpus reports rendered as web pages (beside the fixture page, which is a site's page).
RENDERED = ("dev_001", "dev_003", "seed_001_a8be0d3400cd1f54")
# Corpus reports published inside a government site's chrome (bench/site_pages.py), 100–200 KiB each:
# the size and the clutter of the pages users really feed the parser.
SITE = ("dev_001", "dev_003", "dev_020", "dev_d105", "seed_001_a8be0d3400cd1f54")


def generated_docx(folder: Path) -> list[Path]:
    """The Word report the tests build from the template (needs the dev extras: pytest)."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_read_docx_pdf import build_report_docx
    except ImportError as err:
        print(f" docx: cannot build the sample ({err}); install the dev extras")
        return []
    path = folder / "report.docx"
    build_report_docx(path)
    return [path]


def rendered_pages(folder: Path) -> list[Path]:
    """Corpus reports as web pages, drawn by the project's renderer."""
    from xxgk.render.html import report_to_html

    pages = []
    for name in RENDERED:
        path = folder / f"{name}.html"
        path.write_text(report_to_html(xxgk.parse(ROOT / "tests" / "data" / "corpus" / f"{name}.txt")),
                        encoding="utf-8")
        pages.append(path)
    return pages


# --- floors ------------------------------------------------------------------------------------


def site_pages(folder: Path) -> list[Path]:
    """Corpus reports inside a site's menus, links, footer, scripts and styles."""
    sys.path.insert(0, str(ROOT / "bench"))
    from site_pages import site_page

    pages = []
    for seed, name in enumerate(SITE):
        path = folder / f"site-{name}.html"
        path.write_text(site_page(xxgk.parse(ROOT / "tests" / "data" / "corpus" / f"{name}.txt"), seed),
                        encoding="utf-8")
        pages.append(path)
    return pages


def html_floor(raw: bytes) -> int:
    """Lexbor parses the page; every node is visited, its tag or text taken."""
    from selectolax.lexbor import LexborHTMLParser

    count = 0
    for node in LexborHTMLParser(raw).root.traverse(include_text=True):
        count += len(node.text_content or "") if node.is_text_node else len(node.tag or "")
    return count


def pdf_floor(raw: bytes) -> int:
    """PDFium extracts every page's characters with their boxes."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    count = 0
    doc = pdfium.PdfDocument(raw)
    left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    box = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    for page in doc:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            count += pdfium_c.FPDFText_GetUnicode(textpage.raw, i) > 0
            pdfium_c.FPDFText_GetCharBox(textpage.raw, i, *box)
        textpage.close()
        page.close()
    doc.close()
    return count


def docx_floor(raw: bytes) -> int:
    """The body unzipped and parsed by lxml."""
    from lxml import etree

    body = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml")
    return sum(1 for _ in etree.fromstring(body).iter())


def text_floor(raw: bytes) -> int:
    """The bytes decoded and split into lines."""
    return len(raw.decode("utf-8", errors="replace").splitlines())


FLOORS: dict[str, tuple[str, Callable[[bytes], int]]] = {
    "text": ("decode and split lines", text_floor),
    "html": ("Lexbor parse and walk", html_floor),
    "html-site": ("Lexbor parse and walk", html_floor),
    "docx": ("unzip and lxml parse", docx_floor),
    "pdf": ("PDFium characters and boxes", pdf_floor),
    "pdf-printed": ("PDFium characters and boxes", pdf_floor),
}


def bench(files: list[Path], docs: int, work: Callable[[bytes, str], object], warm: bool = True) -> tuple[int, float]:
    """Run ``work`` over the files until ``docs`` documents are done: (documents, CPU seconds)."""
    blobs = [(p.name, p.read_bytes()) for p in files]
    for name, raw in blobs if warm else blobs[:0]:  # warm up caches (OpenCC, templates) outside the timing
        work(raw, name)
    n = 0
    start = time.process_time()
    while n < docs:
        for name, raw in blobs:
            work(raw, name)
            n += 1
    return n, time.process_time() - start


def interleaved(files: list[Path], works: tuple[Callable[[bytes, str], object], ...], rounds: int) -> list[float]:
    """Milliseconds per document of each work: per file the least CPU time of ``rounds`` calls, averaged.

    The works take turns on each file in every round, so a load on the machine falls on all of them
    alike, and the least of several calls is what the work itself costs (others' load only adds).
    """
    blobs = [(p.name, p.read_bytes()) for p in files]
    best = [[float("inf")] * len(blobs) for _ in works]
    for _ in range(rounds):
        for i, (name, raw) in enumerate(blobs):
            for w, work in enumerate(works):
                start = time.process_time()
                work(raw, name)
                best[w][i] = min(best[w][i], time.process_time() - start)
    return [sum(times) / len(times) * 1000 for times in best]


def read_only(raw: bytes, name: str) -> object:
    """The document read into text lines and cells, nothing recognised (``xxgk.read.read``)."""
    from xxgk.read import read

    return read(raw, name)


def bench_figures(files: list[Path], calls: int = 20) -> float:
    """Seconds per call of the figure finder on the example reports joined three times (a long report)."""
    from xxgk.parse.figures import extract_figures
    from xxgk.parse.normalize import normalize

    text = "\n".join([p.read_text(encoding="utf-8") for p in files] * 3)
    norm = normalize(text)
    extract_figures(text, norm)
    start = time.perf_counter()
    for _ in range(calls):
        extract_figures(text, norm)
    return (time.perf_counter() - start) / calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000, help="documents per text format (default 2000)")
    ap.add_argument("--binary-docs", type=int, default=60, help="documents for DOCX and PDF (default 60)")
    ap.add_argument("--image-docs", type=int, default=2,
                    help="times each table picture is read with OCR, the least kept (default 2; needs xxgk[ocr])")
    ap.add_argument("--formats", default="text,html,html-site,docx,pdf,pdf-printed,image",
                    help="formats to measure, comma-separated (default all)")
    args = ap.parse_args()
    formats = args.formats.split(",")
    print(f"xxgk {xxgk.__version__} parse benchmark, one core, CPU time")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        sources = {**SOURCES, "docx": generated_docx(Path(tmp))}
        sources["html"] = sources["html"] + rendered_pages(Path(tmp))
        sources["html-site"] = site_pages(Path(tmp))
        for fmt in ("text", "html", "html-site", "docx", "pdf", "pdf-printed"):
            if fmt not in formats:
                continue
            files = sources[fmt]
            if not files:
                print(f"{fmt:>11}: no sample files")
                continue
            n, seconds = bench(files, args.binary_docs if fmt in BINARY else args.docs, xxgk.parse)
            kib = sum(p.stat().st_size for p in files) / len(files) / 1024
            line = (f"{fmt:>11}: {n} reports in {seconds:.2f} s = {n / seconds:.1f} reports/s "
                    f"({len(files)} distinct files, {kib:.1f} KiB average)")
            if fmt in FLOORS:
                what, floor = FLOORS[fmt]
                rounds = max(3, min(30, n // len(files)))
                mine, bare, reading = interleaved(files, (xxgk.parse, lambda raw, name, f=floor: f(raw), read_only),
                                                  rounds)
                line += (f"\n{'':>13}{mine:.2f} ms/report; floor ({what}) {bare:.2f} ms: {mine / bare:.1f} × the floor"
                         f"\n{'':>13}of which reading {reading:.2f} ms ({reading / bare:.1f} × the floor), "
                         f"recognising and checking {mine - reading:.2f} ms ({(mine - reading) / bare:.1f} × the floor)")
            print(line)
    if "text" in formats:
        text = SOURCES["text"]
        chars = sum(len(p.read_text(encoding="utf-8")) for p in text) * 3
        print(f"    figures: {bench_figures(text) * 1000:.1f} ms per call on {chars:,} characters "
              "(the examples joined three times)")
    if "image" in formats:
        bench_images(args.image_docs)


def bench_images(rounds: int) -> None:
    """Seconds per table picture (OCR on one thread), beside the text-layer parse of the same report."""
    from PIL import Image

    from xxgk.read.ocr import ocr_available

    if not ocr_available():
        print("      image: OCR is not installed (pip install 'xxgk[ocr]')")
        return
    print("      image: one table per picture (tests/data/images/REPORT.TABLE.STYLE.*), read with OCR on one thread;"
          "\n             beside it the text-layer parse of the same report")
    xxgk.parse(IMAGES[0])  # loads the recogniser once, outside the timing
    per_image: list[float] = []
    for path in IMAGES:
        report = path.name.split(".")[0]
        text = ROOT / "tests" / "data" / "corpus" / f"{report}.txt"
        raw = path.read_bytes()
        cpu, wall = _timed(lambda raw=raw, name=path.name: xxgk.parse(raw, name), rounds)
        text_cpu, _ = _timed(lambda text=text: xxgk.parse(text), 20)
        per_image.append(cpu)
        with Image.open(path) as image:
            size = f"{image.width}×{image.height}"
        print(f"{'':>13}{path.name:<52} {size:>10} {cpu:6.2f} s (wall {wall:5.2f} s)  text {text_cpu * 1000:6.1f} ms")
    print(f"{'':>13}{len(IMAGES)} pictures: {sum(per_image) / len(per_image):.2f} s per picture on average, "
          f"at most {max(per_image):.2f} s")


def _timed(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """CPU and wall seconds of one run (the least of ``rounds``: others' load only adds)."""
    cpu = wall = float("inf")
    for _ in range(max(1, rounds)):
        c, w = time.process_time(), time.perf_counter()
        run()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return cpu, wall


if __name__ == "__main__":
    main()
