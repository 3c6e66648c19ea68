"""Robustness: the statutory tables of real reports, printed in every layout crawls produce.

Each case renders one set of values (a real report's hand-checked tables, or a set made to
stress the parser) in one layout of ``layouts.py`` and one character variant, parses it
back, and checks:

* no wrong number, ever: every printed cell reads back as the number printed, or is null
  with a finding whose ``where`` is its cell, its row or its table;
* null is accepted only where the text itself is ambiguous: in ``run_together`` (digits
  of neighbouring cells glued) and beside a cell printed blank or "/" (its position is lost
  where a layout has no cell borders). In every other case the layout is unambiguous and
  the numbers must come back exactly;
* a cell printed blank or "/" is null with a finding, never 0;
* cells the document did not print (rows of the other format) are null;
* ``meta.template`` is the format printed;
* no arithmetic finding (T3-ROW-TOTAL, T3-PROCESSED-SUM, T3-BALANCE, T4-GROUP-TOTAL) unless
  the printed numbers themselves break that relation (dev 002's 表四 does).

Parser bugs found this way stay in the suite as strict xfails (``KNOWN_BUGS``). A
Hypothesis test prints random consistent tables in random layouts and variants.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layouts
import xxgk
from conftest import corpus_names, expected
from xxgk.templates import Relation, statutory
from xxgk.templates.relations import evaluate, instances

ARITHMETIC = {r.id for r in statutory().relations}
AMBIGUOUS_LAYOUTS = {"run_together"}  # glued digits: null-and-flagged is a right answer there

Values = dict[str, dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class ValueSet:
    name: str
    template: str
    year: int
    tables: Values
    variants: tuple[str, ...] | None = None  # None: every character variant

    def __repr__(self) -> str:  # short pytest ids and failure messages
        return self.name


# ---------------------------------------------------------------------------------------
# Value sets
# ---------------------------------------------------------------------------------------
def _year(meta: dict[str, Any], template: str) -> int:
    return int(meta.get("year") or (2022 if template == "2021" else 2020))


def real_value_sets() -> list[ValueSet]:
    """Every corpus report whose three tables are all known.

    A row the hand check could not read (``"?"`` in every cell: seed 002's
    要求提供公开出版物, whose crawl lost a cell) is printed as zeros, which the report's
    arithmetic accepts.
    """
    out: list[ValueSet] = []
    for name in corpus_names():
        exp = expected(name)
        tables = exp.get("tables") or {}
        if any(tables.get(tid) is None for tid in layouts.TABLE_IDS):
            continue
        fixed: Values = copy.deepcopy(tables)
        usable = True
        for rows in fixed.values():
            for row in rows.values():
                unknown = [c for c, v in row.items() if not isinstance(v, int | float)]
                if unknown and len(unknown) == len(row) and all(row[c] == "?" for c in unknown):
                    row.update(dict.fromkeys(unknown, 0))
                elif unknown:
                    usable = False
        template = exp["meta"]["template"]
        # A report whose every cell the hand check could not read (dev d103) has nothing to print.
        read = any(isinstance(v, int | float) for rows in tables.values() for row in (rows or {}).values()
                   for v in row.values())
        if usable and read and template in ("2019", "2021"):
            out.append(ValueSet(name.split("_")[0] + "_" + name.split("_")[1], template,
                                _year(exp["meta"], template), fixed))
    return out


def _relation(rid: str) -> Relation:
    return next(r for r in statutory().relations if r.id == rid)


def requests_table(template: str, outcomes: dict[str, list[int]], carried_over: list[int],
                   carried_forward: list[int]) -> dict[str, dict[str, int]]:
    """A consistent 表三 from its outcome rows (six applicant columns each) and both carries.

    Totals, 三(七) and 一 follow from the declared relations; rows not given are zeros.
    """
    table = statutory().table_by_id("requests")
    row_total = _relation("T3-ROW-TOTAL")
    processed = _relation("T3-PROCESSED-SUM")
    six = list(row_total.rhs)
    (total,) = row_total.lhs
    row_ids = [r.id for r in table.rows_for(template)]
    outcome_ids = processed.expand(processed.rhs, row_ids)

    def row(values: list[int]) -> dict[str, int]:
        out = dict(zip(six, values, strict=True))
        out[total] = sum(values)
        return out

    outs = {rid: outcomes.get(rid, [0] * 6) for rid in outcome_ids}
    sums = [sum(v[i] for v in outs.values()) for i in range(6)]
    new = [sums[i] + carried_forward[i] - carried_over[i] for i in range(6)]
    assert min(new) >= 0, "carried_over larger than what was processed and carried forward"
    data: dict[str, dict[str, int]] = {}
    for rid in row_ids:
        if rid == "new_received":
            data[rid] = row(new)
        elif rid == "carried_over":
            data[rid] = row(carried_over)
        elif rid == "total_processed":
            data[rid] = row(sums)
        elif rid == "carried_forward":
            data[rid] = row(carried_forward)
        else:
            data[rid] = row(outs[rid])
    return data


def review_table(groups: dict[str, list[int]]) -> dict[str, dict[str, int]]:
    rel = _relation("T4-GROUP-TOTAL")
    (total,) = rel.lhs
    out = {}
    for rid, values in groups.items():
        out[rid] = dict(zip(rel.rhs, values, strict=True))
        out[rid][total] = sum(values)
    return out


def synthetic_value_sets() -> list[ValueSet]:
    sets: list[ValueSet] = []
    # Multi-digit numbers in every column of every table.
    outcomes = {
        "granted": [1288, 21, 13, 17, 50, 3], "partially_granted": [447, 17, 10, 12, 23, 11],
        "denied.third_party": [16, 10, 11, 12, 13, 14], "unable.not_held": [746, 12, 25, 31, 10, 41],
        "rejected.repeated": [25, 33, 10, 44, 12, 10], "other.misc": [108, 22, 19, 18, 17, 16],
    }
    sets.append(ValueSet("multi_digit", "2021", 2022, {
        "active": {"regulations": {"issued": 12, "repealed": 34, "in_force": 567},
                   "normative_documents": {"issued": 81, "repealed": 26, "in_force": 1066},
                   "licensing": {"decisions": 447228}, "punishment": {"decisions": 3985758},
                   "enforcement": {"decisions": 88283}, "fees": {"amount": 96171.6}},
        "requests": requests_table("2021", outcomes, [34, 11, 12, 10, 15, 13], [103, 20, 30, 40, 50, 60]),
        "review_litigation": review_table({"review": [72, 64, 178, 37], "litigation_direct": [13, 14, 18, 11],
                                           "litigation_after_review": [12, 11, 21, 16]}),
    }))
    # A non-zero 法律服务机构 column (the fifth of six, easily shifted).
    sets.append(ValueSet("legal_service", "2021", 2023, {
        "active": {"regulations": {"issued": 0, "repealed": 0, "in_force": 3},
                   "normative_documents": {"issued": 5, "repealed": 1, "in_force": 40},
                   "licensing": {"decisions": 120}, "punishment": {"decisions": 7},
                   "enforcement": {"decisions": 0}, "fees": {"amount": 0}},
        "requests": requests_table("2021", {"granted": [3, 0, 0, 0, 4, 0], "unable.not_held": [2, 0, 0, 0, 1, 0],
                                            "rejected.petition": [0, 0, 0, 0, 2, 0]},
                                   [0, 0, 0, 0, 1, 0], [1, 0, 0, 0, 3, 0]),
        "review_litigation": review_table({"review": [1, 0, 0, 1], "litigation_direct": [0, 0, 0, 0],
                                           "litigation_after_review": [0, 1, 0, 0]}),
    }))
    # Decimals in the fee amount (万元), below one and with many places.
    sets.append(ValueSet("fee_decimal", "2021", 2022, {
        "active": {"regulations": {"issued": 0, "repealed": 0, "in_force": 0},
                   "normative_documents": {"issued": 2, "repealed": 0, "in_force": 9},
                   "licensing": {"decisions": 31}, "punishment": {"decisions": 2},
                   "enforcement": {"decisions": 1}, "fees": {"amount": 0.35}},
        "requests": requests_table("2021", {"granted": [2, 1, 0, 0, 0, 0]}, [0] * 6, [0] * 6),
        "review_litigation": review_table({"review": [0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0],
                                           "litigation_after_review": [0, 0, 0, 0]}),
    }))
    sets.append(ValueSet("fee_places", "2021", 2023, {
        "active": {"regulations": {"issued": 1, "repealed": 0, "in_force": 11},
                   "normative_documents": {"issued": 77, "repealed": 13, "in_force": 2470},
                   "licensing": {"decisions": 2629}, "punishment": {"decisions": 1330},
                   "enforcement": {"decisions": 54}, "fees": {"amount": 5949.088667}},
        "requests": requests_table("2021", {"granted": [22, 0, 0, 0, 0, 0], "partially_granted": [19, 1, 0, 0, 0, 0],
                                            "unable.not_held": [31, 0, 0, 0, 0, 0]}, [0] * 6, [0] * 6),
        "review_litigation": review_table({"review": [1, 1, 0, 0], "litigation_direct": [0, 0, 0, 0],
                                           "litigation_after_review": [1, 0, 1, 0]}),
    }))
    # The 2019 format, with signed 本年增/减 values and a decimal 采购总金额.
    sets.append(ValueSet("signed_2019", "2019", 2020, {
        "active": {"regulations": {"made": 0, "published": 0, "total_public": 0},
                   "normative_documents": {"made": 3, "published": 3, "total_public": 27},
                   "licensing": {"previous": 6, "change": -4, "decisions": 2},
                   "other_services": {"previous": 12, "change": 3, "decisions": 15},
                   "punishment": {"previous": 2, "change": 0, "decisions": 2},
                   "enforcement": {"previous": 25, "change": -12, "decisions": 8},
                   "fees": {"previous": 5, "change": -1},
                   "procurement": {"items": 6, "amount": 52.15}},
        "requests": requests_table("2019", {"granted": [4, 1, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0, 0],
                                            "unable.not_held": [2, 0, 0, 0, 0, 0]}, [1, 0, 0, 0, 0, 0], [0] * 6),
        "review_litigation": review_table({"review": [1, 0, 0, 0], "litigation_direct": [0, 0, 0, 0],
                                           "litigation_after_review": [0, 0, 0, 0]}),
    }))
    # The sign of 本年增/减 right against the digits of the cells around it.
    signed = copy.deepcopy(sets[-1].tables)
    signed["active"] = {"regulations": {"made": 0, "published": 0, "total_public": 0},
                        "normative_documents": {"made": 1, "published": 1, "total_public": 9},
                        "licensing": {"previous": 5, "change": -1, "decisions": 3},
                        "other_services": {"previous": 0, "change": 0, "decisions": 0},
                        "punishment": {"previous": 2, "change": 0, "decisions": 2},
                        "enforcement": {"previous": 1, "change": -1, "decisions": 0},
                        "fees": {"previous": 0, "change": 0},
                        "procurement": {"items": 1, "amount": 3}}
    sets.append(ValueSet("signed_glued", "2019", 2020, signed))
    # Cells printed blank or "not applicable" (dev 025: 规章 | / | / | /, 表三 rows with
    # only their total). They must come back null with a finding, never 0.
    blanks = copy.deepcopy(sets[0].tables)
    blanks["active"]["regulations"] = {"issued": "/", "repealed": "/", "in_force": "/"}
    blanks["active"]["licensing"] = {"decisions": ""}
    blanks["active"]["enforcement"] = {"decisions": "—"}
    for col in _relation("T3-ROW-TOTAL").rhs:
        blanks["requests"]["new_received"][col] = ""
    blanks["requests"]["granted"]["research"] = "/"
    blanks["requests"]["carried_forward"]["total"] = ""
    blanks["review_litigation"]["litigation_after_review"]["pending"] = "—"
    sets.append(ValueSet("blanks_na", "2021", 2022, blanks))
    # Blank cells right beside a label spanning columns (its empty cells in layouts that print every
    # position) and at a row's end: each blank is its own column's, the other numbers stay in theirs.
    beside = copy.deepcopy(sets[0].tables)
    beside["requests"]["new_received"]["natural_person"] = ""
    beside["requests"]["total_processed"]["commercial"] = ""
    beside["requests"]["granted"]["natural_person"] = ""
    beside["requests"]["other.misc"]["other_org"] = ""
    beside["requests"]["other.misc"]["total"] = ""
    sets.append(ValueSet("blanks_beside_spans", "2021", 2022, beside))
    # Zero typed as the numeral 〇 (or a circle, or 零) in a Word table, and cells marked 暂无, ×, 空:
    # the zeros read as 0, the marks as null with a finding; neither may split its row's numbers.
    marks = copy.deepcopy(sets[1].tables)
    marks["active"]["regulations"]["issued"] = "〇"
    marks["active"]["enforcement"]["decisions"] = "○"
    marks["active"]["normative_documents"]["repealed"] = "暂无"
    marks["requests"]["granted"]["commercial"] = "零"
    marks["requests"]["unable.not_held"]["research"] = "×"
    marks["requests"]["carried_over"]["natural_person"] = "〇"
    marks["review_litigation"]["litigation_direct"]["other"] = "空"
    sets.append(ValueSet("marks", "2021", 2023, marks))
    # Numbers printed with more than digits, as crawled reports print them (see ``READ_AS``): footnote marks,
    # a unit set apart, a unit other than the column's, a lone character lost in the crawl.
    forms = copy.deepcopy(sets[1].tables)
    forms["active"]["licensing"]["decisions"] = "1.2万"
    forms["active"]["fees"]["amount"] = "800元"
    forms["active"]["normative_documents"]["in_force"] = "40①"
    forms["active"]["punishment"]["decisions"] = "7 件"
    forms["requests"]["granted"]["natural_person"] = "3²"
    forms["requests"]["granted"]["legal_service"] = "4*"
    forms["requests"]["unable.not_held"]["commercial"] = "0※"
    forms["requests"]["rejected.petition"]["research"] = "?"
    forms["review_litigation"]["review"]["upheld"] = "1[1]"
    sets.append(ValueSet("printed_forms", "2021", 2023, forms))
    # 本年增/减 as word processors and crawls print it: the minus sign U+2212, ±0, arrows.
    changes = copy.deepcopy(sets[4].tables)
    changes["active"]["licensing"]["change"] = "\u22124"
    changes["active"]["other_services"]["change"] = "↑3"
    changes["active"]["punishment"]["change"] = "±0"
    changes["active"]["enforcement"]["change"] = "↓12"
    sets.append(ValueSet("printed_changes", "2019", 2020, changes))
    sets.extend(review_blank_sets(sets[0]))
    return sets


# 表四's line of fifteen with blank cells at different places: (name, {group: [columns]}).
REVIEW_BLANKS: list[tuple[str, dict[str, list[str]]]] = [
    ("t4_blank_start", {"review": ["upheld", "corrected"]}),
    ("t4_blank_end", {"litigation_after_review": ["pending", "total"]}),
    ("t4_blank_group", {"litigation_direct": ["upheld", "corrected", "other", "pending", "total"]}),
    ("t4_blank_boundary", {"review": ["total"], "litigation_direct": ["upheld"]}),
    ("t4_blank_scattered", {"review": ["other"], "litigation_direct": ["pending"], "litigation_after_review": ["upheld"]}),
    ("t4_blank_both_ends", {"review": ["upheld"], "litigation_after_review": ["total"]}),
    ("t4_only_review", {"litigation_direct": ["upheld", "corrected", "other", "pending", "total"],
                        "litigation_after_review": ["upheld", "corrected", "other", "pending", "total"]}),
]


def review_blank_sets(base: ValueSet) -> list[ValueSet]:
    """``base`` with blank cells in 表四 (printed as nothing at all in the cell)."""
    out: list[ValueSet] = []
    for name, blanks in REVIEW_BLANKS:
        tables = copy.deepcopy(base.tables)
        for group, columns in blanks.items():
            for col in columns:
                tables["review_litigation"][group][col] = ""
        out.append(ValueSet(name, base.template, base.year, tables, ("official", "traditional", "halfwidth")))
    return out


VALUE_SETS = real_value_sets() + synthetic_value_sets()


# ---------------------------------------------------------------------------------------
# Checking a parse against what was printed
# ---------------------------------------------------------------------------------------
def parse(layout: str, text: str) -> dict[str, Any]:
    if layout in layouts.HTML_LAYOUTS:
        return xxgk.parse(text.encode("utf-8"), "x.html").to_dict()
    if layout in layouts.MARKDOWN_FILE_LAYOUTS:
        return xxgk.parse(text.encode("utf-8"), "x.md").to_dict()
    return xxgk.parse_text(text).to_dict()


# Zero as a Chinese input method types it in a table: printed as text, read as 0.
ZERO_MARKS = frozenset({"〇", "○", "零"})
# Cells printed as text that stand for a number: zero marks; a footnote mark after the number; a unit set apart;
# a unit other than the column's (800元 under 本年收费金额（单位：万元）, 1.2万 decisions); signs of 本年增/减.
READ_AS: dict[str, int | float] = {
    **dict.fromkeys(ZERO_MARKS, 0), "1.2万": 12000, "800元": 0.08, "40①": 40, "7 件": 7, "3²": 3, "4*": 4,
    "0※": 0, "1[1]": 1, "\u22124": -4, "↑3": 3, "±0": 0, "↓12": -12,
}


def numeric(tables: Values) -> Values:
    """The tables with cells printed as text (blank, "/") as the null they stand for, numbers printed with
    more than digits (``READ_AS``) as their numbers."""
    return {tid: {rid: {cid: READ_AS.get(v) if isinstance(v, str) else v for cid, v in row.items()}
                  for rid, row in rows.items()} for tid, rows in tables.items()}


def broken_relations(tables: Values) -> set[tuple[str, str]]:
    """(rule, where) of every relation instance the printed numbers themselves break."""
    out: set[tuple[str, str]] = set()
    tables = numeric(tables)
    for rel in statutory().relations:
        data = tables.get(rel.table)
        if not data:
            continue
        for inst in instances(rel, data):
            o = evaluate(inst, data)
            if o is not None and not o.holds:
                where = f"{rel.table}.{inst.axis}" if rel.each == "row" else f"{rel.table}.{inst.lhs[0][0]}.{inst.axis}"
                out.add((rel.id, where))
    return out


@dataclass
class Outcome:
    wrong: list[str]  # silent wrong numbers (or unflagged nulls)
    nulls: list[str]  # null and flagged
    other: list[str]  # template, missing tables, unprinted cells, arithmetic findings
    # Null and flagged in a row that printed a blank or "/": where the layout has no cell
    # borders the blank's position, hence its neighbours', is unknown; null is honest there.
    excused: list[str] = field(default_factory=list)

    def message(self, header: str) -> str:
        parts = [header, f"null-and-flagged cells: {len(self.nulls)} (+{len(self.excused)} beside a blank)"]
        if self.wrong:
            parts.append("wrong or unflagged: " + "; ".join(self.wrong[:12]))
        if self.other:
            parts.append("other: " + "; ".join(self.other[:12]))
        if self.nulls:
            parts.append("nulls: " + ", ".join(self.nulls[:12]))
        return "\n".join(parts)


def _text(printed: Any) -> bool:
    """A cell printed as text that is no number (blank, "/", a lost character): its neighbours' places may be lost.
    A number printed with more than digits (``READ_AS``) is a number, but zero marks, which some layouts cannot
    tell from a label."""
    return isinstance(printed, str) and (printed not in READ_AS or printed in ZERO_MARKS)


def compare(report: dict[str, Any], values: Values, template: str, layout: str = "") -> Outcome:
    result = Outcome([], [], [])
    wheres = {f["where"] for f in report["findings"]}
    if report["meta"]["template"] != template:
        result.other.append(f"meta.template {report['meta']['template']!r}, printed {template!r}")
    for tid, rows in values.items():
        # A table reported missing is null in every cell (flagged if a finding names it).
        got_table = report["tables"].get(tid) or {}
        # 表四 prints its three groups on one line: a blank there unsettles the whole line,
        # unless the layout keeps cell boundaries (then the blank holds its place).
        one_line = (statutory().table_by_id(tid).layout == "groups_in_one_line"
                    and layout not in layouts.POSITION_LAYOUTS)
        table_has_text = any(_text(v) for cols in rows.values() for v in cols.values())
        for rid, cols in rows.items():
            got_row = got_table.get(rid) or {}
            row_has_text = any(_text(v) for v in cols.values()) or (one_line and table_has_text)
            if tid == "review_litigation" and layout in layouts.POSITION_LAYOUTS:
                row_has_text = False  # a blank's place is known: its neighbours must come back
            for cid, printed in cols.items():
                want = READ_AS.get(printed, printed) if isinstance(printed, str) else printed
                got = got_row.get(cid)
                cell = f"{tid}.{rid}.{cid}"
                flagged = got is None and bool({tid, f"{tid}.{rid}", cell} & wheres)
                if isinstance(want, str):
                    if not flagged:
                        result.wrong.append(f"{cell}: printed {want!r}, read {got!r}"
                                            + ("" if got is not None else " with no finding"))
                    continue
                if got is not None and got == want:
                    continue
                if flagged:
                    (result.excused if row_has_text else result.nulls).append(cell)
                else:
                    result.wrong.append(f"{cell}: printed {want!r}, read {got!r}")
        for rid, cols in got_table.items():
            for cid, got in cols.items():
                if got is not None and cid not in rows.get(rid, {}):
                    result.other.append(f"{tid}.{rid}.{cid}={got!r} read but never printed")
    allowed = broken_relations(values)
    for f in report["findings"]:
        if f["rule"] in ARITHMETIC and (f["rule"], f["where"]) not in allowed:
            result.other.append(f"{f['rule']} at {f['where']}: {f['message']}")
    return result


def assert_read_back(report: dict[str, Any], vs: ValueSet, layout: str, variant: str) -> None:
    res = compare(report, vs.tables, vs.template, layout)
    header = f"{vs.name} × {layout} × {variant}"
    assert not res.wrong, res.message(header)
    assert not res.other, res.message(header)
    if layout not in AMBIGUOUS_LAYOUTS:
        told = _told_by_marker(vs.template) if layouts.VARIANTS[variant].markers == "none" else ()
        assert not [n for n in res.nulls if not n.startswith(told)], res.message(header)


def _told_by_marker(template: str) -> tuple[str, ...]:
    """Rows whose label without its list marker is also a column's word (``(七)总计``, ``3.其他``): printed
    without markers, such a row is read where its word stands alone before its numbers, and may be left
    null, with a finding, where the text of another label runs into it (PDF text, one row per table)."""
    return tuple(f"{t.id}.{r.id}." for t in statutory().tables for r in t.rows_for(template)
                 if len(layouts.strip_marker(r.label_for(template))) < 4)


# ---------------------------------------------------------------------------------------
# Known parser bugs: (value set or "*", layout or "*", variant or "*") → reason
# ---------------------------------------------------------------------------------------
def _prints_text(vs: ValueSet, table: str) -> bool:
    return any(isinstance(v, str) for row in vs.tables[table].values() for v in row.values())


# (which cases, why). Each reason names the cause in the parser and a minimal input; the
# cases stay in the suite as strict xfails so that a fix shows up as an XPASS.
KNOWN_BUGS: list[tuple[Callable[[ValueSet, str, str], bool], str]] = [
]


def _marks(vs: ValueSet, layout: str, variant: str) -> list[pytest.MarkDecorator]:
    for applies, reason in KNOWN_BUGS:
        if applies(vs, layout, variant):
            return [pytest.mark.xfail(strict=True, reason=reason)]
    return []


def _variants(vs: ValueSet) -> list[str]:
    has_negative = any(isinstance(x, int | float) and x < 0
                       for rows in vs.tables.values() for row in rows.values() for x in row.values())
    chosen = vs.variants or tuple(layouts.VARIANTS)
    return [v for v in chosen if v != "minus_word" or has_negative]


def _layout_variants(vs: ValueSet, layout: str) -> list[str]:
    """Markdown files go through the same text paths as the Markdown layouts: fewer variants.

    A table per row under a heading per row (``### 规章``, its header ``数据1``) names its table nowhere
    but in the section headings: a crawl that drops headings drops the rows' too, so no_headings is not
    one of its forms."""
    if layout in layouts.MARKDOWN_FILE_LAYOUTS:
        return [v for v in _variants(vs) if v in ("official", "traditional")]
    return [v for v in _variants(vs) if _is_form_of(layout, v)]


def _is_form_of(layout: str, variant: str) -> bool:
    """Whether the layout is met printed in the variant (see ``_layout_variants``)."""
    return variant != "no_headings" or layout != "markdown_per_row"


def _chosen_variants(i: int, j: int, variants: list[str]) -> list[str]:
    """Every pair covered, not every triple: each value set and layout in the official wording and in one
    other variant, rotating so that every (value set, variant) and (layout, variant) pair occurs.
    XXGK_ALL_LAYOUT_CASES=1 runs the whole product (2,360 parses) instead."""
    if os.environ.get("XXGK_ALL_LAYOUT_CASES") == "1" or len(variants) <= 2:
        return variants
    # minus_word applies only to the few value sets with negatives: kept with every layout.
    others = [v for v in variants if v not in ("official", "minus_word")]
    keep = {"official", "minus_word", others[(i + j) % len(others)]}
    return [v for v in variants if v in keep]


CASES = [
    pytest.param(vs, layout, variant, id=f"{vs.name}-{layout}-{variant}", marks=_marks(vs, layout, variant))
    for i, vs in enumerate(VALUE_SETS)
    for j, layout in enumerate(layouts.LAYOUTS)
    for variant in _chosen_variants(i, j, _layout_variants(vs, layout))
]


@pytest.mark.parametrize(("vs", "layout", "variant"), CASES)
def test_layout_reads_back(vs: ValueSet, layout: str, variant: str) -> None:
    text = layouts.render(layout, vs.tables, vs.template, variant, vs.year)
    assert_read_back(parse(layout, text), vs, layout, variant)


def test_value_sets() -> None:
    """The real sets are there, and the made-up ones are consistent."""
    names = {vs.name for vs in VALUE_SETS}
    assert {"seed_001", "seed_002", "dev_001", "dev_003", "dev_010"} <= names
    assert "dev_016" not in names
    for vs in synthetic_value_sets():
        assert not broken_relations(vs.tables), vs.name
    assert any(isinstance(v, str) for vs in VALUE_SETS for rows in vs.tables.values()
               for row in rows.values() for v in row.values())


def test_labels_come_from_the_template() -> None:
    """The renderer prints the declared labels (one source of truth), not its own spellings."""
    vs = next(v for v in VALUE_SETS if v.name == "seed_002")
    text = layouts.render("pipes", vs.tables, vs.template, "official", vs.year)
    s = statutory()
    for table in s.tables:
        for row in table.rows_for(vs.template):
            assert row.label_for(vs.template) in text, row.id
    short = layouts.short_label(s.table_by_id("requests").row_by_id("partially_granted"), "2021")
    assert short != s.table_by_id("requests").row_by_id("partially_granted").label_for("2021")
    assert short in layouts.render("tabs", vs.tables, vs.template, "no_partial_note", vs.year)


# ---------------------------------------------------------------------------------------
# Random consistent tables in random layouts
# ---------------------------------------------------------------------------------------
_count = st.one_of(st.just(0), st.just(0), st.integers(0, 9), st.integers(10, 999), st.integers(1000, 99999))
_six = st.lists(_count, min_size=6, max_size=6)


@st.composite
def consistent_tables(draw: st.DrawFn, template: str, glued: bool = False) -> Values:
    table = statutory().table_by_id("requests")
    processed = _relation("T3-PROCESSED-SUM")
    row_ids = [r.id for r in table.rows_for(template)]
    outcome_ids = processed.expand(processed.rhs, row_ids)
    chosen = draw(st.lists(st.sampled_from(outcome_ids), max_size=6, unique=True))
    outcomes = {rid: draw(_six) for rid in chosen}
    forward = draw(_six)
    sums = [sum(v[i] for v in outcomes.values()) + forward[i] for i in range(6)]
    over = [draw(st.integers(0, s)) for s in sums]
    active_table = statutory().table_by_id("active")
    active: dict[str, dict[str, Any]] = {}
    for row in active_table.rows_for(template):
        active[row.id] = {}
        for col in active_table.row_columns(row, template):
            if col.kind == "money":
                value: Any = draw(st.one_of(_count, st.integers(1, 999999).map(lambda n: n / 100)))
            elif col.kind == "signed":
                # A sign glued between digits is misread (KNOWN_BUGS, case signed_glued ×
                # run_together): drawn only where the layout keeps cells apart.
                value = draw(st.integers(0 if glued else -99, 99))
            else:
                value = draw(_count)
            active[row.id][col.id] = value
    review = statutory().table_by_id("review_litigation")
    groups = {r.id: draw(st.lists(_count, min_size=4, max_size=4)) for r in review.rows_for(template)}
    review_data: dict[str, dict[str, Any]] = review_table(groups)
    # Blank cells anywhere in 表四's line of fifteen (printed as nothing at all).
    cells = [(r.id, c.id) for r in review.rows_for(template) for c in review.columns_for(template)]
    for group_id, col_id in draw(st.lists(st.sampled_from(cells), max_size=4, unique=True), label="t4 blanks"):
        review_data[group_id][col_id] = ""
    return {"active": active, "requests": requests_table(template, outcomes, over, forward),
            "review_litigation": review_data}


RANDOM_LAYOUTS = sorted(layouts.LAYOUTS)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_consistent_tables(data: st.DataObject) -> None:
    template = data.draw(st.sampled_from(["2019", "2021"]), label="template")
    layout = data.draw(st.sampled_from(RANDOM_LAYOUTS), label="layout")
    variant = data.draw(st.sampled_from([v for v in sorted(layouts.VARIANTS) if _is_form_of(layout, v)]), label="variant")
    tables = data.draw(consistent_tables(template, glued=layout == "run_together"), label="tables")
    year = 2022 if template == "2021" else 2020
    text = layouts.render(layout, tables, template, variant, year)
    res = compare(parse(layout, text), tables, template, layout)
    assert not res.wrong, res.message(f"{template} × {layout} × {variant}")
    assert not res.other, res.message(f"{template} × {layout} × {variant}")
    if layout in layouts.POSITION_LAYOUTS:  # every 表四 cell's place is known there
        assert not [c for c in res.nulls if c.startswith("review_litigation.")], res.message(layout)


@pytest.mark.parametrize("lost", range(7))
@pytest.mark.parametrize("label", ["（一）予以公开", "一、本年新收政府信息公开申请数量"])
def test_an_html_row_that_lost_a_cell_is_not_shifted(label: str, lost: int) -> None:
    """dev_001's 表三 as a web page whose row lost one ``<td>`` of its seven numbers. Where it was is
    unknown (a browser draws nothing past a row's last cell), so the row is null with PARSE-ROW-SHORT
    on it; before, the numbers after the gap moved one column left and 总计 was called blank."""
    vs = next(v for v in real_value_sets() if v.name == "dev_001")
    page = layouts.render("html", vs.tables, vs.template, "official", vs.year)
    at = page.index(label)
    cells = list(re.finditer(r"<td[^>]*>.*?</td>", page[at : page.index("</tr>", at)]))
    gone = cells[lost]
    report = parse("html", page[: at + gone.start()] + page[at + gone.end() :])
    row = next(r.id for r in statutory().table_by_id("requests").rows if label in r.labels())
    assert set(report["tables"]["requests"][row].values()) == {None}
    assert [f["rule"] for f in report["findings"] if f["where"] == f"requests.{row}"] == ["PARSE-ROW-SHORT"]
    others = {r: v for r, v in report["tables"]["requests"].items() if r != row}
    assert others == {r: v for r, v in vs.tables["requests"].items() if r != row}


# Layouts whose rows keep every cell boundary, spanned positions printed empty (a text browser's boxes, pandoc's
# grid, trafilatura's text, a spreadsheet's tab rows): a blank's place is known, so the numbers beside it must
# come back in their own columns, never null for its sake.
EVERY_POSITION = ("pipes_grid", "trafilatura_text", "tabs_grid", "box_drawn", "box_wrapped", "ascii_grid")
BLANK_SETS = [vs for vs in VALUE_SETS if vs.name in ("blanks_na", "blanks_beside_spans")]


@pytest.mark.parametrize("layout", EVERY_POSITION)
@pytest.mark.parametrize("vs", BLANK_SETS, ids=lambda vs: vs.name)
def test_blanks_keep_their_neighbours_in_place(vs: ValueSet, layout: str) -> None:
    res = compare(parse(layout, layouts.render(layout, vs.tables, vs.template, "official", vs.year)),
                  vs.tables, vs.template, layout)
    header = f"{vs.name} × {layout}"
    assert not res.wrong and not res.other, res.message(header)
    assert not res.nulls and not res.excused, res.message(header)


@pytest.mark.parametrize("layout", ["markdown_per_row", "one_cell_per_line", "alternating", "pipes"])
def test_a_title_printed_again_at_each_page_head_is_not_read_into_the_tables(layout: str) -> None:
    """Text saved from a PDF whose pages show only by their counters: ``— 3 —`` then the report's title again at the
    head of the next page, falling between a row's label and its numbers (or its one-a-line cells)."""
    vs = next(v for v in VALUE_SETS if v.name == "seed_001")
    text = layouts.render(layout, vs.tables, vs.template, "official", vs.year)
    lines = text.split("\n")
    title = next(line for line in lines if line.strip())
    start = next(i for i, line in enumerate(lines) if "收到和处理政府信息公开申请情况" in line)
    paged: list[str] = []
    for i, line in enumerate(lines):
        paged.append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        # A page break every 17 lines through the tables (a Markdown table's rule stays under its header row).
        if i > start and (i - start) % 17 == 0 and not following.replace(" ", "").startswith("|-"):
            paged += [f"— {len(paged) // 17} —", "", title]
    assert sum(line == title for line in paged) >= 3
    report = xxgk.parse("\n".join(paged).encode("utf-8"), "x.txt").to_dict()
    assert_read_back(report, vs, layout, "official")
    assert report["meta"]["agency"] == xxgk.parse(text.encode("utf-8"), "x.txt").to_dict()["meta"]["agency"]
