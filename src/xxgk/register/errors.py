"""The register's one error type: a one-line message in Chinese, never holding personal data."""

from __future__ import annotations


class RegisterError(ValueError):
    """Input the register cannot accept. ``str(err)`` is Chinese and names fields, not their values."""


class CalendarError(RegisterError):
    """A date outside the years the installed holiday calendar covers."""
