"""The choices of the register's fields as the forms print them: (id, label) pairs, one place for all.

The CLI, the web forms and the letters show a stored id (``pages``, ``denied.state_secret``)
by its label (``按量计收``, ``（三）不予公开 1.属于国家秘密``); labels of table rows and columns
come from the statutory declaration.
"""

from __future__ import annotations

from xxgk.register.choices import (
    REQUESTS,
    REVIEWS,
    all_outcomes,
    applicant_types,
    case_kinds,
    case_results,
    column_label,
    row_label,
)
from xxgk.register.fees import FEE_METHODS
from xxgk.register.model import CHANNELS, CONSULT_PARTIES, DELIVERIES, ID_TYPES, INFO_FORMS
from xxgk.templates import statutory


def outcome_label(outcome: str) -> str:
    """An outcome as the newest form having it names it, with its group (``（三）不予公开 1.属于国家秘密``)."""
    row = statutory().table_by_id(REQUESTS).row_by_id(outcome)
    return row_label(REQUESTS, outcome, row.templates[-1])


_FIXED: dict[str, dict[str, str]] = {
    "channel": CHANNELS, "fee_method": {str(k): v for k, v in FEE_METHODS.items()}, "applicant_id_type": ID_TYPES, "info_form": INFO_FORMS,
    "delivery": DELIVERIES, "fee_notice_delivery": DELIVERIES, "consult_party": CONSULT_PARTIES,
}


def choices_of(field: str) -> tuple[tuple[str, str], ...]:
    """The (id, label) choices of a choice field; () for a field that is not one."""
    if field in _FIXED:
        return tuple(_FIXED[field].items())
    if field == "applicant_type":
        return tuple((t, column_label(REQUESTS, t)) for t in applicant_types())
    if field == "outcome":
        return tuple((o, outcome_label(o)) for o in all_outcomes())
    if field == "kind":
        return tuple((k, row_label(REVIEWS, k)) for k in case_kinds())
    if field == "result":
        return tuple((r, column_label(REVIEWS, r)) for r in case_results())
    return ()


def shown_value(field: str, value: object) -> str:
    """A stored value as the form prints it (a choice by its label, a date ISO, None blank)."""
    if value is None:
        return ""
    labels = dict(choices_of(field))
    return labels.get(str(value), str(value))


CHOICE_FIELDS = frozenset({*_FIXED, "applicant_type", "outcome", "kind", "result"})
