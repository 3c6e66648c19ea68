"""A report's contract JSON → the rows the store keeps of it (made in the workers, written by the parent)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from xxgk.db.engine import JsonText
from xxgk.store.prints import report_prints

Cell = tuple[str, str, str, float | None]  # table, row, column, value
FindingTuple = tuple[str, str, str, str, str | None]  # rule, severity, where, message, quote


@dataclass(frozen=True, slots=True)
class ReportRows:
    """What one report becomes: ``reports`` columns (with its text's prints), its JSON (serialised once), cells and
    findings."""

    columns: dict[str, Any]
    data: JsonText
    cells: list[Cell]
    findings: list[FindingTuple]
    wording: str | None  # the report's opening text: tells a government's office from the government


def report_rows(data: dict[str, Any]) -> ReportRows:
    """Turn a report's contract JSON into its rows."""
    meta = data.get("meta") or {}
    findings = [(str(f.get("rule", ""))[:64], str(f.get("severity", "info")), str(f.get("where") or "")[:200],
                 str(f.get("message", "")), f.get("quote")) for f in data.get("findings") or []]
    severities = [f[1] for f in findings]
    agency = meta.get("agency")
    columns = {
        "agency_name": str(agency)[:200] if agency else None,
        "year": meta.get("year") if isinstance(meta.get("year"), int) else None,
        "template": meta.get("template"),
        "title": meta.get("title"),
        "published": _date(meta.get("published")),
        "errors": severities.count("error"),
        "warnings": severities.count("warning"),
        "infos": severities.count("info"),
        "prints": report_prints(data),  # here, in the worker: the writer only stores and indexes them
    }
    return ReportRows(columns, JsonText(json.dumps(data, ensure_ascii=False)), list(cells_of(data)), findings,
                      meta.get("preamble"))


def cells_of(data: dict[str, Any]) -> list[Cell]:
    """The long table: one row per cell of the report's tables (blank cells with value None)."""
    out: list[Cell] = []
    for table_id, table in (data.get("tables") or {}).items():
        for row_id, columns in (table or {}).items():
            for column_id, value in (columns or {}).items():
                number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
                out.append((table_id, row_id, column_id, number))
    return out


def _date(text: Any) -> date | None:
    """An ISO date, or None for anything else (the JSON keeps the text as read)."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
