"""Cost safety for the playground: whose key may be used, and how much.

A key typed into the sidebar belongs to the visitor: their money, their choice, so only the
model's own output limit applies. A key the *host* configured (environment or ``st.secrets``)
is the host's money: visitors may use it for the playground only when the host opts in with
``ROUTERLENS_SHARED_KEY_PLAYGROUND=1``, and then within per-session limits the host sets:

* ``ROUTERLENS_PLAYGROUND_MAX_TOKENS``: max output tokens per answer (default 512);
* ``ROUTERLENS_PLAYGROUND_RPM``: requests per minute per browser session (default 5).

Each comes from ``st.secrets`` first, then the environment (the same precedence as the key).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

SHARED_OPT_IN = "ROUTERLENS_SHARED_KEY_PLAYGROUND"
SHARED_MAX_TOKENS = "ROUTERLENS_PLAYGROUND_MAX_TOKENS"
SHARED_RPM = "ROUTERLENS_PLAYGROUND_RPM"
DEFAULT_SHARED_MAX_TOKENS = 512
DEFAULT_SHARED_RPM = 5
KEYS_URL = "https://openrouter.ai/keys"
SERVER_SOURCES = frozenset({"environment", "secrets"})


@dataclass(frozen=True)
class HostPolicy:
    """What the host allows visitors to do with the host's key."""

    shared_key_allowed: bool = False
    max_tokens: int = DEFAULT_SHARED_MAX_TOKENS
    requests_per_minute: int = DEFAULT_SHARED_RPM


def load_policy(env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> HostPolicy:
    """The host's playground policy from secrets, then environment."""
    secrets = secrets or {}

    def pick(name: str) -> str:
        value = secrets.get(name)
        if value is None or str(value).strip() == "":
            value = env.get(name)
        return str(value or "").strip()

    return HostPolicy(
        shared_key_allowed=pick(SHARED_OPT_IN).lower() in {"1", "true", "yes", "on"},
        max_tokens=_positive_int(pick(SHARED_MAX_TOKENS), DEFAULT_SHARED_MAX_TOKENS),
        requests_per_minute=_positive_int(pick(SHARED_RPM), DEFAULT_SHARED_RPM),
    )


def _positive_int(text: str, default: int) -> int:
    try:
        value = int(float(text))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class KeyAccess:
    """Whether the playground may send, and under which caps. ``reason`` says why not."""

    can_send: bool
    uses_host_key: bool
    reason: str | None = None
    max_tokens_cap: int | None = None
    requests_per_minute: int | None = None

    @property
    def limits_text(self) -> str | None:
        if not self.uses_host_key or not self.can_send:
            return None
        return (f"Using this site's shared key, limited to {self.requests_per_minute} requests per minute "
                f"and {self.max_tokens_cap} output tokens per answer. Add your own key in the sidebar to lift "
                "these limits.")


def key_access(key_source: str | None, policy: HostPolicy, *, offline: bool = False) -> KeyAccess:
    """Decide whether a playground request may be sent with the key the app has."""
    if offline:
        return KeyAccess(False, False, "The data source is set to **Offline**, so nothing is sent over the network. "
                                       "Switch it to Auto or Live in the sidebar to send prompts.")
    if key_source is None:
        return KeyAccess(False, False, "Sending needs an OpenRouter API key. Create one at "
                                       f"{KEYS_URL} and paste it into the sidebar (kept in this session only).")
    if key_source in SERVER_SOURCES:
        if not policy.shared_key_allowed:
            return KeyAccess(False, True, "This site has a server-side key, but its host has not shared it for the "
                                          f"playground. Paste your own key (create one at {KEYS_URL}) in the sidebar "
                                          "to send prompts.")
        return KeyAccess(True, True, max_tokens_cap=policy.max_tokens, requests_per_minute=policy.requests_per_minute)
    return KeyAccess(True, False)


@dataclass
class RateLimiter:
    """A sliding one-minute window of request times for one session."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    window_s: float = 60.0
    _times: deque = field(default_factory=deque)

    def wait_needed(self, count: int = 1) -> float:
        """Seconds until ``count`` more requests fit in the window (0 when they fit now)."""
        if count > self.per_minute:
            return float("inf")
        now = self.clock()
        while self._times and now - self._times[0] >= self.window_s:
            self._times.popleft()
        overflow = len(self._times) + count - self.per_minute
        if overflow <= 0:
            return 0.0
        return max(0.0, self._times[overflow - 1] + self.window_s - now)

    def record(self, count: int = 1) -> None:
        now = self.clock()
        self._times.extend([now] * count)
