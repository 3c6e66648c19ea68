"""Row alignment's running maximum: worked out from a row's few raised entries, it is what the cell
by cell running maximum gives (parse/rows.py ``_running_max``)."""

from __future__ import annotations

import random
from itertools import accumulate

from xxgk.parse.rows import _running_max


def test_running_max_from_raised_entries_is_the_cell_by_cell_one() -> None:
    rng = random.Random(12)
    scores = (0.45, 0.85, 0.9, 0.95, 1.0, 1.004, 1.02)
    for _ in range(3000):
        line = list(accumulate((rng.choice((0.0, 0.0, *scores)) for _ in range(rng.randint(1, 14))), max))
        raised: dict[int, float] = {}
        for p in rng.sample(range(1, len(line)), min(len(line) - 1, rng.randint(0, 4))):
            value = line[p - 1] + rng.choice(scores)
            if value > line[p]:
                raised[p] = value
        expected = line[:]
        for p, value in raised.items():
            expected[p] = value
        assert _running_max(line, raised) == list(accumulate(expected, max)), (line, raised)


def test_all_hold_says_what_evaluating_every_instance_says() -> None:
    """``all_hold`` works the sums out itself: on tables of random numbers, with unknown cells and
    broken relations, it says what the outcomes of ``evaluate`` say."""
    from xxgk.templates import statutory
    from xxgk.templates.relations import all_hold, evaluate, instances

    rng = random.Random(5)
    held = broken = 0
    for table in statutory().tables:
        relations = statutory().relations_for(table.id)
        for template in table.templates:
            rows = table.rows_for(template)
            for _ in range(300):
                data = {r.id: {c.id: (None if rng.random() < 0.05 else rng.choice((0, 1, 2, 3)))
                               for c in table.row_columns(r, template)} for r in rows}
                expected = not any(out is not None and not out.holds
                                   for rel in relations for inst in instances(rel, data)
                                   if (out := evaluate(inst, data)) is not None)
                assert all_hold(relations, data) == expected
                held += expected
                broken += not expected
    assert held and broken
