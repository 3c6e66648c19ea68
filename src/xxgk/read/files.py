"""The bytes of a file named by a user: regular files only, read within a size limit.

Links are followed, then whatever was opened is checked with ``fstat``: a device (a link to
``/dev/zero`` named ``x.txt``), a FIFO (which would block the open), a socket or a folder is
refused, and the answer cannot change between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xxgk.read.document import ReadError

MB = 1024 * 1024


def regular_file_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (after links), at most ``limit`` of them; ReadError in Chinese otherwise."""
    shown = shown_path(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; on a regular file it changes nothing.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError, ValueError) as err:  # ValueError: NUL in the path
        raise ReadError(f"找不到文件：{shown}") from err
    except IsADirectoryError as err:
        raise ReadError(f"不是文件：{shown}") from err
    except OSError as err:
        raise ReadError(f"无法读取文件：{shown}（{err.strerror or err}）") from err
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
        os.close(fd)
        if stat.S_ISDIR(status.st_mode):
            raise ReadError(f"不是文件：{shown}")
        if not stat.S_ISREG(status.st_mode):
            raise ReadError(f"不是普通文件（设备、管道或指向它们的链接），已拒绝读取：{shown}")
        raise ReadError(f"文件过大（超过 {limit // MB} MB）：{shown}")
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as err:
            raise ReadError(f"无法读取文件：{shown}（{err.strerror or err}）") from err
    if len(raw) > limit:  # it grew while being read
        raise ReadError(f"文件过大（超过 {limit // MB} MB）：{shown}")
    return raw


def is_regular_file(path: Path) -> bool:
    """Whether a path names a regular file once links are followed (not a device, FIFO, socket or folder)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def shown_path(path: Path) -> str:
    """A path fit for a one-line message (no newlines, not too long)."""
    text = " ".join(str(path).split())
    return text if len(text) <= 200 else text[:200] + "…"
