"""Rules (``check``): what is wrong in a report, and where.

Every rule is registered in :mod:`xxgk.check.rules` with a stable id, a severity and its
basis; the modules below only add rules to that registry.
"""

from __future__ import annotations

from collections.abc import Iterable

from xxgk.check import arithmetic, collection, content, form, reading, timeliness, values, years  # noqa: F401
from xxgk.check.agency import classify_body
from xxgk.check.rules import RULES, Rule
from xxgk.model import Finding, Report

__all__ = ["RULES", "Rule", "check_collection", "check_report", "classify_body"]

def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every rule's findings for one report (and, given last year's report, the cross-year ones)."""
    out: list[Finding] = []
    for r in RULES.values():
        if r.scope == "report":
            out.extend(r.check(report))
        elif r.scope == "years" and previous is not None:
            out.extend(r.check(report, previous))
    return out


def _name(name: str | None) -> str:
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def same_body(a: str | None, b: str | None) -> bool:
    """Whether two names are one body: equal, or one is the other with its region prefixed
    (``洪泽区人民政府`` / ``淮安市洪泽区人民政府``)."""
    x, y = _name(a), _name(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return short == long or (len(short) >= 4 and long.endswith(short))


def check_collection(reports: Iterable[Report]) -> dict[int, list[Finding]]:
    """Cross-year findings for reports of the same body in consecutive years, by list index."""
    items = list(reports)
    out: dict[int, list[Finding]] = {}
    for i, report in enumerate(items):
        year = report.meta.year
        if year is None:
            continue
        previous = [j for j, other in enumerate(items)
                    if other.meta.year == year - 1 and same_body(report.meta.agency, other.meta.agency)]
        if len(previous) == 1:
            out[i] = [f for r in RULES.values() if r.scope == "years" for f in r.check(report, items[previous[0]])]
    return out
