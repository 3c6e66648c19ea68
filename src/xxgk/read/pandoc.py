"""Pandoc's Markdown marks in a converted page: attributes, bracketed spans and fenced divs.

``pandoc -t markdown`` keeps what a page's markup said about its text: a Word-pasted cell's
``<span lang="EN-US" style="…">24</span>`` becomes ``[24]{lang="EN-US" style="…"}``, a heading's
id and class ``# 标题 {#标题 .art-title}``, a ``<div class="xxgk-info">`` a fence ``::: xxgk-info``.
In a grid table the span is wrapped at the column's width: ``[24]{lang="EN-US"`` on one line,
``style="…"}`` on the next, in the same cell. Read as text (the same output arrives as ``.md`` and
``.txt``, and no Markdown renderer knows these marks), every number of such a table is ``[24]{…``,
no number, and a heading with ``{#…}`` is no title. The marks are taken away, the text they wrap
stays. Only pandoc's attribute syntax is taken (``#id``, ``.class``, ``key="value"``): a ``{…}`` in a
report's prose (a formula, a placeholder) is text.
"""

from __future__ import annotations

import re

# One attribute as pandoc writes it: #id, .class, key="value" (pandoc quotes every value, escaping ``"``).
_ATTR = r'(?:#[^\s{}"]+|\.[A-Za-z_][\w-]*|[A-Za-z_][\w:.-]*="(?:[^"\\\n]|\\.)*")'
# A list of them; between two, spaces or one line break (a grid cell wraps a long list). The spaces before a
# break are taken whole: two optional runs side by side would try every split of a cell's padding.
_ATTRS = rf"{_ATTR}(?:(?:[ \t]+|[ \t]*\n[ \t]*){_ATTR})*"
# A span's text: no bracket, no cell border, no blank line (a span is inside one paragraph); a link
# inside (``[大](javascript:;)``) is allowed.
_TEXT = r"(?:[^\[\]|\n]|\n(?![ \t]*\n)|\[[^\[\]|\n]*\](?:\([^()\s|]*\))?)*"
# ``[text]{attrs}`` on one line (the attributes may wrap onto the next).
_SPAN = re.compile(rf"\[({_TEXT})\]\{{[ \t]*{_ATTRS}[ \t]*\}}")
# A grid cell's wrapped span: ``[24]{lang="EN-US"`` ending the cell's line, ``style="…"}`` the next line's cell.
_SPAN_OPEN = re.compile(rf"\[({_TEXT})\]\{{[ \t]*{_ATTRS}[ \t]*(?=\||$)", re.MULTILINE)
_SPAN_TAIL = re.compile(rf"(?<=\|)([ \t]*){_ATTRS}[ \t]*\}}(?=[ \t]*\|)")
# A heading's attributes: ``# 标题 {#标题 .art-title}``.
# (The spaces before the braces are tried where their run begins: inside a run each would be tried again.)
_HEADING_ATTRS = re.compile(rf"^(#{{1,6}}[ \t].*?)(?<![ \t])[ \t]+\{{[ \t]*{_ATTRS}[ \t]*\}}[ \t]*$", re.MULTILINE)
# A fenced div's fence: ``::: xxgk-info``, ``:::: {#zoom .art-con}``, ``:::``.
_FENCE = re.compile(
    rf"^[ \t]*:{{3,}}(?:[ \t]*(?:[A-Za-z_][\w-]*|\{{[ \t]*{_ATTRS}[ \t]*\}}))?(?:[ \t]+:+)?[ \t]*$", re.MULTILINE
)
# Spans nest (Word's ``[[24]{lang="EN-US"}]{style="…"}``); more levels than this are no page's.
_ROUNDS = 4


def strip_pandoc_marks(text: str) -> str:
    """The text without pandoc's attributes, bracketed spans and div fences (the spans' text stays)."""
    if "]{" not in text and "{#" not in text and ":::" not in text:
        return text
    text = _FENCE.sub("", text)
    text = _HEADING_ATTRS.sub(r"\1", text)
    for _ in range(_ROUNDS):
        stripped = _SPAN.sub(_kept, text)
        if stripped == text:
            break
        text = stripped
    if "|" in text:
        text = _SPAN_OPEN.sub(_kept_in_row, text)
        text = _SPAN_TAIL.sub(_blank, text)
    return text


def _kept(m: re.Match[str]) -> str:
    """A span's text, padded to the span's width inside a table row (its cells' borders stay in their columns)."""
    inner = m.group(1)
    if "\n" in m.group() or not _in_table_row(m):
        return inner
    return inner + " " * (len(m.group()) - len(inner))


def _kept_in_row(m: re.Match[str]) -> str:
    """A wrapped span's opening in a table row, as its text; elsewhere (its tail is prose) as written."""
    return _kept(m) if _in_table_row(m) else m.group()


def _blank(m: re.Match[str]) -> str:
    """Spaces for a wrapped span's attributes (the cell's line has no text of its own)."""
    return " " * len(m.group())


def _in_table_row(m: re.Match[str]) -> bool:
    """Whether the match is inside a line that begins with a cell border."""
    start = m.string.rfind("\n", 0, m.start()) + 1
    return m.string[start : m.start()].lstrip().startswith("|")
