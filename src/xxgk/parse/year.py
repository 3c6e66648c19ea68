"""The year a report covers, when its title does not say: from what the text itself states.

Evidence, strongest first: the report named with its year in the text (``现公布2012年度我街道
信息公开工作年度报告``, ``2020年报``); the statistical period (``自2022年1月1日起至…``); a
heading or a table caption with a year (``2022年度主动公开政府信息情况统计表``); sentences
opening with the year (``2022年，我局…``, ``2010年我镇…``). Years inside a document's or a
policy's name (``《2021年政务公开工作要点》``, ``川办发〔2019〕32号``), dates (a signing date
``2023年1月20日``), plans for the next year (``2023年，我局将…``) and the caption of last year's table
printed for comparison (``附：2021年度…统计表（供对比）``) are not evidence. A year
the page was published in or after cannot be the year covered. When the evidence does not
settle on one year, there is no year.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from xxgk.parse.vocabulary import COMPARED, EARLIER
from xxgk.read.cn_dates import MONTH

_Y = r"((?:19|20)\d{2})"
# "2012年度我街道信息公开工作年度报告", "2020年报", "2019年度政务公开工作报告".
_REPORT_NAMED = re.compile(
    rf"{_Y}\s*年\s*度?[^。,;:\n]{{0,12}}?(?:(?:政府信息|政务|信息)公开(?:工作)?(?:年度)?(?:报告|年报))|{_Y}\s*年报"
)
# A heading or caption line naming the year: "一、2022年政府信息公开工作总体情况", "2022年度…统计表".
_CAPTION = re.compile(rf"{_Y}\s*年\s*度?[^。,;\n]{{0,24}}?(?:情况|统计表|统计|总体|工作要点落实)")
# A sentence opening with the year: "2022年，我局…", "2010年我镇…", "在2019年度，".
_TOPIC = re.compile(
    rf"(?:^|[。;!?\n]|(?<=[,:]))\s*(?:在|于|截至|截止)?\s*{_Y}\s*年\s*度?\s*"
    r"(?:以来|全年|内|中|里|期间|上半年|下半年)?\s*(?=[,、]|我|本|全|共|累计|按照|根据|通过|围绕|坚持|在|[\u4e00-\u9fff]{1,6}(?:共|累计|主动|认真|严格|进一步))"
)
_PLAN = re.compile(r"将|计划|拟|下一步|明年|今后|力争|继续")
# A caption of last year's table printed beside the report's for comparison: another year's, not the report's.
_COMPARISON = re.compile("|".join((*COMPARED, *EARLIER)))
_QUOTED = re.compile(r"《[^》\n]{0,60}》|〔[^〕\n]{0,12}〕|\[[^\]\n]{0,12}\]|\([^)\n]{0,12}\)")
# A month after the year: a date (``2023年1月20日``, ``2023年一月二十日``), not a year named on its own.
_DATE_AFTER = re.compile(rf"\s*{MONTH}\s*月")


@dataclass(frozen=True, slots=True)
class YearRead:
    year: int | None
    how: str  # which evidence settled it (Chinese, for a finding), or why there is none


def _unquoted(text: str) -> str:
    """The text with names in 《》 and document numbers in 〔〕 blanked out (same length)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def year_from_text(norm: str, period_start: str | None, published: str | None,
                   opening: tuple[int, int] | None = None) -> YearRead:
    """The covered year from the text (not the title), with the evidence it rests on.

    ``opening``: where the report's own opening (preamble and 一、总体情况) lies; sentences
    opening with a year count twice there.
    """
    text = _unquoted(norm[:12000])
    limit = int(published[:4]) if published else None
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, str] = {}

    def offer(year: int, weight: float, why: str) -> None:
        if limit is not None and year >= limit:
            return  # published in or before the year: it cannot be the year covered
        scores[year] += weight
        reasons.setdefault(year, why)

    for m in _REPORT_NAMED.finditer(text[:4000]):
        y = m.group(1) or m.group(2)
        offer(int(y), 4, f"正文称“{_quote(norm, m)}”")
    if period_start:
        offer(int(period_start[:4]), 4, "统计期限")
    for line, printed in zip(text.split("\n"), norm[:12000].split("\n"), strict=True):
        if "年" in line and len(line.strip()) <= 40 and not _COMPARISON.search(printed):  # most lines cannot be one
            for m in _CAPTION.finditer(line):
                if not _DATE_AFTER.match(line, m.end(1) + 1):
                    offer(int(m.group(1)), 2, f"标题或表题“{line.strip()}”")
    for m in _TOPIC.finditer(text):
        clause = text[m.end() : m.end() + 16].split("。")[0]
        if _PLAN.search(clause) or _DATE_AFTER.match(text, m.end(1)):
            continue
        inside = opening is not None and opening[0] <= m.start() < opening[1]
        offer(int(m.group(1)), 2 if inside else 1, f"正文“{_quote(norm, m, 24)}”")
    if not scores:
        return YearRead(None, "标题、统计期限和正文都没有写明报告年度")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        years = "、".join(str(y) for y, _ in ranked[:3])
        return YearRead(None, f"正文中的年份不一致（{years}），无法确定报告年度")
    year = ranked[0][0]
    return YearRead(year, reasons[year])


def _quote(norm: str, m: re.Match[str], length: int = 30) -> str:
    return " ".join(norm[m.start() : m.start() + length].split()).lstrip("。;,")
