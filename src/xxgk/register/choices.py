"""The register's choices, read from the statutory declaration (never spelled here).

Applicant types are the columns of table 三 that its row total adds up; outcomes are the
rows that 三(七) adds up; case kinds and results are table 四's groups and the columns its
group total adds up. Labels for display come from the declaration too.
"""

from __future__ import annotations

import re
from functools import cache

from xxgk.templates import Relation, Table, statutory

REQUESTS = "requests"
REVIEWS = "review_litigation"
ACTIVE = "active"
# Row ids of table 三 that the register computes besides the outcomes (the JSON contract's ids).
NEW_RECEIVED, CARRIED_OVER, TOTAL_PROCESSED, CARRIED_FORWARD = (
    "new_received", "carried_over", "total_processed", "carried_forward")
# Table 四: a case not decided by 31 December is counted in this column.
PENDING = "pending"
TEMPLATE_NOW = "2021"


def _relation(table: str, each: str, lhs: str) -> Relation:
    """The declared relation of ``table`` that sums up to ``lhs``."""
    return next(r for r in statutory().relations_for(table) if r.each == each and r.lhs == (lhs,))


def _requests() -> Table:
    return statutory().table_by_id(REQUESTS)


@cache
def applicant_types() -> tuple[str, ...]:
    """Column ids of table 三 an applicant can be: natural person and the five organisation kinds."""
    return _relation(REQUESTS, "row", "total").rhs


def total_column(table: str) -> str:
    """The id of the column a table's row relation sums into."""
    relation = next(r for r in statutory().relations_for(table) if r.each == "row")
    return relation.lhs[0]


@cache
def outcomes(template: str) -> tuple[str, ...]:
    """Leaf outcome row ids of table 三 in ``template`` (what 三(七) adds up), in form order."""
    relation = _relation(REQUESTS, "column", TOTAL_PROCESSED)
    return tuple(relation.expand(relation.rhs, [r.id for r in _requests().rows_for(template)]))


@cache
def all_outcomes() -> tuple[str, ...]:
    """Every outcome a register entry may hold: the current format's leaves, then older ones."""
    out = list(outcomes(TEMPLATE_NOW))
    for template in statutory().table_by_id(REQUESTS).templates:
        out += [o for o in outcomes(template) if o not in out]
    return tuple(out)


def outcome_in(outcome: str, template: str) -> str | None:
    """The row ``outcome`` is counted in for a report in ``template`` (a leaf of a merged row → the row)."""
    leaves = outcomes(template)
    if outcome in leaves:
        return outcome
    parent = outcome.rsplit(".", 1)[0]
    return parent if parent in leaves else None


@cache
def case_kinds() -> tuple[str, ...]:
    """Row ids of table 四: review, and the two kinds of lawsuit."""
    return tuple(r.id for r in statutory().table_by_id(REVIEWS).rows)


@cache
def case_results() -> tuple[str, ...]:
    """Column ids of table 四 a decided case can have (the group total's terms but pending)."""
    return tuple(c for c in _relation(REVIEWS, "row", total_column(REVIEWS)).rhs if c != PENDING)


def row_label(table: str, row: str, template: str = TEMPLATE_NOW) -> str:
    """A row's label with its group (for display): ``（三）不予公开 1.属于国家秘密``."""
    r = statutory().table_by_id(table).row_by_id(row)
    return f"{r.group} {r.label_for(template)}" if r.group else r.label_for(template)


def column_label(table: str, column: str, template: str = TEMPLATE_NOW) -> str:
    """A column's label (for display)."""
    return statutory().table_by_id(table).column_by_id(column).label_for(template)


def _key(text: str) -> str:
    """Text reduced for matching a user's spelling: no spaces, half-width brackets and dots."""
    text = "".join(text.split()).translate(str.maketrans("（）．。：“”", "()..:\"\""))
    return text.lower()


_NUMBERING = re.compile(r"^(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")


def _keys(text: str) -> set[str]:
    """A label's matching keys: as written, and without its list numbering."""
    key = _key(text)
    return {key, _NUMBERING.sub("", key)}


def pick(text: str, choices: dict[str, tuple[str, ...]]) -> str | None:
    """The choice id that ``text`` names: its id, one of its labels (numbering optional), or a unique part."""
    if text in choices:
        return text
    key = _key(text)
    if not key:
        return None
    exact = [i for i, labels in choices.items() if any(key in _keys(lab) for lab in (i, *labels))]
    if len(exact) == 1:
        return exact[0]
    part = [i for i, labels in choices.items() if any(key in k for lab in labels for k in _keys(lab))]
    return part[0] if len(part) == 1 else None


def applicant_type_choices() -> dict[str, tuple[str, ...]]:
    """Applicant type ids and the labels a user may write for them."""
    return {c: _requests().column_by_id(c).labels() for c in applicant_types()}


def outcome_choices() -> dict[str, tuple[str, ...]]:
    """Outcome ids and the labels a user may write for them (with the group: ``（三）不予公开/1.属于国家秘密``)."""
    out: dict[str, tuple[str, ...]] = {}
    for o in all_outcomes():
        row = _requests().row_by_id(o)
        grouped = tuple(f"{row.group}{lab}" for lab in row.labels()) if row.group else ()
        out[o] = row.labels() + grouped
    return out


def case_kind_choices() -> dict[str, tuple[str, ...]]:
    """Case kinds and their labels (``行政诉讼/复议后起诉`` as well)."""
    table = statutory().table_by_id(REVIEWS)
    out: dict[str, tuple[str, ...]] = {}
    for k in case_kinds():
        row = table.row_by_id(k)
        out[k] = row.labels() + ((f"{row.group}{row.label_for(TEMPLATE_NOW)}",) if row.group else ())
    return out


def case_result_choices() -> dict[str, tuple[str, ...]]:
    """Case results and their labels."""
    table = statutory().table_by_id(REVIEWS)
    return {r: table.column_by_id(r).labels() for r in case_results()}
