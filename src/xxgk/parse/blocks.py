"""Numbers printed apart from their row labels → the rows they belong to.

Text extracted from a PDF sometimes prints several rows' numbers as one block, column by
column (``1 0 0 … | 0 0 0 … | …``), with the labels elsewhere; or puts a row's numbers
before its label. A block is given back to rows only where the rows' own arithmetic
accepts exactly one reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Values = tuple[int | float, ...]
Consistent = Callable[[Values], bool]


def readings(values: Sequence[int | float], k: int, m: int, own_at: int) -> list[list[Values]]:
    """The ways ``m`` rows of ``k`` values can be laid out in ``values`` (m·k of them).

    ``own_at`` is the position in the block of the row whose label stood by the numbers:
    its own values may come row-wise at the start or end, the others column by column.
    """
    vals = tuple(values)
    out: list[list[Values]] = [
        [vals[i * k : (i + 1) * k] for i in range(m)],  # row by row
        [tuple(vals[c * m + i] for c in range(k)) for i in range(m)],  # column by column
    ]
    if m > 2 and own_at == 0:
        rest = vals[k:]
        out.append([vals[:k]] + [tuple(rest[c * (m - 1) + i] for c in range(k)) for i in range(m - 1)])
    if m > 2 and own_at == m - 1:
        rest = vals[: (m - 1) * k]
        out.append([tuple(rest[c * (m - 1) + i] for c in range(k)) for i in range(m - 1)] + [vals[-k:]])
    return out


def redistribute(values: Sequence[int | float], k: int, row: int, free: set[int], n_rows: int,
                 consistent: Consistent) -> dict[int, Values] | None:
    """Row index → values for a block of numbers found at ``row``, if one reading is certain.

    Every window of consecutive rows that holds ``row`` and otherwise only ``free`` rows is
    tried with every layout; the answer stands only if all consistent readings agree.
    """
    if k <= 0 or len(values) % k or len(values) // k < 2:
        return None
    m = len(values) // k
    answers: list[dict[int, Values]] = []
    for start in range(row - m + 1, row + 1):
        window = range(start, start + m)
        if start < 0 or start + m > n_rows or any(i != row and i not in free for i in window):
            continue
        for layout in readings(values, k, m, row - start):
            if all(consistent(v) for v in layout):
                answer = dict(zip(window, layout, strict=True))
                if answer not in answers:
                    answers.append(answer)
    return answers[0] if len(answers) == 1 else None
