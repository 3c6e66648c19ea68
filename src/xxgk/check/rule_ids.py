"""Rule ids as people type them (command line, web filters): any case, each checked against the registry.

A typo must not match nothing silently: an id no rule has is an ``UnknownRule`` naming the known
ids closest to it, which the command line and the pages say in their own words.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from xxgk.check.rules import RULES

CLOSE_RULES = 5  # an unknown rule id names at most this many known ones


class UnknownRule(ValueError):
    """A rule id no rule has; ``str(err)`` is Chinese and names the closest known ids (``closest``)."""

    def __init__(self, given: str, closest: list[str]) -> None:
        shown = f"；相近的规则：{'、'.join(closest)}" if closest else ""
        super().__init__(f"没有这条规则：{given}{shown}")
        self.given = given
        self.closest = closest


def rule_ids(given: Iterable[str]) -> tuple[str, ...]:
    """The rule ids in the registry's spelling whatever their case, each once, in the order given; UnknownRule at
    the first id no rule has."""
    out: list[str] = []
    for value in given:
        wanted = value.strip().upper()
        if wanted not in RULES:
            raise UnknownRule(value.strip(), closest_rules(wanted))
        out.append(wanted)
    return tuple(dict.fromkeys(out))


def closest_rules(wanted: str) -> list[str]:
    """The known ids with ``wanted`` as whole parts (``LATE``: TIME-LATE, not FORM-TEMPLATE-YEAR), then those
    spelt like it; at most CLOSE_RULES."""
    known = list(RULES)
    near = [k for k in known if wanted and f"-{wanted}-" in f"-{k}-"]
    near += difflib.get_close_matches(wanted, known, n=CLOSE_RULES, cutoff=0.6)
    return list(dict.fromkeys(near))[:CLOSE_RULES]
