"""信息处理费 under 国办函〔2020〕109号: 按件 or 按量 (one per application), both 超额累进.

按件计收 (第四条): per applicant and calendar month, the 1st–10th 件 are free, the 11th–30th
cost 100 元 each, and from the 31st every further band of 10 件 costs 100 元 more per 件
(31–40: 200 元, 41–50: 300 元, …). 按量计收 (第五条): per application, pages 1–30 free,
31–100 at 10 元, 101–200 at 20 元, from 201 at 40 元 per page. Unpaid within 20 working days
of the notice: the application is treated as abandoned (三(六)2).
"""

from __future__ import annotations

from typing import Literal

from xxgk.templates import statutory

FeeMethod = Literal["pieces", "pages"]
FEE_METHODS: dict[FeeMethod, str] = {"pieces": "按件计收", "pages": "按量计收"}
# The table 三 row an application lands in when the fee is not paid in time.
UNPAID_OUTCOME = "other.unpaid_fee"
# 按量计收 bands: (first page of the band, yuan per page).
_PAGE_BANDS = ((31, 10), (101, 20), (201, 40))


def _check_outcome() -> None:
    """Fail early if the declaration no longer has the row this module files unpaid applications in."""
    statutory().table_by_id("requests").row_by_id(UNPAID_OUTCOME)


_check_outcome()


def piece_rate(n: int) -> int:
    """Yuan charged for an applicant's n-th 件 in a calendar month (第四条)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * (2 + (n - 31) // 10)


def fee_by_pieces(earlier: int, pieces: int) -> int:
    """Yuan for ``pieces`` 件 when the applicant already had ``earlier`` 件 this month."""
    return sum(piece_rate(n) for n in range(earlier + 1, earlier + pieces + 1))


def fee_by_pages(pages: int) -> int:
    """Yuan for an application answered with ``pages`` pages (第五条)."""
    total = 0
    for i, (first, rate) in enumerate(_PAGE_BANDS):
        last = _PAGE_BANDS[i + 1][0] - 1 if i + 1 < len(_PAGE_BANDS) else pages
        if pages >= first:
            total += (min(pages, last) - first + 1) * rate
    return total


def free_fee_reason(method: str | None) -> str:
    """Why a fee comes to 0 yuan under the method, with its article (for messages)."""
    if method == "pages":
        return "依国办函〔2020〕109号第五条，按量计收时30页以内免费"
    return "依国办函〔2020〕109号第四条，按件计收时申请人每月的第1件至第10件免费"


def fee_for(method: FeeMethod, units: int, earlier_pieces: int = 0) -> int:
    """Yuan for one application: ``units`` 件 (with ``earlier_pieces`` this month) or pages."""
    return fee_by_pieces(earlier_pieces, units) if method == "pieces" else fee_by_pages(units)
