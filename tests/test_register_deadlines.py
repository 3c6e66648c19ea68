"""Answer deadlines on the official calendar, derived by hand from the State Council's holiday notices.

Each expected date is counted in the comment next to it: "n" is the n-th working day after the
start (the day of receipt is not counted). Holidays used (国务院办公厅 notices):
2025 Spring Festival 1.28–2.4 off, Sun 1.26 and Sat 2.8 worked; 2025 Qingming 4.4–4.6 off;
2025 National Day/Mid-Autumn 10.1–10.8 off, Sun 9.28 and Sat 10.11 worked; 2026 New Year
1.1–1.3 off, Sun 1.4 worked; 2026 Spring Festival 2.15–2.23 off, Sat 2.14 and Sat 2.28 worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from xxgk.register.calendar import add_working_days, covered_years, is_working_day, working_days_between
from xxgk.register.deadlines import answer_deadline, payment_deadline, working_days_left
from xxgk.register.errors import CalendarError
from xxgk.register.fees import fee_by_pages, fee_by_pieces, piece_rate


@dataclass
class App:
    """Just the dates a deadline depends on."""

    received: date
    channel: str = "letter"
    receipt_number: str | None = None
    correction_notice: date | None = None
    correction_deadline: date | None = None
    correction_received: date | None = None
    consult_sent: date | None = None
    consult_replied: date | None = None
    consult_party: str | None = None
    delivery: str | None = None
    extension_days: int | None = None
    extension_approved: date | None = None
    fee_method: str | None = None
    fee_amount: int | None = None
    fee_notice: date | None = None
    fee_notice_delivery: str | None = None
    fee_notice_received: date | None = None
    fee_paid: date | None = None
    answered: date | None = None


def test_makeup_saturdays_and_sundays_are_working_days() -> None:
    assert is_working_day(date(2025, 1, 26))  # Sunday worked before the Spring Festival
    assert is_working_day(date(2025, 2, 8))  # Saturday worked after it
    assert is_working_day(date(2025, 10, 11))  # Saturday worked after National Day
    assert not is_working_day(date(2025, 10, 6))  # Monday, Mid-Autumn
    assert not is_working_day(date(2025, 2, 1))  # Saturday in the holiday
    assert not is_working_day(date(2025, 3, 8))  # an ordinary Saturday


def test_twenty_working_days_do_not_count_the_day_of_receipt() -> None:
    # Mon 2025-03-03: 4-7 Mar → 1..4, 10-14 → 5..9, 17-21 → 10..14, 24-28 → 15..19, Mon 31 → 20.
    assert answer_deadline(App(date(2025, 3, 3))).due == date(2025, 3, 31)
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 31)) == 20


def test_spring_festival_2025() -> None:
    # Thu 1.23: Fri 1.24 → 1, Sun 1.26 (worked) → 2, Mon 1.27 → 3, holiday 1.28–2.4,
    # 2.5–2.7 → 4..6, Sat 2.8 (worked) → 7, 2.10–14 → 8..12, 2.17–21 → 13..17, 2.24–26 → 18..20.
    deadline = answer_deadline(App(date(2025, 1, 23)))
    assert deadline.due == date(2025, 2, 26)
    # 补正 notice within 7 working days (第三十条): the 7th is the worked Saturday 2.8.
    assert deadline.correction_notice_due == date(2025, 2, 8)


def test_spring_festival_2025_with_correction_consultation_and_extension() -> None:
    app = App(
        date(2025, 1, 23),
        correction_notice=date(2025, 2, 7),  # the 6th working day: in time
        correction_received=date(2025, 2, 10),  # Mon: the period restarts from here
        consult_sent=date(2025, 2, 12), consult_replied=date(2025, 2, 21),
        extension_days=20, extension_approved=date(2025, 3, 14),
    )
    # From Mon 2.10: Tue 2.11 → 1, Wed 2.12 (letter sent) → 2; 2.13–2.21 not counted;
    # 2.24–28 → 3..7, 3.3–7 → 8..12, 3.10–14 → 13..17, 3.17–19 → 18..20 (unextended: Wed 3.19);
    # +20: 3.20–21 → 21..22, 3.24–28 → 23..27, 3.31–4.3 → 28..31, Qingming 4.4–4.6 off,
    # 4.7–11 → 32..36, 4.14–17 → 37..40.
    deadline = answer_deadline(app)
    assert deadline.due == date(2025, 4, 17)
    assert deadline.state == "running"
    assert not deadline.warnings
    text = deadline.explain()
    for article in ("第三十条", "第三十三条第二款", "第三十三条第三款", "第三十一条第（二）项"):
        assert article in text
    # 第三十三条第一款 is the answer on the spot: no step of a written answer rests on it.
    assert "第三十三条第一款" not in text


def test_national_day_2025_with_consultation_and_extension() -> None:
    # Fri 9.26: Sun 9.28 (worked) → 1, 9.29 → 2, 9.30 → 3, holiday 10.1–10.8, 10.9 → 4,
    # 10.10 → 5, Sat 10.11 (worked) → 6, 10.13–17 → 7..11, 10.20–24 → 12..16, 10.27–30 → 17..20.
    assert answer_deadline(App(date(2025, 9, 26))).due == date(2025, 10, 30)
    # 补正 notice: 9.28, 9.29, 9.30, 10.9, 10.10, Sat 10.11, Mon 10.13 → the 7th is 10.13.
    assert answer_deadline(App(date(2025, 9, 26))).correction_notice_due == date(2025, 10, 13)
    app = App(date(2025, 9, 26), consult_sent=date(2025, 9, 30), consult_replied=date(2025, 10, 15),
              extension_days=10, extension_approved=date(2025, 10, 20))
    # 9.28 → 1, 9.29 → 2, 9.30 (sent) → 3; up to 10.15 not counted; 10.16–17 → 4..5,
    # 10.20–24 → 6..10, 10.27–31 → 11..15, 11.3–7 → 16..20; +10: 11.10–14, 11.17–21 → Fri 11.21.
    assert answer_deadline(app).due == date(2025, 11, 21)


def test_late_extension_and_late_answer_are_warnings() -> None:
    app = App(date(2025, 9, 26), extension_days=5, extension_approved=date(2025, 10, 31), answered=date(2025, 11, 10))
    # Unextended due 10.30, so approving on 10.31 is late and extends nothing (第三十三条第二款: an
    # expired period cannot be extended); answered Mon 11.10: 10.31, 11.3–7, 11.10 → 7 working days late.
    deadline = answer_deadline(app)
    assert deadline.due == deadline.original_due == date(2025, 10, 30)
    assert deadline.state == "answered"
    warnings = [w.text for w in deadline.warnings]
    assert len(warnings) == 2 and "晚于原答复期限" in warnings[0] and "不能再延长" in warnings[0]
    assert "超过答复期限11日（其中工作日7个）" in warnings[1]


def test_an_extension_after_the_original_deadline_extends_nothing() -> None:
    # The tester's case: received Mon 2025-03-10, due Tue 4.8 (3.11–14 → 4, 3.17–21 → 9, 3.24–28 → 14,
    # 3.31–4.3 → 18, Qingming 4.4 off, 4.7–8 → 20); 10 days approved on 4.10, after it ran out.
    late = App(date(2025, 3, 10), extension_days=10, extension_approved=date(2025, 4, 10))
    deadline = answer_deadline(late)
    assert deadline.due == date(2025, 4, 8) and deadline.state == "running"
    assert working_days_left(date(2025, 4, 8), date(2025, 4, 15)) < 0  # overdue on 4.15, not "due soon"
    answered = answer_deadline(App(date(2025, 3, 10), extension_days=10, extension_approved=date(2025, 4, 10),
                                   answered=date(2025, 4, 15)))
    assert (answered.late_days, answered.late_working_days) == (7, 5)
    # Approved on the last day of the period: extended (4.9–11 → 3, 4.14–18 → 8, 4.21–22 → 10: Tue 4.22).
    in_time = answer_deadline(App(date(2025, 3, 10), extension_days=10, extension_approved=date(2025, 4, 8)))
    assert in_time.due == date(2025, 4, 22) and not in_time.warnings


def test_unanswered_consultation_runs_to_the_third_partys_fifteen_days() -> None:
    app = App(date(2025, 3, 3), consult_sent=date(2025, 3, 10))
    # Third party's 15 working days from Mon 3.10: 3.11–14 → 4, 3.17–21 → 9, 3.24–28 → 14, 3.31 → 15.
    # Clock: 3.4–7 → 1..4, 3.10 (sent) → 5; resumes 4.1: 4.1–3 → 6..8, Qingming 4.4 off,
    # 4.7–11 → 9..13, 4.14–18 → 14..18, 4.21–22 → 19..20.
    deadline = answer_deadline(app)
    assert deadline.state == "consulting"
    assert deadline.due == date(2025, 4, 22)


def test_fee_notice_pauses_the_clock_until_payment() -> None:
    # Notice Wed 3.12; pay within 20 working days: 3.13–14 → 2, 3.17–21 → 7, 3.24–28 → 12,
    # 3.31–4.3 → 16, Qingming 4.4 off, 4.7–10 → 20: Thu 4.10.
    # E-mailed: received the day it was sent.
    waiting = answer_deadline(App(date(2025, 3, 3), fee_notice=date(2025, 3, 12), fee_notice_delivery="email"))
    assert waiting.state == "awaiting_payment" and waiting.due is None
    assert waiting.payment_due == waiting.waiting_until == date(2025, 4, 10)
    # Paid Mon 3.24. Clock: 3.4–7 → 1..4, 3.10–12 → 5..7 (notice day counts), up to 3.24 not
    # counted, 3.25–28 → 8..11, 3.31–4.3 → 12..15, 4.7–11 → 16..20: Fri 4.11.
    paid = answer_deadline(App(date(2025, 3, 3), fee_notice=date(2025, 3, 12), fee_notice_delivery="email",
                               fee_paid=date(2025, 3, 24)))
    assert paid.due == date(2025, 4, 11)


def test_new_year_2026_with_a_worked_sunday() -> None:
    # Wed 2025-12-31: 1.1–1.3 off, Sun 1.4 (worked) → 1, 1.5–9 → 2..6, 1.12–16 → 7..11,
    # 1.19–23 → 12..16, 1.26–29 → 17..20.
    assert answer_deadline(App(date(2025, 12, 31))).due == date(2026, 1, 29)


def test_spring_festival_2026_with_two_worked_saturdays() -> None:
    # Wed 2.11: 2.12 → 1, 2.13 → 2, Sat 2.14 (worked) → 3, 2.15–2.23 off, 2.24–27 → 4..7,
    # Sat 2.28 (worked) → 8, 3.2–6 → 9..13, 3.9–13 → 14..18, 3.16 → 19, 3.17 → 20.
    assert answer_deadline(App(date(2026, 2, 11))).due == date(2026, 3, 17)


def test_awaiting_correction_has_no_due_date() -> None:
    deadline = answer_deadline(App(date(2025, 3, 3), correction_notice=date(2025, 3, 14),
                                   correction_deadline=date(2025, 3, 31)))
    # Notice due: 3.4–7 → 4, 3.10–12 → 7: Wed 3.12, so a notice on 3.14 is late.
    assert deadline.correction_notice_due == date(2025, 3, 12)
    assert deadline.state == "awaiting_correction" and deadline.due is None
    assert deadline.waiting_until == date(2025, 3, 31)
    assert len(deadline.warnings) == 1 and "第三十条" in deadline.warnings[0].text


def test_a_year_the_calendar_does_not_cover_is_a_chinese_error() -> None:
    last = covered_years()[1]
    with pytest.raises(CalendarError, match=f"{last + 1} 年") as err:
        add_working_days(date(last, 12, 10), 20)
    assert "chinesecalendar" in str(err.value)
    with pytest.raises(CalendarError):
        is_working_day(date(covered_years()[0] - 1, 6, 1))


def test_working_days_left() -> None:
    assert working_days_left(date(2025, 10, 13), date(2025, 9, 30)) == 4  # 10.9, 10.10, Sat 10.11, 10.13
    assert working_days_left(date(2025, 10, 10), date(2025, 10, 10)) == 0
    assert working_days_left(date(2025, 10, 10), date(2025, 10, 12)) == -1  # Sat 10.11 was worked
    assert working_days_left(date(2025, 3, 7), date(2025, 3, 9)) == -1  # only a weekend passed: still overdue


def test_fee_by_pieces_per_applicant_and_month() -> None:
    assert [piece_rate(n) for n in (1, 10, 11, 30, 31, 40, 41, 50, 51)] == [0, 0, 100, 100, 200, 200, 300, 300, 400]
    assert fee_by_pieces(0, 10) == 0
    assert fee_by_pieces(9, 3) == 200  # the 10th is free, the 11th and 12th cost 100 each
    assert fee_by_pieces(0, 35) == 20 * 100 + 5 * 200


def test_fee_by_pages_is_progressive() -> None:
    assert fee_by_pages(30) == 0
    assert fee_by_pages(31) == 10
    assert fee_by_pages(100) == 70 * 10
    assert fee_by_pages(150) == 70 * 10 + 50 * 20
    assert fee_by_pages(250) == 70 * 10 + 100 * 20 + 50 * 40


# --- the hand-computed cases (issue 14) ---------------------------------------------

def test_an_answer_after_the_due_date_is_late_on_any_day() -> None:
    # The case: due Friday 2023-04-28, answered on the Saturday after or in the May Day holiday.
    due = answer_deadline(App(date(2023, 3, 31))).due
    # Fri 3.31: 4.3–4.4 → 1..2, Qingming 4.5 off, 4.6–7 → 3..4, 4.10–14 → 5..9, 4.17–21 → 10..14,
    # Sun 4.23 (worked) → 15, 4.24–28 → 16..20: Fri 2023-04-28, as in the issue.
    assert due == date(2023, 4, 28)
    saturday = answer_deadline(App(date(2023, 3, 31), answered=date(2023, 4, 29)))
    assert (saturday.late_days, saturday.late_working_days) == (1, 0)
    assert len(saturday.warnings) == 1 and "超过答复期限1日（其中工作日0个）" in saturday.warnings[0].text
    # May Day 2023: 4.29–5.3 off, Sat 5.6 worked. Answered Wed 5.3: 5 calendar days, no working day.
    holiday = answer_deadline(App(date(2023, 3, 31), answered=date(2023, 5, 3)))
    assert (holiday.late_days, holiday.late_working_days) == (5, 0) and holiday.warnings
    # Answered Sat 5.6 (a worked Saturday): 8 days late; Thu 5.4, Fri 5.5 and Sat 5.6 were working days.
    worked = answer_deadline(App(date(2023, 3, 31), answered=date(2023, 5, 6)))
    assert (worked.late_days, worked.late_working_days) == (8, 3)
    on_time = answer_deadline(App(date(2023, 3, 31), answered=date(2023, 4, 28)))
    assert (on_time.late_days, on_time.warnings) == (0, ())


def test_the_payment_period_runs_from_the_day_after_the_notice_is_received() -> None:
    # Posted Mon 2025-08-11, signed for Thu 8.14: 8.15 → 1, 8.18–22 → 2..6, 8.25–29 → 7..11,
    # 9.1–5 → 12..16, 9.8–11 → 17..20: the applicant may pay until Thu 2025-09-11.
    posted = App(date(2025, 8, 1), fee_notice=date(2025, 8, 11), fee_notice_delivery="post",
                 fee_notice_received=date(2025, 8, 14))
    deadline = answer_deadline(posted)
    assert deadline.payment_due == date(2025, 9, 11)
    assert "2025-09-11" in deadline.explain() and "次日起20个工作日" in deadline.explain()
    # Not yet signed for: no payment deadline at all (so nothing is closed as unpaid).
    unsigned = answer_deadline(App(date(2025, 8, 1), fee_notice=date(2025, 8, 11), fee_notice_delivery="post"))
    assert unsigned.state == "awaiting_payment" and unsigned.payment_due is None
    # Paid on 9.10: within the period, no warning.
    paid = answer_deadline(App(date(2025, 8, 1), fee_notice=date(2025, 8, 11), fee_notice_delivery="post",
                               fee_notice_received=date(2025, 8, 14), fee_paid=date(2025, 9, 10)))
    assert paid.state == "running" and not paid.warnings


def test_a_fee_notice_of_zero_yuan_pauses_nothing_and_asks_for_no_payment() -> None:
    # A notice of 0 yuan stored by an older version (the applicant's 1st 件 of the month is free):
    # the clock runs from receipt as if there were no notice (Tue 9.2: 9.3–5 → 3, … 9.29 → 20).
    free = App(date(2025, 9, 2), channel="online", fee_method="pieces", fee_amount=0, fee_notice=date(2025, 9, 5),
               fee_notice_delivery="email")
    deadline = answer_deadline(free)
    assert deadline.state == "running" and deadline.due == date(2025, 9, 29)
    assert deadline.payment_due is None and payment_deadline(free) is None
    assert any("0元" in w.text and "109号第四条" in w.text for w in deadline.warnings)
    charged = App(date(2025, 9, 2), channel="online", fee_method="pieces", fee_amount=100,
                  fee_notice=date(2025, 9, 5), fee_notice_delivery="email")
    assert answer_deadline(charged).state == "awaiting_payment" and payment_deadline(charged) is not None


def test_consultation_time_not_counted_is_bounded_by_the_reply_limit() -> None:
    # Received Mon 2025-03-03, letter sent Mon 3.10, the third party replied Tue 5.6.
    # Its 15 working days: 3.11–14 → 4, 3.17–21 → 9, 3.24–28 → 14, 3.31 → 15. Clock: 3.4–7 → 1..4,
    # 3.10 → 5; 3.11–3.31 not counted; 4.1–3 → 6..8, Qingming 4.4 off, 4.7–11 → 9..13,
    # 4.14–18 → 14..18, 4.21–22 → 19..20: due Tue 2025-04-22 (the late reply does not move it).
    late_reply = App(date(2025, 3, 3), consult_sent=date(2025, 3, 10), consult_replied=date(2025, 5, 6))
    deadline = answer_deadline(late_reply)
    assert deadline.due == date(2025, 4, 22) and deadline.consultation_ends == date(2025, 3, 31)
    assert "未登记征求意见对象，按第三方计" in deadline.explain() and "第三十二条" in deadline.explain()
    # The same for an agency that made the information jointly (第三十四条).
    joint = answer_deadline(App(date(2025, 3, 3), consult_sent=date(2025, 3, 10), consult_replied=date(2025, 5, 6),
                                consult_party="co_producer"))
    assert joint.due == date(2025, 4, 22) and "第三十四条" in joint.explain()
    # Another agency has no statutory limit: the whole time until its reply is left out (第三十三条第三款).
    # Reply Tue 5.6: 5.7–9 → 6..8, 5.12–16 → 9..13, 5.19–23 → 14..18, 5.26–27 → 19..20.
    other = answer_deadline(App(date(2025, 3, 3), consult_sent=date(2025, 3, 10), consult_replied=date(2025, 5, 6),
                                consult_party="other_agency"))
    assert other.due == date(2025, 5, 27) and "第三十三条第三款" in other.explain()
    waiting = answer_deadline(App(date(2025, 3, 3), consult_sent=date(2025, 3, 10), consult_party="other_agency"))
    assert waiting.state == "awaiting_agency" and waiting.due is None
    # A reply within the limit: everything up to it is left out. Reply Fri 3.21:
    # 3.4–7 → 1..4, 3.10 → 5, 3.24–28 → 6..10, 3.31–4.3 → 11..14, 4.7–11 → 15..19, 4.14 → 20.
    early = answer_deadline(App(date(2025, 3, 3), consult_sent=date(2025, 3, 10), consult_replied=date(2025, 3, 21)))
    assert early.due == date(2025, 4, 14)


def test_receipt_on_a_non_working_day_is_a_warning_for_online_fax_and_in_person() -> None:
    saturday = date(2025, 3, 8)
    for channel in ("online", "fax", "in_person"):
        deadline = answer_deadline(App(saturday, channel=channel))
        assert len(deadline.warnings) == 1 and "第三十一条" in deadline.warnings[0].text
    assert not answer_deadline(App(saturday, channel="letter")).warnings  # signed for on a Saturday: possible
    assert not answer_deadline(App(date(2025, 3, 7), channel="online")).warnings
    # The public form's receipt is the confirmation date itself: no doubt about it.
    assert not answer_deadline(App(saturday, channel="online", receipt_number="GK-X")).warnings
    assert "第三十一条第（三）项" in answer_deadline(App(date(2025, 3, 7), channel="online")).explain()
    assert "第三十一条第（一）项" in answer_deadline(App(date(2025, 3, 7), channel="in_person")).explain()


def test_a_correction_received_after_its_deadline_is_a_warning() -> None:
    deadline = answer_deadline(App(date(2025, 3, 3), correction_notice=date(2025, 3, 5),
                                   correction_deadline=date(2025, 3, 14), correction_received=date(2025, 3, 18)))
    assert [w.text for w in deadline.warnings if "补正期限" in w.text]
