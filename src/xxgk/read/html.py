"""Reading HTML pages: visible text in reading order, data tables as exact cell grids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xxgk.read.beside import data_uri_to_bytes
from xxgk.read.document import Document, DocumentBuilder, ImageSource, ReadError
from xxgk.read.encoding import damage_notes, decode
from xxgk.read.html_depth import check_nesting
from xxgk.read.ocr import EmbeddedImages

# Elements whose content is never part of the page text as a reader sees it.
# fmt: off
_SKIPPED = frozenset({
    "head", "script", "style", "noscript", "template", "nav", "iframe", "frame", "object", "embed",
    "svg", "math", "canvas", "select", "textarea", "button", "audio", "video", "map",
})
# fmt: on
# Elements that start and end a line of text.
# fmt: off
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "option",
})
# fmt: on
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
# Blocks worth checking for holding nothing but text and inline elements (not those made of blocks).
_PLAIN_CANDIDATES = _BLOCKS - {"html", "body", "table", "thead", "tbody", "tfoot", "tr"}
# What the walk treats otherwise than as inline text: blocks, skipped elements, line breaks, images, tables.
_NOT_PLAIN = ", ".join(sorted(_BLOCKS | _SKIPPED | {"br", "hr", "img", "table", "pre"}))
_CELLS = frozenset({"td", "th"})
# HTML white space collapses; U+3000 (the full-width indent of Chinese text) does not.
_HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
# Where to look for the charset declaration: heads stuffed with inline CSS push it far down.
_SNIFF_BYTES = 16384
# Limits from the HTML standard; they also bound the grid a hostile page can make us build.
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
# Beyond these a table cell is a column of the page layout: the statutory tables' longest
# label has fewer than 50 characters, a free-text cell a few hundred.
_MAX_CELL_LINES = 8
_MAX_CELL_CHARS = 1000


@dataclass(frozen=True, slots=True)
class _Hidden:
    """The elements a page hides; and the elements holding more than text and inline elements.

    ``holders``: the ancestors of every hidden element and of every element the walk does not
    read as inline text (blocks, tables, images, line breaks, skipped elements). A block outside
    it is plain text, which Lexbor joins in one call. None: not known (every node is visited).
    """

    elements: frozenset[LexborNode] = frozenset()
    holders: frozenset[LexborNode] | None = None


_NOTHING_HIDDEN = _Hidden()


def read_html(raw: bytes, name: str, images: ImageSource | None = None) -> Document:
    """Turn the bytes of an HTML page into a Document of text lines and table rows.

    ``images`` resolves ``<img src>`` references to bytes, for reading table images with OCR.
    """
    text = decode(raw, declared_charset(raw))
    check_nesting(text)  # before the parser: its time grows with the depth (a page nested 100,000 deep)
    tree = LexborHTMLParser(text)
    builder = DocumentBuilder()
    pictures = EmbeddedImages("网页")
    hidden = _hidden_elements(tree)
    emitted = (_render(tree.root, builder, _image_reader(pictures, images, builder), hidden)
               if tree.root is not None else 0)
    notes = pictures.finish()
    if emitted == 0:
        if notes:  # only images, and they could not be read: say why
            raise ReadError(f"网页中没有可读取的文字；{notes[0]}")
        raise ReadError("网页中没有可读取的文字（内容可能由脚本加载，或只是图片）")
    doc = builder.build(name, "html", raw, notes)
    # Counted in the visible text: broken bytes inside scripts do not matter.
    doc.notes.extend(damage_notes(doc.text))
    return doc


def declared_charset(raw: bytes) -> str | None:
    """Turn the head of an HTML page into the charset it declares (meta or XML), or None."""
    head = raw[:_SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def _image_reader(pictures: EmbeddedImages, images: ImageSource | None,
                  builder: DocumentBuilder) -> Callable[[LexborNode], int]:
    """Make the handler that OCRs an ``<img>`` into the builder at its place; it returns lines made."""

    def read_image(node: LexborNode) -> int:
        src = (node.attributes.get("src") or "").strip()
        if not src:
            return 0
        if src.lower().startswith("data:"):  # the image is in the page itself
            return pictures.add(lambda: data_uri_to_bytes(src), src, builder)
        if images is None:
            return 0  # only the page was given: nothing to read its images from
        source = images
        return pictures.add(lambda: source(src), src, builder)

    return read_image


def _render(root: LexborNode, builder: DocumentBuilder, on_image: Callable[[LexborNode], int] | None = None,
            hidden: _Hidden = _NOTHING_HIDDEN) -> int:
    """Feed a parsed page into the builder; return how many lines and rows it produced.

    ``on_image`` reads an ``<img>`` (with OCR) into the builder, returning the lines it made;
    ``hidden``: the elements the page hides (``_hidden_elements``).
    """
    count = 0

    def add_line(line: str) -> None:
        nonlocal count
        builder.add_text(line)
        count += 1

    lines = _LineCollector(add_line)

    def add_table(table: LexborNode) -> bool:
        nonlocal count
        grid = _data_grid(table, hidden)
        if grid is None:
            return False
        for caption in _children(table, "caption"):
            if text := _inner_text(caption, hidden):
                add_line(text)
        for row in grid:
            builder.add_row(row)
            count += 1
        return True

    def add_image(node: LexborNode) -> None:
        nonlocal count
        if on_image is not None:
            lines.flush()
            count += on_image(node)

    _walk(root, lines, add_table, add_image, hidden)
    lines.flush()
    return count


class _LineCollector:
    """Gathers inline text and turns it into one collapsed line at each block boundary."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit
        self._parts: list[str] = []

    def text(self, text: str, preformatted: bool) -> None:
        """Add a text node's content; inside <pre> its newlines end lines."""
        if not preformatted:
            self._parts.append(text)
            return
        for i, part in enumerate(text.replace("\r\n", "\n").split("\n")):
            if i:
                self.flush()
            self._parts.append(part)

    def flush(self) -> None:
        """Turn the gathered text into a line (white space collapsed), if there is any."""
        if not self._parts:
            return
        line = _HTML_SPACE.sub(" ", "".join(self._parts)).strip(" ")
        self._parts.clear()
        if line:
            self._emit(line)


def _walk(root: LexborNode, lines: _LineCollector, on_table: Callable[[LexborNode], bool] | None,
          on_image: Callable[[LexborNode], None] | None = None,
          hidden: _Hidden = _NOTHING_HIDDEN) -> None:
    """Feed the visible text under a node to the collector; offer tables to ``on_table``.

    ``on_table`` returns whether it took the table; tables it leaves (layout) are read as text.
    """
    # An explicit stack: malformed pages (thousands of unclosed <font>) nest deeper than
    # Python's recursion limit. A node is entered; a tag (str) is an element being left.
    stack: list[LexborNode | str] = [root]
    in_pre = 0
    blocks, skipped, plain_blocks, holders = _BLOCKS, _SKIPPED, _PLAIN_CANDIDATES, hidden.holders
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node == "pre":
                in_pre -= 1
            if node in blocks:
                lines.flush()
            continue
        if node.is_text_node:
            lines.text(node.text_content or "", in_pre > 0)
            continue
        # Comments (conditional ones included: <!--[if !supportLists]-->), doctype, ...
        if not node.is_element_node:
            continue
        tag = node.tag
        if tag in skipped or node in hidden.elements:
            continue
        if tag in ("br", "hr"):
            lines.flush()
            continue
        if tag in blocks:
            lines.flush()
        if tag == "img" and on_image is not None:
            on_image(node)
            continue
        if tag == "table" and on_table is not None and on_table(node):
            continue
        if tag in plain_blocks and not in_pre and holders is not None and node not in holders:
            # A block holding only text and inline elements (a paragraph of Word's runs, a menu
            # item): Lexbor joins its text, as the walk below would, without a visit per node.
            lines.text(node.text(deep=True, separator="", strip=False), False)
            lines.flush()
            continue
        if tag == "pre":
            in_pre += 1
        stack.append(tag or "")
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        children.reverse()
        stack.extend(children)


def _children(node: LexborNode, *tags: str) -> Iterator[LexborNode]:
    """Yield the direct children of a node, only those with the given tags if any are given."""
    child = node.child
    while child is not None:
        if not tags or child.tag in tags:
            yield child
        child = child.next


def _hidden_elements(tree: LexborHTMLParser) -> _Hidden:
    """The elements a page hides from readers by the ``hidden`` attribute or their style, found once,
    and the elements that hold them or anything but inline text.

    Lexbor selects the candidates (no walk in Python); pages pasted from Word style every
    paragraph and cell alike, so each distinct style is judged once.
    """
    hidden = set(tree.css("[hidden]"))
    hidden.update(node for node in tree.css("[style]") if _style_hides(node.attrs.get("style") or ""))
    holders: set[LexborNode] = set()
    for node in chain(hidden, tree.css(_NOT_PLAIN)):
        parent = node.parent
        while parent is not None and parent not in holders:
            holders.add(parent)
            parent = parent.parent
    return _Hidden(frozenset(hidden), frozenset(holders))


@lru_cache(maxsize=4096)
def _style_hides(style: str) -> bool:
    """Whether an inline style hides its element (``display: none``, ``visibility: hidden``)."""
    compact = "".join(style.split()).lower()
    return "display:none" in compact or "visibility:hidden" in compact


def _inner_lines(node: LexborNode, hidden: _Hidden = _NOTHING_HIDDEN) -> list[str]:
    """Turn an element into the lines of its visible text, tables inside read as text."""
    child = node.child
    if child is not None and child.next is None and child.is_text_node:  # most cells: just their text
        line = _HTML_SPACE.sub(" ", child.text_content or "").strip(" ")
        return [line] if line else []
    parts: list[str] = []
    lines = _LineCollector(parts.append)
    _walk(node, lines, None, None, hidden)
    lines.flush()
    return parts


def _inner_text(node: LexborNode, hidden: _Hidden = _NOTHING_HIDDEN) -> str:
    """Turn an element into its visible text on one line, blocks and <br> becoming spaces."""
    return " ".join(_inner_lines(node, hidden))


@dataclass(frozen=True, slots=True)
class _Cell:
    """A table cell as written: its lines of text and its spans."""

    lines: tuple[str, ...]
    rowspan: int
    colspan: int

    @property
    def text(self) -> str:
        """The cell's text on one line."""
        return " ".join(self.lines)


def _table_rows(table: LexborNode, hidden: _Hidden = _NOTHING_HIDDEN) -> list[list[_Cell]] | None:
    """Turn a table element into its visible rows of cells, spans as written; None for a layout table.

    Layout tables hold a single cell, other tables, or whole passages of text in a cell (a page
    column); their cells are better read as ordinary blocks of text.
    """
    rows: list[list[_Cell]] = []
    count = 0
    nested = len(table.css("table")) > 1  # a table inside: in a cell, or misplaced by the page
    for tr in _visible_rows(table, hidden):
        row: list[_Cell] = []
        for cell in _children(tr):
            if cell.tag not in _CELLS:
                continue
            count += 1
            if cell in hidden.elements:
                continue
            attributes = cell.attributes
            if nested and cell.css_first("table") is not None:
                return None
            lines = tuple(_inner_lines(cell, hidden))
            if len(lines) > _MAX_CELL_LINES or sum(map(len, lines)) > _MAX_CELL_CHARS:
                return None  # running text (many paragraphs, or a lot of text), not a value
            row.append(_Cell(lines, _span(attributes.get("rowspan"), _MAX_ROWSPAN),
                             max(_span(attributes.get("colspan"), _MAX_COLSPAN), 1)))
        rows.append(row)
    return rows if count > 1 else None


def _span(value: str | None, limit: int) -> int:
    """Turn a rowspan/colspan attribute into a number: 1 if missing or invalid, 0 kept."""
    if value is None:
        return 1
    if value.isascii() and value.isdigit():
        return min(int(value), limit)
    match = re.match(r"\s*\+?(\d+)", value)
    if not match:
        return 1
    return min(int(match.group(1)), limit)


def _data_grid(table: LexborNode, hidden: _Hidden = _NOTHING_HIDDEN) -> list[list[str]] | None:
    """Turn a data table into its grid of cell texts; None for a table that only lays out the page."""
    rows = _table_rows(table, hidden)
    return None if rows is None else _grid(rows)


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Turn rows of cells into a grid: spanned text at its origin, "" below it, nothing to its right.

    A cell spanning columns counts once in its row (so a row's blank cells are where its
    values would be); one spanning rows leaves "" in the rows below, keeping them aligned.
    """
    grid: list[list[str | None]] = [[] for _ in rows]
    right: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        line = grid[r]
        col = 0
        for cell in cells:
            while col < len(line) and line[col] is not None:
                col += 1
            if cell.rowspan == 1 and cell.colspan == 1:  # most cells: no need to claim anything
                if col == len(line):
                    line.append(cell.text)
                else:
                    line[col] = cell.text
                col += 1
                continue
            # rowspan=0 reaches the end of the table; spans past the end are cut, as browsers do.
            down = len(rows) - r if cell.rowspan == 0 else min(cell.rowspan, len(rows) - r)
            for i in range(r, r + down):
                _claim(grid[i], col, cell.colspan)
                right.update((i, c) for c in range(col + 1, col + cell.colspan))
            grid[r][col] = cell.text
            col += cell.colspan
    # Rows with no text at all are spacers (Word's height=0 layout rows), not data; they
    # should not widen the grid either.
    width = max((len(row) for row in grid if any(row)), default=0)
    if not right:
        return [[c or "" for c in row] + [""] * (width - len(row)) for row in grid if any(row)]
    return [
        [c or "" for i, c in enumerate(row + [None] * (width - len(row))) if (r, i) not in right]
        for r, row in enumerate(grid)
        if any(row)
    ]


def _claim(row: list[str | None], start: int, count: int) -> None:
    """Mark grid positions as covered by a cell, leaving earlier (overlapping) claims alone."""
    if len(row) < start + count:
        row.extend([None] * (start + count - len(row)))
    for col in range(start, start + count):
        if row[col] is None:
            row[col] = ""


def _visible_rows(table: LexborNode, hidden: _Hidden = _NOTHING_HIDDEN) -> Iterator[LexborNode]:
    """Yield the visible rows of a table, through thead/tbody/tfoot but not into nested tables."""
    for child in _children(table):
        if child in hidden.elements:
            continue
        if child.tag == "tr":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from (tr for tr in _children(child, "tr") if tr not in hidden.elements)
