"""The report's title → the reporting body and the year it names.

A title is printed many ways: as a Markdown heading (``# …``), broken over two lines (the
body's name above the year, or the words cut anywhere), behind a breadcrumb or a page label
(``Page8-…``, ``第3页``), followed by the site's name (``…年度报告_某市人民政府``), letter-spaced
in a PDF. What is not part of the title is taken off before the body's name is read from it;
the name is kept as printed (``上海市科委`` stays an abbreviation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from xxgk.parse.dates import NAVIGATION, spaced
from xxgk.parse.lost import MARK, count_lost
from xxgk.parse.normalize import compact, normalize, to_simplified
from xxgk.templates import statutory


def _alternatives(words: tuple[str, ...]) -> str:
    """One pattern for any of ``words``, the longest tried first."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_NAME = statutory().report_name
_SUBJECT = f"(?:{_alternatives(_NAME.subjects)})"
# The words naming the report (statutory.toml's report_name); the year may stand inside them
# (``政府信息公开工作2022年度报告``, the form of many ministries' titles), and ``的`` before the name
# (``…工作的年度报告``).
_IN_YEAR = r"(?:(?:19|20)\d{2}\s*年度?)?"
REPORT_WORDS = re.compile(rf"{_SUBJECT}(?:工作)?{_IN_YEAR}的?(?:{_alternatives(_NAME.names)})")
_YEAR = r"((?:19|20)\d{2})"
_TITLE_PARTS = re.compile(rf"^(?P<pre>.*?){_YEAR}\s*年\s*度?(?P<post>.*?){_SUBJECT}")
# The year without 年, right before the disclosure words: ``某局2022政府信息公开工作年度报告``.
_BARE_YEAR_PARTS = re.compile(rf"^(?P<pre>.*?\D)?{_YEAR}(?P<post>){_SUBJECT}")
# The body's name in brackets after the report words: ``2022年度政府信息公开工作年度报告（某局）``.
_NAME_AFTER = re.compile(r"\s*[(（]([^()（）\d]{2,40})[)）]\s*$")
# The year after the disclosure words: ``教育部政府信息公开工作2022年度报告``.
_YEAR_AFTER_PARTS = re.compile(rf"^(?P<pre>.*?){_SUBJECT}(?:工作)?{_YEAR}\s*年")
# The year in brackets after the report words: ``某局政府信息公开工作年度报告（2022年度）``.
_YEAR_BRACKETED = re.compile(rf"(?:报告|年报)[(（]{_YEAR}年?度?[)）]")
_NO_YEAR_PARTS = re.compile(rf"^(?P<pre>.*?)(?:年度|年)?{_SUBJECT}")
# A field's label before the title (a page's 信息索引 table), also as a row of cells: ``| 标题： | 某局…报告 |``;
# a crawler's key (``title: 某局…报告``, ``source:``): a word in Latin letters with its colon.
# The label may be padded to the width of its box's others (``名　　称：``).
_TITLE_LABEL = re.compile(
    r"^\s*\|?\s*(?:" + spaced("标题", "题名", "文章标题", "文件标题", "名称", "文件名称", "信息名称", "中文名")
    + r"\s*(?:[:：]\s*\|?|\|)|[A-Za-z][A-Za-z_]{1,19}\s*[:：]"
    # The attachment label of a notice that carries the report (``附件：``, ``附件一``, ``附：``).
    r"|附件\s*[\d一二三四五六七八九十]{0,2}\s*[:：\s]|附\s*[:：])\s*"
)
# Page furniture in front of a title: Markdown heading marks, bullets, page labels.
_LEAD_FURNITURE = re.compile(
    r"^(?:\s*(?:#{1,6}|[•·●■◆▪►▶]|\*{1,2}|_{2})\s*"
    r"|\s*(?:page|PAGE|Page)\s*\d+\s*(?:of\s*\d+)?\s*[-–—:：|/]?\s*"
    r"|\s*P\s*\.\s*\d+\s*[-–—:：|]?\s*"
    r"|\s*第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?\s*[-–—:：|]?\s*"
    r"|\s*[-–—]\s*\d{1,3}\s*[-–—]\s*"
    r"|\s*\d{1,3}\s*/\s*\d{1,3}\s+)+"
)
# A site's tag in brackets before a title (``【年报】``, ``[置顶]``); a body's name in brackets is kept.
_LEAD_TAG = re.compile(r"\s*[\[【]([^\]】\d]{1,12})[\]】]\s*")
# A body's name ends with what bodies are called (also how meta.py tells a signature's name).
BODY_END = re.compile(
    r"(?:局|委|委员会|办|办公室|办公厅|厅|政府|办事处|街道|镇|乡|中心|院|所|站|处|室|部|署|馆|队|社|会|公司|集团|管委会|区|县|市)$"
)
# A breadcrumb or a location label before the page title ("首页 > 政务公开 > …", "当前位置：").
_CRUMB = re.compile(r"[>›»]|&gt;")
_LOCATION = re.compile(r"^.*?" + spaced("当前位置", "您的位置", "所在位置", "位置") + r"\s*[:：]\s*")
# What follows a title on the same line: the site's name after "_", "|" or " - "; the page's stamp
# after a space (``…年度报告 2023-01-18 来源：某局 字号：大 中 小``).
_TRAIL = re.compile(r"\s*(?:[_|]|\s-\s|\s(?=(?:19|20)\d{2}\s*[-/.年]\s*\d)).*")

# A site's sidebar or footer set beside the title on a narrow page (``…人民政府2023年 网站标识码：3202130001``,
# ``…年度报告 ICP备案号：粤ICP备…``), or on lines of its own between the title's halves (``机关备案号：…``).
_SIDEBAR = re.compile(spaced("备案", "标识码", "主办单位", "承办单位", "协办单位", "版权所有", "技术支持", "联系电话",
                             "联系我们", "网站地图", "相关链接", "友情链接") + "|ICP")
_BESIDE = re.compile(r"\s+(?=\S{0,4}?(?:" + _SIDEBAR.pattern + "))")
_SIDEBAR_LINE = re.compile(r"^\s*\S{0,4}?(?:" + _SIDEBAR.pattern + ")")
_SIDEBAR_LINES = 2  # how many such lines may stand between a title's halves
# Words of a site, not of a body ("某市人民政府门户网站 某局2022年…").
_SITE = re.compile(r"网站|门户|政务网|官网|首页|客户端|公众号")
_AGENCY_PREFIX = re.compile(r"^(?:.*?(?:现予公布|现公布|现将|特向社会公布|公布|发布|编制|制作|编制了|印发))")
_AGENCY_NOISE = re.compile(r"^(?:关于|根据|本报告由)|(?:关于|的)$")
# Words a line naming the report holds (one is enough to look closer): plain substring tests, a third
# of a regex search's cost on the short lines of a page's head.
_HINT1, _HINT2, _HINT3 = "公开", "年报", "报告"
_SENTENCE = re.compile(r"[。，,；;!！?？]|如下|现将|根据|依据|按照|编制|特此")


@dataclass(frozen=True, slots=True)
class Title:
    text: str  # as printed, without the page furniture
    agency: str | None
    year: int | None


@dataclass(frozen=True, slots=True)
class Stated:
    """What the report's own text says of itself: the year its statistical period covers, the bodies
    it names as its own (the preamble's ``特向社会公布某局2022年…报告``, the signature). A page can
    print other reports' titles above this one's (a sidebar's 相关信息, 上一篇): these tell them apart."""

    year: int | None
    names: tuple[str, ...]


@lru_cache(maxsize=2048)
def strip_furniture(line: str) -> str:
    """A line without what surrounds a title on a page: heading marks, page labels, crumbs, site."""
    norm = normalize(line)  # same length: cut positions found here apply to the line as printed
    start, end = 0, len(line)
    m = _TITLE_LABEL.match(norm)
    if m:
        start = m.end()
    crumbs = list(_CRUMB.finditer(norm, start))
    if crumbs:
        start = crumbs[-1].end()
    m = _LOCATION.match(norm, start)
    if m:
        start = m.end()
    m = _LEAD_FURNITURE.match(norm, start)
    if m:
        start = m.end()
    beside = _BESIDE.search(norm, start) if _SIDEBAR.search(norm, start) else None
    if beside and norm[start : beside.start()].strip():
        end = beside.start()  # the sidebar's text beside the title's line
    words = REPORT_WORDS.search(compact(to_simplified(norm[start:end])))
    if words:
        # Cut what follows the report words when a separator sets it apart (the site's name).
        after = start + _offset_after(norm[start:end], words.end())
        tail = _TRAIL.match(norm, after, end)
        if (tail and tail.end() == end) or re.fullmatch(r"\s*(?:\*{1,2}|_{2})\s*", norm[after:end]):
            end = after
    return line[start:end].strip()


def _offset_after(text: str, compact_end: int) -> int:
    """The offset in ``text`` just after its ``compact_end``-th non-space character."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == compact_end:
                return i + 1
    return len(text)


_SPACE_IN_WORDS = re.compile(r"(?<=[\u4e00-\u9fff\d〇○]) (?=[\u4e00-\u9fff\d〇○])")  # 〇 is no ideograph
# Compiled once: the module's own cache costs a look-up per call, and these run for every candidate title.
_NOTICE_VERBS = re.compile(r"公布|现将|编制|发布|制作|印发")
_NOT_A_NAME = re.compile(r"\d|[>|#]")
_NOT_A_NAME_LINE = re.compile(r"[。，,:：|>›»\d]|位置")


def tidy(title: str) -> str:
    """White space collapsed, and dropped where it only separates CJK from digits (PDF text)."""
    title = " ".join(title.split())
    return _SPACE_IN_WORDS.sub("", title)


@lru_cache(maxsize=2048)
def has_report_words(text: str) -> bool:
    return bool(REPORT_WORDS.search(compact(normalize(to_simplified(text)))))


def is_title_like(text: str) -> bool:
    """Short, no sentence punctuation: a line a title can be (or be part of)."""
    c = compact(text)
    return 2 <= len(c) <= 70 and not _SENTENCE.search(normalize(text))


# What follows the report words in a notice about reports (``关于做好2022年政府信息公开工作年度报告
# 编制发布工作的通知``): such a line names the notice's issuer, not a report's body.
_NOTICE_AFTER = re.compile(r"^的?(?:编制|发布(?:工作|和|及|等)|报送|撰写|审核|填报|工作(?:的|通知)|通知|有关)")
_NOTICE_BEFORE = re.compile(r"关于(?:做好|开展|加强|规范|报送|编制|做实|抓好|认真做好|进一步做好)")


def about_the_reports(before: str, after: str) -> bool:
    """Whether the report words name reports in general, as a notice does, not this report."""
    return bool(_NOTICE_AFTER.match(after) or _NOTICE_BEFORE.search(before))


@lru_cache(maxsize=2048)  # a title's candidates are read again: the head of the page, the lines above the report
def agency_and_year(title: str) -> tuple[str | None, int | None]:
    """``重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告`` → (body, 2022)."""
    printed = compact(to_simplified(strip_furniture(title)))
    t = compact(normalize(printed))  # a year in numerals is in digits here
    agency, year = _agency_and_year(t)
    if agency is not None and MARK in agency and len(printed) == len(t) and (at := t.find(agency)) >= 0:
        # A character of the name lost in the crawl stays as the page printed it (``?``, ``□``), not as
        # normalisation marks it; no declared word puts a body's name back.
        agency = "".join(printed[at + k] if ch == MARK else ch for k, ch in enumerate(agency))
    return agency, year


def _agency_and_year(t: str) -> tuple[str | None, int | None]:
    """A title's normalised, compact text → (body, year)."""
    words = REPORT_WORDS.search(t)
    if words and about_the_reports(t[: words.start()], t[words.end() :]):
        return None, None
    m = _TITLE_PARTS.search(t) or _BARE_YEAR_PARTS.search(t)
    if m:
        name = m.group("pre") or m.group("post")
        if (not name and words and (after := _NAME_AFTER.match(t, words.end())) and BODY_END.search(after.group(1))
                and not _SCOPE.match(t, words.end())):
            name = after.group(1)  # 2022年度政府信息公开工作年度报告（某局）, not （全文）, （包括县政府办公室）
        return clean_agency(name), int(m.group(2))
    m = _YEAR_AFTER_PARTS.search(t)
    if m:
        return clean_agency(m.group("pre")), int(m.group(2))
    m = _NO_YEAR_PARTS.search(t)
    if m and REPORT_WORDS.search(t):
        bracketed = _YEAR_BRACKETED.search(t)
        return clean_agency(m.group("pre")), int(bracketed.group(1)) if bracketed else None
    return None, None


def clean_agency(name: str) -> str | None:
    """The body's name from the words before the year: no page furniture, site or preamble words."""
    name = _LEAD_FURNITURE.sub("", name)
    tag = _LEAD_TAG.match(name)
    if tag and name[tag.end() :].strip() and not BODY_END.search(tag.group(1)):
        name = name[tag.end() :]  # a column's tag before the title (【年报】, [置顶]), not a body's name
    site = list(_SITE.finditer(name))
    if site:
        name = name[site[-1].end() :]
    # A notice that carries the report names it after these words (``关于印发《某局…报告》的通知``).
    name = _AGENCY_PREFIX.sub("", name) if _NOTICE_VERBS.search(name) else name
    name = _AGENCY_NOISE.sub("", name).strip(" ,，:：、\"'“”《》〈〉「」【】[]#*-—_|")
    name = name.replace("(", "（").replace(")", "）")
    if _NOT_A_NAME.search(name) or REPORT_WORDS.search(name):  # a body's name never holds the report's
        return None
    return name if 2 <= len(name) <= 40 else None


# A bracket stating what the report covers, not who reports: after the body's name (``某县人民政府（含直属部门）``,
# ``某局（本级及所属单位）``) or after the report's (``…年度报告（含下属单位）``). A body's other name in brackets
# (a 挂牌 name: ``某局（某县知识产权局）``; ``中共某县委办公室（县政府办公室）``) names the body and stays.
_SCOPE = re.compile(
    r"[(（]\s*((?:含|包含|包括|涵盖)[^()（）]{1,30}|[^()（）]{0,12}本级[^()（）]{0,20}|(?:本|局|委|厅|办)?机关(?:本部)?"
    r"|[^()（）]{0,8}(?:直属|所属|下属|局属|委属)[^()（）]{0,12}(?:部门|单位|机构))\s*[)）]\s*$"
)


def split_scope(agency: str) -> tuple[str, str] | None:
    """``某县人民政府（含直属部门）`` → (``某县人民政府``, ``（含直属部门）``); None where no such bracket ends the name."""
    m = _SCOPE.search(agency)
    if m is None:
        return None
    name = agency[: m.start()].strip()
    return (name, f"（{m.group(1)}）") if len(name) >= 2 and BODY_END.search(name) else None


def scope_after(title: str) -> str | None:
    """The bracket stating the report's scope after the report's name (``…年度报告（含所属单位）``), if any."""
    t = compact(normalize(to_simplified(title)))
    ends = [words.end() for words in REPORT_WORDS.finditer(t)]  # the last: a notice names the report twice
    m = _SCOPE.match(t, ends[-1]) if ends else None
    return f"（{m.group(1)}）" if m else None


def is_site_line(line: str) -> bool:
    """A line of the site around a report, not of the report: its footer (``版权所有``, ``主办单位：``, ``ICP``)
    or the site's name (``某市人民政府门户网站``)."""
    norm = normalize(line)
    return bool(_SIDEBAR.search(norm) or _SITE.search(norm))


def is_name_line(line: str) -> bool:
    """A line that can be a body's name: short, no sentence punctuation, not a site's menu.

    Menus ("首页 政务公开 关于我们") are words set apart by spaces; a name printed letter-spaced
    in a PDF ("淮 安 市") has one-character pieces.
    """
    text = _LEAD_FURNITURE.sub("", normalize(line))
    if not text or len(compact(text)) > 30 or _NOT_A_NAME_LINE.search(text) or _SITE.search(text):
        return False
    return sum(1 for piece in text.split() if len(piece) >= 2) < 2


class TitleLines:
    """What a title's search learns about each line, learnt once per document: its text without
    page furniture and whether that can be (part of) a title. Both normalise the line (OpenCC),
    and candidates overlap: a line is looked at as itself, as the next and as the previous one,
    and the head of the page and the lines above the report are searched in turn."""

    def __init__(self) -> None:
        self._stripped: dict[str, str] = {}
        self._title_like: dict[str, bool] = {}

    def stripped(self, line: str) -> str:
        found = self._stripped.get(line)
        if found is None:
            found = self._stripped[line] = strip_furniture(line)
        return found

    def title_like(self, line: str) -> bool:
        found = self._title_like.get(line)
        if found is None:
            found = self._title_like[line] = is_title_like(line)
        return found


def find_title(lines: list[str], norm_lines: list[str], known: TitleLines | None = None,
               stated: Stated | None = None) -> Title | None:
    """The title: an early line naming the annual report, joined with its other half when broken.

    A candidate naming both the body and the year wins; one naming only the year, or only the
    body, stands when no better one comes within the first lines. ``known``: what earlier
    searches in the same document learnt about its lines. ``stated``: what the report's text
    says of itself; a candidate it contradicts is another report's title (a sidebar's) when
    another candidate agrees with it.
    """
    if known is None:
        known = TitleLines()
    found = _find_title(lines, norm_lines, known)
    if stated is None or found is None or (not _year_differs(found, stated) and _names(found, stated) is not False):
        return found
    # The first title is contradicted by the text: this report's own is among all the page's candidates.
    everyone = _candidates(lines, norm_lines, known)
    agree = [t for t in everyone if not _year_differs(t, stated)]
    pool = agree if any(t.agency or t.year for t in agree) else everyone
    named = [t for t in pool if _names(t, stated)]
    return _first_best(named or pool)


def _year_differs(title: Title, stated: Stated) -> bool:
    return title.year is not None and stated.year is not None and title.year != stated.year


def _names(title: Title, stated: Stated) -> bool | None:
    """Whether the title's body is one the text names as its own (None: nothing to compare)."""
    if title.agency is None or not stated.names:
        return None
    return any(same_body(title.agency, name) for name in stated.names)


def same_body(one: str, other: str) -> bool:
    """Whether two names can name the same body (one holds the other: ``区财政局``, ``某市某区财政局``)."""
    return one in other or other in one


def _first_best(titles: list[Title]) -> Title | None:
    """The first candidate naming both the body and the year, else the best ranked (the first of equals)."""
    best: Title | None = None
    for title in titles:
        if title.agency and title.year and not count_lost(title.agency):
            return title
        if best is None or _rank(title) > _rank(best):
            best = title
    return best


def _candidates(lines: list[str], norm_lines: list[str], known: TitleLines) -> list[Title]:
    """Every candidate title among the first 60 lines with text, in order."""
    pairs = list(islice(((ln, nl) for ln, nl in zip(lines, norm_lines, strict=False) if nl.strip()), 60))
    texts = [ln for ln, _ in pairs]
    return [found for i in range(len(texts)) if (found := _title_at(texts, i, known)) is not None]


def _find_title(lines: list[str], norm_lines: list[str], known: TitleLines) -> Title | None:
    """find_title's first choice, before the text's own statements are heard."""
    # The first 60 lines with text (taken as they come: a long report has hundreds more).
    pairs = list(islice(((ln, nl) for ln, nl in zip(lines, norm_lines, strict=False) if nl.strip()), 60))
    texts = [ln for ln, _ in pairs]
    # Only lines that name the report, or whose next line does, can hold a title (cheap test first).
    hint = [_hinted(nl.replace(" ", "")) for _, nl in pairs]  # letter-spaced titles too
    best: Title | None = None
    marked: Title | None = None  # a whole title whose body's name lost a character in the crawl
    for i in range(len(texts)):
        if not (hint[i] or (i + 1 < len(hint) and hint[i + 1])):
            continue
        found = _title_at(texts, i, known)
        if found is None:
            continue
        if found.agency and found.year:
            if not count_lost(found.agency):
                return _fuller_below(texts, i, found, known)
            marked = marked or found  # the same title printed whole further down (a page's metadata) is better
            continue
        if best is None or _rank(found) > _rank(best):
            best = found
    return marked or best


# How many lines with text below a title a fuller print of it is looked for (a page's info box breaks the
# title, the article's heading prints it whole a few lines down).
_NEARBY = 8


def _fuller_below(texts: list[str], i: int, found: Title, known: TitleLines) -> Title:
    """The title at line ``i``, or the same title printed whole just below when this line begins inside the
    body's name (``设局2020年…报告``, the tail of an info box's ``名称：柳州市…建`` broken by a narrow column)."""
    for k in range(i + 1, min(len(texts), i + 1 + _NEARBY)):
        if _hinted(texts[k].replace(" ", "")) and (other := _title_at(texts, k, known)) and is_tail(found, other):
            return other
    return found


def is_tail(part: Title, whole: Title) -> bool:
    """Whether ``part`` is ``whole`` with the first characters of the body's name cut off by a line break:
    the same year and report words, the whole's name ending with the part's."""
    return (part.agency is not None and whole.agency is not None and part.year == whole.year
            and len(whole.agency) > len(part.agency) and whole.agency.endswith(part.agency)
            and _report_words(part.text) == _report_words(whole.text))


def _report_words(title: str) -> str | None:
    """The words naming the report in a title (``政府信息公开工作年度报告``)."""
    m = REPORT_WORDS.search(compact(normalize(to_simplified(title))))
    return m.group() if m else None


def _hinted(text: str) -> bool:
    # One by one: a generator under any() costs more than the three tests themselves.
    return _HINT1 in text or _HINT2 in text or _HINT3 in text


def _rank(title: Title) -> tuple[bool, bool]:
    return title.year is not None, title.agency is not None


def _line_above(texts: list[str], i: int, known: TitleLines) -> int:
    """The line above line ``i`` that can hold the first half of its title: past a narrow page's sidebar lines
    that the reading put between the halves (``ICP备…``, ``公安机关备案号：…``)."""
    j = i - 1
    while j > 0 and i - j <= _SIDEBAR_LINES and _SIDEBAR_LINE.match(texts[j]) and not has_report_words(texts[j]):
        j -= 1
    return j


def _title_at(texts: list[str], i: int, known: TitleLines) -> Title | None:
    if NAVIGATION.match(texts[i]):  # a link to another page: 上一篇：某局2021年…报告
        return None
    line = known.stripped(texts[i])
    if not known.title_like(line):
        return None
    nxt = known.stripped(texts[i + 1]) if i + 1 < len(texts) else ""
    if has_report_words(line):
        text = line
    elif nxt and known.title_like(nxt) and has_report_words(line + nxt) and not has_report_words(nxt):
        text = line + nxt  # the title's words cut at the end of the line
    else:
        return None
    agency, year = agency_and_year(text)
    # A breadcrumb ends with its column's name (``首页 > … > 政府信息公开年报``): no title of its own
    # to complete with the line above.
    if agency is None and i > 0 and not _CRUMB.search(texts[i]) and not _LOCATION.match(texts[i]):
        # "淮安市人民政府\n2024 年政府信息公开工作年度报告", "某局2022年度\n政府信息公开…报告".
        j = _line_above(texts, i, known)
        prev = known.stripped(texts[j])
        if prev and known.title_like(prev) and not has_report_words(prev):
            joined = prev + text
            a, y = agency_and_year(joined)
            # A name line above a title naming no year must be a body's name (``某局``): a menu's item
            # (``法定主动公开内容`` above ``政府信息公开年报``) is none.
            if a and ((is_name_line(texts[j]) and (y or BODY_END.search(a))) or (y and not year)):
                text, agency, year = joined, a, y
    if year is None and agency is None:
        return None
    return Title(tidy(text), agency, year)
