"""When an application must be answered: received date + 补正 + consultation + fee + extension.

条例 (2019) 第三十一条: the day of receipt by channel. 第三十三条第二款: answer within 20 working
days of receipt; an extension of at most 20 more working days, decided while those 20 days run
(one approved after they ended extends nothing: the answer is late from the original date).
第三十三条第三款: the time spent consulting third parties and other agencies is not counted; a
third party (第三十二条) and an agency that made the information jointly (第三十四条) have 15
working days to reply, so only that much is left out; time beyond it is the office's own.
第三十条: a 补正 notice within 7 working days, and the period restarts when the corrected
application arrives. 国办函〔2020〕109号: the applicant pays within 20 working days counted from
the day after receiving the fee notice, and the time from notice to payment is not counted; a
notice of 0 yuan (第四条、第五条: the first 10 件 of a month, or 30 pages, are free) asks for
nothing and pauses nothing. Every step is explained with its article.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, Protocol

from xxgk.register.calendar import ONE_DAY, add_working_days, is_working_day, sources, working_days_between
from xxgk.register.fees import free_fee_reason

ANSWER_DAYS = 20  # 第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 第三十条
CONSULTATION_REPLY_DAYS = 15  # 第三十二条（第三方）、第三十四条（共同制作机关）
PAYMENT_DAYS = 20  # 国办函〔2020〕109号

State = Literal["answered", "running", "consulting", "awaiting_agency", "awaiting_correction", "awaiting_payment"]

# 第三十一条: how the day of receipt is fixed, by channel; the channels whose day is one both sides
# confirm or the applicant hands in are working days unless the wrong date was entered.
_RECEIPT = {
    "in_person": "当面提交，以提交之日为收到申请之日（条例第三十一条第（一）项）",
    "letter": "邮寄提交，以本机关签收之日为收到申请之日；平常信函以与申请人确认之日为收到申请之日（条例第三十一条第（二）项）",
    "online": "通过互联网渠道提交，以双方确认之日为收到申请之日（条例第三十一条第（三）项）",
    "fax": "通过传真提交，以双方确认之日为收到申请之日（条例第三十一条第（三）项）",
}
_WORKING_DAY_CHANNELS = ("in_person", "online", "fax")
# Whom a consultation went to → the reply limit's article (None: no statutory limit).
_CONSULTED = {
    "third_party": ("第三方", "条例第三十二条"),
    "co_producer": ("共同制作该信息的行政机关", "条例第三十四条"),
    "other_agency": ("其他机关", None),
}
# A notice handed over, e-mailed, put online or faxed is received the day it is sent (not a posted one).
SAME_DAY_DELIVERIES = ("email", "online", "fax", "in_person")


class Timeline(Protocol):
    """The dates of an application that the answer deadline depends on."""

    @property
    def received(self) -> date: ...
    @property
    def channel(self) -> str: ...
    @property
    def receipt_number(self) -> str | None: ...
    @property
    def correction_notice(self) -> date | None: ...
    @property
    def correction_deadline(self) -> date | None: ...
    @property
    def correction_received(self) -> date | None: ...
    @property
    def consult_sent(self) -> date | None: ...
    @property
    def consult_replied(self) -> date | None: ...
    @property
    def consult_party(self) -> str | None: ...
    @property
    def extension_days(self) -> int | None: ...
    @property
    def extension_approved(self) -> date | None: ...
    @property
    def fee_notice(self) -> date | None: ...
    @property
    def fee_method(self) -> str | None: ...
    @property
    def fee_amount(self) -> int | None: ...
    @property
    def delivery(self) -> str | None: ...
    @property
    def fee_notice_delivery(self) -> str | None: ...
    @property
    def fee_notice_received(self) -> date | None: ...
    @property
    def fee_paid(self) -> date | None: ...
    @property
    def answered(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the computation, in Chinese; ``warning`` when a time limit was missed or a date looks wrong."""

    day: date | None
    text: str
    warning: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """The answer deadline of one application and how it was reached.

    ``due`` is None while the clock waits for the applicant (补正 or payment) or for another
    agency's reply; then ``waiting_until`` is the limit of that wait, if any. ``payment_due``
    is None when the fee notice's receipt date is unknown (a posted notice not yet signed for).
    """

    due: date | None
    state: State
    steps: tuple[Step, ...]
    correction_notice_due: date
    waiting_until: date | None = None
    payment_due: date | None = None
    original_due: date | None = None  # before an extension
    consultation_ends: date | None = None  # the last day the consultation is not counted
    late_days: int = 0  # calendar days the answer came after ``due``
    late_working_days: int = 0

    @property
    def warnings(self) -> tuple[Step, ...]:
        """The steps where a statutory time limit was missed or a date looks wrong."""
        return tuple(s for s in self.steps if s.warning)

    def explain(self) -> str:
        """The steps as lines of text."""
        return "\n".join(f"{'⚠ ' if s.warning else ''}{s.day.isoformat() + '：' if s.day else ''}{s.text}"
                         for s in self.steps)


def asks_payment(app: Timeline) -> bool:
    """Whether a fee notice was sent that asks for money: one of 0 yuan (a free 件 or page count) asks for none."""
    return app.fee_notice is not None and app.fee_amount != 0


def payment_deadline(app: Timeline) -> date | None:
    """The last day to pay: 20 working days from the day after the notice was received (None if unknown).

    A notice handed over, e-mailed, put online or faxed is received the day it is sent; a posted
    one the day it is signed for, which must be recorded. Without a recorded way of delivery, the
    notice went the way the applicant asked to receive the information, if that is recorded.
    None too when the notice asks for 0 yuan: there is nothing to pay, so nothing can be paid late.
    """
    if app.fee_notice is None or not asks_payment(app):
        return None
    received = app.fee_notice_received
    if received is None and notice_delivery(app) in SAME_DAY_DELIVERIES:
        received = app.fee_notice
    return add_working_days(received, PAYMENT_DAYS) if received is not None else None


def notice_delivery(app: Timeline) -> str | None:
    """How the fee notice was delivered: as recorded, else the way the applicant asked for (None if neither)."""
    return app.fee_notice_delivery or app.delivery


def receipt_steps(app: Timeline) -> list[Step]:
    """The day of receipt as 第三十一条 fixes it for the channel, with a warning when it looks mistaken."""
    text = _RECEIPT.get(app.channel, "收到申请（条例第三十一条）")
    steps = [Step(app.received, text)]
    if app.channel in _WORKING_DAY_CHANNELS and app.receipt_number is None and not is_working_day(app.received):
        steps.append(Step(app.received, "收到日期不是工作日：当面、网络、传真提交的申请，收到日期应为提交或双方确认之日，"
                          "请核对是否误填了申请人提交（发出）的日期（条例第三十一条）", True))
    return steps


def answer_deadline(app: Timeline) -> Deadline:
    """The deadline of ``app`` per 条例第三十条至第三十四条 and 国办函〔2020〕109号, naming its calendar's sources."""
    deadline = _answer_deadline(app)
    days = [s.day for s in deadline.steps if s.day is not None] + [deadline.correction_notice_due]
    days += [d for d in (deadline.due, deadline.payment_due, deadline.waiting_until) if d is not None]
    return replace(deadline, steps=(*deadline.steps, calendar_step(min(days), max(days))))


def calendar_step(first: date, last: date) -> Step:
    """The step that names where the working days from ``first`` to ``last`` were taken from."""
    return Step(None, "工作日依据：" + "；".join(f"{year} 年按{source}" for year, source in sources(first, last)))


def _answer_deadline(app: Timeline) -> Deadline:
    """The deadline of ``app`` per 条例第三十条至第三十四条 and 国办函〔2020〕109号."""
    steps = receipt_steps(app)
    notice_due = add_working_days(app.received, CORRECTION_NOTICE_DAYS)
    start = app.received
    if app.correction_notice is not None:
        late = app.correction_notice > notice_due
        steps.append(Step(app.correction_notice,
                          f"发出补正通知（条例第三十条：应在收到申请之日起{CORRECTION_NOTICE_DAYS}个工作日内，"
                          f"即 {notice_due.isoformat()} 前一次性告知）" + ("，已超过该期限" if late else ""), late))
        if app.correction_received is None:
            if app.answered is not None:
                steps.append(Step(app.answered, "未收到补正，已办结"))
                return Deadline(None, "answered", tuple(steps), notice_due)
            until = app.correction_deadline
            steps.append(Step(until, "等待申请人补正；答复期限自收到补正后的申请之日起计算（条例第三十条）"
                              + ("；补正期限届满无正当理由未补正的，视为放弃申请" if until else "")))
            return Deadline(None, "awaiting_correction", tuple(steps), notice_due, until)
        start = app.correction_received
        steps.append(Step(start, "收到补正后的申请，答复期限自该日重新计算（条例第三十条）"))
        if app.correction_deadline is not None and start > app.correction_deadline:
            steps.append(Step(start, f"补正收到日期晚于补正期限 {app.correction_deadline.isoformat()}：请核对日期，"
                              "逾期补正而无正当理由的，可视为放弃申请（条例第三十条）", True))
    limit = ANSWER_DAYS
    steps.append(Step(add_working_days(start, limit),
                      f"答复期限：自 {start.isoformat()} 起{ANSWER_DAYS}个工作日（条例第三十三条第二款）"))
    state: State = "running"
    pauses: list[tuple[date, date]] = []
    consultation_ends: date | None = None
    if app.consult_sent is not None:
        end, state = _consultation(app, steps)
        if end is None:
            return Deadline(None, state, tuple(steps), notice_due)
        pauses.append((app.consult_sent, end))
        consultation_ends = end
    payment_due = payment_deadline(app)
    if app.fee_notice is not None and not asks_payment(app):
        # A stored notice of 0 yuan (now refused on entry): it cannot make the applicant abandon anything.
        steps.append(Step(app.fee_notice, "登记了收费通知，但信息处理费为0元（" + free_fee_reason(app.fee_method)
                          + "），不应发出收费通知：该通知不暂停答复期限，也不会按逾期未缴费办结", True))
    elif app.fee_notice is not None:
        steps.append(Step(app.fee_notice, _fee_notice_text(app, payment_due)))
        if app.fee_paid is None:
            if app.answered is not None:
                steps.append(Step(app.answered, "未缴费，已办结"))
                return Deadline(None, "answered", tuple(steps), notice_due, payment_due=payment_due)
            steps.append(Step(payment_due, "等待缴费；逾期未缴纳的，视为放弃申请，不再处理（国办函〔2020〕109号）"
                              if payment_due else "等待缴费；收费通知送达日期未登记，缴费期限无法确定，不会自动按逾期未缴费办结"))
            return Deadline(None, "awaiting_payment", tuple(steps), notice_due, payment_due, payment_due)
        late = payment_due is not None and app.fee_paid > payment_due
        steps.append(Step(app.fee_paid, "申请人缴费；发出收费通知至缴费期间不计算在答复期限内（国办函〔2020〕109号）"
                          + ("；缴费晚于缴费期限" if late else ""), late))
        pauses.append((app.fee_notice, app.fee_paid))
    original = _count_forward(start, limit, pauses)
    if app.extension_days:
        rule = (f"（条例第三十三条第二款：经政府信息公开工作机构负责人同意并告知申请人，"
                f"延长的期限最长不得超过{MAX_EXTENSION_DAYS}个工作日）")
        if extension_too_late(app.extension_approved, original):
            # An expired period cannot be extended: the application is overdue from the original date.
            steps.append(Step(app.extension_approved,
                              f"延期决定晚于原答复期限 {original.isoformat()}：答复期限届满后不能再延长{rule}，"
                              f"登记的{app.extension_days}个工作日延期不计入，答复期限仍为 {original.isoformat()}", True))
        else:
            limit += app.extension_days
            steps.append(Step(app.extension_approved, f"延长答复期限{app.extension_days}个工作日{rule}"))
    due = _count_forward(start, limit, pauses)
    for begin, _ in pauses:
        if begin > due:
            steps.append(Step(begin, "征求意见或收费通知发出时答复期限已届满", True))
    steps.append(Step(due, f"答复期限届满（共计{limit}个工作日，不含不计算在内的期间）"))
    late_days = late_working = 0
    if app.answered is not None:
        state = "answered"
        late_days = max((app.answered - due).days, 0)  # late is late on any day, a holiday too
        late_working = working_days_between(due, app.answered)
        steps.append(Step(app.answered, "作出答复" + (
            f"，超过答复期限{late_days}日（其中工作日{late_working}个）" if late_days else ""), late_days > 0))
    return Deadline(due, state, tuple(steps), notice_due, payment_due=payment_due, original_due=original,
                    consultation_ends=consultation_ends, late_days=late_days, late_working_days=late_working)


def extension_too_late(approved: date | None, original_due: date) -> bool:
    """Whether an extension was approved after the period it would extend had run out (it then extends nothing)."""
    return approved is not None and approved > original_due


def _consultation(app: Timeline, steps: list[Step]) -> tuple[date | None, State]:
    """The last day the consultation is not counted (None: waiting on an agency with no limit), and the state."""
    sent = app.consult_sent
    assert sent is not None
    party = app.consult_party or "third_party"  # older ledgers did not say: the common case
    whom, article = _CONSULTED[party]
    unstated = "（未登记征求意见对象，按第三方计）" if app.consult_party is None else ""
    replied = app.consult_replied
    if article is None:
        if replied is None:
            steps.append(Step(sent, f"书面征求{whom}意见，尚未登记答复；征求意见所需时间不计算在答复期限内"
                              "（条例第三十三条第三款），其他机关的答复没有法定期限，请及时催告"))
            return None, "awaiting_agency"
        steps.append(Step(sent, f"书面征求{whom}意见，至 {replied.isoformat()} 收到答复；该期间不计算在答复期限内"
                          "（条例第三十三条第三款）"))
        return replied, "running"
    bound = add_working_days(sent, CONSULTATION_REPLY_DAYS)
    rule = (f"{whom}应自收到征求意见书之日起{CONSULTATION_REPLY_DAYS}个工作日内提出意见（{article}；"
            f"本机关未登记对方收到日期，自发出之日起算，即至 {bound.isoformat()}）")
    if replied is None:
        steps.append(Step(sent, f"书面征求{whom}意见{unstated}，尚未登记答复；{rule}，该期间不计算在答复期限内"
                          "（条例第三十三条第三款）"))
        return bound, "consulting"
    if replied <= bound:
        steps.append(Step(sent, f"书面征求{whom}意见{unstated}，至 {replied.isoformat()} 收到答复；"
                          f"该期间不计算在答复期限内（条例第三十三条第三款；{rule}）"))
        return replied, "running"
    steps.append(Step(sent, f"书面征求{whom}意见{unstated}，{replied.isoformat()} 收到答复；{rule}，"
                      f"只有此前的期间不计算在答复期限内（条例第三十三条第三款），此后至收到答复的时间计入答复期限"))
    return bound, "running"


def _fee_notice_text(app: Timeline, payment_due: date | None) -> str:
    """The fee notice's step: when it was received and the payment period it opened."""
    how = "，邮寄送达的以签收之日为收到之日" if notice_delivery(app) == "post" else ""
    if app.fee_notice_received is not None:
        received = f"，申请人于 {app.fee_notice_received.isoformat()} 收到"
    elif payment_due is not None:
        received = "，当日送达"
    else:
        received = "，送达（签收）日期未登记"
    period = (f"即 {payment_due.isoformat()} 前缴费" if payment_due else "缴费期限待登记送达日期后确定")
    return (f"发出收费通知{received}{how}；申请人应自收到通知次日起{PAYMENT_DAYS}个工作日内缴费，"
            f"{period}（国办函〔2020〕109号）")


def _count_forward(start: date, n: int, pauses: list[tuple[date, date]]) -> date:
    """The day the n-th counted working day after ``start`` falls on, days in a pause (s, e] not counted."""
    day = start
    while n > 0:
        day += ONE_DAY
        if is_working_day(day) and not any(s < day <= e for s, e in pauses):
            n -= 1
    return day


def working_days_left(due: date, today: date) -> int:
    """Working days from ``today`` to ``due``: positive ahead, 0 on the day, negative when overdue."""
    if due >= today:
        return working_days_between(today, due)
    return -max(1, working_days_between(due, today))  # overdue even if only a weekend has passed
