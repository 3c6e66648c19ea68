"""The register's web forms: which fields, their choices as the form prints them, and form text → changes.

Form text is converted exactly as the CLI and the ledger import convert theirs
(``xxgk.register.importer.cells_to_fields``), then validated by the same pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xxgk.register import Application, Case
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
from xxgk.register.errors import RegisterError
from xxgk.register.fees import FEE_METHODS
from xxgk.register.importer import cells_to_fields
from xxgk.register.model import CHANNELS, FIELDS
from xxgk.templates import statutory


@dataclass(frozen=True, slots=True)
class FormField:
    """One input: field id, Chinese label, kind (text, date, number, choice, long) and choices."""

    name: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


def _outcome_label(outcome: str) -> str:
    """An outcome as the current form names it (its group prefixed where the row is one of several)."""
    table = statutory().table_by_id(REQUESTS)
    row = table.row_by_id(outcome)
    template = row.templates[-1]
    label = row_label(REQUESTS, outcome, template)
    return f"{row.group}{label}" if row.group else label


def choices_of(name: str) -> tuple[tuple[str, str], ...]:
    """The (id, label) choices of a choice field."""
    if name == "channel":
        return tuple(CHANNELS.items())
    if name == "applicant_type":
        return tuple((t, column_label(REQUESTS, t)) for t in applicant_types())
    if name == "outcome":
        return tuple((o, _outcome_label(o)) for o in all_outcomes())
    if name == "fee_method":
        return tuple(FEE_METHODS.items())
    if name == "kind":
        return tuple((k, row_label(REVIEWS, k)) for k in case_kinds())
    if name == "result":
        return tuple((r, column_label(REVIEWS, r)) for r in case_results())
    return ()


_CHOICE = {"channel", "applicant_type", "outcome", "fee_method", "kind", "result"}
_NUMBER = {"extension_days", "fee_units", "application_id"}
_LONG = {"request", "note", "extension_reason"}
_COMPUTED = {"fee_amount"}  # the register computes it


def form_fields(model: type[Application] | type[Case]) -> list[FormField]:
    """The inputs of a model's form, in the model's order."""
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        if name == "id" or name in _COMPUTED:
            continue
        kind = ("choice" if name in _CHOICE else "number" if name in _NUMBER else "long" if name in _LONG
                else "date" if "date" in str(info.annotation) else "text")
        out.append(FormField(name, FIELDS.get(name, name), kind, info.is_required(), choices_of(name)))
    return out


def form_values(record: Application | Case | None) -> dict[str, str]:
    """A stored record as the form shows it (text, dates ISO)."""
    if record is None:
        return {}
    return {k: v.isoformat() if isinstance(v, date) else "" if v is None else str(v)
            for k, v in record.model_dump().items()}


def form_changes(model: type[Application] | type[Case], form: dict[str, str], clear_blank: bool) -> dict[str, Any]:
    """Form text → field values (blank fields dropped, or cleared with ``clear_blank``); RegisterError if unreadable."""
    names = {f.name for f in form_fields(model)}
    given = {k: v.strip() for k, v in form.items() if k in names}
    values, problems = cells_to_fields({k: v for k, v in given.items() if v})
    if problems:
        raise RegisterError("；".join(problems))
    if clear_blank:
        values.update({k: None for k, v in given.items() if not v})
    return values
