"""Years and dates printed in Chinese numerals (``二〇二三年``, ``二〇二四年一月十八日``): the one reading of them.

Formal reports print them so in titles, the statistical period (``自二〇二三年一月一日起至二〇二三年
十二月三十一日止``), opening sentences (``二〇二三年，我局…``), headings and the signature. The zero is
written 〇, 零, ○ or, mistyped, a Latin O.

A year's four numerals become four ASCII digits (``years_to_digits``): the same length, so the
normalised text keeps the document's offsets (``parse/normalize.py`` applies it) and every pattern
that reads a digit year reads these too. Months and days cannot be rewritten so: ``十月`` is one
numeral for two digits, ``三十一日`` three for two, and every offset after them would shift. The date
patterns accept them as printed instead (``MONTH``, ``DAY``), and ``number`` gives their value.
Only a year followed by 年 is read: ``十二条``, ``一二三`` in prose and list markers ``一、`` are not years.
"""

from __future__ import annotations

import re

_ZEROS = "〇零○◯OＯ0０"
_NUMERALS = "一二三四五六七八九"
_VALUES = {ch: i + 1 for i, ch in enumerate(_NUMERALS)}
_TO_DIGITS = str.maketrans(_ZEROS + _NUMERALS, "0" * len(_ZEROS) + "123456789")
# 19xx or 20xx in numerals, then 年; a letter-spaced title's ``二 〇 二 三 年`` too (its spaces are kept).
_CN_YEAR = re.compile(rf"(?:一 ?九|二 ?[{_ZEROS}])(?: ?[{_ZEROS}{_NUMERALS}]){{2}}(?=\s*年)")
# What a year cannot follow: it would be the tail of a longer number (``十二〇二三年``).
_NOT_BEFORE = frozenset(_ZEROS + _NUMERALS + "十百千万0123456789")
# Most texts hold no such year, told at a fraction of the year's search and character by character
# (one character is found many times faster than a pattern that enters every position of a page):
# none of the zeros that are not ASCII, no 二 before an ASCII O or 0, no 一 before 九.
_ZERO_MARKS = "〇零○◯Ｏ０"
_ASCII_ZEROS = ("O", "0", " O", " 0")
_ONE = ("一", "一 ")

# A month or a day, in digits or numerals (``12``, ``十二``, ``三十一``; 元月 is January).
MONTH = rf"(?:\d{{1,2}}|十[一二]?|[{_NUMERALS}元])"
DAY = rf"(?:\d{{1,2}}|[二三]?十[{_NUMERALS}]?|[{_NUMERALS}])"


def years_to_digits(text: str) -> str:
    """``二〇二三年`` → ``2023年`` wherever a year is printed in numerals; same length."""
    if not _may_print_year(text):
        return text
    return _CN_YEAR.sub(_year_digits, text)


def _may_print_year(text: str) -> bool:
    """Whether the text may print a year in numerals (``二〇二三年``, ``一九九八年``); False is certain."""
    if "年" not in text:
        return False
    if any(zero in text for zero in _ZERO_MARKS):
        return True
    i = text.find("二")
    while i >= 0:
        if text.startswith(_ASCII_ZEROS, i + 1):
            return True
        i = text.find("二", i + 1)
    i = text.find("九")
    while i >= 0:
        if text.endswith(_ONE, 0, i):
            return True
        i = text.find("九", i + 1)
    return False


def _year_digits(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] in _NOT_BEFORE:
        return m.group()
    return m.group().translate(_TO_DIGITS)


def number(text: str) -> int:
    """The value of a month or a day as matched by ``MONTH`` or ``DAY`` (``12``, ``十二``, ``元``)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    tens, ten, ones = text.partition("十")
    if not ten:
        return _VALUES[text]
    return (_VALUES[tens] if tens else 1) * 10 + (_VALUES[ones] if ones else 0)
