"""Migrations on a database that already holds data: nothing stored is lost or unlinked on the way to the head.

SQLite alters a table by copying it and dropping the old one; with foreign keys on, that drop deletes (or
unlinks) every row that refers to the table. These tests fill a database at an older revision and upgrade it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from xxgk.db.engine import alembic_config, make_engine, upgrade


def _at(path: Path, revision: str) -> str:
    """A new SQLite database at ``revision``; its URL."""
    from alembic import command

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
    return url


def test_register_cases_stay_linked_when_applications_are_rebuilt(tmp_path: Path) -> None:
    # 0006 rebuilds register_applications; register_cases.application_id refers to it (ON DELETE SET NULL).
    url = _at(tmp_path / "old.db", "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO register_applications (id, received, channel, applicant_type, applicant_name, request,"
            " created_at, updated_at) VALUES (7, '2025-03-03', 'online', 'natural', '张三', '某文件',"
            " '2025-03-03 00:00:00', '2025-03-03 00:00:00')"))
        conn.execute(text(
            "INSERT INTO register_cases (id, kind, filed, application_id, created_at, updated_at)"
            " VALUES (1, 'review', '2025-05-06', 7, '2025-05-06 00:00:00', '2025-05-06 00:00:00')"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT application_id FROM register_cases WHERE id = 1")).scalar_one() == 7
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1  # back on for the store's own work
    engine.dispose()

