"""The version of the parser that produced a stored report (the store re-parses older ones).

Bump ``PARSER_REVISION`` whenever a change to reading, parsing or checking would change what
is stored for an already ingested file: ``xxgk reparse`` then re-reads those reports.
"""

from __future__ import annotations

from xxgk._version import __version__

PARSER_REVISION = 13


def parser_version() -> str:
    """The package version and the parser revision, e.g. ``0.1.0+p1``."""
    return f"{__version__}+p{PARSER_REVISION}"


def version_key(version: str) -> tuple[tuple[int, ...], int]:
    """Turn a stored parser version into something that sorts by age (unknown parts sort first)."""
    package, _, revision = version.partition("+p")
    parts = tuple(int(p) if p.isdigit() else -1 for p in package.split("."))
    return parts, int(revision) if revision.isdigit() else -1
