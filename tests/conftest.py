"""Shared test helpers: the real reports in tests/data and their hand-checked answers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# The same examples on every run (CI must not pass or fail by luck); HYPOTHESIS_PROFILE=explore searches anew.
hypothesis_settings.register_profile("xxgk", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "xxgk"))

# The end-to-end tests' browser and page fixtures (Chromium through Playwright, imported when used).
pytest_plugins = ("served",)

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"


def corpus_names() -> list[str]:
    return sorted(p.name[: -len(".expected.json")] for p in CORPUS.glob("*.expected.json"))


def expected(name: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return answer


def report_path(name: str) -> Path:
    return CORPUS / f"{name}.txt"


@pytest.fixture(autouse=True)
def calendar_as_packaged() -> Iterator[None]:
    """Imported holiday schedules are process-wide: every test starts and ends with chinese-calendar's alone."""
    from xxgk.register.calendar import use_schedules

    use_schedules([])
    yield
    use_schedules([])


@pytest.fixture(scope="session")
def parsed() -> dict[str, Any]:
    """Every corpus report parsed once per session, as contract JSON."""
    import xxgk

    return {name: xxgk.parse(report_path(name)).to_dict() for name in corpus_names()}


# The store's backends: SQLite always; PostgreSQL when XXGK_TEST_DATABASE_URL names a server
# (.ci/run starts one). Each test gets an empty database of its own, already migrated: a copy of one
# the migrations made once per test process (running the ten migrations for every test cost a
# minute of the suite). Opening it, the store finds the newest revision and has nothing to do.
STORE_BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store file, migrated to the newest schema."""
    from xxgk.db.engine import Database

    path = tmp_path_factory.mktemp("template") / "store.db"
    Database(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def _postgresql_template() -> Iterator[str | None]:
    """The name of an empty PostgreSQL database migrated to the newest schema (None: no server)."""
    import uuid

    server = os.environ.get("XXGK_TEST_DATABASE_URL")
    if not server:
        yield None
        return
    from sqlalchemy import create_engine, make_url, text

    from xxgk.db.engine import Database

    name = f"xxgk_tpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        Database(make_url(server).set(database=name).render_as_string(hide_password=False)).close()
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The URL of an empty store database, on each backend."""
    if request.param == "sqlite":
        import sqlite3

        path = tmp_path / "store.db"
        template = request.getfixturevalue("_sqlite_template")
        with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
            source.backup(target)  # a consistent copy, whatever the template's journal holds
        yield f"sqlite:///{path}"
        return
    import uuid

    server = os.environ.get("XXGK_TEST_DATABASE_URL")
    template = request.getfixturevalue("_postgresql_template")
    if not server or template is None:
        pytest.skip("PostgreSQL: set XXGK_TEST_DATABASE_URL (postgresql+psycopg://…) to run the store tests on it")
    from sqlalchemy import create_engine, make_url, text

    name = f"xxgk_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
