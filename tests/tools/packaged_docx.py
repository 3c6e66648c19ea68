"""What the scripts writing a packaged Word template share: the same bytes on every run, and --check."""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path


def stable(docx: bytes) -> bytes:
    """The same bytes on every run (zip entries without the time of writing)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def write_or_check(description: str | None, out: Path, build: Callable[[], bytes]) -> int:
    """Write the template built by ``build`` to ``out``; with --check only tell whether the shipped one differs."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    made = build()
    if args.check:
        same = out.exists() and out.read_bytes() == made
        print(f"{out.name} is up to date" if same else f"{out.name} differs")
        return 0 if same else 1
    out.write_bytes(made)
    print(f"wrote {out} ({len(made)} bytes)")
    return 0
