"""Reading HTML pages: visible text in reading order, data tables as exact cell grids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from operator import methodcaller
from typing import NamedTuple, TypeGuard

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xxgk.read.beside import data_uri_to_bytes
from xxgk.read.document import Document, DocumentBuilder, ImageSource, ReadError, drop_invisible
from xxgk.read.encoding import damage_notes, decode_bytes
from xxgk.read.html_css import sheet_hidden
from xxgk.read.html_depth import check_nesting
from xxgk.read.leftovers import decode_references
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
# Blocks worth checking for holding nothing but text and inline elements (not those made of blocks;
# not <pre>, whose newlines end lines).
_PLAIN_CANDIDATES = _BLOCKS - {"html", "body", "table", "thead", "tbody", "tfoot", "tr", "pre"}
# What the walk treats otherwise than as inline text: blocks, skipped elements, line breaks, images, tables.
_NOT_PLAIN = _BLOCKS | _SKIPPED | {"br", "hr", "img", "table", "pre"}
# What ``_page_facts`` selects: elements that may be hidden (by the attribute, or by a style
# naming ``none`` or ``hidden``: ``_style_hides`` decides), those that span (cells, if they are),
# superscripts (a footnote's digit) and what may be a list item's cells (``_celled``).
_SELECTED = '[hidden], [style*="none" i], [style*="hidden" i], [rowspan], [colspan], sup, li > [class] + [class]'
# The parts of a table: the parser puts each in the table's own elements (a cell in a row, a row in a
# row group, a caption or row group in the table), so the blocks holding one are those holding its table.
_TABLE_PARTS = frozenset({"caption", "thead", "tbody", "tfoot", "tr", "td", "th"})
_CELLS = frozenset({"td", "th"})
# What Lexbor names the nodes that are not elements (text is "-text").
_NOT_ELEMENTS = frozenset({"-comment", "-doctype", "-document"})


def _lexbor_ids(names: Iterable[str]) -> dict[str, int]:
    """Turn tag names into Lexbor's ids for them, with the ids of the nodes that are not elements ("-text", ...).

    The walk compares a node's id, not its name: reading the name decodes a new string per node. Only
    the standard tags have fixed ids (others are numbered per page), and every name asked for is one.
    """
    sample = "<!DOCTYPE html><p>text<!--comment-->"
    check_nesting(sample)  # the rule for every parse in the package, though this page is ours
    parser = LexborHTMLParser(sample)
    document = parser.root.parent if parser.root is not None else None
    ids = {node.tag: node.tag_id for node in (document.traverse(include_text=True) if document else ())
           if node.tag and node.tag.startswith("-")}
    ids.update((name, parser.create_node(name).tag_id) for name in names)
    return ids


_IDS = _lexbor_ids(_NOT_PLAIN | {"meta", "sup"})


def _ids(names: Iterable[str]) -> frozenset[int]:
    """The ids of these names (one of the sets above)."""
    return frozenset(_IDS[name] for name in names)


_BLOCK_IDS, _SKIPPED_IDS, _PLAIN_IDS, _NOT_PLAIN_IDS = map(_ids, (_BLOCKS, _SKIPPED, _PLAIN_CANDIDATES, _NOT_PLAIN))
_ROW_GROUP_IDS, _CELL_IDS, _BREAK_IDS = _ids(_ROW_GROUPS), _ids(_CELLS), _ids(("br", "hr"))
_TEXT, _IMG, _TABLE, _PRE, _TR, _CAPTION, _META, _STYLE, _SUP, _LI, _THEAD, _TFOOT = (
    _IDS[name] for name in ("-text", "img", "table", "pre", "tr", "caption", "meta", "style", "sup", "li", "thead",
                            "tfoot"))
# Skipped elements, and the nodes that are not elements (comments, conditional ones included:
# <!--[if !supportLists]-->; the doctype): what the walk passes over, children and all.
_PASSED_IDS = _SKIPPED_IDS | _ids(_NOT_ELEMENTS)
# What makes the blocks holding it holders (``_Page``), table parts left to their table.
_MARKED_IDS = _ids(_NOT_PLAIN - _TABLE_PARTS)
# What the pass of ``_page_facts`` keeps: those, and the page's <meta> elements (its metadata).
_LISTED_IDS = _MARKED_IDS | {_META}
# HTML white space collapses; U+3000 (the full-width indent of Chinese text) does not.
# A plain block's text (text and inline elements only): the DOM's textContent, which Lexbor joins
# itself; the same as selectolax's text() there (checked on 100,000 blocks), in two thirds of the time.
_TEXT_OF = methodcaller("text_lexbor")
_HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
# The other characters str.split() takes for white space (str.isspace()): where none is, splitting
# and joining collapses as _HTML_SPACE does.
_OTHER_SPACE = re.compile(r"[\v\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
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
# A page title longer than this is no title (a page may stuff keywords into it).
_MAX_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class _Page:
    """What is known of a parsed page before its walk, found once by Lexbor's selectors and one pass over its elements.

    ``hidden``: the elements the page hides (the ``hidden`` attribute, or their style).
    ``holders``: the ancestors of every hidden element and of every element the walk does not
    read as inline text (blocks, tables, images, line breaks, skipped elements). A block outside
    it is plain text, which Lexbor joins in one call.
    ``tables_in``: the elements holding a table (nested tables found without a search per table).
    ``spanned``: the cells with a ``rowspan`` or ``colspan`` attribute (the others span one).
    ``metas``: the ``<meta>`` elements, in page order.
    ``raised``: the ``<sup>`` elements of digits, with their text as superscript digits.
    ``celled``: the list items whose elements are cells (``_celled``): read as cells apart.
    """

    hidden: frozenset[LexborNode]
    holders: frozenset[LexborNode]
    tables_in: frozenset[LexborNode]
    spanned: frozenset[LexborNode]
    irregular: frozenset[LexborNode]  # hidden, holders and spanned: a cell in none of them is just its text
    metas: tuple[LexborNode, ...]
    raised: dict[LexborNode, str]
    celled: frozenset[LexborNode]


def read_html(raw: bytes, name: str, images: ImageSource | None = None) -> Document:
    """Turn the bytes of an HTML page into a Document of text lines and table rows.

    ``images`` resolves ``<img src>`` references to bytes, for reading table images with OCR.
    """
    decoded = decode_bytes(raw, declared_charset(raw))
    # A UTF-8 page (most) is counted and parsed as the bytes it is: Lexbor would be handed the text
    # encoded back into them, and counting characters in bytes is faster than in a string.
    source = raw if decoded.utf8 else decoded.text
    check_nesting(source)  # before the parser: its time grows with the depth (a page nested 100,000 deep)
    tree = LexborHTMLParser(source)
    builder = DocumentBuilder()
    pictures = EmbeddedImages("网页")
    page = _page_facts(tree)
    emitted = (_render(tree.root, builder, _image_reader(pictures, images, builder), page)
               if tree.root is not None else 0)
    notes = pictures.finish()
    if emitted == 0:
        if notes:  # only images, and they could not be read: say why
            raise ReadError(f"网页中没有可读取的文字；{notes[0]}")
        raise ReadError("网页中没有可读取的文字（内容可能由脚本加载，或只是图片）")
    doc = builder.build(name, "html", raw, notes)
    if "&" in doc.text:
        # A page escaped twice (``&amp;nbsp;``) shows its references as text: a cell ``&nbsp;0`` is no number.
        unescaped = DocumentBuilder.cleaned(doc.lines, _unescaped).build(name, "html", raw, notes)
        doc = unescaped if unescaped.text != doc.text else doc
    doc.notes.extend(decoded.notes)
    # Counted in the visible text: broken bytes inside scripts do not matter.
    doc.notes.extend(damage_notes(doc.text))
    metadata = _page_metadata(page.metas)
    doc.page_title = _page_title(tree)
    doc.page_article_title = _one_line(metadata.get(_ARTICLE_TITLE, "")) or None
    doc.page_published = next((_one_line(metadata[key]) for key in _PUBLISHED_KEYS if metadata.get(key)), None)
    if doc.page_published is None and _PUBLISH_TIME in raw:
        doc.page_published = _script_published(tree, raw)
    return doc


def _unescaped(text: str) -> str:
    """A line's or cell's text with the references it shows decoded (white space collapsed again)."""
    return _collapse(decode_references(text)) if "&" in text else text


def _one_line(text: str) -> str:
    """A title or stamp of the page's head: visible characters, white space collapsed, a line's worth at most."""
    return " ".join(drop_invisible(text).split())[:_MAX_TITLE_CHARS]


def _page_title(tree: LexborHTMLParser) -> str | None:
    """The page's <title>, white space collapsed (at most a line's worth of it)."""
    node = tree.css_first("head > title")
    return (_one_line(node.text(deep=True)) if node is not None else "") or None


# The page metadata government sites publish as the 政府网站发展指引 asks (ArticleTitle, PubDate): the
# article's own title, and when it was published; content-management systems spell the names in
# several cases, some use others for the same date. Keys are lower case.
_ARTICLE_TITLE = "articletitle"
_PUBLISHED_KEYS = ("pubdate", "firstpublishedtime", "publishdate", "article:published_time")


# A WeChat article states when it was published for its script to print (an article fetched raw prints
# nothing, a saved one prints the date with no label under the title): the element the script fills
# (<em id="publish_time">), the script's ``var publish_time = "2024-01-20 10:00"``, and ``var ct =
# "1705716000"`` (Unix seconds; shown in China's time).
_PUBLISH_TIME = b"publish_time"
_SCRIPT_STAMP = re.compile(rb"\bvar\s+(publish_time|ct)\s*=\s*[\"']([0-9: /\-]{8,25})[\"']")
_CHINA_TIME = timezone(timedelta(hours=8))


def _script_published(tree: LexborHTMLParser, raw: bytes) -> str | None:
    """The publication stamp a page keeps for its script to print (above), or None."""
    shown = tree.css_first("#publish_time")
    if shown is not None and (stamp := _one_line(shown.text(deep=True))):
        return stamp
    found: dict[bytes, bytes] = {match[1]: match[2] for match in _SCRIPT_STAMP.finditer(raw)}
    if stamp_bytes := found.get(b"publish_time"):
        return stamp_bytes.decode("ascii").strip()
    seconds = found.get(b"ct", b"")
    if seconds.isdigit() and len(seconds) == 10:
        return datetime.fromtimestamp(int(seconds), _CHINA_TIME).strftime("%Y-%m-%d %H:%M")
    return None


def _page_metadata(metas: Iterable[LexborNode]) -> dict[str, str]:
    """The page's ``<meta name|property=… content=…>`` pairs, names in lower case (the first of each)."""
    found: dict[str, str] = {}
    for node in metas:
        attributes = node.attributes
        if "content" not in attributes:
            continue
        key = (attributes.get("name") or attributes.get("property") or "").strip().lower()
        if key and key not in found:
            found[key] = attributes.get("content") or ""
    return found


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


def _render(root: LexborNode, builder: DocumentBuilder, on_image: Callable[[LexborNode], int] | None,
            page: _Page) -> int:
    """Feed a parsed page into the builder; return how many lines and rows it produced.

    ``on_image`` reads an ``<img>`` (with OCR) into the builder, returning the lines it made;
    ``page``: what is known of the page before the walk (``_page_facts``).
    """
    pending: list[str] = []  # lines not yet in the builder: handed over in bulk, before rows or an image's lines
    lines = _LineCollector(pending.append)
    count = 0

    def hand_over() -> None:
        nonlocal count
        builder.add_lines(pending)
        count += len(pending)
        pending.clear()

    def add_table(table: LexborNode) -> bool:
        nonlocal count
        grid = _data_grid(table, page)
        if grid is None:
            return False
        for caption in table.iter():
            if caption.tag_id == _CAPTION and (text := _inner_text(caption, page)):
                pending.append(text)
        hand_over()
        builder.add_rows(grid)
        count += len(grid)
        return True

    def add_image(node: LexborNode) -> None:
        nonlocal count
        if on_image is not None:
            lines.flush()
            hand_over()
            count += on_image(node)

    _walk(root, lines, add_table, add_image, page)
    lines.flush()
    hand_over()
    return count


class _LineCollector:
    """Gathers inline text and turns it into one collapsed line at each block boundary."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.emit = emit  # takes each line (the walk gives it whole blocks' lines directly)
        self.parts: list[str] = []  # the text gathered for the line (the walk appends to it directly)

    def text(self, text: str, preformatted: bool) -> None:
        """Add a text node's content; inside <pre> its newlines end lines."""
        if not preformatted:
            self.parts.append(text)
            return
        for i, part in enumerate(text.replace("\r\n", "\n").split("\n")):
            if i:
                self.flush()
            self.parts.append(part)

    def flush(self) -> None:
        """Turn the gathered text into a line (white space collapsed), if there is any."""
        if not self.parts:
            return
        line = _collapse(self.parts[0] if len(self.parts) == 1 else "".join(self.parts))
        self.parts.clear()
        if line:
            self.emit(line)


def _collapse(text: str) -> str:
    """Collapse HTML white space to single spaces, none at either end."""
    if text.isprintable() and " " not in text:  # no white space at all (most cells and many lines)
        return text
    if _OTHER_SPACE.search(text) is None:  # only HTML white space: str.split() finds the same runs, faster
        return " ".join(text.split())
    return _HTML_SPACE.sub(" ", text).strip(" ")


def _walk(root: LexborNode, lines: _LineCollector, on_table: Callable[[LexborNode], bool] | None,
          on_image: Callable[[LexborNode], None] | None, page: _Page) -> None:
    """Feed the visible text under a node to the collector; offer tables to ``on_table``.

    ``on_table`` returns whether it took the table; tables it leaves (layout) are read as text.
    """
    # An explicit stack: malformed pages (thousands of unclosed <font>) nest deeper than
    # Python's recursion limit. A node is entered; a tag id (int) is a block or <pre> being left.
    stack: list[LexborNode | int] = [root]
    in_pre = 0
    holders, hidden, raised = page.holders, page.hidden, page.raised
    parts, flush, emit = lines.parts, lines.flush, lines.emit
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if isinstance(node, int):
            if node == _PRE:
                in_pre -= 1
            if parts:
                flush()
            continue
        tag = node.tag_id  # an id, not the name: no string made per node
        if tag == _TEXT:
            if in_pre:
                lines.text(node.text_content or "", True)
            elif (parts or not node.is_empty_text_node) and (text := node.text_content):
                parts.append(text)  # white space that would begin a line (between blocks) is dropped there anyway
            continue
        if tag in _PASSED_IDS or node in hidden:
            continue
        if tag == _SUP and node in raised:
            parts.append(raised[node])
            continue
        if tag in _PLAIN_IDS and not in_pre and node not in holders:
            # A block holding only text and inline elements (a paragraph of Word's runs, a menu
            # item): Lexbor joins its text, as the walk below would, without a visit per node.
            if parts:
                flush()
            if line := _collapse(node.text_lexbor()):
                emit(line)
            continue
        if tag in _BREAK_IDS:
            if parts:
                flush()
            continue
        block = tag in _BLOCK_IDS
        if block and parts:
            flush()
        if tag == _IMG and on_image is not None:
            on_image(node)
            continue
        if tag == _TABLE and on_table is not None and on_table(node):
            continue
        if tag == _LI and node in page.celled:
            if line := " ".join(filter(None, (_inner_text(cell, page) for cell in node.iter()
                                             if cell.tag_id not in _PASSED_IDS and cell not in hidden))):
                emit(line)
            continue
        if block:  # leaving an inline element changes nothing: only blocks are marked
            if tag == _PRE:
                in_pre += 1
            push(tag)
        child = node.last_child
        while child is not None:
            push(child)
            child = child.prev


def _page_facts(tree: LexborHTMLParser) -> _Page:
    """Turn a parsed page into what its walk needs to know beforehand (``_Page``).

    Lexbor selects the hidden candidates and the spanned cells and lists the elements (no walk in
    Python over text); pages pasted from Word style every paragraph and cell alike, so only styles
    that name ``none`` or ``hidden`` are judged, each distinct one once.
    """
    hidden: set[LexborNode] = set()
    spanned: list[LexborNode] = []
    raised: dict[LexborNode, str] = {}
    items: set[LexborNode] = set()
    for node in tree.css(_SELECTED):  # one search of the tree, sorted out here (a few nodes)
        tag = node.tag_id
        if tag == _SUP:
            if (digits := _superscript(node)) is not None:
                raised[node] = digits
            continue
        attributes = node.attrs
        if "hidden" in attributes or _style_hides(attributes.get("style") or ""):
            hidden.add(node)
        if tag in _CELL_IDS and ("rowspan" in attributes or "colspan" in attributes):
            spanned.append(node)
        elif "class" in attributes and (parent := node.parent) is not None and parent.tag_id == _LI:
            items.add(parent)
    holders = set(_ancestors(hidden))
    tables: list[LexborNode] = []
    metas: list[LexborNode] = []
    styles: list[LexborNode] = []
    for node in tree.root.traverse() if tree.root is not None else ():
        tag = node.tag_id
        if tag in _LISTED_IDS:  # its ancestors are holders, found as it is met (as _ancestors does: linear)
            if tag == _META:  # (what the pass finds beside: no search of the tree for them)
                metas.append(node)
                continue
            if tag == _TABLE:
                tables.append(node)
            elif tag == _STYLE:
                styles.append(node)
            parent = node.parent
            while parent is not None and parent not in holders:
                holders.add(parent)
                parent = parent.parent
    if styles:
        hidden.update(sheet_hidden(tree, styles))
    if hidden:
        hidden -= _revealed_by_script(tree, hidden)
    celled = frozenset(item for item in items if _celled(item))
    _hold(holders, hidden, raised, celled)
    holders.update(celled)  # read by the walk, not joined by Lexbor
    held = frozenset(holders)
    return _Page(frozenset(hidden), held, _ancestors(tables), frozenset(spanned), held.union(hidden, spanned),
                 tuple(metas), raised, celled)


def _hold(holders: set[LexborNode], *found: Iterable[LexborNode]) -> None:
    """Add the ancestors of these elements to the holders (each chain stops at one already there)."""
    for nodes in found:
        for node in nodes:
            parent = node.parent
            while parent is not None and parent not in holders:
                holders.add(parent)
                parent = parent.parent


# A hidden element holding more than this share of the page's text is the page itself waiting for its
# script to show it (a WeChat article fetched raw: <div id="js_content" style="visibility: hidden">;
# a body hidden until its script has run), not a copy hidden beside what the page shows.
_REVEALED_SHARE = 2 / 3
# A hidden element of fewer characters is measured no further (a share menu, Word's hidden marks).
_SMALL_HIDDEN = 200
_NOT_TEXT = "script, style, noscript, template"


def _revealed_by_script(tree: LexborHTMLParser, hidden: set[LexborNode]) -> set[LexborNode]:
    """The hidden elements that hold (nearly) all the page's text: its script would show them."""
    big = [node for node in hidden if len(node.text_lexbor()) >= _SMALL_HIDDEN]
    if not big or tree.body is None:
        return set()
    total = _text_size(tree.body)
    return {node for node in big if _text_size(node) > _REVEALED_SHARE * total}


def _text_size(node: LexborNode) -> int:
    """How many characters of text an element holds, scripts and styles aside."""
    return len(node.text_lexbor()) - sum(len(inner.text_lexbor()) for inner in node.css(_NOT_TEXT))


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(sup: LexborNode) -> str | None:
    """A ``<sup>`` of digits as the superscript digits a reader sees (``7<sup>1</sup>``: a footnote's 7¹, not 71)."""
    text = sup.text_lexbor().strip()
    return text.translate(_SUPERSCRIPT) if 0 < len(text) <= 3 and text.isascii() and text.isdigit() else None


def _celled(item: LexborNode) -> bool:
    """Whether a list item is a row of cells: two elements or more, each with a class (a column's style), and
    no text between them (``<li><span class="c0">规章</span><span class="c1">0</span></li>``).

    A browser lays such spans out as columns; read as text they would run together (``规章0``, ``10480``).
    Runs of text an editor split (``<span style>12</span><span style>3</span>``) carry no class.
    """
    count = 0
    child = item.first_child
    while child is not None:
        tag = child.tag_id
        if tag == _TEXT:
            if not child.is_empty_text_node:
                return False
        elif tag in _PASSED_IDS:  # a comment, a script
            pass
        elif "class" not in child.attributes:
            return False
        else:
            count += 1
        child = child.next
    return count > 1


def _ancestors(nodes: Iterable[LexborNode]) -> frozenset[LexborNode]:
    """The elements that hold any of these nodes (each chain stops at one already found: linear in the page)."""
    found: set[LexborNode] = set()
    for node in nodes:
        parent = node.parent
        while parent is not None and parent not in found:
            found.add(parent)
            parent = parent.parent
    return frozenset(found)


@lru_cache(maxsize=4096)
def _style_hides(style: str) -> bool:
    """Whether an inline style hides its element (``display: none``, ``visibility: hidden``)."""
    lowered = style.lower()
    if "none" not in lowered and "hidden" not in lowered:  # as a browser reads it: no word cut by spaces
        return False
    compact = "".join(lowered.split())
    return "display:none" in compact or "visibility:hidden" in compact


def _inner_lines(node: LexborNode, page: _Page) -> list[str]:
    """Turn an element into the lines of its visible text, tables inside read as text."""
    child = node.first_child
    if child is not None and child.next is None and child.is_text_node:  # most cells: just their text
        line = _collapse(child.text_content or "")
        return [line] if line else []
    holders, hidden = page.holders, page.hidden
    if node not in hidden and node.tag_id in _PLAIN_IDS:
        # As the walk would read them, without its set-up: a block of only text and inline elements,
        # or holding just one such block (a cell pasted from Word: a paragraph of runs).
        plain = node if node not in holders else None
        if plain is None and child is not None and child.next is None and child not in holders \
                and child.tag_id in _PLAIN_IDS and child not in hidden:
            plain = child
        if plain is not None:
            line = _collapse(plain.text_lexbor())
            return [line] if line else []
    parts: list[str] = []
    lines = _LineCollector(parts.append)
    _walk(node, lines, None, None, page)
    lines.flush()
    return parts


def _inner_text(node: LexborNode, page: _Page) -> str:
    """Turn an element into its visible text on one line, blocks and <br> becoming spaces."""
    return " ".join(_inner_lines(node, page))


class _Cell(NamedTuple):
    """A table cell that spans rows or columns, as written: its text and its spans (the other cells are just their text)."""

    text: str
    rowspan: int
    colspan: int


def _table_rows(table: LexborNode, page: _Page) -> list[Sequence[str | _Cell]] | None:
    """Turn a table element into its visible rows of cells, spans as written; None for a layout table.

    Layout tables hold a single cell, other tables, or whole passages of text in a cell (a page
    column); their cells are better read as ordinary blocks of text.
    """
    rows: list[Sequence[str | _Cell]] = []
    count = 0
    nested = table in page.tables_in  # a table inside: in a cell, or misplaced by the page
    for tr in _visible_rows(table, page):
        cells = [cell for cell in tr.iter() if cell.tag_id in _CELL_IDS]  # no text or script between cells
        count += len(cells)
        if page.irregular.isdisjoint(cells):  # most rows: cells of plain text spanning one column, read in bulk
            texts = [_collapse(text) for text in map(_TEXT_OF, cells)]
            if max(map(len, texts), default=0) > _MAX_CELL_CHARS:
                return None  # running text (a lot of it), not a value
            rows.append(texts)
        elif (row := _row_cells(cells, nested, page)) is not None:
            rows.append(row)
        else:
            return None
    return rows if count > 1 else None


def _row_cells(cells: list[LexborNode], nested: bool, page: _Page) -> list[str | _Cell] | None:
    """Turn a row's cell elements into their visible cells (text, or text and spans); None if one is running text."""
    row: list[str | _Cell] = []
    irregular, hidden, holders = page.irregular, page.hidden, page.holders
    for cell in cells:
        if cell in hidden:
            continue
        if cell not in holders:  # only text and inline elements: Lexbor joins it in one call
            text = _collapse(cell.text_lexbor())
            if len(text) > _MAX_CELL_CHARS:
                return None  # running text (a lot of it), not a value
        elif (child := cell.first_child) is not None and child.next is None and child not in irregular \
                and child.tag_id in _PLAIN_IDS:  # a cell pasted from Word: one paragraph of runs
            text = _collapse(child.text_lexbor())
            if len(text) > _MAX_CELL_CHARS:
                return None
        else:  # blocks, line breaks, images, hidden parts or a table inside
            if nested and cell in page.tables_in:
                return None
            lines = _inner_lines(cell, page)
            if len(lines) > _MAX_CELL_LINES or sum(map(len, lines)) > _MAX_CELL_CHARS:
                return None  # running text (many paragraphs, or a lot of text), not a value
            text = " ".join(lines)
        row.append(_spanning(cell, text) if cell in page.spanned else text)
    return row


def _spanning(cell: LexborNode, text: str) -> str | _Cell:
    """Turn a cell with a rowspan or colspan attribute, and its text, into the cell as the grid takes it."""
    attributes = cell.attrs
    rowspan = _span(attributes.get("rowspan"), _MAX_ROWSPAN)
    colspan = max(_span(attributes.get("colspan"), _MAX_COLSPAN), 1)
    return text if rowspan == colspan == 1 else _Cell(text, rowspan, colspan)


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


def _data_grid(table: LexborNode, page: _Page) -> list[list[str]] | None:
    """Turn a data table into its grid of cell texts; None for a table that only lays out the page."""
    rows = _table_rows(table, page)
    return None if rows is None else _grid(rows)


def _grid(rows: list[Sequence[str | _Cell]]) -> list[list[str]]:
    """Turn rows of cells into a grid: spanned text at its origin, "" below it, nothing to its right.

    A cell spanning columns counts once in its row (so a row's blank cells are where its
    values would be); one spanning rows leaves "" in the rows below, keeping them aligned.
    """
    grid: list[list[str | None]] = [[] for _ in rows]
    right: dict[int, set[int]] = {}  # by row: the columns covered by a cell to their left (dropped)
    for r, cells in enumerate(rows):
        line = grid[r]
        if None not in line and _none_spans(cells):  # claims from above, if any, are all left of the cells
            line.extend(cells)  # and none of them spans: they follow, as they are
            continue
        col = 0
        for cell in cells:
            while col < len(line) and line[col] is not None:
                col += 1
            if isinstance(cell, str):  # most cells span one row and column: nothing to claim
                if col == len(line):
                    line.append(cell)
                else:
                    line[col] = cell
                col += 1
                continue
            # rowspan=0 reaches the end of the table; spans past the end are cut, as browsers do.
            down = len(rows) - r if cell.rowspan == 0 else min(cell.rowspan, len(rows) - r)
            for i in range(r, r + down):
                _claim(grid[i], col, cell.colspan)
                if cell.colspan > 1:
                    right.setdefault(i, set()).update(range(col + 1, col + cell.colspan))
            grid[r][col] = cell.text
            col += cell.colspan
    # Rows with no text at all are spacers (Word's height=0 layout rows), not data. A row is not
    # padded to the grid's width: a browser draws nothing past a row's last cell, so where a short
    # row lost a cell is unknown, and a blank at its end would say it was the last one.
    out = []
    for r, row in enumerate(grid):
        if any(row):
            texts = [c or "" for c in row]
            if r in right:
                covered = right[r]
                texts = [c for i, c in enumerate(texts) if i not in covered]
            out.append(texts)
    return out


def _none_spans(cells: Sequence[str | _Cell]) -> TypeGuard[Sequence[str]]:
    """Whether a row's cells are all just text (none spans)."""
    return _Cell not in map(type, cells)  # in C: most rows have no cell that spans


def _claim(row: list[str | None], start: int, count: int) -> None:
    """Mark grid positions as covered by a cell, leaving earlier (overlapping) claims alone."""
    if len(row) < start + count:
        row.extend([None] * (start + count - len(row)))
    for col in range(start, start + count):
        if row[col] is None:
            row[col] = ""


def _visible_rows(table: LexborNode, page: _Page) -> Iterator[LexborNode]:
    """Yield the visible rows of a table in the order a browser draws them, through thead/tbody/tfoot but not
    into nested tables: its first <thead> first and its first <tfoot> last, wherever the page wrote them
    (HTML 4 put the <tfoot> before the <tbody>)."""
    hidden = page.hidden
    parts = [child for child in table.iter() if child.tag_id == _TR or child.tag_id in _ROW_GROUP_IDS]
    heads = [part for part in parts if part.tag_id == _THEAD][:1]
    feet = [part for part in parts if part.tag_id == _TFOOT][:1]
    if heads or feet:
        parts = heads + [part for part in parts if part not in heads and part not in feet] + feet
    for child in parts:  # elements only: text between rows is none
        if child in hidden:
            continue
        if child.tag_id == _TR:
            yield child
        else:
            yield from (tr for tr in child.iter() if tr.tag_id == _TR and tr not in hidden)
