"""Real reports with their years and dates printed in Chinese numerals, as formal reports print them.

Titles (``某局二〇二三年政府信息公开工作年度报告``), the statistical period (``自二〇二三年一月一日起至二〇二三年
十二月三十一日止``), opening sentences (``二〇二三年，我局…``), headings, the signature
(``二〇二四年一月十八日``) and dated stamps (``发布时间:二〇二二年一月三十日``). The zero is printed 〇,
零, ○ or, mistyped, a Latin O. Spacing is kept as printed (``2024 年 1 月 1 日`` from pdftotext
becomes ``二〇二四 年 一 月 一 日``).

``years``   every year before 年 in numerals (dates keep their digit month and day)
``dates``   the same, and every month and day before 月/日 in numerals too (``十二月三十一日``)
``title``   only the year in the title's line

No pytest in here.
"""

from __future__ import annotations

import re

ZEROS = ("〇", "零", "○", "O")
_NUMERALS = "一二三四五六七八九"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(\s*年)")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})(\s*月\s*)(\d{1,2})(\s*日)")
_TITLE_WORDS = re.compile(r"年度?(?:政府信息公开|政务公开|信息公开)|年度报告|年报")


def numeral_year(year: str, zero: str) -> str:
    """``2023`` → ``二〇二三`` (digit by digit, the zero as given)."""
    return "".join(zero if d == "0" else _NUMERALS[int(d) - 1] for d in year)


def numeral_number(value: int) -> str:
    """A month or a day: ``1`` → ``一``, ``10`` → ``十``, ``12`` → ``十二``, ``31`` → ``三十一``."""
    tens, ones = divmod(value, 10)
    if not tens:
        return _NUMERALS[ones - 1]
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + ("" if not ones else _NUMERALS[ones - 1])


def years(text: str, zero: str = "〇") -> str:
    return _YEAR.sub(lambda m: numeral_year(m.group(1), zero) + m.group(2), text)


def dates(text: str, zero: str = "〇") -> str:
    def month_day(m: re.Match[str]) -> str:
        month, day = int(m.group(1)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group()
        return numeral_number(month) + m.group(2) + numeral_number(day) + m.group(4)

    return years(_MONTH_DAY.sub(month_day, text), zero)


def title(text: str, zero: str = "〇") -> str:
    """The year in numerals in the first line (of the first 15) that names the report with a year."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:15]):
        if _TITLE_WORDS.search(line) and _YEAR.search(line):
            lines[i] = years(line, zero)
            break
    return "\n".join(lines)


VARIATIONS = {"years": years, "dates": dates, "title": title}
