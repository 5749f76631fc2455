"""The throwaway PostgreSQL fixtures (tests/postgres.py) work: a real server on 127.0.0.1 only,
a fresh database per test, and databases that do not see each other."""

from __future__ import annotations

import pytest

from tests.postgres import NOT_FOUND, find_bindir, fresh_database


def _engine(url: str):
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    return sa.create_engine(url, poolclass=NullPool)


def test_fresh_database_round_trip(postgres_db):
    import sqlalchemy as sa

    assert postgres_db.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = _engine(postgres_db)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT version()")).scalar_one().startswith("PostgreSQL ")
            assert conn.execute(sa.text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
            # Fresh: no tables of ours yet.
            assert conn.execute(sa.text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).scalar_one() == 0
            conn.execute(sa.text("CREATE TABLE runs (id serial PRIMARY KEY, model text NOT NULL, cost numeric)"))
            conn.execute(sa.text("INSERT INTO runs (model, cost) VALUES (:m, :c)"), {"m": "openai/gpt-x", "c": 0.25})
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, model, cost FROM runs")).all()
        assert [(r.id, r.model, float(r.cost)) for r in rows] == [(1, "openai/gpt-x", 0.25)]
    finally:
        engine.dispose()


@pytest.fixture
def second_db(postgres_url):
    """A second fresh database in the same test (postgres_db gives one per test)."""
    with fresh_database(postgres_url) as url:
        yield url


def test_databases_are_isolated(postgres_db, second_db):
    import sqlalchemy as sa

    assert postgres_db != second_db
    first, second = _engine(postgres_db), _engine(second_db)
    try:
        with first.begin() as conn:
            conn.execute(sa.text("CREATE TABLE only_here (x int)"))
            conn.execute(sa.text("INSERT INTO only_here VALUES (1)"))
        with second.connect() as conn:
            assert conn.execute(sa.text("SELECT to_regclass('public.only_here')")).scalar_one() is None
        with second.begin() as conn:  # the same name is free in the other database
            conn.execute(sa.text("CREATE TABLE only_here (x int)"))
            assert conn.execute(sa.text("SELECT count(*) FROM only_here")).scalar_one() == 0
        with first.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM only_here")).scalar_one() == 1
    finally:
        first.dispose()
        second.dispose()


def test_missing_binaries_are_reported_not_guessed(tmp_path):
    # An override that lacks initdb/pg_ctl means "no PostgreSQL", never a fallback elsewhere.
    assert find_bindir(str(tmp_path / "nonexistent")) is None
    assert find_bindir(str(tmp_path)) is None
    assert "install Debian's postgresql package" in NOT_FOUND
