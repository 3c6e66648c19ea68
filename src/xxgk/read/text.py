"""Reading plain text files."""

from __future__ import annotations

import re

from xxgk.read.document import Document, DocumentBuilder
from xxgk.read.drawn import unbox
from xxgk.read.encoding import damage_notes, decode_bytes
from xxgk.read.furniture import strip_running_heads, strip_text_furniture
from xxgk.read.headers import split_header
from xxgk.read.layout_cells import unwrap_layout_cells
from xxgk.read.leftovers import clean_crawled
from xxgk.read.pandoc import strip_pandoc_marks
from xxgk.read.raw_tables import tables_as_rows

# CR LF, lone CR, and the Unicode line/page separators (form feeds come from PDF-to-text tools).
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def read_text(raw: bytes, name: str) -> Document:
    """Turn the bytes of a plain text file into a Document of its lines."""
    decoded = decode_bytes(raw)
    text = clean_crawled(decoded.text.lstrip("\ufeff"))
    if "\f" in text:  # pages (pdftotext): a printer's header and footer on each are not the report's
        text = strip_text_furniture(text)
    # A converter's metadata above the text (trafilatura's front matter) is the page's, not the report's text.
    text, header = split_header(normalise_newlines(text))
    # Pages shown only by their counters (— 3 —, text saved from a PDF): the title printed again at the head
    # of each would stand between a row's label and its numbers.
    text = strip_running_heads(text)
    # A page converted by pandoc and saved as text keeps pandoc's attributes and fences around its words; a
    # converter that keeps a table as its HTML tags (html2text's bypass_tables) leaves them between its cells;
    # markdownify writes a page laid out in a table as one cell holding the whole article.
    text = unwrap_layout_cells(tables_as_rows(strip_pandoc_marks(text)))
    # A table drawn with box characters or in ASCII: one line a row (a label wrapped in its box is one cell).
    text = unbox(text)
    # A final newline ends the last line; it does not open an empty one.
    if text.endswith("\n"):
        text = text[:-1]
    builder = DocumentBuilder()
    builder.add_text(text)
    doc = builder.build(name, "text", raw, [*decoded.notes, *damage_notes(text)])
    if header is not None:
        doc.page_title, doc.page_published = header.title, header.published
    return doc


def normalise_newlines(text: str) -> str:
    """Turn every kind of line break into ``\\n``, leaving the rest of the text untouched."""
    return _LINE_BREAK.sub("\n", text)
