"""Personal data shown masked: an applicant's name, contact and ID number (unless asked for).

``张三丰`` → ``张**``; a one-character name → ``*``; ``13812345678`` → ``138****5678``;
``zhang@example.com`` → ``z***@example.com``; an ID number keeps its first 3 and last 2 characters;
an address keeps its first 6 characters (the province and city, not the street). Organisations'
names are masked too: the register cannot tell a sole trader's name from a company's.
"""

from __future__ import annotations

from typing import Any

from xxgk.register.model import PERSONAL_FIELDS, Application, china_time


def mask_name(name: str) -> str:
    """A name with all but its first character hidden (all of it when it is one character long)."""
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[:1] + "*" * (len(name) - 1)


def _middle(text: str, keep_start: int, keep_end: int) -> str:
    """``text`` with its middle hidden; short text all but its first character."""
    if len(text) < keep_start + keep_end + 4:
        return mask_name(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end :]


def mask_contact(contact: str) -> str:
    """A phone number or e-mail address with its middle hidden."""
    contact = contact.strip()
    if "@" in contact:
        user, _, domain = contact.partition("@")
        return f"{user[:1]}***@{domain}"
    return _middle(contact, 3, 4)


def mask_id_number(number: str) -> str:
    """An ID number with all but its first 3 and last 2 characters hidden."""
    return _middle(number.strip(), 3, 2)


def mask_address(address: str) -> str:
    """An address with all but its first 6 characters hidden."""
    address = address.strip()
    return address[:6] + "****" if len(address) > 6 else "****" if address else ""


_MASKS = {"applicant_name": mask_name, "applicant_contact": mask_contact, "applicant_id_number": mask_id_number,
          "applicant_address": mask_address}


def shown(app: Application, show_personal: bool = False) -> dict[str, Any]:
    """The application as plain data for lists and exports, personal data masked unless asked for."""
    data = app.model_dump(mode="json")
    if app.voided_at is not None:
        data["voided_at"] = china_time(app.voided_at)  # the office's time, as a ledger gives it back
    if not show_personal:
        for field in PERSONAL_FIELDS:
            if data.get(field):
                data[field] = _MASKS[field](data[field])
    return data
