"""Every CSV and XLSX cell xxgk writes passes through here: text is written so no spreadsheet runs it.

Excel, WPS and LibreOffice take a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
a line break before one) as a formula — ``=HYPERLINK(…)`` or a DDE call that starts a program.
Report text (a finding's quote) and register fields come from strangers, so (CSV/formula injection):

- XLSX: text is always a string cell (never a formula cell) and, when it looks like a formula,
  carries Excel's own quote prefix, so that editing the cell does not turn it into one either.
  The value itself is unchanged.
- CSV has no cell types: text that looks like a formula gets a leading apostrophe (``'=1+1``),
  which spreadsheet programs show as text, and every text field is quoted (a ``;`` inside a field
  cannot start a new cell where ``;`` is the separator). ``restore_text`` undoes the apostrophe
  when xxgk reads its own CSV back (``xxgk register import``); a text that itself starts with an
  apostrophe gets a second one, so the round trip is exact.

Numbers stay numbers: ``-1`` in a numeric column is data, written as a number; the text ``-1+1``
is text and is neutralised. Writers: ``csv_writer``/``csv_row`` and ``frame_to_csv`` for CSV,
``xlsx_append`` for openpyxl sheets. docs/security.md ("Files we write") lists every writer.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

# What makes a spreadsheet read a cell as a formula (ASCII, and the full-width forms that
# East Asian input methods type and some programs accept), and the controls that may precede it.
FORMULA_START = frozenset("=+-@＝＋－＠")
_CONTROL_START = frozenset("\t\r\n")
# White space a program may skip before looking for the formula sign.
_LEADING_SPACE = " \u3000\u00a0\t\r\n"
QUOTE = "'"
# Characters an XLSX file cannot hold (openpyxl refuses them): shown as U+FFFD instead.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could take this text for a formula (or a control-led cell)."""
    if not text:
        return False
    return text[0] in _CONTROL_START or text.lstrip(_LEADING_SPACE)[:1] in FORMULA_START


def cell_text(value: Any) -> Any:
    """A value as a CSV cell: text that could run gets a leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and (looks_like_formula(value) or value.startswith(QUOTE)):
        return QUOTE + value
    return value


def restore_text(value: Any) -> Any:
    """The inverse of ``cell_text`` for a CSV xxgk wrote: the one apostrophe it added is removed."""
    if isinstance(value, str) and value.startswith(QUOTE) and len(value) > 1:
        rest = value[1:]
        if looks_like_formula(rest) or rest.startswith(QUOTE):
            return rest
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a DataFrame whose text cells are CSV-safe (numeric columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind not in "iufcbmM":  # numbers, booleans and dates are data
            out[column] = out[column].map(cell_text, na_action="ignore")
    return out


def frame_to_csv(frame: pd.DataFrame, target: Any, **options: Any) -> None:
    """``frame.to_csv`` with every text cell made safe and quoted; numbers written as numbers."""
    safe_frame(frame).to_csv(target, index=False, quoting=csv.QUOTE_NONNUMERIC, **options)


def csv_writer(stream: IO[str]) -> Any:
    """A csv.writer that quotes every text field (numbers stay bare); write rows with ``csv_row``."""
    return csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC)


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row's values ready for ``csv_writer``: text made safe, None as an empty field."""
    return ["" if v is None else cell_text(v) for v in values]


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: the control characters XML forbids shown as U+FFFD."""
    return _XLSX_ILLEGAL.sub("\ufffd", text)


def xlsx_append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet: text as string cells (never formulas), numbers as numbers."""
    row = list(values)
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
