"""The reviewer's tables (``xxgk.db.roster_schema``): roster, report ownership, harvest, a loaded region table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xxgk.db.base import JsonType

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the roster, ownership, harvest and region-table tables."""
    op.create_table(
        "region_divisions",
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_region_divisions")),
    )
    op.create_table(
        "region_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_tables")),
    )
    op.create_table(
        "roster_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("column_url", sa.Text(), nullable=True),
        sa.Column("aliases", JsonType, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["roster_bodies.id"], ondelete="SET NULL",
                                name=op.f("fk_roster_bodies_parent_id_roster_bodies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_bodies")),
        sa.UniqueConstraint("key", "region_code", name=op.f("uq_roster_bodies_key_region_code")),
    )
    op.create_index(op.f("ix_roster_bodies_key"), "roster_bodies", ["key"])
    op.create_index(op.f("ix_roster_bodies_region_code"), "roster_bodies", ["region_code"])
    op.create_table(
        "roster_reports",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("linked_at", _STAMP, nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE",
                                name=op.f("fk_roster_reports_report_id_reports")),
        sa.ForeignKeyConstraint(["body_id"], ["roster_bodies.id"], ondelete="CASCADE",
                                name=op.f("fk_roster_reports_body_id_roster_bodies")),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_roster_reports")),
    )
    op.create_index(op.f("ix_roster_reports_body_id"), "roster_reports", ["body_id"])
    op.create_table(
        "harvest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("options", JsonType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", _STAMP, nullable=False),
        sa.Column("finished_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_runs")),
    )
    op.create_index(op.f("ix_harvest_runs_year"), "harvest_runs", ["year"])
    op.create_table(
        "harvest_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("report_url", sa.Text(), nullable=True),
        sa.Column("urls", JsonType, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("checked_at", _STAMP, nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["roster_bodies.id"], ondelete="CASCADE",
                                name=op.f("fk_harvest_results_body_id_roster_bodies")),
        sa.ForeignKeyConstraint(["run_id"], ["harvest_runs.id"], ondelete="CASCADE",
                                name=op.f("fk_harvest_results_run_id_harvest_runs")),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL",
                                name=op.f("fk_harvest_results_report_id_reports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_results")),
        sa.UniqueConstraint("body_id", "year", name=op.f("uq_harvest_results_body_id_year")),
    )
    op.create_index(op.f("ix_harvest_results_run_id"), "harvest_results", ["run_id"])
    op.create_table(
        "harvest_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_hash", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("charset", sa.String(40), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(64), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("fetched_at", _STAMP, nullable=False),
        sa.Column("checked_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_pages")),
    )
    op.create_index("ix_harvest_pages_url_hash", "harvest_pages", ["url_hash"], unique=True)


def downgrade() -> None:
    for table in ("harvest_pages", "harvest_results", "harvest_runs", "roster_reports", "roster_bodies",
                  "region_tables", "region_divisions"):
        op.drop_table(table)
