"""The rule registry: every check has one entry here, with its id, severity and basis.

Adding a rule means writing one function and decorating it with ``@rule(...)``; the CLI,
the docs (``docs/rules.md``) and the web list rules from this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from xxgk.model import Finding, Report, Severity

Check = Callable[[Report], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str  # what it checks, in Chinese
    basis: str  # the article, template note or logic it rests on
    example: str  # a case that triggers it
    check: Check

    def finding(self, where: str, message: str, quote: str | None = None) -> Finding:
        return Finding(rule=self.id, severity=self.severity, where=where, message=message, quote=quote)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: Severity, title: str, basis: str, example: str) -> Callable[[Check], Check]:
    """Register ``check`` under ``id``; the function receives the Rule as ``check.rule``."""

    def register(check: Check) -> Check:
        if id in RULES:
            raise ValueError(f"rule {id} declared twice")
        RULES[id] = Rule(id, severity, title, basis, example, check)
        return check

    return register
