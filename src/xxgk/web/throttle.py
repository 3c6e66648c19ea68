"""Failed sign-ins, counted per account and per client address: past a few, each further try waits longer.

After ``free`` failures (per account; more per address, where colleagues behind one NAT share
it) the key is locked for ``base`` seconds, doubling with every further failure up to ``cap``.
While a key is locked a sign-in is refused (HTTP 429) without the password being checked, so
guessing on regardless learns nothing. Failures are forgotten ``forget`` seconds after the last
one, and a successful sign-in clears its account and address. Memory is bounded: at most
``max_keys`` accounts and addresses each, the least recently failing dropped first.

Unknown account names are counted like real ones (the answer does not tell which names exist).
Behind a reverse proxy every request comes from the proxy's address unless uvicorn is told to
trust its ``X-Forwarded-For`` (``--proxy-headers --forwarded-allow-ips``); the address limit
then applies to all users together. The parameters are stated in docs/security.md.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    """Free failures, then a lock of ``base`` seconds doubling per failure up to ``cap``."""

    free: int
    base: float = 30.0
    cap: float = 900.0
    forget: float = 3600.0

    def lock_seconds(self, failures: int) -> float:
        """How long a key with this many failures is locked after the last of them."""
        if failures < self.free:
            return 0.0
        return float(min(self.cap, self.base * 2.0 ** min(failures - self.free, 30)))


@dataclass(slots=True)
class _Failures:
    count: int
    last: float


class _Counter:
    """Failures per key for one rule, bounded in size."""

    def __init__(self, rule: ThrottleRule, max_keys: int) -> None:
        self.rule = rule
        self.max_keys = max_keys
        self._keys: OrderedDict[str, _Failures] = OrderedDict()

    def wait(self, key: str, now: float) -> float:
        found = self._keys.get(key)
        if found is None:
            return 0.0
        if now - found.last > self.rule.forget:
            del self._keys[key]
            return 0.0
        return max(0.0, found.last + self.rule.lock_seconds(found.count) - now)

    def fail(self, key: str, now: float) -> None:
        found = self._keys.pop(key, None)
        if found is None or now - found.last > self.rule.forget:
            found = _Failures(0, now)
        found.count += 1
        found.last = now
        self._keys[key] = found
        while len(self._keys) > self.max_keys:
            self._keys.popitem(last=False)

    def clear(self, key: str) -> None:
        self._keys.pop(key, None)


class SignInThrottle:
    """Failed sign-ins per account name and per address (thread-safe, in memory, bounded)."""

    def __init__(self, account: ThrottleRule, address: ThrottleRule, max_keys: int = 10_000) -> None:
        self._accounts = _Counter(account, max_keys)
        self._addresses = _Counter(address, max_keys)
        self._lock = threading.Lock()

    def wait(self, name: str, address: str, now: float | None = None) -> int:
        """Whole seconds until this account may try from this address again (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            seconds = max(self._accounts.wait(_account(name), now), self._addresses.wait(address, now))
        return math.ceil(seconds - 1e-6)  # whole seconds, not 9 for 8.000000001

    def failed(self, name: str, address: str, now: float | None = None) -> None:
        """Count a failed sign-in."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._accounts.fail(_account(name), now)
            self._addresses.fail(address, now)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of this account and address."""
        with self._lock:
            self._accounts.clear(_account(name))
            self._addresses.clear(address)


def _account(name: str) -> str:
    """The key of an account name as sign-in compares it (bounded length)."""
    return name.strip()[:64]
