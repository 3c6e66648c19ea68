"""When an application must be answered: received date + 补正 + consultation + fee + extension.

条例 (2019) 第三十三条: answer within 20 working days of receipt; an extension of at most 20
more working days; time spent consulting third parties or other agencies is not counted.
第三十条: a 补正 notice within 7 working days, and the period restarts when the corrected
application arrives. 国办函〔2020〕109号: the applicant pays within 20 working days of the
fee notice, and the time from notice to payment is not counted. Every step is explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from xxgk.register.calendar import ONE_DAY, add_working_days, is_working_day, working_days_between

ANSWER_DAYS = 20  # 第三十三条第一款
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 第三十条
CONSULTATION_REPLY_DAYS = 15  # 第三十二条
PAYMENT_DAYS = 20  # 国办函〔2020〕109号

State = Literal["answered", "running", "consulting", "awaiting_correction", "awaiting_payment"]


class Timeline(Protocol):
    """The dates of an application that the answer deadline depends on."""

    @property
    def received(self) -> date: ...
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
    def extension_days(self) -> int | None: ...
    @property
    def extension_approved(self) -> date | None: ...
    @property
    def fee_notice(self) -> date | None: ...
    @property
    def fee_paid(self) -> date | None: ...
    @property
    def answered(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the computation, in Chinese; ``warning`` when the agency missed a time limit."""

    day: date | None
    text: str
    warning: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """The answer deadline of one application and how it was reached.

    ``due`` is None while the clock waits for the applicant (补正 or payment); then
    ``waiting_until`` is the applicant's own time limit (None if the notice set none).
    """

    due: date | None
    state: State
    steps: tuple[Step, ...]
    correction_notice_due: date
    waiting_until: date | None = None
    payment_due: date | None = None

    @property
    def warnings(self) -> tuple[Step, ...]:
        """The steps where a statutory time limit was missed."""
        return tuple(s for s in self.steps if s.warning)

    def explain(self) -> str:
        """The steps as lines of text."""
        return "\n".join(f"{'⚠ ' if s.warning else ''}{s.day.isoformat() + '：' if s.day else ''}{s.text}"
                         for s in self.steps)


def answer_deadline(app: Timeline) -> Deadline:
    """The deadline of ``app`` per 条例第三十条、第三十二条、第三十三条 and 国办函〔2020〕109号."""
    steps = [Step(app.received, "收到申请（条例第三十一条）")]
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
                              + ("；补正期限届满未补正的，视为放弃申请" if until else "")))
            return Deadline(None, "awaiting_correction", tuple(steps), notice_due, until)
        start = app.correction_received
        steps.append(Step(start, "收到补正后的申请，答复期限自该日重新计算（条例第三十条）"))
    limit = ANSWER_DAYS
    steps.append(Step(add_working_days(start, limit),
                      f"答复期限：自 {start.isoformat()} 起{ANSWER_DAYS}个工作日（条例第三十三条第一款）"))
    state: State = "running"
    pauses: list[tuple[date, date]] = []
    if app.consult_sent is not None:
        if app.consult_replied is not None:
            end = app.consult_replied
            steps.append(Step(app.consult_sent, f"书面征求第三方或其他机关意见，至 {end.isoformat()} 收到答复；"
                              "征求意见期间不计算在答复期限内（条例第三十三条第二款）"))
        else:
            end = add_working_days(app.consult_sent, CONSULTATION_REPLY_DAYS)
            state = "consulting"
            steps.append(Step(app.consult_sent, "书面征求第三方或其他机关意见，尚未登记答复；按第三方"
                              f"{CONSULTATION_REPLY_DAYS}个工作日答复期（条例第三十二条，自发出之日起算）计至 "
                              f"{end.isoformat()}，该期间不计算在答复期限内（条例第三十三条第二款）"))
        pauses.append((app.consult_sent, end))
    payment_due: date | None = None
    if app.fee_notice is not None:
        payment_due = add_working_days(app.fee_notice, PAYMENT_DAYS)
        steps.append(Step(app.fee_notice, f"发出收费通知；申请人应自收到通知次日起{PAYMENT_DAYS}个工作日内，即 "
                          f"{payment_due.isoformat()} 前缴费（国办函〔2020〕109号）"))
        if app.fee_paid is None:
            if app.answered is not None:
                steps.append(Step(app.answered, "未缴费，已办结"))
                return Deadline(None, "answered", tuple(steps), notice_due, payment_due=payment_due)
            steps.append(Step(payment_due, "等待缴费；逾期未缴纳的，视为放弃申请，不再处理（国办函〔2020〕109号）"))
            return Deadline(None, "awaiting_payment", tuple(steps), notice_due, payment_due, payment_due)
        late = app.fee_paid > payment_due
        steps.append(Step(app.fee_paid, "申请人缴费；发出收费通知至缴费期间不计算在答复期限内（国办函〔2020〕109号）"
                          + ("；缴费晚于缴费期限" if late else ""), late))
        pauses.append((app.fee_notice, app.fee_paid))
    if app.extension_days:
        before = _count_forward(start, limit, pauses)
        late = app.extension_approved is not None and app.extension_approved > before
        limit += app.extension_days
        steps.append(Step(app.extension_approved,
                          f"延长答复期限{app.extension_days}个工作日（条例第三十三条第二款：经政府信息公开工作机构负责人同意"
                          f"并告知申请人，延长不超过{MAX_EXTENSION_DAYS}个工作日）"
                          + (f"；延期决定晚于原答复期限 {before.isoformat()}" if late else ""), late))
    due = _count_forward(start, limit, pauses)
    for begin, _ in pauses:
        if begin > due:
            steps.append(Step(begin, "征求意见或收费通知发出时答复期限已届满", True))
    steps.append(Step(due, f"答复期限届满（共计{limit}个工作日，不含中止期间）"))
    if app.answered is not None:
        late_by = working_days_between(due, app.answered)
        steps.append(Step(app.answered, "作出答复" + (f"，超过答复期限{late_by}个工作日" if late_by else ""),
                          late_by > 0))
        return Deadline(due, "answered", tuple(steps), notice_due, payment_due=payment_due)
    return Deadline(due, state, tuple(steps), notice_due, payment_due=payment_due)


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
