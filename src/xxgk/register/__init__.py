"""The agency's register of applications (``register``), and the annual report it produces.

Applications (依申请公开) with their deadlines on the official calendar, 信息处理费, reviews
and lawsuits, proactive disclosure counts; year-end carry-over; ledger import; and the
report built from it all. Tables live in the store's database (``schema.py``).
"""

from __future__ import annotations

from xxgk.register.api import DueItem, ImportResult, Register
from xxgk.register.build import build_report
from xxgk.register.deadlines import Deadline, answer_deadline
from xxgk.register.errors import CalendarError, RegisterError
from xxgk.register.model import Application, Case, ProactiveValue

__all__ = ["Application", "CalendarError", "Case", "Deadline", "DueItem", "ImportResult", "ProactiveValue",
           "Register", "RegisterError", "answer_deadline", "build_report"]
