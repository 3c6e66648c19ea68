"""A row's cells read as the text supports: a unit other than the column's, digits glued to a label,
thousands set apart by a space, more numbers than columns.

Each report is a layout of ``layouts.py`` with one line changed as crawled reports print it
(/tmp/probe-damage's reproducers); ``test_layouts``'s ``printed_forms`` and ``printed_changes`` sets
carry footnote marks, signs and units through every layout.
"""

from __future__ import annotations

from typing import Any

import layouts
import xxgk
from test_layouts import VALUE_SETS

_SETS = {vs.name: vs for vs in VALUE_SETS}


def _report(value_set: str, layout: str, old: str, new: str) -> dict[str, Any]:
    """The value set printed in ``layout`` with the line ``old`` printed as ``new``."""
    vs = _SETS[value_set]
    text = layouts.render(layout, vs.tables, vs.template, "official", vs.year)
    assert text.count(old) == 1, old
    return xxgk.parse_text(text.replace(old, new)).to_dict()


def _spaced(value_set: str, old: str, new: str) -> dict[str, Any]:
    """As a PDF's text keeps its columns (pdftotext -layout): cells two spaces apart."""
    vs = _SETS[value_set]
    text = layouts.render("tabs", vs.tables, vs.template, "official", vs.year).replace("\t", "  ")
    assert text.count(old) == 1, old
    return xxgk.parse_text(text.replace(old, new)).to_dict()


def _rules(report: dict[str, Any], where: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["where"] == where or f["where"].startswith(where + ".")}


def test_a_fee_in_yuan_under_the_wan_yuan_column_is_converted() -> None:
    """``800元`` under 本年收费金额（单位：万元） is 0.08, not 800 (dmg64)."""
    report = _report("legal_service", "pipes", "行政事业性收费 | 0 |", "行政事业性收费 | 800元 |")
    assert report["tables"]["active"]["fees"]["amount"] == 0.08
    assert "PARSE-CELL-CONVERTED" in _rules(report, "active.fees.amount")
    # In the fee's own unit it is read as printed, with nothing to say.
    report = _report("legal_service", "pipes", "行政事业性收费 | 0 |", "行政事业性收费 | 1.5万元 |")
    assert report["tables"]["active"]["fees"]["amount"] == 1.5
    assert not _rules(report, "active.fees")


def test_a_unit_that_does_not_convert_leaves_the_cell_null() -> None:
    """Money under a count, or 万 that leaves a fraction of a decision: null with a finding, never 5 or 1.23456."""
    report = _report("legal_service", "tabs", "行政许可\t120", "行政许可\t5万元")
    assert report["tables"]["active"]["licensing"]["decisions"] is None
    assert "PARSE-CELL-UNIT" in _rules(report, "active.licensing.decisions")
    report = _report("legal_service", "tabs", "行政许可\t120", "行政许可\t1.23456万")
    assert report["tables"]["active"]["licensing"]["decisions"] is None
    assert "PARSE-CELL-UNIT" in _rules(report, "active.licensing.decisions")


def test_wan_in_a_column_without_a_declared_unit_is_not_guessed() -> None:
    """2019's 采购总金额 declares no unit: ``1.2万`` may be 1.2 of it or 12000; ``52.15万元`` is read as printed."""
    report = _report("signed_2019", "pipes", "政府集中采购 | 6 | 52.15 |", "政府集中采购 | 6 | 1.2万 |")
    assert report["tables"]["active"]["procurement"] == {"items": 6, "amount": None}
    assert "PARSE-CELL-UNIT" in _rules(report, "active.procurement.amount")
    report = _report("signed_2019", "pipes", "政府集中采购 | 6 | 52.15 |", "政府集中采购 | 6 | 52.15万元 |")
    assert report["tables"]["active"]["procurement"] == {"items": 6, "amount": 52.15}


def test_digits_glued_to_the_label_are_its_footnote_number() -> None:
    """``行政许可1<TAB>15841``: the 1 is the label's, the row has exactly its one number after it (dmg68)."""
    report = _report("legal_service", "tabs", "行政许可\t120", "行政许可1\t15841")
    assert report["tables"]["active"]["licensing"]["decisions"] == 15841
    assert "PARSE-LABEL-DIGITS" in _rules(report, "active.licensing")


def test_thousands_set_apart_by_a_no_break_space() -> None:
    """``11 599`` in space-separated text is one number where the row then has exactly its columns."""
    report = _spaced("legal_service", "行政许可  120", "行政许可  11\u00a0599")
    assert report["tables"]["active"]["licensing"]["decisions"] == 11599
    assert "PARSE-DIGITS-SPACED" in _rules(report, "active.licensing")


def test_thousands_that_can_be_joined_two_ways_are_not_guessed() -> None:
    """``1 234 567`` with one number too many is 1234/567 or 1/234567: the row is null."""
    report = _spaced("legal_service", "规章  0  0  3", "规章  1 234 567  3")
    assert report["tables"]["active"]["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert "PARSE-ROW-EXTRA" in _rules(report, "active.regulations")


def test_more_numbers_than_columns_without_a_reading_is_null() -> None:
    """Two numbers in a row of one column, neither a repeat nor a label's: the first is not taken."""
    report = _report("legal_service", "tabs", "行政许可\t120", "行政许可\t120\t7")
    assert report["tables"]["active"]["licensing"]["decisions"] is None
    assert "PARSE-ROW-EXTRA" in _rules(report, "active.licensing")


def test_a_spanned_cell_repeated_by_a_grid_is_read_once() -> None:
    """``| 行政许可 | 120 | 120 | 120 |`` (a Markdown table repeating a cell over the columns it spans)."""
    vs = _SETS["legal_service"]
    text = layouts.render("markdown", vs.tables, vs.template, "official", vs.year)
    assert "| 行政许可 | 120 | 120 | 120 |" in text
    assert xxgk.parse_text(text).to_dict()["tables"]["active"]["licensing"]["decisions"] == 120


def test_a_footnote_mark_on_a_number_is_not_part_of_it() -> None:
    report = _report("legal_service", "pipes", "行政许可 | 120 |", "行政许可 | 88796① |")
    assert report["tables"]["active"]["licensing"]["decisions"] == 88796
    assert "PARSE-CELL-FOOTNOTE" in _rules(report, "active.licensing.decisions")


def test_a_cell_that_lost_its_only_character_keeps_its_place() -> None:
    """A lone ``?`` (a 〇 or — the page's encoding could not carry) is null; its neighbours are read (dmg11)."""
    vs = _SETS["legal_service"]
    granted = vs.tables["requests"]["granted"]
    printed = " | ".join(str(v) for v in granted.values())
    report = _report("legal_service", "pipes", f"| {printed} |", f"| {printed.replace('0', '?', 1)} |")
    got = report["tables"]["requests"]["granted"]
    lost = next(k for k, v in granted.items() if v == 0)
    assert got == {**granted, lost: None}
    assert "PARSE-DIGITS-LOST" in _rules(report, f"requests.granted.{lost}")


def test_a_unit_set_apart_in_one_cell_per_line_text() -> None:
    """``3 件`` on its own line is one cell, and its row keeps its seven numbers (m13)."""
    report = _report("legal_service", "one_cell_per_line", "（一）予以公开\n\n3\n", "（一）予以公开\n\n3 件\n")
    assert report["tables"]["requests"]["granted"] == _SETS["legal_service"].tables["requests"]["granted"]


def test_a_row_below_whose_label_was_lost_does_not_empty_the_row_above() -> None:
    """``2.???????`` (a label whose characters the page's encoding lost) puts its numbers after the row above:
    that row's own line holds exactly its seven numbers, and they are taken (dmg14)."""
    vs = _SETS["legal_service"]
    report = _report("legal_service", "pipes", "2.没有现成信息需要另行制作 |", "2.???????????? |")
    assert report["tables"]["requests"]["unable.not_held"] == vs.tables["requests"]["unable.not_held"]
    assert "PARSE-ROW-EXTRA" in _rules(report, "requests.unable.not_held")
