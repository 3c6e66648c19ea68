"""Form rules: the report's layout against the statutory format."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

from xxgk.check.arithmetic import template_of
from xxgk.check.rules import doubted_year, get, rule
from xxgk.model import Finding, Report
from xxgk.templates import SECTION_IDS, TABLE_IDS, statutory


def _statutory_report(report: Report) -> bool:
    """Reports under the 2019 条例 (years 2019 onward) have six sections and three tables."""
    if report.meta.template == "legacy":
        return False
    year = report.meta.year
    return report.meta.template is not None or (year is not None and statutory().format_for_year(year) is not None)


@rule("FORM-SECTION-MISSING", "warning", "六个部分齐全并有标题",
      "条例第五十条；国办公开办函〔2021〕30号格式的六个部分", "报告缺少“五、存在的主要问题及改进情况”")
def sections_present(report: Report) -> Iterator[Finding]:
    if not _statutory_report(report):
        return
    present = [sid for sid in SECTION_IDS if report.sections.get(sid) and report.sections[sid].present]
    if not present:
        yield get("FORM-SECTION-MISSING").finding("sections", "未找到任何法定章节标题（一、总体情况 至 六、其他需要报告的事项）")
        return
    for sid in SECTION_IDS:
        if sid not in present:
            heading = statutory().section_by_id(sid).heading
            yield get("FORM-SECTION-MISSING").finding(f"sections.{sid}", f"未找到“{heading}”部分")


@rule("FORM-SECTION-ORDER", "warning", "六个部分按法定顺序排列", "国办公开办函〔2021〕30号格式",
      "“五、存在的主要问题”出现在“三、收到和处理政府信息公开申请情况”之前")
def sections_in_order(report: Report) -> Iterator[Finding]:
    offsets = [(sid, s.offset) for sid, s in report.sections.items() if s.present and s.offset is not None]
    order = [sid for sid, _ in sorted(offsets, key=lambda x: x[1] or 0)]
    rank = {sid: i for i, sid in enumerate(SECTION_IDS)}
    # Each part printed right before one the format puts before it: "五 before 四", not the whole list.
    swapped = [(a, b) for a, b in pairwise(order) if rank.get(a, 0) > rank.get(b, 0)]
    if swapped:
        pairs = "；".join(f"“{_heading(a)}”在“{_heading(b)}”之前" for a, b in swapped)
        yield get("FORM-SECTION-ORDER").finding("sections", f"章节顺序与法定格式不符：{pairs}")


@rule("FORM-SECTION-NUMBER", "warning", "六个部分按法定编号（一至六）",
      "国办公开办函〔2021〕30号格式的六个部分", "“五、存在的主要问题及改进情况”印作“四、存在的主要问题及改进情况”")
def sections_numbered(report: Report) -> Iterator[Finding]:
    if not _statutory_report(report):
        return  # a legacy report numbers its parts its own way
    for sid in SECTION_IDS:
        section = report.sections.get(sid)
        if section is None or not section.present or not section.heading:
            continue
        ordinal = statutory().section_by_id(sid).ordinal
        printed = _NUMERAL.match(section.heading)
        if printed and printed.group() != ordinal:
            yield get("FORM-SECTION-NUMBER").finding(
                f"sections.{sid}",
                f"“{_heading(sid)}”部分的标题编号印作“{printed.group()}”（“{section.heading}”），应为“{ordinal}”")


_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,2}")


def _heading(sid: str) -> str:
    """Section ``sid``'s statutory heading."""
    return statutory().section_by_id(sid).heading


@rule("FORM-TEMPLATE-YEAR", "error", "表格格式与报告年度相符",
      "国办公开办函〔2021〕30号：2021年度起使用新格式；2019、2020年度使用国办公开办函〔2019〕60号格式",
      "2022年度报告仍使用“本年新制作数量”“政府集中采购”等2019年格式栏目")
def template_matches_year(report: Report) -> Iterator[Finding]:
    year, tpl = report.meta.year, report.meta.template
    due = statutory().format_for_year(year) if year is not None and tpl != "legacy" else None
    if due is None:
        return
    # Each table against the year's format: a report may mix the two (表二 of one, 表三 of the other).
    shown = _layouts(report)
    odd = [tid for tid, layout in shown.items() if layout != due]
    if odd:
        layout = shown[odd[0]]
        where = "表格" if len(odd) == len(shown) else "、".join(_table_name(tid) for tid in odd)
    elif tpl in ("2019", "2021") and tpl != due and not shown:
        layout, where = tpl, "表格"
    else:
        return
    document = next(f.document for f in statutory().formats if f.id == due)
    # An older layout in a later year is an error; the newer one before its time only a note.
    later = statutory().first_year(layout) > statutory().first_year(due)
    doubt = doubted_year(report)  # the year, not the table, may be wrong
    yield get("FORM-TEMPLATE-YEAR").finding(
        "meta.template", f"{year}年度报告应使用{due}年格式（{document}），但{where}为{layout}年格式{doubt or ''}",
        severity="warning" if later or doubt else None)


def _layouts(report: Report) -> dict[str, str]:
    """Per table read, the format whose own rows or columns it holds (a table the same in both, none)."""
    out: dict[str, str] = {}
    for tid in TABLE_IDS:
        data = report.tables.get(tid)
        if not data:
            continue
        ids = set(data) | {col for cols in data.values() if isinstance(cols, dict) for col in cols}
        shown = [tpl for tpl, own in _own_ids(tid).items() if ids & own]
        if len(shown) == 1:
            out[tid] = shown[0]
    return out


@cache
def _own_ids(tid: str) -> dict[str, frozenset[str]]:
    """Per format, the ids of the rows and columns of the table that only it has."""
    table = statutory().table_by_id(tid)
    ids = {tpl: {r.id for r in table.rows_for(tpl)}
                | {c.id for r in table.rows_for(tpl) for c in table.row_columns(r, tpl)}
           for tpl in table.templates}
    return {tpl: frozenset(mine - set().union(*(o for t, o in ids.items() if t != tpl))) for tpl, mine in ids.items()}


def _table_name(tid: str) -> str:
    """The table as a report's reader names it: 表二 for the one in part 二."""
    return f"表{statutory().section_by_id(statutory().table_by_id(tid).section).ordinal}"


@rule("FORM-TEMPLATE-ROWS", "error", "表三的行与报告应使用的格式相符",
      "国办公开办函〔2021〕30号：三(六)其他处理分列1-3项", "2023年度报告的表三只有一行“（六）其他处理”")
def template_rows(report: Report) -> Iterator[Finding]:
    # Judged against the year's format, not against 表二's: a report may mix the two.
    year = report.meta.year
    template = (statutory().format_for_year(year) if year is not None else None) or report.meta.template
    data = report.tables.get("requests")
    if template not in ("2019", "2021") or not data or report.meta.template == "legacy":
        return
    table = statutory().table_by_id("requests")
    expected = {r.id for r in table.rows_for(template)}
    other = "2019" if template == "2021" else "2021"
    missing = {f.where for f in report.findings if f.rule == "PARSE-ROW-MISSING"}
    # As for the whole layout: the newer format's rows before their time, or in a doubted year, only a note.
    note = statutory().first_year(other) > statutory().first_year(template) or doubted_year(report) is not None
    for rid, cols in data.items():
        if rid in expected or (f"requests.{rid}" in missing and all(v is None for v in cols.values())):
            continue  # a row of the other format the report does not print is not its layout
        label = table.row_by_id(rid).label_for(other)
        split = "、".join(r.label_for(template) for r in table.rows_for(template) if r.id.startswith(rid + "."))
        hint = f"（{template}年格式应分列：{split}）" if split else ""
        yield get("FORM-TEMPLATE-ROWS").finding(
            f"requests.{rid}", f"本报告应使用{template}年格式，但表三为{other}年格式的“{label}”一行{hint}",
            severity="warning" if note else None)


# A figure the section's text states with its unit, in its clause (本年制发规章0件): the numbers are there as text.
_STATED_FIGURE = re.compile(r"[^，,。；;\n]{0,20}?\d+(?:\.\d+)?\s*(?:件|万元)")


@rule("FORM-TABLE-MISSING", "warning", "三张统计表齐全",
      "国办公开办函〔2021〕30号格式：二、三、四部分以表格报告",
      "“二、主动公开政府信息情况”标题下没有统计表：各项数字以文字逐项列出（“1.规章：本年制发0件，本年废止0件，现行有效0件。”），"
      "或表格是图片、未随文发布")
def tables_present(report: Report) -> Iterator[Finding]:
    if not _statutory_report(report):
        return
    listed = {f.where for f in report.findings if f.rule == "PARSE-TABLE-LISTED"}
    for tid in TABLE_IDS:
        table = statutory().table_by_id(tid)
        if tid in listed:  # read from the section's text: the figures are there, the statutory table is not
            yield get("FORM-TABLE-MISSING").finding(
                tid, f"“{table.title}”没有按规定印成统计表，而以文字逐项列出各项数字（已按文字中写明的项目和栏目读取）")
            continue
        if report.tables.get(tid) is not None:
            continue
        section = report.sections.get(table.section)
        stated = _STATED_FIGURE.search(section.text or "") if section is not None else None
        if stated is not None:
            advice = f"该部分以文字写有数字（“{stated.group().strip()}”），但没有印成统计表，也未能按项目和栏目逐项读出，请核对原文"
        elif section is not None and section.present:
            advice = "章节标题在而表格内容缺失，表格可能是图片，请核对原文"
        else:
            advice = "可能是图片或未随文发布，请核对原文"
        yield get("FORM-TABLE-MISSING").finding(
            tid, f"未读到“{table.title}”表格（{advice}）；该表按缺失处理，不以0填充")


@rule("FORM-CELL-NULL", "warning", "表格单元格应填写数字（0也应填写）",
      "表格定义；空白、“/”、“无”不是数字", "“三(一)予以公开”一行的自然人一栏为空白")
def null_cells(report: Report) -> Iterator[Finding]:
    explained = {f.where for f in report.findings if f.rule.startswith("PARSE-")}
    # Every row or table a finding's place lies inside ("t.r" of "t.r.c"): one look-up per row.
    within = {w[:i] for w in explained for i, ch in enumerate(w) if ch == "."}
    tpl = template_of(report)
    for t in statutory().tables:
        data = report.tables.get(t.id)
        if not data:
            continue
        for row, cols in data.items():
            where = f"{t.id}.{row}"
            if where in explained or where in within or t.id in explained:
                continue
            nulls = [c for c, v in cols.items() if v is None]
            if nulls:
                labels = "、".join(col_label(t.id, c, tpl) for c in nulls)
                yield get("FORM-CELL-NULL").finding(where, f"“{row_label(t.id, row, tpl)}”一行的{labels}没有数值")


def row_label(tid: str, row: str, tpl: str) -> str:
    """A row's label in the template (its id when the template has no such row)."""
    try:
        return statutory().table_by_id(tid).row_by_id(row).label_for(tpl)
    except KeyError:
        return row


def col_label(tid: str, col: str, tpl: str) -> str:
    """A column's label in the template (its id when the template has no such column)."""
    try:
        return statutory().table_by_id(tid).column_by_id(col).label_for(tpl)
    except KeyError:
        return col
