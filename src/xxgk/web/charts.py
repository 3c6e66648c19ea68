"""The collection's charts as Plotly figures (plain JSON, drawn by the Plotly.js the app serves itself).

Each chart says what it counts: reports are grouped by province, city or county (by default one
level below the region filtered), every point's hover text gives the sums it divides and the
number of reports behind it, each chart has its formula under it (``formulas``, in the form's own
words), and a chart with nothing to draw says so instead of drawing empty axes.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from fastapi import HTTPException
from sqlalchemy import Engine, select

from xxgk.store.agencies import display_name
from xxgk.store.query import REGION_LEVEL_NAMES, REGION_LEVELS, Filters, RegionLevel, reports_query
from xxgk.store.stats import DISCLOSED, LATE_RULE, REVIEW, outcome_rows, rule_counts, stats_records
from xxgk.templates import statutory
from xxgk.web.filters import number, percent

Figure = dict[str, Any]
Record = dict[str, Any]
_FONT = {"family": "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"}
TOP_RULES = 10
NO_REPORTS = "没有符合条件的报告"
HEIGHT = 420  # px, of a chart whose height does not grow with its bars or its legend
# Plotly's ten colours, then ten darker ones: groups (19 provinces in a national collection) stay apart.
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf", "#393b79", "#e6550d", "#637939", "#843c39", "#7b4173", "#3182bd", "#8c6d31", "#31a354",
          "#756bb1", "#636363"]
LOCALE = "zh-CN"  # registered by static/plotly-locale-zh-cn.js
_CODE = re.compile(r"\d{6}")
# Buttons that select points: nothing on these pages acts on a selection.
_NO_BUTTONS = ["select2d", "lasso2d"]
# (chart, name, ratio column, numerator, denominator, reports counted): the sums come from the stats statement.
RATES = (("disclosure", "公开率", "disclosure_rate", "disclosed", "disclosed_den", "disclosure_n"),
         ("review", "复议纠错率", "review_correction_rate", "review_corrected", "review_concluded", "review_n"),
         ("litigation", "诉讼纠错率", "litigation_correction_rate", "litigation_corrected", "litigation_concluded",
          "litigation_n"))


def clean(value: Any) -> Any:
    """A DataFrame value as JSON: NaN and NA become None (a blank is not 0)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@dataclass(frozen=True, slots=True)
class Grouping:
    """How the charts group the reports: the level of region, the default one, and the region all groups lie in."""

    by: RegionLevel
    default: RegionLevel  # one level below the narrowest region the filters name
    within: str = ""  # the regions every group lies in (浙江省湖州市): said once, left out of each label

    def label(self, region: str) -> str:
        """A group's name without the region they all lie in (吴兴区); the whole name if nothing, or only a note on
        it, would be left (浙江省湖州市（市本级）: the city's own bodies)."""
        rest = region.removeprefix(self.within)
        return plain(region if not rest or rest.startswith("（") else rest)

    @property
    def levels(self) -> dict[RegionLevel, str]:
        """The groupings to choose from: each level and its name (省, 市, 县（区）)."""
        return {level: REGION_LEVEL_NAMES[level] for level in REGION_LEVELS}

    @property
    def name(self) -> str:
        """What one group is: 省, 市 or 县（区）."""
        return REGION_LEVEL_NAMES[self.by]

    @property
    def caption(self) -> str:
        """What the groups are (浙江省湖州市的各县（区）), said under the grouping's choice."""
        return f"{self.within}的各{self.name}" if self.within else f"各{self.name}"

    def legend(self) -> dict[str, Any]:
        """A legend of the groups: beside the plot, one name a line, titled with what they are."""
        title = f"{plain(self.within)}<br>各{self.name}" if self.within else f"各{self.name}"
        return {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "title": {"text": title}}


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the page: its Plotly figure (with its config) and the formula printed under it."""

    figure: Figure
    formula: str = ""
    wide: bool = False  # as wide as the page (long labels, many bars)


def plain(text: str) -> str:
    """Text for Plotly, which reads labels as HTML of its own (<br>, <a href>…): names are shown as they are."""
    return html.escape(text, quote=False)


def region_level(by: str) -> RegionLevel | None:
    """The grouping a query string asks for (blank: the default one), or a 400 saying which there are."""
    for level in REGION_LEVELS:
        if by == level:
            return level
    if by:
        choices = "、".join(f"{level}（按{name}）" for level, name in REGION_LEVEL_NAMES.items())
        raise HTTPException(400, f"分组应为 {choices} 之一：{by[:40]}")
    return None


def grouping(regions: list[tuple[Any, ...]], region: str | None, by: RegionLevel | None = None) -> Grouping:
    """The grouping asked for (``by``), else one level below the region the filter names (province when none);
    ``regions`` are the matching reports' (``_regions``)."""
    named = _named_level(regions, region)
    default = REGION_LEVELS[min(REGION_LEVELS.index(named) + 1, len(REGION_LEVELS) - 1)] if named else "province"
    chosen = by or default
    return Grouping(chosen, default, _within(regions, chosen))


def _regions(engine: Engine, filters: Filters) -> list[tuple[Any, ...]]:
    """The distinct (province, city, county, their codes) of the matching reports' agencies."""
    base = reports_query(filters).subquery("base")
    columns = [base.c[f"{level}{suffix}"] for level in REGION_LEVELS for suffix in ("", "_code")]
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(*columns).distinct())]


def _named_level(regions: list[tuple[Any, ...]], region: str | None) -> RegionLevel | None:
    """The broadest level at which the region filter names the reports' regions (湖州 → city), as the filter
    matches them: a 6-digit code exactly, a name by its beginning."""
    if region is None:
        return None
    text = region.strip()
    code = _CODE.fullmatch(text) is not None
    name = display_name(text)
    for index, level in enumerate(REGION_LEVELS):
        if code and any(row[2 * index + 1] == text for row in regions):
            return level
        if not code and any(row[2 * index] and row[2 * index].startswith(name) for row in regions):
            return level
    return None


def _within(regions: list[tuple[Any, ...]], by: RegionLevel) -> str:
    """The regions above ``by`` that every matching report lies in, joined (浙江省湖州市), as the groups' names begin."""
    names = []
    for index in range(REGION_LEVELS.index(by)):
        found = {row[2 * index] for row in regions}
        if len(found) != 1 or None in found:
            break
        names.append(found.pop())
    return "".join(names)


def chart_records(engine: Engine, filters: Filters, by: RegionLevel) -> list[Record]:
    """``stats_records`` of the known years (each with the sums its ratios divide), by year and region."""
    records = [r for r in stats_records(engine, filters, by) if r["year"] is not None]
    return sorted(records, key=lambda r: (r["year"], r["region"]))


def outcome_names() -> dict[str, str]:
    """Each outcome category of 表三 → its name on the form (the group of its rows, else the row)."""
    table = statutory().table_by_id("requests")
    template = statutory().formats[-1].id
    names = {}
    for category, rows in outcome_rows().items():
        row = table.row_by_id(rows[0])
        names[category] = row.group if row.group and len(rows) > 1 else row.label_for(template)
    return names


def _short(labels: tuple[str, ...]) -> str:
    """The shortest spelling the declaration gives (``予以公开`` for ``（一）予以公开``)."""
    return min(labels, key=len)


def formulas() -> dict[str, str]:
    """What each chart computes, in the form's words (the declaration's labels): printed under the chart."""
    requests, cases = statutory().table_by_id("requests"), statutory().table_by_id("review_litigation")

    def row(row_id: str) -> str:
        return f"“{_short(requests.row_by_id(row_id).labels())}”"

    def column(column_id: str) -> str:
        return f"“{_short(cases.column_by_id(column_id).labels())}”"

    total = row("total_processed")
    review = cases.row_by_id(REVIEW).label_for(statutory().formats[-1].id)
    suits = [r for r in cases.rows if r.id != REVIEW]
    suit = suits[0].group or "行政诉讼"

    def corrected(group: str) -> str:
        return f"Σ {group}{column('corrected')} ÷ Σ（{group}{column('total')} − {column('pending')}）"

    return {
        "received": f"收到申请 = Σ 表三{row('new_received')}（总计列）",
        "outcomes": f"各类结果的占比 = Σ 该类结果 ÷ Σ {total}（表三总计列）；只计 {len(outcome_rows())} 类结果和{total}"
                    "都已填写的报告",
        "disclosure": f"公开率 = Σ（{' + '.join(row(r) for r in DISCLOSED)}）÷ Σ {total}（表三总计列）",
        "review": f"复议纠错率 = {corrected(review)}：已审结的{review}中结果被纠正的比例",
        "litigation": f"诉讼纠错率 = {corrected(suit)}：{'、'.join(r.label_for(statutory().formats[-1].id) for r in suits)}"
                      f"两组合计，已审结的{suit}中结果被纠正的比例",
        "late": f"逾期公布：首次公布晚于条例规定期限的机关年度数（规则 {LATE_RULE}；更正后重新公布的不另计）；"
                "有发布日期：能判断是否逾期的机关年度数",
        "rules": "每条规则涉及的报告数：只计错误和警告，同一机关同一年度只计代表它的一份报告",
    }


def _value(value: Any) -> float | None:
    """A sum as a float (PostgreSQL's sums are Decimal), None when missing."""
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else None


def _basis(n: int, reports: int) -> str:
    """How many reports a point rests on, of how many there are."""
    return f"依据 {n} 份报告" + (f"（共 {reports} 份，其余未填写相应单元格）" if reports > n else "")


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    """A chart's layout: the title on its own line under the toolbar, margins that grow to fit the labels."""
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xref": "container", "xanchor": "left", "pad": {"l": 12, "t": 40},
                  "y": 1, "yref": "container", "yanchor": "top"},
        "font": _FONT, "colorway": COLORS, "margin": {"l": 60, "r": 20, "t": 84, "b": 40},
        "hoverlabel": {"namelength": -1}, "legend": {"orientation": "h"}}
    for key, value in extra.items():
        layout[key] = {**layout[key], **value} if isinstance(value, dict) and key in layout else value
    return layout


def _years_axis() -> dict[str, Any]:
    return {"type": "category", "categoryorder": "category ascending", "automargin": True}


def _rate_axis(values: list[float | None]) -> dict[str, Any]:
    """A rate's axis: from 0 to 100% (further only if a value is over it), ticks in percent.

    Axes are not titled: the chart's title says what is measured and in what unit (a vertical axis title
    would turn the Chinese on its side, and the legend below a horizontal one covers it).
    """
    top = max([1.0, *(v for v in values if v is not None)])
    return {"range": [0, top * 1.04], "tickformat": ".0%", "automargin": True, "zeroline": True}


def _count_axis(top: float) -> dict[str, Any]:
    """A count's axis: from 0, whole numbers only (Plotly would tick 0.5 steps below about 6)."""
    axis: dict[str, Any] = {"rangemode": "tozero", "tickformat": ",d", "automargin": True}
    if top <= 6:
        axis.update(tick0=0, dtick=1)
    return axis


def _height(groups: int) -> int:
    """A grouped chart's height: enough for its legend beside it, one group a line."""
    return max(HEIGHT, 150 + 19 * groups)


def empty(title: str, message: str) -> Figure:
    """A chart with nothing to draw: its title and a sentence saying why, no axes."""
    return {"data": [], "layout": _layout(title, height=260, xaxis={"visible": False}, yaxis={"visible": False},
                                          annotations=[{"text": message, "showarrow": False, "xref": "paper",
                                                        "yref": "paper", "x": 0.5, "y": 0.5,
                                                        "font": {"size": 15, "color": "#666"}}])}


def _config(title: str, drawn: bool) -> dict[str, Any]:
    """Plotly's options: Chinese toolbar (none over an empty chart), no selection buttons, downloads named after
    the chart at twice the size.

    Plotly.js 4 shows a 'share' button by default that posts the chart's data to Plotly's cloud: never here.
    """
    return {"locale": LOCALE, "displaylogo": False, "responsive": True, "showSendToCloud": False,
            "displayModeBar": "hover" if drawn else False, "modeBarButtonsToRemove": _NO_BUTTONS,
            "toImageButtonOptions": {"filename": title, "scale": 2}}


def collection_charts(engine: Engine, filters: Filters, by: str = "") -> tuple[Grouping, dict[str, Chart]]:
    """The grouping (``by`` as the query string gives it), and the charts: applications by year, outcome mix,
    公开率, 复议 and 诉讼纠错率, late publications, most failed rules."""
    regions = _regions(engine, filters)
    groups = grouping(regions, filters.region, region_level(by))
    rows = chart_records(engine, filters, groups.by)
    notes = formulas()
    charts = {"received": _received(rows, groups), "late": _late(rows), "outcomes": _outcomes(rows, groups)}
    charts.update({chart: _rate(rows, groups, name, column, parts) for chart, name, column, *parts in RATES})
    charts["rules"] = _rules(engine, filters)
    for figure in charts.values():
        title = figure["layout"]["title"]["text"]
        if not regions:  # no report matches: that is the one thing to say
            figure.update(empty(title, NO_REPORTS))
        figure["config"] = _config(title, bool(figure["data"]))
    return groups, {name: Chart(figure, notes[name], name == "outcomes") for name, figure in charts.items()}


def _by_group(rows: list[Record], groups: Grouping) -> dict[str, list[Record]]:
    """The records of each group, by its label, in the order of the names."""
    out: dict[str, list[Record]] = {}
    for row in sorted(rows, key=lambda r: r["region"]):
        out.setdefault(groups.label(row["region"]), []).append(row)
    return out


def _received(rows: list[Record], groups: Grouping) -> Figure:
    title = "收到申请（件）"
    filled = [r for r in rows if r["received"] is not None]
    if not filled:
        return empty(title, "所选报告都没有填写表三的本年新收申请数")
    by_group = _by_group(filled, groups)
    totals: dict[Any, float] = {}
    for r in filled:
        totals[r["year"]] = totals.get(r["year"], 0.0) + float(r["received"])
    data = [{"type": "bar", "name": name, "x": [r["year"] for r in rs], "y": [r["received"] for r in rs],
             "hovertext": [f"{name}<br>{r['year']}年收到申请 {number(r['received'])} 件<br>"
                           f"{_basis(r['received_n'], r['reports'])}" for r in rs],
             "hovertemplate": "%{hovertext}<extra></extra>"} for name, rs in by_group.items()]
    return {"data": data, "layout": _layout(
        title, barmode="stack", xaxis=_years_axis(), yaxis=_count_axis(max(totals.values())),
        legend=groups.legend(), height=_height(len(data)))}


def _outcomes(rows: list[Record], groups: Grouping) -> Figure:
    title = "办理结果构成（占办结总数）"
    filled = [r for r in rows if r["outcomes_n"]]
    if not filled:
        return empty(title, "所选报告都没有把表三各类办理结果和总计填写完整")
    one = len({r["region"] for r in filled}) == 1
    ordered = sorted(filled, key=lambda r: (r["region"], r["year"]))
    labels = [str(r["year"]) if one else f"{groups.label(r['region'])} {r['year']}" for r in ordered]
    data = []
    for category, name in outcome_names().items():
        data.append({"type": "bar", "orientation": "h", "name": name, "y": labels,
                     "x": [r[f"share_{category}"] for r in ordered],
                     "hovertext": [f"{name}<br>{label}年：{percent(r[f'share_{category}'])} = "
                                   f"{number(_value(r[f'o_{category}']))} ÷ {number(_value(r['outcomes_den']))} 件<br>"
                                   f"{_basis(r['outcomes_n'], r['reports'])}" for label, r in zip(labels, ordered,
                                                                                                strict=True)],
                     "hovertemplate": "%{hovertext}<extra></extra>"})
    # Stacked: the bar's end is the shares' sum, over 100% when a report's categories add up to more than its total.
    axis = _rate_axis([sum(r[f"share_{c}"] or 0 for c in outcome_rows()) for r in filled])
    return {"data": data, "layout": _layout(
        title, barmode="stack", xaxis=axis, height=220 + 24 * len(labels), legend={"traceorder": "normal"},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True})}


def _rate(rows: list[Record], groups: Grouping, name: str, column: str, parts: list[str]) -> Figure:
    numerator, denominator, counted = parts
    title = name
    filled = [r for r in rows if r[column] is not None]
    if not filled:
        return empty(title, f"所选报告中没有可计算{name}的（相应单元格未填写，或分母为 0）")
    years = sorted({r["year"] for r in filled})
    data = []
    for group, rs in _by_group(filled, groups).items():
        # Every year on each line, blank where the group has no rate: a line never bridges a year without one.
        of_year = {r["year"]: r for r in rs}
        found = [of_year.get(y) for y in years]
        data.append({"type": "scatter", "mode": "lines+markers", "name": group, "x": years,
                     "y": [r[column] if r else None for r in found],
                     "hovertext": [f"{group}<br>{r['year']}年{name} {percent(r[column])} = "
                                   f"{number(_value(r[numerator]))} ÷ {number(_value(r[denominator]))} 件<br>"
                                   f"{_basis(r[counted], r['reports'])}" if r else "" for r in found],
                     "hovertemplate": "%{hovertext}<extra></extra>"})
    return {"data": data, "layout": _layout(
        title, xaxis=_years_axis(), yaxis=_rate_axis([r[column] for r in filled]), legend=groups.legend(),
        height=_height(len(data)))}


def _late(rows: list[Record]) -> Figure:
    title = "逾期公布的报告（份）"
    years = sorted({r["year"] for r in rows})
    dated = {y: sum(r["dated"] or 0 for r in rows if r["year"] == y) for y in years}
    if not any(dated.values()):
        return empty(title, "所选报告都没有发布日期，无法判断是否逾期")
    late = {y: sum(r["late"] or 0 for r in rows if r["year"] == y) for y in years}
    reports = {y: sum(r["reports"] or 0 for r in rows if r["year"] == y) for y in years}
    hover = [f"{y}年：逾期公布 {late[y]} 份，有发布日期的 {dated[y]} 份（共 {reports[y]} 份报告）" for y in years]
    data = [{"type": "bar", "name": what, "x": years, "y": [values[y] for y in years], "hovertext": hover,
             "hovertemplate": "%{hovertext}<extra></extra>"}
            for values, what in ((late, "逾期公布"), (dated, "有发布日期的报告"))]
    return {"data": data, "layout": _layout(title, barmode="group", xaxis=_years_axis(), height=HEIGHT,
                                            yaxis=_count_axis(max(dated.values())))}


def _rules(engine: Engine, filters: Filters) -> Figure:
    title = "最常见的问题（涉及报告数）"
    counts = rule_counts(engine, filters)
    counts = counts[counts["severity"].isin(["error", "warning"])].head(TOP_RULES)
    if counts.empty:
        return empty(title, "所选报告没有错误或警告级别的问题")
    records = counts.to_dict("records")[::-1]
    labels = [f"{r['rule']}<br>{plain(_clip(clean(r['title']) or ''))}" for r in records]
    return {"data": [{"type": "bar", "orientation": "h", "x": [clean(r["reports"]) for r in records], "y": labels,
                      "hovertext": [f"{r['rule']} {plain(clean(r['title']) or '')}<br>涉及 {clean(r['reports'])} 份报告，"
                                    f"共 {clean(r['findings'])} 条问题" for r in records],
                      "hovertemplate": "%{hovertext}<extra></extra>"}],
            "layout": _layout(title, height=140 + 44 * len(records), showlegend=False,
                              xaxis=_count_axis(max(clean(r["reports"]) for r in records)),
                              yaxis={"type": "category", "automargin": True})}


def _clip(text: str, width: int = 18) -> str:
    """A rule's title short enough for a tick label (the whole title is in the hover text)."""
    return text if len(text) <= width else text[: width - 1] + "…"
