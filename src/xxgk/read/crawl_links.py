"""A site's pages → the links a harvest follows: the annual-report column, a year's report, the next page.

Government CMSs list reports as links whose text is the title (``XX局2025年政府信息公开工作年度报告``),
often with the date beside it; columns are called 政府信息公开年报, 信息公开年度报告 or 年报; lists
go on over pages linked as 下一页 or by number, or written by a script (TRS's ``createPageHTML(3, 0,
"index", "html")``: pages ``index.html``, ``index_1.html``, ``index_2.html``). Beside the report the column
often lists its companions (``…年度报告解读``, ``一图读懂…``), which are not the report; list titles may be cut
short by the CMS (``…政府信息公开工作年…``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from xxgk.read.cn_dates import DAY, MONTH, years_to_digits
from xxgk.read.html_depth import check_nesting

_MAX_TEXT = 300
_MAX_LINKS = 5000
_REPORT = re.compile(r"年度报告|年报")
_COLUMN = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|年度报告|年报")
_DISCLOSURE = re.compile(r"政府信息公开|信息公开|政务公开")
_NOT_COLUMN = re.compile(r"指南|申请|目录|制度|规定|意见箱")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# Dates beside a title (``2026-01-20``, ``2026年1月20日``, ``二〇二六年一月二十日``) are not the report's year.
_DATE = re.compile(rf"20\d\d\s*[-/.年]\s*{MONTH}\s*[-/.月]\s*{DAY}\s*日?")
# Pages published beside a report about it: an interpretation, a picture summary. Not the report, though
# their titles name it.
_COMPANION = re.compile(r"解读|图解|一图读懂|一图看懂|一图了解|图说|读懂|问答|答记者问|新闻发布会|动漫|视频")
# A title cut short by the CMS: the visible part ends with an ellipsis.
_CUT = re.compile(r"(?:…+|\.{3,}|。{3})\s*$")
# What the visible part of a cut title may show after the year: the start (4 characters at least) of the
# report's title, or its words (``信息公开``).
_REPORT_TITLES = ("政府信息公开工作年度报告", "政务公开工作年度报告", "信息公开工作年度报告", "政府信息公开年度报告")
_CUT_SHOWN = 4
# A date printed beside a link in a list (``2025-01-27``, ``2025年1月27日``, ``[2025/01/27]``).
_LISTED = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# TRS's script pager: createPageHTML(pages, current page from 0, "index", "html").
_SCRIPT_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
_PAGE_COUNT = re.compile(r"共\s*(\d{1,4})\s*页|总页数\s*[:：]?\s*(\d{1,4})|countPage\s*=\s*(\d{1,4})")
_NEXT = frozenset({"下一页", "下页", "后一页", "后页", ">", "›", "»", ">>", "下一頁"})


@dataclass(frozen=True, slots=True)
class Link:
    """A link on a page: its absolute address and its text (with its title attribute)."""

    url: str
    text: str
    listed: str | None = None  # the date printed beside it in a list (ISO), the site's publication date


def page_links(html: str, page_url: str) -> list[Link]:
    """The http(s) links of a page, in page order, each address once."""
    check_nesting(html)  # a site's page is hostile: the parser's time grows with the depth
    tree = LexborHTMLParser(html)
    base = page_url
    if (node := tree.css_first("base[href]")) is not None:
        base = urljoin(page_url, (node.attributes.get("href") or "").strip())
    found: dict[str, Link] = {}
    for node in tree.css("a[href]")[:_MAX_LINKS]:
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = urljoin(base, href).split("#")[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = " ".join(filter(None, (node.text(deep=True, separator="", strip=True)[:_MAX_TEXT],
                                      (node.attributes.get("title") or "")[:_MAX_TEXT])))
        text = " ".join(text.split())
        if url not in found or (text and not found[url].text):
            found[url] = Link(url, text, _listed(node))
    return list(found.values())


def _listed(node: Any) -> str | None:
    """The date printed beside a link: in the nearest enclosing element (a list item, a row) holding no other link."""
    current = node
    for _ in range(3):
        current = current.parent
        if current is None or current.tag in ("body", "html") or len(current.css("a[href]")) > 1:
            return None
        match = _LISTED.search(current.text(deep=True, separator=" ", strip=True)[:_MAX_TEXT])
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                return None
    return None


def image_sources(html: str, page_url: str, limit: int) -> list[str]:
    """The addresses of a page's images (``<img src>``, not inline data), in page order, at most ``limit``."""
    check_nesting(html)
    tree = LexborHTMLParser(html)
    out: list[str] = []
    for node in tree.css("img[src]"):
        src = (node.attributes.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        url = urljoin(page_url, src)
        if urlsplit(url).scheme in ("http", "https") and url not in out:
            out.append(url)
        if len(out) >= limit:
            break
    return out


def years_named(text: str) -> set[int]:
    """The years a link's text names (dates beside a title left out; ``二〇二五年`` read as 2025)."""
    text = _DATE.sub(" ", years_to_digits(text))
    return {int(y) for y in _YEAR.findall(text)}


def is_report_link(link: Link, year: int) -> bool:
    """Whether a link's text names the annual report of ``year`` (and no other year), not a companion of it
    (解读, 一图读懂); a title cut short counts when what shows of it after the year is the report's title."""
    if years_named(link.text) != {year} or is_companion(link):
        return False
    return bool(_REPORT.search(link.text)) or _cut_report(link.text, year)


def is_companion(link: Link) -> bool:
    """Whether a link names a page about a report (解读, 图解, 一图读懂), not the report."""
    return bool(_COMPANION.search(link.text))


def companion_of(link: Link, year: int) -> bool:
    """Whether a link names a companion (解读, 一图读懂) of the annual report of ``year``."""
    return is_companion(link) and bool(_REPORT.search(link.text)) and years_named(link.text) == {year}


def page_title(html: str) -> str:
    """A page's own title: its first ``<h1>``, else its ``<title>`` (both when they differ)."""
    check_nesting(html)
    tree = LexborHTMLParser(html)
    parts = [node.text(deep=True, separator="", strip=True)[:_MAX_TEXT] for node in
             (tree.css_first("h1"), tree.css_first("title")) if node is not None]
    return " ".join(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


def _cut_report(text: str, year: int) -> bool:
    """``某局2024年政府信息公开工作年…``: a cut title whose visible part after the year is the report's title."""
    if not _CUT.search(text):
        return False
    visible = _CUT.sub("", text)
    after = visible[visible.rfind(str(year)) + 4:].lstrip("年度").strip()
    return "信息公开" in after or (len(after) >= _CUT_SHOWN and any(t.startswith(after) for t in _REPORT_TITLES))


def is_column_link(link: Link) -> bool:
    """Whether a link leads to an annual-report column (no year in its text)."""
    text = link.text
    return bool(_COLUMN.search(text)) and not years_named(text) and not _NOT_COLUMN.search(text) and len(text) <= 30


def is_disclosure_link(link: Link) -> bool:
    """Whether a link leads to the disclosure section, where the column usually is."""
    text = link.text
    return bool(_DISCLOSURE.search(text)) and not _NOT_COLUMN.search(text) and len(text) <= 20


def next_page(links: list[Link], number: int) -> Link | None:
    """The link to the next page of a list (``下一页``, or the page number after ``number``)."""
    for link in links:
        if link.text.strip() in _NEXT:
            return link
    wanted = str(number + 1)
    return next((link for link in links if link.text.strip() in (wanted, f"[{wanted}]", f"第{wanted}页")), None)


def report_years(links: list[Link]) -> list[int]:
    """The years of a page's report links, in page order (the latest each names)."""
    return [max(named) for link in links if _REPORT.search(link.text) and (named := years_named(link.text))]


def older_only(links: list[Link], year: int, earlier: Sequence[int] = ()) -> bool:
    """Whether a list newest first has gone past ``year``: its report links are all for earlier years, listed
    newest first (a list oldest first goes on to the year on its later pages).

    A page of one report (or of one year's) shows no order of its own: only a newer report on the pages before
    (``earlier``: their report years, in order) shows the list going back in time. Columns listing one item a
    page, or a single old report before a pager, are read on.
    """
    years = report_years(links)
    if not years or max(years) >= year:
        return False
    if len(set(years)) > 1:
        return years == sorted(years, reverse=True)
    return bool(earlier) and earlier[-1] > years[0]


def script_next_page(html: str, page_url: str, first_url: str, number: int) -> str | None:
    """The next page of a list whose pager a script writes: TRS's ``createPageHTML`` (``index_1.html``…), or
    ``共 N 页`` printed with no link, following the same convention from the list's first address."""
    pager = _SCRIPT_PAGER.search(html)
    if pager is not None:
        pages, current, name, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
        return urljoin(page_url, f"{name}_{current + 1}.{ext}") if current + 1 < pages else None
    count = page_count(html)
    if count is None or number >= count:
        return None
    path = urlsplit(first_url).path
    stem = path.rsplit("/", 1)[-1]
    if stem and not re.fullmatch(r"index\.s?html?", stem):
        return None  # only the usual ``index_N.html`` convention is guessed
    ext = stem.rsplit(".", 1)[-1] if stem else "html"
    return urljoin(first_url, f"index_{number}.{ext}")


def page_count(html: str) -> int | None:
    """The number of pages a list says it has (``共 5 页``), if it says."""
    found = _PAGE_COUNT.search(html)
    return int(next(g for g in found.groups() if g)) if found else None
