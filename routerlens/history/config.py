"""Where the recording is: read from settings without importing the database layer."""

from __future__ import annotations

import os
import re
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from ..config import setting_text, truthy

URL_ENV = "ROUTERLENS_HISTORY_URL"
RECORD_LIVE_ENV = "ROUTERLENS_RECORD_LIVE"
OFF = frozenset({"off", "none", "no", "0", "false"})


def default_url() -> str:
    """A SQLite file in the user's data directory (``~/.local/share/routerlens`` on Linux)."""
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('routerlens') / 'history.sqlite'}"


def _section(secrets: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """``[connections.history]`` of the secrets (empty when absent)."""
    section = (secrets or {}).get("connections", {})
    section = section.get("history", {}) if isinstance(section, Mapping) else {}
    return section if isinstance(section, Mapping) else {}


def history_url(env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> str | None:
    """The configured database URL: ``[connections.history] url`` in secrets, then
    ``ROUTERLENS_HISTORY_URL``, then the default file; ``None`` when switched off."""
    env = os.environ if env is None else env
    url = _section(secrets).get("url") or (secrets or {}).get(URL_ENV) or env.get(URL_ENV)
    if isinstance(url, str) and url.strip().lower() in OFF:
        return None
    return str(url).strip() if url else default_url()


def record_live(env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> bool:
    """Whether the app keeps what its live pages fetch (off unless ``record_live = true`` in
    ``[connections.history]`` or ``ROUTERLENS_RECORD_LIVE=1``)."""
    env = os.environ if env is None else env
    value = _section(secrets).get("record_live")
    return truthy(setting_text(RECORD_LIVE_ENV, env, secrets) if value is None else value)


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (``None`` for other databases or an in-memory one)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def describe_url(url: str) -> str:
    """The database in words, without a password (no database driver imported)."""
    if url.startswith("sqlite:///"):
        return f"SQLite file {url.removeprefix('sqlite:///')}"
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
