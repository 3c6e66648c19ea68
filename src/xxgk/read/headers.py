"""The page's metadata a converter writes above the text it made of a page.

A converter that keeps a page's metadata writes it first: trafilatura's front matter
(``---`` / ``title: …`` / ``date: 2024-01-09`` / ``---``), jina reader's header (``Title: …``,
``URL Source: …``, ``Published Time: 2025-01-17T09:34:00+08:00``, then ``Markdown Content:``).
Often the page's date is kept only there (the converter dropped the line that printed it), and
the title too (trafilatura drops the article's heading). They are what a web page's ``<title>``
and ``PubDate`` are (``read/html.py``): taken off the text and kept as the page's metadata, where
a date or a title the text prints wins (``parse/meta.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# YAML front matter: ``---``, ``key: value`` lines, ``---`` (or ``...``), at the very start of the file.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:[A-Za-z_][\w-]*[ \t]*:[^\n]*\n){1,40})(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
# jina reader's header: ``Key: value`` lines (blank lines between) up to ``Markdown Content:``.
_JINA = re.compile(r"\A(?:[ \t]*\n)*((?:[A-Z][A-Za-z ]{1,30}:[^\n]*\n(?:[ \t]*\n)*){1,12})Markdown Content:[ \t]*(?:\n|\Z)")
# A field: its key (words set apart by single spaces: ``URL Source``), its value (stripped where it is read).
_FIELD = re.compile(r"^([A-Za-z_][\w-]*(?: [\w-]+)*)[ \t]*:(.*)$", re.MULTILINE)
# The keys that tell a converter's header from a report's own first lines (one is enough).
_FRONT_KEYS = frozenset({"title", "date", "url", "hostname", "sitename", "fingerprint", "author"})
_JINA_KEYS = frozenset({"title", "url source"})
_TITLE_KEYS = ("title",)
_DATE_KEYS = ("date", "published time")


@dataclass(frozen=True, slots=True)
class Header:
    title: str | None
    published: str | None


def split_header(text: str) -> tuple[str, Header | None]:
    """The text without a converter's metadata header, and what the header says (None: no header)."""
    if not text.startswith("---") and "Markdown Content:" not in text[:4000]:
        return text, None
    for pattern, keys in ((_FRONT_MATTER, _FRONT_KEYS), (_JINA, _JINA_KEYS)):
        m = pattern.match(text)
        if m is None:
            continue
        fields = {key.strip().lower(): _unquoted(value) for key, value in _FIELD.findall(m.group(1))}
        if not keys & fields.keys():
            continue
        title = next((fields[key] for key in _TITLE_KEYS if fields.get(key)), None)
        published = next((fields[key] for key in _DATE_KEYS if fields.get(key)), None)
        return text[m.end() :], Header(title, published)
    return text, None


def _unquoted(value: str) -> str:
    """A YAML scalar without its quotes (trafilatura quotes a date: ``date: "2024-01-09"``)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
