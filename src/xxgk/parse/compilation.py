"""A document that holds several annual reports → where each begins and ends.

A city's 汇编 of its departments' reports (a title, a 目录, then each report in full), a government's
page carrying its own report and then its departments', a county's page with every township's report
pasted one after another: each report is read on its own or its tables and title mix with the next
one's. A report begins at a title line (``某局2023年政府信息公开工作年度报告``) whose text then opens
the report: its first part (``一、总体情况``; a legacy report's first numbered part, or its 概述; its
主动公开… where its parts all lost their numbers) with words in it, and another part after it (or, where
the next report's title follows, sentences: a report cut short after its first part). A contents page's
entries open nothing (the parts they list are empty), nor do a page's running header (the report's own
title again, further into its parts), links to other reports, a notice's list of its attachments or a
report's 附表 (its title goes on after the report's name). A report that prints no title (a page's own,
titled by the page) is found before the first title only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from xxgk.model import Finding
from xxgk.parse.dates import NAVIGATION, dated_alone
from xxgk.parse.meta import body_start
from xxgk.parse.normalize import compact, normalize, to_simplified
from xxgk.parse.regions import CompactText, Heading, find_headings, find_legacy_headings
from xxgk.parse.title import (
    REPORT_WORDS,
    agency_and_year,
    has_report_words,
    is_name_line,
    is_title_like,
    strip_furniture,
    tidy,
)
from xxgk.read.document import Document, Line
from xxgk.templates import statutory


@dataclass(frozen=True, slots=True)
class Part:
    """One report of a document that holds several."""

    start: int  # offset of its first line (its title's; 0 for a report before any title)
    end: int  # offset where the next report begins (the text's end for the last)
    title: str | None  # its title as printed, None where it prints none
    key: tuple[str | None, int | None] | str  # who reports for which year (or the title): the same report again


# Words a report's title line holds (cheap test first: most lines are prose or table rows).
_HINTS = ("报告", "年报", "報告", "年報")
# Each is found by its 报 or 報 (per character, the words holding it and where): one CJK character is found
# in C at memory speed, a word of two absent from the page (as 報告 mostly is) costs ten times as much.
_HINTS_BY_CHAR = {ch: tuple((word, word.index(ch)) for word in _HINTS if ch in word) for ch in "报報"}
_TITLE_CHARS = 120
# A contents page's entry: the title, then leader dots or a tab and its page number.
# A run of leaders or spaces is tried from its start only: from every position inside it, a long padded line
# cost cubic time.
_CONTENTS_ENTRY = re.compile(r"(?:(?<![.…·．。_\-—])[.…·．。_\-—]{2,}\s*|(?<!\s)(?:\s{2,}|\t)|[.…·]\s+)\d{1,4}\s*$")
_CONTENTS = ("目录", "目錄")
# A compilation's own number before a report's title (``3. 某局…报告``, ``（二）某局…报告``).
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}\s*[、.．]|[(（]?[一二三四五六七八九十]{1,3}[)）、]|[(（]\d{1,3}[)）])\s*")
# A folder of a path or a site's address (a report's title holds no Latin word followed by a slash).
_PATH = re.compile(r"[A-Za-z][\w.-]*/")
# After the report's name, only its body's name or a mark in brackets (``（某局）``, ``（全文）``).
_BRACKETED = re.compile(r"[(（][^()（）]{1,40}[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A part numbered first (normalised): ``一、``, ``第一部分``, ``（一）``, ``1.``.
_FIRST = re.compile(r"^\s*(?:第一部分|\(一\)|一(?![一二三四五六七八九十])|1(?!\d))")
_FIRST_LINE = re.compile(r"(?m)^[\s#*]*(?:第一部分|\(一\)|一(?![一二三四五六七八九十])|1\.(?!\d))")
# How many of the other reports' titles the finding names (a city's 汇编 can hold fifty).
_NAMED = 10


def find_reports(text: str, norm: str) -> list[Part]:
    """The reports ``text`` (``norm``: normalised) holds, in order, when it holds more than one; else []."""
    starts = _title_starts(text)
    if len({p.key for p in starts}) < 2:
        return []  # one report's title (printed again as a page's heading, its header), or none
    if starts[0].start > 0:  # a report may stand before any title (a page's own, titled by the page)
        starts.insert(0, Part(0, 0, None, ""))
    ends = [p.start for p in starts[1:]] + [len(text)]
    if sum(1 for p, end in zip(starts, ends, strict=True) if _may_open(norm[p.start : end])) < 2:
        return []  # as good as every document: no heading work
    parts: list[Part] = []
    above: Part | None = None  # the title just above that opened nothing
    for cand, end in zip(starts, ends, strict=True):
        if not any(cand.key == p.key for p in parts) and _opens_report(
                text[cand.start : end], norm[cand.start : end], cut_short=end < len(text)):
            if above is not None and above.key == cand.key and _printed_again(text, above.start, cand.start):
                # Its title printed twice (a page's heading, then the article's; the title, then an info box's
                # 中文名): the report begins at the first, or the lines between go to the report above.
                cand = replace(cand, start=above.start, title=above.title)
            parts.append(replace(cand, end=end))
            above = None
        else:  # a running header, a link, a contents entry, the same report again: the report goes on
            if parts:
                parts[-1] = replace(parts[-1], end=end)
            above = cand
    if len(parts) < 2:
        return []
    # Each report from its page's furniture above its title on: the report above ends where that begins.
    return [*(replace(p, end=_lead_start(text, p.start, after.start)) for p, after in pairwise(parts)), parts[-1]]


def first_report(doc: Document, parts: list[Part]) -> Document:
    """The document narrowed to its first report, offsets and line numbers kept (see ``nth_report``)."""
    return nth_report(doc, parts, 0)


def nth_report(doc: Document, parts: list[Part], k: int) -> Document:
    """The document narrowed to its report ``k`` (from 0), offsets and line numbers kept.

    The lines after it are dropped, the lines before it blanked. Before the first report, only the lines
    that name reports (the compilation's title, a notice's list of attachments), the contents (its entries list
    the parts too) and a date printed alone (a notice's or a cover's: when it was signed, not published) are
    blanked: the page's furniture and stamps above its title are the first report's, as they are a single
    report's. A later report is read from its own lines only: its page's furniture above its title is given by
    ``lead_in``, the date the file prints for all of them by ``file_head``, and stands for it only where it prints
    none of its own. The page's titles are kept for the first report only, where they name it.
    """
    own = parts[k]
    lines: list[Line] = []
    for line in doc.lines:
        if line.offset >= own.end:
            break
        if line.offset < own.start and (k > 0 or _names_reports(line.text) or dated_alone(normalize(line.text))):
            line = Line(" " * len(line.text), line.offset, line.number)
        lines.append(line)
    titled = k == 0
    return replace(doc, text="\n".join(line.text for line in lines), lines=lines,
                   page_title=_own_title(doc.page_title) if titled else None,
                   page_article_title=_own_title(doc.page_article_title) if titled else None,
                   page_published=doc.page_published if titled else None)


# How many lines with text a page's furniture above a report's title can take (a printed page's header, its
# crumbs and its info box take about ten).
_LEAD_LINES = 20
# What ends the report above: a sentence, a row of its table (a number in a cell of its own, numbers spaced
# apart, a row numbered as its items are), a heading of its parts, where its page ends.
_PROSE = re.compile(r"[。；;]")
_NUMBERS_ROW = re.compile(r"^[\s|\d.,%-]*\d[\s|\d.,%-]*$|(?:^|\|)\s*\d+(?:\.\d+)?\s*(?:\||$)|\d\s{2,}\d+\s{2,}\d")
_PART_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|\d{1,2}\s*[.、](?!\d))")
_PAGE_END = re.compile(r"打\s*印\s*(?:本|此)\s*页|关\s*闭\s*(?:窗\s*口|本\s*页)")


def lead_in(doc: Document, parts: list[Part], k: int) -> list[str]:
    """The lines of a later report's page printed just above its title, between the report above and it (a
    printed page's header and info box, a crawler's ``标题:``/``发布时间:`` block): [] for the first."""
    if k == 0:
        return []
    return [line.text for line in doc.lines if parts[k - 1].end <= line.offset < parts[k].start]


def _lead_start(text: str, above: int, title: int) -> int:
    """Where a report's page furniture above its title begins (``title``; ``above``: the report above's start): up
    from the title to where the report above ends, its last sentence, its signing date, a row of its table, a
    link list under it, its page's 打印本页/关闭窗口; the title itself where none is in sight."""
    lead, filled = title, 0
    while lead > above:
        begin = text.rfind("\n", 0, lead - 1) + 1
        if begin <= above:
            return title  # up to the report above's title: nothing tells its lines from this one's
        line = normalize(text[begin : lead - 1])
        if line.strip():
            if (_PROSE.search(line) or dated_alone(line) or NAVIGATION.match(line) or _PAGE_END.search(line)
                    or _NUMBERS_ROW.search(line) or _PART_HEADING.match(line)):
                return lead
            filled += 1
            if filled > _LEAD_LINES:
                return title  # no end of the report above in sight
        lead = begin
    return title


def _printed_again(text: str, first: int, again: int) -> bool:
    """Whether the title at ``first`` is the report's own, printed again at ``again``: a title alone on its line (a
    notice's ``附件：…`` names the report it carries), no date printed alone between (the notice's signing date)."""
    end = text.find("\n", first)
    line = text[first : end if end >= 0 else len(text)]
    prefix = line[: line.find(strip_furniture(line))]
    if _CJK.search(prefix) or ":" in prefix or "：" in prefix:
        return False
    return not any(dated_alone(normalize(between)) for between in text[end:again].split("\n"))


# How far below the first report's title its text is looked for (its page's stamp and info lines come first).
_HEAD_LINES = 40


def file_head(doc: Document, parts: list[Part]) -> list[str]:
    """The lines that head the whole file, where what it prints for all its reports stands (a compilation's title
    and its stamp, a page's crumbs and its 发布时间): up to its contents page (what follows it is the reports'),
    and to the first report's text."""
    lines = doc.text[: parts[0].end].split("\n")
    titled = doc.text.count("\n", 0, parts[0].start)
    end = titled + body_start([normalize(line) for line in lines[titled : titled + _HEAD_LINES]])
    contents = next((i for i, line in enumerate(lines[:end]) if _lists_reports(line)), end)
    return lines[:contents]


def _lists_reports(line: str) -> bool:
    """A contents page's heading or entry."""
    return compact(line) in _CONTENTS or (_CONTENTS_ENTRY.search(line) is not None and has_report_words(line))


def _names_reports(line: str) -> bool:
    """A line of a compilation's head that names its reports or lists them: its title, its contents."""
    return has_report_words(line) or _CONTENTS_ENTRY.search(line) is not None or compact(line) in _CONTENTS


def compilation_finding(parts: list[Part]) -> Finding:
    """What the user is told: how many reports, which were not read, and to split the file."""
    first = f"《{parts[0].title}》" if parts[0].title else "第一份报告"
    others = "、".join(f"《{p.title}》" if p.title else "（无标题的报告）" for p in parts[1:_NAMED + 1])
    more = f"等{len(parts) - 1}份" if len(parts) - 1 > _NAMED else ""
    return Finding(rule="PARSE-COMPILATION", severity="warning", where="source",
                   message=(f"本文件收有{len(parts)}份政府信息公开工作年度报告，只识别了其中第一份{first}，"
                            f"表格和标题等只取自这一份；未识别的还有{others}{more}。"
                            "可用 xxgk parse --all 逐份识别，或把每份报告拆分为单独的文件后分别识别"))


def part_finding(parts: list[Part], k: int) -> Finding:
    """What the user is told of report ``k`` (from 0) read on its own: which of how many it is."""
    title = f"《{parts[k].title}》" if parts[k].title else "（无标题的报告）"
    return Finding(rule="PARSE-COMPILATION-PART", severity="info", where="source",
                   message=(f"本文件收有{len(parts)}份政府信息公开工作年度报告，这是第{k + 1}份{title}；"
                            "表格和元数据只取自这一份的正文"))


def _own_title(page_title: str | None) -> str | None:
    """A page's title where it names one report; None where it names the compilation (``…年度报告汇编``)."""
    if page_title is None or _report_title(strip_furniture(page_title)) is None:
        return None
    return page_title


def _title_starts(text: str) -> list[Part]:
    """Every line that prints a report's title, where the title begins (a line above may hold its first half)."""
    found: list[Part] = []
    for start in _hinted_lines(text):
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        if len(line) > _TITLE_CHARS or NAVIGATION.match(line) or _CONTENTS_ENTRY.search(line) or _listed(text, start):
            continue  # prose; a link to another page, or in a list of them; a contents page's entry (its report comes later)
        title = _report_title(_NUMBERED.sub("", strip_furniture(line)))
        if title is None or _PATH.search(title):
            continue  # no title; a file's path or a link's address naming the report (a crawler's 本地目录: …/…报告)
        agency, year = agency_and_year(title)
        above = _line_above(text, start)
        if (agency is None or year is None) and above is not None:
            # "洪泽区人民政府\n2023年…报告", "某局2023年度\n政府信息公开…报告": the title's first half above it.
            prev_line = text[above : text.find("\n", above)]
            prev = strip_furniture(prev_line)
            a, y = agency_and_year(prev + title)
            if a is not None and y is not None and (is_name_line(prev_line) or year is None):
                start, title, agency, year = above, tidy(prev + title), a, y
        if year is not None:
            found.append(Part(start, start, title, (agency, year) if agency else compact(title)))
    return found


# How many links above a line a list of them (``相关阅读``, then each report's title and date) is looked for.
_LINKS = 8


def _listed(text: str, start: int) -> bool:
    """Whether the line at ``start`` is an entry of a list of links under its heading (``相关阅读``, ``相关链接``): the
    lines above it up to that heading are all other entries (a report's title, with its date)."""
    end = start - 1
    for _ in range(_LINKS):
        if end <= 0:
            return False
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if NAVIGATION.match(line):
            return True
        if line.strip() and not has_report_words(line):
            return False
        end = begin - 1
    return False


def _hinted_lines(text: str) -> list[int]:
    """Where each line naming a report begins (str.find, in C: a page has hundreds of lines, a few name one)."""
    starts: set[int] = set()
    for ch, words in _HINTS_BY_CHAR.items():
        at = text.find(ch)
        while at >= 0:
            if any(k <= at and text.startswith(word, at - k) for word, k in words):
                starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(ch, at + 1)
    return sorted(starts)


def _line_above(text: str, start: int) -> int | None:
    """Where the line with text just above the line at ``start`` begins (a blank line between allowed), if it
    can be a title's half."""
    end = start - 1
    for _ in range(2):
        if end <= 0:
            return None
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if line.strip():
            stripped = strip_furniture(line)
            return begin if is_title_like(stripped) and not has_report_words(stripped) else None
        end = begin - 1
    return None


def _report_title(text: str) -> str | None:
    """``text`` tidied when it is a report's title: short, no sentence, and ending with the report's name.

    What goes on after the name is no report's title: ``…年度报告汇编``, ``…年度报告附表``,
    ``关于…年度报告的通知``.
    """
    if not is_title_like(text):
        return None
    words = compact(normalize(to_simplified(text)))
    last = None
    for m in REPORT_WORDS.finditer(words):
        last = m
    if last is None:
        return None
    rest = words[last.end() :]
    if rest and _BRACKETED.fullmatch(rest) is None:
        return None
    return tidy(text)


def _may_open(norm: str) -> bool:
    """Cheap: whether a text can open a report (a line begins with the first numeral, or the overview is named)."""
    return any(word in norm for word in _overview_words()) or _FIRST_LINE.search(norm) is not None


def _opens_report(segment: str, norm: str, *, cut_short: bool = False) -> bool:
    """Whether a title's text opens a report: its first part (numbered 一, or the overview) holds words, and
    another part follows it. A page's running header stands further into the parts; a contents page's are empty.

    ``cut_short``: another report's title follows, so a report whose text stops after its first part (an excerpt,
    the rest lost in the crawl or printed as pictures) opens one where that part is prose of some length.
    """
    if not _may_open(norm):
        return False
    ct = CompactText(norm)
    for find in (find_headings, find_legacy_headings):
        headings = find(ct, segment)
        if not headings:
            continue
        first = min(headings.values(), key=lambda h: h.start)
        if not _is_first_part(first, headings, legacy=find is find_legacy_headings):
            continue
        if len(headings) >= 2 and _holds_words(ct, first, headings):
            return True
        if len(headings) == 1 and cut_short and len(_SENTENCE_END.findall(ct.text, ct.from_doc(first.end))) >= 2:
            return True
    return False


# A heading's own number (``一、``, ``（一）``, ``第一部分``, ``1.``).
_NUMBER = re.compile(r"^\s*[(（]?\s*(?:第?[一二三四五六七八九十]{1,3}|\d{1,2})(?!\d)")
# The end of a sentence (a contents page, a link's snippet cut off with …, hold none or one).
_SENTENCE_END = re.compile(r"。")


def _is_first_part(first: Heading, headings: dict[str, Heading], *, legacy: bool) -> bool:
    """Whether ``first`` (the earliest of ``headings``) is a report's first part: the overview, or numbered first;
    in a legacy report whose parts all stand unnumbered (numbers lost in the crawl), also 主动公开…, the first part
    of one with no overview (one standing further into its parts is 依申请…, 存在的主要问题…)."""
    if first.section == "overview" or _FIRST.match(normalize(first.text)):
        return True
    return legacy and first.section == "active" and not any(_NUMBER.match(h.text) for h in headings.values())


def _holds_words(ct: CompactText, first: Heading, headings: dict[str, Heading]) -> bool:
    """Whether the first part holds words up to the next (a contents page's entries hold page numbers)."""
    after = min((h.start for h in headings.values() if h.start > first.start), default=None)
    return after is not None and _CJK.search(ct.text, ct.from_doc(first.end), ct.from_doc(after)) is not None


@cache
def _overview_words() -> tuple[str, ...]:
    """The overview part's heading words, in the 2019+ formats and in legacy reports."""
    words = {w for w in statutory().section_by_id("overview").keywords}
    words.update(w for s in statutory().legacy_sections if s.id == "overview" for w in s.keywords)
    return tuple(sorted(words))
