"""The first schema: series points, the change log of specs and prices, recorder passes.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "points",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("variant", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("metric", sa.String(60), nullable=False),
        sa.Column("percentile", sa.String(8), nullable=False),
        sa.Column("bucket", sa.DateTime, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("samples", sa.Integer, nullable=True),
        sa.Column("source_route", sa.String(400), nullable=False),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("model", "variant", "provider", "metric", "percentile", "bucket", name="uq_points_key"),
    )
    op.create_index("ix_points_series", "points", ["model", "variant", "metric", "percentile", "bucket"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("variant", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("observed_at", sa.DateTime, nullable=False),
        sa.Column("source_route", sa.String(400), nullable=False),
    )
    op.create_index("ix_changes_field", "changes", ["model", "variant", "provider", "field", "observed_at"])
    op.create_table(
        "passes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("models", sa.Text, nullable=False),
        sa.Column("points", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failures", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("passes")
    op.drop_index("ix_changes_field", "changes")
    op.drop_table("changes")
    op.drop_index("ix_points_series", "points")
    op.drop_table("points")
