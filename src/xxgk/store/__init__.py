"""The store (``store``): many reports in a database, with their agencies, cells and findings.

SQLite by default (``./xxgk.db``, or ``XXGK_DATABASE_URL``), PostgreSQL by URL
(``postgresql+psycopg://…``). The database lives in ``xxgk.db``: the store's tables in
``db/store_schema.py``, migrations (Alembic) in ``db/migrations/``, applied automatically when a store
is opened.
"""

from __future__ import annotations

from xxgk.db.engine import StoreError, database_url
from xxgk.store.api import FindingRow, ReportRow, Store
from xxgk.store.ingest import Summary

__all__ = ["FindingRow", "ReportRow", "Store", "StoreError", "Summary", "database_url"]
