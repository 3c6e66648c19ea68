"""Applications can be voided (作废) and restored: the state on ``register_applications``, every change in ``register_void_events``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns only: SQLite adds them in place, without copying the table the cases refer to.
    op.add_column("register_applications", sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("register_applications", sa.Column("voided_by", sa.String(100), nullable=True))
    op.add_column("register_applications", sa.Column("void_reason", sa.Text(), nullable=True))
    op.create_table(
        "register_void_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["register_applications.id"],
                                name=op.f("fk_register_void_events_application_id_register_applications"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_void_events")),
    )
    op.create_index(op.f("ix_register_void_events_application_id"), "register_void_events", ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_register_void_events_application_id"), table_name="register_void_events")
    op.drop_table("register_void_events")
    with op.batch_alter_table("register_applications") as table:
        table.drop_column("void_reason")
        table.drop_column("voided_by")
        table.drop_column("voided_at")
