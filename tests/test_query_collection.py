"""Collection checks on real reports: text copied (内容雷同) from another agency or last year, years missing.

The copies are made here from real reports: a report whose section 五 is replaced by another real
report's section 五, and a report republished for the next year with its numbers' years moved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import xxgk
from conftest import CORPUS
from xxgk.check import RULES
from xxgk.check.collection import behind_peers, gaps
from xxgk.store import Store
from xxgk.store.similarity import COPY_RATIO, clean_text, ratio, shingles

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Two real reports of 2022 by different agencies, both with a section 五.
DONOR = CORPUS / "seed_000_21adae8aa08e5a52.txt"
TAKER = CORPUS / "seed_001_a8be0d3400cd1f54.txt"
COPY_RULES = ("COLL-COPY-OTHER", "COLL-COPY-PREVIOUS")


@pytest.fixture
def store(store_url: str) -> Any:
    with Store(store_url) as s:
        yield s


def _section(path: Path, kind: str) -> str:
    text = xxgk.parse(path).sections[kind].text
    assert text and text in path.read_text(encoding="utf-8")
    return text


def copied_problems(tmp_path: Path) -> Path:
    """TAKER with its section 五 replaced by DONOR's, word for word."""
    original = TAKER.read_text(encoding="utf-8")
    made = tmp_path / "copied_problems.txt"
    made.write_text(original.replace(_section(TAKER, "problems"), _section(DONOR, "problems")), encoding="utf-8")
    return made


def moved_years(tmp_path: Path, by: int) -> Path:
    """TAKER republished ``by`` years later: every year in it moved, the text otherwise the same."""
    text = TAKER.read_text(encoding="utf-8")
    for year in range(2030, 2009, -1):
        text = text.replace(str(year), f"@{year + by}@")
    made = tmp_path / f"moved_{by}.txt"
    made.write_text(text.replace("@", ""), encoding="utf-8")
    return made


def _stored_id(store: Store, path: Path) -> int:
    return next(r.id for r in store.reports() if Path(r.source).name == path.name)


def test_real_reports_are_not_copies_of_each_other(store: Store) -> None:
    store.ingest([CORPUS, EXAMPLES], workers=1)
    assert store.count() > 10
    assert [f for f in store.findings(scope="collection") if f.rule in COPY_RULES] == []


def test_section_copied_from_another_agency_is_found(store: Store, tmp_path: Path) -> None:
    store.ingest([CORPUS], workers=1)
    made = copied_problems(tmp_path)
    store.ingest([made], workers=1)
    copy_id, donor_id = _stored_id(store, made), _stored_id(store, DONOR)
    found = [f for f in store.findings(scope="collection") if f.rule in COPY_RULES]
    # On both reports, though the donor was stored first: which one copied is not for the store to say.
    assert {(f.report_id, f.rule, f.where, f.related_report_id) for f in found} == {
        (copy_id, "COLL-COPY-OTHER", "sections.problems", donor_id),
        (donor_id, "COLL-COPY-OTHER", "sections.problems", copy_id)}
    for finding in found:
        share = int(finding.message.split("重复率为")[1].split("%")[0])
        assert share >= COPY_RATIO * 100
        assert finding.severity == RULES["COLL-COPY-OTHER"].severity


def test_report_repeating_last_year_is_found_and_a_missing_year_too(store: Store, tmp_path: Path) -> None:
    store.ingest([TAKER, DONOR], workers=1)
    next_year = moved_years(tmp_path, 1)
    store.ingest([next_year], workers=1)
    original, repeated = _stored_id(store, TAKER), _stored_id(store, next_year)
    years = {r.id: r.year for r in store.reports()}
    assert years[repeated] == years[original] + 1  # type: ignore[operator]
    found = {(f.report_id, f.rule, f.where, f.related_report_id) for f in store.findings(scope="collection")
             if f.rule in COPY_RULES}
    assert (repeated, "COLL-COPY-PREVIOUS", "sections.problems", original) in found
    assert (repeated, "COLL-COPY-PREVIOUS", "sections.overview", original) in found
    assert all(report_id == repeated for report_id, *_ in found)

    # Two years later, with the year between missing.
    later = moved_years(tmp_path, 3)
    store.ingest([later], workers=1)
    later_id = _stored_id(store, later)
    missing = [f for f in store.findings(scope="collection") if f.rule == "COLL-MISSING-YEAR"]
    assert [(f.report_id, f.related_report_id) for f in missing] == [(later_id, repeated)]
    assert str(years[original] + 2) in missing[0].message  # type: ignore[operator]


def test_boilerplate_and_short_text_are_not_evidence() -> None:
    mine = shingles(_section(TAKER, "problems"))
    theirs = shingles(_section(DONOR, "problems"))
    share, size = ratio(mine, theirs, shingles(""))
    assert size > 40 and share < 0.3  # two real reports: little in common
    assert ratio(theirs, theirs, shingles(""))[0] == 1.0
    # What every report shares (here: the whole text, as if every agency used it) is not counted.
    assert ratio(theirs, theirs, theirs) == (0.0, 0)
    # Digits and punctuation do not matter: a copy with this year's numbers is still a copy.
    assert clean_text("2023年，共收到申请12件。") == clean_text("2024年,共收到申请95件") == "年共收到申请件"


def test_gap_and_peer_rules_are_conservative() -> None:
    assert list(gaps({2021, 2023})) == [(2022, 2021, 2023)]
    assert list(gaps({2020, 2021, 2022})) == []
    assert list(gaps({2019, 2022})) == [(2020, 2019, 2022), (2021, 2019, 2022)]
    peers = {1: {2022, 2023}, 2: {2022, 2023}, 3: {2022, 2023}}
    assert behind_peers(2022, peers) == (3, 3)
    assert behind_peers(2022, {1: {2022, 2023}, 2: {2022, 2023}}) is None  # too few peers to say
    assert behind_peers(2022, {**peers, 4: {2022}, 5: {2022}}) is None  # many peers lack it too
    assert behind_peers(2023, peers) is None


def test_collection_rules_are_registered_and_documented() -> None:
    from xxgk.check.docs import rules_markdown

    for rule_id in ("COLL-MISSING-YEAR", "COLL-MISSING-LATEST", *COPY_RULES):
        assert RULES[rule_id].scope == "collection"
        assert f"`{rule_id}`" in rules_markdown()
    # xxgk check on files does not run them (they need the store).
    report = xxgk.parse(TAKER)
    assert not [f for f in report.findings if f.rule.startswith("COLL-")]
