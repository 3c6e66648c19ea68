"""Hostile lines: how long each regular expression of the reading and recognising code takes on long runs.

    python bench/patterns.py [--length 2000] [--over 0.02]

A pattern in which two adjacent ``\\s*`` (or a run matched from every position inside it) can share one
run of spaces costs quadratic or cubic time in the run's length: a text browser's padded table row, a
``pdftotext -layout`` line or a hostile file can then take seconds or minutes. This imports every module
under ``xxgk.read``, ``xxgk.parse``, ``xxgk.check`` and ``xxgk.templates``, takes each module-level
compiled pattern, and times ``search`` and ``match`` on lines built from runs of ``--length`` spaces, digits,
leaders, Chinese characters and box walls, each ending in a character that makes the match fail late. It
prints every call slower than ``--over`` seconds, slowest first, and runs the sweep again at twice the
length for those, so that the growth tells linear (×2), quadratic (×4) and cubic (×8) apart. Nothing is
asserted (speed is measured here, not in the test suite); the guard's hard time limit bounds a hostile file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import time
from collections.abc import Callable

import xxgk

_PACKAGES = ("xxgk.read", "xxgk.parse", "xxgk.check", "xxgk.templates")


def attacks(n: int) -> dict[str, str]:
    """Lines of long runs, each ending where a match fails late."""
    return {
        "spaces_bar": "|" + " " * n + "行政许可" + " " * n + "|x",
        "spaces": " " * n + "x",
        "cjk_spaces": "发 " * n + "x",
        "digits": "1" * n + "x",
        "digits_spaces": "1 " * n + "x",
        "cjk": "发" * n + "!",
        "dots": "." * n + "x",
        "dashes": "-" * n + "x",
        "box": "│" + " " * n + "│" + " " * n + "x",
        "years": "2022年" * (n // 4) + "x",
        "commas": "，" * n + "x",
        "dates": "2022年1月 " * (n // 8) + "x",
    }


def patterns() -> dict[str, re.Pattern[str]]:
    """Every module-level compiled pattern of the packages that read and recognise documents."""
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(xxgk.__path__, "xxgk."):
        if not info.name.startswith(_PACKAGES):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(f"{info.name}.{name}", value)
    return found


def timed(call: Callable[[str], object], text: str) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    call(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=2000, help="length of each run (default 2000)")
    parser.add_argument("--over", type=float, default=0.02, help="print calls slower than this, in seconds")
    args = parser.parse_args()
    found = patterns()
    lines, doubled = attacks(args.length), attacks(2 * args.length)
    slow: list[tuple[float, float, str, str, str]] = []
    for name, pattern in found.items():
        for kind, text in lines.items():
            for how in ("search", "match"):
                call = getattr(pattern, how)
                seconds = timed(call, text)
                if seconds > args.over:
                    slow.append((seconds, timed(call, doubled[kind]), name, kind, how))
    print(f"{len(found)} patterns, runs of {args.length}; calls slower than {args.over} s "
          f"(and at twice the length: ×2 linear, ×4 quadratic, ×8 cubic):")
    for seconds, twice, name, kind, how in sorted(slow, reverse=True):
        print(f"  {seconds:7.3f} s  ×{twice / seconds:4.1f}  {name}.{how} on {kind}")
    if not slow:
        print("  none")


if __name__ == "__main__":
    main()
