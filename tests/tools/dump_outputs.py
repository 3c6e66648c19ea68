"""Write what the parser makes of every document the project ships, one JSON file each, for a byte-for-byte comparison.

    python tests/tools/dump_outputs.py OUT_BEFORE      # on the code before a change
    python tests/tools/dump_outputs.py OUT_AFTER       # and after it
    diff -r OUT_BEFORE OUT_AFTER                       # a speed change must show nothing

The documents are every file in tests/data and examples/, site pages made around the corpus reports
(bench/site_pages.py: menus, scripts and the report's tables in a government site's chrome), and
every layout × variant case of tests/layouts.py. A document the parser refuses is written as its
error. About a minute on one core; nothing is written inside the project. See docs/speed.md.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

import xxgk  # noqa: E402

_SUFFIXES = {".txt", ".html", ".htm", ".md", ".pdf", ".docx"}
# Corpus reports put inside a site's chrome, each with two seeds of chrome.
_SITE_REPORTS = ("dev_001", "dev_002", "dev_003", "dev_010", "dev_020", "dev_031", "dev_d105",
                 "seed_001_a8be0d3400cd1f54")


def _write(out: Path, key: str, make: Callable[[], dict[str, Any]]) -> None:
    """One document's report (or its error) as sorted JSON."""
    try:
        data = make()
    except Exception as err:  # a refusal is an output too
        data = {"error": type(err).__name__, "message": str(err)}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    (out / f"{key.replace('/', '__')}.json").write_text(text, encoding="utf-8")


def _parsed(source: Path | bytes, name: str | None = None) -> dict[str, Any]:
    """The report of a file or of bytes, as the contract's JSON."""
    return xxgk.parse(source, name).to_dict()


def _files(out: Path) -> None:
    """Every document in tests/data (not the table pictures: OCR is slow) and examples/."""
    for base in (ROOT / "tests" / "data", ROOT / "examples"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix.lower() in _SUFFIXES and "images" not in path.parts:
                _write(out, str(path.relative_to(ROOT)), partial(_parsed, path))


def _site_pages(out: Path) -> None:
    """Corpus reports inside a government site's chrome."""
    from site_pages import site_page  # type: ignore[import-not-found]  # bench/, on the path above

    for seed, name in enumerate(_SITE_REPORTS):
        report = xxgk.parse(ROOT / "tests" / "data" / "corpus" / f"{name}.txt")
        for s in (seed, seed + 10):
            page = site_page(report, s).encode("utf-8")
            _write(out, f"site-{name}-{s}", partial(_parsed, page, "page.html"))


def _layouts(out: Path) -> None:
    """Every layout × variant case of the layout tests."""
    os.environ["XXGK_ALL_LAYOUT_CASES"] = "1"
    import layouts
    import test_layouts as cases

    for vs in cases.VALUE_SETS:
        for layout in layouts.LAYOUTS:
            for variant in cases._layout_variants(vs, layout):
                text = layouts.render(layout, vs.tables, vs.template, variant, vs.year)
                _write(out, f"layout-{vs.name}-{layout}-{variant}", partial(cases.parse, layout, text))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    _files(out)
    _site_pages(out)
    _layouts(out)
    print(f"{sum(1 for _ in out.iterdir())} outputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
