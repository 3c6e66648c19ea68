"""Reading Markdown files: rendered to HTML (markdown-it-py, raw HTML off) and read as a web page.

A report written or converted to Markdown has ``# 标题`` headings, ``\\`` escapes and pipe
tables; read as plain text, the marks would stay in its title and prose. Rendered, headings
are lines, escapes are gone and pipe tables are real table rows with their cells.
"""

from __future__ import annotations

import hashlib
from html import escape

from xxgk.read.document import Document, ImageSource
from xxgk.read.encoding import decode
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

    text = normalise_newlines(decode(raw).lstrip("\ufeff"))
    # CommonMark with pipe tables; raw HTML is shown as text, never passed through.
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(name)}</title></head><body>{body}</body></html>'
    doc = read_html(page.encode("utf-8"), name, images)
    doc.format = "markdown"
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc
