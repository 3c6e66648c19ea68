"""Years and dates in Chinese numerals read as the same years and dates in digits.

Every corpus report is printed again with its years (and months and days) in numerals
(``chinese_dates.py``): it must give the same body, year, publication date, signing date,
statistical period, tables and figures as the report as published. A different zero for each
report, so the corpus covers 〇, 零, ○ and O.
"""

from __future__ import annotations

from typing import Any

import pytest

import xxgk
from chinese_dates import VARIATIONS, ZEROS
from conftest import corpus_names, report_path
from xxgk.parse.normalize import normalize


def _read(parsed: dict[str, Any]) -> dict[str, Any]:
    meta = parsed["meta"]
    period = meta["period"] or {}
    return {
        "meta": {key: meta[key] for key in ("agency", "year", "published", "signed", "template")},
        "period": (period.get("start"), period.get("end")),
        "tables": parsed["tables"],
        "figures": sorted((f["key"], f["value"]) for f in parsed["figures"]),
        "findings": sorted((f["rule"], f["where"]) for f in parsed["findings"]),
    }


@pytest.mark.parametrize("kind", sorted(VARIATIONS))
def test_numeral_dates_read_as_digit_dates(kind: str, parsed: dict[str, Any]) -> None:
    """Every corpus report, a different zero for each: what differs from the report as published."""
    tried, differ = 0, {}
    for i, name in enumerate(corpus_names()):
        text = report_path(name).read_text(encoding="utf-8")
        varied = VARIATIONS[kind](text, ZEROS[i % len(ZEROS)])
        if varied == text:  # no year to rewrite (dev_027 prints none; some titles name no year)
            continue
        tried += 1
        got, want = _read(xxgk.parse_text(varied).to_dict()), _read(parsed[name])
        if got != want:
            differ[name] = {key: (got[key], want[key]) for key in got if got[key] != want[key]}
    assert tried >= (len(corpus_names()) - 1 if kind != "title" else 15)
    assert not differ, differ


def test_years_in_numerals_are_digits_after_normalising_and_other_numerals_stay() -> None:
    years = {"二〇二三年": "2023年", "二零二三年度": "2023年度", "二○二三 年": "2023 年", "二O二三年": "2023年",
             "一九九九年": "1999年", "二〇二四年一月十八日": "2024年一月十八日", "自二〇二二年": "自2022年"}
    others = ("本机关制定了十二条措施", "一二三四五六七", "一、总体情况", "二〇二三", "一二三四年", "十二〇二三年",
              "两千零二三年", "第二十二条", "三年行动计划")
    # the same length: offsets in the normalised text are the document's
    assert {text: normalize(text) for text in [*years, *others]} == {**years, **{text: text for text in others}}


BODY = ("本报告中所列数据的统计期限自二〇二二年一月一日起至二〇二二年十二月三十一日止。\n"
        "一、总体情况\n二〇二二年，我局认真贯彻《二〇二一年政务公开工作要点》。二〇二三年，我局将继续努力。\n"
        "二、主动公开政府信息情况\n")


def test_signature_in_numerals_is_the_signing_date_not_the_publication_nor_the_year() -> None:
    meta = xxgk.parse_text(f"{BODY}\n某市某局\n二〇二三年一月十八日\n").meta
    assert meta.year == 2022  # not the policy's year (2021), the plan's (2023), nor the signature's
    assert meta.signed == "2023-01-18"
    assert meta.published is None
    assert meta.agency == "某市某局"  # named only in the signature block
    assert meta.period is not None and (meta.period["start"], meta.period["end"]) == ("2022-01-01", "2022-12-31")


def test_publication_stamp_in_numerals() -> None:
    page = f"某市某局二〇二二年政府信息公开工作年度报告\n发布时间：二〇二三年元月三十日\n{BODY}"
    meta = xxgk.parse_text(page).meta
    assert (meta.agency, meta.year, meta.published) == ("某市某局", 2022, "2023-01-30")


def test_harvest_reads_numeral_years_of_links_not_their_dates() -> None:
    from xxgk.read.crawl_links import years_named

    assert years_named("某局二〇二五年政府信息公开工作年度报告") == {2025}
    assert years_named("某局二〇二五年政府信息公开工作年度报告 二〇二六年一月二十日") == {2025}


def test_letter_spaced_title_with_its_year_in_numerals() -> None:
    """A PDF's title printed letter-spaced: the year's numerals are put together like the words."""
    title = " ".join("淮安市人民政府二〇二二年政府信息公开工作年度报告")
    meta = xxgk.parse_text(f"{title}\n一、总体情况\n本机关全年主动公开信息。\n二、主动公开政府信息情况\n").meta
    assert (meta.title, meta.agency, meta.year) == ("淮安市人民政府二〇二二年政府信息公开工作年度报告", "淮安市人民政府", 2022)
