"""Opening the store's database for a command: Chinese errors and exit status 2, closed afterwards.

A command that only reads (``list``, ``stats``, ``grade`` …) opens a database that exists: opening a
missing SQLite file would create an empty one and answer "no reports" about it, when the user meant
another file or mistyped the variable that names it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from xxgk.db.engine import Database

EXIT_UNUSABLE = 2
D = TypeVar("D", bound="Database")


@contextmanager
def opened(open_db: Callable[[str | None], D], url: str | None,
           errors: tuple[type[Exception], ...] = (), *, existing: bool = False) -> Iterator[D]:
    """The database ``open_db(url)`` makes; its errors (and ``errors``) end the command with exit 2.

    ``existing``: a missing SQLite file is an error naming it (for commands that only read), not a new database.
    """
    from xxgk.store import StoreError

    if existing:
        must_exist(url)
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


def missing_file(url: str | None) -> Path | None:
    """The SQLite file the database location names, when that file does not exist (else None)."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    from xxgk.db.engine import database_url

    try:
        parsed = make_url(database_url(url))
    except ArgumentError:
        return None  # opening it says what is wrong
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    path = Path(database).expanduser().absolute()
    return None if path.exists() else path


def must_exist(url: str | None) -> None:
    """End the command (exit 2) when the database to read is an SQLite file that does not exist, saying where
    its location came from and how to make one."""
    from xxgk.db.engine import ENV_URL

    path = missing_file(url)
    if path is None:
        return
    source = ("--db" if url else f"环境变量 {ENV_URL}" if os.environ.get(ENV_URL)
              else f"默认：当前文件夹的 xxgk.db；可用 --db 或环境变量 {ENV_URL} 指定")
    named = f" --db {url}" if url else ""
    sys.stderr.write(f"错误：数据库不存在：{path}（{source}）。先用 xxgk ingest 报告文件或文件夹{named} 读入报告"
                     f"（或用 xxgk roster import 名录文件{named} 导入名录），即建立数据库；或指定已有的数据库\n")
    raise typer.Exit(EXIT_UNUSABLE)


def _fail(err: Exception) -> NoReturn:
    sys.stderr.write(f"错误：{str(err).rstrip()}\n")
    raise typer.Exit(EXIT_UNUSABLE) from err
