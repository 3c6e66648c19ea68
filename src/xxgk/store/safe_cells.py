"""One cell of a CSV or XLSX file xxgk writes, made safe to open in a spreadsheet (no formula injection).

Text from reports, rosters and sites is untrusted: a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be taken for a formula by Excel or WPS. Such text is written
with a leading apostrophe, so it shows as the text it is. Numbers stay numbers.

(One shared helper for every file xxgk writes is being added in parallel; this function is the
one place the roster, monitor and circular files call, to be pointed at it.)
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as written to a cell: numbers and None as they are, text that could start a formula quoted."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
