"""Alembic environment: run the migrations on the connection handed over on open (or on a URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

# Every table of the database joins the metadata when its module is imported.
from xxgk.db import register_schema, roster_schema, store_schema, web_schema  # noqa: F401
from xxgk.db.base import Base
from xxgk.db.engine import make_engine, migrating

config = context.config


def run_on(connection: Connection) -> None:
    """Run the pending migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run_on(given)
else:  # the alembic command line (developers): the URL from the config, else the usual default
    # The same transaction as on open: on SQLite, with foreign key actions off while tables are copied
    # (a plain connection has them on, and copying a table would delete the rows that refer to it).
    with migrating(make_engine(config.get_main_option("sqlalchemy.url"))) as conn:
        run_on(conn)
