"""Parsing speed: reports per second on one core, per input format.

    python bench/parse.py [--docs 2000] [--binary-docs 60]

Parses the example reports (text), the HTML fixtures, a Word report generated from the
official template with a real report's numbers (as tests/test_read_docx_pdf.py makes it) and
the real PDF reports in tests/data/pdf, repeated until at least ``--docs`` documents per
format (``--binary-docs`` for DOCX and PDF, which are slower), in this one process (one
core). Prints the figures; it asserts nothing (speed is measured here, not in the test suite).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import xxgk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "text": sorted((ROOT / "examples").glob("*.txt")),
    "html": sorted((ROOT / "tests" / "data" / "html").glob("*.html")),
    "pdf": sorted((ROOT / "tests" / "data" / "pdf").glob("*.pdf")),
    # Whole reports drawn as page images (tests/tools/make_table_images.py), read with OCR.
    "image": [ROOT / "tests" / "data" / "images" / f"{name}.png"
              for name in ("dev_001", "seed_001_a8be0d3400cd1f54", "seed_002_f821463d77e6db60")],
}
BINARY = {"docx", "pdf"}


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


def bench(files: list[Path], docs: int, warm: bool = True) -> tuple[int, float]:
    blobs = [(p.name, p.read_bytes()) for p in files]
    for name, raw in blobs if warm else blobs[:0]:  # warm up caches (OpenCC, templates) outside the timing
        xxgk.parse(raw, name)
    n = 0
    start = time.perf_counter()
    while n < docs:
        for name, raw in blobs:
            xxgk.parse(raw, name)
            n += 1
    return n, time.perf_counter() - start


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
    ap.add_argument("--image-docs", type=int, default=3, help="page images read with OCR (default 3; needs xxgk[ocr])")
    args = ap.parse_args()
    print(f"xxgk {xxgk.__version__} parse benchmark, one core")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        sources = {**SOURCES, "docx": generated_docx(Path(tmp))}
        for fmt in ("text", "html", "docx", "pdf", "image"):
            files = sources[fmt]
            if not files:
                print(f"{fmt:>5}: no sample files")
                continue
            if fmt == "image":
                from xxgk.read.ocr import ocr_available

                if not ocr_available():
                    print("image: OCR is not installed (pip install 'xxgk[ocr]')")
                    continue
                # OCR runs on one thread (ONNX Runtime intra-op threads = 1): the figure is per core.
                n, seconds = bench(files, args.image_docs, warm=False)
            else:
                n, seconds = bench(files, args.binary_docs if fmt in BINARY else args.docs)
            kib = sum(p.stat().st_size for p in files) / len(files) / 1024
            print(f"{fmt:>5}: {n} reports in {seconds:.2f} s = {n / seconds:.1f} reports/s "
                  f"({len(files)} distinct files, {kib:.1f} KiB average)")
    text = SOURCES["text"]
    chars = sum(len(p.read_text(encoding="utf-8")) for p in text) * 3
    print(f"figures: {bench_figures(text) * 1000:.1f} ms per call on {chars:,} characters (the examples joined three times)")


if __name__ == "__main__":
    main()
