"""The register's law: receipt and notice details, consultation party, the public form, the office's settings.

Columns on ``register_applications``: the applicant's ID type and address, the form and way the
information is wanted in (条例第二十九条), the public form's receipt number, whom a consultation
letter went to (第三十二条、第三十四条), how and when a fee notice reached the applicant
(国办函〔2020〕109号). Table ``register_settings``: the office's particulars for its letters.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import xxgk.db.register_schema  # noqa: F401  (see 0002)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("applicant_id_type", sa.String(32)),
    ("applicant_address", sa.String(500)),
    ("info_form", sa.String(16)),
    ("delivery", sa.String(16)),
    ("receipt_number", sa.String(40)),
    ("consult_party", sa.String(16)),
    ("fee_notice_delivery", sa.String(16)),
    ("fee_notice_received", sa.Date()),
)


def upgrade() -> None:
    """Add the columns and the settings table."""
    with op.batch_alter_table("register_applications") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
        batch.create_unique_constraint(op.f("uq_register_applications_receipt_number"), ["receipt_number"])
    op.create_table(
        "register_settings",
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_register_settings")),
    )


def downgrade() -> None:
    op.drop_table("register_settings")
    with op.batch_alter_table("register_applications") as batch:
        batch.drop_constraint(op.f("uq_register_applications_receipt_number"), type_="unique")
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
