"""Cost safety for the playground: whose key may be used, and how much.

A key typed into the sidebar belongs to the visitor: their money, their choice, so only the
model's own output limit applies. A key the *host* configured (environment or ``st.secrets``)
is the host's money: visitors may use it for the playground only when the host opts in with
``ROUTERLENS_SHARED_KEY_PLAYGROUND=1``, and then within per-session limits the host sets:

* ``ROUTERLENS_PLAYGROUND_MAX_TOKENS``: max output tokens per answer (default 512);
* ``ROUTERLENS_PLAYGROUND_RPM``: requests per minute per visitor (default 5);
* ``ROUTERLENS_PLAYGROUND_GLOBAL_RPM``: requests per minute for all visitors together (default 30);
* ``ROUTERLENS_PLAYGROUND_DAILY_USD``: dollars the shared key may spend per UTC day (default 1.00).

The limits hold across sessions: a reload or a second tab is the same visitor (identified by the
signed-in user where Streamlit has one, else the connection's IP address), and the global and
daily caps are per server process (:class:`SharedKeyGuard`). Each setting comes from
``st.secrets`` first, then the environment (the same precedence as the key).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .config import positive_count, positive_dollars, setting_text, truthy

SHARED_OPT_IN = "ROUTERLENS_SHARED_KEY_PLAYGROUND"
SHARED_MAX_TOKENS = "ROUTERLENS_PLAYGROUND_MAX_TOKENS"
SHARED_RPM = "ROUTERLENS_PLAYGROUND_RPM"
SHARED_GLOBAL_RPM = "ROUTERLENS_PLAYGROUND_GLOBAL_RPM"
SHARED_DAILY_USD = "ROUTERLENS_PLAYGROUND_DAILY_USD"
DEFAULT_SHARED_MAX_TOKENS = 512
DEFAULT_SHARED_RPM = 5
DEFAULT_SHARED_GLOBAL_RPM = 30
DEFAULT_SHARED_DAILY_USD = Decimal("1.00")
KEYS_URL = "https://openrouter.ai/keys"
SERVER_SOURCES = frozenset({"environment", "secrets"})


@dataclass(frozen=True)
class HostPolicy:
    """What the host allows visitors to do with the host's key."""

    shared_key_allowed: bool = False
    max_tokens: int = DEFAULT_SHARED_MAX_TOKENS
    requests_per_minute: int = DEFAULT_SHARED_RPM
    """Per visitor."""
    global_requests_per_minute: int = DEFAULT_SHARED_GLOBAL_RPM
    """For every visitor together (per server process)."""
    daily_usd: Decimal = DEFAULT_SHARED_DAILY_USD
    """What the shared key may spend per UTC day (per server process)."""


def load_policy(env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> HostPolicy:
    """The host's playground policy from secrets, then environment (read as
    :func:`routerlens.config.setting_problems` checks them: a value it reports keeps its default)."""
    def pick(name: str) -> str | None:
        return setting_text(name, env, secrets)

    return HostPolicy(
        shared_key_allowed=truthy(pick(SHARED_OPT_IN)),
        max_tokens=positive_count(pick(SHARED_MAX_TOKENS)) or DEFAULT_SHARED_MAX_TOKENS,
        requests_per_minute=positive_count(pick(SHARED_RPM)) or DEFAULT_SHARED_RPM,
        global_requests_per_minute=positive_count(pick(SHARED_GLOBAL_RPM)) or DEFAULT_SHARED_GLOBAL_RPM,
        daily_usd=positive_dollars(pick(SHARED_DAILY_USD)) or DEFAULT_SHARED_DAILY_USD,
    )


@dataclass(frozen=True)
class KeyAccess:
    """Whether the playground may send, and under which caps. ``reason`` says why not."""

    can_send: bool
    uses_host_key: bool
    reason: str | None = None
    max_tokens_cap: int | None = None
    requests_per_minute: int | None = None
    policy: HostPolicy | None = None
    """The host's policy when its shared key is used (for :class:`SharedKeyGuard`)."""

    @property
    def limits_text(self) -> str | None:
        if not self.uses_host_key or not self.can_send:
            return None
        daily = f" and ${self.policy.daily_usd:,.2f} per day in all" if self.policy else ""
        return (f"Using this site's shared key, limited to {self.requests_per_minute} requests per minute per visitor "
                f"and {self.max_tokens_cap} output tokens per answer{daily}. Add your own key in the sidebar to lift "
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
        return KeyAccess(True, True, max_tokens_cap=policy.max_tokens, requests_per_minute=policy.requests_per_minute,
                         policy=policy)
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


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


class SharedKeyGuard:
    """The host's shared key, guarded across sessions: per visitor and for everyone per minute,
    and in dollars per UTC day. One per server process (the app keeps it in
    ``st.cache_resource``); thread-safe. A visitor is whatever id the caller passes (the signed-in
    user, else the connection's address), so a reload or a second tab is no fresh allowance."""

    MAX_VISITORS = 10_000

    def __init__(self, policy: HostPolicy, *, clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], dt.date] = _utc_today, now: Callable[[], dt.datetime] | None = None):
        self.policy = policy
        self._clock, self._today = clock, today
        self._now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self._lock = threading.Lock()
        self._visitors: dict[str, RateLimiter] = {}
        self._everyone = RateLimiter(policy.global_requests_per_minute, clock=clock)
        self._day = today()
        self._spent = Decimal(0)

    def _roll_day(self) -> None:
        today = self._today()
        if today != self._day:
            self._day, self._spent = today, Decimal(0)

    def _visitor(self, visitor: str) -> RateLimiter:
        limiter = self._visitors.get(visitor)
        if limiter is None:
            if len(self._visitors) >= self.MAX_VISITORS:  # forget the idle ones (bounded memory)
                self._visitors = {k: v for k, v in self._visitors.items() if v.wait_needed(v.per_minute) > 0}
            limiter = self._visitors[visitor] = RateLimiter(self.policy.requests_per_minute, clock=self._clock)
        return limiter

    @property
    def spent_today(self) -> Decimal:
        with self._lock:
            self._roll_day()
            return self._spent

    def resets_in(self) -> dt.timedelta:
        """Time until the daily budget starts again (00:00 UTC)."""
        now = self._now()
        tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
        return tomorrow - now

    def refusal(self, visitor: str, count: int = 1) -> str | None:
        """Why ``count`` more requests may not be sent now, in words, or ``None``."""
        policy = self.policy
        with self._lock:
            self._roll_day()
            if self._spent >= policy.daily_usd:
                left = self.resets_in()
                hours, minutes = divmod(int(left.total_seconds()) // 60, 60)
                return (f"This site's shared key has used its daily budget (${self._spent:,.4f} of "
                        f"${policy.daily_usd:,.2f}). It resets at 00:00 UTC, in {hours} h {minutes} min. Add your own "
                        "key in the sidebar to go on now.")
            mine, everyone = self._visitor(visitor).wait_needed(count), self._everyone.wait_needed(count)
        if mine == float("inf"):
            return (f"This site's shared key allows {policy.requests_per_minute} requests per minute; {count} at once "
                    "is more than that. Choose fewer modes.")
        if mine > 0:
            return (f"This site's shared key allows {policy.requests_per_minute} requests per minute per visitor. "
                    f"Wait {mine:.0f} s, or add your own key in the sidebar.")
        if everyone == float("inf"):
            return (f"This site's shared key allows {policy.global_requests_per_minute} requests per minute in all; "
                    f"{count} at once is more than that. Choose fewer modes.")
        if everyone > 0:
            return (f"This site's shared key is busy: it allows {policy.global_requests_per_minute} requests per "
                    f"minute for all visitors together. Wait {everyone:.0f} s, or add your own key in the sidebar.")
        return None

    def record(self, visitor: str, count: int = 1) -> None:
        with self._lock:
            self._visitor(visitor).record(count)
            self._everyone.record(count)

    def spend(self, usd: Decimal) -> None:
        """Add an answer's cost to today's spend."""
        with self._lock:
            self._roll_day()
            self._spent += max(Decimal(0), usd)


def charged_cost(cost: Decimal | None, *, prompt_tokens: int | None, completion_tokens: int | None,
                 prompt_price: Decimal | None, completion_price: Decimal | None, max_tokens: int) -> Decimal:
    """What an answer counts against the daily budget: its reported cost, else its tokens at the
    list prices, else the worst case the caps allow (``max_tokens`` at the output price)."""
    if cost is not None:
        return cost
    prompt_price, completion_price = prompt_price or Decimal(0), completion_price or Decimal(0)
    completion = completion_tokens if completion_tokens is not None else max_tokens
    return (prompt_tokens or 0) * prompt_price + completion * completion_price
