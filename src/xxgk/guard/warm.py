"""Imported by the fork server of the watched processes: the package loaded and one report parsed.

Every child is forked from it, so none pays again for the imports and the first-use work (the
statutory declaration, the rules, compiled patterns) before its document's time starts.
"""

from __future__ import annotations

import contextlib

import xxgk
import xxgk.check  # loaded on a report's first check otherwise
from xxgk.templates import statutory

# A skeleton report: a title and the statutory headings (from the declaration, never spelled here).
_SAMPLE = "\n".join(["某县人民政府2023年政府信息公开工作年度报告", *(s.heading for s in statutory().sections)])

# Only a head start: the fork server must come up whatever the parser makes of the sample.
with contextlib.suppress(Exception):
    xxgk.parse_text(_SAMPLE, "warm.txt")
