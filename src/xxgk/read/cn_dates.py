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
# Most texts hold no such year, told at a fraction of the year's search: none of the zeros that are not
# ASCII (a one-character test each), and no 二O, 二0 or 一九 (one small search).
_ZERO_MARKS = "〇零○◯Ｏ０"
_OTHER_STARTS = re.compile(r"二 ?[O0]|一 ?九")

# A month or a day, in digits or numerals (``12``, ``十二``, ``三十一``; 元月 is January).
MONTH = rf"(?:\d{{1,2}}|十[一二]?|[{_NUMERALS}元])"
DAY = rf"(?:\d{{1,2}}|[二三]?十[{_NUMERALS}]?|[{_NUMERALS}])"


def years_to_digits(text: str) -> str:
    """``二〇二三年`` → ``2023年`` wherever a year is printed in numerals; same length."""
    if "年" not in text or not (any(zero in text for zero in _ZERO_MARKS) or _OTHER_STARTS.search(text)):
        return text
    return _CN_YEAR.sub(_year_digits, text)


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
