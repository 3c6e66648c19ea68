"""The rule registry: every check has one entry here, with its id, severity and basis.

Adding a rule means writing one function and decorating it with ``@rule(...)``; the CLI,
the docs (``docs/rules.md``, made by ``xxgk rules --markdown``) and the web list rules
from this registry. A rule sees one report, or (scope "years") a report and the same
body's report for the year before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from xxgk.model import Finding, Report, Severity

Check = Callable[[Report], Iterator[Finding]]
YearsCheck = Callable[[Report, Report], Iterator[Finding]]
Scope = Literal["report", "years", "collection"]  # collection: run over the store (xxgk.store.collection)
CATEGORY = {"T": "勾稽关系", "V": "数值", "FORM": "格式", "TIME": "时效", "CONTENT": "内容", "XYEAR": "跨年度", "COLL": "跨报告",
            "PARSE": "读取"}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str  # what it checks, in Chinese
    basis: str  # the article, template note or logic it rests on
    example: str  # a case that triggers it
    scope: Scope
    check: Callable[..., Iterator[Finding]]

    def finding(self, where: str, message: str, quote: str | None = None,
                severity: Severity | None = None) -> Finding:
        return Finding(rule=self.id, severity=severity or self.severity, where=where, message=message, quote=quote)

    @property
    def category(self) -> str:
        head = self.id.split("-")[0]
        return CATEGORY.get(head, CATEGORY.get(head[:1], "其他"))


RULES: dict[str, Rule] = {}


def rule(id: str, severity: Severity, title: str, basis: str, example: str,
         scope: Scope = "report") -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register the decorated check under ``id``."""

    def register(check: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        if id in RULES:
            raise ValueError(f"rule {id} declared twice")
        RULES[id] = Rule(id, severity, title, basis, example, scope, check)
        return check

    return register


def get(rule_id: str) -> Rule:
    return RULES[rule_id]


def doubted_year(report: Report) -> str | None:
    """Why the report's year is in doubt (the parser found its title and its text naming different years), if it is.

    A rule resting on that year (timeliness, the template's year) can be wrong through no fault of the report:
    its error is only a warning then.
    """
    if any(f.rule == "PARSE-YEAR-CONFLICT" for f in report.findings):
        return f"（报告年度存疑：标题与正文所述年度不一致，以上按{report.meta.year}年度衡量，请先核对年度）"
    return None
