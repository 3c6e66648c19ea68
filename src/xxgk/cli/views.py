"""The collection's answers drawn for a person (``list``, ``stats``, ``compare``); imported when those commands print.

``stats``: two wide tables when the terminal has room for them, else one block per year and
region. An 80-column terminal cannot hold ten columns of Chinese headings without cutting every
one of them to ``有错…``; there each (year, region) becomes a short block of labelled lines.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from xxgk.names import SEVERITY_NAMES
from xxgk.store.standing import CHOICE
from xxgk.store.stats import outcome_rows, shares_note
from xxgk.templates import statutory

if TYPE_CHECKING:
    import pandas as pd

    from xxgk.store.compare import Comparison

NOTE = "括号中为参与计算的报告数；空白单元格不计为 0"
SHOWN_ROWS = 5  # the year-and-region rows a note under the stats names
SEVERITY_NAME = SEVERITY_NAMES
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def outcome_labels() -> dict[str, str]:
    """The outcome categories' short Chinese names, from the declaration (``（三）不予公开``)."""
    table = statutory().table_by_id("requests")
    out: dict[str, str] = {}
    for category, rows in outcome_rows().items():
        row = table.row_by_id(rows[0])
        label = row.group or row.label_for(max(row.templates))
        out[category] = re.sub(r"（[^（）]*）$", "", label or category)
    return out


def missing(value: Any) -> bool:
    """None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pd.NA refuses to be a bool
        return True


def text(value: Any) -> str:
    """A cell as shown: blank for missing values, whole numbers without ``.0``."""
    if missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def percent(value: Any, n: Any) -> str:
    """A share as ``42.9%（7）`` with the reports it rests on; ``—（0）`` when it cannot be computed."""
    return f"{'—' if missing(value) else f'{float(value):.1%}'}（{n}）"


def draw_stats(out: Console, frame: pd.DataFrame) -> None:
    """The stats as wide tables if they fit the terminal untruncated, else as one block per year and region."""
    if frame.empty:
        out.print("没有符合条件的报告。")
        return
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    labels = outcome_labels()
    tables = [figures_table(records), outcomes_table(records, labels)]
    unbounded = out.options.update(max_width=10_000)
    if max(Measurement.get(out, unbounded, t).maximum for t in tables) <= out.width:
        for table in tables:
            out.print(table)
        for record in records:
            if note := shares_note(record):
                out.print(f"注：{_heading(record)} {note}", soft_wrap=True)
    else:
        out.print(Text(f"统计（{NOTE}）", style="bold"))
        for record in records:
            out.print()
            out.print(record_block(record, labels))
    if duplicates := sum(int(r["duplicates"]) for r in records):
        out.print(f"另有 {duplicates} 份重复的报告未计：同一机关同一年度库中有多份报告时只计一份（{CHOICE}；"
                  f"xxgk list 中标 *，问题 COLL-DUPLICATE）", soft_wrap=True)
    if unknown := [r for r in records if r["level_unknown"]]:
        where = "；".join(f"{text(r['year']) or '年度未识别'} {r['region']} {r['level_unknown']} 份"
                         for r in unknown[:SHOWN_ROWS])
        out.print(f"另有 {sum(int(r['level_unknown']) for r in unknown)} 份报告的机关级别未识别（无法从名称判断是政府、"
                  f"部门还是乡镇），未计入按级别的统计：{where}{'等' if len(unknown) > SHOWN_ROWS else ''}；"
                  f"可用 --level unknown 单独统计", soft_wrap=True)


def _heading(record: dict[str, Any]) -> str:
    year = text(record["year"])
    return f"{year}年度 {record['region']}" if year else f"年度未识别 {record['region']}"


def figures_table(records: list[dict[str, Any]]) -> Table:
    """Reports, requests received, rates, late publication and common findings: one row per year and region."""
    table = Table("年度", "地区", "报告", "有错误", "收到申请（报告数）", "公开率", "复议纠错率", "诉讼纠错率",
                  "逾期公布/有日期", "常见问题（报告数）", title=f"统计（{NOTE}）", title_justify="left")
    for r in records:
        reports = f"{r['reports']}（+{r['duplicates']}重复）" if r["duplicates"] else str(r["reports"])
        table.add_row(text(r["year"]) or "年度未识别", Text(str(r["region"])), reports, str(r["errors"]),
                      f"{text(r['received']) or '—'}（{r['received_n']}）",
                      percent(r["disclosure_rate"], r["disclosure_n"]),
                      percent(r["review_correction_rate"], r["review_n"]),
                      percent(r["litigation_correction_rate"], r["litigation_n"]),
                      f"{r['late']}/{r['dated']}", Text(str(r["top_rules"])))
    return table


def outcomes_table(records: list[dict[str, Any]], labels: dict[str, str]) -> Table:
    """The outcome mix (share of 表三's total per category): one row per year and region."""
    table = Table("年度", "地区", "报告数", *labels.values(), title="办理结果构成（占表三总计的比例）",
                  title_justify="left")
    for r in records:
        table.add_row(text(r["year"]) or "年度未识别", Text(str(r["region"])), str(r["outcomes_n"]),
                      *(percent(r[f"share_{c}"], r["outcomes_n"]).split("（")[0] for c in labels))
    return table


def record_block(r: dict[str, Any], labels: dict[str, str]) -> Group:
    """One year and region as labelled lines that fit a narrow terminal (long values wrap, never cut).

    The figures no report could give (n = 0) are named together on one line instead of one ``—（0）`` each.
    """
    errors = f"，其中 {r['errors']} 份有错误" if r["errors"] else "，均无错误"
    duplicates = f"（另有 {r['duplicates']} 份重复的报告未计）" if r["duplicates"] else ""
    heading = Text.assemble((_heading(r), "bold"), f"  {r['reports']} 份报告{errors}{duplicates}")
    figures: list[tuple[str, str, int]] = [
        ("收到申请", f"{text(r['received']) or '—'}（{r['received_n']}）", r["received_n"]),
        ("公开率", percent(r["disclosure_rate"], r["disclosure_n"]), r["disclosure_n"]),
        ("复议纠错率", percent(r["review_correction_rate"], r["review_n"]), r["review_n"]),
        ("诉讼纠错率", percent(r["litigation_correction_rate"], r["litigation_n"]), r["litigation_n"]),
    ]
    if r["outcomes_n"]:
        # Three categories a line (short names, without their numbering) so that a line never breaks inside one.
        shares = [f"{re.sub(r'^（[^（）]*）', '', label)} {percent(r[f'share_{c}'], 0).split('（')[0]}"
                  for c, label in labels.items()]
        lines = ["，".join(shares[i:i + 3]) for i in range(0, len(shares), 3)]
        figures.append(("办理结果", "，\n".join(lines) + f"（{r['outcomes_n']}）", r["outcomes_n"]))
    else:
        figures.append(("办理结果", "", 0))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")  # Chinese breaks anywhere: fold, never cut
    for label, shown, n in figures:
        if n:
            grid.add_row(label, shown)
    if none := [label for label, _, n in figures if not n]:
        grid.add_row("无数据", "、".join(none) + "（表格中未填写）")
    if note := shares_note(r):
        grid.add_row("注", note)
    grid.add_row("逾期公布", f"{r['late']} 份（有发布日期的 {r['dated']} 份）")
    if r["top_rules"]:
        grid.add_row("常见问题", Text(str(r["top_rules"]).replace("、", "，")))
    return Group(heading, Padding(grid, (0, 0, 0, 2), expand=False))


def draw_list(out: Console, frame: pd.DataFrame) -> None:
    """``xxgk list``: one row per report; where the terminal cannot hold every column untruncated, the
    narrow form (no format, no title, errors/warnings in one column) with names folded, never cut to ``湖州 …``."""
    if frame.empty:
        out.print("没有符合条件的报告。")
        return
    table = list_table(frame, narrow=False)
    unbounded = out.options.update(max_width=10_000)
    narrow = Measurement.get(out, unbounded, table).maximum > out.width
    out.print(list_table(frame, narrow=True) if narrow else table)
    duplicates = int(frame["duplicate_of"].notna().sum())
    out.print(f"共 {len(frame)} 份报告" + (
        f"；标 * 的 {duplicates} 份重复：同一机关同一年度另有一份为准的报告（--json 的 duplicate_of），"
        f"统计、评分、对比不计" if duplicates else "")
        + ("；终端较窄，未列出格式和标题（加宽终端，或用 --json、--csv）" if narrow else ""), soft_wrap=True)


def list_table(frame: pd.DataFrame, narrow: bool) -> Table:
    """The reports as a table: every column, or (``narrow``) those a person scans a list by."""
    from xxgk.store.query import LEVELS

    table = Table(expand=narrow)  # narrow: the terminal's width, shared out by the ratios
    table.add_column("编号", no_wrap=True)
    table.add_column("机关", overflow="fold", ratio=3 if narrow else None)
    table.add_column("地区", overflow="fold", ratio=2 if narrow else None)
    for header in ("级别", "年度") if narrow else ("级别", "年度", "格式"):
        table.add_column(header, no_wrap=True)
    table.add_column("发布日期", no_wrap=True, min_width=10)
    for header in ("错/警",) if narrow else ("错误", "警告"):
        table.add_column(header, no_wrap=True)
    if not narrow:
        table.add_column("标题", overflow="fold")
    for row in frame.itertuples(index=False):
        mark = "" if missing(row.duplicate_of) else "*"
        level = LEVELS.get(text(row.level), "未识别")
        errors = Text(str(row.errors), style="bold red" if row.errors else "")
        cells: list[Any] = [f"{row.report_id}{mark}", Text(text(row.agency) or "机关未识别"), Text(str(row.region)),
                            re.sub(r"（[^（）]*）$", "", level) if narrow else level, text(row.year)]
        if narrow:
            cells += [Text(text(row.published)), Text.assemble(errors, f"/{row.warnings}")]
        else:
            cells += [text(row.template), Text(text(row.published)), errors, str(row.warnings), Text(text(row.title))]
        table.add_row(*cells)
    return table


def _change_style(before: Any, now: Any) -> str:
    """Green for up, red for down, yellow where a number appears or disappears."""
    gone = [missing(v) for v in (before, now)]
    if all(gone) or (not any(gone) and before == now):
        return ""
    if any(gone):
        return "yellow"
    return "green" if now > before else "red"


def change_heading(labels: list[str]) -> str:
    """The change column's heading, naming what it subtracts: the last report's value minus the one before."""
    if len(labels) < 2:
        return "变化"
    before, last = labels[-2], labels[-1]
    next_year = before.isdigit() and last.isdigit() and int(last) - int(before) == 1
    return f"{'较上年变化' if next_year else '变化'}\n（{last}−{before}）"


def draw_comparison(out: Console, result: Comparison, all_columns: bool = False) -> None:
    """The agency's reports, its tables year by year (changes coloured), and its findings per year."""
    out.print(Text.assemble((result.agency.name, "bold"), "  ",
                            (f"机关 {result.agency.id}，{len(result.reports)} 份报告", "dim")))
    for row in result.duplicates.itertuples(index=False):
        out.print(Text(f"第 {row.report_id} 号报告（{text(row.year)}年度）重复，未列入对比："
                       f"该年度以第 {row.duplicate_of} 号为准（见 COLL-DUPLICATE）", style="yellow"))
    labels = list(result.reports["label"])
    if not labels:
        out.print("该机关没有报告。")
        return
    reports = Table("年度", "编号", "格式", "发布日期", "错误", "警告", "标题")
    for row in result.reports.itertuples(index=False):
        reports.add_row(str(row.label), str(row.report_id), text(row.template), Text(text(row.published)),
                        str(row.errors), str(row.warnings), Text(text(row.title)))
    out.print(reports)
    for declared in statutory().tables:
        cells = result.cells[result.cells["table"] == declared.id]
        if declared.id == "requests" and not all_columns:
            cells = cells[cells["column"] == "total"]
        if cells.empty:
            continue
        heading = statutory().section_by_id(declared.section).heading
        table = Table(title=heading, title_justify="left")
        table.add_column("项目", overflow="fold")  # row labels fold at a narrow terminal, never cut to 规章｜本年制发…
        for label in labels:
            table.add_column(label, no_wrap=True)
        table.add_column(change_heading(labels), no_wrap=True)
        for record in cells.to_dict("records"):
            values = [record[label] for label in labels]
            shown = [Text(text(values[0]) or "—", style="" if text(values[0]) else "dim")]
            shown += [Text(text(v) or "—", style=_change_style(b, v) or ("" if text(v) else "dim"))
                      for b, v in itertools.pairwise(values)]
            change = record["change"]
            delta = "" if missing(change) else \
                f"{'+' if change > 0 else ''}{text(round(float(change), 4))}"
            table.add_row("｜".join(record["label"].split("｜")[1:]), *shown,
                          Text(delta, style="bold" if record["changed"] else "dim"))
        out.print(table)
    out.print("[bold]各年度的问题[/bold]（错误和警告；跨报告的检查结果标有“跨报告”）")
    shown_any = False
    for record in result.findings.to_dict("records"):
        if record["severity"] == "info":
            continue
        shown_any = True
        scope = ("（跨报告）", "dim") if record["scope"] == "collection" else ""
        style = SEVERITY_STYLE.get(record["severity"], "")
        # Report text and hints (pip install 'xxgk[ocr]') as they are: Text, never markup.
        out.print(Text.assemble(f"  {record['label']}  ", (f"[{SEVERITY_NAME.get(record['severity'], '')}]", style), " ",
                                (record["rule"], "bold"), " ", (f"{record['where']}：", "dim"), record["message"], scope),
                  soft_wrap=True)
    if not shown_any:
        out.print("  没有错误或警告。")
