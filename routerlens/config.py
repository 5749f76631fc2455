"""Settings: where OpenRouter is, which data source to use, and the API key.

Values come from the environment (or from whatever mapping the UI passes in, such as
``st.secrets``); nothing secret lives in code. The key is wrapped in :class:`ApiKey` so that an
accidental ``print`` or log line shows ``ApiKey(****)`` rather than the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
APP_URL = "https://github.com/routerlens/routerlens"
APP_TITLE = "RouterLens"


class DataMode(str, Enum):
    AUTO = "auto"
    LIVE = "live"
    OFFLINE = "offline"

    @classmethod
    def parse(cls, value: str | None, default: DataMode | None = None) -> DataMode:
        default = default or cls.AUTO
        if not value:
            return default
        value = value.strip().lower()
        aliases = {"snapshot": cls.OFFLINE, "off": cls.OFFLINE, "online": cls.LIVE}
        if value in aliases:
            return aliases[value]
        try:
            return cls(value)
        except ValueError:
            return default


class ApiKey:
    """An API key that never shows itself in repr/str/format."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value.strip()

    def reveal(self) -> str:
        return self._value

    @property
    def fingerprint(self) -> str:
        """A short one-way digest, safe to use as a cache key or to show ("key …3f2a")."""
        return hashlib.sha256(self._value.encode()).hexdigest()[:12]

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "ApiKey(****)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self):  # never pickled into a cache file
        raise TypeError("ApiKey cannot be pickled")


def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    mode: DataMode = DataMode.AUTO
    api_key: ApiKey | None = field(default=None, compare=False, hash=False)
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0
    max_retries: int = 2
    max_retry_wait: float = 1.0
    """A longer ``Retry-After`` is not waited out inside a page render: the host is left alone
    for it instead (see the client), and the page falls back at once."""
    app_url: str = APP_URL
    app_title: str = APP_TITLE
    history_url: str | None = None
    """The recording's database URL (``None``: no recording is read)."""
    record_live: bool = False
    """Keep what the live pages fetch in the recording (off by default)."""
    page_budget_s: float = 20.0
    """How long one whole page render may take while it waits for live answers
    (``ROUTERLENS_PAGE_BUDGET``, default: the total timeout + 5 s); waiting ends early enough to
    draw (``service.draw_allowance``), and what is not live by then falls back."""

    @property
    def site_root(self) -> str:
        """Origin that serves the website's undocumented ``/api/frontend/...`` routes."""
        parts = urlsplit(self.base_url)
        path = parts.path.rstrip("/")
        for suffix in ("/api/v1", "/v1"):
            if path.endswith(suffix):
                path = path[: -len(suffix)]
                break
        return f"{parts.scheme}://{parts.netloc}{path}"

    @property
    def has_key(self) -> bool:
        return bool(self.api_key)

    @property
    def key_fingerprint(self) -> str:
        return self.api_key.fingerprint if self.api_key else "nokey"

    @property
    def cache_token(self) -> str:
        """Identifies everything that changes what the live source returns (no secrets)."""
        return f"{self.base_url}|{self.mode.value}|{self.key_fingerprint}|{self.history_url}|{self.record_live}"

    @property
    def is_default_base_url(self) -> bool:
        return self.base_url.rstrip("/") == DEFAULT_BASE_URL


def _first(*values: str | None) -> str | None:
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def load_settings(
    env: Mapping[str, str] | None = None,
    secrets: Mapping[str, object] | None = None,
    *,
    mode_override: str | None = None,
    key_override: str | None = None,
) -> Settings:
    """Build settings from secrets (``st.secrets``), then the environment, then overrides.

    Precedence: explicit override (the sidebar) > secrets > environment > default.
    """
    env = os.environ if env is None else env
    secrets = secrets or {}

    def pick(name: str) -> str | None:
        return _first(secrets.get(name) if isinstance(secrets.get(name), str) else None, env.get(name))

    base_url = (pick("OPENROUTER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    if _truthy(pick("ROUTERLENS_OFFLINE")):
        mode = DataMode.OFFLINE
    else:
        mode = DataMode.parse(pick("ROUTERLENS_DATA_MODE"))
    if mode_override:
        mode = DataMode.parse(mode_override, mode)
    key_text = _first(key_override, pick("OPENROUTER_API_KEY"))
    timeout = pick("ROUTERLENS_TIMEOUT")
    kwargs: dict = {}
    if timeout:
        try:
            total = max(0.5, float(timeout))
            kwargs = {"total_timeout": total, "read_timeout": min(10.0, total), "connect_timeout": min(3.0, total)}
        except ValueError:
            pass
    kwargs["page_budget_s"] = kwargs.get("total_timeout", Settings.total_timeout) + 5.0
    try:
        budget = float(pick("ROUTERLENS_PAGE_BUDGET") or "nan")
        if budget > 0 and budget != float("inf"):
            kwargs["page_budget_s"] = budget
    except ValueError:
        pass
    from .history.config import history_url, record_live

    return Settings(
        base_url=base_url,
        mode=mode,
        api_key=ApiKey(key_text) if key_text else None,
        history_url=(url := history_url(env, secrets)),
        record_live=bool(url) and record_live(env, secrets),
        **kwargs,
    )
