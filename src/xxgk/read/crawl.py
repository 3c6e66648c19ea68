"""Polite downloading for a harvest of many sites: a rate per host, robots.txt, conditional requests, back-off.

Every request goes through ``Fetcher`` (so the fetch limits hold: no private addresses unless
allowed, size, time, redirects). On top of it:

- one host is asked at most ``rate`` times a second (its robots.txt ``Crawl-delay`` may slow that),
  one request at a time;
- robots.txt is read once per host and obeyed (RFC 9309: missing → everything allowed;
  unreachable → nothing is fetched from that host);
- an address fetched before is asked for with ``If-None-Match`` / ``If-Modified-Since``, and a
  304 answer is served from the cache: unchanged things are not downloaded again;
- a busy or failing server (429, 5xx, time-outs, dropped connections) is tried again after a
  pause that doubles each time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from xxgk.read.document import ReadError
from xxgk.read.fetch_http import (
    Fetched,
    Fetcher,
    FetchLimits,
    HTTPStatusError,
    PrivateAddressError,
    causes,
    shown,
)

ROBOTS_AGENT = "xxgk"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# robots.txt is small; a larger one is not read.
_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How politely to fetch: requests per second per host, tries, pauses, robots.txt, the fetch limits."""

    rate: float = 1.0
    retries: int = 2
    backoff: float = 2.0  # seconds before the first retry; doubled for each further one
    max_backoff: float = 60.0
    robots: bool = True
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this is capped
    limits: FetchLimits = field(default_factory=lambda: FetchLimits(allow_private=False, retries=0, deadline=120.0))


@dataclass(frozen=True, slots=True)
class Cached:
    """What the cache keeps of an address: its validators and its bytes as last downloaded."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    sha256: str
    body: bytes


class Cache(Protocol):
    """Where fetched resources are kept between harvests (the store's ``harvest_pages``)."""

    def get(self, url: str) -> Cached | None: ...

    def put(self, url: str, fetched: Fetched) -> Cached: ...

    def touch(self, url: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Resource:
    """A fetched address: its bytes (downloaded now, or from the cache when the server said unchanged)."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes
    sha256: str
    downloaded: bool  # False: a 304 answer, served from the cache


@dataclass(slots=True)
class Tally:
    """Requests made (robots.txt, retries and 304s included) and bodies downloaded, for one body's harvest."""

    requests: int = 0
    downloads: int = 0


class _Host:
    """One host: its turn (a lock held for the whole request), when it may be asked next, its robots.txt."""

    def __init__(self, interval: float) -> None:
        self.lock = threading.Lock()
        self.interval = interval
        self.next_at = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.refusal: str | None = None  # why nothing may be fetched from this host


class Crawler:
    """Fetches addresses politely (see the module's docstring); thread-safe."""

    def __init__(self, settings: CrawlSettings, cache: Cache, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.cache = cache
        self._sleep = sleep
        self._clock = clock  # with ``sleep``, what a test replaces to see the pauses without waiting for them
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str, tally: Tally | None = None, max_bytes: int | None = None) -> Resource:
        """The resource at ``url`` (ReadError in Chinese when it cannot be had or robots.txt forbids it)."""
        tally = tally if tally is not None else Tally()
        host = self._host(url)
        with host.lock:
            self._robots(url, host, tally)
            if host.refusal is not None:
                raise ReadError(host.refusal)
            if host.robots is not None and not host.robots.can_fetch(ROBOTS_AGENT, url):
                raise ReadError(f"网站的 robots.txt 不允许访问：{shown(url)}")
            return self._get(url, host, tally, max_bytes)

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(1.0 / self.settings.rate if self.settings.rate > 0 else 0.0)
            return self._hosts[key]

    def _robots(self, url: str, host: _Host, tally: Tally) -> None:
        """Read the host's robots.txt on first contact (holding its turn)."""
        if not self.settings.robots or host.robots is not None or host.refusal is not None:
            return
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            found = self._get(robots_url, host, tally, _ROBOTS_BYTES)
            parser.parse(found.body.decode("utf-8", errors="replace").splitlines())
        except HTTPStatusError as err:
            if err.status >= 500:
                host.refusal = f"无法读取网站的 robots.txt（HTTP {err.status}），按规范暂不访问该网站：{shown(url)}"
                return
            parser.parse([])  # 4xx: no robots.txt, everything allowed
        except PrivateAddressError:
            host.refusal = (f"不允许访问内网或本机地址：{shown(url)}（默认不访问内网和本机地址；"
                            "确是要采集的网站时加 --allow-private）")
            return
        except ReadError as err:
            # The site does not answer (refused, timed out, no such name): say that, not that robots.txt is the matter.
            host.refusal = (f"网站无法访问：{str(err).replace(shown(robots_url), shown(url))}" if _unreachable(err)
                            else f"无法读取网站的 robots.txt，按规范暂不访问该网站：{err}")
            return
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay is not None:
            host.interval = max(host.interval, min(float(delay), self.settings.max_crawl_delay))
        host.robots = parser

    def _get(self, url: str, host: _Host, tally: Tally, max_bytes: int | None) -> Resource:
        """One address, conditional when cached, retried with back-off; the host's turn is held."""
        cached = self.cache.get(url)
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        pause = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            self._wait_turn(host)
            tally.requests += 1
            try:
                with Fetcher(self.settings.limits) as fetcher:
                    fetched = fetcher.get(url, max_bytes=max_bytes, headers=headers or None)
            except ReadError as err:
                if attempt < self.settings.retries and _worth_retrying(err):
                    self._sleep(min(pause, self.settings.max_backoff))
                    pause *= 2
                    continue
                raise
            if fetched.status == 304 and cached is not None:
                self.cache.touch(url)
                return Resource(url, cached.final_url, cached.media_type, cached.charset, cached.body, cached.sha256,
                                downloaded=False)
            tally.downloads += 1
            kept = self.cache.put(url, dataclasses.replace(fetched, status=200))
            return Resource(url, kept.final_url, kept.media_type, kept.charset, kept.body, kept.sha256, downloaded=True)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_turn(self, host: _Host) -> None:
        """Sleep until the host may be asked again, and book the next turn."""
        wait = host.next_at - self._clock()
        if wait > 0:
            self._sleep(wait)
        host.next_at = self._clock() + host.interval


def _unreachable(err: ReadError) -> bool:
    """Whether a failure is the host's not answering at all (refused, timed out, unknown name)."""
    return any(isinstance(cause, socket.gaierror | httpx.TimeoutException | httpx.ConnectError)
               for cause in causes(err))


def _worth_retrying(err: ReadError) -> bool:
    """A busy server, a time-out or a dropped connection; not a 404, a refused address or a bad name."""
    if isinstance(err, HTTPStatusError):
        return err.status in _RETRY_STATUS
    for cause in causes(err):
        if isinstance(cause, socket.gaierror):
            return False
        if isinstance(cause, httpx.TooManyRedirects):
            return False
        if isinstance(cause, httpx.TimeoutException | httpx.ConnectError | httpx.RemoteProtocolError
                      | httpx.ReadError | httpx.WriteError):
            return True
    return False


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
