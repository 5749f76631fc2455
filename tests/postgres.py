"""A throwaway PostgreSQL server for the test session (for the history store's PostgreSQL tests).

``postgres_url`` (session) starts one private server from Debian's PostgreSQL binaries in a fresh
temporary directory, listening on 127.0.0.1 only, on a free port, with ``trust`` auth for the
``postgres`` role; it is stopped (fast shutdown) and its directory removed at the end of the run.
``postgres_db`` (per test) creates a fresh, empty database on it and drops it afterwards.

It never uses a system cluster or any address but 127.0.0.1. Where the binaries are missing, or
the server cannot start, the tests that ask for it skip with the reason (and the tail of the
server log); the rest of the run is unaffected.

Binaries: ``ROUTERLENS_PG_BINDIR`` (a directory with ``initdb`` and ``pg_ctl``; set it to a
missing directory to hide PostgreSQL), else ``pg_config --bindir``, else the newest
``/usr/lib/postgresql/<version>/bin``. ``initdb`` refuses to run as root, so as root the server
runs as the ``postgres`` OS user (``runuser -u postgres --``); as anyone else, as that user.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ENV_BINDIR = "ROUTERLENS_PG_BINDIR"
# Read at import: the autouse ``_isolated_env`` fixture clears every ROUTERLENS_* variable.
_BINDIR_AT_IMPORT = os.environ.get(ENV_BINDIR)

HOST = "127.0.0.1"
SUPERUSER = "postgres"
OS_USER = "postgres"
START_TIMEOUT = 60.0
NOT_FOUND = ("PostgreSQL binaries not found (install Debian's postgresql package, or set "
             f"{ENV_BINDIR} to a directory with initdb and pg_ctl)")


def _has_server_tools(bindir: str | os.PathLike | None) -> bool:
    return bool(bindir) and all(os.access(Path(bindir) / tool, os.X_OK) for tool in ("initdb", "pg_ctl"))


def _version_key(bindir: str) -> tuple:
    version = Path(bindir).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(part) if part.isdigit() else -1 for part in re.split(r"[.]", version))


def find_bindir(override: str | None = None) -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or ``None`` when there is none.

    ``override`` (the ``ROUTERLENS_PG_BINDIR`` value) is used alone when given. Note that
    ``pg_config`` also comes with libpq-dev, whose ``--bindir`` may lack the server tools, so
    every candidate is checked.
    """
    if override:
        return Path(override) if _has_server_tools(override) else None
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            candidate = out.stdout.strip()
            if out.returncode == 0 and _has_server_tools(candidate):
                return Path(candidate)
        except (OSError, subprocess.SubprocessError):
            pass
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if _has_server_tools(d)]
    return Path(max(found, key=_version_key)) if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _world_traversable(path: Path) -> bool:
    """Whether another user (``postgres``) can reach ``path`` through every parent directory."""
    for part in [path, *path.parents]:
        try:
            if not os.stat(part).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


class StartError(Exception):
    """The server could not be started (the message says why)."""


class PostgresServer:
    """One private server: ``start()`` (raises StartError with the reason), ``stop()``, ``url``."""

    def __init__(self, bindir: Path):
        self.bindir = Path(bindir)
        self.as_root = os.geteuid() == 0
        self.tmpdir: Path | None = None
        self.port: int | None = None
        self.started = False
        self.start_seconds: float | None = None

    # -- paths and commands ----------------------------------------------------------------------

    @property
    def datadir(self) -> Path:
        return self.tmpdir / "data"

    @property
    def logfile(self) -> Path:
        return self.tmpdir / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/postgres"

    def _server_cmd(self, tool: str, *args: str) -> list[str]:
        """A server-side tool (initdb, pg_ctl), run as the ``postgres`` OS user when we are root."""
        cmd = [str(self.bindir / tool), *args]
        return ["runuser", "-u", OS_USER, "--", *cmd] if self.as_root else cmd

    def _run(self, cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
        # No inherited libpq/server settings (PGHOST, PGHOSTADDR, PGPORT, PGDATA, …): only ours count.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.tmpdir, env=env)

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.logfile.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"

    # -- lifecycle -------------------------------------------------------------------------------

    def _make_tmpdir(self) -> None:
        base = Path(tempfile.gettempdir())
        if self.as_root and not _world_traversable(base):
            base = Path("/tmp")  # postgres must reach its data and socket directory
        self.tmpdir = Path(tempfile.mkdtemp(prefix="routerlens-pg-", dir=base))
        if self.as_root:
            try:
                pwd.getpwnam(OS_USER)
            except KeyError:
                raise StartError(f"running as root, but there is no '{OS_USER}' OS user to run the "
                                 "server as (initdb refuses to run as root)") from None
            if not shutil.which("runuser"):
                raise StartError("running as root, but 'runuser' is missing (initdb refuses to run as root)")
            shutil.chown(self.tmpdir, user=OS_USER)

    def start(self) -> "PostgresServer":
        began = time.monotonic()
        self._make_tmpdir()
        init = self._run(self._server_cmd("initdb", "-D", str(self.datadir), "-A", "trust", "-U", SUPERUSER,
                                          "-E", "UTF8", "--locale=C", "--no-sync"), timeout=120)
        if init.returncode != 0:
            raise StartError(f"initdb failed (exit {init.returncode}):\n{_tail(init.stdout + init.stderr)}")
        last = ""
        for _ in range(3):  # a free port can be taken between choosing it and binding it: retry
            self.port = _free_port()
            options = " ".join([
                "-p", str(self.port), "-k", shlex.quote(str(self.tmpdir)),
                "-c", f"listen_addresses={HOST}",
                # A throwaway server: durability buys nothing, speed does.
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            ])
            ctl = self._run(self._server_cmd("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile),
                                             "-o", options, "-w", "-t", str(int(START_TIMEOUT)), "start"),
                            timeout=START_TIMEOUT + 30)
            if ctl.returncode == 0:
                self.started = True
                break
            last = f"pg_ctl start failed (exit {ctl.returncode}): {ctl.stdout.strip()} {ctl.stderr.strip()}"
            if "already in use" not in self.log_tail(50).lower():
                break
        if not self.started:
            raise StartError(f"{last}\n--- server log (tail) ---\n{self.log_tail()}")
        self._wait_ready(began + START_TIMEOUT)
        self.start_seconds = time.monotonic() - began
        return self

    def _wait_ready(self, deadline: float) -> None:
        """Poll ``pg_isready`` over TCP on 127.0.0.1 until it answers 0 (accepting connections)."""
        cmd = [str(self.bindir / "pg_isready"), "-h", HOST, "-p", str(self.port), "-U", SUPERUSER,
               "-d", "postgres", "-t", "2"]
        answer = "pg_isready was not run"
        while True:
            try:
                probe = self._run(cmd, timeout=10)
                if probe.returncode == 0:
                    return
                # 1: rejecting (starting up), 2: no response, 3: no attempt (bad parameters).
                answer = f"pg_isready exit {probe.returncode}: {(probe.stdout + probe.stderr).strip()}"
                if probe.returncode == 3:
                    break
            except FileNotFoundError:
                return  # no pg_isready here: pg_ctl -w already waited for the server to accept
            except subprocess.TimeoutExpired:
                answer = "pg_isready timed out"
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        raise StartError(f"server did not become ready on {HOST}:{self.port} ({answer})\n"
                         f"--- server log (tail) ---\n{self.log_tail()}")

    def stop(self) -> None:
        """Fast shutdown (immediate if that fails) and remove the temp dir. Safe to call twice."""
        # Also after a failed start: `pg_ctl -w` may have timed out while the server kept starting.
        running = self.tmpdir is not None and (self.datadir / "postmaster.pid").exists()
        if self.started or running:
            self.started = False
            for mode in ("fast", "immediate"):
                try:
                    stop = self._run(self._server_cmd("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop"),
                                     timeout=60)
                    if stop.returncode == 0:
                        break
                except (OSError, subprocess.SubprocessError):
                    pass
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL (``postgresql+psycopg://postgres@127.0.0.1:<port>/postgres``) of a private
    server for this run; skips with the reason where PostgreSQL is missing or will not start."""
    bindir = find_bindir(os.environ.get(ENV_BINDIR, _BINDIR_AT_IMPORT))
    if bindir is None:
        pytest.skip(NOT_FOUND)
    server = PostgresServer(bindir)
    atexit.register(server.stop)  # in case the session ends without running fixture teardown
    try:
        server.start()
    except (StartError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.skip(f"could not start a throwaway PostgreSQL server from {bindir}: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@contextlib.contextmanager
def fresh_database(server_url: str):
    """Create an empty database ``t_<random>`` on the server at ``server_url``; yield its URL; drop it
    (``WITH (FORCE)``, so connections a test left open do not block it)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


@pytest.fixture
def postgres_db(postgres_url):
    """The URL of a fresh, empty database on the session's server, dropped after the test."""
    with fresh_database(postgres_url) as url:
        yield url
