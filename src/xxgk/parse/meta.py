"""The document → its metadata: title, reporting body, year covered, dates, period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from xxgk.parse.normalize import compact, normalize, to_simplified
from xxgk.read.document import Document

_REPORT_WORDS = re.compile(r"政府信息公开(?:工作)?(?:年度)?报告|政务公开(?:工作)?年度报告|信息公开年报")
_TITLE_LABEL = re.compile(r"^\s*(?:标题|题名|文章标题|名称|中文名)\s*[:：]\s*")
_YEAR = r"((?:19|20)\d{2})"
_TITLE_PARTS = re.compile(rf"^(?P<pre>.*?){_YEAR}\s*年\s*度?(?P<post>.*?)(?:政府信息公开|政务公开|信息公开)")
_AGENCY_PREFIX = re.compile(r"^(?:.*?(?:现予公布|现公布|现将|特向社会公布|公布|发布|编制|制作|编制了))")
_AGENCY_NOISE = re.compile(r"^(?:关于|根据|本报告由)|(?:关于|的)$")
_PAGE_DATE = re.compile(
    rf"(?:发布时间|发布日期|公开日期|发文日期|更新时间|日期|时间)\s*[:：]\s*{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})"
)
_BARE_DATE_LINE = re.compile(rf"^\s*{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})日?(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:来源|浏览|字号|字体|点击|$)")
_SIGNED_LINE = re.compile(rf"^\s*{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日\s*$")
_PERIOD = re.compile(r"(?:统计期限|统计日期|统计时间|统计区间|统计周期)[^。;]{0,8}?(\d{4}[^。;]{0,30}?日)[^。;]{0,6}?至\s*(\d{4}[^。;]{0,20}?日)")
_ISO_PARTS = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_STATED_YEAR = re.compile(rf"{_YEAR}\s*年\s*度?")


@dataclass(slots=True)
class MetaRead:
    title: str | None
    agency: str | None
    year: int | None
    published: str | None
    signed: str | None
    period: dict[str, str | None] | None


def read_meta(doc: Document, norm: str) -> MetaRead:
    """Everything the contract's ``meta`` holds except the template (which the tables decide)."""
    lines = doc.text.split("\n")
    norm_lines = norm.split("\n")
    title = find_title(lines, norm_lines)
    agency = year = None
    if title:
        agency, year = agency_and_year(title)
    if agency is None or year is None:
        prose_agency, prose_year = agency_from_prose(norm)
        agency = agency or prose_agency
        year = year or prose_year
    period = find_period(norm)
    if year is None and period and period.get("start"):
        year = int(str(period["start"])[:4])
    if year is None:
        year = year_from_prose(norm)
    return MetaRead(
        title=title,
        agency=agency,
        year=year,
        published=find_published(norm_lines),
        signed=find_signed(norm_lines),
        period=period,
    )


def find_title(lines: list[str], norm_lines: list[str]) -> str | None:
    """The title: an early line naming the annual report (joined when broken over two lines)."""
    seen = 0
    for i, (line, nline) in enumerate(zip(lines, norm_lines, strict=False)):
        if not nline.strip():
            continue
        seen += 1
        if seen > 60:
            break
        body = _TITLE_LABEL.sub("", nline).strip()
        if not _REPORT_WORDS.search(compact(body)) or len(compact(body)) > 70:
            continue
        if "。" in body or "根据" in body or "依据" in body or ">" in body or "位置" in body:
            continue
        if not re.search(r"(?:19|20)\d{2}", body):
            continue
        title = _TITLE_LABEL.sub("", line).strip()
        # "淮安市人民政府\n  2024 年政府信息公开工作年度报告": the body's name is on the line above.
        if re.match(r"^\s*(?:19|20)\d{2}\s*年", body):
            prev = _previous_text_line(lines, i)
            if prev and _is_name_line(prev):
                title = prev.strip() + title
        return _tidy_title(title)
    return None


def _tidy_title(title: str) -> str:
    """White space collapsed, and dropped where it only separates CJK from digits (PDF text)."""
    title = " ".join(title.split())
    return re.sub(r"(?<=[\u4e00-\u9fff\d]) (?=[\u4e00-\u9fff\d])", "", title)


def _is_name_line(line: str) -> bool:
    """A line that can be a body's name: short, no sentence punctuation, not a site's menu.

    Menus ("首页 政务公开 关于我们") are words set apart by spaces; a name printed letter-spaced
    in a PDF ("淮 安 市") has one-character pieces.
    """
    if len(compact(line)) > 30 or re.search(r"[。，,:：|>]", line) or "首页" in line:
        return False
    return sum(1 for piece in line.split() if len(piece) >= 2) < 2


def _previous_text_line(lines: list[str], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        if lines[j].strip() and not re.fullmatch(r"\s*[-—–]?\s*\d+\s*[-—–]?\s*", lines[j]):
            return lines[j]
    return None


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    """``重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告`` → (body, 2022)."""
    t = compact(normalize(to_simplified(title)))
    m = _TITLE_PARTS.search(t)
    if not m:
        return None, None
    year = int(m.group(2))
    name = m.group("pre") or m.group("post")
    return clean_agency(name), year


def clean_agency(name: str) -> str | None:
    name = _AGENCY_PREFIX.sub("", name) if re.search(r"公布|现将|编制|发布|制作", name) else name
    name = _AGENCY_NOISE.sub("", name).strip(" ,，:：、\"'“”《》")
    name = name.replace("(", "（").replace(")", "）")
    return name if 2 <= len(name) <= 40 else None


def agency_from_prose(norm: str) -> tuple[str | None, int | None]:
    """``现公布荷塘区桂花街道办事处2019年政府信息公开工作年度报告`` in the preamble."""
    head = compact(norm[:3000])
    m = re.search(rf"([\u4e00-\u9fff()（）]{{0,40}}?){_YEAR}年度?(?:政府信息公开|政务公开)(?:工作)?年度报告", head)
    if not m:
        return None, None
    return clean_agency(m.group(1)), int(m.group(2))


def find_period(norm: str) -> dict[str, str | None] | None:
    """The statistical period as stated (``自2022年1月1日起至2022年12月31日止``)."""
    m = _PERIOD.search(norm[:6000])
    if not m:
        return None
    return {"start": _to_iso(m.group(1)), "end": _to_iso(m.group(2)), "text": compact(m.group(0))}


def _to_iso(text: str) -> str | None:
    t = compact(text)
    m = _ISO_PARTS.search(t)
    if m:
        return _iso(m.group(1), m.group(2), m.group(3))
    # Characters lost in scraping: "202211日" (2022年1月1日), "20221231日".
    digits = re.sub(r"\D", "", t)
    if len(digits) == 8:
        return _iso(digits[:4], digits[4:6], digits[6:])
    if len(digits) == 6:
        return _iso(digits[:4], digits[4], digits[5])
    return None


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def year_from_prose(norm: str) -> int | None:
    """The year most stated as ``YYYY年度`` / ``YYYY年`` in the opening text, if clear."""
    head = norm[:4000]
    counts: dict[int, int] = {}
    for m in _STATED_YEAR.finditer(head):
        y = int(m.group(1))
        counts[y] = counts.get(y, 0) + (2 if "度" in m.group(0) else 1)
    if not counts:
        return None
    best = max(counts, key=lambda y: counts[y])
    return best if counts[best] >= 3 else None


def find_published(norm_lines: list[str]) -> str | None:
    """The page's publication date (``日期:2023-01-30``, ``发布时间: 2023-02-14 09:50``)."""
    for line in norm_lines[:80]:
        for m in _PAGE_DATE.finditer(line):
            before = line[max(0, m.start() - 4) : m.start()]
            if "统计" not in before and "成文" not in before and "印发" not in before:
                return _iso(m.group(1), m.group(2), m.group(3))
    for line in norm_lines[:15]:
        bare = _BARE_DATE_LINE.match(line)
        if bare:
            return _iso(bare.group(1), bare.group(2), bare.group(3))
    return None


def find_signed(norm_lines: list[str]) -> str | None:
    """The signing date: a line holding only a date, near the end (``2023年1月29日``)."""
    tail = [ln for ln in norm_lines if ln.strip()][-12:]
    for line in reversed(tail):
        m = _SIGNED_LINE.match(line)
        if m:
            return _iso(m.group(1), m.group(2), m.group(3))
    return None
