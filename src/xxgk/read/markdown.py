"""Reading Markdown files: rendered to HTML (markdown-it-py, raw HTML off) and read as a web page.

A report written or converted to Markdown has ``# 标题`` headings, ``\\`` escapes and pipe
tables; read as plain text, the marks would stay in its title and prose. Rendered, headings
are lines, escapes are gone and pipe tables are real table rows with their cells.

Pipe tables are widened first (read/pipes.py).
"""

from __future__ import annotations

import hashlib
from html import escape

from xxgk.read.document import Document, ImageSource
from xxgk.read.drawn import unbox
from xxgk.read.encoding import decode_bytes
from xxgk.read.headers import split_header
from xxgk.read.layout_cells import unwrap_layout_cells
from xxgk.read.leftovers import strip_office_markup
from xxgk.read.pandoc import strip_pandoc_marks
from xxgk.read.pipes import widen_tables
from xxgk.read.raw_tables import tables_as_rows
from xxgk.read.text import normalise_newlines

SUFFIXES = (".md", ".markdown")


def is_markdown_name(name: str) -> bool:
    """Whether a file is Markdown by its name (Markdown has no magic bytes to tell it by)."""
    return name.lower().endswith(SUFFIXES)


def read_markdown(raw: bytes, name: str, images: ImageSource | None = None) -> Document:
    """Turn the bytes of a Markdown file into a Document (as its rendered page reads)."""
    # Imported here: every file's name is asked whether it is Markdown, few files are.
    from markdown_it import MarkdownIt

    from xxgk.read.html import read_html

    decoded = decode_bytes(raw)
    # Word's markup left by a crawl goes before rendering (the renderer would show it as text); references
    # are the renderer's to decode (``&#124;`` is how a table cell writes a ``|``).
    text = strip_office_markup(decoded.text.lstrip("\ufeff"))
    # A converter's metadata above the text (front matter, jina reader's header) is the page's: kept as such.
    text, header = split_header(normalise_newlines(text))
    # Pandoc's attributes and fences, which CommonMark does not know, go too (their text stays); a table the
    # converter kept as HTML tags (raw HTML is shown as text) is written as a pipe table; a layout table's one
    # cell holding the whole article (markdownify) is taken out of its frame.
    # A table drawn with box characters or in ASCII (pandoc's grid tables) is written as a pipe table too.
    text = widen_tables(unbox(unwrap_layout_cells(tables_as_rows(strip_pandoc_marks(text)))))
    # CommonMark with pipe tables; raw HTML is shown as text, never passed through.
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(name)}</title></head><body>{body}</body></html>'
    doc = read_html(page.encode("utf-8"), name, images)
    doc.format = "markdown"
    if header is not None:
        doc.page_title = header.title or doc.page_title
        doc.page_published = header.published
    doc.notes[:0] = decoded.notes
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc
