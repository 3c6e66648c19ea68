"""The rule registry → ``docs/rules.md`` (``xxgk rules --markdown``)."""

from __future__ import annotations

from xxgk.check.rules import RULES
from xxgk.names import SEVERITY_NAMES

SEVERITY_NAME = {severity: f"{name} {severity}" for severity, name in SEVERITY_NAMES.items()}


def rules_markdown() -> str:
    """Every rule with its id, severity, what it checks, its basis and an example."""
    lines = [
        "# 检查规则 / Rules",
        "",
        "由 `xxgk rules --markdown` 根据规则注册表生成，请勿手工编辑。",
        "Generated from the rule registry by `xxgk rules --markdown`; do not edit by hand.",
        "",
        "`xxgk check` 在存在“错误”级别的问题时以状态 1 退出（`--strict` 时警告也算）。",
        "`xxgk check` exits 1 when an error-severity finding exists (with `--strict`, warnings too).",
        "",
    ]
    categories: dict[str, list[str]] = {}
    for r in RULES.values():
        categories.setdefault(r.category, []).append(r.id)
    for category, ids in categories.items():
        lines += [f"## {category}", "", "| 规则 id | 级别 | 检查内容 | 依据 | 触发示例 |", "|---|---|---|---|---|"]
        for rid in ids:
            r = RULES[rid]
            scope = "（跨年度：需同一机关相邻年度的报告）" if r.scope == "years" else ""
            lines.append(f"| `{r.id}` | {SEVERITY_NAME[r.severity]} | {r.title}{scope} | {r.basis} | {r.example} |")
        lines.append("")
    return "\n".join(lines)
