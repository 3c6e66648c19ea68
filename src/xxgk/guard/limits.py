"""How far one untrusted document may go, and the typed errors for a document that went further.

The limits are validated settings with declared defaults (``Limits()``), read from the
environment by ``Limits.from_environment`` so that scripts and services can change them
without code. Every error is a ``ReadError``: whoever already shows a reader's Chinese message
shows these too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from xxgk.read.document import ReadError

ENV_SECONDS = "XXGK_READ_SECONDS"
ENV_MEMORY = "XXGK_READ_MEMORY_MB"
ENV_TRUSTED = "XXGK_TRUSTED"

# Above the readers' own budgets (a PDF's 60 s of pages, 120 s of OCR, 90 s of LibreOffice),
# so that those stop first and say what they left out; this one is the wall nothing gets past.
DEFAULT_SECONDS = 240.0
# OCR (ONNX Runtime) peaks near 700 MB of data on a full-page scan; pdfminer far less.
DEFAULT_MEMORY_MB = 2048
MAX_SECONDS = 24 * 3600.0
MIN_MEMORY_MB = 256
MAX_MEMORY_MB = 1024 * 1024


class LimitsError(ValueError):
    """A limit given out of its range (``str(err)`` in Chinese)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The wall-clock time and memory one document may take to read, parse and check.

    ``trusted``: read in the calling process, without limits (faster for files one trusts;
    a hostile file can then hang or exhaust the caller).
    """

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    trusted: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, int | float) \
                or not 0 < self.seconds <= MAX_SECONDS:
            raise LimitsError(f"读取时间上限应在 0 到 {MAX_SECONDS:g} 秒之间：{self.seconds!r}")
        if isinstance(self.memory_mb, bool) or not isinstance(self.memory_mb, int) \
                or not MIN_MEMORY_MB <= self.memory_mb <= MAX_MEMORY_MB:
            raise LimitsError(f"读取内存上限应为 {MIN_MEMORY_MB} 到 {MAX_MEMORY_MB} 之间的整数（MB）：{self.memory_mb!r}")
        if not isinstance(self.trusted, bool):
            raise LimitsError(f"trusted 应为 True 或 False：{self.trusted!r}")

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024

    @property
    def cpu_seconds(self) -> int:
        """The CPU-time backstop: enough for every core busy until the wall-clock limit, and a little more.

        The parent kills at the wall-clock limit; this one ends a child whose parent was stopped
        (Ctrl-Z, a debugger) before it could.
        """
        return int(self.seconds * max(os.cpu_count() or 1, 1)) + 10

    def but(self, **changes: Any) -> Limits:
        """These limits with some changed (validated again)."""
        return replace(self, **changes)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None, **defaults: Any) -> Limits:
        """The limits set by ``XXGK_READ_SECONDS``, ``XXGK_READ_MEMORY_MB`` and ``XXGK_TRUSTED``.

        ``defaults`` replace the declared defaults for what the environment leaves unset (the
        web application's shorter time, say).
        """
        env = os.environ if environ is None else environ
        known = {f.name for f in fields(cls)}
        unknown = set(defaults) - known
        if unknown:
            raise TypeError(f"unknown limits: {sorted(unknown)}")
        values = dict(defaults)
        if (text := env.get(ENV_SECONDS, "").strip()):
            values["seconds"] = _number(ENV_SECONDS, text, float)
        if (text := env.get(ENV_MEMORY, "").strip()):
            values["memory_mb"] = _number(ENV_MEMORY, text, int)
        if (text := env.get(ENV_TRUSTED, "").strip()):
            if text.lower() not in ("0", "1", "true", "false", "yes", "no"):
                raise LimitsError(f"环境变量 {ENV_TRUSTED} 应为 1 或 0：{text}")
            values["trusted"] = text.lower() in ("1", "true", "yes")
        return cls(**values)


def _number(name: str, text: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise LimitsError(f"环境变量 {name} 应为{'整数' if kind is int else '数字'}：{text}") from None


class ReadTimeout(ReadError):
    """The document was still being read at the wall-clock limit: its process was killed."""


class MemoryExceeded(ReadError):
    """Reading the document needed more memory than the limit."""


class ReaderCrashed(ReadError):
    """The process reading the document ended abnormally (a crash in a native library)."""


class Busy(ReadError):
    """Too many documents are waiting to be read: try again later."""


class Stopped(ReadError):
    """The reading was stopped by the caller (the client left) or the pool was closed."""


def timeout_message(seconds: float, label: str) -> str:
    return f"读取超时（超过 {seconds:g} 秒），已停止读取：{label}" if label else f"读取超时（超过 {seconds:g} 秒），已停止读取"


def memory_message(memory_mb: int, label: str) -> str:
    return f"内存超限（超过 {memory_mb} MB），已停止读取：{label}" if label else f"内存超限（超过 {memory_mb} MB），已停止读取"
