"""Migrations on a database that already holds data: nothing stored is lost or unlinked on the way to the head.

SQLite alters a table by copying it and dropping the old one; with foreign keys on, that drop deletes (or
unlinks) every row that refers to the table. These tests fill a database at an older revision and upgrade it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from xxgk.db.engine import alembic_config, make_engine, migrating, upgrade


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


def _application_with_a_case(conn: Connection, applicant_type: str) -> None:
    """Application 7 and the review case 1 that refers to it (the type's id as the revision spells it)."""
    conn.execute(text(
        "INSERT INTO register_applications (id, received, channel, applicant_type, applicant_name, request,"
        f" created_at, updated_at) VALUES (7, '2025-03-03', 'online', '{applicant_type}', '张三', '某文件',"
        " '2025-03-03 00:00:00', '2025-03-03 00:00:00')"))
    conn.execute(text(
        "INSERT INTO register_cases (id, kind, filed, application_id, created_at, updated_at)"
        " VALUES (1, 'review', '2025-05-06', 7, '2025-05-06 00:00:00', '2025-05-06 00:00:00')"))


def test_register_cases_stay_linked_when_applications_are_rebuilt(tmp_path: Path) -> None:
    # 0006 rebuilds register_applications; register_cases.application_id refers to it (ON DELETE SET NULL).
    url = _at(tmp_path / "old.db", "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        _application_with_a_case(conn, "natural")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT application_id FROM register_cases WHERE id = 1")).scalar_one() == 7
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1  # back on for the store's own work
    engine.dispose()


def test_reports_keep_their_cells_and_findings_when_parts_are_added(tmp_path: Path) -> None:
    # 0011 rebuilds reports; cells and findings refer to it (ON DELETE CASCADE), ingest items (SET NULL).
    url = _at(tmp_path / "old.db", "0010")
    engine = make_engine(url)
    now = "'2025-03-03 00:00:00'"
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO documents (id, sha256, name, origin, format, size, created_at)"
                          f" VALUES (1, 'ab', 'a.txt', '/a.txt', 'text', 3, {now})"))
        conn.execute(text(f"INSERT INTO reports (id, document_id, parser_version, data, errors, warnings, infos,"
                          f" parsed_at) VALUES (5, 1, '1', '{{}}', 0, 0, 1, {now})"))
        conn.execute(text("INSERT INTO cells VALUES (5, 'requests', 'new_received', 'total', 12)"))
        conn.execute(text("INSERT INTO findings (report_id, scope, rule, severity, location, message)"
                          " VALUES (5, 'report', 'PARSE-CELL-BLANK', 'info', 'requests', '空')"))
        conn.execute(text(f"INSERT INTO ingest_runs (id, started_at, status, sources, parser_version, ok, skipped,"
                          f" failed) VALUES (1, {now}, 'completed', '[]', '1', 1, 0, 0)"))
        conn.execute(text(f"INSERT INTO ingest_items (run_id, source, status, report_id, processed_at)"
                          f" VALUES (1, '/a.txt', 'ok', 5, {now})"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT part FROM reports WHERE id = 5")).scalar_one() == 0
        assert conn.execute(text("SELECT value FROM cells WHERE report_id = 5")).scalar_one() == 12
        assert conn.execute(text("SELECT count(*) FROM findings WHERE report_id = 5")).scalar_one() == 1
        assert conn.execute(text("SELECT report_id FROM ingest_items")).scalar_one() == 5
    engine.dispose()


def test_applications_gain_their_void_state_and_keep_their_cases_both_ways(tmp_path: Path) -> None:
    # 0012 adds the 作废 columns in place; its downgrade rebuilds register_applications, which the cases refer to.
    from alembic import command

    url = _at(tmp_path / "old.db", "0011")
    engine = make_engine(url)
    with engine.begin() as conn:
        _application_with_a_case(conn, "natural_person")
    upgrade(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT voided_at, voided_by, void_reason FROM register_applications")).one()
        assert tuple(row) == (None, None, None)
        assert conn.execute(text("SELECT application_id FROM register_cases WHERE id = 1")).scalar_one() == 7
        conn.execute(text("INSERT INTO register_void_events (application_id, action, at, by, reason)"
                          " VALUES (7, 'void', '2025-06-01 00:00:00', '张三（网页）', '误登记')"))
    with migrating(engine) as conn:  # as the store migrates: SQLite's foreign key actions off while tables are copied
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT application_id FROM register_cases WHERE id = 1")).scalar_one() == 7
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(register_applications)"))}
        assert "voided_at" not in columns and "applicant_name" in columns
    engine.dispose()


def test_the_alembic_command_line_keeps_rows_that_refer_to_a_copied_table(tmp_path: Path) -> None:
    """Run as developers run it (a URL in the config, no connection handed over): foreign key actions off on SQLite too."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        _application_with_a_case(conn, "natural_person")
    engine.dispose()
    command.downgrade(alembic_config(url), "0011")  # copies register_applications without its void columns
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT application_id FROM register_cases WHERE id = 1")).scalar_one() == 7
    engine.dispose()


def test_harvest_results_keep_their_rows_and_a_resumed_harvest_reads_them(tmp_path: Path) -> None:
    # 0013 adds what a harvest's download saw (the list's date, what was not downloaded and why) in place: the results
    # of earlier runs stay, with nothing kept, and an interrupted run of before the upgrade resumes on them.
    from alembic import command

    from xxgk.store.harvest import HarvestOptions, harvest

    url = _at(tmp_path / "old.db", "0012")
    engine = make_engine(url)
    now = "'2025-03-03 00:00:00'"
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO roster_bodies (id, name, key, level, region_code, column_url, aliases,"
                          f" created_at, updated_at) VALUES (3, '重庆市武隆区财政局', '重庆市武隆区财政局', 'department',"
                          f" '500156', 'http://example.invalid/czj/', '[]', {now}, {now})"))
        conn.execute(text(f"INSERT INTO harvest_runs (id, year, options, status, started_at)"
                          f" VALUES (1, 2024, '{{}}', 'interrupted', {now})"))
        conn.execute(text(f"INSERT INTO harvest_results (body_id, year, run_id, status, reason, urls, requests,"
                          f" downloads, checked_at) VALUES (3, 2024, 1, 'not_found', '年报栏目中没有找到', '[]', 2, 2, {now})"))
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT status, reason, listed, missed, missed_images FROM harvest_results")).one()
        assert tuple(row) == ("not_found", "年报栏目中没有找到", None, None, None)
    resumed = harvest(engine, HarvestOptions(year=2024)).outcomes  # settled by the interrupted run: not visited
    assert [(o.status, o.resumed, o.listed, o.missed, o.missed_images) for o in resumed] == [
        ("not_found", True, None, {}, {})]
    with migrating(engine) as conn:  # as the store migrates: harvest_results is copied without the columns
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM harvest_results")).scalar_one() == "not_found"
        assert "listed" not in {r[1] for r in conn.execute(text("PRAGMA table_info(harvest_results)"))}
    engine.dispose()
