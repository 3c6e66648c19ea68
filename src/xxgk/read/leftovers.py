"""What a crawl leaves of a page's markup in the text it saved: character references and Word's markup.

A crawler that keeps a page's text, not the page, may keep what the page's markup put in it: the
character references a browser would have shown as characters (``0&nbsp;``, ``&#12288;``, ``&amp;``;
a page escaped twice shows ``&amp;nbsp;`` as ``&nbsp;``, and a crawl of it keeps that), and the markup
of a page saved from Word that a tag stripper did not know (``<o:p></o:p>`` after a number,
``<!--[if !supportLists]-->一、<!--[endif]-->`` before a heading, the ``<xml>`` of the document's
properties inside a conditional comment). A cell reading ``8<o:p></o:p>`` or ``8&nbsp;`` is no number:
its row would be lost. The text is turned into what the browser showed. In a web page itself the
parser does this (comments and Word's elements are nodes the walk passes over, ``read/html.py``); only
references escaped twice are left to ``decode_references``.
"""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5

# A reference as HTML writes one, closed by its semicolon: named (&nbsp;), decimal (&#12288;), hex (&#x3000;).
# Without the semicolon ``&not`` in ``&notice`` would be one: only the well-formed are taken.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A page escaped twice (&amp;nbsp;) shows its references as text; more rounds than this is no page.
_ROUNDS = 3
# The tags of Word's namespaces (Office, Word, VML, Excel, OMML, smart tags): <o:p>, </o:p>, <st1:chsdate …>.
_OFFICE_TAG = re.compile(r"</?(?:o|w|v|x|m|w10|wx|st\d{1,2}):[A-Za-z][\w.-]*(?:\s[^<>]*)?/?>")
# Word's downlevel-revealed conditionals (<![if !supportLists]>, <![endif]>): markers around text shown.
_REVEALED = re.compile(r"<!\[(?:if\b[^\]<>]{0,100}|endif)\]>")


def clean_crawled(text: str) -> str:
    """The text a crawl saved of a page, as the page showed it: references decoded, Word's markup gone."""
    return strip_office_markup(decode_references(text))


def decode_references(text: str) -> str:
    """The text with its well-formed character references decoded (``&amp;nbsp;`` twice over)."""
    if "&" not in text:
        return text
    for _ in range(_ROUNDS):
        decoded = _REFERENCE.sub(_character, text)
        if decoded == text:
            break
        text = decoded
    return text


def _character(m: re.Match[str]) -> str:
    """The character a reference stands for; a name HTML does not know stays as written."""
    reference = m.group()
    if reference[1] != "#" and reference[1:] not in html5:
        return reference
    return unescape(reference)


def strip_office_markup(text: str) -> str:
    """The text without comments (Word's conditional ones among them) and the tags of Word's namespaces."""
    if "<" not in text:
        return text
    text = _strip_comments(text)
    text = _OFFICE_TAG.sub("", text)
    return _REVEALED.sub("", text)


def _strip_comments(text: str) -> str:
    """The text without ``<!-- … -->`` comments; one never closed stays (it hides nothing a browser showed)."""
    start = text.find("<!--")
    if start < 0:
        return text
    parts: list[str] = []
    kept = 0
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:  # no comment after this one can close either: one pass, whatever the text
            break
        parts.append(text[kept:start])
        kept = end + 3
        start = text.find("<!--", kept)
    parts.append(text[kept:])
    return "".join(parts)
