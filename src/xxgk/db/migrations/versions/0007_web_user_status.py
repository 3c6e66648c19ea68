"""Web users can be disabled, and their sessions ended (``xxgk users disable``, ``xxgk users passwd``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("web_users", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("web_users", sa.Column("session_generation", sa.Integer(), server_default=sa.text("0"),
                                         nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("web_users") as table:
        table.drop_column("session_generation")
        table.drop_column("disabled_at")
