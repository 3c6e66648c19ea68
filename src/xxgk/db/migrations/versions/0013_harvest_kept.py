"""A harvest keeps what its download saw for the storing: the list's date and why an attachment or image was not had.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xxgk.db.base import JsonType

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns only: SQLite adds them in place. Rows of earlier runs keep NULL (nothing was kept then).
    op.add_column("harvest_results", sa.Column("listed", sa.String(10), nullable=True))
    op.add_column("harvest_results", sa.Column("missed", JsonType, nullable=True))
    op.add_column("harvest_results", sa.Column("missed_images", JsonType, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("harvest_results") as table:
        table.drop_column("missed_images")
        table.drop_column("missed")
        table.drop_column("listed")
