"""Every live route RouterLens reads, in one place.

Two families (reference/openrouter-api.md §1 and §3):

* the documented API under the configured base URL (``/api/v1``); some routes send the key when
  there is one (it unlocks more fields), some cannot be read without it;
* the website's undocumented stats routes under the same origin's ``/api/frontend/...``. They
  moved to ``/api/frontend/v1/...`` in 2026, so each is tried there first and then at the old
  path. They never receive the key. They key a model by its **permaslug** (``canonical_slug``)
  plus a **variant** (``standard``, ``free``, ``batch``, …), except the uptime routes.

Each route says whether it needs a key and how long an answer stays fresh. "Refresh live data"
and the cold-refresh plan (:func:`plan`) read this list; nothing registers routes at import time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .ids import ModelRef, valid_permaslug


class KeyUse(str, Enum):
    NONE = "none"
    """Never sent the key (the model list, every website route)."""
    OPTIONAL = "optional"
    """Sent the key when there is one; it unlocks more fields (per-provider percentiles)."""
    REQUIRED = "required"
    """Cannot be read without a key (the public datasets)."""


CATALOGUE_TTL_S = 600.0
"""Model list, provider directory: change a few times a day."""
LIVE_TTL_S = 300.0
"""Per-endpoint figures over the last 30 minutes."""
DAILY_TTL_S = 1800.0
"""Daily series, rankings, top apps: one new point a day."""


@dataclass(frozen=True)
class LiveRoute:
    """One live request. ``alternates`` are tried in order when a path answers 404."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    site: bool = False
    key: KeyUse = KeyUse.NONE
    alternates: tuple[str, ...] = ()
    ttl: float = LIVE_TTL_S

    @property
    def sends_key(self) -> bool:
        return self.key is not KeyUse.NONE and not self.site

    @property
    def needs_key(self) -> bool:
        return self.key is KeyUse.REQUIRED

    def label(self, path: str | None = None) -> str:
        """``GET /api/v1/models?output_modalities=all``: how a badge names the route."""
        prefix = "" if self.site else "/api/v1"
        query = "&".join(f"{k}={v}" for k, v in self.params)
        return f"GET {prefix}{path or self.path}" + (f"?{query}" if query else "")


def _params(values: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in (values or {}).items()))


def api(path: str, params: Mapping[str, Any] | None = None, *, key: KeyUse = KeyUse.NONE,
        ttl: float = LIVE_TTL_S) -> LiveRoute:
    return LiveRoute(path, _params(params), key=key, ttl=ttl)


def website(name: str, params: Mapping[str, Any] | None = None, *, ttl: float = DAILY_TTL_S) -> LiveRoute:
    """``/api/frontend/v1/stats/<name>``, falling back to ``/api/frontend/stats/<name>``."""
    return LiveRoute(f"/api/frontend/v1/stats/{name}", _params(params), site=True,
                     alternates=(f"/api/frontend/stats/{name}",), ttl=ttl)


# --- identity ------------------------------------------------------------------------------------

def permaslug_of(ref: ModelRef, canonical_slug: str | None = None) -> str:
    """The permanent slug the website routes (and the endpoints link) key on: the model entry's
    ``canonical_slug`` when it is known and well-formed, else the id without its suffix. The one
    rule for every route; ``openai/gpt-4o-mini:batch`` → ``openai/gpt-4o-mini``."""
    return valid_permaslug(canonical_slug) or ref.base


# --- the documented API ----------------------------------------------------------------------------

def models() -> LiveRoute:
    """``GET /api/v1/models?output_modalities=all``: every model, with prices and benchmarks."""
    return api("/models", {"output_modalities": "all"}, ttl=CATALOGUE_TTL_S)


def providers() -> LiveRoute:
    """``GET /api/v1/providers``: policy links, status pages, headquarters per provider."""
    return api("/providers", ttl=CATALOGUE_TTL_S)


def endpoints(permaslug: str) -> LiveRoute:
    """``GET /api/v1/models/{permaslug}/endpoints``: the path each model entry links as
    ``links.details`` (variants link their permaslug's list; the service keeps only the
    endpoints of the variant asked for). With a key it carries latency/throughput percentiles."""
    return api(f"/models/{permaslug}/endpoints", key=KeyUse.OPTIONAL)


def benchmarks() -> LiveRoute:
    """``GET /api/v1/benchmarks?source=artificial-analysis`` (a keyed dataset)."""
    return api("/benchmarks", {"source": "artificial-analysis"}, key=KeyUse.REQUIRED, ttl=DAILY_TTL_S)


def app_rankings() -> LiveRoute:
    """``GET /api/v1/datasets/app-rankings``: OpenRouter's overall app leaderboard (keyed)."""
    return api("/datasets/app-rankings", {"sort": "popular", "limit": 20}, key=KeyUse.REQUIRED, ttl=DAILY_TTL_S)


RANKINGS_WINDOW_DAYS = 30


def rankings_daily(today: dt.date) -> LiveRoute:
    """``GET /api/v1/datasets/rankings-daily`` over the last completed UTC days (keyed)."""
    start, end = today - dt.timedelta(days=RANKINGS_WINDOW_DAYS), today - dt.timedelta(days=1)
    return api("/datasets/rankings-daily", {"start_date": start.isoformat(), "end_date": end.isoformat(),
                                            "period": "day"}, key=KeyUse.REQUIRED, ttl=DAILY_TTL_S)


# --- the website's stats routes ------------------------------------------------------------------

METRIC_ROUTES = {
    "throughput": "throughput-comparison",
    "latency": "latency-comparison",
    "latency-e2e": "latency-e2e-comparison",
}


def stats_endpoint(permaslug: str, variant: str) -> LiveRoute:
    """Per-endpoint ids, p50..p99 over the last 30 minutes, request counts, policies."""
    return website("endpoint", {"permaslug": permaslug, "variant": variant}, ttl=LIVE_TTL_S)


def comparison(metric: str, permaslug: str, variant: str, percentile: str) -> LiveRoute:
    """Daily per-endpoint series of one metric at one percentile."""
    return website(METRIC_ROUTES[metric], {"permaslug": permaslug, "variant": variant, "percentile": percentile})


ERROR_RATE_ROUTES = {
    "tool-call": "tool-call-error-rate",
    "structured-output": "structured-output-error-rate",
}
"""The two daily error-rate routes by kind; the route name is also the metric the recording keeps."""


def error_rate(kind: str, permaslug: str, variant: str) -> LiveRoute:
    """Daily per-endpoint error rate (percent) of one kind: tool calls or structured output."""
    return website(ERROR_RATE_ROUTES[kind], {"permaslug": permaslug, "variant": variant})


def uptime_recent(permaslug: str) -> LiveRoute:
    """Daily uptime per endpoint. No variant parameter: every variant's endpoints come back,
    keyed ``uuid`` or ``uuid::variant``."""
    return website("uptime-recent", {"permaslug": permaslug})


def uptime_hourly(endpoint_id: str) -> LiveRoute:
    """Hourly uptime of one endpoint (by its UUID) over the last ~72 hours."""
    return website("uptime-hourly", {"id": endpoint_id}, ttl=LIVE_TTL_S)


def effective_pricing(permaslug: str, variant: str) -> LiveRoute:
    """Usage-weighted price actually paid per provider, after caching."""
    return website("effective-pricing", {"permaslug": permaslug, "variant": variant})


def top_apps(permaslug: str, variant: str) -> LiveRoute:
    """Top public apps; the answer also carries the daily activity series (``top_apps_chart``)."""
    return website("top-apps-for-model", {"permaslug": permaslug, "variant": variant})


def model_activity(permaslug: str, variant: str) -> LiveRoute:
    """Daily tokens and requests (2026)."""
    return website("model-activity", {"permaslug": permaslug, "variant": variant})


# --- the cold-refresh plan -----------------------------------------------------------------------

def plan(ref: ModelRef, permaslug: str, *, has_key: bool, today: dt.date) -> list[LiveRoute]:
    """Every route the pages read for one model, for a cold refresh that fetches them all at once.
    Hourly uptime needs endpoint ids from ``stats_endpoint``, so it is fetched when shown; routes
    that need a key are planned only with one."""
    variant = ref.variant
    routes = [models(), providers(), endpoints(permaslug), stats_endpoint(permaslug, variant),
              uptime_recent(permaslug), effective_pricing(permaslug, variant),
              top_apps(permaslug, variant), model_activity(permaslug, variant)]
    routes += [comparison(metric, permaslug, variant, "p50") for metric in METRIC_ROUTES]
    routes += [error_rate(kind, permaslug, variant) for kind in ERROR_RATE_ROUTES]
    if has_key:
        routes += [benchmarks(), app_rankings(), rankings_daily(today)]
    return list(dict.fromkeys(routes))
