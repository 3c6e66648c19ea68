"""A report → the files the pages offer: contract JSON and an XLSX of its cells and findings."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook

from xxgk.model import SEVERITY_NAMES, Report
from xxgk.render.outline import report_template, report_title
from xxgk.render.spreadsheet import xlsx_append
from xxgk.templates import statutory

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_json(report: Report) -> bytes:
    """The contract JSON (xxgk.report/1), UTF-8."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def report_xlsx(report: Report) -> bytes:
    """A workbook: one row per cell of the statutory tables (labels and ids), then the findings."""
    template = report_template(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "表格"
    xlsx_append(sheet, ["表", "行", "列", "id", "数值"])
    for table in statutory().tables:
        data = report.tables.get(table.id)
        for row in table.rows_for(template):
            for column in table.row_columns(row, template):
                value = data.get(row.id, {}).get(column.id) if data is not None else None
                xlsx_append(sheet, [table.title, row.label_for(template), column.label_for(template),
                                    f"{table.id}.{row.id}.{column.id}", value])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    findings = book.create_sheet("问题")
    xlsx_append(findings, ["级别", "规则", "位置", "说明", "原文"])
    for f in report.findings:
        xlsx_append(findings, [SEVERITY_NAMES.get(f.severity, f.severity), f.rule, f.where, f.message, f.quote or ""])
    findings.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(body: bytes, media_type: str, report: Report, suffix: str) -> Response:
    """A download response named after the report (RFC 5987 for the Chinese name)."""
    return download(body, media_type, (report_title(report) or "报告")[:80] + suffix, "report" + suffix)


def download(body: bytes, media_type: str, name: str, ascii_name: str) -> Response:
    """A download response: ``name`` for browsers that read RFC 5987, ``ascii_name`` (plain ASCII) for the others."""
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})
