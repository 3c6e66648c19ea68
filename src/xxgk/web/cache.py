"""Checked reports kept for a while in memory, so that a result page can be downloaded or saved."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from xxgk.model import Report


@dataclass(frozen=True, slots=True)
class Checked:
    """A report checked on the web: the report, its document's text, what it was read from, and who may see it.

    Saving it stores these very reports (``parts``, and ``raw``, the bytes checked): nothing is read or fetched again.
    """

    report: Report
    text: str
    name: str
    raw: bytes | None  # the bytes checked (an upload, pasted text); None: read from a web address, or built
    url: str | None = None  # the web address it was read from
    # The roles that may see it (a report built from the register: its clerks); None: whoever holds the token.
    readers: frozenset[str] | None = None
    # Every report the document holds, as ingest reads them (a 汇编 several): what saving stores.
    parts: tuple[Report, ...] = ()

    @property
    def storable(self) -> bool:
        """Whether it came from a document (an upload, pasted text, a web address), not from the register."""
        return self.raw is not None or self.url is not None

    @property
    def size(self) -> int:
        return len(self.raw or b"") + 2 * len(self.text)


class CheckedCache:
    """A bounded, thread-safe map of random tokens to checked reports (oldest dropped first)."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self._entries = entries
        self._max_bytes = max_bytes
        self._items: OrderedDict[str, Checked] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, checked: Checked) -> str:
        """Keep a checked report; returns the token that names it."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = checked
            while len(self._items) > self._entries or (
                    len(self._items) > 1 and sum(c.size for c in self._items.values()) > self._max_bytes):
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> Checked | None:
        """The report kept under ``token``, if it is still kept."""
        with self._lock:
            found = self._items.get(token)
            if found is not None:
                self._items.move_to_end(token)
            return found
