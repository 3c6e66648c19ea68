"""How often one address may do something: a sliding window per client address, in memory.

For the public pages (the application form and the status look-up), where nobody signs in.
Behind a reverse proxy every request comes from the proxy's address; the limit then applies to
all visitors together (safe, if strict) unless the proxy passes the client's address on to uvicorn
(``--proxy-headers --forwarded-allow-ips``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

from fastapi import HTTPException, Request


class RateLimiter:
    """At most ``limit`` events per ``seconds`` per key; the least recently seen keys are forgotten first."""

    def __init__(self, limit: int, seconds: float, max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count an event for ``key`` if it is within the limit; False (not counted) when it is not."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and events[0] <= now - self.seconds:
                events.popleft()
            allowed = len(events) < self.limit
            if allowed:
                events.append(now)
            self._events[key] = events
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
            return allowed


def client_address(request: Request) -> str:
    """The address the request came from (as uvicorn saw it)."""
    return request.client.host if request.client is not None else "unknown"


def limit(request: Request, limiter: RateLimiter, what: str) -> None:
    """Refuse (429) the request when its address has done ``what`` too often lately."""
    if not limiter.allow(client_address(request)):
        minutes = max(1, round(limiter.seconds / 60))
        raise HTTPException(429, f"{what}过于频繁：同一地址每 {minutes} 分钟最多 {limiter.limit} 次，请稍后再试")
