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
# (.ci/run starts one). Each test gets an empty database of its own.
STORE_BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The URL of an empty store database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    import os
    import uuid

    server = os.environ.get("XXGK_TEST_DATABASE_URL")
    if not server:
        pytest.skip("PostgreSQL: set XXGK_TEST_DATABASE_URL (postgresql+psycopg://…) to run the store tests on it")
    from sqlalchemy import create_engine, make_url, text

    name = f"xxgk_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
