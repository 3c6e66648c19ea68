"""Tables as pictures: cells read right, silent wrong numbers, and seconds per table image, per style.

    python bench/ocr.py [--styles screenshot word ... split] [--reports dev_001 ...] [--whole] [--errors]

Draws real reports' tables (their hand-checked answers in tests/data/corpus: every report there
with a statutory table, by default) in each style of tests/tools/make_table_images.py, as a web
page with one picture per table, and once more as ``split``: scanned tables with 表三 in two
pictures, one per printed page (``--whole``: the whole report as one page picture), parses
it with xxgk and scores it as the project's scorer does: a cell is right when it equals the
answer; a wrong number is silent unless a finding points at its row. Seconds are CPU seconds of
this one process (OCR runs on one thread), per table picture, beside the text-layer parse of
the same report; the largest picture's long side is printed too. Pictures are drawn into a
temporary folder and deleted. Needs the OCR extra and CJK fonts (Debian: fonts-noto-cjk, fonts-wqy-zenhei).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from make_table_images import STYLES, encode, fonts, report_html, report_image, report_names  # noqa: E402
from PIL import Image  # noqa: E402

import xxgk  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
# The scanned style with 表三 printed over two pages, one picture per page.
SPLIT = "split"


def score(report: dict[str, Any], answer: dict[str, Any]) -> tuple[int, int, int, list[str]]:
    """Cells right, cells, silent wrong numbers, and what was wrong (the scorer's strict rule)."""
    wheres = [str(f.get("where") or "") for f in report["findings"]]

    def flagged(where: str) -> bool:
        return any(w and (w.startswith(where) or where.startswith(w)) for w in wheres)

    def flagged_row(table: str, row: str) -> bool:
        where = f"{table}.{row}"
        return any(w and w != table and (w.startswith(where) or where.startswith(w)) for w in wheres)

    right = cells = silent = 0
    errors: list[str] = []
    for tid, want_table in answer["tables"].items():
        if want_table is None:
            continue
        got_table = report["tables"].get(tid) or {}
        for row, columns in want_table.items():
            for col, want in columns.items():
                if want == "?":
                    continue
                cells += 1
                got = (got_table.get(row) or {}).get(col)
                if (got is not None and want is not None and abs(float(got) - float(want)) < 1e-9) \
                        or (got is None and want is None):
                    right += 1
                    continue
                quiet = not flagged_row(tid, row) and (got is not None or not flagged(tid))
                silent += quiet
                errors.append(f"{tid}.{row}.{col}: want {want} got {got}" + (" (SILENT)" if quiet else ""))
    return right, cells, silent, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--styles", nargs="*", default=[*STYLES, SPLIT], choices=[*STYLES, SPLIT])
    ap.add_argument("--reports", nargs="*", default=report_names())
    ap.add_argument("--whole", action="store_true", help="the whole report as one page picture")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", action="store_true", help="print every wrong cell")
    ap.add_argument("--model", type=Path, help="another PP-OCR recognition model (.onnx) to compare with")
    args = ap.parse_args()
    if args.model:  # the comparison of recognisers the README reports (RapidOCR 3's against 1.4's)
        from xxgk.read import recognise

        recognise.model_file = lambda: args.model
    from xxgk.read.ocr import ocr_available

    if not ocr_available():
        sys.exit("the OCR extra is not installed: pip install 'xxgk[ocr]'")
    if not fonts():
        sys.exit("no CJK font installed (Debian: fonts-noto-cjk fonts-wqy-zenhei)")
    xxgk.parse(CORPUS / f"{args.reports[0]}.txt")  # warm up caches outside the timing
    print(f"xxgk {xxgk.__version__}: tables as pictures, CPU seconds on one core")
    print(f"{'style':<11} {'report':<28} {'cells':>9} {'silent':>6} {'s/image':>8} {'px':>5} {'text s':>7}")
    totals: dict[str, list[int]] = {}  # style → right, cells, silent, internal errors
    per_image: dict[str, list[float]] = {}
    longest: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="xxgk-ocr-bench-") as tmp:
        for style_name in args.styles:
            split = style_name == SPLIT
            style = STYLES["scan" if split else style_name]
            t = totals.setdefault(style_name, [0, 0, 0, 0])
            for k, name in enumerate(args.reports):
                seed = args.seed + k  # the font of the style's family changes with the seed
                answer = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
                folder = Path(tmp) / f"{style_name}-{name}"
                if args.whole:
                    folder.mkdir()
                    data, ext = encode(report_image(name, style, seed), style)
                    path = folder / f"{name}{ext}"
                    path.write_bytes(data)
                else:
                    path = report_html(name, style, folder, seed, split=split)
                pictures = [p for p in folder.iterdir() if p.suffix != ".html"]
                px = max(max(Image.open(p).size) for p in pictures)
                longest[style_name] = max(longest.get(style_name, 0), px)
                start = time.process_time()
                try:
                    report = xxgk.parse(path).to_dict()
                except Exception as err:  # an internal error is a result here, not the end of the bench
                    print(f"{style_name:<11} {name:<28} INTERNAL ERROR {type(err).__name__}: {err}", flush=True)
                    t[3] += 1
                    continue
                seconds = time.process_time() - start
                start = time.process_time()
                xxgk.parse(CORPUS / f"{name}.txt")
                text_seconds = time.process_time() - start
                right, cells, silent, errors = score(report, answer)
                t[0] += right
                t[1] += cells
                t[2] += silent
                per_image[style_name] = [*per_image.get(style_name, []), seconds / len(pictures)]
                print(f"{style_name:<11} {name:<28} {right:>4}/{cells:<4} {silent:>6} {seconds / len(pictures):>8.2f} "
                      f"{px:>5} {text_seconds:>7.3f}", flush=True)
                if args.errors:
                    for error in errors:
                        print(f"    {error}")
    print()
    print(f"{'style':<11} {'cells right':>22} {'silent':>6} {'internal':>8} {'s/image median':>14} {'max':>5} {'px':>5}")
    sums = [0, 0, 0, 0]
    for style_name, t in totals.items():
        sums = [a + b for a, b in zip(sums, t, strict=True)]
        seconds = per_image.get(style_name) or [0.0]
        print(f"{style_name:<11} {100 * t[0] / max(t[1], 1):6.2f}% ({t[0]:>5}/{t[1]:<5}) {t[2]:>6} {t[3]:>8} "
              f"{statistics.median(seconds):>14.2f} {max(seconds):>5.2f} {longest.get(style_name, 0):>5}")
    print(f"{'all':<11} {100 * sums[0] / max(sums[1], 1):6.2f}% ({sums[0]:>5}/{sums[1]:<5}) {sums[2]:>6} {sums[3]:>8}")


if __name__ == "__main__":
    main()
