"""The public's own application (网上申请): what 条例第二十九条 requires, checked, and its receipt number.

第二十九条第二款: (一) the applicant's name, 身份证明 and contact; (二) a description of the
information (名称、文号 or other features); (三) the form wanted and the way to receive it.
An online application is received on the day both sides confirm it (第三十一条第（三）项): the
day the applicant confirms and the office's system acknowledges it with a receipt number. The
number is random (unguessable): it is the only key to the application's status.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from xxgk.register.choices import applicant_types
from xxgk.register.deadlines import answer_deadline
from xxgk.register.errors import CalendarError, RegisterError
from xxgk.register.labels import outcome_label
from xxgk.register.model import CHINA, FIELDS, Application, Delivery, IdType, InfoForm, chinese_errors

# Crockford's base32 without the letters read as digits: easy to read out over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKE = str.maketrans("OIL", "011")  # letters the alphabet leaves out, typed for digits
_RECEIPT = re.compile(r"^GK\d{8}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")
_MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,190}\.[A-Za-z]{2,24}$")
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The public form's own fields (besides the register's) and their names.
PUBLIC_FIELDS = {**FIELDS, "applicant_contact": "联系方式（手机、固定电话或电子邮箱）", "request": "所需信息"}


def china_today() -> date:
    """Today in China (the server may keep UTC)."""
    return datetime.now(CHINA).date()


def new_receipt_number(day: date) -> str:
    """``GK20250303-7K2QD-M8XPA``: the day, then 50 random bits."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"GK{day:%Y%m%d}-{chars[:5]}-{chars[5:]}"


def normal_receipt_number(text: str) -> str | None:
    """A typed receipt number in its canonical form (upper case, no spaces), or None if it cannot be one."""
    number = re.sub(r"\s+", "", text).upper().translate(_LOOKALIKE)
    return number if _RECEIPT.match(number) else None


def resident_id_ok(number: str) -> bool:
    """Whether an 18-digit 居民身份证号码 has its check character right (GB 11643)."""
    if not _RESIDENT_ID.match(number):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17]


class PublicApplication(BaseModel):
    """What a person or organisation submits on the public form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    applicant_type: str
    applicant_name: str = Field(min_length=1, max_length=100)
    applicant_id_type: IdType | None = None
    applicant_id_number: str | None = Field(None, max_length=40)
    applicant_contact: str = Field(max_length=100)  # its form is checked below: "too short" would not say what is wrong
    applicant_address: str | None = Field(None, max_length=300)
    request: str = Field(min_length=5, max_length=3000)
    info_form: InfoForm
    delivery: Delivery

    @field_validator("applicant_name", "applicant_address", "request", "applicant_id_number")
    @classmethod
    def _no_control(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("含有不可见的控制字符")
        return value

    @field_validator("applicant_type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in applicant_types():
            raise ValueError("请选择申请人类型")
        return value

    @field_validator("applicant_contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        if not (_MOBILE.match(value) or _LANDLINE.match(value) or _EMAIL.match(value)):
            raise ValueError("应为手机号码、固定电话（如 010-12345678）或电子邮箱")
        return value

    @model_validator(mode="after")
    def _complete(self) -> PublicApplication:
        if (self.applicant_id_type is None) != (not self.applicant_id_number):
            raise ValueError("证件类型和证件号码须同时填写")
        number = (self.applicant_id_number or "").upper()
        if self.applicant_id_type == "resident_id" and not resident_id_ok(number):
            raise ValueError("证件号码：不是有效的居民身份证号码")
        if self.applicant_id_type == "credit_code" and not _CREDIT_CODE.match(number):
            raise ValueError("证件号码：不是有效的统一社会信用代码")
        if self.applicant_id_number:
            self.applicant_id_number = number
        if self.delivery == "post" and not self.applicant_address:
            raise ValueError("选择邮寄的，须填写通信地址")
        if self.delivery == "email" and not _EMAIL.match(self.applicant_contact):
            raise ValueError("选择电子邮件的，联系方式须为电子邮箱")
        return self


def check_public(data: dict[str, Any], require_id: bool) -> PublicApplication:
    """The form's fields validated, or a RegisterError naming what is wrong (never quoting it)."""
    given = {k: v for k, v in data.items() if v not in (None, "")}
    try:
        submitted = PublicApplication.model_validate(given)
    except ValidationError as err:
        raise RegisterError("；".join(_named(chinese_errors(err)))) from None
    if require_id and submitted.applicant_id_number is None:
        raise RegisterError("本机关要求提供身份证明：请填写证件类型和证件号码（条例第二十九条第二款第（一）项）")
    return submitted


_RENAMED = {f"{FIELDS[f]}：": f"{PUBLIC_FIELDS[f]}：" for f in FIELDS if PUBLIC_FIELDS[f] != FIELDS[f]}


def _named(problems: list[str]) -> list[str]:
    """Messages with the public form's names for its fields."""
    out = []
    for problem in problems:
        for register_name, form_name in _RENAMED.items():
            if problem.startswith(register_name):
                problem = form_name + problem.removeprefix(register_name)
        out.append(problem)
    return out


def as_application(submitted: PublicApplication, received: date, receipt_number: str) -> dict[str, Any]:
    """The register's record of a confirmed public application: received online on the confirmation day."""
    return {**submitted.model_dump(), "received": received, "channel": "online", "receipt_number": receipt_number}


@dataclass(frozen=True, slots=True)
class PublicStatus:
    """What the applicant may see with the receipt number (no personal data)."""

    receipt_number: str
    received: date
    state: str
    due: date | None
    answered: date | None
    outcome: str | None
    waiting_until: date | None

    @property
    def waiting_label(self) -> str:
        """What ``waiting_until`` is the limit of."""
        return {"等待您补正申请": "补正期限", "等待您缴纳信息处理费": "缴费期限"}.get(self.state, "期限")


_STATE = {"running": "办理中", "consulting": "办理中（正在征求意见）", "awaiting_agency": "办理中（正在征求意见）",
          "awaiting_correction": "等待您补正申请", "awaiting_payment": "等待您缴纳信息处理费", "answered": "已办结"}


VOIDED = "已作废（如重复提交的申请），本机关不再办理；如有疑问，请与本机关联系"


def public_status(app: Application) -> PublicStatus:
    """The status of an application as its applicant sees it (a 作废 one: that, and no deadline; never the office's reason)."""
    assert app.receipt_number is not None
    if app.voided:
        return PublicStatus(app.receipt_number, app.received, VOIDED, None, None, None, None)
    try:
        deadline = answer_deadline(app)
        state, due, waiting = _STATE[deadline.state], deadline.due, deadline.waiting_until
    except CalendarError:
        state, due, waiting = ("已办结" if app.answered else "办理中"), None, None
    return PublicStatus(app.receipt_number, app.received, state, due if app.answered is None else None,
                        app.answered, outcome_label(app.outcome) if app.outcome else None, waiting)
