"""Parsing speed: reports per second on one core, per input format.

    python bench/parse.py [--docs 2000]

Parses the example reports (text) and the HTML fixtures, repeated until at least
``--docs`` documents per format, in this one process (one core). Prints the figures; it
asserts nothing (speed is measured here, not in the test suite).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import xxgk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "text": sorted((ROOT / "examples").glob("*.txt")),
    "html": sorted((ROOT / "tests" / "data" / "html").glob("*.html")),
}


def bench(files: list[Path], docs: int) -> tuple[int, float]:
    blobs = [(p.name, p.read_bytes()) for p in files]
    for name, raw in blobs:  # warm up caches (OpenCC, templates) outside the timing
        xxgk.parse(raw, name)
    n = 0
    start = time.perf_counter()
    while n < docs:
        for name, raw in blobs:
            xxgk.parse(raw, name)
            n += 1
    return n, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000, help="documents per format (default 2000)")
    args = ap.parse_args()
    print(f"xxgk {xxgk.__version__} parse benchmark, one core")
    for fmt, files in SOURCES.items():
        if not files:
            print(f"{fmt:>5}: no sample files")
            continue
        n, seconds = bench(files, args.docs)
        kib = sum(p.stat().st_size for p in files) / len(files) / 1024
        print(f"{fmt:>5}: {n} reports in {seconds:.2f} s = {n / seconds:.0f} reports/s "
              f"({len(files)} distinct files, {kib:.1f} KiB average)")


if __name__ == "__main__":
    main()
