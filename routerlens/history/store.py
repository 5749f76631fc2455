"""The recording's database: SQLite embedded by default, PostgreSQL for shared use, same code.

* Chosen by a SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://user:pass@host/db``)
  from ``ROUTERLENS_HISTORY_URL`` or Streamlit's ``[connections.history] url`` secret; by default a
  SQLite file in the user's data directory (never inside the package).
* Schema changes go through Alembic (``migrations/``): :meth:`HistoryStore.upgrade` brings any
  database to the newest schema without losing rows.
* Every write is one transaction. Points are upserted on their natural key, so re-running a pass
  or two recorders at once never duplicate a point; a NULL never overwrites a known value.
  Change-log rows are written only when a field's value differs from the last recorded one.
* SQLite runs in WAL mode with a busy timeout, so a reader and a writer (or two writers) wait for
  each other instead of failing with "database is locked".
* A reader (the app) opens the database read-only and never creates or migrates it: a missing,
  locked, unreadable or unreachable database raises :class:`HistoryError`, which the data
  service treats like any failed source.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from .config import default_url, history_url  # noqa: F401  (re-exported)
from .schema import changes, measurements, passes, points

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_S = 3
BUSY_TIMEOUT_MS = 5000
READ_BUSY_TIMEOUT_MS = 1000
"""A page waits at most this long for a writer's lock before the recording counts as failed."""


_UPGRADE_LOCK = threading.Lock()


class HistoryError(Exception):
    """The recording cannot be used right now, in words a user can act on."""


@dataclass(frozen=True)
class Point:
    model: str
    variant: str
    provider: str
    metric: str
    percentile: str
    bucket: dt.datetime
    value: float | None
    samples: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class Measurement:
    """One playground answer as this app measured it (no prompt, no answer text, no key)."""

    finished_at: dt.datetime
    model: str
    variant: str
    requested_model: str
    mode: str
    provider: str | None
    ttft_ms: float | None
    total_ms: float | None
    tokens_per_s: float | None
    tokens_per_s_after_first: float | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: str | None
    streamed: bool
    ok: bool
    generation_id: str | None = None

    @property
    def bucket(self) -> dt.datetime:
        return self.finished_at


@dataclass(frozen=True)
class Change:
    model: str
    variant: str
    provider: str
    field: str
    value: Any
    observed_at: dt.datetime
    source_route: str

    @property
    def bucket(self) -> dt.datetime:
        return self.observed_at


def describe(url: str) -> str:
    """The URL without a password, for messages and badges."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unreadable URL is described, not raised
        return "an unreadable database URL"
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return parsed.render_as_string(hide_password=True)


class HistoryStore:
    """One database. ``readonly=True`` (the app) never creates, migrates or writes."""

    def __init__(self, url: str, *, readonly: bool = False):
        self.url = url
        self.readonly = readonly
        self._engine: Engine | None = None

    # -- connecting -----------------------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = make_url(self.url).database if self.is_sqlite else None
        return Path(database) if database and database != ":memory:" else None

    def describe(self) -> str:
        return describe(self.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def _make_engine(self) -> Engine:
        url = make_url(self.url)
        if self.is_sqlite:
            path = self.sqlite_path
            if path is not None:
                if self.readonly:
                    if not path.exists():
                        raise HistoryError(f"no recording at {path}")
                    url = url.set(database=f"file:{path}?mode=ro", query={**url.query, "uri": "true"})
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
            busy = READ_BUSY_TIMEOUT_MS if self.readonly else BUSY_TIMEOUT_MS
            engine = create_engine(url, connect_args={"timeout": busy / 1000, "check_same_thread": False})
            _sqlite_setup(engine, wal=not self.readonly, busy_ms=busy)
            return engine
        if url.get_backend_name() == "postgresql":
            return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
        return create_engine(url, pool_pre_ping=True)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- schema ---------------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> None:
        """Create or migrate the schema with Alembic (never run by a read-only store)."""
        if self.readonly:
            raise HistoryError("a read-only recording is never migrated")
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # Alembic's context is process-global (one upgrade at a time per process), and a writer's
        # transaction (BEGIN IMMEDIATE / an advisory lock) keeps two processes from migrating at once.
        try:
            with _UPGRADE_LOCK, self._writer().begin() as connection:
                _serialise(connection, "routerlens-history-upgrade")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self._connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def _connect(self):
        try:
            return self.engine.connect()
        except HistoryError:
            raise
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    def _writer(self):
        if self.readonly:
            raise HistoryError("this recording is open read-only")
        return self.engine.execution_options(routerlens_write=True)

    # -- writing --------------------------------------------------------------------------------

    def write_points(self, rows: Iterable[Point], *, source_route: str, fetched_at: dt.datetime) -> int:
        """Upsert ``rows`` in one transaction (all or nothing). Returns how many were written."""
        return self.write_points_and_changes(rows, [], source_route=source_route, fetched_at=fetched_at)[0]

    def write_changes(self, model: str, variant: str, provider: str, fields: Mapping[str, Any], *,
                      source_route: str, observed_at: dt.datetime) -> int:
        """Log the fields whose value differs from the last one recorded for (model, variant, provider)."""
        return self.write_change_sets([(model, variant, provider, fields)], source_route=source_route,
                                      observed_at=observed_at)

    def write_change_sets(self, sets: Iterable[tuple[str, str, str, Mapping[str, Any]]], *, source_route: str,
                          observed_at: dt.datetime) -> int:
        """Several (model, variant, provider, fields) change sets in one transaction."""
        return self.write_points_and_changes([], sets, source_route=source_route, fetched_at=observed_at)[1]

    def write_points_and_changes(self, rows: Iterable[Point], sets: Iterable[tuple[str, str, str, Mapping[str, Any]]],
                                 *, source_route: str, fetched_at: dt.datetime) -> tuple[int, int]:
        """Everything one route contributed, in ONE transaction: points upserted on their key (a
        NULL never overwrites a known value), and a change-log row for each field whose value
        differs from the last recorded one. Concurrent writers of the same change set queue."""
        values = [{"model": p.model, "variant": p.variant, "provider": p.provider, "label": p.label,
                   "metric": p.metric, "percentile": p.percentile, "bucket": _naive(p.bucket), "value": p.value,
                   "samples": p.samples, "source_route": source_route, "fetched_at": _naive(fetched_at)}
                  for p in rows]
        sets = list(sets)
        if not values and not sets:
            return 0, 0
        when = _naive(fetched_at).replace(microsecond=0)
        logged = 0
        try:
            with self._writer().begin() as connection:
                insert = _insert_for(connection)
                if values:
                    statement = insert(points)
                    connection.execute(statement.on_conflict_do_update(
                        index_elements=["model", "variant", "provider", "metric", "percentile", "bucket"],
                        set_={"value": func.coalesce(statement.excluded.value, points.c.value),
                              "samples": func.coalesce(statement.excluded.samples, points.c.samples),
                              "label": func.coalesce(statement.excluded.label, points.c.label),
                              "source_route": statement.excluded.source_route,
                              "fetched_at": statement.excluded.fetched_at}), values)
                for model, variant, provider, fields in sets:
                    _serialise(connection, f"changes|{model}|{variant}|{provider}")
                    latest = _latest_values(connection, model, variant, provider)
                    new = [{"model": model, "variant": variant, "provider": provider, "field": name, "value": encoded,
                            "observed_at": when, "source_route": source_route}
                           for name, value in sorted(fields.items())
                           if (encoded := _encode(value)) != latest.get(name, _NEVER)
                           and (name in latest or encoded is not None)]
                    if new:
                        connection.execute(changes.insert(), new)
                        logged += len(new)
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return len(values), logged

    def start_pass(self, models: list[str], started_at: dt.datetime) -> int:
        try:
            with self._writer().begin() as connection:
                result = connection.execute(passes.insert().values(
                    started_at=_naive(started_at), models=", ".join(models), points=0, changes=0))
                return int(result.inserted_primary_key[0])
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    def finish_pass(self, pass_id: int, *, points_written: int, changes_written: int, failures: list[str],
                    finished_at: dt.datetime) -> None:
        try:
            with self._writer().begin() as connection:
                connection.execute(passes.update().where(passes.c.id == pass_id).values(
                    finished_at=_naive(finished_at), points=points_written, changes=changes_written,
                    failures="\n".join(failures) or None))
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    # -- reading --------------------------------------------------------------------------------

    def read_points(self, model: str, variant: str, metric: str | Sequence[str], percentile: str = "", *,
                    provider: str | None = None, label: str | None = None,
                    since: dt.datetime | None = None) -> list[Point]:
        """One series (every provider, or one), oldest first; several metrics at once when
        ``metric`` is a sequence."""
        metric_is = (points.c.metric == metric if isinstance(metric, str)
                     else points.c.metric.in_(list(metric)))
        condition = and_(points.c.model == model, points.c.variant == variant, metric_is,
                         points.c.percentile == percentile)
        if provider is not None:
            condition = and_(condition, points.c.provider == provider)
        if label is not None:
            condition = and_(condition, points.c.label == label)
        if since is not None:
            condition = and_(condition, points.c.bucket >= _naive(since))
        query = select(points).where(condition).order_by(points.c.provider, points.c.bucket)
        try:
            with self._connect() as connection:
                rows = connection.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return [Point(r["model"], r["variant"], r["provider"], r["metric"], r["percentile"], r["bucket"], r["value"],
                      r["samples"], r["label"]) for r in rows]

    def providers(self, model: str, variant: str, metric: str) -> list[tuple[str, str | None]]:
        """(provider key, last label) of every provider with a recorded point of ``metric``."""
        query = (select(points.c.provider, func.max(points.c.label))
                 .where(and_(points.c.model == model, points.c.variant == variant, points.c.metric == metric))
                 .group_by(points.c.provider).order_by(points.c.provider))
        try:
            with self._connect() as connection:
                return [(provider, label) for provider, label in connection.execute(query)]
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    def read_changes(self, model: str, variant: str) -> list[Change]:
        query = (select(changes).where(and_(changes.c.model == model, changes.c.variant == variant))
                 .order_by(changes.c.observed_at, changes.c.provider, changes.c.field))
        try:
            with self._connect() as connection:
                rows = connection.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return [Change(r["model"], r["variant"], r["provider"], r["field"], _decode(r["value"]), r["observed_at"],
                       r["source_route"]) for r in rows]

    def write_measurement(self, measurement: Measurement) -> bool:
        """Keep one answer's measurements (once per generation id). Returns whether it was new."""
        row = {name: getattr(measurement, name) for name in Measurement.__dataclass_fields__}
        row["finished_at"] = _naive(row["finished_at"])
        try:
            with self._writer().begin() as connection:
                insert = _insert_for(connection)(measurements).on_conflict_do_nothing()
                return connection.execute(insert, row).rowcount == 1
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    def read_measurements(self, model: str, variant: str) -> list[Measurement]:
        query = (select(measurements).where(and_(measurements.c.model == model, measurements.c.variant == variant))
                 .order_by(measurements.c.finished_at))
        try:
            with self._connect() as connection:
                rows = connection.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return [Measurement(**{name: row[name] for name in Measurement.__dataclass_fields__}) for row in rows]

    def read(self, query) -> list:
        """A recorded series for the data service: points, or your own measurements."""
        if query.metric == "measurements":
            return self.read_measurements(query.model, query.variant)
        if query.metric == "changes":
            return self.read_changes(query.model, query.variant)
        return self.read_points(query.model, query.variant, query.metric, query.percentile,
                                provider=getattr(query, "provider", None), label=getattr(query, "label", None))

    def counts(self) -> dict[str, int]:
        try:
            with self._connect() as connection:
                return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                        for table in (points, changes, passes, measurements)}
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None

    # -- moving a recording between machines ------------------------------------------------------

    def export(self, path: Path | str) -> dict[str, int]:
        """Every point and change as gzip'd JSON lines: a portable file any backend can import."""
        written = {"points": 0, "changes": 0}
        try:
            with self._connect() as connection, gzip.open(path, "wt", encoding="utf-8") as out:
                out.write(json.dumps({"format": "routerlens-history", "version": 1}) + "\n")
                for table in (points, changes):
                    for row in connection.execute(select(table).order_by(table.c.id)).mappings():
                        record = {k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                                  for k, v in row.items() if k != "id"}
                        out.write(json.dumps({"table": table.name, "row": record}) + "\n")
                        written[table.name] += 1
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return written

    def import_(self, path: Path | str) -> dict[str, int]:
        """Rows from :meth:`export`, merged (upserted): importing twice adds nothing."""
        batches: dict[str, list[dict]] = {"points": [], "changes": []}
        try:
            with gzip.open(path, "rt", encoding="utf-8") as source:
                header = json.loads(source.readline() or "{}")
                if header.get("format") != "routerlens-history":
                    raise HistoryError(f"{path} is not a RouterLens recording export")
                for line in source:
                    item = json.loads(line)
                    if item.get("table") in batches:
                        row = item["row"]
                        for name in ("bucket", "fetched_at", "observed_at"):
                            if row.get(name):
                                row[name] = dt.datetime.fromisoformat(row[name])
                        batches[item["table"]].append(row)
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            raise HistoryError(f"{path} could not be read ({exc.__class__.__name__}: {exc})") from None
        try:
            with self._writer().begin() as connection:
                insert = _insert_for(connection)
                if batches["points"]:
                    statement = insert(points)
                    connection.execute(statement.on_conflict_do_update(
                        index_elements=["model", "variant", "provider", "metric", "percentile", "bucket"],
                        set_={"value": func.coalesce(statement.excluded.value, points.c.value)}), batches["points"])
                new = _new_changes(connection, batches["changes"]) if batches["changes"] else []
                if new:
                    connection.execute(changes.insert(), new)
        except SQLAlchemyError as exc:
            raise HistoryError(_reason(exc)) from None
        return {name: len(rows) for name, rows in batches.items()}


# --- helpers ------------------------------------------------------------------------------------

_NEVER = object()


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _naive(when: dt.datetime) -> dt.datetime:
    """UTC without tzinfo (both backends store it the same way)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when


def _new_changes(connection, rows: list[dict]) -> list[dict]:
    """Imported change rows this database does not hold yet (same key, time and value)."""
    have = {(r.model, r.variant, r.provider, r.field, r.observed_at, r.value)
            for r in connection.execute(select(changes.c.model, changes.c.variant, changes.c.provider, changes.c.field,
                                               changes.c.observed_at, changes.c.value))}
    return [row for row in rows if (row["model"], row["variant"], row["provider"], row["field"], row["observed_at"],
                                    row["value"]) not in have]


def _latest_values(connection, model: str, variant: str, provider: str) -> dict[str, str | None]:
    query = (select(changes.c.field, changes.c.value)
             .where(and_(changes.c.model == model, changes.c.variant == variant, changes.c.provider == provider))
             .order_by(changes.c.observed_at, changes.c.id))
    latest: dict[str, str | None] = {}
    for name, value in connection.execute(query):
        latest[name] = value
    return latest


def _insert_for(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise HistoryError(f"unsupported database: {connection.dialect.name}")
    return insert


def _serialise(connection, key: str) -> None:
    """Only one writer at a time for ``key``: PostgreSQL takes a transaction-scoped advisory lock;
    SQLite's writers already take the database's write lock at BEGIN IMMEDIATE."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (zlib.crc32(key.encode()),))


def _sqlite_setup(engine: Engine, *, wal: bool, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins transactions
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                # In WAL mode NORMAL never corrupts the file (a killed process loses nothing it had
                # committed); only a power cut may lose the last transactions. One fsync per
                # checkpoint instead of per transaction.
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A writer takes the write lock up front, so two writers queue instead of deadlocking.
        write = connection.get_execution_options().get("routerlens_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    if "locked" in text:
        return f"the database is busy (locked by another writer): {text}"
    if "readonly" in text or "read-only" in text:
        return f"the database is read-only: {text}"
    if "unable to open" in text or "no such table" in text:
        return f"the recording could not be opened: {text}"
    if "connect" in text.lower() or "timeout" in text.lower():
        return f"the database could not be reached: {text}"
    return text
