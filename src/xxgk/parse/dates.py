"""Dates printed with a report: when the page was published, when it was signed, what it covers.

The publication date is the page's own stamp (``发布日期：2023-01-30``, ``发布时间 : 2021- 01- 20
08 : 32``, ``来源：某局 日期：…``). Other stamps on the same page are not the publication and are
never taken for it: a crawler's (``采集时间``, ``抓取时间``), a browser's print header or footer
(date and time, then the page title; the address and ``1/3`` below), the document's
成文日期/印发日期, and the signing date under the text (kept apart as ``signed``).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from xxgk.parse.normalize import compact, normalize
from xxgk.read.cn_dates import DAY, MONTH, number

_YEAR = r"((?:19|20)\d{2})"


def spaced(*words: str) -> str:
    """A pattern for any of ``words`` with white space allowed between their characters: a page pads the
    labels of its furniture to one width (``名　　称：``, ``发布日期``, ``索 引 号``)."""
    return "(?:" + "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(words, key=len, reverse=True)) + ")"


# A date as pages print it: 2023-01-30, 2023/1/30, 2023.01.30, 2023年1月30日, with spaces anywhere;
# in the normalised text, where a year in numerals is in digits, also 2023年一月三十日 (read/cn_dates.py).
_DATE = rf"{_YEAR}\s*[-/.年]\s*({MONTH})\s*[-/.月]\s*({DAY})(?!\d)\s*日?"
_TIME = r"(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
# Labels of the publication stamp, strongest first; the characters may be spaced out.
_LABELS: tuple[tuple[str, int], ...] = (
    ("发布日期", 5), ("发布时间", 5), ("公开日期", 5), ("公开时间", 5), ("发布于", 5), ("发表时间", 5),
    ("上网时间", 4), ("发文日期", 3), ("日期", 3), ("时间", 3), ("更新时间", 2), ("更新日期", 2),
)
# Words that make a stamp something else than the publication (just before its label).
_OTHER_STAMP = re.compile(spaced(
    "采集", "抓取", "爬取", "入库", "收录", "打印", "下载", "访问", "浏览", "生成", "成文", "印发", "统计", "截止", "截至",
    "修改", "录入", "签发", "制发", "有效", "失效", "施行", "实施", "会议", "办理", "受理", "申请") + r"\s*$")
_OTHER_BEFORE = 12  # how far before a label such a word is looked for (``成　文　日　期``: padded)
_PAGE_INFO = re.compile(r"[|/]?\s*(?:" + spaced("来源", "浏览", "字号", "字体", "点击", "作者", "阅读", "分享", "打印")
                        + r"|【|\[|大\s*中\s*小)")
_SIGNED_LINE = re.compile(rf"^\s*{_YEAR}\s*年\s*({MONTH})\s*月\s*({DAY})\s*日\s*$")
# A browser's print stamp: a date with a time (and nothing else, or the page's title after it).
_PRINT_STAMP = re.compile(rf"^\s*{_YEAR}\s*/\s*\d{{1,2}}\s*/\s*\d{{1,2}}\s*(?:上午|下午)?\s*\d{{1,2}}\s*:\s*\d{{2}}")
_URL_OR_PAGER = re.compile(r"https?://|www\.|^\s*\d{1,3}\s*/\s*\d{1,3}\s*$")
_PERIOD = re.compile(
    r"(?:统计期限|统计日期|统计时间|统计区间|统计周期|统计时限|统计时段|统计范围|数据期限|时间范围)"
    r"[^。;]{0,8}?(\d{4}[^。;]{0,30}?日)[^。;]{0,6}?至\s*((?:\d{4}\s*年\s*)?"
    rf"{MONTH}\s*月\s*{DAY}\s*日)"
)
# The characters the period's labels begin with (统计…, 数据期限, 时间范围).
PERIOD_FIRSTS = "统数时"
_ISO_PARTS = re.compile(rf"(\d{{4}})\s*年\s*({MONTH})\s*月\s*({DAY})\s*日")
_MONTH_DAY = re.compile(rf"({MONTH})\s*月\s*({DAY})\s*日")

# A date standing alone is the publication only among the page's first lines.
BARE_DATE_LINES = 15
_A_YEAR = re.compile(r"(?:19|20)\d\d")
_GENERIC = frozenset({"日期", "时间"})
# The label may sit in brackets of its own (``【发布时间】2023-01-30``), or in a cell of its own, the date
# in the next (``| 发布日期 | 2023-01-30 |``: an info box in a table, as read/html and Markdown print it).
_CELL = r"(?:\|\s*)?"
_LABELLED = [
    (re.compile(r"\s*".join(label) + rf"\s*(?:\]|】)?\s*[:：]?\s*{_CELL}(?:\[|【)?\s*{_DATE}"), weight,
     label in _GENERIC)
    for label, weight in _LABELS
] + [
    # The weakest: a date after the source's name, unlabelled (``来源：某区人民政府 2023-01-30``).
    (re.compile(rf"来\s*源\s*[:：]\s*[^\s\d:：|]{{2,30}}\s+(?:\[|【)?{_DATE}"), 1, False),
]
# Any labelled stamp at all: most lines at the head of a page (menus, news lists with their
# dates) have none, and one search tells so where each label's own would take twelve.
_ANY_LABELLED = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in _LABELLED))
# Every stamp's label holds one of these characters (日期, 时间, 发布于, 来源): a line holding none of
# them holds no stamp, and most lines at the head of a page (menus, lists of news with their dates)
# are told so by plain substring tests instead of two searches.
LABEL_KEYS = ("期", "间", "布", "源")
_KEY1, _KEY2, _KEY3, _KEY4 = LABEL_KEYS  # tested one by one: a generator over them costs four times as much
# A weekday after a date (``2024年01月30日 星期二``): how a site's header prints today's date, alone.
_WEEKDAY = r"(?P<weekday>\s*(?:星期|礼拜|周)[一二三四五六日天])?"
_BARE = re.compile(rf"^\s*(?:\[|【)?\s*{_DATE}{_TIME}\s*(?:\]|】)?{_WEEKDAY}\s*(?P<rest>.*)$")
# A date inside a line, just before the page's labelled furniture (``某局…年度报告 2023-01-18 来源：某局
# 字号：大 中 小``): where a page prints its stamp; a list of news items has no 来源：… beside each date.
# Or before 发表于 and a place: how a WeChat article prints its account, date and IP location
# (``某局 2025-01-13 17:30 发表于四川``), in a page as in a long picture of it.
_DATE_BY_FURNITURE = re.compile(
    rf"(?:^|\s){_DATE}{_TIME}{_WEEKDAY}\s+(?:(?:来\s*源|浏\s*览|字\s*号|字\s*体|点\s*击|作\s*者|阅\s*读)[^\s:：]{{0,3}}\s*[:：]"
    r"|发\s*表\s*于\s*[\u4e00-\u9fff])"
)


def iso(y: str | int, m: str | int, d: str | int) -> str | None:
    """A date's ISO form; the month and the day in digits or numerals (``十二``, ``三十一``)."""
    try:
        return date(int(y), number(str(m)), number(str(d))).isoformat()
    except ValueError:
        return None


def find_published(norm_lines: list[str], body_start: int | None = None) -> str | None:
    """The page's publication date, or None.

    Labelled stamps in the first 80 lines, the strongest label winning (the first of equals);
    failing those, a date standing alone (or before 来源/浏览…) above the body (``body_start``:
    the index of the first line of the report's text, when known), unless it is a print stamp.
    """
    head = _labels_above_dates(norm_lines[:80])
    best = _labelled(head)
    if best is not None:
        return best[2]
    return _bare_date(head, norm_lines, body_start)


def _labelled(lines: list[str]) -> tuple[int, int, str] | None:
    """The strongest labelled stamp (the first of equals): (its label's weight, -its line, the date)."""
    best: tuple[int, int, str] | None = None
    for i, line in enumerate(lines):
        if not (_KEY1 in line or _KEY2 in line or _KEY3 in line or _KEY4 in line) or not _A_YEAR.search(line) \
                or not _ANY_LABELLED.search(line):
            continue
        for pattern, weight, generic in _LABELLED:
            for m in pattern.finditer(line):
                if _OTHER_STAMP.search(line[max(0, m.start() - _OTHER_BEFORE) : m.start()]) or (
                        generic and _inside_word(line, m.start())):
                    continue
                found = iso(m.group(1), m.group(2), m.group(3))
                if found and (best is None or (weight, -i) > (best[0], best[1])):
                    best = (weight, -i, found)
    return best


# The page's furniture beside a stamp printed under the article (``发布日期：… 浏览次数：412``,
# ``【打印本页】【关闭窗口】``): what tells the page's stamp from a date in the report's last lines.
FURNITURE = re.compile(r"浏\s*览|点\s*击|阅\s*读|访\s*问|打\s*印|关\s*闭|字\s*号|字\s*体|分\s*享|收\s*藏|来\s*源")
# How far from the end of the page such a stamp is looked for (lines with text).
_BELOW_LINES = 30
# A link to another page above or below the article (``上一篇：某局2021年…报告``), or a list of them
# (``相关阅读：``): what follows is other pages' (their titles, their dates).
NAVIGATION = re.compile(
    r"^\s*[\[【]?\s*(?:[上下前后]\s*一?\s*[篇条则]|" + spaced("相关", "热点", "热门", "推荐", "最新", "延伸")
    + r"(?:\s*[\u4e00-\u9fff]){0,4}\s*(?:[:：]|$))"
)


def find_published_below(norm_lines: list[str]) -> str | None:
    """The page's stamp printed under the article (``norm_lines``: those after the signature, when known): a
    labelled stamp among the last lines, above any link to other pages, with the page's furniture on its line or
    a neighbouring one (the signing date has no label)."""
    filled = [norm_lines[i] for i in range(len(norm_lines) - 1, -1, -1) if norm_lines[i].strip()][:_BELOW_LINES][::-1]
    links = next((k for k, line in enumerate(filled) if NAVIGATION.match(line)), len(filled))
    lines = _labels_above_dates(filled[:links])
    beside = [line if any(FURNITURE.search(near) for near in lines[max(0, k - 1) : k + 2]) else ""
              for k, line in enumerate(lines)]
    found = _labelled(beside)
    return found[2] if found else None


# Each run of spaces has one place to go: spaces a label, a colon and a bar could all take made a padded table
# row (a text browser's ``|  行政许可      |  3  |``) cost cubic time in its length.
_LABEL_ALONE = re.compile(
    r"^\s*(?:[•·●\-*|]\s*)?(?P<label>[\u4e00-\u9fff][\u4e00-\u9fff\s]{0,14}?[\u4e00-\u9fff])\s*(?:(?P<colon>[:：])\s*)?(?:\|\s*)?$"
)
_DATE_ALONE = re.compile(rf"^\s*(?:[•·●\-*|]\s*)?(?P<date>{_DATE}{_TIME})\s*(?:\|\s*)?$")
# Without a colon, a line is a date's label only when it names one (成文日期, 发布时间, 发布于): not a menu's item.
_NAMES_A_DATE = re.compile(spaced("日期", "时间", "日", "于") + r"\s*$")
_LABEL_ENDS = ("期", "间", "日", "于", ":", "：", "|")  # how a label alone can end (a cheap test first)


def _labels_above_dates(lines: list[str]) -> list[str]:
    """Lines with a label alone (``• 发布日期:``, ``成文日期``) joined to the date on the next line
    (a blank between), so that a stamp printed as a list of fields, or crawled from an info box as
    label and value lines, reads like one printed on one line: every date there keeps its label,
    and one labelled 成文日期 or 生成日期 is never taken for a bare one."""
    out = list(lines)
    for i in range(len(out) - 1):
        if not out[i].rstrip().endswith(_LABEL_ENDS):
            continue
        label = _LABEL_ALONE.match(out[i])
        if not label or not (label.group("colon") or _NAMES_A_DATE.search(label.group("label"))):
            continue
        j = i + 1 if out[i + 1].strip() or i + 2 >= len(out) else i + 2
        date_line = _DATE_ALONE.match(out[j])
        if date_line:
            out[i] = f"{label.group('label')}:{date_line.group('date')}"
            out[j] = ""
    return out


_BY_FURNITURE = re.compile(spaced("来源", "作者", "编辑", "字号", "浏览", "点击") + r"[^\s]{0,20}$")


def _inside_word(line: str, start: int) -> bool:
    """``时间`` inside a longer word (``统计时间``, ``办理时间``, letter-spaced ``办 理 时 间``): the label is
    not a stamp's."""
    before = line[:start]
    if line[start + 1 : start + 2].isspace():  # a label spaced out: so is the rest of its word
        before = before.rstrip()
    return bool(before) and bool(re.match(r"[\u4e00-\u9fff]", before[-1])) and not _BY_FURNITURE.search(before)


def _bare_date(head: list[str], norm_lines: list[str], body_start: int | None) -> str | None:
    """A date without a label in the first lines: alone, or before (or among) the page's furniture.

    ``head``: the first lines with labels joined to their dates (a date under a label is not bare).
    """
    limit = min(BARE_DATE_LINES, body_start) if body_start is not None else BARE_DATE_LINES
    starts: Counter[str] | None = None  # how often each date starts a line (counted only when one may be taken)
    for i, line in enumerate(head[:limit]):
        m = _BARE.match(line)
        if not m or _PRINT_STAMP.match(line):
            m = _DATE_BY_FURNITURE.search(line) if _A_YEAR.search(line) else None
            if m and not _near(norm_lines, i, _URL_OR_PAGER):
                return iso(m.group(1), m.group(2), m.group(3))
            continue
        if starts is None:
            starts = Counter(_date_key(ln) for ln in norm_lines if _BARE.match(ln))
        if starts[_date_key(line)] > 1:
            continue
        rest = m.group("rest")
        # A weekday after the date and nothing of the page's beside it: a site's header printing today's date.
        if (rest or m.group("weekday")) and not _PAGE_INFO.match(rest):
            continue
        if _near(norm_lines, i, _URL_OR_PAGER):
            continue
        return iso(m.group(1), m.group(2), m.group(3))
    return None


def _date_key(line: str) -> str:
    m = _BARE.match(line)
    return compact(line[: m.end(4)]) if m else ""


def _near(lines: list[str], i: int, pattern: re.Pattern[str]) -> bool:
    """A page's address or page counter on a neighbouring line (a browser's header or footer)."""
    return any(pattern.search(lines[j]) for j in (i - 1, i + 1) if 0 <= j < len(lines))


def dated_alone(line: str) -> bool:
    """A line holding only a date written out (``2025年1月20日``): how a signature, a notice or a cover is dated."""
    return _SIGNED_LINE.match(line) is not None


def find_signed(norm_lines: list[str]) -> tuple[str | None, int | None]:
    """The signing date (a line holding only a date, near the end) and that line's index."""
    filled = 0
    for i in range(len(norm_lines) - 1, -1, -1):  # the last twelve lines that are not blank, from the end
        line = norm_lines[i]
        if not line.strip():
            continue
        filled += 1
        if filled > 12:
            break
        m = _SIGNED_LINE.match(line)
        if m:
            return iso(m.group(1), m.group(2), m.group(3)), i
    return None, None


# A signing date whose 年 and 月 were lost in the crawl (``2023130日``): the year, then the month's and the day's digits.
_SIGNED_LOST = re.compile(r"^\s*((?:19|20)\d{2})(\d{2,4})\s*日\s*$")


def find_signed_lost(norm_lines: list[str]) -> tuple[str, list[str], int] | None:
    """A signing date that lost its 年 and 月 (``2023130日``, where find_signed finds none): the line as printed,
    every valid date it can be read as (2023-01-30; ``2020121日`` is 2020-01-21 or 2020-12-01), its index."""
    filled = 0
    for i in range(len(norm_lines) - 1, -1, -1):  # where find_signed looks
        if not norm_lines[i].strip():
            continue
        filled += 1
        if filled > 12:
            break
        m = _SIGNED_LOST.match(norm_lines[i])
        if m:
            year, rest = m.group(1), m.group(2)
            readings = [found for k in (1, 2) if 1 <= len(rest) - k <= 2 and (found := iso(year, rest[:k], rest[k:]))]
            return norm_lines[i].strip(), readings, i
    return None


def find_period(norm: str) -> dict[str, str | None] | None:
    """The statistical period as stated (``自2022年1月1日起至2022年12月31日止``)."""
    head = norm[:6000]
    # Searched from the first character a label can begin with: a site's menus can fill the head of the page.
    firsts = [i for i in map(head.find, PERIOD_FIRSTS) if i >= 0]
    m = _PERIOD.search(head, min(firsts)) if firsts else None
    if not m:
        return None
    start = to_iso(m.group(1))
    end = to_iso(m.group(2))
    if end is None and start is not None:  # "2010年1月1日至12月31日": the end in the same year
        md = _MONTH_DAY.search(compact(m.group(2)))
        end = iso(start[:4], md.group(1), md.group(2)) if md else None
    return {"start": start, "end": end, "text": compact(m.group(0))}


def to_iso(text: str) -> str | None:
    t = compact(text)
    m = _ISO_PARTS.search(t)
    if m:
        return iso(m.group(1), m.group(2), m.group(3))
    # Characters lost in scraping: "202211日" (2022年1月1日), "20221231日".
    digits = re.sub(r"\D", "", t)
    if len(digits) == 8:
        return iso(digits[:4], digits[4:6], digits[6:])
    if len(digits) == 6:
        return iso(digits[:4], digits[4], digits[5])
    return None


_STAMP = re.compile(rf"\s*{_DATE}")


def stamp_to_iso(text: str) -> str | None:
    """A stamp that starts with its date (``2023-01-20 10:00``, ``2023-01-20T10:00:00+08:00``) → the date."""
    m = _STAMP.match(normalize(text))  # full-width digits, a year in numerals
    return iso(m.group(1), m.group(2), m.group(3)) if m else None
