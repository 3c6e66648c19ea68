"""Which applications a list shows: one filter for ``xxgk register list``, the web list and the API.

Every field left empty matches all. 作废 applications are left out unless asked for (``voided``).
The applicant's name is matched on the stored value, so a search by name works while every list
still shows it masked. Text from a user (the CLI's options, a page's query string) is read by
``ApplicationQuery.parse``: choices by their label or id, dates as the ledger import reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, or_

from xxgk.db import register_schema as schema
from xxgk.db.limits import FIRST_YEAR, LAST_YEAR, is_year
from xxgk.register.choices import REQUESTS, all_outcomes, applicant_type_choices, outcome_choices, pick
from xxgk.register.errors import RegisterError
from xxgk.register.labels import outcome_label
from xxgk.register.model import CHANNELS, FIELDS, Application
from xxgk.templates import statutory

Status = Literal["open", "answered"]
STATUSES: dict[str, str] = {"open": "未办结", "answered": "已办结"}
Voided = Literal["exclude", "include", "only"]
VOIDED: dict[str, str] = {"exclude": "不含已作废", "include": "含已作废", "only": "只看已作废"}
MAX_TEXT = 100  # a search term: longer is a paste gone wrong


def outcome_groups() -> dict[str, str]:
    """Outcome groups of table 三 (``denied`` → ``（三）不予公开``): a search by one finds every outcome in it."""
    table = statutory().table_by_id(REQUESTS)
    groups: dict[str, str] = {}
    for outcome in all_outcomes():
        prefix, dot, _ = outcome.partition(".")
        group = table.row_by_id(outcome).group
        if dot and group and prefix not in groups:
            groups[prefix] = group
    return groups


def outcome_filter_choices() -> tuple[tuple[str, str], ...]:
    """The 办理结果 a list can be searched by: each group (all its outcomes), then its outcomes, in form order."""
    groups = outcome_groups()
    out: dict[str, str] = {}
    for outcome in all_outcomes():
        prefix = outcome.partition(".")[0]
        if prefix in groups and prefix not in out:
            out[prefix] = f"{groups[prefix]}（全部）"
        out.setdefault(outcome, outcome_label(outcome))
    return tuple(out.items())


def _text(value: str | None, what: str) -> str | None:
    """A search term: trimmed, None when blank; a RegisterError when too long."""
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise RegisterError(f"{what}：过长，最多{MAX_TEXT}个字")
    return text or None


def _choice(value: str | None, choices: dict[str, tuple[str, ...]], what: str) -> str | None:
    """A choice given by its id or label (None when blank)."""
    text = _text(value, what)
    if text is None:
        return None
    found = pick(text, choices)
    if found is None:
        raise RegisterError(f"{what}：无法识别（可填：{'、'.join(labels[0] for labels in choices.values())}）")
    return found


def _outcome(value: str | None) -> str | None:
    """An outcome or a group of them, by id or label (``不予公开`` is the group, ``予以公开`` the outcome)."""
    text = _text(value, FIELDS["outcome"])
    if text is None:
        return None
    groups = outcome_groups()
    found = text if text in groups else pick(text, outcome_choices())
    found = found or pick(text, {g: (label, _short(label)) for g, label in groups.items()})
    if found is None:
        examples = (outcome_choices()["granted"][0], _short(groups["denied"]), outcome_choices()["denied.state_secret"][0])
        raise RegisterError(f"{FIELDS['outcome']}：无法识别（可填表三的行名或一类，如{''.join(f'“{e}”' for e in examples)}，"
                            "或其 id）")
    return found


def _short(group: str) -> str:
    """A group's label without its numbering: ``（三）不予公开`` → ``不予公开``."""
    return group.split("）", 1)[-1]


def _day(value: str | date | None, what: str) -> date | None:
    """A date given as the ledger import reads them (None when blank)."""
    from xxgk.register.importer import parse_date

    if isinstance(value, date) or value is None:
        return value
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except ValueError as err:
        raise RegisterError(f"{what}：{err}") from None


@dataclass(frozen=True, slots=True)
class ApplicationQuery:
    """Which applications: every field left empty matches all; 作废 ones left out unless ``voided`` says otherwise."""

    year: int | None = None  # received, answered or open in that year (the report's year)
    status: Status | None = None
    reference: str | None = None  # part of the 申请编号 or of the public form's 回执编号
    applicant: str | None = None  # part of the applicant's name as stored (shown masked all the same)
    words: tuple[str, ...] = ()  # every one of them in 申请内容
    channel: str | None = None
    applicant_type: str | None = None
    outcome: str | None = None  # an outcome id, or a group of them (``denied``: every ``denied.*``)
    received_from: date | None = None
    received_to: date | None = None
    voided: Voided = "exclude"

    @classmethod
    def parse(cls, *, year: int | str | None = None, status: str | None = None, reference: str | None = None,
              applicant: str | None = None, words: str | None = None, channel: str | None = None,
              applicant_type: str | None = None, outcome: str | None = None,
              received_from: str | date | None = None, received_to: str | date | None = None,
              voided: str | None = None) -> ApplicationQuery:
        """The query a user typed (CLI options or a page's query string); a RegisterError names what is wrong."""
        if isinstance(year, str):
            year = _year(year)
        if status and status not in STATUSES:
            raise RegisterError(f"办理状态应为 {'、'.join(STATUSES)} 之一")
        if voided and voided not in VOIDED:
            raise RegisterError(f"作废状态应为 {'、'.join(VOIDED)} 之一")
        text = _text(words, FIELDS["request"])
        query = cls(
            year=year, status=status or None, reference=_text(reference, FIELDS["reference"]),  # type: ignore[arg-type]
            applicant=_text(applicant, FIELDS["applicant_name"]), words=tuple(text.split()) if text else (),
            channel=_choice(channel, {k: (v,) for k, v in CHANNELS.items()}, FIELDS["channel"]),
            applicant_type=_choice(applicant_type, applicant_type_choices(), FIELDS["applicant_type"]),
            outcome=_outcome(outcome), received_from=_day(received_from, "收到日期起"),
            received_to=_day(received_to, "收到日期止"), voided=voided or "exclude")  # type: ignore[arg-type]
        return query.validate()

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ApplicationQuery:
        """The query a page's query string gives (the names ``as_params`` writes)."""
        return cls.parse(year=params.get("year"), status=params.get("status"), reference=params.get("reference"),
                         applicant=params.get("name"), words=params.get("request"), channel=params.get("channel"),
                         applicant_type=params.get("type"), outcome=params.get("outcome"),
                         received_from=params.get("from"), received_to=params.get("to"), voided=params.get("voided"))

    def validate(self) -> ApplicationQuery:
        """The same query, or a RegisterError saying in Chinese what is wrong with it."""
        if self.year is not None and not is_year(self.year):
            raise RegisterError(f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间：{self.year}")
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise RegisterError("收到日期起不能晚于收到日期止")
        return self

    @property
    def narrowed(self) -> bool:
        """Whether anything but the 作废 state narrows the list."""
        return replace(self, voided="exclude") != ApplicationQuery()

    def with_voided(self, voided: Voided) -> ApplicationQuery:
        """The same query with another 作废 state."""
        return replace(self, voided=voided)

    def conditions(self) -> list[ColumnElement[bool]]:
        """The query as SQL conditions on ``register_applications`` (SQLite and PostgreSQL alike)."""
        a = schema.RegisterApplication
        out: list[ColumnElement[bool]] = []
        if self.year is not None:
            start, end = date(self.year, 1, 1), date(self.year, 12, 31)
            out += [a.received <= end, or_(a.answered.is_(None), a.answered >= start)]
        if self.status is not None:
            out.append(a.answered.is_(None) if self.status == "open" else a.answered.is_not(None))
        if self.reference:
            out.append(or_(a.reference.icontains(self.reference, autoescape=True),
                           a.receipt_number.icontains(self.reference, autoescape=True)))
        if self.applicant:
            out.append(a.applicant_name.icontains(self.applicant, autoescape=True))
        out += [a.request.icontains(word, autoescape=True) for word in self.words]
        out += [column == value for column, value in ((a.channel, self.channel),
                                                      (a.applicant_type, self.applicant_type)) if value]
        if self.outcome:
            out.append(or_(a.outcome == self.outcome, a.outcome.startswith(self.outcome + ".", autoescape=True)))
        if self.received_from:
            out.append(a.received >= self.received_from)
        if self.received_to:
            out.append(a.received <= self.received_to)
        if self.voided != "include":
            out.append(a.voided_at.is_(None) if self.voided == "exclude" else a.voided_at.is_not(None))
        return out

    def as_params(self) -> dict[str, Any]:
        """The query as a page's query string gives it (blank fields left out)."""
        params = {"year": self.year, "status": self.status, "reference": self.reference, "name": self.applicant,
                  "request": " ".join(self.words) or None, "channel": self.channel, "type": self.applicant_type,
                  "outcome": self.outcome, "from": self.received_from, "to": self.received_to,
                  "voided": None if self.voided == "exclude" else self.voided}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items() if v is not None}


def _year(text: str) -> int | None:
    """A year typed as text (None when blank)."""
    if not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 4:
        raise RegisterError(f"年度应为 {FIRST_YEAR}–{LAST_YEAR} 之间的四位数字")
    return int(text)


@dataclass(frozen=True, slots=True)
class ApplicationPage:
    """One page of a search: the applications, how many match in all, and how many 作废 ones it left out."""

    applications: list[Application]
    total: int
    offset: int
    voided_left_out: int = 0
