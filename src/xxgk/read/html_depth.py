"""What would make the HTML parser's time explode, found before it sees a page: deep nesting, and
many open formatting elements with many attributes.

The parser's work grows with the depth of its stack of open elements for every tag it meets
(the audit's 100,000 nested ``<div>``, 1.1 MB, took 53 s), so a page nested deeper than any
real report is refused before it is parsed. The count follows the parser's own rules where
they keep a page flat (void elements, ``<p>``, ``<li>``, table cells and rows closed by the
next one, text inside ``<script>``, end tags closing what they match), so that sloppy real
pages are not overcounted; pages that really nest (unclosed ``<div>``, ``<font>``, ``<span>``)
are counted as deep as the parser will build them. The watched process bounds the time anyway.

The count is a walk in Python over every tag (a third of the time of reading a 170 KiB site
page), so it runs only where it can matter: a page cannot nest deeper than a small multiple of
its number of tags (each opens at most one element, plus the few the parser adds: ``tbody`` and
``tr`` around a bare cell), and ``text.count("<")`` bounds that at C speed. Up to
``SCAN_ABOVE_TAGS`` tags the parser's worst case, measured on the shapes that cost it most per
tag (nested ``<div>``, ``<blockquote>``, lists, tables, ``<b>`` with distinct attributes), is a
fraction of a second (5,000 tags: 0.05 s for nested ``<div>``, 0.25 s for distinct ``<b>``), so
such a page is parsed whatever its depth; the reader walks the tree with loops, never recursion.

The parser's time also grows with formatting elements (``<b>``, ``<font>``, ``<a>``…) that carry
many attributes: each new one is compared, attribute by attribute, with those still open (the
standard's "Noah's Ark" clause), at any depth. 990 ``<b>`` of 200 attributes each (1.2 MB, 990
levels: under the depth limit) took Lexbor 42 s, 4,900 of 15 attributes 12.5 s. So a page whose
open formatting elements would cost the parser more than about two seconds is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xxgk.read.document import ReadError

# Real report pages nest a few dozen levels; Chromium's parser stops nesting at 512.
MAX_DEPTH = 1000
# Pages with no more tags than this are parsed without counting (see above): real report pages
# have 500–4,000 (a report pasted from Word inside a site's menus and footer).
SCAN_ABOVE_TAGS = 5000
DEPTH_MESSAGE = "网页的标签嵌套过深（超过 {limit} 层），无法读取（文件可能已损坏或是恶意构造的）"
# What the parser may spend comparing formatting elements, in nanoseconds (measured on Lexbor: each
# new one costs about 18 ns per element still open and 4 ns per pair of attributes compared with
# one of its name: 4,900 <b> of 6 attributes 2.6 s, of 15 attributes 12.5 s, 5,000 of one 0.22 s).
FORMATTING_BUDGET_NS = 2e9
_NS_PER_OPEN, _NS_PER_ATTRIBUTE_PAIR = 18, 4
FORMATTING_MESSAGE = "网页中未闭合的带属性格式标签过多（{count} 个），无法读取（文件可能已损坏或是恶意构造的）"
_FORMATTING_TAG = re.compile(r"<(/?)(a|b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u)(?=[\s/>])([^>]*)",
                             re.IGNORECASE)
# Tags in a lower-cased page: (an end tag's "/", the name, the rest: self-closing if it ends with "/").
# Greedy up to the first ">" (a lazy match that looks for "/>" at every character costs three times as much).
_TAG = re.compile(r"<(/?)([a-z][^\s/>]*)([^>]*)>")
# fmt: off
_VOID = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
})
# There is one of each, however often they are written.
_ONCE = frozenset({"html", "head", "body"})
# Start tags that close an open <p> first.
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "dd", "dt",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A start tag closes the nearest open element of its group, unless a boundary is open nearer.
_SCOPE = frozenset({"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"})
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "p": (frozenset({"p"}), _SCOPE | {"button"}),
    "li": (frozenset({"li"}), _SCOPE | {"ul", "ol", "menu"}),
    "dt": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "dd": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "td": (frozenset({"td", "th"}), frozenset({"table", "html", "template"})),
    "th": (frozenset({"td", "th"}), frozenset({"table", "html", "template"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "html", "template"})),
    "thead": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table", "html", "template"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table", "html", "template"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table", "html", "template"})),
    "caption": (frozenset({"caption"}), frozenset({"table", "html", "template"})),
    "table": (frozenset({"table"}), frozenset({"td", "th", "caption", "html", "template"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup", "html"})),
    "optgroup": (frozenset({"optgroup", "option"}), frozenset({"select", "html"})),
    "a": (frozenset({"a"}), _SCOPE),
    "nobr": (frozenset({"nobr"}), _SCOPE),
    "button": (frozenset({"button"}), _SCOPE),
    "form": (frozenset({"form"}), frozenset({"html"})),
}
# fmt: on
_FOREIGN = ("svg", "math")
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_SCOPE = frozenset({"html", "table", "template"})
# Where an end tag stops looking for its element (the HTML standard's scopes); others: the default scope.
_END_SCOPE: dict[str, frozenset[str]] = {
    "p": _SCOPE | {"button"},
    "li": _SCOPE | {"ul", "ol"},
    **dict.fromkeys(("td", "th", "tr", "thead", "tbody", "tfoot", "caption", "table"), _TABLE_SCOPE),
    **dict.fromkeys(("option", "optgroup", "select"), frozenset({"html", "template", "table"})),
}
# What holds no tags: comments, and the text of elements whose content is text (up to their end
# tag, or the end of the page when it has none: each match ends where it can, so linear time).
_HIDDEN = re.compile(r"<!--.*?(?:--!?>|\Z)|<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b"
                     r".*?(?:</\1[\s/>]|\Z)", re.S)
_SPECIAL = _VOID | _ONCE | _CLOSES_P | _HEADINGS | frozenset(_IMPLIED)


def check_nesting(page: str | bytes, limit: int = MAX_DEPTH, scan_above: int = SCAN_ABOVE_TAGS) -> None:
    """Refuse a page the parser would take too long over (a ReadError in Chinese).

    That is a page of more than ``scan_above`` tags whose elements nest deeper than ``limit`` (a page
    of fewer tags costs the parser little at any depth: it is not counted), or one of many formatting
    tags with many attributes (the module's docstring). ``page``: its text, or its UTF-8 bytes (counted
    as they are: "<" and "=" are one byte each in UTF-8, never part of another character's bytes).
    """
    tags, equals = _count(page, "<"), _count(page, "=")
    if tags > max(limit, scan_above) and nesting_depth(_text(page), limit) > limit:
        raise ReadError(DEPTH_MESSAGE.format(limit=limit))
    # An estimate that errs high, from the page's numbers of "<" and "=" (C speed): most pages stop here.
    if (_NS_PER_OPEN * tags**2 + _NS_PER_ATTRIBUTE_PAIR * equals**2) / 2 > FORMATTING_BUDGET_NS:
        cost, count = formatting_cost(_text(page))
        if cost > FORMATTING_BUDGET_NS:
            raise ReadError(FORMATTING_MESSAGE.format(count=count))


def _count(page: str | bytes, char: str) -> int:
    """How often an ASCII character stands in the page (text, or UTF-8 bytes: faster to count)."""
    return page.count(char) if isinstance(page, str) else page.count(char.encode("ascii"))


def _text(page: str | bytes) -> str:
    """The page as text (UTF-8 bytes decoded: only for the rare pages that are scanned tag by tag)."""
    return page if isinstance(page, str) else page.decode("utf-8")


def formatting_cost(text: str) -> tuple[float, int]:
    """Turn a page into the nanoseconds the parser may spend comparing formatting elements (erring high)
    and the most formatting elements open at once.

    Each start tag is compared with the formatting elements still open; an end tag closes the last of
    its name. What else closes them (a block's end, a table cell) is ignored: the estimate only errs high.
    """
    attributes: dict[str, list[int]] = {}  # per name, the attributes of each open element
    sums: dict[str, int] = {}
    open_now = most = 0
    cost = 0.0
    for closing, name, rest in _FORMATTING_TAG.findall(text):
        name = name.lower()
        stack = attributes.setdefault(name, [])
        if closing:
            if stack:
                sums[name] -= stack.pop()
                open_now -= 1
            continue
        count = rest.count("=")
        cost += _NS_PER_OPEN * open_now + _NS_PER_ATTRIBUTE_PAIR * count * sums.get(name, 0)
        stack.append(count)
        sums[name] = sums.get(name, 0) + count
        open_now += 1
        most = max(most, open_now)
    return cost, most


def nesting_depth(text: str, stop_above: int = MAX_DEPTH) -> int:
    """The deepest nesting of elements in a page as the parser would build it (counting stops past ``stop_above``)."""
    stack = _OpenElements()
    names, where, scopes = stack.names, stack.where, stack.scopes
    special, scope = _SPECIAL, _SCOPE
    deepest = 0
    for closing, name, rest in _tags(_HIDDEN.sub(" ", text.lower())):
        if closing:
            if names and names[-1] == name:  # the usual case: it closes the element just opened
                names.pop()
                where[name].pop()
                if scopes and scopes[-1] >= len(names):
                    scopes.pop()
            elif where.get(name):
                stack.close(name)
            continue
        if name in special:
            if name in _VOID or name in _ONCE:
                continue
            stack.implied_by(name)
            if name == "form" and where.get("form"):
                continue  # a form inside a form is dropped
        elif rest.endswith("/") and stack.foreign():
            continue
        position = len(names)
        names.append(name)
        if name in where:
            where[name].append(position)
        else:
            where[name] = [position]
        if name in scope:
            scopes.append(position)
        if position >= deepest:
            deepest = position + 1
            if deepest > stop_above:
                break
    return deepest


def _tags(page: str, chunk: int = 1 << 20) -> Iterator[tuple[str, str, str]]:
    """The tags of a page a chunk at a time (a page of millions of tags is not listed whole in memory)."""
    start = 0
    while start < len(page):
        end = len(page) if start + chunk >= len(page) else page.rfind("<", start + 1, start + chunk)
        if end <= start:  # no tag begins in this chunk's second half and beyond: take it all
            end = min(len(page), start + chunk)
        yield from _TAG.findall(page, start, end)
        start = end


class _OpenElements:
    """The parser's stack of open elements, with where each name is open and where scopes begin (O(1) look-ups)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.where: dict[str, list[int]] = {}
        self.scopes: list[int] = []  # positions of the open elements that bound the default scope

    def push(self, name: str) -> None:
        position = len(self.names)
        self.names.append(name)
        if name in self.where:
            self.where[name].append(position)
        else:
            self.where[name] = [position]
        if name in _SCOPE:
            self.scopes.append(position)

    def foreign(self) -> bool:
        """Whether inside SVG or MathML (where ``<x/>`` closes itself)."""
        return any(self.where.get(name) for name in _FOREIGN)

    def close(self, name: str) -> None:
        """An end tag: close the nearest open element of that name and what is inside it, if it is in scope."""
        position = self.where[name][-1]
        if position <= self._boundary(_END_SCOPE.get(name, _SCOPE), name):
            return  # out of scope (behind a table, a cell…): the parser ignores the end tag
        self.pop_to(position)

    def implied_by(self, name: str) -> None:
        """Close what a start tag closes before it opens: an open <p>, the previous cell, row, item…"""
        if name in _CLOSES_P:
            self._close_nearest(*_IMPLIED["p"])
        if name in _HEADINGS and self.names and self.names[-1] in _HEADINGS:
            self.pop_to(len(self.names) - 1)
        if name in _IMPLIED and name != "p":
            self._close_nearest(*_IMPLIED[name])
        # Rows and cells written straight into a table get the row group (and row) the parser adds.
        if name in ("tr", "td", "th") and self.names and self.names[-1] == "table":
            self.push("tbody")
        if name in ("td", "th") and self.names and self.names[-1] in _ROW_GROUPS:
            self.push("tr")

    def _boundary(self, boundaries: frozenset[str], name: str) -> int:
        """The position of the nearest open element bounding a scope (other than ``name``), or -1."""
        where = self.where
        if boundaries is _SCOPE and name not in _SCOPE:
            return self.scopes[-1] if self.scopes else -1
        return max((where[n][-1] for n in boundaries if n != name and where.get(n)), default=-1)

    def _close_nearest(self, group: frozenset[str], boundaries: frozenset[str]) -> None:
        where = self.where
        nearest = -1
        for n in group:  # a loop, not max() over a generator: this runs for most tags of a page
            open_at = where.get(n)
            if open_at and open_at[-1] > nearest:
                nearest = open_at[-1]
        if nearest >= 0 and nearest > self._boundary(boundaries, ""):
            self.pop_to(nearest)

    def pop_to(self, index: int) -> None:
        """Pop the element at ``index`` and every element above it."""
        names, where, scopes = self.names, self.where, self.scopes
        while len(names) > index:
            where[names.pop()].pop()
        while scopes and scopes[-1] >= index:
            scopes.pop()
