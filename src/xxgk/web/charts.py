"""The collection's charts as Plotly figures (plain JSON, drawn by the Plotly.js the app serves itself)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from xxgk.store.query import Filters
from xxgk.store.stats import outcome_rows, rule_counts, stats_records
from xxgk.templates import statutory

Figure = dict[str, Any]
_FONT = {"family": "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"}
TOP_RULES = 10


def clean(value: Any) -> Any:
    """A DataFrame value as JSON: NaN and NA become None (a blank is not 0)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "font": _FONT, "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
            "legend": {"orientation": "h"}, **extra}


def outcome_names() -> dict[str, str]:
    """Each outcome category of 表三 → its name on the form (the group of its rows, else the row)."""
    table = statutory().table_by_id("requests")
    template = statutory().formats[-1].id
    names = {}
    for category, rows in outcome_rows().items():
        row = table.row_by_id(rows[0])
        names[category] = row.group if row.group and len(rows) > 1 else row.label_for(template)
    return names


def collection_charts(engine: Engine, filters: Filters) -> dict[str, Figure]:
    """Applications by year, outcome mix, 公开率, 纠错率, late publications, most failed rules."""
    rows = [r for r in stats_records(engine, filters, by="province") if r["year"] is not None]
    regions = sorted({r["region"] for r in rows})
    by_region = {region: [r for r in rows if r["region"] == region] for region in regions}
    figures: dict[str, Figure] = {}
    figures["received"] = {
        "data": [{"type": "bar", "name": region, "x": [r["year"] for r in rs], "y": [r["received"] for r in rs]}
                 for region, rs in by_region.items()],
        "layout": _layout("收到申请（件，按年度）", barmode="stack", xaxis={"type": "category", "categoryorder": "category ascending"})}
    names = outcome_names()
    labels = [f"{r['year']} {r['region']}" for r in rows if r["outcomes_n"]]
    figures["outcomes"] = {
        "data": [{"type": "bar", "name": name, "x": labels,
                  "y": [r[f"share_{category}"] for r in rows if r["outcomes_n"]]}
                 for category, name in names.items()],
        "layout": _layout("办理结果构成（占办结总数）", barmode="stack", yaxis={"tickformat": ".0%"})}
    figures["rates"] = {
        "data": [{"type": "scatter", "mode": "lines+markers", "name": f"{region} {what}",
                  "x": [r["year"] for r in rs], "y": [r[column] for r in rs]}
                 for region, rs in by_region.items()
                 for column, what in (("disclosure_rate", "公开率"), ("review_correction_rate", "复议纠错率"),
                                      ("litigation_correction_rate", "诉讼纠错率"))],
        "layout": _layout("公开率与纠错率", yaxis={"tickformat": ".0%"}, xaxis={"type": "category", "categoryorder": "category ascending"})}
    years = sorted({r["year"] for r in rows})
    figures["late"] = {
        "data": [{"type": "bar", "name": what, "x": years,
                  "y": [sum(r[column] or 0 for r in rows if r["year"] == y) for y in years]}
                 for column, what in (("late", "逾期公布"), ("dated", "有发布日期的报告"))],
        "layout": _layout("逾期公布的报告（份）", barmode="group", xaxis={"type": "category", "categoryorder": "category ascending"})}
    counts = rule_counts(engine, filters)
    counts = counts[counts["severity"].isin(["error", "warning"])].head(TOP_RULES)
    figures["rules"] = {
        "data": [{"type": "bar", "orientation": "h", "x": [clean(v) for v in counts["reports"]][::-1],
                  "y": list(counts["rule"])[::-1],
                  "text": [clean(t) or "" for t in counts["title"]][::-1], "hoverinfo": "x+y+text"}],
        "layout": _layout("最常见的问题（涉及报告数）", margin={"l": 200, "r": 20, "t": 50, "b": 40})}
    return figures
