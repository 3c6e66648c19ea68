"""How often a misread number gets past the arithmetic: real tables, OCR errors simulated, the parser's verdict.

A real report's tables (``tests/data/corpus/NAME.expected.json``) are laid out as the official
template lays them out (``tests/layouts.py``) and fed to the parser as rows read from an image
(each cell with an OCR confidence), after some cells were changed the way a recogniser
misreads them. Every misread is given full confidence: only the arithmetic can catch it. The
parser's verdict on each changed cell is one of: null (caught), flagged (a finding on its row:
not silent by the scorer's rule), or **silent** (it stands, unflagged: an accidental
confirmation).

Two kinds of error:

- ``random``: each cell independently, with probability ``rate``, gets one digit replaced, dropped
  or doubled (``1288`` → ``1283``, ``128``, ``12888``), as a blurred or noisy picture causes;
- ``systematic``: one digit misread the same way in every cell of the table (every 6 read as 5),
  as a font the recogniser does not know causes.

    python tests/tools/misread_tables.py [--trials 200] [--rates 0.01 0.05 0.2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from layouts import VARIANTS, build_doc, fmt_number  # noqa: E402
from xxgk.parse.report import parse_document  # noqa: E402
from xxgk.read.document import DocumentBuilder  # noqa: E402

CORPUS = TESTS / "data" / "corpus"
# Reports whose answers hold all three tables, both formats.
REPORTS = ("dev_001", "dev_002", "dev_003", "dev_010", "seed_001_a8be0d3400cd1f54", "seed_002_f821463d77e6db60")
TABLES = ("active", "requests", "review_litigation")
Tables = dict[str, dict[str, dict[str, Any]]]


def answer(name: str) -> tuple[Tables, str, int]:
    """A report's tables (a cell the answer leaves open, "?", prints as such), format and year."""
    data = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    tables: Tables = {}
    for tid in TABLES:
        table = data["tables"].get(tid)
        if table is None:
            continue
        tables[tid] = {row: dict(cols) for row, cols in table.items()}
    return tables, data["meta"]["template"], data["meta"]["year"]


def misread_digit(value: int | float, rnd: random.Random) -> int | float:
    """One digit of a number replaced, dropped or doubled (never the same number)."""
    text = fmt_number(value, VARIANTS["official"])
    while True:
        positions = [i for i, ch in enumerate(text) if ch.isdigit()]
        i = rnd.choice(positions)
        kind = rnd.random()
        if kind < 0.6:
            new = text[:i] + rnd.choice([d for d in "0123456789" if d != text[i]]) + text[i + 1 :]
        elif kind < 0.8 and len(positions) > 1:
            new = text[:i] + text[i + 1 :]
        else:
            new = text[:i] + text[i] + text[i:]
        new = new.lstrip("0") or "0" if "." not in new else new
        if new and new != text and not new.startswith("."):
            return float(new) if "." in new else int(new)


def random_errors(rate: float) -> Callable[[Tables, random.Random], dict[tuple[str, str, str], Any]]:
    """Each cell misread with probability ``rate``."""

    def change(tables: Tables, rnd: random.Random) -> dict[tuple[str, str, str], Any]:
        out: dict[tuple[str, str, str], Any] = {}
        for tid, table in tables.items():
            for row, cols in table.items():
                for col, value in cols.items():
                    if isinstance(value, int | float) and rnd.random() < rate:
                        out[(tid, row, col)] = misread_digit(value, rnd)
        return out

    return change


def systematic_errors(tables: Tables, rnd: random.Random) -> dict[tuple[str, str, str], Any]:
    """One digit read as another in every cell of one table that has it."""
    tid = rnd.choice([t for t in tables if t != "active"])
    numbers = [v for cols in tables[tid].values() for v in cols.values() if isinstance(v, int | float)]
    digits = Counter(ch for v in numbers for ch in str(v) if ch.isdigit())
    wrong = rnd.choice([d for d in digits if d != "0"] or ["0"])
    instead = rnd.choice([d for d in "123456789" if d != wrong])
    out: dict[tuple[str, str, str], Any] = {}
    for row, cols in tables[tid].items():
        for col, value in cols.items():
            text = fmt_number(value, VARIANTS["official"])
            if isinstance(value, int | float) and wrong in text:
                new = text.replace(wrong, instead)
                out[(tid, row, col)] = float(new) if "." in new else int(new)
    return out


def parse_misread(name: str, changes: dict[tuple[str, str, str], Any]) -> dict[str, Any]:
    """The parser's report on the report's tables read from an image with ``changes`` misread (full confidence)."""
    tables, template, year = answer(name)
    shown = {tid: {row: dict(cols) for row, cols in t.items()} for tid, t in tables.items()}
    for (tid, row, col), value in changes.items():
        shown[tid][row][col] = value
    doc = build_doc(shown, template, VARIANTS["official"], year)
    builder = DocumentBuilder()
    for block in doc.blocks:
        if block.kind != "table":
            builder.add_text(block.text, 1.0)
            continue
        for grid_row in block.grid:
            cells = [cell.text for cell in grid_row]
            builder.add_row(cells, [1.0] * len(cells))
    return parse_document(builder.build(f"{name}.png", "image", repr(sorted(changes.items())).encode())).to_dict()


def verdicts(name: str, changes: dict[tuple[str, str, str], Any]) -> Counter[str]:
    """For each misread cell: "null", "flagged" or "silent"."""
    report = parse_misread(name, changes)
    wheres = [str(f["where"]) for f in report["findings"]]
    out: Counter[str] = Counter()
    for (tid, row, col), misread in changes.items():
        got = (report["tables"].get(tid) or {}).get(row, {}).get(col)
        if got is None:
            out["null"] += 1
        elif any(w == f"{tid}.{row}" or w.startswith(f"{tid}.{row}.") for w in wheres):
            out["flagged"] += 1
        elif got == misread:
            out["silent"] += 1
        else:
            out["other"] += 1
    return out


def simulate(kind: str, rate: float, trials: int, seed: int = 0) -> Counter[str]:
    """Verdicts over ``trials`` misread copies of every report's tables."""
    rnd = random.Random(seed)
    change = random_errors(rate) if kind == "random" else systematic_errors
    total: Counter[str] = Counter()
    for trial in range(trials):
        name = REPORTS[trial % len(REPORTS)]
        tables, _, _ = answer(name)
        changes = change(tables, rnd)
        if changes:
            total += verdicts(name, changes)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--rates", type=float, nargs="*", default=[0.01, 0.05, 0.2])
    args = ap.parse_args()
    print(f"{'errors':<22} {'misread cells':>13} {'null':>7} {'flagged':>8} {'silent':>7} {'silent share':>12}")
    runs = [("random", r) for r in args.rates] + [("systematic", 0.0)]
    for kind, rate in runs:
        v = simulate(kind, rate, args.trials)
        n = sum(v.values())
        label = f"random, {rate:.0%} of cells" if kind == "random" else "systematic, one digit"
        print(f"{label:<22} {n:>13} {v['null']:>7} {v['flagged']:>8} {v['silent']:>7} {v['silent'] / max(n, 1):>12.4%}")


if __name__ == "__main__":
    main()
