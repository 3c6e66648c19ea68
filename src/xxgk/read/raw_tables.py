"""A page's tables left as HTML in the text a converter made of it.

html2text with ``bypass_tables`` (and converters told to keep what they cannot write as Markdown)
writes a table as its tags, one per line, the cells' words between them: ``<table>``, ``<tr>``,
``<td>``, ``第二十条第（一）项``, ``</td></tr>``. Neither a Markdown renderer (raw HTML is shown as text)
nor the text reader knows a tag: every cell is a line of its own and no row has its numbers.
Such a table is written as the converter's ordinary tables are, a row of cells per line between
``|``, with the ``---`` rule under the first (html2text's own form, read alike as text and as
Markdown). Only tables of table tags and the inline tags a cell holds are taken.
"""

from __future__ import annotations

import re
from html import unescape

_TABLE_START = re.compile(r"<table\b[^<>]*>", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
# The tags a converter's table holds: its own, and what a cell's words may carry.
_KNOWN = frozenset({"table", "thead", "tbody", "tfoot", "caption", "colgroup", "col", "tr", "td", "th",
                    "p", "br", "span", "font", "div", "strong", "b", "em", "i", "u", "sup", "sub"})
_ROW = re.compile(r"<tr\b[^<>]*>", re.IGNORECASE)
_CELL = re.compile(r"<t[dh]\b[^<>]*>(.*?)(?=<t[dh]\b|</tr\b|\Z)", re.IGNORECASE | re.DOTALL)
_PIPE = re.compile(r"(?<!\\)\|")


def tables_as_rows(text: str) -> str:
    """The text with each table left as HTML tags written as rows of ``|``-separated cells."""
    if "<t" not in text and "<T" not in text:
        return text
    parts: list[str] = []
    kept = 0
    # Each table from its start to the first end after it, found by two forward searches: a page of
    # unclosed ``<table>`` tags costs one pass, not one pass per tag.
    while (start := _TABLE_START.search(text, kept)) and (end := _TABLE_END.search(text, start.end())):
        parts += [text[kept : start.start()], _rows(text[start.end() : end.start()]) or text[start.start() : end.end()]]
        kept = end.end()
    parts.append(text[kept:])
    return "".join(parts)


def _rows(inner: str) -> str | None:
    """A table's rows, one line each, a ``---`` rule under the first (None: it holds other tags, or no cell)."""
    if any(tag.group(1).lower() not in _KNOWN for tag in _TAG.finditer(inner)):
        return None
    rows = [[_cell_text(cell) for cell in _CELL.findall(part)] for part in _ROW.split(inner)[1:]]
    rows = [row for row in rows if row]
    if not rows:
        return None
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n\n" + "\n".join(lines) + "\n\n"


def _cell_text(cell: str) -> str:
    """A cell's words on one line: tags gone, references decoded, a ``|`` of its own escaped."""
    words = " ".join(unescape(_TAG.sub(" ", cell)).split())
    return _PIPE.sub(r"\\|", words)
