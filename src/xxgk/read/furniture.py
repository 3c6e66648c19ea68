"""Page furniture: what a printer or a browser adds at the top and bottom of every page.

A browser's print to PDF puts the date and time of printing and the page's title in a header,
the page's address and ``1/3`` in a footer; office documents carry running heads and page
numbers. None of it belongs to the report, and a header line read as text makes the printing
date look like a publication date and the page title look like the agency. Furniture is told
from the report's own lines, whatever the file, by two signs: a line at the edge of the page
repeated at the same place on most pages (page numbers counted as equal), and the shapes that
printers use (a printing stamp, a bare address, a page counter) at the edge of a page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

# How far from the top or bottom edge (a share of the page height) furniture stands.
EDGE_BAND = 0.12
# Repeated lines are furniture when they stand on at least this share of the pages (and two).
REPEATED_SHARE = 0.5
# How far (points) the same furniture may move from page to page.
_PLACE_TOLERANCE = 4.0
_DIGITS = re.compile(r"\d+")
_PRINT_STAMP = re.compile(  # 12/3/26, 6:33 PM · 2026/12/3 18:33 · 2026-12-03 下午6:33:05
    r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(?:(?:上午|下午|AM|PM)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s|$)"
)
_ADDRESS = re.compile(r"^(?:https?|file)://\S+(?:\s+\d+\s*/\s*\d+)?$|^\d+\s*/\s*\d+\s+(?:https?|file)://\S+$", re.I)
_COUNTER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|[-—–－]\s*\d+\s*[-—–－]"
    r"|(?:Page|页码)\s*[:：]?\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*of\s*\d+)$",
    re.I,
)
# A number alone is a page number only at the foot of a page, and never 0: at the head of a page it is as
# likely a table's value carried over a page break (a narrow table's 行政 / 0 / 许可).
_PAGE_NUMBER = re.compile(r"[1-9]\d{0,2}")


@dataclass(frozen=True, slots=True)
class PageLines:
    """A page's height and its items top to bottom: (top, bottom, text), text None for a table row."""

    height: float
    items: list[tuple[float, float, str | None]]


def page_furniture(pages: list[PageLines]) -> list[set[int]]:
    """Tell, for each page, the indexes of its items that are page furniture."""
    edges = [_edge_lines(page) for page in pages]
    found: list[set[int]] = [{i for i in edge if _looks_like_furniture(page.items[i][2] or "",
                                                                      page.items[i][0] > page.height / 2)}
                             for page, edge in zip(pages, edges, strict=True)]
    # Lines at the same place with the same text (numbers aside) on most pages.
    places: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for p, (page, edge) in enumerate(zip(pages, edges, strict=True)):
        for i in edge:
            top, _, text = page.items[i]
            places[_shape(text or "")].append((p, i, top))
    needed = max(2.0, REPEATED_SHARE * len(pages))
    for seen in places.values():
        for _, _, top in seen:
            same = [(p, i) for p, i, other in seen if abs(other - top) <= _PLACE_TOLERANCE]
            if len({p for p, _ in same}) >= needed:
                for p, i in same:
                    found[p].add(i)
    return found


def _edge_lines(page: PageLines) -> list[int]:
    """The text lines standing at the top or bottom edge of a page: outside every table and body line."""
    band = EDGE_BAND * page.height
    out: list[int] = []
    for order in (range(len(page.items)), range(len(page.items) - 1, -1, -1)):
        for i in order:
            top, bottom, text = page.items[i]
            near = bottom <= band if order.step == 1 else top >= page.height - band
            if text is None or not near:
                break
            out.append(i)
    return sorted(set(out))


def _shape(text: str) -> str:
    """A line's text with its numbers made alike (page numbers, times) and no spaces."""
    return _DIGITS.sub("#", "".join(text.split()))


def _looks_like_furniture(text: str, foot: bool) -> bool:
    """Tell the lines printers add: a printing stamp (and the title after it), an address, a page counter
    (``foot``: the line stands at the foot of the page)."""
    text = text.strip()
    return bool(_PRINT_STAMP.match(text) or _ADDRESS.match(text) or _COUNTER.match(text)
                or (foot and _PAGE_NUMBER.fullmatch(text)))


# How many lines at each edge of a text page are looked at (a header or footer is a line or two).
_TEXT_EDGE_LINES = 3


def strip_text_furniture(text: str) -> str:
    """Blank (with spaces) the furniture lines of text split into pages by form feeds (``pdftotext``'s output of a
    printed page): a printing stamp, an address, a page counter at the edge of a page, or its page number
    alone at its foot. Only the shapes printers use: a line repeated on every page may be the report's."""
    pages = text.split("\f")
    if len(pages) < 2:
        return text
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        lines = page.split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for edge, foot in ((filled[:_TEXT_EDGE_LINES], False), (filled[::-1][:_TEXT_EDGE_LINES], True)):
            for i in edge:  # from the edge inwards, up to the first line of the report's own
                line = lines[i].strip()
                if not (_looks_like_furniture(line, False) or (foot and line == str(number))):
                    break
                lines[i] = " " * len(lines[i])  # same length: offsets still point into the file's text
        out.append("\n".join(lines))
    return "\f".join(out)


# A running head is the report's (or a compilation's) title: what a line beside page counters must name to be one.
_TITLE_WORDS = re.compile(r"报告|汇编|年报")


def strip_running_heads(text: str) -> str:
    """Blank (with spaces) the running heads of text whose pages show only by their counters (``— 3 —``): a title
    standing next to a page counter (the first filled line after it or the last before it), word for word, beside
    at least two counters, or beside one when it is also the text's first line. Its first appearance in the text
    stays: the title itself, or where a compilation's next report begins on a new page."""
    lines = text.split("\n")
    counters = [i for i, line in enumerate(lines) if line.strip() and _COUNTER.match(line.strip())]
    if len(counters) < 2:
        return text
    beside: dict[str, set[int]] = defaultdict(set)
    for c in counters:
        for j in (_filled(lines, c, 1), _filled(lines, c, -1)):
            key = "".join(lines[j].split()) if j is not None else ""
            if j is not None and _TITLE_WORDS.search(key) and not _COUNTER.match(key):
                beside[key].add(j)
    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        key = "".join(line.split())
        if key in beside:
            first.setdefault(key, i)
    # Beside two counters; or beside one, again after the very first line of the text (a two-page report's title).
    top = _filled(lines, -1, 1)
    heads = {key: at for key, at in beside.items() if len(at) >= 2 or (first[key] == top and at - {top})}
    if not heads:
        return text
    for key, at in heads.items():
        for j in at - {first[key]}:
            lines[j] = " " * len(lines[j])  # same length: offsets still point into the file's text
    return "\n".join(lines)


def _filled(lines: list[str], start: int, step: int) -> int | None:
    """The index of the first line holding text from ``start`` (excluded) in the direction ``step``."""
    i = start + step
    while 0 <= i < len(lines):
        if lines[i].strip():
            return i
        i += step
    return None
