"""The charset a server states for a page: used when the bytes agree with it, ignored otherwise."""

from __future__ import annotations

import codecs

from xxgk.read.document import ReadError
from xxgk.read.encoding import decode

# Python's gb2312 and gbk codecs are strict subsets of what such labelled pages hold;
# Big5 pages use the Windows and Hong Kong extensions.
_SUPERSETS = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs", "cp950"),
}
_TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml"})


def bytes_for_reader(raw: bytes, media_type: str, charset: str | None) -> bytes:
    """Turn a text response into bytes the readers decode as the server says, when the bytes agree.

    The readers know the ``<meta>`` charset and the usual encodings but not the HTTP header.
    Government servers often label pages wrongly (``utf-8`` for GBK, ``iso-8859-1`` by default):
    the header only wins when the bytes decode under it strictly and read as plausible Chinese;
    the page then goes to the reader as UTF-8 with a byte order mark, which readers honour first.
    """
    if not charset or media_type not in _TEXT_TYPES:
        return raw
    codecs_named = _codecs_for(charset)
    if not codecs_named:
        return raw
    try:
        text = decode(raw, charset)
    except ReadError:
        return raw  # not text at all: the reader says so in its own words
    if not any(_decodes_to(raw, codec, text) for codec in codecs_named):
        return raw
    return codecs.BOM_UTF8 + text.encode("utf-8")


def _codecs_for(label: str) -> tuple[str, ...]:
    """Turn a charset label into the Python codecs that may stand for it (empty if unknown)."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return ()
    return _SUPERSETS.get(name, (name,))


def _decodes_to(raw: bytes, codec: str, text: str) -> bool:
    """Tell whether the bytes, decoded strictly with the codec, give exactly this text."""
    try:
        return raw.decode(codec) == text
    except UnicodeDecodeError:
        return False
