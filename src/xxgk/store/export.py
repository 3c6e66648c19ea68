"""``export``: the matching reports as one row each, one column per cell (contract ids), and their findings.

Every stored report is a row, duplicates too: ``duplicate_of`` names the report standing for a duplicate's
agency-year (``standing.py``), so a sum over the rows with it blank counts each agency-year once.

CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) and Parquet write the findings
to a second file beside the first (``NAME-findings.csv``/``.parquet``); XLSX writes a second
sheet. The XLSX is for people: a header row of Chinese labels built from the declaration,
the ids in a second header row (for programs), both frozen, column widths, an autofilter.

Columns whose values are ids (``level``, ``scope``, ``severity``: what programs filter on) keep them, and
each has a ``*_name`` column beside it with what people read (政府, 跨报告, 警告), in every format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Engine, select

from xxgk.db import store_schema as schema
from xxgk.model import SEVERITY_NAMES
from xxgk.render.spreadsheet import frame_to_csv, xlsx_append
from xxgk.store.query import LEVELS, Filters, QueryError, cell_columns, list_reports, reports_query

Format = Literal["csv", "xlsx", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "parquet")

# Report metadata columns, with their Chinese headers.
META_LABELS = {
    "report_id": "报告编号", "agency": "机关", "agency_name": "报告所署机关名称", "agency_id": "机关编号",
    "province": "省", "city": "市", "county": "县（区）", "region": "地区", "level": "机关级别",
    "level_name": "机关级别（中文）", "year": "统计年度",
    "template": "格式", "published": "发布日期", "title": "标题", "errors": "错误数", "warnings": "警告数",
    "infos": "提示数", "source": "来源", "sha256": "文件 sha256", "part": "文件中第几份报告",
    "duplicate_of": "重复（同一机关同一年度以此编号的报告为准）",
}
FINDING_LABELS = {
    "report_id": "报告编号", "agency": "机关", "year": "统计年度", "scope": "范围", "scope_name": "范围（中文）",
    "rule": "规则", "severity": "级别", "severity_name": "级别（中文）", "where": "位置", "message": "说明",
    "quote": "原文", "related_report_id": "对照报告编号",
}
SCOPE_NAMES = {"report": "本报告", "collection": "跨报告"}
_CHUNK = 500


def reports_table(engine: Engine, filters: Filters | None = None) -> pd.DataFrame:
    """One row per matching report: metadata columns, then one column per cell named by its contract id."""
    listed = list_reports(engine, filters)
    listed["level_name"] = listed["level"].map(LEVELS)
    meta = listed[list(META_LABELS)]
    columns = cell_columns()
    ids = [int(i) for i in meta["report_id"]]
    values: dict[int, dict[str, float | None]] = {i: {} for i in ids}
    c = schema.Cell
    with engine.connect() as conn:
        for start in range(0, len(ids), _CHUNK):
            for row in conn.execute(select(c.report_id, c.table_id, c.row_id, c.column_id, c.value)
                                    .where(c.report_id.in_(ids[start:start + _CHUNK]))):
                values[row.report_id][f"{row.table_id}.{row.row_id}.{row.column_id}"] = row.value
    cells = pd.DataFrame.from_records([values[i] for i in ids], columns=[col.id for col in columns])
    for column in columns:
        cells[column.id] = cells[column.id].astype("Float64" if column.kind == "money" else "Int64")
    return pd.concat([meta.reset_index(drop=True), cells], axis=1)


def findings_table(engine: Engine, filters: Filters | None = None, *, rule: str | tuple[str, ...] | None = None,
                   severity: str | None = None) -> pd.DataFrame:
    """The findings on the matching reports (report and collection scope), by report; only those of ``rule`` (one
    id or several) and ``severity`` when given (``filters.rule`` picks the reports with such a finding, and keeps all
    their findings)."""
    if severity is not None and severity not in SEVERITY_NAMES:
        raise QueryError(f"问题级别应为 {'、'.join(SEVERITY_NAMES)} 之一：{severity}")
    f = schema.Finding
    base = reports_query(filters or Filters()).subquery("base")
    query = (select(f.report_id, base.c.agency, base.c.agency_name, base.c.year, f.scope, f.rule, f.severity,
                    f.location.label("where"), f.message, f.quote, f.related_report_id)
             .join(base, base.c.report_id == f.report_id).order_by(f.report_id, f.id))
    if rule is not None:
        query = query.where(f.rule.in_((rule,) if isinstance(rule, str) else rule))
    if severity is not None:
        query = query.where(f.severity == severity)
    with engine.connect() as conn:
        rows = [row._asdict() for row in conn.execute(query)]
    for row in rows:
        row["agency"] = row.pop("agency") or row["agency_name"]
        del row["agency_name"]
        row["scope_name"] = SCOPE_NAMES.get(row["scope"], row["scope"])
        row["severity_name"] = SEVERITY_NAMES.get(row["severity"], row["severity"])
    frame = pd.DataFrame.from_records(rows, columns=list(FINDING_LABELS))
    return frame.astype({"year": "Int64", "related_report_id": "Int64"})


def findings_path(path: Path, fmt: Format) -> Path:
    """Where the findings go beside ``path`` (``out.csv`` → ``out-findings.csv``)."""
    return path.with_name(f"{path.stem}-findings.{fmt}")


def export(engine: Engine, path: Path, fmt: Format, filters: Filters | None = None) -> list[Path]:
    """Write the matching reports and their findings; returns the files written."""
    if fmt not in FORMATS:
        raise QueryError(f"导出格式应为 {'、'.join(FORMATS)} 之一：{fmt}")
    if not path.parent.is_dir():
        raise QueryError(f"输出文件夹不存在：{path.parent}")
    reports = reports_table(engine, filters)
    findings = findings_table(engine, filters)
    try:
        if fmt == "csv":
            frame_to_csv(reports, path, encoding="utf-8-sig")
            frame_to_csv(findings, findings_path(path, fmt), encoding="utf-8-sig")
            return [path, findings_path(path, fmt)]
        if fmt == "parquet":
            _parquet(reports, path, _labels())
            _parquet(findings, findings_path(path, fmt), FINDING_LABELS)
            return [path, findings_path(path, fmt)]
        _xlsx(reports, findings, path)
    except ImportError as err:
        raise QueryError(f"导出 {fmt} 需要安装 openpyxl 和 pyarrow：pip install 'xxgk[export]'") from err
    except OSError as err:
        raise QueryError(f"无法写入：{path}（{err.strerror or err}）") from err
    return [path]


def _labels() -> dict[str, str]:
    """Chinese header of every column of ``reports_table``."""
    return {**META_LABELS, **{c.id: c.label for c in cell_columns()}}


def _parquet(frame: pd.DataFrame, path: Path, labels: dict[str, str]) -> None:
    """A Parquet file whose fields carry their Chinese label in the field metadata (``label``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [field.with_metadata({"label": labels.get(field.name, field.name)}) for field in table.schema]
    pq.write_table(table.cast(pa.schema(fields, metadata=table.schema.metadata)), path)


def _xlsx(reports: pd.DataFrame, findings: pd.DataFrame, path: Path) -> None:
    """The workbook: a sheet of reports and a sheet of findings, each with two header rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    first = book.active
    assert first is not None
    first.title = "报告"
    _sheet(first, reports, _labels(), frozen_columns=2)
    _sheet(book.create_sheet("问题"), findings, FINDING_LABELS, frozen_columns=1)
    book.save(path)


def _sheet(sheet: Any, frame: pd.DataFrame, labels: dict[str, str], frozen_columns: int) -> None:
    """Chinese labels in row 1, ids in row 2, then the data; frozen, filtered, sized."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    xlsx_append(sheet, [labels.get(c, c) for c in frame.columns])
    xlsx_append(sheet, list(frame.columns))
    for record in frame.itertuples(index=False):
        xlsx_append(sheet, [None if pd.isna(v) else v for v in record])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, wrap
    for cell in sheet[2]:
        cell.font = Font(color="808080", size=8)
    sheet.row_dimensions[1].height = 60
    for index, name in enumerate(frame.columns, start=1):
        wide = name in ("title", "message", "source", "quote", "agency", "agency_name")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 14
    sheet.freeze_panes = sheet.cell(row=3, column=frozen_columns + 1)
    last = get_column_letter(max(1, len(frame.columns)))
    sheet.auto_filter.ref = f"A2:{last}{max(2, len(frame) + 2)}"
