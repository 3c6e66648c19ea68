"""Normalisation for matching only: quotes and output keep the original text.

``normalize`` preserves length, so an offset in the normalised text is an offset in the
document. ``compact`` removes white space for label comparison.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import opencc

# Full-width ASCII → half-width; ideographic, no-break and zero-width spaces → space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x200B: 0x20, 0x200C: 0x20, 0x200D: 0x20,
               0xFEFF: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
# Quotes and brackets whose forms vary between reports.
_WIDTH.update({ord(a): ord(b) for a, b in (
    ("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("〔", "["), ("〕", "]"),
    ("【", "["), ("】", "]"), ("﹝", "["), ("﹞", "]"), ("—", "-"), ("–", "-"), ("－", "-"),
    ("﹙", "("), ("﹚", ")"), ("．", "."), ("\t", " "), ("\r", " "),
)})

# The table as a list over the Basic Multilingual Plane: str.translate looks a code point up in a list
# at C speed, where a dict lookup that misses (nearly every character of Chinese text) is twice as slow.
# Code points beyond the list are left as they are, as are those the dict does not hold.
_WIDTH_TABLE = list(range(0x10000))
for _cp, _to in _WIDTH.items():
    _WIDTH_TABLE[_cp] = _to
# "1、属于" → "1.属于"; the 、 first, so that the search runs to the next 、 (a lookbehind first is tried everywhere).
_LIST_MARKER = re.compile(r"、(?=\D)(?<=\d、)")
# A pinyin gloss after a character, left by a site's reading aid: "規(guī)章", "數(shù)".
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """繁→简 with OpenCC."""
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


def normalize(text: str) -> str:
    """Half-width digits and punctuation, simplified characters, uniform quotes, no pinyin
    glosses (blanked); same length."""
    text = text.translate(_WIDTH_TABLE)
    text = _simplified_same_length(text)
    if "(" in text:
        text = _PINYIN.sub(lambda m: " " * len(m.group()), text)
    return _LIST_MARKER.sub(".", text)


def compact(text: str) -> str:
    """Remove all white space (labels are printed broken over lines: ``商业\\n\\n企业``)."""
    return "".join(text.split())  # the same white space as a regex's \s, without the regex


@lru_cache(maxsize=4096)
def norm_label(text: str) -> str:
    """The comparable form of a label or a cell: normalised and without white space."""
    return compact(normalize(text))
