"""The OpenRouter HTTP client: bounded timeouts, bounded retries, concurrent fetches.

* Every request has a connect timeout, a per-read timeout and a *total* deadline, so a dead or
  stalled network cannot freeze a page.
* 408/429/5xx and connection failures are retried at most ``max_retries`` times; a
  ``Retry-After`` header is honoured when it fits in the remaining deadline (otherwise the error
  is returned at once, carrying the wait so the UI can say it).
* After a connection-level failure the host is marked unreachable for a short while, so a page
  with ten sections does not wait ten timeouts when the network is down. After a 429/5xx that
  retrying did not cure, the host is left alone for its ``Retry-After`` (else a short pause):
  the page's other sections fall back at once instead of queueing behind it, and since the
  client is shared, other sessions respect the wait too.
* The API key is only ever sent to the configured ``base_url`` origin, and only on ``/api/v1``
  routes that need it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from .config import Settings
from .parse import loads as strict_json
from .provenance import utcnow

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 522, 524, 529})
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_CONNECTIONS = 64
"""Requests one client has open at once: a recorder pass asks for every route of its models at
once (22 for one model), and the sessions of one server share the client."""
UNREACHABLE_COOLDOWN_S = 20.0
STRUGGLING_STATUSES = frozenset({429, 503, 529})
"""Answers that say the host (not just this request) is overloaded or rate-limiting; any other
429/5xx counts too when it carries a ``Retry-After``. A bare 500 on one route pauses nothing."""
STRUGGLING_PAUSE_S = 10.0
"""How long a struggling host is left alone when it gives no ``Retry-After``."""
MAX_STRUGGLING_PAUSE_S = 120.0


def attribution_headers(app_url: str, app_title: str) -> dict[str, str]:
    """OpenRouter's app attribution headers, as its App Attribution page documents them (2026):
    ``HTTP-Referer``, the app's URL, identifies the app (required for it to be attributed);
    ``X-OpenRouter-Title`` names it. The older ``X-Title`` is only "still supported for backwards
    compatibility", so it is not sent. The app's own requests and the API page's snippets both
    use this, so they cannot drift apart."""
    return {"HTTP-Referer": app_url, "X-OpenRouter-Title": app_title}


class OpenRouterError(Exception):
    """A failed call, in words a user can act on. Never carries the API key."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        retry_after: float | None = None,
        metadata: Mapping[str, Any] | None = None,
        kind: str = "http",
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_type = error_type
        self.retry_after = retry_after
        self.metadata = dict(metadata or {})
        self.kind = kind  # http | timeout | network | parse | unreachable

    def short(self) -> str:
        if self.status:
            return f"HTTP {self.status}: {self.message}"
        return self.message


@dataclass(frozen=True)
class Fetched:
    data: Any
    fetched_at: dt.datetime
    url: str
    route: str


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def error_from_response(status: int, body: bytes, headers: Mapping[str, str]) -> OpenRouterError:
    """Turn OpenRouter's ``{"error": {"code", "message", "metadata"}}`` into an error."""
    message, error_type, metadata = None, None, {}
    try:
        payload = json.loads(body.decode("utf-8", "replace")) if body else None
    except ValueError:
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        err = payload["error"]
        message = err.get("message") if isinstance(err.get("message"), str) else None
        metadata = err.get("metadata") if isinstance(err.get("metadata"), dict) else {}
        error_type = metadata.get("error_type") if isinstance(metadata.get("error_type"), str) else None
        if isinstance(err.get("availability"), dict):
            metadata = {**metadata, "availability": err["availability"]}
    if not message:
        message = httpx.codes.get_reason_phrase(status) or "Request failed"
    retry_after = parse_retry_after(headers.get("retry-after"))
    if retry_after is None:
        avail = metadata.get("availability") if isinstance(metadata.get("availability"), dict) else {}
        try:
            retry_after = float(avail["retry_after"]) if avail.get("retry_after") is not None else None
        except (TypeError, ValueError):
            retry_after = None
    return OpenRouterError(message[:500], status=status, error_type=error_type, retry_after=retry_after, metadata=metadata)


class _HostHealth:
    """Remembers hosts that just failed: at the connection level, or with a 429/5xx."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until: dict[str, tuple[float, str]] = {}
        self._trouble: dict[str, tuple[float, str]] = {}

    def check(self, origin: str) -> str | None:
        """Why the host is being left alone (``{left}`` in it is filled in with the seconds to
        go), or ``None``."""
        with self._lock:
            entry = self._down_until.get(origin)
            now = time.monotonic()
            if entry and entry[0] > now:
                return entry[1].replace("{left}", f"{max(1, round(entry[0] - now))}")
            self._down_until.pop(origin, None)
            return None

    def mark_down(self, origin: str, reason: str, cooldown: float) -> None:
        with self._lock:
            self._down_until[origin] = (time.monotonic() + cooldown, reason)

    def mark_up(self, origin: str) -> None:
        with self._lock:
            self._down_until.pop(origin, None)
            self._trouble.pop(origin, None)

    def note_trouble(self, origin: str, text: str) -> None:
        """What the host last did wrong while a request is being retried (for "waiting for…")."""
        with self._lock:
            self._trouble[origin] = (time.monotonic(), text)

    def trouble(self, origin: str, within: float = 30.0) -> str | None:
        with self._lock:
            entry = self._trouble.get(origin)
        return entry[1] if entry and time.monotonic() - entry[0] < within else None


class OpenRouterClient:
    """Synchronous client, safe to share between threads (the service fetches routes concurrently)."""

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 unreachable_cooldown: float = UNREACHABLE_COOLDOWN_S):
        self.settings = settings
        self._origin = _origin(settings.base_url)
        self._health = _HostHealth()
        self._cooldown = unreachable_cooldown
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.connect_timeout,
        )
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": f"{settings.app_title}/1.0", "Accept": "application/json"},
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=16),
        )

    # -- url and header building -------------------------------------------------------------

    def api_url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")

    def site_url(self, path: str) -> str:
        return self.settings.site_root.rstrip("/") + "/" + path.lstrip("/")

    def auth_headers(self, url: str) -> dict[str, str]:
        """Authorization only for the configured origin; attribution headers always."""
        headers = attribution_headers(self.settings.app_url, self.settings.app_title)
        if self.settings.api_key and _origin(url) == self._origin:
            headers["Authorization"] = f"Bearer {self.settings.api_key.reveal()}"
        return headers

    @property
    def http(self) -> httpx.Client:
        return self._http

    def close(self) -> None:
        self._http.close()

    def trouble(self) -> str | None:
        """What OpenRouter last did wrong while a request is being retried, if recently."""
        return self._health.trouble(self._origin)

    def unreachable(self) -> str | None:
        """Why OpenRouter is being left alone right now (it just failed to connect, or answered
        429/5xx and was not cured by retrying), or ``None``."""
        return self._health.check(self._origin)

    # -- requests ------------------------------------------------------------------------------

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, *, site: bool = False,
                 auth: bool = True, deadline_s: float | None = None) -> Fetched:
        """GET a JSON route. ``site=True`` addresses the website's ``/api/frontend`` routes."""
        url = self.site_url(path) if site else self.api_url(path)
        headers = self.auth_headers(url) if (auth and not site) else {}
        route = path if not params else f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}"
        body, _ = self._request("GET", url, params=params, headers=headers, deadline_s=deadline_s)
        try:
            data = strict_json(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            detail = str(exc) if "non-finite" in str(exc) else exc.__class__.__name__
            raise OpenRouterError(f"the server sent malformed JSON ({detail})", kind="parse") from None
        return Fetched(data=data, fetched_at=utcnow(), url=url, route=route)

    def _request(self, method: str, url: str, *, params=None, headers=None, json_body=None,
                 deadline_s: float | None = None) -> tuple[bytes, httpx.Headers]:
        origin = _origin(url)
        down = self._health.check(origin)
        if down:
            raise OpenRouterError(down, kind="unreachable")
        total = deadline_s if deadline_s is not None else self.settings.total_timeout
        deadline = time.monotonic() + total
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, url, params=params, headers=headers, json_body=json_body, deadline=deadline)
            except OpenRouterError as exc:
                remaining = deadline - time.monotonic()
                if exc.kind == "network":
                    self._health.mark_down(origin, f"{origin} was unreachable moments ago ({exc.message}); "
                                                   "not retrying yet", self._cooldown)
                    raise
                wait = exc.retry_after if exc.retry_after is not None else min(2.0, 0.25 * 2 ** (attempt - 1))
                wait += random.uniform(0, 0.05)
                if (exc.status not in RETRY_STATUSES or attempt > self.settings.max_retries or remaining <= 0
                        or wait > self.settings.max_retry_wait or wait >= remaining):
                    if exc.status in STRUGGLING_STATUSES or (exc.retry_after is not None and exc.status in RETRY_STATUSES):
                        pause = min(MAX_STRUGGLING_PAUSE_S, exc.retry_after if exc.retry_after else STRUGGLING_PAUSE_S)
                        self._health.mark_down(origin, f"{origin} answered {exc.short()} moments ago; asking again in "
                                                       "{left} s", pause)
                    raise
                self._health.note_trouble(origin, f"it answered {exc.short()}; retrying in {wait:.0f} s")
                time.sleep(wait)

    def _once(self, method, url, *, params, headers, json_body, deadline) -> tuple[bytes, httpx.Headers]:
        remaining = max(0.05, deadline - time.monotonic())
        timeout = httpx.Timeout(
            connect=min(self.settings.connect_timeout, remaining),
            read=min(self.settings.read_timeout, remaining),
            write=min(self.settings.read_timeout, remaining),
            pool=min(self.settings.connect_timeout, remaining),
        )
        try:
            with self._http.stream(method, url, params=params, headers=headers, json=json_body,
                                   timeout=timeout) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        raise OpenRouterError("the response was too large", kind="parse")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise OpenRouterError("the server was too slow (total time limit reached)", kind="timeout")
                body = b"".join(chunks)
                if time.monotonic() > deadline:
                    raise OpenRouterError("the server was too slow (total time limit reached)", kind="timeout")
                self._health.mark_up(_origin(url))
                if response.status_code >= 400:
                    raise error_from_response(response.status_code, body, response.headers)
                if response.status_code >= 300:
                    raise OpenRouterError(f"unexpected redirect (HTTP {response.status_code})", status=response.status_code)
                return body, response.headers
        except httpx.ConnectTimeout:
            raise OpenRouterError("could not connect in time (connect timeout)", kind="network") from None
        except httpx.TimeoutException:
            raise OpenRouterError("the server stopped answering (read timeout)", kind="timeout") from None
        except httpx.ConnectError as exc:
            raise OpenRouterError(_connect_reason(exc), kind="network") from None
        except httpx.TransportError as exc:
            raise OpenRouterError(f"the connection failed ({exc.__class__.__name__})", kind="timeout") from None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _connect_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text or "resolution" in text:
        return "the server's name could not be resolved (DNS failure: no network?)"
    if "refused" in text:
        return "the connection was refused (is the server running?)"
    return "could not connect (network down?)"
