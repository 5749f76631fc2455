"""Alembic environment: run against the connection the store hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from routerlens.history.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic -x url=... upgrade head` from a shell
    from sqlalchemy import create_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
