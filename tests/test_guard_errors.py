"""Errors come back from a watched process as what they are: a reader's error stays a ReadError with its message."""

from __future__ import annotations

import pytest

from xxgk.guard import Limits, WatchedPool
from xxgk.read import ReadError
from xxgk.read.fetch_http import HTTPStatusError


class _Picky(ReadError):
    """A reader's error whose constructor takes more than the message (pickle cannot rebuild it)."""

    def __init__(self, code: int, where: str) -> None:
        super().__init__(f"读取失败（{code}）：{where}")


def raise_picky() -> None:
    raise _Picky(7, "第 3 页")


def raise_status() -> None:
    raise HTTPStatusError(404, "https://example.invalid/a.html")


def raise_bug() -> None:
    raise KeyError("x")


def test_a_readers_error_keeps_its_kind_and_message() -> None:
    with WatchedPool(Limits(seconds=60)) as pool:
        with pytest.raises(ReadError, match=r"读取失败（7）：第 3 页"):
            pool.run(raise_picky)
        with pytest.raises(HTTPStatusError) as caught:
            pool.run(raise_status)
        assert caught.value.status == 404 and "404" in str(caught.value)
        with pytest.raises(KeyError):  # a picklable error comes back as itself
            pool.run(raise_bug)
