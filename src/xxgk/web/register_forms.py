"""The register's web forms: which fields, their choices as the form prints them, and form text → changes.

Form text is converted exactly as the CLI and the ledger import convert theirs
(``xxgk.register.importer.cells_to_fields``), then validated by the same pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xxgk.register import Application, Case
from xxgk.register.errors import RegisterError
from xxgk.register.importer import cells_to_fields
from xxgk.register.labels import CHOICE_FIELDS, choices_of
from xxgk.register.model import FIELDS, VOID_FIELDS


@dataclass(frozen=True, slots=True)
class FormField:
    """One input: field id, Chinese label, kind (text, date, number, choice, long) and choices."""

    name: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""


# Which date the law means, where an office might enter another (条例第三十一条, 国办函〔2020〕109号).
_HINTS = {
    "received": "当面提交为提交之日；邮寄为签收之日；网络、传真为双方确认之日（条例第三十一条）",
    "fee_notice_received": "申请人收到通知之日：邮寄的为签收之日；当面、网络、电子邮件、传真送达的可不填（即发出之日）",
    "consult_party": "第三方（第三十二条）、共同制作机关（第三十四条）：15个工作日；其他机关无法定期限；未填按第三方计",
    "application_id": "申请序号（登记簿列表中的“序号”）或申请编号",
}


_NUMBER = {"extension_days", "fee_units"}
_LONG = {"request", "note", "extension_reason"}
_COMPUTED = {"fee_amount", "receipt_number", *VOID_FIELDS}  # the register gives them (作废: its own buttons)


def form_fields(model: type[Application] | type[Case]) -> list[FormField]:
    """The inputs of a model's form, in the model's order."""
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        if name == "id" or name in _COMPUTED:
            continue
        kind = ("choice" if name in CHOICE_FIELDS else "number" if name in _NUMBER else "long" if name in _LONG
                else "date" if "date" in str(info.annotation) else "text")
        out.append(FormField(name, FIELDS.get(name, name), kind, info.is_required(), choices_of(name),
                             _HINTS.get(name, "")))
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
