"""The recording's tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create them;
this module is what the code reads and writes through, and must match the newest migration
(``tests/test_history.py`` checks that an upgraded database has exactly these columns).

What is stored is what was observed:

* ``points``: one series value, keyed by (model, variant, provider, metric, percentile, bucket),
  with the route it came from and when it was fetched. ``value`` NULL means the source said
  "unknown" for that slot (a gap), never 0.
* ``changes``: a change log of specs and prices, a row only when a field's value differs from
  the last recorded one.
* ``passes``: one row per recorder pass (what it recorded, what failed and why).
* ``measurements`` (schema 0002): each playground answer the app measured: mode, the provider
  that served it, TTFT, tokens/s, tokens, cost. Never the prompt, the answer or the key.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, DateTime, Float, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

points = Table(
    "points", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model", String(200), nullable=False),
    # The permaslug (``canonical_slug``).
    Column("variant", String(40), nullable=False),
    Column("provider", String(200), nullable=False),
    # The endpoint id the source keys by, or a provider/app name; "" for model-level figures.
    Column("label", String(200), nullable=True),
    # The provider's display name when recorded.
    Column("metric", String(60), nullable=False),
    Column("percentile", String(8), nullable=False),
    # ``p50``..``p99``, or "" where the metric has none.
    Column("bucket", DateTime, nullable=False),
    # UTC start of the day or hour the value stands for (naive datetime, UTC).
    Column("value", Float, nullable=True),
    Column("samples", Integer, nullable=True),
    Column("source_route", String(400), nullable=False),
    Column("fetched_at", DateTime, nullable=False),
    UniqueConstraint("model", "variant", "provider", "metric", "percentile", "bucket", name="uq_points_key"),
)
Index("ix_points_series", points.c.model, points.c.variant, points.c.metric, points.c.percentile, points.c.bucket)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model", String(200), nullable=False),
    Column("variant", String(40), nullable=False),
    Column("provider", String(200), nullable=False),
    # "" for the model's own entry, else the endpoint's routing slug.
    Column("field", String(80), nullable=False),
    Column("value", Text, nullable=True),
    # JSON text of the new value; NULL when the source stopped listing the field.
    Column("observed_at", DateTime, nullable=False),
    Column("source_route", String(400), nullable=False),
)
# No unique key on changes: two real changes can happen within a second. Writers of one change set
# are serialised instead (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL), so a change is
# never logged twice.
Index("ix_changes_field", changes.c.model, changes.c.variant, changes.c.provider, changes.c.field, changes.c.observed_at)

passes = Table(
    "passes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("models", Text, nullable=False),
    Column("points", Integer, nullable=False, default=0),
    Column("changes", Integer, nullable=False, default=0),
    Column("failures", Text, nullable=True),
    # One line per route that failed, with the reason (no key, no prompt text).
)

measurements = Table(
    "measurements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finished_at", DateTime, nullable=False),
    Column("model", String(200), nullable=False),
    # The permaslug, like points.model; requested_model is the id as sent (with any :nitro etc.).
    Column("variant", String(40), nullable=False),
    Column("requested_model", String(220), nullable=False),
    Column("mode", String(40), nullable=False),
    Column("provider", String(200), nullable=True),
    Column("ttft_ms", Float, nullable=True),
    Column("total_ms", Float, nullable=True),
    Column("tokens_per_s", Float, nullable=True),
    Column("tokens_per_s_after_first", Float, nullable=True),
    Column("prompt_tokens", Integer, nullable=True),
    Column("completion_tokens", Integer, nullable=True),
    Column("cost_usd", String(40), nullable=True),
    Column("streamed", Boolean, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("generation_id", String(120), nullable=True),
    UniqueConstraint("generation_id", name="uq_measurements_generation"),
)
Index("ix_measurements_model", measurements.c.model, measurements.c.variant, measurements.c.finished_at)
