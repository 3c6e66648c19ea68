"""Numbers that a report states in its prose ("figures").

Keys produced (``Figure.key``):

``active.published_items``
    Items of government information published proactively in the year
    (主动公开政府信息N条, 公开各类政府信息N条, 通过门户网站发布信息N条).
    Cumulative counts (历年/截至…累计, 自《条例》施行以来…) are skipped; "2013年累计…" is the year's total,
    and so is the part of a running total "其中2016年新增…"; "…合计N条" after a breakdown is the sum.
``requests.received``
    Disclosure applications received (收到/受理/接收…政府信息公开申请N件, 收到依申请公开事项N件,
    收到N份政府信息公开申请); "未收到…申请" gives 0.
``requests.on_request_items``
    The ambiguous "依申请公开信息N件" (applications or items disclosed on request), kept apart
    from ``requests.received``.
``requests.carried_over``
    Applications carried over from the previous year (上年结转/上年度结转/转结 N件).
``requests.carried_forward``
    Applications carried forward to the next year (结转下一年度N件, N件顺延到下年度答复).
``requests.answered``
    Applications answered (答复/办结 N件), only in sentences that speak of applications.
``review.count`` / ``litigation.count``
    Administrative reconsiderations / lawsuits about disclosure (行政复议N件, 行政诉讼N件); of all cases
    (行政复议案件312件，其中涉及政府信息公开的8件), the part about disclosure;
    statements of absence (未发生…行政复议, 行政复议…均为零件) give 0.
``consultations.count``
    Enquiries about disclosure answered (受理政府信息公开咨询N人次), a part of legacy reports.
``fees.charged``
    Fees (信息处理费, before 2019 检索/复制/邮寄 cost fees) collected, in yuan; 万元 is converted;
    "未收取信息处理费", "未收费", "不存在收取信息处理费的情况" give 0.

``approximate`` is true for 约/近/逾/超过 before the number or 余/多/以上/左右 after it, and for
counts given in 万 (rounded). A sentence opened by an earlier year (2011年，全县…) gives none
of the year's figures. Each key is reported at most once: the first statement in the
document wins. Matching runs on ``norm`` (length-preserving normalisation of ``text``); lines
wrapped inside a sentence (PDF text) are joined, table rows, number-only lines and page numbers
are left out, and quotes are taken from ``text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

from xxgk.model import Figure
from xxgk.templates import statutory

__all__ = ["extract_figures"]

# ---------------------------------------------------------------------------
# Building blocks of the patterns (they run on the simplified, half-width text)

_S = r"[^\S\n]*+"  # spaces inside a line (never a sentence break); possessive: no backtracking


def _gap(n: int, exclude: str = "") -> str:
    """Up to ``n`` characters inside one clause, lazily, not crossing numbers or punctuation."""
    if exclude:
        return rf"(?:(?!{exclude})[^,。;!?:\n\d]){{0,{n}}}?"
    return rf"[^,。;!?:\n\d]{{0,{n}}}?"


def _num(i: str = "") -> str:
    """A number with its qualifiers; group names carry the suffix ``i``."""
    return (
        rf"(?=[\d零〇一二两三四五六七八九十百千约近逾超将大多])(?P<pre{i}>约|近|逾|超过|超|将近|大约|多达)?{_S}"
        rf"(?P<num{i}>(?<![\d.])(?<!\d,)(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?![\d.]*\d)"
        rf"|(?<![零〇一二两三四五六七八九十百千])"
        rf"[零〇一二两三四五六七八九十百千]+){_S}"
        rf"(?P<wan{i}>万)?{_S}(?P<post{i}>余|餘|多|以上|左右)?{_S}"
    )


_NUM = _num()
_CONN = (
    rf"{_S}(?:的)?(?:数量|总数|总量|数)?{_S}(?:共计|总计|合计|累计|一共|共|计)?{_S}"
    rf"(?:为|达到|达|是|有)?{_S}"
)
_ITEM_UNIT = r"(?:条|件|篇)(?!次)"
_REQ_UNIT = r"(?:件|条|份|个|宗)(?!次)"
_CASE_UNIT = r"(?:件|起|宗|个)(?!次)"
_NOT_REQUEST = r"复议|诉讼|投诉|信访|举报|咨询|来信|来电|信箱|热线|建议|提案"
_NEXT_YEAR = r"下一?(?:个)?年度?"
_PREV_YEAR = r"(?:上一?(?:个)?年度?|去年)"
_NOT_INFO_FEE = r"行政事业|罚|税|租|保证金|押金|停车|水费|电费|物业"
_RECEIVE = r"(?:收到|受理|接收|接到|新收|新增)(?:了)?"
_FEE_WORDS = r"(?:政府信息公开|信息公开|信息处理|处理|检索|复制|邮寄|成本|相关|、|和|及|等)"
_NONE = r"(?:未(?!经)|没有|没|无(?!法|论|正当|需|须|偿|关))"
# An application to disclose, in a legacy report's words: 要求公开政府信息的申请.
_DISCLOSE_REQUEST = r"公开(?:政府)?信息(?:的)?申请(?!人|书|表)"


# ---------------------------------------------------------------------------
# Rules


@dataclass(frozen=True, slots=True)
class _Rule:
    key: str
    regex: re.Pattern[str]
    key2: str | None = None  # second key, value from group num2 (or 0 for zero rules)
    zero: bool = False  # a statement of absence: value 0
    # When given, the sentence must contain ``need`` or the sentence with the text just before it
    # (a heading such as 四、政府信息公开行政复议、行政诉讼情况) must contain ``context``.
    need: re.Pattern[str] | None = None
    context: re.Pattern[str] | None = None
    check: Callable[[str, str, int], bool] | None = None  # (sentence prefix, clause prefix, year)
    money: bool = False
    # For patterns that begin with the number: a keyword after it; the pattern is only tried in
    # a window of ``back`` characters before each keyword (much faster than a full scan).
    anchor: re.Pattern[str] | None = None
    back: int = 0
    # For patterns that do not begin with a fixed word (tried at every character of the text):
    # words of which every match holds one; only the sentences holding one are searched (no match
    # crosses a sentence end), each found by a plain substring search.
    words: tuple[str, ...] = ()
    # For patterns (or anchors) that begin with one of several words: the characters (or the words)
    # every match begins with. The pattern is tried only where one of them stands, found by ``str.find``
    # once for all the rules that begin alike: the regex engine's own scan for any of several characters
    # beyond ASCII costs ten times as much, and each pattern's scan for its own first word as much as
    # ``str.find``'s for it (a word is worth giving where rules share it).
    starts: str | tuple[str, ...] = ""
    # A count of cases of every kind where the sentence goes on with the part about disclosure
    # (行政复议案件312件，其中因政府信息公开…的8件): its clause not saying 公开, the number is not the figure.
    of_all: bool = False


_NEED_PUBLIC = re.compile(r"公开")
_CONTEXT_REQUESTS = re.compile(r"依申请公开|公开申请")
_CONTEXT_REVIEW = re.compile(r"公开[^。\n]{0,8}行政复议")
_CONTEXT_LITIGATION = re.compile(r"公开[^。\n]{0,14}行政诉讼")


def _fee_headings() -> str:
    """A legacy report's heading of its fees part (收费及减免情况): it says what its 未收取任何费用 is about.
    Those naming the 减免 too: a bare 收费情况 may be any fee's."""
    fees = next(sec for sec in statutory().legacy_sections if sec.id == "fees")
    return "|".join(re.escape(k) for k in fees.keywords if "减免" in k)


_CONTEXT_FEES = re.compile(rf"公开[^。\n]{{0,6}}收费|信息处理费|{_fee_headings()}")
_CONTEXT_CONSULT = re.compile(r"公开[^。\n]{0,8}咨询|咨询[^。\n]{0,4}情况")
_CONSULT_UNIT = r"(?:人次|次|件|个|条|宗)"
_CONTEXT_BACK = 150
_NEED_REQUEST = re.compile(r"申请")
_NEED_FEE = re.compile(r"信息|处理费|公开|成本费|检索|复制")

_SUBSET = re.compile(r"其中")
_NEW_IN_YEAR = re.compile(r",?(?:(?P<y>(?:19|20)\d\d)年度?|本年度?|今年|当年)(?:新增|新|共)")
_OTHER_YEAR = re.compile(r"上一?年|去年|同期|上年度")
_YEAR_IN = re.compile(r"((?:19|20)\d\d)\s*年")
# A year that opens the sentence or one of its clauses: what the clauses after it speak of.
_TOPIC_YEAR = re.compile(r"(?:^|(?<=[,:]))\s*((?:19|20)\d\d)\s*年度?(?![底末\d])")
# 以来 after a start other than the year's own (今年以来, 2013年以来 in a 2013 report are the year's).
_SINCE = re.compile(
    r"(?P<lead>今年|本年度?|年初|年内|全年|(?P<y>(?:19|20)\d\d)年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:初|度)?)?以来"
)
_CUMULATIVE = re.compile(r"历年|截至|截止|(?<!年)(?<!年度)(?<!本年)(?<!全年)(?<!\d)(?<!全[\u4e00-\u9fff])累计")
_CHANNEL = re.compile(r"微博|微信|公众号|新媒体|公报|客户端|抖音|头条|报刊|电视|广播")
_PORTAL = re.compile(r"网站|门户|政府网")
_VERB_RECEIVE = re.compile(r"收到|受理|接收|接到")
_NOT_ANSWER = re.compile(r"信箱|热线|来电|来信|12345|咨询|投诉|建议|提案")
_FEE_NOT_CHARGED = re.compile(r"减免|免收|减收|免除|应收|应缴")


def _other_year(sent: str, clause: str, year: int) -> bool:
    """The clause speaks of an earlier year (上年, 去年, or a year before the report's), or the
    sentence is about one: it opens a clause before with it (``2011年，全县共受理申请34件，…``)."""
    if _OTHER_YEAR.search(clause):
        return True
    if not year:
        return False
    if any(int(y) < year for y in _YEAR_IN.findall(clause)):
        return True
    topics = _TOPIC_YEAR.findall(sent)
    return bool(topics) and int(topics[-1]) < year


def _since(sent: str, year: int) -> bool:
    """The sentence counts since a start before the year (自《条例》施行以来, 2008年以来): a running total."""
    for m in _SINCE.finditer(sent):
        if m.group("lead") is None:
            return True
        y = m.group("y")
        if y is not None and (not year or int(y) < year):
            return True
    return False


def _year_part(sent: str, year: int) -> bool:
    """The sentence's 其中 singles out the year's own from a running total (截至…累计1305条，其中2016年
    新增主动公开政府信息156条): the figure, not a part of it."""
    i = sent.rfind("其中")
    m = _NEW_IN_YEAR.match(sent, i + 2) if i >= 0 and year else None
    return m is not None and (m.group("y") is None or int(m.group("y")) == year)


def _check_active(sent: str, clause: str, year: int) -> bool:
    if (_SUBSET.search(sent) and not _year_part(sent, year)) or _CUMULATIVE.search(clause) or _other_year(sent, clause, year) or _since(sent, year):
        return False
    return not (_CHANNEL.search(clause) and not _PORTAL.search(clause))


def _check_received(sent: str, clause: str, year: int) -> bool:
    return not (_SUBSET.search(sent) or _other_year(sent, clause, year) or _since(sent, year))


def _check_on_request(sent: str, clause: str, year: int) -> bool:
    return not (_VERB_RECEIVE.search(clause) or _SUBSET.search(sent) or _other_year(sent, clause, year)
                or _since(sent, year))


def _check_answered(sent: str, clause: str, year: int) -> bool:
    return not (_NOT_ANSWER.search(clause) or _SUBSET.search(sent) or _other_year(sent, clause, year)
                or _since(sent, year))


def _check_plain(sent: str, clause: str, year: int) -> bool:
    """For statements of absence: none since the 条例 took effect is none in the year too."""
    return not _other_year(sent, clause, year)


def _check_count(sent: str, clause: str, year: int) -> bool:
    return not (_other_year(sent, clause, year) or _since(sent, year))


def _check_fee(sent: str, clause: str, year: int) -> bool:
    return not (_FEE_NOT_CHARGED.search(clause) or _other_year(sent, clause, year) or _since(sent, year))


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_ACTIVE_TAIL = rf"(?:的)?{_CONN}{_NUM}{_ITEM_UNIT}"
_PUBLISH = r"(?:公开(?<!申请公开)(?<!不予公开)(?<!予以公开)(?<!同意公开)(?<!部分公开)|发布)"

# After 行政复议 or 行政诉讼, up to the sentence's 其中 (not crossing the other kind of case), the part
# about disclosure: 其中涉及政府信息公开的5件, 其中因政府信息公开申请行政复议的8件.
_SUBSET_OF = (rf"(?:(?!行政复议|行政诉讼)[^。;\n]){{0,30}}?其中,?{_gap(20, '行政复议|行政诉讼')}(?:政府)?信息公开"
              rf"{_gap(12)}{_NUM}{_CASE_UNIT}")
_OF_ALL = re.compile(r"[^。;\n]{0,6}其中[^。;\n]{0,20}公开")

_RULES: tuple[_Rule, ...] = (
    # --- proactive disclosure
    _Rule(
        "active.published_items",
        _c(rf"主动{_S}(?:公开|发布)(?:了)?(?:各类|各项|各种)?(?:的)?(?:政府|政务)?信息{_ACTIVE_TAIL}"),
        check=_check_active,
    ),
    _Rule(
        "active.published_items",
        _c(
            rf"(?:公开(?<!申请公开)(?<!不予公开)(?<!予以公开)(?<!同意公开)(?<!部分公开)(?<!主动公开)"
            rf"|发布(?<!主动发布))(?:了)?(?:各类|各项|各种)?(?:的)?政府信息{_ACTIVE_TAIL}"
        ),
        check=_check_active,
        starts=("公开", "发布"),
    ),
    _Rule(
        "active.published_items",
        _c(
            rf"(?:网站|门户|政府网|信息公开平台|公开专栏|公开栏目){_gap(15, '依申请|申请')}{_PUBLISH}(?:了)?(?:各类|各项|各种)?(?:的)?"
            rf"(?:政府|政务)?信息{_ACTIVE_TAIL}"
        ),
        check=_check_active,
    ),
    _Rule(  # a breakdown, then its sum: 主动公开的政府信息中，人事信息类14条、…，合计57条
        "active.published_items",
        _c(rf"主动公开(?:的)?(?:政府|政务)?信息(?:中|当中)[^。;!?\n]{{0,150}}?(?:合计|共计|总计)(?:为|达)?{_S}{_NUM}{_ITEM_UNIT}"),
        check=_check_active,
    ),
    # --- applications received
    _Rule(
        "requests.received",
        _c(
            rf"{_RECEIVE}{_gap(20, _NOT_REQUEST)}"
            rf"(?:依申请公开(?:政府)?(?:信息|事项|申请)?|公开申请(?!人|书|表)(?:事项)?|{_DISCLOSE_REQUEST})"
            rf"{_CONN}{_NUM}{_REQ_UNIT}"
        ),
        check=_check_received,
        starts="收受接新",
    ),
    _Rule(  # a bare 申请 in a paragraph about 依申请公开
        "requests.received",
        _c(rf"{_RECEIVE}(?:各类|各项|相关|有关)?(?:的)?申请(?!人|书|表)(?:事项)?{_CONN}{_NUM}{_REQ_UNIT}"),
        context=_CONTEXT_REQUESTS,
        check=_check_received,
        starts="收受接新",
    ),
    _Rule(
        "requests.received",
        _c(rf"{_RECEIVE}{_S}{_NUM}{_REQ_UNIT}(?:政府信息公开|信息公开|依申请公开)申请"),
        check=_check_received,
        starts="收受接新",
    ),
    _Rule(
        "requests.received",
        _c(
            rf"{_NONE}(?:有)?(?:收到|受理|接到|接收)(?:过)?(?:任何)?{_gap(20, _NOT_REQUEST)}"
            rf"(?:依申请公开|公开申请(?!人)|{_DISCLOSE_REQUEST})"
        ),
        zero=True,
        check=_check_received,
        starts="未没无",
    ),
    _Rule(
        "requests.received",
        _c(rf"{_NONE}(?:有)?(?:收到|受理|接到|接收)(?:过)?(?:任何)?(?:各类|相关|有关)?(?:的)?申请(?!人)"),
        zero=True,
        context=_CONTEXT_REQUESTS,
        check=_check_received,
        starts="未没无",
    ),
    _Rule(
        "requests.received",
        _c(
            rf"(?:未(?!经)|没有){_gap(25, _NOT_REQUEST)}(?:提出|提交)(?:过)?(?:任何)?(?:的)?"
            rf"(?:政府信息公开|信息公开)申请"
        ),
        zero=True,
        check=_check_received,
        starts="未没",
    ),
    _Rule(
        "requests.received",
        _c(rf"{_NONE}(?:发生|产生|收到|受理)?(?:任何)?依申请公开(?:事项|申请|情况|件)"),
        zero=True,
        check=_check_received,
        starts="未没无",
    ),
    # --- the ambiguous 依申请公开信息N件
    _Rule(
        "requests.on_request_items",
        _c(
            rf"依申请公开(?<!收到依申请公开)(?<!受理依申请公开)(?<!接收依申请公开)(?:政府)?信息"
            rf"{_CONN}{_NUM}(?:件|条)(?!次)"
        ),
        check=_check_on_request,
        starts="依",
    ),
    # --- carried over from the previous year / forward to the next
    _Rule(
        "requests.carried_over",
        _c(
            rf"{_PREV_YEAR}(?:的)?(?:结转|转结|转入|遗留|未办结)(?:至本年度?|到本年度?)?(?:办理)?(?:的)?"
            rf"(?:政府信息公开|信息公开|依申请公开)?(?:申请)?(?:事项)?{_CONN}{_NUM}{_REQ_UNIT}"
        ),
        starts="上去",
    ),
    _Rule(
        "requests.carried_over",
        _c(
            rf"(?P<year>(?:19|20)\d\d)(?<!\d{{5}}){_S}年度?(?:结转|转结)(?:的|办理)?(?:的)?"
            rf"(?:政府信息公开|信息公开|依申请公开)?(?:申请)?(?:事项)?{_CONN}{_NUM}{_REQ_UNIT}"
        ),
        words=("结转", "转结"),
    ),
    _Rule(
        "requests.carried_forward",
        _c(
            rf"结转(?:至|到)?(?:{_NEXT_YEAR}|(?P<fyear>\d{{4}}){_S}年度?)(?:继续)?(?:办理|处理|答复)?"
            rf"(?:的)?(?:申请)?{_CONN}{_NUM}{_REQ_UNIT}"
        ),
        starts=("结转",),
    ),
    _Rule(
        "requests.carried_forward",
        _c(
            rf"{_NUM}{_REQ_UNIT}(?:申请)?{_S}(?:需|将|已|均)?(?:结转|顺延|转入|转至|延期)(?:至|到)?"
            rf"(?:{_NEXT_YEAR}|(?P<fyear>\d{{4}}){_S}年)"
        ),
        anchor=_c(r"结转|顺延|转入|转至|延期"),
        back=30,
        starts="结顺转延",
    ),
    # --- answered
    _Rule(
        "requests.answered",
        _c(
            rf"(?:答复(?<!予以答复)(?<!及时答复)(?<!依法答复)|办结|办理完毕|处理完毕)(?:了)?"
            rf"(?:政府信息公开申请|信息公开申请|依申请公开(?:事项|申请)?|申请)?{_CONN}{_NUM}{_REQ_UNIT}"
        ),
        need=_NEED_REQUEST,
        check=_check_answered,
        starts="答办处",
    ),
    # --- administrative reconsideration and litigation
    _Rule(
        "review.count",
        _c(rf"行政复议(?:和|、|及|与|或)行政诉讼(?:案件)?(?:各|均)(?:为|是)?{_S}{_NUM}{_CASE_UNIT}"),
        key2="litigation.count",
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_count,
        starts=("行政复议",),
    ),
    _Rule(
        "review.count",
        _c(
            rf"行政复议(?:和|、|及|与|或)行政诉讼(?:案件)?(?:分别为|分别是|分别有){_S}{_NUM}(?:件|起)?"
            rf"{_S}(?:和|、|,|及){_S}{_num('2')}{_CASE_UNIT}"
        ),
        key2="litigation.count",
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_count,
        starts=("行政复议",),
    ),
    _Rule(
        "review.count",
        _c(
            rf"行政复议{_gap(25)}行政诉讼(?:案件|案)?{_gap(6)}(?:均|都|皆|全部)(?:为|是)?{_S}(?:零|0)"
            rf"(?![\d.]){_S}(?:件|起)?"
        ),
        key2="litigation.count",
        zero=True,
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_plain,
        starts=("行政复议",),
    ),
    _Rule(
        "review.count",
        _c(rf"行政复议(?:申请|案件|案)?(?:的)?{_CONN}{_NUM}{_CASE_UNIT}"),
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_count,
        starts=("行政复议",),
        of_all=True,
    ),
    _Rule(  # the part of all cases that is about disclosure: 行政复议案件312件，其中涉及政府信息公开的8件
        "review.count",
        _c(rf"行政复议{_SUBSET_OF}"),
        check=_check_count,
        starts=("行政复议",),
    ),
    _Rule(
        "review.count",
        _c(rf"(?:发生|收到|提起|受理|办理|涉及){_S}{_NUM}{_CASE_UNIT}(?:政府信息公开)?行政复议"),
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_count,
        words=("行政复议",),
    ),
    _Rule(
        "review.count",
        _c(
            rf"{_NONE}(?:发生|收到|出现|接到|产生|有|被)?(?:过)?(?:任何)?{_gap(25)}"
            rf"行政复议(?!纠|撤|确认|决定|维持|机关|结果)"
        ),
        zero=True,
        need=_NEED_PUBLIC,
        context=_CONTEXT_REVIEW,
        check=_check_plain,
        starts="未没无",
    ),
    _Rule(
        "litigation.count",
        _c(rf"行政诉讼(?:案件|案)?(?:的)?{_CONN}{_NUM}{_CASE_UNIT}"),
        need=_NEED_PUBLIC,
        context=_CONTEXT_LITIGATION,
        check=_check_count,
        starts=("行政诉讼",),
        of_all=True,
    ),
    _Rule(
        "litigation.count",
        _c(rf"行政诉讼{_SUBSET_OF}"),
        check=_check_count,
        starts=("行政诉讼",),
    ),
    _Rule(
        "litigation.count",
        _c(rf"(?:发生|收到|提起|涉及){_S}{_NUM}{_CASE_UNIT}(?:政府信息公开)?行政诉讼"),
        need=_NEED_PUBLIC,
        context=_CONTEXT_LITIGATION,
        check=_check_count,
        words=("行政诉讼",),
    ),
    _Rule(
        "litigation.count",
        _c(
            rf"{_NONE}(?:发生|收到|出现|接到|产生|有|被)?(?:过)?(?:任何)?{_gap(25)}"
            rf"行政诉讼(?!纠|撤|确认|判决|维持|结果|败诉)"
        ),
        zero=True,
        need=_NEED_PUBLIC,
        context=_CONTEXT_LITIGATION,
        check=_check_plain,
        starts="未没无",
    ),
    # --- consultations (a part of legacy reports: 咨询处理情况)
    _Rule(
        "consultations.count",
        _c(
            rf"(?:受理|接受|接待|解答|答复|办理|处理|回复)(?:了)?(?:各类|各项)?(?:群众|公众|社会公众)?(?:的)?"
            rf"(?:政府信息公开|信息公开)?(?:方面|相关)?(?:的)?咨询(?:事项|问题)?{_CONN}{_NUM}{_CONSULT_UNIT}"
        ),
        need=_NEED_PUBLIC,
        context=_CONTEXT_CONSULT,
        check=_check_count,
        words=("咨询",),
    ),
    # --- fees
    _Rule(
        "fees.charged",
        _c(
            rf"收(?<![免减应]收)(?:取|缴)?(?:了)?{_gap(15, _NOT_INFO_FEE)}"
            rf"(?:信息处理费|处理费|成本费|检索费|复制费|邮寄费|工本费|费用)(?:的)?(?:金额|总额)?"
            rf"{_CONN}(?:人民币)?{_NUM}(?P<money>万元|元)"
        ),
        need=_NEED_FEE,
        check=_check_fee,
        money=True,
        starts="收",
    ),
    _Rule(
        "fees.charged",
        _c(rf"信息处理费(?:收费|收入)?(?:金额|总额)?{_CONN}{_NUM}(?P<money>万元|元)"),
        check=_check_fee,
        money=True,
    ),
    _Rule(
        "fees.charged",
        _c(
            r"(?:未|没有|没|无|不存在|不)(?:(?:发生|产生|出现|涉及)(?:任何)?(?:收取|收缴|收)?"
            r"|(?:任何)?(?:向申请人|对申请人)?(?:收取|收缴|收))(?:过)?(?:任何)?(?:的)?"
            rf"{_FEE_WORDS}*费"
        ),
        zero=True,
        need=_NEED_FEE,
        context=_CONTEXT_FEES,
        check=_check_plain,
        words=("费",),
    ),
    _Rule(
        "fees.charged",
        _c(r"(?:处理费|成本费|收费)(?:均|都)?(?:未|没有)(?:收取|发生|产生)"),
        zero=True,
        need=_NEED_FEE,
        context=_CONTEXT_FEES,
        check=_check_plain,
        words=("费",),
    ),
)


# ---------------------------------------------------------------------------
# Lines → sentences

_TABLE_LINE = re.compile(r"\S {3,}[-+]?\d|\d {3,}\S|(?<!\S)[-+]?\d+(?:\.\d+)?%? +[-+]?\d+(?:\.\d+)?%?(?!\S)")
# Spaces before a number: where a pattern starts with a space, the search skips to the spaces; the
# one above tries three alternatives at every character of a long line.
_SPACES_NUMBER = re.compile(r"  *[-+]?\d")


def _may_be_table_line(s: str) -> bool:
    """What every match of ``_TABLE_LINE`` holds: three spaces, or spaces between two numbers."""
    if "   " in s:
        return True
    for m in _SPACES_NUMBER.finditer(s):
        i = m.start()
        if i and (s[i - 1].isdecimal() or (s[i - 1] == "%" and i > 1 and s[i - 2].isdecimal())):
            return True
    return False


# Lines that are only a number (a table cell) or a page number ("- 1 -", "第1页").
_NOT_PROSE = re.compile(
    r"(?:(?P<cell>[-+]?[\d.,%]+)"
    r"|[-—–]+\s*\d{1,3}\s*[-—–]+|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\Z"
)
_NOT_PROSE_FIRST = frozenset("-+.,%—–第")  # with the digits, what such a line can start with
_HEADING_START = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十\d]{1,3}\)|[\u2460-\u2473]|\d{1,2}[、.](?!\d)"
    r"|第[一二三四五六七八九十]{1,3}部分)"
)
_BARE_HEADING = re.compile(r"[^,。;:、!?]{2,20}(?:情况|措施|事项|问题|概述)\Z")
_TERMINAL = frozenset("。;!?:")
_SENTENCE_ENDS = "。;!?\n"
# The covered year, from the title ("2013年四川省…政府信息公开工作年度报告").
_REPORT_YEAR = re.compile(
    r"((?:19|20)\d\d)\s*年度?[^\n。,;]{0,24}?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)"
)


@dataclass(slots=True)
class _Compact:
    """``norm`` with wrapped lines joined; sentences are separated by breaks ("\\n")."""

    text: str
    c_starts: list[int]
    n_starts: list[int]
    lengths: list[int]

    def to_norm(self, pos: int) -> int:
        i = bisect_right(self.c_starts, pos) - 1
        return self.n_starts[i] + (pos - self.c_starts[i])

    def rebuild(self, source: str, start: int = 0, stop: int | None = None) -> str:
        """The same joined text, taken from ``source`` (same length as ``norm``); only its part
        ``[start, stop)`` when given (a quote: the lines it spans, not the whole page)."""
        stop = len(self.text) if stop is None else stop
        first = max(0, bisect_right(self.c_starts, start) - 1)
        # Through the first line from ``stop`` on: the break before it may fall inside the part.
        last = min(len(self.c_starts), bisect_left(self.c_starts, stop) + 1)
        parts: list[str] = []
        base = end = self.c_starts[first] if first < len(self.c_starts) else 0
        for i in range(first, last):
            cs, ns, ln = self.c_starts[i], self.n_starts[i], self.lengths[i]
            if cs > end:
                parts.append("\n")
            parts.append(source[ns : ns + ln])
            end = cs + ln
        return "".join(parts)[start - base : stop - base]


_HEADING_FIRST = frozenset("一二三四五六七八九十(0123456789第") | frozenset(map(chr, range(0x2460, 0x2474)))
_HEADING_WORDS = ("情况", "措施", "事项", "问题", "概述")


def _compact(norm: str) -> _Compact:
    parts: list[str] = []
    c_starts: list[int] = []
    n_starts: list[int] = []
    lengths: list[int] = []
    # Bound once: this loop runs over every line of a page (menus and all).
    add_part, add_c, add_n, add_len = parts.append, c_starts.append, n_starts.append, lengths.append
    not_prose, heading_start, bare_heading = _NOT_PROSE.match, _HEADING_START.match, _BARE_HEADING.match
    table_line, may_be_table_line = _TABLE_LINE.search, _may_be_table_line
    not_prose_first, heading_first, heading_words, terminal = _NOT_PROSE_FIRST, _HEADING_FIRST, _HEADING_WORDS, _TERMINAL
    clen = 0
    pos = 0
    need_break = False
    after_page = False
    prev_heading = False
    last_char = ""
    for line in norm.split("\n"):
        start = pos
        pos += len(line) + 1
        s = line.strip()
        if not s:
            if not after_page:
                need_break = True
            continue
        size = len(s)
        first = s[0]
        if size <= 20 and (first in not_prose_first or first.isdecimal()) and (np := not_prose(s)):
            if np.group("cell"):  # a table cell
                need_break = True
                after_page = False
            else:  # a page number: a sentence may run on over it
                if last_char and last_char not in terminal:
                    need_break = False
                after_page = True
            continue
        after_page = False
        if "|" in s or "\t" in s or (" " in s and may_be_table_line(s) and table_line(s)):
            need_break = True
            continue
        # Matched once: it breaks before this line and tells whether it is a heading.
        numbered = first in heading_first and heading_start(s) is not None
        if prev_heading or numbered:
            need_break = True
        if clen and need_break:
            add_part("\n")
            clen += 1
        add_c(clen)
        add_n(start if s is line else start + len(line) - len(line.lstrip()))  # strip() returns an unchanged line itself
        add_len(size)
        add_part(s)
        clen += size
        # A short heading (一、总体情况 / 公开内容情况): the next line starts a new sentence.
        if size > 30:
            prev_heading = False
        elif numbered:
            prev_heading = s[-1] not in ",、" and "。" not in s
        else:
            prev_heading = s.endswith(heading_words) and bare_heading(s) is not None
        need_break = False
        last_char = s[-1]
    return _Compact("".join(parts), c_starts, n_starts, lengths)


# ---------------------------------------------------------------------------
# Numbers

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_to_int(s: str) -> int | None:
    total = 0
    cur = 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
        else:  # pragma: no cover - the pattern admits only these characters
            return None
    return total + cur


def _value(m: re.Match[str], suffix: str, money: bool) -> tuple[int | float, bool] | None:
    """The number in group ``num{suffix}`` and whether it is approximate."""
    raw = m.group("num" + suffix).replace(",", "")
    approx = bool(m.group("post" + suffix)) or m.group("pre" + suffix) not in (None, "多达")
    wan = bool(m.group("wan" + suffix))
    value: int | float
    if raw[0].isdigit():
        if "." in raw:
            if not (money or wan):
                return None
            value = float(raw)
        else:
            value = int(raw)
    else:
        cn = _cn_to_int(raw)
        if cn is None:
            return None
        value = cn
    if money:
        if wan or m.group("money") == "万元":
            value = round(value * 10000, 2)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value, approx
    if wan:
        value = round(value * 10000)
        approx = True
    return value, approx


# ---------------------------------------------------------------------------


def extract_figures(text: str, norm: str) -> list[Figure]:
    """The figures stated in the prose of a report, in document order, one per key."""
    if len(norm) != len(text):  # defensive: offsets would not line up
        norm = text
    comp = _compact(norm)
    c = comp.text
    # The title's 年 first: a site's menus before the report print dates, each of which the pattern tries.
    ym = _REPORT_YEAR.search(norm, 0, 3000) if norm.find("年", 0, 3000) >= 0 else None
    year = int(ym.group(1)) if ym else 0
    at = _Positions(c)
    ends = at.of_any(_SENTENCE_ENDS)  # each character found by str.find: a fraction of a regex's scan for any

    def sentence(p: int) -> tuple[int, int]:
        i = bisect_right(ends, p)
        s = ends[i - 1] + 1 if i else 0
        e = ends[i] if i < len(ends) else len(c)
        return s, e

    # key -> (c offset of the number, value, approximate, sentence span)
    found: dict[str, tuple[int, int | float, bool, tuple[int, int]]] = {}

    def offer(key: str, pos: int, value: int | float, approx: bool, span: tuple[int, int]) -> None:
        old = found.get(key)
        if old is None or pos < old[0]:
            found[key] = (pos, value, approx, span)

    for rule in _RULES:
        for m in _matches(rule, c, sentence, at):
            start = m.start()
            span = sentence(start)
            if span[1] < m.end():  # crossed a sentence end (cannot, but be safe)
                continue
            sent_text = c[span[0] : span[1]]
            if (rule.need is not None or rule.context is not None) and not (
                (rule.need is not None and rule.need.search(sent_text))
                or (
                    rule.context is not None
                    and rule.context.search(c, max(0, span[0] - _CONTEXT_BACK), span[1])
                )
            ):
                continue
            clause_start = max(c.rfind(",", span[0], start) + 1, c.rfind(":", span[0], start) + 1, span[0])
            if rule.check is not None and not rule.check(c[span[0] : start], c[clause_start : m.end()], year):
                continue
            if not _year_ok(m, year):
                continue
            if rule.of_all and _OF_ALL.match(c, m.end(), span[1]) and "公开" not in c[clause_start : m.end()]:
                continue
            if rule.zero:
                zero_pos = _zero_position(m)
                offer(rule.key, zero_pos, 0, False, span)
                if rule.key2:
                    offer(rule.key2, zero_pos, 0, False, span)
                continue
            got = _value(m, "", rule.money)
            if got is None:
                continue
            offer(rule.key, m.start("num"), got[0], got[1], span)
            if rule.key2:
                if "num2" in m.re.groupindex:
                    got2 = _value(m, "2", rule.money)
                    if got2 is None:
                        continue
                    offer(rule.key2, m.start("num2"), got2[0], got2[1], span)
                else:
                    offer(rule.key2, m.start("num"), got[0], got[1], span)

    if not found:
        return []
    figures: list[Figure] = []
    for key, (pos, value, approx, (s, e)) in sorted(found.items(), key=lambda kv: (kv[1][0], kv[0])):
        figures.append(
            Figure(
                key=key,
                value=value,
                approximate=approx,
                quote=comp.rebuild(text, s, e).strip(),
                offset=comp.to_norm(pos),
            )
        )
    return figures


class _Positions:
    """Where each word (or character) stands in the text, found once: several rules begin with the same."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[int]] = {}
        self._any: dict[str | tuple[str, ...], list[int]] = {}

    def of(self, word: str) -> list[int]:
        found = self._found.get(word)
        if found is None:
            found = self._found[word] = []
            text, i = self.text, self.text.find(word)
            while i >= 0:
                found.append(i)
                i = text.find(word, i + 1)
        return found

    def of_any(self, words: str | tuple[str, ...]) -> list[int]:
        """Where any of ``words`` (or of the characters of a string) stands, in order."""
        found = self._any.get(words)
        if found is None:
            found = self._any[words] = sorted(chain.from_iterable(map(self.of, words)))
        return found


def _matches(rule: _Rule, c: str, sentence: Callable[[int], tuple[int, int]],
             at: _Positions) -> Iterator[re.Match[str]]:
    if rule.words:
        for start, end in _sentences_with(rule.words, sentence, at):
            yield from rule.regex.finditer(c, start, end)
        return
    if rule.anchor is None:
        yield from _finditer(rule.regex, c, rule.starts, at)
        return
    done = 0
    for a in _finditer(rule.anchor, c, rule.starts, at):
        lo = max(done, a.start() - rule.back)
        for m in rule.regex.finditer(c, lo, a.end() + 16):
            if m.end() >= a.end():  # the match ends behind this keyword
                done = m.end()
                yield m
                break


def _finditer(regex: re.Pattern[str], c: str, starts: str | tuple[str, ...],
              at: _Positions) -> Iterator[re.Match[str]]:
    """What ``regex.finditer(c)`` finds; tried only where one of ``starts`` stands, when given
    (every match begins with one of those words or characters)."""
    if not starts:
        yield from regex.finditer(c)
        return
    done = 0
    for i in at.of_any(starts):
        if i >= done and (m := regex.match(c, i)) is not None:
            done = m.end()
            yield m


def _sentences_with(words: tuple[str, ...], sentence: Callable[[int], tuple[int, int]],
                    at: _Positions) -> list[tuple[int, int]]:
    """The spans of the sentences that hold one of ``words``, in order."""
    spans: set[tuple[int, int]] = set()
    for word in words:
        end = 0
        for i in at.of(word):
            if i >= end:  # the first of the word in a sentence not seen yet
                span = sentence(i)
                spans.add(span)
                end = span[1]
    return sorted(spans)


def _year_ok(m: re.Match[str], year: int) -> bool:
    """Year-qualified carry-overs: 2021年转结 is the previous year's; 结转至2024年 the next one's."""
    groups = m.re.groupindex
    if "year" in groups and m.group("year") is not None:
        return bool(year) and int(m.group("year")) < year
    if "fyear" in groups and m.group("fyear") is not None:
        return bool(year) and int(m.group("fyear")) > year
    return True


_ZERO_IN = re.compile(r"零|0")


def _zero_position(m: re.Match[str]) -> int:
    """Where a statement of absence says so: its 零/0 if it has one, else its start."""
    z = _ZERO_IN.search(m.group(0))
    return m.start() + z.start() if z else m.start()
