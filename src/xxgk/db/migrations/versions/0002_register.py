"""The register: applications, reviews and lawsuits, proactive counts (``xxgk.db.register_schema``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The models these tables follow join the metadata only when imported; importing them
# here keeps ``alembic check`` (models against migrations) complete whatever was imported before.
import xxgk.db.register_schema  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the register's tables."""
    op.create_table(
        "register_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("applicant_type", sa.String(32), nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("applicant_contact", sa.String(200), nullable=True),
        sa.Column("applicant_id_number", sa.String(64), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("correction_notice", sa.Date(), nullable=True),
        sa.Column("correction_deadline", sa.Date(), nullable=True),
        sa.Column("correction_received", sa.Date(), nullable=True),
        sa.Column("consult_sent", sa.Date(), nullable=True),
        sa.Column("consult_replied", sa.Date(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=True),
        sa.Column("extension_approved", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("fee_method", sa.String(16), nullable=True),
        sa.Column("fee_units", sa.Integer(), nullable=True),
        sa.Column("fee_amount", sa.Integer(), nullable=True),
        sa.Column("fee_notice", sa.Date(), nullable=True),
        sa.Column("fee_paid", sa.Date(), nullable=True),
        sa.Column("answered", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_applications")),
        sa.UniqueConstraint("reference", name=op.f("uq_register_applications_reference")),
    )
    op.create_index(op.f("ix_register_applications_received"), "register_applications", ["received"])
    op.create_index(op.f("ix_register_applications_answered"), "register_applications", ["answered"])
    op.create_index("ix_register_applications_applicant_name_received", "register_applications",
                    ["applicant_name", "received"])
    op.create_table(
        "register_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("filed", sa.Date(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("result", sa.String(16), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["register_applications.id"],
                                name=op.f("fk_register_cases_application_id_register_applications"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_register_cases_reference")),
    )
    op.create_index(op.f("ix_register_cases_filed"), "register_cases", ["filed"])
    op.create_index(op.f("ix_register_cases_application_id"), "register_cases", ["application_id"])
    op.create_table(
        "register_proactive",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.String(64), nullable=False),
        sa.Column("column_id", sa.String(32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        sa.PrimaryKeyConstraint("year", "row_id", "column_id", name=op.f("pk_register_proactive")),
    )


def downgrade() -> None:
    """Drop the register's tables."""
    for table in ("register_proactive", "register_cases", "register_applications"):
        op.drop_table(table)
