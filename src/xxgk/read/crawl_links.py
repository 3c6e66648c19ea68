"""A site's pages → the links a harvest follows: the annual-report column, a year's report, the next page.

Government CMSs list reports as links whose text is the title (``XX局2025年政府信息公开工作年度报告``),
often with the date beside it; columns are called 政府信息公开年报, 信息公开年度报告 or 年报; lists
go on over pages linked as 下一页 or by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
_NEXT = frozenset({"下一页", "下页", "后一页", "后页", ">", "›", "»", ">>", "下一頁"})


@dataclass(frozen=True, slots=True)
class Link:
    """A link on a page: its absolute address and its text (with its title attribute)."""

    url: str
    text: str


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
            found[url] = Link(url, text)
    return list(found.values())


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
    """Whether a link's text names the annual report of ``year`` (and no other year)."""
    return bool(_REPORT.search(link.text)) and years_named(link.text) == {year}


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


def older_only(links: list[Link], year: int) -> bool:
    """Whether the report links of a list page are all for years before ``year`` (the list has gone past it)."""
    years = [max(named) for link in links if _REPORT.search(link.text) and (named := years_named(link.text))]
    return bool(years) and max(years) < year
