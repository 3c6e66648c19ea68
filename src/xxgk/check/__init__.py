"""Rules (``check``): what is wrong in a report, and where."""

from __future__ import annotations

from xxgk.check import arithmetic, form  # noqa: F401  (registers the rules)
from xxgk.check.rules import RULES, Rule
from xxgk.model import Finding, Report

__all__ = ["RULES", "Rule", "check_report"]


def check_report(report: Report) -> list[Finding]:
    """Every rule's findings for one report, in registry order."""
    out: list[Finding] = []
    for r in RULES.values():
        out.extend(r.check(report))
    return out
