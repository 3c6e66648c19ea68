"""Initial schema: agencies, documents, reports, cells, findings, ingest runs.

Revision ID: 0001
Revises: none
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of the store."""
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("level_reason", sa.Text(), nullable=True),
        sa.Column("province", sa.String(40), nullable=True),
        sa.Column("province_code", sa.String(6), nullable=True),
        sa.Column("city", sa.String(40), nullable=True),
        sa.Column("city_code", sa.String(6), nullable=True),
        sa.Column("county", sa.String(40), nullable=True),
        sa.Column("county_code", sa.String(6), nullable=True),
        sa.Column("region_overridden", sa.Boolean(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("key", name=op.f("uq_agencies_key")),
    )
    for column in ("city_code", "county_code", "level", "province_code"):
        op.create_index(op.f(f"ix_agencies_{column}"), "agencies", [column])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", NOW, nullable=False),
        sa.Column("finished_at", NOW, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sources", JSON, nullable=False),
        sa.Column("parser_version", sa.String(40), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    op.create_table(
        "region_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("province", sa.String(40), nullable=True),
        sa.Column("province_code", sa.String(6), nullable=True),
        sa.Column("city", sa.String(40), nullable=True),
        sa.Column("city_code", sa.String(6), nullable=True),
        sa.Column("county", sa.String(40), nullable=True),
        sa.Column("county_code", sa.String(6), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_overrides")),
        sa.UniqueConstraint("key", name=op.f("uq_region_overrides_key")),
    )
    op.create_table(
        "agency_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_agency_names_agency_id_agencies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_names")),
        sa.UniqueConstraint("name", name=op.f("uq_agency_names_name")),
    )
    op.create_index(op.f("ix_agency_names_agency_id"), "agency_names", ["agency_id"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("agency_name", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("template", sa.String(8), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("parser_version", sa.String(40), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
        sa.Column("parsed_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_reports_agency_id_agencies"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_reports_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("document_id", name=op.f("uq_reports_document_id")),
    )
    op.create_index("ix_reports_agency_id_year", "reports", ["agency_id", "year"])
    op.create_index(op.f("ix_reports_parser_version"), "reports", ["parser_version"])
    op.create_index(op.f("ix_reports_year"), "reports", ["year"])

    op.create_table(
        "cells",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.String(32), nullable=False),
        sa.Column("row_id", sa.String(64), nullable=False),
        sa.Column("column_id", sa.String(32), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_cells_report_id_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "table_id", "row_id", "column_id", name=op.f("pk_cells")),
    )
    op.create_index("ix_cells_table_id_row_id_column_id", "cells", ["table_id", "row_id", "column_id"])

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("related_report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["related_report_id"], ["reports.id"],
                                name=op.f("fk_findings_related_report_id_reports"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_findings_report_id_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_report_id"), "findings", ["report_id"])
    op.create_index(op.f("ix_findings_rule"), "findings", ["rule"])
    op.create_index("ix_findings_scope_rule", "findings", ["scope", "rule"])

    op.create_table(
        "ingest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("mtime", sa.Float(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_ingest_items_report_id_reports"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["ingest_runs.id"], name=op.f("fk_ingest_items_run_id_ingest_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_items")),
    )
    op.create_index(op.f("ix_ingest_items_run_id"), "ingest_items", ["run_id"])
    op.create_index("ix_ingest_items_source", "ingest_items", ["source"])


def downgrade() -> None:
    """Drop every table of the store."""
    for table in ("ingest_items", "findings", "cells", "reports", "agency_names", "region_overrides",
                  "ingest_runs", "documents", "agencies"):
        op.drop_table(table)
