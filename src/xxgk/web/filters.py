"""Jinja filters: numbers and ratios as the pages print them."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from xxgk.register.model import china_time
from xxgk.register.privacy import mask_name
from xxgk.render.grid import format_value


def number(value: Any) -> str:
    """A count or amount, blank when missing (never 0 for a blank)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float):
        return format_value(value)
    return str(value)


def percent(value: Any) -> str:
    """A ratio as a percentage with one decimal, “—” when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value) * 100:.1f}%"


def signed(value: Any) -> str:
    """A change with its sign (+3, −2), blank when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = format_value(abs(value))
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"


FILTERS: dict[str, Callable[[Any], str]] = {"number": number, "percent": percent, "signed": signed,
                                             "mask_name": mask_name, "china_time": china_time}
