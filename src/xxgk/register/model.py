"""The register's records as data (pydantic): applications, reviews and lawsuits, proactive counts.

Choices are the declaration's ids (``choices.py``). Validation errors become Chinese messages
that name the field, never its value: an applicant's name or ID number must not end up in an
error message or a log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from xxgk.register.choices import (
    ACTIVE,
    all_outcomes,
    applicant_types,
    case_kinds,
    case_results,
    outcome_in,
)
from xxgk.register.deadlines import MAX_EXTENSION_DAYS, SAME_DAY_DELIVERIES
from xxgk.register.errors import RegisterError
from xxgk.register.fees import UNPAID_OUTCOME, FeeMethod
from xxgk.templates import statutory

Channel = Literal["online", "letter", "in_person", "fax", "other"]
CHANNELS: dict[str, str] = {"online": "网络", "letter": "信函", "in_person": "当面", "fax": "传真",
                                "other": "其他"}
# How something reaches a person: the way an applicant wants the information (条例第二十九条第二款第（三）项),
# and the way a notice was delivered (a posted one is received the day it is signed for).
Delivery = Literal["post", "email", "online", "fax", "in_person"]
DELIVERIES: dict[str, str] = {"post": "邮寄", "email": "电子邮件", "online": "网上获取", "fax": "传真",
                              "in_person": "当面"}
# The form the information is wanted in (条例第二十九条第二款第（三）项).
InfoForm = Literal["paper", "electronic", "other"]
INFO_FORMS: dict[str, str] = {"paper": "纸质", "electronic": "电子数据", "other": "其他形式"}
IdType = Literal["resident_id", "passport", "hk_macao", "taiwan", "foreign_permanent", "credit_code", "other"]
ID_TYPES: dict[str, str] = {"resident_id": "居民身份证", "passport": "护照", "hk_macao": "港澳居民来往内地通行证",
                            "taiwan": "台湾居民来往大陆通行证", "foreign_permanent": "外国人永久居留身份证",
                            "credit_code": "统一社会信用代码", "other": "其他证件"}
# Whom a consultation letter went to: a third party (条例第三十二条), an agency that made the information
# jointly (第三十四条), both with 15 working days to reply; or another agency (第三十三条第三款, no limit).
ConsultParty = Literal["third_party", "co_producer", "other_agency"]
CONSULT_PARTIES: dict[str, str] = {"third_party": "第三方", "co_producer": "共同制作机关", "other_agency": "其他机关"}
# Outcomes that only follow a 补正 notice (第三十条): no correction came, or one came and was still unclear.
NO_CORRECTION, STILL_UNCLEAR = "other.no_correction", "unable.unclear"
_AFTER_CORRECTION = (NO_CORRECTION, STILL_UNCLEAR)
# The office's clock: a time given without its zone (a ledger, a form) is read as China's.
CHINA = ZoneInfo("Asia/Shanghai")
# 国办函〔2020〕109号: 信息处理费 were charged from this day on.
FEES_FROM = date(2021, 1, 1)

# Field → the Chinese name used in messages, the CLI and the import column mapping.
FIELDS: dict[str, str] = {
    "reference": "申请编号",
    "received": "收到日期",
    "channel": "申请方式",
    "applicant_type": "申请人类型",
    "applicant_name": "申请人",
    "applicant_contact": "联系方式",
    "applicant_id_type": "证件类型",
    "applicant_id_number": "证件号码",
    "applicant_address": "通信地址",
    "request": "申请内容",
    "info_form": "信息形式",
    "delivery": "获取方式",
    "receipt_number": "回执编号",
    "correction_notice": "补正通知日期",
    "correction_deadline": "补正期限",
    "correction_received": "补正收到日期",
    "consult_sent": "征求意见日期",
    "consult_replied": "征求意见答复日期",
    "consult_party": "征求意见对象",
    "extension_days": "延期工作日数",
    "extension_approved": "延期批准日期",
    "extension_reason": "延期理由",
    "fee_method": "收费方式",
    "fee_units": "收费件数或页数",
    "fee_amount": "信息处理费（元）",
    "fee_notice": "收费通知日期",
    "fee_notice_delivery": "收费通知送达方式",
    "fee_notice_received": "收费通知送达日期",
    "fee_paid": "缴费日期",
    "answered": "答复日期",
    "outcome": "办理结果",
    "note": "备注",
    "voided_at": "作废时间",
    "voided_by": "作废人",
    "void_reason": "作废原因",
    "kind": "案件类型",
    "filed": "收到日期",
    "decided": "审结日期",
    "result": "审理结果",
    "application_id": "关联申请",
    "application_reference": "关联申请编号",  # input only: resolved to application_id (the 序号) on storing
    "year": "年度",
    "row": "项目",
    "column": "栏目",
    "value": "数值",
}
PERSONAL_FIELDS = ("applicant_name", "applicant_contact", "applicant_id_number", "applicant_address")
# An application's 作废: set and cleared together by ``Register.void``/``restore`` (or a ledger), never by an edit.
VOID_FIELDS = ("voided_at", "voided_by", "void_reason")

_MESSAGES = {
    "missing": "必须填写",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "literal_error": "取值无效",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "greater_than_equal": "取值过小",
    "less_than_equal": "取值过大",
    "extra_forbidden": "不是可登记的项目",
    "string_type": "应为文字",
}


# The dates a register may hold: none before the 条例 (in force since 1 May 2008), none more than a
# year ahead (a deadline may lie ahead, a typing slip like 2100 or 0001 may not). Checked on every date
# of every record as it comes in (forms, API, CLI, import); records read back from the database
# are not refused for it (``STORED``), so that an old slip can still be listed and corrected.
FIRST_DATE = date(2008, 1, 1)
DAYS_AHEAD = 366
STORED = {"stored": True}
MAX_AMOUNT = 10**12  # yuan: beyond any fee, within every database's integer


def china_time(moment: datetime) -> str:
    """A stored time as the office reads it and a ledger gives it back: ``2026-12-05 16:01:08+08:00``."""
    return moment.astimezone(CHINA).replace(microsecond=0).isoformat(sep=" ")


def latest_date(today: date | None = None) -> date:
    """The latest date a record may hold (a year from today)."""
    return (today or date.today()) + timedelta(days=DAYS_AHEAD)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_date(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, date) and not (info.context or {}).get("stored"):
            day = value.date() if isinstance(value, datetime) else value
            last = latest_date()
            if not FIRST_DATE <= day <= last:
                raise ValueError(f"日期超出合理范围（应在 {FIRST_DATE.isoformat()} 至 {last.isoformat()} 之间）")
        return value


# Limits a message states with their law, where a bare "取值过大" would leave the clerk guessing.
_LIMITS = {"extension_days": f"最长不得超过{MAX_EXTENSION_DAYS}个工作日（条例第三十三条第二款）"}


# Dates of steps already taken (not limits set ahead, such as 补正期限): none can lie after today. Not
# refused (a server's clock or time zone may be a day off), but shown wherever the record is saved.
_EVENTS = ("received", "correction_notice", "correction_received", "consult_sent", "consult_replied",
           "extension_approved", "fee_notice", "fee_notice_received", "fee_paid", "answered", "filed", "decided")


def future_dates(record: BaseModel, today: date) -> list[str]:
    """The names of a record's dates of steps taken that lie after ``today`` (a slip of the year, most likely)."""
    return [FIELDS[f] for f in _EVENTS if isinstance(day := getattr(record, f, None), date) and day > today]


def future_warning(record: BaseModel, today: date) -> str | None:
    """A warning naming the record's dates that lie in the future, or None."""
    names = future_dates(record, today)
    if not names:
        return None
    return (f"注意：{'、'.join(names)}晚于今天（{today.isoformat()}），而这些是已经发生的事项的日期：请核对是否误填了年份"
            "（已按所填保存，将计入该日期所在年度）")


def chinese_errors(err: ValidationError) -> list[str]:
    """A pydantic error as Chinese messages naming fields only (pydantic's own text quotes the input)."""
    out: list[str] = []
    for e in err.errors(include_input=False, include_url=False):
        field = str(e["loc"][0]) if e["loc"] else ""
        name = FIELDS.get(field, field)
        if e["type"] == "value_error":
            message = str(e["msg"]).removeprefix("Value error, ")
        else:
            message = _bound(e["type"], e.get("ctx") or {}, field) or _MESSAGES.get(e["type"], "取值无效")
        out.append(f"{name}：{message}" if name else message)
    return out


def _bound(kind: str, ctx: dict[str, Any], field: str) -> str | None:
    """A message for a length or size limit that says the limit (None when the error is of another kind)."""
    if kind == "less_than_equal" and field in _LIMITS:
        return _LIMITS[field]
    if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
        return f"过短，至少应有{ctx['min_length']}个字"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"过长，最多{ctx['max_length']}个字"
    if kind == "less_than_equal" and "le" in ctx:
        return f"取值过大，不得超过{ctx['le']}"
    if kind == "greater_than_equal" and "ge" in ctx:
        return f"取值过小，至少为{ctx['ge']}"
    return None


R = TypeVar("R", bound="_Record")


def validated(model: type[R], data: dict[str, Any]) -> R:
    """``model`` built from ``data``, or a RegisterError listing what is wrong in Chinese."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise RegisterError("；".join(chinese_errors(err))) from None


def _after(later: date | None, earlier: date | None, what: str) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise ValueError(what)


class Application(_Record):
    """One 政府信息公开申请 as the register holds it (``id`` once stored)."""

    id: int | None = Field(None, ge=1, le=2**63 - 1)
    reference: str | None = Field(None, max_length=100)
    received: date
    channel: Channel
    applicant_type: str
    applicant_name: str = Field(min_length=1, max_length=200)
    applicant_contact: str | None = Field(None, max_length=200)
    applicant_id_type: IdType | None = None
    applicant_id_number: str | None = Field(None, max_length=64)
    applicant_address: str | None = Field(None, max_length=500)
    request: str = Field(min_length=1, max_length=10_000)
    info_form: InfoForm | None = None
    delivery: Delivery | None = None
    receipt_number: str | None = Field(None, max_length=40)
    correction_notice: date | None = None
    correction_deadline: date | None = None
    correction_received: date | None = None
    consult_sent: date | None = None
    consult_replied: date | None = None
    consult_party: ConsultParty | None = None
    extension_days: int | None = Field(None, ge=1, le=MAX_EXTENSION_DAYS)
    extension_approved: date | None = None
    extension_reason: str | None = Field(None, max_length=2000)
    fee_method: FeeMethod | None = None
    fee_units: int | None = Field(None, ge=1, le=1_000_000)
    fee_amount: int | None = Field(None, ge=0, le=MAX_AMOUNT)
    fee_notice: date | None = None
    fee_notice_delivery: Delivery | None = None
    fee_notice_received: date | None = None
    fee_paid: date | None = None
    answered: date | None = None
    outcome: str | None = None
    note: str | None = Field(None, max_length=10_000)
    voided_at: datetime | None = None
    voided_by: str | None = Field(None, min_length=1, max_length=100)
    void_reason: str | None = Field(None, min_length=1, max_length=2000)

    @field_validator("voided_at")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=CHINA) if value is not None and value.tzinfo is None else value

    @property
    def voided(self) -> bool:
        """Whether the application is 作废 (left out of reports, reminders and default lists)."""
        return self.voided_at is not None

    @field_validator("applicant_type")
    @classmethod
    def _applicant_type(cls, value: str) -> str:
        if value not in applicant_types():
            raise ValueError("应为表三的申请人类型之一：" + "、".join(applicant_types()))
        return value

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str | None) -> str | None:
        if value is not None and value not in all_outcomes():
            raise ValueError("应为表三的办理结果之一（如 granted、denied.state_secret）")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Application:
        _after(self.correction_notice, self.received, "补正通知日期不能早于收到日期")
        _after(self.correction_deadline, self.correction_notice, "补正期限不能早于补正通知日期")
        _after(self.correction_received, self.correction_notice, "补正收到日期不能早于补正通知日期")
        if self.correction_received is not None and self.correction_notice is None:
            raise ValueError("登记了补正收到日期，但没有补正通知日期")
        if self.correction_deadline is not None and self.correction_notice is None:
            raise ValueError("登记了补正期限，但没有补正通知日期")
        _after(self.consult_sent, self.received, "征求意见日期不能早于收到日期")
        _after(self.consult_replied, self.consult_sent, "征求意见答复日期不能早于征求意见日期")
        if self.consult_replied is not None and self.consult_sent is None:
            raise ValueError("登记了征求意见答复日期，但没有征求意见日期")
        if (self.extension_days is None) != (self.extension_approved is None):
            raise ValueError("延期须同时登记延期工作日数和延期批准日期（条例第三十三条第二款）")
        _after(self.extension_approved, self.received, "延期批准日期不能早于收到日期")
        if (self.fee_method is None) != (self.fee_units is None):
            raise ValueError("收费须同时登记收费方式和件数或页数（国办函〔2020〕109号第三条）")
        if self.fee_notice is not None and self.fee_method is None:
            raise ValueError("登记了收费通知日期，但没有收费方式")
        _after(self.fee_notice, self.received, "收费通知日期不能早于收到日期")
        _after(self.fee_notice_received, self.fee_notice, "收费通知送达日期不能早于收费通知日期")
        _after(self.fee_paid, self.fee_notice, "缴费日期不能早于收费通知日期")
        if self.fee_paid is not None and self.fee_notice is None:
            raise ValueError("登记了缴费日期，但没有收费通知日期")
        if (self.fee_notice_received is not None or self.fee_notice_delivery is not None) and self.fee_notice is None:
            raise ValueError("登记了收费通知的送达方式或送达日期，但没有收费通知日期")
        if self.fee_notice is not None and self.fee_notice < FEES_FROM:
            raise ValueError("收费通知日期早于2021年1月1日：信息处理费自2021年1月1日起依国办函〔2020〕109号收取")
        if self.consult_party is not None and self.consult_sent is None:
            raise ValueError("登记了征求意见对象，但没有征求意见日期")
        if len({getattr(self, f) is None for f in VOID_FIELDS}) > 1:
            raise ValueError("作废须同时登记作废时间、作废人和作废原因（未作废的三项都不填）")
        self._check_answer()
        return self

    def _check_answer(self) -> None:
        if (self.answered is None) != (self.outcome is None):
            raise ValueError("答复日期和办理结果须同时登记（办结的申请两者都有，未办结的都没有）")
        if self.answered is None or self.outcome is None:
            return
        for later, what in ((self.received, "收到日期"), (self.correction_notice, "补正通知日期"),
                            (self.consult_sent, "征求意见日期"), (self.fee_notice, "收费通知日期")):
            _after(self.answered, later, f"答复日期不能早于{what}")
        year = self.answered.year
        template = statutory().format_for_year(year)
        if template is not None and outcome_in(self.outcome, template) is None:
            raise ValueError(f"该办理结果不在{year}年度报告适用的表三格式中")
        if self.outcome in _AFTER_CORRECTION and self.correction_notice is None:
            raise ValueError("该办理结果须先发出补正通知（条例第三十条）")
        if self.outcome == NO_CORRECTION and self.correction_received is not None:
            raise ValueError("办理结果与补正收到日期矛盾：办理结果为“逾期不补正”，但登记了补正收到日期")
        if self.outcome == STILL_UNCLEAR and self.correction_received is None:
            raise ValueError("办理结果与补正收到日期矛盾：办理结果为“补正后申请内容仍不明确”，但没有登记补正收到日期")
        if self.correction_received is not None and self.answered < self.correction_received:
            raise ValueError("答复日期不能早于补正收到日期（答复期限自收到补正后的申请之日起计算，条例第三十条）")
        if self.outcome == UNPAID_OUTCOME and (self.fee_notice is None or self.fee_paid is not None):
            raise ValueError("该办理结果须已发出收费通知且申请人未缴费（国办函〔2020〕109号）")
        if self.outcome == UNPAID_OUTCOME and self.answered < FEES_FROM:
            raise ValueError("办理结果与答复日期矛盾：“逾期未缴纳费用”须在2021年1月1日以后办结"
                             "（国办函〔2020〕109号自2021年起收费）")

    def is_open_on(self, day: date) -> bool:
        """Whether the application had been received and not yet answered at the end of ``day``."""
        return self.received <= day and (self.answered is None or self.answered > day)


class Case(_Record):
    """A 行政复议 or 行政诉讼 about the agency's disclosure work (a row of table 四)."""

    id: int | None = Field(None, ge=1, le=2**63 - 1)
    reference: str | None = Field(None, max_length=100)
    kind: str
    filed: date
    decided: date | None = None
    result: str | None = None
    application_id: int | None = Field(None, ge=1, le=2**63 - 1)
    note: str | None = Field(None, max_length=10_000)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in case_kinds():
            raise ValueError("应为表四的类型之一：" + "、".join(case_kinds()))
        return value

    @field_validator("result")
    @classmethod
    def _result(cls, value: str | None) -> str | None:
        if value is not None and value not in case_results():
            raise ValueError("应为表四的结果之一：" + "、".join(case_results()))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if (self.decided is None) != (self.result is None):
            raise ValueError("审结日期和审理结果须同时登记（未审结的都不填）")
        _after(self.decided, self.filed, "审结日期不能早于收到日期")
        return self

    def is_open_on(self, day: date) -> bool:
        """Whether the case had been filed and not yet decided at the end of ``day``."""
        return self.filed <= day and (self.decided is None or self.decided > day)


class ProactiveValue(_Record):
    """One number of table 二 for one year (``row``/``column``: the declaration's ids)."""

    year: int = Field(ge=2019, le=2100)
    row: str
    column: str
    value: float = Field(allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)

    @model_validator(mode="after")
    def _in_form(self) -> ProactiveValue:
        template = statutory().format_for_year(self.year)
        table = statutory().table_by_id(ACTIVE)
        if template is None or self.row not in {r.id for r in table.rows_for(template)}:
            raise ValueError(f"{self.year}年度的表二没有该项目")
        row = table.row_by_id(self.row)
        columns = {c.id: c for c in table.row_columns(row, template)}
        if self.column not in columns:
            raise ValueError(f"{self.year}年度的表二中该项目没有该栏目")
        kind = columns[self.column].kind
        if kind != "money" and not float(self.value).is_integer():
            raise ValueError("件数应为整数")
        if kind != "signed" and self.value < 0:
            raise ValueError("数值不能为负数")
        return self

    @property
    def number(self) -> int | float:
        """The value as the report holds it: an int for counts, a float for amounts."""
        column = statutory().table_by_id(ACTIVE).column_by_id(self.column)
        return self.value if column.kind == "money" else int(self.value)


__all__ = ["CHANNELS", "CHINA", "CONSULT_PARTIES", "DELIVERIES", "FIELDS", "ID_TYPES", "INFO_FORMS",
           "PERSONAL_FIELDS", "SAME_DAY_DELIVERIES", "VOID_FIELDS", "Application", "Case", "Channel", "ConsultParty", "Delivery",
           "ProactiveValue", "china_time", "chinese_errors", "validated"]
