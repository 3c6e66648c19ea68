"""Opening the store's database for a command: Chinese errors and exit status 2, closed afterwards."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from xxgk.db.engine import Database

EXIT_UNUSABLE = 2
D = TypeVar("D", bound="Database")


@contextmanager
def opened(open_db: Callable[[str | None], D], url: str | None,
           errors: tuple[type[Exception], ...] = ()) -> Iterator[D]:
    """The database ``open_db(url)`` makes; its errors (and ``errors``) end the command with exit 2."""
    from xxgk.store import StoreError

    try:
        db = open_db(url)
    except StoreError as err:
        _fail(err)
    caught: tuple[type[Exception], ...] = (StoreError, *errors)
    try:
        yield db
    except caught as err:
        _fail(err)
    finally:
        db.close()


def _fail(err: Exception) -> NoReturn:
    sys.stderr.write(f"错误：{str(err).rstrip()}\n")
    raise typer.Exit(EXIT_UNUSABLE) from err
