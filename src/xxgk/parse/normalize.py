"""Normalisation for matching only: quotes and output keep the original text.

``normalize`` preserves length, so an offset in the normalised text is an offset in the
document. ``compact`` removes white space for label comparison.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import opencc

from xxgk.parse.lost import LOST_MARKS, MARK, Restorer, mark_lost
from xxgk.read.cn_dates import years_to_digits
from xxgk.templates import statutory

# Full-width ASCII → half-width; ideographic, no-break and zero-width spaces → space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x200B: 0x20, 0x200C: 0x20, 0x200D: 0x20,
               0xFEFF: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
# Quotes and brackets whose forms vary between reports.
_WIDTH.update({ord(a): ord(b) for a, b in (
    ("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("〔", "["), ("〕", "]"),
    ("【", "["), ("】", "]"), ("﹝", "["), ("﹞", "]"), ("—", "-"), ("–", "-"), ("－", "-"),
    ("﹙", "("), ("﹚", ")"), ("．", "."), ("\t", " "), ("\r", " "),
    # A table drawn with box-drawing characters (a text browser's dump, w3m's or elinks'): walls and
    # corners "|", rules "-", so that its rows read as a Markdown table's (``|---|---|`` between them).
    *((ch, "|") for ch in "│┃║￨├┤┼┌┐└┘┬┴┣┫╋┏┓┗┛┳┻╠╣╬╔╗╚╝╦╩"), *((ch, "-") for ch in "─━═"),
    # A character lost in crawling or decoding, whatever mark the tool printed for it (parse/lost.py).
    *((ch, MARK) for ch in LOST_MARKS if ch != MARK),  # (a ``?`` for one: ``mark_lost``)
)})

# str.translate looks every character up in the table, at about the cost of a dict lookup each;
# the few characters to change are found instead with one pattern and replaced character by
# character (no replacement is itself replaced: the targets are ASCII characters that are not keys).
_WIDTH_CHARS = {chr(a): chr(b) for a, b in _WIDTH.items()}
_TO_CHANGE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_WIDTH_CHARS)) + "]")
# "1、属于" → "1.属于"; the 、 first, so that the search runs to the next 、 (a lookbehind first is tried everywhere).
_LIST_MARKER = re.compile(r"、(?=\D)(?<=\d、)")
# A pinyin gloss after a character, left by a site's reading aid: "規(guī)章", "數(shù)". The "(" first, then
# what stands before it: a lookbehind first would be tried at every character.
_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff\ufffd]\()(?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Short texts (lines, titles, labels) are converted once each: the search for a document's title
# converts the same few dozen lines over a hundred times (a line as itself, stripped, joined with its
# neighbour, normalised), and each OpenCC call costs microseconds whatever the length. Long texts
# (a whole document) are converted as they come, not kept.
_REMEMBERED_CHARS = 200


def to_simplified(text: str) -> str:
    """繁→简 with OpenCC."""
    if len(text) <= _REMEMBERED_CHARS:
        return _short_to_simplified(text)
    return str(_t2s().convert(text))


@lru_cache(maxsize=4096)
def _short_to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


def _simplified_same_length(text: str) -> str:
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: fall back to line by line, then char by char.
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        c = to_simplified(line)
        if len(c) != len(line):
            c = "".join(ch if len(s := to_simplified(ch)) != 1 else s for ch in line)
        out.append(c)
    return "\n".join(out)


def _to_half_width(text: str) -> str:
    """Full-width forms, odd spaces and quotes → their one plain form (``_WIDTH``)."""
    # Each character to change is found once, the search going on from there: a text holds a few
    # of them, many times each (every full-width comma), and a list of them all costs as much as the scan.
    m = _TO_CHANGE.search(text)
    while m is not None:
        ch = m.group()
        text = text.replace(ch, _WIDTH_CHARS[ch])
        m = _TO_CHANGE.search(text, m.start())
    return text


def normalize(text: str) -> str:
    """Half-width digits and punctuation, simplified characters, uniform quotes, no pinyin
    glosses (blanked), years in digits (``二〇二三年`` → ``2023年``; months and days stay as
    printed, see ``read/cn_dates.py``), characters lost in a crawl put back where the statutory words
    settle them (``行政处?`` → ``行政处罚``, see ``parse/lost.py``); same length."""
    if len(text) <= _REMEMBERED_CHARS:  # a line or a label: often normalised again (see to_simplified)
        return _short_normalize(text)
    return _normalize(text)


@lru_cache(maxsize=4096)
def _short_normalize(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = _to_half_width(mark_lost(text))
    text = _simplified_same_length(text)
    text = years_to_digits(text)
    if "(" in text:
        text = _PINYIN.sub(lambda m: " " * len(m.group()), text)
    text = _LIST_MARKER.sub(".", text)
    return _restorer().restore(text) if MARK in text else text


@cache
def _restorer() -> Restorer:
    """Lost characters are put back in the declaration's words (its words hold no mark: no recursion)."""
    return Restorer([compact(_normalize(w)) for w in group] for group in statutory().word_groups())


def compact(text: str) -> str:
    """Remove all white space (labels are printed broken over lines: ``商业\\n\\n企业``)."""
    return "".join(text.split())  # the same white space as a regex's \s, without the regex


@lru_cache(maxsize=4096)
def norm_label(text: str) -> str:
    """The comparable form of a label or a cell: normalised and without white space."""
    return compact(normalize(text))
