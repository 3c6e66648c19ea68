"""A web page's metadata (``<meta name="ArticleTitle">``, ``<meta name="PubDate">``) names the report
and dates it where the page prints neither: a real report's tables (seed 002) as a page whose
visible title and date are drawn by a script, as some government sites do.
"""

from __future__ import annotations

from typing import Any

import layouts
import xxgk
from conftest import expected

SEED = "seed_002_f821463d77e6db60"
AGENCY = "江川市自然资源局"
TITLE = f"{AGENCY}2022年政府信息公开工作年度报告"


def _page(head: str, above: tuple[str, ...] = ()) -> dict[str, Any]:
    """The seed's tables as a page with these lines printed above the report and ``head`` in its <head>."""
    gold = expected(SEED)
    text = layouts.render("html", gold["tables"], gold["meta"]["template"], "official", 2022,
                          page=layouts.Page(above))
    text = text.replace("<head>", f"<head><title>正文_江川市人民政府</title>{head}", 1)
    report: dict[str, Any] = xxgk.parse(text.encode("utf-8"), "page.html").to_dict()
    return report


def _rules(report: dict[str, Any], where: str) -> list[str]:
    return [f["rule"] for f in report["findings"] if f["where"] == where]


def test_article_title_and_pubdate_name_and_date_a_page_that_prints_neither() -> None:
    report = _page(f'<meta name="ArticleTitle" content="{TITLE}"><meta name="PubDate" content="2023-01-18 09:30">')
    assert report["meta"]["agency"] == AGENCY
    assert report["meta"]["year"] == 2022
    assert report["meta"]["published"] == "2023-01-18"
    assert _rules(report, "meta.published") == ["PARSE-PUBLISHED-METADATA"]


def test_metadata_names_are_read_in_any_case_and_other_systems_keys() -> None:
    for head in ('<meta name="pubdate" content="2023-01-18">',
                 '<meta name="firstpublishedtime" content="2023-01-18-10:00:00">',
                 '<meta property="article:published_time" content="2023-01-18T10:00:00+08:00">'):
        assert _page(head)["meta"]["published"] == "2023-01-18", head


def test_the_date_printed_on_the_page_wins_over_the_metadata() -> None:
    report = _page('<meta name="PubDate" content="2023-03-02 16:00">', above=(TITLE, "发布日期：2023-01-18"))
    assert report["meta"]["published"] == "2023-01-18"
    assert _rules(report, "meta.published") == []


def test_a_page_without_metadata_or_printed_date_has_none() -> None:
    report = _page('<meta name="keywords" content="2023-01-18">')
    assert report["meta"]["published"] is None
    assert _rules(report, "meta.published") == ["TIME-NO-DATE"]
