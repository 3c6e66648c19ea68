"""The store (``store``): many reports in a database, with their agencies, cells and findings.

SQLite by default (``./xxgk.db``, or ``XXGK_DATABASE_URL``), PostgreSQL by URL
(``postgresql+psycopg://…``). Tables in ``schema.py``, migrations (Alembic) in ``migrations/``,
applied automatically when a store is opened.
"""

from __future__ import annotations

from xxgk.store.api import FindingRow, ReportRow, Store
from xxgk.store.db import StoreError, database_url
from xxgk.store.ingest import Summary

__all__ = ["FindingRow", "ReportRow", "Store", "StoreError", "Summary", "database_url"]
