"""Reports keep the prints of their free text (shingles, MinHash signatures), computed by the ingest workers.

Reports stored before get theirs from their text when the copied-text index first loads them. An
index on (parsed_at, agency_id, year) lets that index see what changed without reading the reports.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


INDEX = "ix_reports_parsed_at_agency_id_year"


def upgrade() -> None:
    """Add ``reports.prints`` (NULL until computed) and the index the copied-text index polls."""
    op.add_column("reports", sa.Column("prints", sa.LargeBinary(), nullable=True))
    op.create_index(INDEX, "reports", ["parsed_at", "agency_id", "year"])


def downgrade() -> None:
    """Drop the index and ``reports.prints``."""
    op.drop_index(INDEX, table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("prints")
