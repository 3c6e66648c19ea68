"""Every report of a 汇编: a document may hold several reports, numbered by ``reports.part`` from 0.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every report stored so far is the first (only) of its document: part 0.
    with op.batch_alter_table("reports") as table:
        table.add_column(sa.Column("part", sa.Integer(), server_default="0", nullable=False))
        table.drop_constraint("uq_reports_document_id", type_="unique")
        table.create_unique_constraint(op.f("uq_reports_document_id_part"), ["document_id", "part"])


def downgrade() -> None:
    op.execute("DELETE FROM reports WHERE part > 0")
    with op.batch_alter_table("reports") as table:
        table.drop_constraint("uq_reports_document_id_part", type_="unique")
        table.create_unique_constraint(op.f("uq_reports_document_id"), ["document_id"])
        table.drop_column("part")
