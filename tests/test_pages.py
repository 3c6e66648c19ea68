"""Metadata on every kind of page: the title, the publication date and the year, from ``pages.py``.

Each form of title, date label, stray stamp and year statement is printed around a real
report's tables (seed 002) and parsed back: the body, the year and the publication date must
come back as printed, or be None where the page does not tell (with a finding saying so for
the year); ``meta.agency`` never carries page furniture.
"""

from __future__ import annotations

from typing import Any

import pytest

import layouts
import pages
import xxgk
from conftest import expected

SEED = "seed_002_f821463d77e6db60"
YEAR = 2022
PUBLISHED = "2023-01-18"


def _tables() -> dict[str, Any]:
    tables: dict[str, Any] = expected(SEED)["tables"]
    return tables


def _parse(page: layouts.Page, layout: str = "pipes", variant: str = "official") -> dict[str, Any]:
    text = layouts.render(layout, _tables(), expected(SEED)["meta"]["template"], variant, YEAR, page=page)
    if layout in layouts.HTML_LAYOUTS:
        return xxgk.parse(text.encode("utf-8"), "x.html").to_dict()
    return xxgk.parse_text(text).to_dict()


def _check(meta: dict[str, Any], want: pages.Expect, traditional: bool = False) -> None:
    assert meta["year"] == want.year
    assert meta["published"] == want.published
    agency = meta["agency"]
    if want.agency is None:
        assert agency is None
    elif not traditional:
        assert agency == want.agency
    assert agency is None or (not any(ch in agency for ch in "#*>|_-") and "Page" not in agency)


@pytest.mark.parametrize("agency", pages.AGENCIES)
@pytest.mark.parametrize("form", pages.TITLES, ids=lambda f: f.name)
def test_title_forms(form: pages.Form, agency: str) -> None:
    report = _parse(form.page(agency, YEAR, PUBLISHED))
    _check(report["meta"], form.expect(agency, YEAR, PUBLISHED))
    if report["meta"]["title"]:
        assert not report["meta"]["title"].startswith(("#", "*", "Page", "第"))


@pytest.mark.parametrize("layout", ["html", "one_cell_per_line", "markdown", "spaced"])
@pytest.mark.parametrize("form", [f for f in pages.TITLES if f.name in
                                  ("plain", "name_above", "cut_in_words", "site_after", "no_title_signed")],
                         ids=lambda f: f.name)
def test_title_forms_in_other_layouts(form: pages.Form, layout: str) -> None:
    agency = pages.AGENCIES[0]
    _check(_parse(form.page(agency, YEAR, PUBLISHED), layout)["meta"], form.expect(agency, YEAR, PUBLISHED))


def test_traditional_title_is_read_simplified() -> None:
    form = next(f for f in pages.TITLES if f.name == "markdown_h1")
    meta = _parse(form.page(pages.AGENCIES[0], YEAR, PUBLISHED), variant="traditional")["meta"]
    assert (meta["agency"], meta["year"], meta["published"]) == (pages.AGENCIES[0], YEAR, PUBLISHED)


def test_no_title_no_signature_says_whose_report_is_unknown() -> None:
    """No title and no signature: no body (the prose's 本机关 names nobody)."""
    form = next(f for f in pages.TITLES if f.name == "no_title")
    report = _parse(form.page(pages.AGENCIES[0], YEAR, PUBLISHED))
    assert report["meta"]["agency"] is None


def test_agency_from_the_signature_is_said_so() -> None:
    form = next(f for f in pages.TITLES if f.name == "no_title_signed")
    report = _parse(form.page(pages.AGENCIES[0], YEAR, PUBLISHED))
    assert [f["rule"] for f in report["findings"] if f["where"] == "meta.agency"] == ["PARSE-AGENCY-SIGNATURE"]


_TITLE = f"{pages.AGENCIES[0]}{YEAR}年{pages.REPORT}"


@pytest.mark.parametrize("label", sorted(pages.DATE_FORMS))
def test_date_labels(label: str) -> None:
    page = layouts.Page((_TITLE, pages.DATE_FORMS[label](PUBLISHED)))
    _check(_parse(page)["meta"], pages.Expect(pages.AGENCIES[0], YEAR, PUBLISHED))


@pytest.mark.parametrize("stamp", sorted(pages.STAMPS))
@pytest.mark.parametrize("with_date", [True, False], ids=["with_date", "stamp_only"])
def test_stamps_are_not_the_publication(stamp: str, with_date: bool) -> None:
    """A crawler's, a print header's, 成文/印发 or a print time: never the publication date."""
    lines = pages.STAMPS[stamp](YEAR + 1)
    above = (*lines, _TITLE, *([pages.DATE_FORMS["发布时间_seconds"](PUBLISHED)] if with_date else []))
    _check(_parse(layouts.Page(above))["meta"],
           pages.Expect(pages.AGENCIES[0], YEAR, PUBLISHED if with_date else None))


@pytest.mark.parametrize("footer", sorted(pages.FOOTERS))
@pytest.mark.parametrize("date", ["bare_alone", None])
def test_footers_and_signatures_are_not_the_publication(footer: str, date: str | None) -> None:
    above = (_TITLE, *([pages.DATE_FORMS[date](PUBLISHED)] if date else []))
    page = layouts.Page(above, below=tuple(pages.FOOTERS[footer](YEAR + 1)))
    report = _parse(page)
    _check(report["meta"], pages.Expect(pages.AGENCIES[0], YEAR, PUBLISHED if date else None))


@pytest.mark.parametrize("other", [YEAR - 1, YEAR + 1], ids=["earlier", "later"])
@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
@pytest.mark.parametrize(("name", "opening", "known"), pages.YEAR_STATEMENTS, ids=[s[0] for s in pages.YEAR_STATEMENTS])
def test_year_from_the_text(name: str, opening: str, known: bool, dated: bool, other: int) -> None:
    """No title: the year from the text's own statement, or None with PARSE-YEAR-UNKNOWN."""
    page = layouts.Page(((pages.DATE_FORMS["发布日期"](PUBLISHED),) if dated else ()),
                        overview=opening.replace("{other}", str(other)))
    report = _parse(page)
    year = report["meta"]["year"]
    if known:
        assert year == YEAR
    else:
        assert year is None, f"year {year} taken from a year that is not the report's"
        assert [f["rule"] for f in report["findings"] if f["where"] == "meta.year"] == ["PARSE-YEAR-UNKNOWN"]


@pytest.mark.parametrize("agency", pages.AGENCIES)
def test_title_only_in_the_page_head(agency: str) -> None:
    """A web page whose text prints no title (an image, or drawn by a script): its <title> names the report,
    the site's name after it cut off; a <title> that is only the site's name gives nothing."""
    page = layouts.Page((pages.DATE_FORMS["发布日期"](PUBLISHED),))
    text = layouts.render("html", _tables(), expected(SEED)["meta"]["template"], "official", YEAR, page=page)
    head = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    assert head in text
    titled = text.replace(head, f"{head}<title>{agency}{YEAR}年{pages.REPORT}_{pages.SITE}</title>", 1)
    meta = xxgk.parse(titled.encode("utf-8"), "x.html").meta
    assert (meta.agency, meta.year, meta.published) == (agency, YEAR, PUBLISHED)
    site_only = text.replace(head, f"{head}<title>{pages.SITE}门户网站</title>", 1)
    assert xxgk.parse(site_only.encode("utf-8"), "x.html").meta.agency is None
