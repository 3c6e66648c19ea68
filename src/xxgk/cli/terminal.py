"""A report drawn in the terminal for a person: the statutory tables, flagged cells, findings."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from xxgk.model import Finding, Number, Report
from xxgk.names import SEVERITY_NAMES
from xxgk.templates import Table, statutory

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_NAME = SEVERITY_NAMES
INFO_PER_RULE = 3  # notes of one kind beyond this are counted, not listed
QUOTE_CHARS = 60  # a figure's sentence is quoted up to this many characters
SECTION_NAMES = {s.id: s.heading for s in statutory().sections}


def _flag(findings: list[Finding], where: str) -> str | None:
    """The style of the most serious finding that points at ``where`` or contains it."""
    order = ["error", "warning", "info"]
    hits = [f.severity for f in findings if f.where == where or where.startswith(f.where + ".")]
    if not hits:
        return None
    return SEVERITY_STYLE[min(hits, key=order.index)]


def _cell(value: Number | None, style: str | None) -> Text:
    text = "—" if value is None else (str(int(value)) if float(value).is_integer() and not isinstance(value, float)
                                      else str(value))
    return Text(text, style=style or ("dim" if value is None else ""))


def _template(report: Report) -> str:
    return report.meta.template if report.meta.template in ("2019", "2021") else "2021"


def active_table(report: Report, table: Table) -> RichTable:
    tpl = _template(report)
    data = report.tables.get(table.id) or {}
    # Each provision has its own columns: its caption row is the header, so no table header.
    out = RichTable(title=f"二、{table.title}", show_lines=False, title_justify="left", show_header=False)
    width = max(len(table.row_columns(r, tpl)) for r in table.rows_for(tpl))
    out.add_column(table.row_header or "", min_width=16)
    for _ in range(width):
        out.add_column("", justify="right", max_width=14, overflow="fold")
    caption = None
    for row in table.rows_for(tpl):
        cols = table.row_columns(row, tpl)
        if row.caption != caption:
            caption = row.caption
            out.add_row(Text(caption or "", style="bold"), *[Text(c.label_for(tpl), style="bold") for c in cols],
                        *[""] * (width - len(cols)))
        values = data.get(row.id, {})
        where = f"{table.id}.{row.id}"
        cells = [_cell(values.get(c.id), _flag(report.findings, f"{where}.{c.id}")) for c in cols]
        out.add_row(Text(row.label_for(tpl), style=_flag(report.findings, where) or ""), *cells,
                    *[""] * (width - len(cols)))
    return out


def requests_table(report: Report, table: Table) -> RichTable:
    tpl = _template(report)
    data = report.tables.get(table.id) or {}
    out = RichTable(title=f"三、{table.title}", title_justify="left")
    out.add_column(table.column_header or "", min_width=22, max_width=26, overflow="ellipsis", no_wrap=True)
    columns = table.columns_for(tpl)
    for c in columns:
        out.add_column(c.label_for(tpl), justify="right", min_width=4, max_width=6, overflow="fold")
    group = None
    for row_id, values in data.items():
        try:
            row = table.row_by_id(row_id)
        except KeyError:
            continue
        if row.group and row.group != group:
            group = row.group
            out.add_row(Text(f"  {group}", style="bold"), *[""] * len(columns))
        elif not row.group:
            group = None
        where = f"{table.id}.{row_id}"
        indent = "    " if row.group else ("  " if row.stub else "")
        out.add_row(Text(indent + row.label_for(tpl), style=_flag(report.findings, where) or ""),
                    *[_cell(values.get(c.id), _flag(report.findings, f"{where}.{c.id}")) for c in columns])
    return out


def review_table(report: Report, table: Table) -> RichTable:
    tpl = _template(report)
    data = report.tables.get(table.id) or {}
    out = RichTable(title=f"四、{table.title}", title_justify="left")
    out.add_column("")
    columns = table.columns_for(tpl)
    for c in columns:
        out.add_column(c.label_for(tpl), justify="right")
    for row in table.rows_for(tpl):
        where = f"{table.id}.{row.id}"
        values = data.get(row.id, {})
        label = f"{row.group}·{row.label_for(tpl)}" if row.group else row.label_for(tpl)
        out.add_row(Text(label, style=_flag(report.findings, where) or ""),
                    *[_cell(values.get(c.id), _flag(report.findings, f"{where}.{c.id}")) for c in columns])
    return out


DRAW = {"active": active_table, "requests": requests_table, "review_litigation": review_table}


def draw_report(console: Console, report: Report) -> None:
    m = report.meta
    head = Text()
    head.append(m.title or report.source.name, style="bold")
    head.append(f"\n报告机关：{m.agency or '未识别'}    年度：{m.year or '未识别'}    "
                f"格式：{ {'2019': '2019年格式', '2021': '2021年格式', 'legacy': '2019年前自由格式'}.get(m.template or '', '未能确定') }"
                f"    发布日期：{m.published or '未找到'}")
    if m.signed:
        head.append(f"    落款日期：{m.signed}")
    present = [SECTION_NAMES[k] for k, s in report.sections.items() if s.present]
    absent = [SECTION_NAMES[k] for k, s in report.sections.items() if not s.present]
    head.append(f"\n章节：{len(present)}/6" + (f"（缺：{'、'.join(absent)}）" if absent else ""))
    console.print(Panel(head, expand=False))
    for tid, draw in DRAW.items():
        table = statutory().table_by_id(tid)
        if report.tables.get(tid) is None:
            console.print(Text(f"{table.title}：未读到表格", style="yellow"))
            continue
        console.print(draw(report, table))
    if report.figures:
        console.print(Text("正文中的数字：", style="bold"))
        for fig in report.figures:
            approx = "约" if fig.approximate else ""
            quote = " ".join(fig.quote.split())  # the source's line breaks are not the sentence's
            quote = quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS] + "…"
            # Soft wrap: the terminal breaks a Chinese sentence anywhere, Rich only at spaces.
            console.print(Text(f"  {fig.key} = {approx}{fig.value}  「{quote}」"), soft_wrap=True)
    draw_findings(console, report.findings)


def draw_findings(console: Console, findings: list[Finding]) -> None:
    if not findings:
        console.print(Text("未发现问题。", style="green"))
        return
    order = ["error", "warning", "info"]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in order}
    console.print(Text("发现问题：" + "，".join(f"{SEVERITY_NAME[s]} {n} 项" for s, n in counts.items() if n),
                       style="bold"))
    shown: list[Text] = []
    per_rule: dict[str, int] = {}
    for f in sorted(findings, key=lambda f: order.index(f.severity)):
        per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
        if f.severity == "info" and per_rule[f.rule] > INFO_PER_RULE:
            continue
        shown.append(Text.assemble((f"[{SEVERITY_NAME[f.severity]}] ", SEVERITY_STYLE[f.severity]),
                                   (f"{f.rule} ", "bold"), (f"{f.where}：", "dim"), f.message))
    for rule_id, n in per_rule.items():
        if n > INFO_PER_RULE and any(f.rule == rule_id and f.severity == "info" for f in findings):
            shown.append(Text(f"[提示] {rule_id} 另有 {n - INFO_PER_RULE} 项（--json 可见全部）", style="dim"))
    for line in shown:
        console.print(line, soft_wrap=True)
