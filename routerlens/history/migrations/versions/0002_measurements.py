"""Your own measurements: each playground answer the app measured (no prompt text, no key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("variant", sa.String(40), nullable=False),
        sa.Column("requested_model", sa.String(220), nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(200), nullable=True),
        sa.Column("ttft_ms", sa.Float, nullable=True),
        sa.Column("total_ms", sa.Float, nullable=True),
        sa.Column("tokens_per_s", sa.Float, nullable=True),
        sa.Column("tokens_per_s_after_first", sa.Float, nullable=True),
        sa.Column("prompt_tokens", sa.Integer, nullable=True),
        sa.Column("completion_tokens", sa.Integer, nullable=True),
        sa.Column("cost_usd", sa.String(40), nullable=True),
        sa.Column("streamed", sa.Boolean, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("generation_id", sa.String(120), nullable=True),
        sa.UniqueConstraint("generation_id", name="uq_measurements_generation"),
    )
    op.create_index("ix_measurements_model", "measurements", ["model", "variant", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_measurements_model", "measurements")
    op.drop_table("measurements")
