"""Rules (``check``): what is wrong in a report, and where.

Every rule is registered in :mod:`xxgk.check.rules` with a stable id, a severity and its
basis; the modules below only add rules to that registry.
"""

from __future__ import annotations

from collections.abc import Iterable

from xxgk.check import arithmetic, content, form, reading, timeliness, values, years  # noqa: F401
from xxgk.check.agency import classify_body
from xxgk.check.rules import RULES, Rule
from xxgk.model import Finding, Report

__all__ = ["RULES", "Rule", "check_collection", "check_report", "classify_body"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every rule's findings for one report (and, given last year's report, the cross-year ones)."""
    out: list[Finding] = []
    for r in RULES.values():
        if r.scope == "report":
            out.extend(r.check(report))
        elif previous is not None:
            out.extend(r.check(report, previous))
    return out


def same_body(name: str | None) -> str:
    """A key under which one body's reports of different years meet."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def check_collection(reports: Iterable[Report]) -> dict[int, list[Finding]]:
    """Cross-year findings for reports of the same body in consecutive years, by list index."""
    items = list(reports)
    by_key = {(same_body(r.meta.agency), r.meta.year): i for i, r in enumerate(items)
              if r.meta.agency and r.meta.year}
    out: dict[int, list[Finding]] = {}
    for (body, year), i in by_key.items():
        j = by_key.get((body, year - 1)) if year else None
        if j is not None:
            out[i] = [f for r in RULES.values() if r.scope == "years" for f in r.check(items[i], items[j])]
    return out
