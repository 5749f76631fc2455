"""Per-provider performance: the merged providers table, daily metric series, uptime, effective price.

Sources, in the order the pages need them:

* ``GET /api/v1/models/{id}/endpoints`` (documented): prices, limits, uptime 5 min / 30 min / 1 day
  and, with an API key, latency/throughput percentiles over the last 30 minutes.
* The website's ``stats/endpoint`` route (undocumented): the endpoint UUIDs the chart series are
  keyed by, p50..p99 latency/throughput, request counts, deranked flags, data policy.
* The website's daily comparison routes (``throughput-comparison``, ``latency-comparison``,
  ``latency-e2e-comparison``), ``uptime-recent`` (daily), ``uptime-hourly?id=`` (hourly) and
  ``effective-pricing``. Each is tried at ``/api/frontend/v1/stats/...`` then ``/api/frontend/stats/...``.

Offline there is no daily series for gpt-4o-mini anywhere public, so series come from
:mod:`routerlens.simulated`, seeded from the real per-provider figures, and carry
``Provenance.simulated``. In *Live* mode nothing is simulated: a failure is a notice and no data.
Nothing here imports Streamlit; nothing raises for a missing, null or odd field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from . import simulated
from .config import DataMode
from .parse import (
    ParseError, as_dict, parse_endpoints, split_series_key, to_bool, to_datetime, to_decimal, to_float, to_int,
    to_str,
)
from .provenance import Kind, Provenance, Sourced
from .schema import MILLION, Endpoint
from .client import OpenRouterError
from .service import DataService, LiveRoute, register_live_routes, website_variant

PERCENTILES = ("p50", "p75", "p90", "p99")
THIN_SAMPLE_COUNT = 100
"""Fewer requests than this behind a point and it is drawn greyed out as thin data."""
SIMULATED_DAYS = 90
SIMULATED_HOURS = 72
TYPICAL_OUTPUT_TOKENS = 250
"""Assumed answer length for the simulated end-to-end latency (stated in its notice)."""

# Tail ratios used only to simulate p75..p99 from a real p50. Latency ratios are those of the
# 2026 secondary figures in the reference (497 / 830.2 / 1316 / 3550.2 ms); throughput tails fall.
_SIM_TAIL = {
    "throughput": {"p50": 1.0, "p75": 0.8, "p90": 0.62, "p99": 0.33},
    "latency": {"p50": 1.0, "p75": 1.67, "p90": 2.65, "p99": 7.14},
}


# --- metric definitions -----------------------------------------------------------------------

@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    route: str
    definition: str


METRICS: dict[str, Metric] = {
    "throughput": Metric(
        "throughput", "Throughput", "tokens/s", True, "throughput-comparison",
        "Output tokens per second of a request, as OpenRouter measures it: output tokens divided by the "
        "whole generation time **including the time to first token** (and any queueing). It therefore "
        "reads lower than pure decode speed, and short answers look slower than long ones."),
    "latency": Metric(
        "latency", "Latency (time to first token)", "ms", False, "latency-comparison",
        "Milliseconds from OpenRouter sending the request to the provider until the first token arrives "
        "(TTFT). It includes the provider's queueing and prompt processing, not your own network."),
    "latency-e2e": Metric(
        "latency-e2e", "End-to-end latency", "ms", False, "latency-e2e-comparison",
        "Milliseconds from the request until the last token arrives (time to last token): TTFT plus "
        "generation time. It grows with answer length."),
}


def tail_text(metric: str, percentile: str) -> str:
    """Which requests a percentile describes, in words. OpenRouter's convention: pNN is the value
    NN% of requests do better than, so for throughput (higher is better) p90 is *below* p50."""
    info = METRICS[metric]
    if percentile == "p50":
        return "p50 is the median request: half of requests did better, half did worse."
    share = int(percentile[1:])
    worst = 100 - share
    if info.higher_is_better:
        return (f"{percentile} is the slow tail: {share}% of requests were faster than this, the slowest "
                f"{worst}% were at or below it. For throughput a higher percentile is a LOWER number.")
    return (f"{percentile} is the slow tail: {share}% of requests were quicker than this, the slowest "
            f"{worst}% waited at least this long. For latency a higher percentile is a HIGHER number.")


def format_metric(metric: str, value: float | None, *, unknown: str = "unknown") -> str:
    """74.8 tok/s, 327 ms, 1,232.5 ms: at most one decimal, thousands separated."""
    if value is None:
        return unknown
    return f"{format_number(value)} {'tok/s' if METRICS[metric].unit == 'tokens/s' else 'ms'}"


def format_number(value: float | None, *, unknown: str = "unknown") -> str:
    """1232.5 → "1,232.5"; 327.0 → "327"."""
    return unknown if value is None else f"{value:,.1f}".removesuffix(".0")


def percentile_value(endpoint: Endpoint, metric: str, percentile: str) -> float | None:
    stats = endpoint.throughput_30m if metric == "throughput" else endpoint.latency_30m if metric == "latency" else None
    return stats.get(percentile) if stats is not None else None


# --- identifiers and routes -------------------------------------------------------------------

def _paths(name: str) -> tuple[str, str]:
    return f"/api/frontend/v1/stats/{name}", f"/api/frontend/stats/{name}"


def stats_endpoint_route(slug: str, variant: str) -> LiveRoute:
    return LiveRoute.website(_paths("endpoint"), {"permaslug": slug, "variant": variant})


def comparison_route(metric: str, slug: str, variant: str, percentile: str) -> LiveRoute:
    return LiveRoute.website(_paths(METRICS[metric].route),
                             {"permaslug": slug, "variant": variant, "percentile": percentile})


def uptime_recent_route(slug: str) -> LiveRoute:
    return LiveRoute.website(_paths("uptime-recent"), {"permaslug": slug})


def uptime_hourly_route(endpoint_id: str) -> LiveRoute:
    return LiveRoute.website(_paths("uptime-hourly"), {"id": endpoint_id})


def effective_pricing_route(slug: str, variant: str) -> LiveRoute:
    return LiveRoute.website(_paths("effective-pricing"), {"permaslug": slug, "variant": variant})


def _live_routes(service: DataService, model_id: str) -> list[LiveRoute]:
    """What a cold refresh should fetch for these pages (hourly uptime needs ids, so not here)."""
    slug, variant = service.permaslug(model_id, wait_for_live=False), website_variant(model_id)
    routes = [stats_endpoint_route(slug, variant), uptime_recent_route(slug), effective_pricing_route(slug, variant)]
    routes += [comparison_route(metric, slug, variant, "p50") for metric in METRICS]
    return routes


register_live_routes(_live_routes)


# --- the providers table ----------------------------------------------------------------------

@dataclass(frozen=True)
class EndpointSummary:
    """deankerr/orchid's per-endpoint aggregate of website stats (window not documented there)."""

    provider_name: str
    average_uptime: float | None = None
    p50_latency_ms: float | None = None
    p50_throughput: float | None = None
    request_count: int | None = None
    is_deranked: bool | None = None


@dataclass(frozen=True)
class ProviderRow:
    """One endpoint: ``endpoint`` holds the /endpoints fields with gaps filled from stats/endpoint;
    ``perf_from`` says which of the two gave latency/throughput ("endpoints", "stats" or "")."""

    endpoint: Endpoint
    perf_from: str = ""
    summary: EndpointSummary | None = None
    directory: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        ep = self.endpoint
        return ep.provider_name if not ep.tag or ep.tag == ep.provider_name.lower() else f"{ep.provider_name} ({ep.tag})"


@dataclass(frozen=True)
class ProviderTable:
    rows: list[ProviderRow]
    endpoints: Sourced[list[Endpoint]]
    stats: Sourced[list[Endpoint]]
    summary: Sourced[list[EndpointSummary]]
    directory: Sourced[list[dict]]

    def perf_provenance(self, row: ProviderRow) -> Provenance | None:
        return {"endpoints": self.endpoints.provenance, "stats": self.stats.provenance}.get(row.perf_from)

    def names_by_id(self) -> dict[str, str]:
        """Endpoint UUID → display label, to name the series the website keys by UUID."""
        return {row.endpoint.endpoint_id: row.label for row in self.rows if row.endpoint.endpoint_id}


def endpoint_stats(service: DataService, model_id: str) -> Sourced[list[Endpoint]]:
    """The website's ``stats/endpoint`` rows (live, else the 2025-06-27 snapshot)."""
    slug, variant = service.permaslug(model_id), website_variant(model_id)
    return service.fetch(live=stats_endpoint_route(slug, variant), snapshot_path="/api/frontend/stats/endpoint",
                         snapshot_params={"permaslug": slug, "variant": variant}, parse=parse_endpoints,
                         default=[], what=f"per-provider stats for {model_id}")


def parse_endpoint_summary(payload: Any, model_id: str) -> list[EndpointSummary]:
    models = as_dict(as_dict(payload).get("models"))
    entry = as_dict(models.get(model_id) or models.get(model_id.split(":", 1)[0]))
    rows = entry.get("endpoints")
    if not isinstance(rows, list):
        return []
    out = []
    for raw in rows:
        raw = as_dict(raw)
        name = to_str(raw.get("provider_name"))
        if not name:
            continue
        out.append(EndpointSummary(
            provider_name=name,
            average_uptime=to_float(raw.get("average_uptime")),
            p50_latency_ms=to_float(raw.get("p50_latency_ms")),
            p50_throughput=to_float(raw.get("p50_throughput_tokens_per_second")),
            request_count=to_int(raw.get("total_request_count")),
            is_deranked=to_bool(raw.get("is_deranked")),
        ))
    return out


def endpoint_summary(service: DataService, model_id: str) -> Sourced[list[EndpointSummary]]:
    """Snapshot only: a third party's aggregate, shown as such (its window is not documented)."""
    return service.fetch(live=None, snapshot_path="#endpoint_summary",
                         parse=lambda payload: parse_endpoint_summary(payload, model_id), default=[],
                         what="endpoint summary")


def _catalogue_policy(service: DataService, model_id: str) -> dict[str, dict]:
    """Data policy per provider slug from the website catalogue snapshot (default endpoint only)."""
    entry = service.snapshot.lookup("/api/frontend/models")
    if entry is None:
        return {}
    data = as_dict(service.snapshot.load(entry)).get("data")
    base = model_id.split(":", 1)[0]
    out: dict[str, dict] = {}
    for item in data if isinstance(data, list) else []:
        item = as_dict(item)
        if base not in (item.get("slug"), item.get("permaslug")):
            continue
        endpoint = parse_endpoints({"data": [item.get("endpoint")]})
        for ep in endpoint:
            if ep.data_policy:
                out[(ep.tag or ep.provider_name).lower()] = ep.data_policy
    return out


def _match(endpoint: Endpoint, candidates: list[Endpoint]) -> Endpoint | None:
    """Same endpoint in another source: by UUID, routing tag, full name, then a unique provider name."""
    for attr in ("endpoint_id", "tag", "name"):
        value = getattr(endpoint, attr)
        if value:
            for other in candidates:
                if getattr(other, attr) == value:
                    return other
    same = [other for other in candidates if other.provider_name == endpoint.provider_name]
    return same[0] if len(same) == 1 else None


_FILL_FIELDS = ("endpoint_id", "quantization", "context_length", "max_completion_tokens", "max_prompt_tokens",
                "status", "request_count", "is_deranked", "supports_implicit_caching")


def merge_endpoint(primary: Endpoint, stats: Endpoint | None) -> tuple[Endpoint, str]:
    """Fill the documented endpoint's gaps from the stats route; percentiles from whichever has them."""
    perf_from = "endpoints" if (primary.latency_30m or primary.throughput_30m) else ""
    if stats is None:
        return primary, perf_from
    changes = {name: getattr(stats, name) for name in _FILL_FIELDS
               if getattr(primary, name) is None and getattr(stats, name) is not None}
    if not primary.supported_parameters and stats.supported_parameters:
        changes["supported_parameters"] = stats.supported_parameters
    if not primary.data_policy and stats.data_policy:
        changes["data_policy"] = stats.data_policy
    if not perf_from and (stats.latency_30m or stats.throughput_30m):
        changes["latency_30m"], changes["throughput_30m"] = stats.latency_30m, stats.throughput_30m
        perf_from = "stats"
    return replace(primary, **changes), perf_from


def merge_rows(endpoints: list[Endpoint], stats: list[Endpoint], summary: list[EndpointSummary],
               directory: list[dict], *, include_stats_only: bool) -> list[ProviderRow]:
    """One row per endpoint; stats-only endpoints are added when asked (same-age sources)."""
    remaining = list(stats)
    rows: list[ProviderRow] = []
    for endpoint in endpoints:
        other = _match(endpoint, remaining)
        if other is not None:
            remaining.remove(other)
        merged, perf_from = merge_endpoint(endpoint, other)
        rows.append(ProviderRow(merged, perf_from))
    if include_stats_only or not endpoints:
        for other in remaining:
            rows.append(ProviderRow(other, "stats" if (other.latency_30m or other.throughput_30m) else ""))
    by_name = {item.provider_name: item for item in summary}
    by_slug = {str(d.get("slug")).lower(): d for d in directory if isinstance(d, dict) and d.get("slug")}
    out = []
    for row in rows:
        base_slug = (row.endpoint.tag or row.endpoint.provider_name).split("/", 1)[0].lower()
        out.append(replace(row, summary=by_name.get(row.endpoint.provider_name), directory=by_slug.get(base_slug, {})))
    return out


def provider_table(service: DataService, model_id: str) -> ProviderTable:
    """Every source the providers table draws on, merged by endpoint, each kept with its provenance."""
    endpoints = service.endpoints(model_id)
    stats = endpoint_stats(service, model_id)
    summary = endpoint_summary(service, model_id)
    directory = service.providers_directory()
    same_age = endpoints.provenance.kind == stats.provenance.kind
    rows = merge_rows(endpoints.value, stats.value, summary.value, directory.value, include_stats_only=same_age)
    if stats.provenance.kind is Kind.SNAPSHOT:  # the summary is of the same era: its flag applies
        rows = [replace(row, endpoint=replace(row.endpoint, is_deranked=row.summary.is_deranked))
                if row.summary and row.endpoint.is_deranked is None else row for row in rows]
    policies = _catalogue_policy(service, model_id)
    if policies:
        rows = [row if row.endpoint.data_policy else
                replace(row, endpoint=replace(row.endpoint, data_policy=policies.get(
                    (row.endpoint.tag or row.endpoint.provider_name).lower(), {})))
                for row in rows]
    return ProviderTable(rows, endpoints, stats, summary, directory)


def data_policy_text(policy: dict) -> str:
    """"no training · keeps prompts 30 days" from the 2025 camelCase or 2026 snake_case flags."""
    if not policy:
        return "unknown"
    paid = as_dict(policy.get("paidModels"))
    training = next((v for v in (policy.get("training"), policy.get("trains_on_prompts"), paid.get("training"))
                     if isinstance(v, bool)), None)
    retains = next((v for v in (policy.get("retainsPrompts"), policy.get("retains_prompts"),
                                paid.get("retainsPrompts")) if isinstance(v, bool)), None)
    days = to_int(policy.get("retentionDays") if policy.get("retentionDays") is not None else paid.get("retentionDays"))
    parts = []
    if training is not None:
        parts.append("trains on prompts" if training else "no training")
    if retains is not None:
        parts.append(f"keeps prompts {days} days" if retains and days else "keeps prompts" if retains
                     else "no prompt retention")
    return " · ".join(parts) or "unknown"


def status_text(endpoint: Endpoint) -> str:
    status = endpoint.status
    parts = []
    if status is not None:
        parts.append("healthy" if status == 0 else "disabled" if status <= -10 else f"degraded ({status})")
    if endpoint.is_deranked:
        parts.append("deranked")
    return " · ".join(parts) or "unknown"


# --- daily series -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesPoint:
    when: dt.datetime
    provider: str
    endpoint_key: str
    value: float | None
    count: int | None = None

    @property
    def thin(self) -> bool:
        return self.count is not None and self.count < THIN_SAMPLE_COUNT


_COUNT_KEYS = ("count", "request_count", "requests", "samples", "sample_count", "n")


def _value_and_count(raw: Any, percentile: str) -> tuple[float | None, int | None]:
    """A series value is a number, or an object such as ``{"value": 61.3, "count": 120}``."""
    if not isinstance(raw, dict):
        return to_float(raw), None
    value = next((to_float(raw[k]) for k in ("value", percentile, "y", "avg") if k in raw), None)
    count = next((to_int(raw[k]) for k in _COUNT_KEYS if k in raw), None)
    return value, count


def parse_metric_series(payload: Any, *, percentile: str = "p50", names: dict[str, str] | None = None,
                        variant: str = "standard") -> list[SeriesPoint]:
    """``{"data": [{"x": "2025-04-21 00:00:00", "y": {"<uuid>[::variant]": 61.3}}]}`` → points.

    Like :func:`routerlens.parse.parse_comparison_series`, plus sample counts (object values or a
    point-level ``counts`` map) and provider names for the UUID keys. Nulls stay ``None`` (a gap)."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if isinstance(data, dict):  # tolerate {"data": {"series": [...]}}-style wrappers
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise ParseError("expected a list of daily points under 'data'")
    names = names or {}
    points: list[SeriesPoint] = []
    for raw in data:
        raw = as_dict(raw)
        when = to_datetime(raw.get("x") if raw.get("x") is not None else raw.get("date"))
        series = raw.get("y")
        if when is None or not isinstance(series, dict):
            continue
        counts = as_dict(raw.get("counts"))
        for key, item in series.items():
            value, count = _value_and_count(item, percentile)
            if count is None:
                count = to_int(counts.get(key))
            points.append(SeriesPoint(when, series_label(str(key), names, variant), str(key), value, count))
    return points


def series_label(key: str, names: dict[str, str], variant: str = "standard") -> str:
    """``<uuid>::standard`` → "OpenAI"; an unknown UUID → "endpoint 77e40332…"; another variant or
    a colo after ``::`` is kept in the label so two series never merge silently."""
    endpoint_id, extra = split_series_key(key)
    label = names.get(endpoint_id) or f"endpoint {endpoint_id[:8]}…"
    return f"{label} · {extra}" if extra and extra != variant else label


def metric_series(service: DataService, model_id: str, metric: str, percentile: str, *,
                  table: ProviderTable | None = None) -> Sourced[list[SeriesPoint]]:
    """Daily series per provider for one metric and percentile: live, else (not in Live mode)
    simulated from the table's real figures, with a notice saying so."""
    if metric not in METRICS or percentile not in PERCENTILES:
        raise ValueError(f"unknown metric/percentile {metric}/{percentile}")
    table = table or provider_table(service, model_id)
    slug, variant = service.permaslug(model_id), website_variant(model_id)
    names = table.names_by_id()
    return _live_or_simulated(
        service, comparison_route(metric, slug, variant, percentile),
        lambda payload: parse_metric_series(payload, percentile=percentile, names=names, variant=variant),
        f"daily {METRICS[metric].label.lower()} series",
        lambda reason: simulate_metric(table, metric, percentile, reason=reason))


def _live_or_simulated(service: DataService, route: LiveRoute, parse, what: str, simulate) -> Sourced[list]:
    """Live points when the route answers with some; in Live mode nothing else; otherwise the
    simulated stand-in, told why live data is missing."""
    live = service.fetch(live=route, snapshot_path=None, parse=parse, default=[], what=what)
    if live.provenance.kind is Kind.LIVE and live.value:
        return live
    if service.mode is DataMode.LIVE:
        return live if live.notice else live.with_notice(f"OpenRouter returned no {what}.")
    return simulate(_why_not_live(service, route, what))


def _why_not_live(service: DataService, route: LiveRoute, what: str) -> str:
    """The reason in words (the failed response is in the service's cache, so no new request)."""
    if service.mode is DataMode.OFFLINE:
        return f"Offline mode: no live {what}"
    result = service.live_get(route)
    if isinstance(result, OpenRouterError):
        return f"Live {what} unavailable ({result.short()})"
    return f"OpenRouter's {what} was empty or unreadable"


def _seed(table: ProviderTable, row: ProviderRow, metric: str, percentile: str) -> tuple[float, str] | None:
    """The real figure a simulated series starts from, and what it is."""
    prov = table.perf_provenance(row)
    where = f"{prov.short_label()}, {prov.source}" if prov else "unknown source"
    thr = row.endpoint.throughput_30m.get("p50") if row.endpoint.throughput_30m else None
    lat = row.endpoint.latency_30m.get("p50") if row.endpoint.latency_30m else None
    if metric == "latency-e2e":
        if thr is None or thr <= 0:
            return None
        base = TYPICAL_OUTPUT_TOKENS / thr * 1000 * _SIM_TAIL["latency"][percentile]
        return base, f"{row.label} p50 throughput {format_metric('throughput', thr)} ({where})"
    p50 = thr if metric == "throughput" else lat
    if p50 is None:
        return None
    exact = percentile_value(row.endpoint, metric, percentile)
    base = exact if exact is not None else p50 * _SIM_TAIL[metric][percentile]
    return base, f"{row.label} p50 {format_metric(metric, p50)} ({where})"


def simulate_metric(table: ProviderTable, metric: str, percentile: str, *, reason: str,
                    end: dt.date | None = None, days: int = SIMULATED_DAYS) -> Sourced[list[SeriesPoint]]:
    end = end or dt.datetime.now(dt.timezone.utc).date()
    points: list[SeriesPoint] = []
    seeds = []
    for row in table.rows:
        seed = _seed(table, row, metric, percentile)
        if seed is None:
            continue
        base, described = seed
        seeds.append(described)
        for day, value in simulated.daily_series(f"{metric}|{percentile}|{row.label}", base=base, days=days, end=end,
                                                 rel_noise=0.07, weekly=0.03, lo=0.0):
            points.append(SeriesPoint(dt.datetime(day.year, day.month, day.day), row.label,
                                      row.endpoint.endpoint_id or row.label, round(value, 2)))
    what = "; ".join(seeds) or "no real figure (nothing to seed from)"
    extra = f" End-to-end latency assumes {TYPICAL_OUTPUT_TOKENS}-token answers." if metric == "latency-e2e" else ""
    notice = (f"{reason}. No public daily series exists for this model, so this chart is simulated from the "
              f"real per-provider figures.{extra}")
    return Sourced(points, Provenance.simulated(what), notice=notice)


def window_points(points: Iterable, days: int | None, *, attr: str = "when") -> list:
    """Points within ``days`` days of the newest one (``None`` = all)."""
    points = list(points)
    if not days or not points:
        return points
    newest = max(getattr(p, attr) for p in points)
    start = newest - dt.timedelta(days=days) + dt.timedelta(seconds=1)
    return [p for p in points if getattr(p, attr) >= start]


# --- uptime -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UptimePoint:
    when: dt.datetime
    provider: str
    endpoint_key: str
    uptime: float | None


UPTIME_BANDS = (  # (lower bound %, label): the colours of the heat strip, best first
    (99.9, "≥ 99.9%"), (99.0, "99–99.9%"), (95.0, "95–99%"), (90.0, "90–95%"), (0.0, "< 90% (outage)"),
)
NO_DATA_BAND = "no data"


def uptime_band(value: float | None) -> str:
    if value is None:
        return NO_DATA_BAND
    return next(label for bound, label in UPTIME_BANDS if value >= bound)


def _uptime_items(raw: Any) -> list[tuple[dt.datetime, float | None]]:
    out = []
    for item in raw if isinstance(raw, list) else []:
        item = as_dict(item)
        when = to_datetime(item.get("date") if item.get("date") is not None else item.get("x"))
        if when is not None:
            out.append((when, to_float(item.get("uptime") if "uptime" in item else item.get("y"))))
    return out


def parse_uptime_recent(payload: Any, names: dict[str, str] | None = None) -> list[UptimePoint]:
    """``{"data": {"<uuid>": [{"date": "...", "uptime": 99.9 | null}]}}`` → points, oldest first."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise ParseError("expected an object of endpoint series under 'data'")
    names = names or {}
    points = [UptimePoint(when, series_label(str(key), names), str(key), value)
              for key, items in data.items() for when, value in _uptime_items(items)]
    return sorted(points, key=lambda p: (p.provider, p.when))


def parse_uptime_hourly(payload: Any, label: str) -> list[UptimePoint]:
    """``{"data": {"history": [{"date": "...", "uptime": 100}]}}`` → points, oldest first."""
    data = payload.get("data") if isinstance(payload, dict) else None
    history = data.get("history") if isinstance(data, dict) else data
    if not isinstance(history, list):
        raise ParseError("expected a list under 'data.history'")
    return sorted((UptimePoint(when, label, label, value) for when, value in _uptime_items(history)),
                  key=lambda p: p.when)


def _uptime_seed(row: ProviderRow) -> tuple[float, str]:
    ep = row.endpoint
    for value, what in ((ep.uptime_1d, "1-day uptime"), (ep.uptime_30m, "30-min uptime"),
                        (row.summary.average_uptime if row.summary else None, "average uptime (orchid summary)")):
        if value is not None:
            return min(99.99, value), f"{row.label} {what} {value:.2f}%"
    return 99.9, f"{row.label}: no real uptime figure, typical 99.9% assumed"


def uptime_daily(service: DataService, model_id: str, *, table: ProviderTable | None = None,
                 days: int = 30) -> Sourced[list[UptimePoint]]:
    """Daily uptime per provider (``uptime-recent``), else simulated (not in Live mode)."""
    table = table or provider_table(service, model_id)
    names = table.names_by_id()

    def simulate(reason: str) -> Sourced[list[UptimePoint]]:
        end = dt.datetime.now(dt.timezone.utc).date()
        points, seeds = [], []
        for row in table.rows:
            typical, described = _uptime_seed(row)
            seeds.append(described)
            for day, value in simulated.uptime_series(row.label, days=days, end=end, typical=typical):
                points.append(UptimePoint(dt.datetime(day.year, day.month, day.day), row.label, row.label,
                                          round(value, 3)))
        return Sourced(points, Provenance.simulated("; ".join(seeds) or "nothing"),
                       notice=f"{reason}. Showing simulated daily uptime seeded from the real figures.")

    return _live_or_simulated(service, uptime_recent_route(service.permaslug(model_id)),
                              lambda payload: parse_uptime_recent(payload, names), "daily uptime history", simulate)


def uptime_hourly(service: DataService, row: ProviderRow) -> Sourced[list[UptimePoint]]:
    """Hourly uptime (last ~72 h) for one endpoint; needs its UUID from the stats route."""

    def simulate(reason: str) -> Sourced[list[UptimePoint]]:
        typical, described = _uptime_seed(row)
        now = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0, tzinfo=None)
        points = [UptimePoint(when, row.label, row.label, round(value, 3))
                  for when, value in simulated.hourly_uptime(row.label, hours=SIMULATED_HOURS, end=now,
                                                             typical=typical)]
        return Sourced(points, Provenance.simulated(described),
                       notice=f"{reason}. Showing simulated hourly uptime seeded from the real figures.")

    endpoint_id = row.endpoint.endpoint_id
    if not endpoint_id:
        reason = f"The endpoint id of {row.label} is unknown, so its hourly uptime cannot be asked for"
        if service.mode is DataMode.LIVE:
            return Sourced([], Provenance.nothing("endpoint id unknown"), notice=reason + ".")
        return simulate(reason)
    return _live_or_simulated(service, uptime_hourly_route(endpoint_id),
                              lambda payload: parse_uptime_hourly(payload, row.label),
                              f"hourly uptime for {row.label}", simulate)


# --- effective pricing ------------------------------------------------------------------------

@dataclass(frozen=True)
class EffectivePrice:
    provider: str
    endpoint_id: str | None = None
    slug: str | None = None
    input_per_m: Decimal | None = None
    output_per_m: Decimal | None = None
    cache_hit_rate: Decimal | None = None
    """Share 0..1 of input tokens served from cache."""
    total_tokens: int | None = None


@dataclass(frozen=True)
class EffectivePricing:
    input_per_m: Decimal | None
    output_per_m: Decimal | None
    providers: list[EffectivePrice]

    def for_row(self, row: ProviderRow) -> EffectivePrice | None:
        ep = row.endpoint
        for item in self.providers:
            if (ep.endpoint_id and item.endpoint_id == ep.endpoint_id) or (ep.tag and item.slug == ep.tag):
                return item
        same = [item for item in self.providers if item.provider == ep.provider_name]
        return same[0] if len(same) == 1 else None


def _price_per_m(value: Any) -> Decimal | None:
    """The route's unit is not documented: values below $0.01 are read as USD per token (the API's
    own unit) and scaled to per-million; larger values are taken as already per million."""
    number = to_decimal(value)
    if number is None:
        return None
    return number * MILLION if number < Decimal("0.01") else number


def _share(value: Any) -> Decimal | None:
    number = to_decimal(value)
    if number is None or number < 0:
        return None
    return number / 100 if number > 1 else number


def parse_effective_pricing(payload: Any) -> EffectivePricing:
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise ParseError("expected an object under 'data'")
    providers = []
    for raw in data.get("providerSummaries") or data.get("provider_summaries") or []:
        raw = as_dict(raw)
        name = to_str(raw.get("providerName")) or to_str(raw.get("provider_name"))
        if not name:
            continue
        providers.append(EffectivePrice(
            provider=name,
            endpoint_id=to_str(raw.get("endpointId")) or to_str(raw.get("endpoint_id")),
            slug=to_str(raw.get("providerSlug")) or to_str(raw.get("provider_slug")),
            input_per_m=_price_per_m(raw.get("effectiveInputPrice", raw.get("effective_input_price"))),
            output_per_m=_price_per_m(raw.get("effectiveOutputPrice", raw.get("effective_output_price"))),
            cache_hit_rate=_share(raw.get("cacheHitRate", raw.get("cache_hit_rate"))),
            total_tokens=to_int(raw.get("totalTokens", raw.get("total_tokens"))),
        ))
    return EffectivePricing(_price_per_m(data.get("weightedInputPrice", data.get("weighted_input_price"))),
                            _price_per_m(data.get("weightedOutputPrice", data.get("weighted_output_price"))),
                            providers)


def effective_pricing(service: DataService, model_id: str) -> Sourced[EffectivePricing | None]:
    """OpenRouter's usage-weighted price actually paid per provider (live only; no snapshot exists)."""
    route = effective_pricing_route(service.permaslug(model_id), website_variant(model_id))
    return service.fetch(live=route, snapshot_path=None, parse=parse_effective_pricing, default=None,
                         what="effective pricing")
