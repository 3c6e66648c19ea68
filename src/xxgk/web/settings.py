"""What an administrator chooses when starting the web application."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xxgk.guard import Limits
from xxgk.read.fetch_http import FetchLimits
from xxgk.register.public import china_today
from xxgk.web.throttle import ThrottleRule

MB = 1024 * 1024


def _secret_from_environment() -> str:
    """The session signing key: ``XXGK_SECRET_KEY``, else a random one (sessions end at restart)."""
    return os.environ.get("XXGK_SECRET_KEY") or secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Settings:
    """The database, who may see the collection, the session key and the limits on what users send."""

    db_url: str | None = None
    # Public: anyone may browse the collection; private: only signed-in users.
    public_collection: bool = True
    secret_key: str = field(default_factory=_secret_from_environment)
    # Cookies only over HTTPS (set behind a TLS proxy; off for http://127.0.0.1).
    https_only: bool = False
    session_hours: int = 8
    max_upload_bytes: int = 20 * MB
    # A JSON body (the register's API): far less than a document.
    max_json_bytes: int = 1 * MB
    max_text_chars: int = 2_000_000
    # Addresses users type are fetched from the server: never its own network (SSRF).
    fetch_limits: FetchLimits = field(default_factory=lambda: FetchLimits(allow_private=False, deadline=60.0))
    # What users send is read in watched processes (docs/security.md): this many at once, each within
    # these limits (XXGK_READ_SECONDS, XXGK_READ_MEMORY_MB; never in the server's own process), and
    # at most ``read_queue`` more waiting; beyond that, "try again later".
    read_limits: Limits = field(default_factory=lambda: Limits.from_environment(seconds=120.0).but(trusted=False))
    read_workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 1))
    read_queue: int = 16
    # Checked reports kept in memory for downloads and saving (count, total bytes).
    cache_entries: int = 64
    cache_bytes: int = 256 * MB
    # The public application form (no sign-in): per address, (how many, per how many seconds).
    apply_limit: tuple[int, int] = (5, 3600)  # applications confirmed
    apply_preview_limit: tuple[int, int] = (30, 3600)  # forms checked before confirming
    status_limit: tuple[int, int] = (30, 600)  # status look-ups by receipt number
    # The day an application confirmed now is received (China's date; tests fix it).
    today: Callable[[], date] = china_today
    # Failed sign-ins (docs/security.md): per account 5 free, then locks of 30 s doubling up to 15 min;
    # per client address 20 free (colleagues may share one), then the same.
    sign_in_account: ThrottleRule = field(default_factory=lambda: ThrottleRule(free=5))
    sign_in_address: ThrottleRule = field(default_factory=lambda: ThrottleRule(free=20))
