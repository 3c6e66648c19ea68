"""Memos of pure functions of the declaration's own objects (a table, a row, a tuple of them), by identity."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def by_identity(make: Callable[[K], V], limit: int = 1024) -> Callable[[K], V]:
    """``make`` remembered by its argument's ``id``: the templates hand out the same objects every time.

    Hashing a tuple of rows (their labels and all) on every call costs as much as the work spared; an
    identity costs nothing. The argument is kept beside its answer, so its id is never reused while
    remembered; objects made on the fly (tests) empty the memo when ``limit`` of them are held.
    """
    kept: dict[int, tuple[K, V]] = {}

    def remembered(obj: K) -> V:
        found = kept.get(id(obj))
        if found is None or found[0] is not obj:
            if len(kept) >= limit:
                kept.clear()
            found = kept[id(obj)] = (obj, make(obj))
        return found[1]

    update_wrapper(remembered, make)
    return remembered
