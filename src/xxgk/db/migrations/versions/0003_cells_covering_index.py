"""The cells index covers the value: ``xxgk stats`` sums cells from the index without reading the table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD = "ix_cells_table_id_row_id_column_id"
NEW = "ix_cells_table_id_row_id_column_id_report_id_value"


def upgrade() -> None:
    """Replace the (table, row, column) index by one that also holds the report and the value."""
    op.create_index(NEW, "cells", ["table_id", "row_id", "column_id", "report_id", "value"])
    op.drop_index(OLD, table_name="cells")


def downgrade() -> None:
    """Back to the (table, row, column) index."""
    op.create_index(OLD, "cells", ["table_id", "row_id", "column_id"])
    op.drop_index(NEW, table_name="cells")
