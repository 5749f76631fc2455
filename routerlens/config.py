"""Settings: where OpenRouter is, which data source to use, and the API key.

Values come from the environment (or from whatever mapping the UI passes in, such as
``st.secrets``); nothing secret lives in code. The key is wrapped in :class:`ApiKey` so that an
accidental ``print`` or log line shows ``ApiKey(****)`` rather than the key.

A secret is read like its environment string: ``ROUTERLENS_OFFLINE = true`` (a TOML boolean, as
Streamlit Community Cloud users write it) means what ``ROUTERLENS_OFFLINE=1`` means, and
``ROUTERLENS_PLAYGROUND_RPM = 10`` what ``"10"`` means (:func:`plain_secrets`). A value a
setting cannot use is never dropped in silence: :func:`setting_problems` says which and why, the
sidebar shows it and the server log has it once.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
APP_URL = "https://github.com/routerlens/routerlens"
APP_TITLE = "RouterLens"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
MODE_WORDS = {"auto": "auto", "live": "live", "offline": "offline", "snapshot": "offline", "off": "offline",
              "online": "live"}

log = logging.getLogger(__name__)


class DataMode(str, Enum):
    AUTO = "auto"
    LIVE = "live"
    OFFLINE = "offline"

    @classmethod
    def parse(cls, value: str | None, default: DataMode | None = None) -> DataMode:
        default = default or cls.AUTO
        if not value:
            return default
        word = MODE_WORDS.get(value.strip().lower())
        return cls(word) if word else default


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


def truthy(value: object) -> bool:
    """A yes/no setting's value: one of :data:`TRUE_WORDS` (anything else, or nothing, is no)."""
    return str(value or "").strip().lower() in TRUE_WORDS


def positive_float(text: str | None) -> float | None:
    """A ``seconds`` setting's value: a finite number above 0, else ``None`` (the default applies)."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def positive_count(text: str | None) -> int | None:
    """A ``count`` setting's value: the whole part of a finite number, when it is 1 or more."""
    value = positive_float(text)
    return int(value) if value is not None and value >= 1 else None


def positive_dollars(text: str | None) -> Decimal | None:
    """A ``dollars`` setting's value (``"$2.50"`` or ``"2.50"``): finite and above 0, else ``None``."""
    try:
        value = Decimal((text or "").strip().lstrip("$"))
    except ArithmeticError:
        return None
    return value if value.is_finite() and value > 0 else None


NUMBER_KINDS = {"seconds": positive_float, "count": positive_count, "dollars": positive_dollars}
"""How each numeric kind of setting is read; :func:`setting_problems` asks the same readers."""


def setting_text(name: str, env: Mapping[str, str], secrets: Mapping[str, object] | None) -> str | None:
    """One setting's text as it applies: the secret (a TOML scalar as its string form), else (no
    secret, a blank one, or a table) the environment variable; stripped, ``None`` when neither
    gives any. Every reader of a setting takes it from here, so they agree on which value wins."""
    for source in (secrets or {}, env):
        text = secret_text(source.get(name))
        if text is not None and text.strip():
            return text.strip()
    return None


# -- secrets and what each setting accepts ----------------------------------------------------------

SETTING_KINDS: dict[str, str] = {
    "OPENROUTER_API_KEY": "secret",
    "OPENROUTER_BASE_URL": "url",
    "ROUTERLENS_OFFLINE": "yes/no",
    "ROUTERLENS_DATA_MODE": "mode",
    "ROUTERLENS_TIMEOUT": "seconds",
    "ROUTERLENS_PAGE_BUDGET": "seconds",
    "ROUTERLENS_SHARED_KEY_PLAYGROUND": "yes/no",
    "ROUTERLENS_PLAYGROUND_MAX_TOKENS": "count",
    "ROUTERLENS_PLAYGROUND_RPM": "count",
    "ROUTERLENS_PLAYGROUND_GLOBAL_RPM": "count",
    "ROUTERLENS_PLAYGROUND_DAILY_USD": "dollars",
    "ROUTERLENS_CHAT_FIRST_TOKEN_S": "seconds",
    "ROUTERLENS_CHAT_IDLE_S": "seconds",
    "ROUTERLENS_CHAT_TOTAL_S": "seconds",
    "ROUTERLENS_HISTORY_URL": "secret",  # a database URL may hold a password: never echoed
    "ROUTERLENS_RECORD_LIVE": "yes/no",
    "ROUTERLENS_CHECK_CHARTS": "yes/no",  # for tests: validate every chart drawn (components/charts.py)
}
"""Every setting the app reads from secrets or the environment, by the kind of value it takes
(``tests/test_config.py`` checks that the code reads no other ``ROUTERLENS_`` name)."""

_EXPECTED = {
    "yes/no": "true or false (also 1/0, yes/no, on/off); it is ignored",
    "mode": "auto, live or offline; Auto applies",
    "seconds": "a number of seconds above 0; the default applies",
    "count": "a whole number above 0; the default applies",
    "dollars": "an amount in dollars above 0; the default applies",
    "url": "an http:// or https:// URL",
}


def secret_text(value: object) -> str | None:
    """A secret as the string its environment variable would hold: text as is, a TOML boolean
    as ``"true"``/``"false"``, a number as its digits; ``None`` for a table, array or date."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


def plain_secrets(secrets: Mapping[str, object] | None) -> dict[str, object]:
    """``st.secrets`` (or any mapping like it) as plain data the settings read: every top-level
    scalar as its string form, a known setting of another shape kept as it is (so that
    :func:`setting_problems` can say so), and the ``[connections.history]`` section the recording
    is configured by. Other tables are left out. Applying it twice changes nothing."""
    plain: dict[str, object] = {}
    for name, value in (secrets or {}).items():
        text = secret_text(value)
        if text is not None:
            plain[name] = text
        elif name in SETTING_KINDS:
            plain[name] = value
    connections = (secrets or {}).get("connections")
    history = connections.get("history") if isinstance(connections, Mapping) else None
    if isinstance(history, Mapping):
        plain["connections"] = {"history": dict(history)}
    return plain


def _value_problem(kind: str, text: str) -> bool:
    """Whether ``text`` is NOT something a setting of this kind can use."""
    word = text.strip().lower()
    if kind == "yes/no":
        return word not in TRUE_WORDS | FALSE_WORDS
    if kind == "mode":
        return word not in MODE_WORDS
    if kind == "url":
        return not word.startswith(("http://", "https://"))
    if kind in NUMBER_KINDS:
        return NUMBER_KINDS[kind](word) is None
    return False


def setting_problems(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> list[str]:
    """What the settings cannot use, in words a host can act on: a value of the wrong kind (the
    one that applies: secrets before the environment), a secret that is a table or an array, and
    a ``ROUTERLENS_``/``OPENROUTER_`` name no setting has (a typo). Values that may be secret (the
    key, a URL) are never repeated."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    problems = []
    for name, kind in SETTING_KINDS.items():
        where, raw = "secrets", secrets.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            where, raw = "the environment", env.get(name)
        if raw is None:
            continue
        text = secret_text(raw)
        if text is None:
            shape = ("a table" if isinstance(raw, Mapping) else "a list" if isinstance(raw, (list, tuple))
                     else "not text")
            problems.append(f"{name} in {where} is {shape}, not a single value; it is ignored.")
        elif text.strip() and _value_problem(kind, text):
            shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:40] + "…"
            said = name if kind == "url" else f"{name} = {shown!r}"  # a URL may carry a password
            problems.append(f"{said} in {where} is not understood: expected {_EXPECTED[kind]}.")
    for name in secrets:
        if name.startswith(("ROUTERLENS_", "OPENROUTER_")) and name not in SETTING_KINDS:
            problems.append(f"{name} in secrets is not a RouterLens setting (a typo?); it is ignored.")
    return problems


_logged: set[str] = set()
_logged_lock = threading.Lock()


def _log_once(problems: list[str]) -> None:
    """Each problem in the server log once per process (settings are read on every rerun)."""
    with _logged_lock:
        new = [p for p in problems if p not in _logged]
        _logged.update(new)
    for problem in new:
        log.warning("Setting not applied: %s", problem)


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
    problems: tuple[str, ...] = field(default=(), compare=False)
    """Settings given a value they cannot use (:func:`setting_problems`), for the host to see."""

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
    secrets = plain_secrets(secrets)
    problems = setting_problems(env, secrets)
    _log_once(problems)
    # What is left once the problems are set aside: text values and the recording's section.
    secrets = {k: v for k, v in secrets.items() if isinstance(v, str) or k == "connections"}

    def pick(name: str) -> str | None:
        return setting_text(name, env, secrets)

    base_url = (pick("OPENROUTER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    if truthy(pick("ROUTERLENS_OFFLINE")):
        mode = DataMode.OFFLINE
    else:
        mode = DataMode.parse(pick("ROUTERLENS_DATA_MODE"))
    if mode_override:
        mode = DataMode.parse(mode_override, mode)
    key_text = _first(key_override, pick("OPENROUTER_API_KEY"))
    kwargs: dict = {}
    total = positive_float(pick("ROUTERLENS_TIMEOUT"))  # None: the default applies (setting_problems says why)
    if total is not None:
        total = max(0.5, total)
        kwargs = {"total_timeout": total, "read_timeout": min(10.0, total), "connect_timeout": min(3.0, total)}
    kwargs["page_budget_s"] = (positive_float(pick("ROUTERLENS_PAGE_BUDGET"))
                               or kwargs.get("total_timeout", Settings.total_timeout) + 5.0)
    from .history.config import history_url, record_live

    return Settings(
        base_url=base_url,
        mode=mode,
        api_key=ApiKey(key_text) if key_text else None,
        history_url=(url := history_url(env, secrets)),
        record_live=bool(url) and record_live(env, secrets),
        problems=tuple(problems),
        **kwargs,
    )
