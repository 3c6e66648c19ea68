"""The letters (告知书) an office sends for each step of an application, and for each outcome of 表三.

Every letter is a Word template (``letter_templates/KIND.docx``, docxtpl) that an office may
replace with its own copy of the same name in its templates folder (``xxgk register office
文书模板文件夹=…``). The legal basis of each letter is declared here once, article and paragraph
(or item) as the 条例 (2019) numbers them; its dates come from the register's deadline
computation (``deadlines.py``). Letters go to the applicant, so they hold the applicant's name;
nothing here logs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from xxgk.register.calendar import add_working_days
from xxgk.register.choices import REQUESTS, REVIEWS, case_kinds
from xxgk.register.deadlines import (
    CONSULTATION_REPLY_DAYS,
    answer_deadline,
    extension_too_late,
    payment_deadline,
)
from xxgk.register.errors import CalendarError, RegisterError
from xxgk.register.fees import UNPAID_OUTCOME, free_fee_reason
from xxgk.register.labels import outcome_label, shown_value
from xxgk.register.model import Application
from xxgk.register.office import DEFAULT_COURT, DEFAULT_SEAL, Office
from xxgk.render.letter import LetterError, docx_to_pdf, fill_docx
from xxgk.templates import statutory

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号印发）"
BLANK = "________"
TEMPLATES = Path(__file__).parent / "letter_templates"
LetterFormat = Literal["docx", "pdf"]
Step = Literal["correction", "extension", "consultation", "fee", "answer"]
_FEE_ARTICLE = {"pieces": "第四条", "pages": "第五条"}  # 按件计收、按量计收 (109号办法)


@dataclass(frozen=True, slots=True)
class LetterKind:
    """One kind of letter: its id (the template's file name), its name, and the articles it rests on."""

    id: str
    title: str  # the letter's name; an answer's is made from its outcome's label when blank
    articles: tuple[str, ...] = ()  # of the 条例
    other: str = ""  # another instrument it rests on (109号)
    outcome: str | None = None  # the 表三 outcome an answer letter is for

    @property
    def step(self) -> Step:
        step = self.id.split(".")[0]
        assert step in ("correction", "extension", "consultation", "fee", "answer")
        return step  # type: ignore[return-value]

    @property
    def file(self) -> str:
        return f"{self.id}.docx"

    @property
    def name(self) -> str:
        """The letter's name (``补正告知书``, ``答复书（不予公开：属于国家秘密）``)."""
        if self.title or self.outcome is None:
            return self.title
        row = statutory().table_by_id(REQUESTS).row_by_id(self.outcome)
        label = _PARENTHESIS.sub("", _NUMBERING.sub("", row.label_for(row.templates[-1])))
        group = _NUMBERING.sub("", row.group or "")
        kind = "告知书" if self.outcome.startswith(("rejected.", "other")) else "答复书"
        return f"{kind}（{group}：{label}）" if group else f"{kind}（{label}）"

    def basis(self, app: Application | None = None) -> str:
        """The citation the letter states: ``《…条例》第十四条、第三十六条第（三）项`` (blank line if none)."""
        parts = [REGULATION + "、".join(self.articles)] if self.articles else []
        other = self.other
        if self.step == "fee" and app is not None and app.fee_method in _FEE_ARTICLE:
            other += _FEE_ARTICLE[app.fee_method]
        if other:
            parts.append(other)
        return "和".join(parts) or BLANK


_DENIED = "第三十六条第（三）项"  # 决定不予公开的，告知申请人不予公开并说明理由
KINDS: tuple[LetterKind, ...] = (
    LetterKind("correction", "补正告知书", ("第三十条",)),
    LetterKind("extension", "延期答复告知书", ("第三十三条第二款",)),
    LetterKind("consultation.third_party", "征求第三方意见函", ("第三十二条",)),
    LetterKind("consultation.co_producer", "征求共同制作机关意见函", ("第三十四条",)),
    LetterKind("consultation.other_agency", "征求其他机关意见函", ("第三十三条第三款",)),
    LetterKind("fee", "收费通知书", ("第四十二条第一款",), FEE_RULES),
    LetterKind("answer.granted", "", ("第三十六条第（二）项", "第四十条"), outcome="granted"),
    LetterKind("answer.granted.already_public", "答复书（已主动公开的信息）", ("第三十六条第（一）项",), outcome="granted"),
    LetterKind("answer.partially_granted", "", ("第三十七条",), outcome="partially_granted"),
    LetterKind("answer.denied.state_secret", "", ("第十四条", _DENIED),
               outcome="denied.state_secret"),
    LetterKind("answer.denied.law_prohibited", "", ("第十四条", _DENIED),
               outcome="denied.law_prohibited"),
    LetterKind("answer.denied.security_stability", "", ("第十四条", _DENIED),
               outcome="denied.security_stability"),
    LetterKind("answer.denied.third_party", "", ("第十五条", _DENIED),
               outcome="denied.third_party"),
    LetterKind("answer.denied.internal_affairs", "", ("第十六条第一款", _DENIED),
               outcome="denied.internal_affairs"),
    LetterKind("answer.denied.process_info", "", ("第十六条第二款", _DENIED),
               outcome="denied.process_info"),
    LetterKind("answer.denied.enforcement_files", "", ("第十六条第二款", _DENIED),
               outcome="denied.enforcement_files"),
    LetterKind("answer.denied.query_matters", "", ("第三十六条第（七）项",),
               outcome="denied.query_matters"),
    LetterKind("answer.unable.not_held", "", ("第三十六条第（四）项",), outcome="unable.not_held"),
    LetterKind("answer.unable.not_held.not_ours", "答复书（不属于本机关负责公开）", ("第三十六条第（五）项",),
               outcome="unable.not_held"),
    LetterKind("answer.unable.needs_creation", "", ("第三十八条",), outcome="unable.needs_creation"),
    LetterKind("answer.unable.unclear", "", ("第三十条",), outcome="unable.unclear"),
    LetterKind("answer.rejected.petition", "", ("第三十九条第一款",),
               outcome="rejected.petition"),
    LetterKind("answer.rejected.repeated", "", ("第三十六条第（六）项",), outcome="rejected.repeated"),
    LetterKind("answer.rejected.publications", "", ("第三十九条第二款",),
               outcome="rejected.publications"),
    LetterKind("answer.rejected.excessive", "", ("第三十五条",),
               outcome="rejected.excessive"),
    # No article names this case; 第二条 defines the 政府信息 an application asks for.
    LetterKind("answer.rejected.confirmation", "", ("第二条",),
               outcome="rejected.confirmation"),
    LetterKind("answer.other.no_correction", "", ("第三十条",), outcome="other.no_correction"),
    LetterKind("answer.other.unpaid_fee", "", (), FEE_RULES, outcome="other.unpaid_fee"),
    # 其他处理: the office writes the case and its basis in the letter.
    LetterKind("answer.other.misc", "", (), outcome="other.misc"),
)
_BY_ID = {k.id: k for k in KINDS}
_NUMBERING = re.compile(r"^\s*(?:\d+\.|（[一二三四五六七八九十]+）)")
_PARENTHESIS = re.compile(r"（[^）]*）$")
# Outcomes of older formats answered with another outcome's letter (2019's single 其他处理 row).
_ANSWERED_AS = {"other": "other.misc"}
# What a user may type for a kind besides its id and name.
_ALIASES: dict[str, str] = {
    "补正": "correction", "补正告知书": "correction", "延期": "extension", "延期答复": "extension",
    "延期答复告知书": "extension", "收费": "fee", "收费通知": "fee", "收费通知书": "fee",
}
_CONSULTATION_WORDS = ("consultation", "征求意见", "征求意见函", "征求第三方意见函")
_ANSWER_WORDS = ("answer", "答复", "答复书", "告知书")


def kind_by_id(kind_id: str) -> LetterKind:
    """A letter kind by its id (RegisterError if there is none)."""
    found = _BY_ID.get(kind_id)
    if found is None:
        raise RegisterError(f"没有这种文书：{kind_id[:40]}（可用 xxgk register letter 申请序号 查看可出具的文书）")
    return found


def answer_kinds(outcome: str) -> tuple[LetterKind, ...]:
    """The letters that answer an application with ``outcome``: the usual one first, then its variants."""
    outcome = _ANSWERED_AS.get(outcome, outcome)
    return tuple(k for k in KINDS if k.outcome == outcome)


def kinds_for(app: Application) -> list[LetterKind]:
    """The letters the application's recorded steps and outcome call for, in the order they are sent."""
    out: list[LetterKind] = []
    if app.correction_notice is not None:
        out.append(_BY_ID["correction"])
    if app.consult_sent is not None:
        out.append(_BY_ID[f"consultation.{app.consult_party or 'third_party'}"])
    if app.extension_days:
        out.append(_BY_ID["extension"])
    if app.fee_method is not None and app.fee_amount != 0:
        out.append(_BY_ID["fee"])
    if app.outcome is not None:
        out += answer_kinds(app.outcome)
    return out


def resolve_kind(app: Application, text: str) -> LetterKind:
    """The kind a user names for ``app`` (an id, a name or a word such as 补正、答复), checked against its record."""
    text = text.strip()
    if text in _CONSULTATION_WORDS:
        kind = _BY_ID[f"consultation.{app.consult_party or 'third_party'}"]
    elif text in _ANSWER_WORDS:
        if app.outcome is None:
            raise RegisterError(f"第{app.id}号申请尚未登记办理结果，不能出具答复书")
        kind = answer_kinds(app.outcome)[0]
    else:
        kind_id = _ALIASES.get(text) or next((k.id for k in KINDS if text in (k.id, k.name)), None)
        kind = kind_by_id(kind_id or text)
    _check_fits(app, kind)
    return kind


def _check_fits(app: Application, kind: LetterKind) -> None:
    """Refuse a letter the record does not support (an answer for another outcome, a fee notice without a fee)."""
    if kind.step == "extension" and not app.extension_days:
        raise RegisterError(f"第{app.id}号申请没有登记延期（延期工作日数、延期批准日期），不能出具延期答复告知书")
    if kind.step == "fee" and (app.fee_method is None or app.fee_units is None):
        raise RegisterError(f"第{app.id}号申请没有登记收费方式和件数或页数，不能出具收费通知书")
    if (kind.step == "fee" or kind.outcome == UNPAID_OUTCOME) and app.fee_amount == 0:
        raise RegisterError(f"第{app.id}号申请的信息处理费为0元（{free_fee_reason(app.fee_method)}），"
                            f"不收费，不能出具{kind.name}")
    if kind.step == "extension":
        _check_extension(app)
    if kind.step == "answer":
        if app.outcome is None:
            raise RegisterError(f"第{app.id}号申请尚未登记办理结果，不能出具答复书")
        if kind not in answer_kinds(app.outcome):
            raise RegisterError(f"第{app.id}号申请的办理结果为“{outcome_label(app.outcome)}”，不能出具{kind.name}")


def _check_extension(app: Application) -> None:
    """Refuse the letter of an extension approved after the original deadline: it extends nothing (第三十三条第二款)."""
    try:
        original = answer_deadline(app).original_due
    except CalendarError:
        return  # the letter's own deadline computation says why
    if original is not None and extension_too_late(app.extension_approved, original):
        raise RegisterError(f"第{app.id}号申请的延期批准日期晚于原答复期限 {original.isoformat()}：答复期限届满后不能再延长"
                            "（条例第三十三条第二款），不能出具延期答复告知书")


def default_review_body() -> str:
    """``有管辖权的行政复议机关``: for an office that has not named its 复议机关 (the word from table 四)."""
    review = statutory().table_by_id(REVIEWS).row_by_id(case_kinds()[0])
    return f"有管辖权的{review.label_for(review.templates[-1])}机关"


def chinese_date(day: date | None) -> str:
    """``2025-03-03`` → ``2025年3月3日``; a blank line when unknown."""
    return f"{day.year}年{day.month}月{day.day}日" if day else BLANK


def _letter_day(app: Application, kind: LetterKind) -> date | None:
    """The day the letter is dated: the day its step was recorded as taken."""
    return {"correction": app.correction_notice, "extension": app.extension_approved,
            "consultation": app.consult_sent, "fee": app.fee_notice, "answer": app.answered}[kind.step]


def letter_context(app: Application, kind: LetterKind, office: Office, today: date) -> dict[str, str]:
    """Everything a template may use, as text (unknown values a blank line to fill in by hand)."""
    try:
        deadline = answer_deadline(app)
        payment_due = payment_deadline(app)
    except CalendarError as err:
        raise RegisterError(str(err)) from err
    consult_until = None
    if app.consult_sent is not None and kind.id != "consultation.other_agency":
        consult_until = add_working_days(app.consult_sent, CONSULTATION_REPLY_DAYS)
    return {
        "agency": office.agency or BLANK, "seal": office.seal or DEFAULT_SEAL,
        "office_address": office.address or BLANK, "office_phone": office.phone or BLANK,
        "review_body": office.review_body or default_review_body(), "court": office.court or DEFAULT_COURT,
        "number": app.reference or f"依申请公开第{app.id}号",
        "letter_date": chinese_date(_letter_day(app, kind) or today),
        "applicant": app.applicant_name, "consulted": BLANK,
        "received": chinese_date(app.received), "channel": shown_value("channel", app.channel),
        "request": app.request, "basis": kind.basis(app),
        "info_form": shown_value("info_form", app.info_form) or BLANK,
        "delivery": shown_value("delivery", app.delivery) or BLANK,
        "correction_items": BLANK, "correction_notice": chinese_date(app.correction_notice),
        "correction_deadline": chinese_date(app.correction_deadline),
        "correction_received": chinese_date(app.correction_received),
        "consult_sent": chinese_date(app.consult_sent), "consult_until": chinese_date(consult_until),
        "extension_days": str(app.extension_days or BLANK), "extension_reason": app.extension_reason or BLANK,
        "original_due": chinese_date(deadline.original_due), "due": chinese_date(deadline.due),
        "fee_method": shown_value("fee_method", app.fee_method) or BLANK,
        "fee_units": str(app.fee_units or BLANK), "fee_unit": "件" if app.fee_method == "pieces" else "页",
        "fee_amount": BLANK if app.fee_amount is None else str(app.fee_amount),
        "fee_notice": chinese_date(app.fee_notice), "payment_due": chinese_date(payment_due),
        "payment_due_text": f"（即{chinese_date(payment_due)}前）" if payment_due else "",
        "payment_method": BLANK, "answered": chinese_date(app.answered),
        "reason": BLANK, "where": BLANK, "earlier_answer": BLANK,
    }


def template_for(kind: LetterKind, office: Office) -> Path:
    """The office's own template of that name if it has one, else the one xxgk ships."""
    if office.templates:
        own = Path(office.templates).expanduser() / kind.file
        if own.is_file():
            return own
    return TEMPLATES / kind.file


@dataclass(frozen=True, slots=True)
class Letter:
    """A written letter: its bytes, a file name and the kind it is."""

    kind: LetterKind
    content: bytes
    filename: str
    media_type: str


_MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "pdf": "application/pdf"}
_UNSAFE_NAME = re.compile(r"[\\/:*?\"<>|\s]+")


def write_letter(app: Application, kind: LetterKind, office: Office, fmt: LetterFormat = "docx",
                 today: date | None = None, font: str | Path | None = None) -> Letter:
    """The letter for ``app`` as Word or PDF; RegisterError (Chinese) when it cannot be written."""
    _check_fits(app, kind)
    context = letter_context(app, kind, office, today or date.today())
    template = template_for(kind, office)
    try:
        docx = fill_docx(template, context)
        content = docx if fmt == "docx" else docx_to_pdf(docx, kind.name, font)
    except LetterError as err:
        whose = "本机关的文书模板 " if template.parent != TEMPLATES else ""  # which copy the office has to fix
        raise RegisterError(f"{whose}{kind.file}：{err}") from err
    name = _UNSAFE_NAME.sub("_", f"{context['number']}-{kind.name}")[:120]
    return Letter(kind, content, f"{name}.{fmt}", _MEDIA[fmt])
