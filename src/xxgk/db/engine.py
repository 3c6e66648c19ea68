"""Connecting to the database: its URL, engine settings per backend, migrating to head on open.

The store, the register and the web application's users share the one database (``xxgk.db``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

DEFAULT_URL = "sqlite:///./xxgk.db"
ENV_URL = "XXGK_DATABASE_URL"
# SQLite: how long a writer waits for another one before giving up (ms).
BUSY_TIMEOUT_MS = 60_000
# SQLite: the page cache of a connection (KiB; the default 2 MB makes inserts into large indexes re-read pages).
CACHE_KIB = 64 * 1024
# SQLite: WAL pages before a checkpoint copies them into the database (default 1000): an ingest batch writes
# more than that, and index pages rewritten by several batches are copied once per checkpoint, not per batch.
WAL_PAGES = 16384
# Any fixed number: PostgreSQL sessions migrating the same database take turns on it.
_MIGRATION_LOCK = 0x78786B67


class JsonText(str):
    """JSON already serialised (by a worker process): stored as is, not serialised again."""


def dumps(value: Any) -> str:
    """The engines' JSON serialiser: UTF-8 text (not ``\\uXXXX``), and ``JsonText`` passed through."""
    return str(value) if isinstance(value, JsonText) else json.dumps(value, ensure_ascii=False)


class StoreError(Exception):
    """The store cannot be opened or used. ``str(err)`` is a one-line message in Chinese."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else ``XXGK_DATABASE_URL``, else ``./xxgk.db``.

    A plain file path (``reports.db``, ``/data/xxgk.db``) names an SQLite file: people type the file they mean.
    """
    text = url or os.environ.get(ENV_URL) or DEFAULT_URL
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


def shown_url(url: str | URL) -> str:
    """Turn a database URL into text fit for messages (password hidden)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url)


def make_engine(url: str | None = None, *, pooled: bool = False) -> Engine:
    """Turn a database URL into an engine, with SQLite set up for one writer and many readers.

    An SQLite file is opened afresh for each use unless ``pooled`` (a long-running server, where
    opening it, with its PRAGMAs, and closing it would cost more than most requests' queries).
    """
    text = database_url(url)
    try:
        parsed = make_url(text)
    except ArgumentError as err:
        raise StoreError(f"数据库地址无法识别：{text}（应为文件路径、sqlite:///路径 或 postgresql+psycopg://…）") from err
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, pooled)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # psycopg 3 is what the postgres extra installs
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True, json_serializer=dumps)
        except ImportError as err:
            raise StoreError("使用 PostgreSQL 需要安装 psycopg：pip install 'xxgk[postgres]'") from err
    raise StoreError(f"不支持的数据库：{parsed.get_backend_name()}（支持 SQLite 和 PostgreSQL）")


def _sqlite_engine(url: URL, pooled: bool = False) -> Engine:
    """An SQLite engine: WAL, foreign keys, a busy timeout, and real transactions (BEGIN, not autocommit DDL)."""
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"数据库所在文件夹不存在：{folder}")
    memory = not database or database == ":memory:"
    if memory:
        engine = create_engine(url, json_serializer=dumps)
    elif pooled:  # as many connections as the server has worker threads (anyio's default: 40)
        engine = create_engine(url, pool_size=8, max_overflow=32, json_serializer=dumps)
    else:
        engine = create_engine(url, poolclass=NullPool, json_serializer=dumps)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers ask for IMMEDIATE so that they wait for each other instead of failing.
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction: committed at the end, rolled back on error."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest migration (creating the tables in an empty one)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = _script().get_current_head()
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return
            if current is not None and not _known_revision(current):
                raise StoreError(f"数据库由较新版本的 xxgk 创建（结构版本 {current}），请升级 xxgk：{shown_url(engine.url)}")
        with migrating(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except StoreError:
        raise
    except SQLAlchemyError as err:
        raise StoreError(f"无法打开数据库：{shown_url(engine.url)}（{_reason(err)}）") from err


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """The migrations' write transaction; on SQLite with foreign key actions off until it ends.

    SQLite alters a table by copying it and dropping the old one, and dropping a table with foreign keys on
    deletes (or unlinks) every row that refers to it: the rows of other tables would be lost on the way.
    The pragma has no effect inside a transaction, so it is set before, and the keys are checked at the end.
    """
    if engine.dialect.name != "sqlite":
        with writing(engine) as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(sqlite_begin="IMMEDIATE").begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise StoreError(f"数据库升级后外键不一致（表 {broken[0]}），已撤销升级：{shown_url(engine.url)}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def alembic_config(url: str | None = None) -> Any:
    """A programmatic Alembic config pointing at the migrations shipped in this package (no alembic.ini)."""
    from alembic.config import Config

    config = Config(stdout=sys.stdout)  # today's stdout: Config's default is the one when alembic was imported
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _known_revision(revision: str) -> bool:
    """Whether a revision found in a database is one of the migrations shipped here."""
    from alembic.util import CommandError

    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


@cache
def _script() -> Any:
    """The migration scripts (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def _reason(err: SQLAlchemyError) -> str:
    """The first line of the driver's own message, after what it means in Chinese when it is a usual one."""
    orig = getattr(err, "orig", None) or err
    line = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    for pattern, meaning in _USUAL_FAILURES:
        found = pattern.search(line)
        if found:
            return f"{meaning.format(*found.groups())}；{line}"
    return line


# libpq's connection failures carry no SQLSTATE, only the server's words (English unless it speaks another
# language, in which case the line is shown as it is).
_USUAL_FAILURES = (
    (re.compile(r'database "([^"]+)" does not exist'), "数据库 {0} 不存在，请先创建（如 createdb {0}）或改正地址中的库名"),
    (re.compile(r'role "([^"]+)" does not exist'), "数据库用户 {0} 不存在"),
    (re.compile(r"password authentication failed|no password supplied"), "数据库用户名或密码不正确"),
    (re.compile(r"Connection refused|could not translate host name|timeout expired|No route to host"),
     "无法连接数据库服务器：请确认服务器已启动，地址和端口正确"),
)


class Database:
    """An open database (SQLite file or PostgreSQL), migrated to the newest schema on open.

    The base of ``Store`` and ``Register``: both live in the same database, either on its own
    URL or sharing an engine.
    """

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine(url)
        upgrade(self.engine)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return shown_url(self.engine.url)
