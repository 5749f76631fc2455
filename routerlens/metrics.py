"""Throughput, time to first token and end-to-end latency per provider, day by day.

The website's daily comparison routes (``throughput-comparison``, ``latency-comparison``,
``latency-e2e-comparison``) publish one point per endpoint and day. No public copy of these
series exists for gpt-4o-mini, so where no real series is available the service may draw a
simulation from the real per-provider figures (:func:`simulate_metric`), which says how it was
made on the chart itself. Nothing here knows which source answered.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import routes, simulated
from .formatting import number
from .ids import STANDARD, ModelRef
from .parse import ParseError, as_dict, split_series_key, to_datetime, to_float, to_int
from .provenance import Sourced
from .providers import ProviderRow, ProviderTable, provider_table
from .schema import Endpoint
from .service import DataService, RecordedSeries, Simulation, Want, as_is

PERCENTILES = ("p50", "p75", "p90", "p99")
THIN_SAMPLE_COUNT = 100
"""Fewer requests than this behind a point and it is drawn greyed out as thin data."""
SIMULATED_DAYS = 90
TYPICAL_OUTPUT_TOKENS = 250
"""Assumed answer length for the simulated end-to-end latency (stated on its chart)."""

SIM_TAIL = {
    "throughput": {"p50": 1.0, "p75": 0.8, "p90": 0.62, "p99": 0.33},
    "latency": {"p50": 1.0, "p75": 1.67, "p90": 2.65, "p99": 7.14},
}
"""Ratios to a real p50, used only to simulate p75..p99 where no real tail figure exists. Latency:
the ratios of a 2026 secondary report of gpt-4o-mini's TTFT (497 / 830.2 / 1316 / 3550.2 ms,
reference/openrouter-api.md §4.3). Throughput: assumed (a slower tail is a lower number)."""
SIM_TAIL_ORIGIN = {
    "throughput": "an assumed ratio",
    "latency": "the ratio in a 2026 secondary report of gpt-4o-mini's TTFT",
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    definition: str


METRICS: dict[str, Metric] = {
    "throughput": Metric(
        "throughput", "Throughput", "tokens/s", True,
        "Output tokens per second of a request, as OpenRouter measures it: output tokens divided by the "
        "whole generation time **including the time to first token** (and any queueing). It therefore "
        "reads lower than pure decode speed, and short answers look slower than long ones."),
    "latency": Metric(
        "latency", "Latency (time to first token)", "ms", False,
        "Milliseconds from OpenRouter sending the request to the provider until the first token arrives "
        "(TTFT). It includes the provider's queueing and prompt processing, not your own network."),
    "latency-e2e": Metric(
        "latency-e2e", "End-to-end latency", "ms", False,
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
    return f"{number(value)} {'tok/s' if METRICS[metric].unit == 'tokens/s' else 'ms'}"


def percentile_value(endpoint: Endpoint, metric: str, percentile: str) -> float | None:
    stats = endpoint.throughput_30m if metric == "throughput" else endpoint.latency_30m if metric == "latency" else None
    return stats.get(percentile) if stats is not None else None


# --- daily series ----------------------------------------------------------------------------------

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


def parse_metric_series(payload: Any, *, percentile: str = "p50",
                        names: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                        variant: str = STANDARD) -> list[SeriesPoint]:
    """``{"data": [{"x": "2025-04-21 00:00:00", "y": {"<uuid>[::variant]": 61.3}}]}`` → points,
    with sample counts (object values or a point-level ``counts`` map) and provider names for the
    UUID keys. Nulls stay ``None`` (a gap); points with an unreadable time are skipped."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if isinstance(data, dict):  # tolerate {"data": {"series": [...]}}-style wrappers
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise ParseError("expected a list of daily points under 'data'")
    names = dict(names or {})
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


def series_label(key: str, names: Mapping[str, str], variant: str = STANDARD) -> str:
    """``<uuid>::standard`` → "OpenAI"; an unknown UUID → "endpoint 77e40332…"; another variant or
    a colo after ``::`` is kept in the label so two series never merge silently."""
    endpoint_id, extra = split_series_key(key)
    label = names.get(endpoint_id) or f"endpoint {endpoint_id[:8]}…"
    return f"{label} · {extra}" if extra and extra != variant else label


def metric_series(service: DataService, model_id: str | ModelRef, metric: str, percentile: str, *,
                  table: ProviderTable | None = None) -> Sourced[list[SeriesPoint]]:
    """Daily series per provider for one metric and percentile."""
    if metric not in METRICS or percentile not in PERCENTILES:
        raise ValueError(f"unknown metric/percentile {metric}/{percentile}")
    ref = ModelRef.of(model_id)
    table = table or provider_table(service, ref)
    return daily_series(service, ref, table, f"daily {METRICS[metric].label.lower()} series",
                        functools.partial(parse_metric_series, percentile=percentile),
                        lambda slug: routes.comparison(metric, slug, ref.variant, percentile), metric, percentile,
                        simulate=functools.partial(simulate_metric, table, metric, percentile))


def daily_series(service: DataService, ref: ModelRef, table: ProviderTable, what: str, parse: Callable[..., list],
                 route: Callable[[str], routes.LiveRoute], metric: str, percentile: str = "", *,
                 simulate: Callable | None = None) -> Sourced[list[SeriesPoint]]:
    """A daily per-endpoint series of the website's charts, named by ``table``'s providers: live
    (``route(permaslug)``, read by ``parse(payload, names=…, variant=…)``), extended or replaced by
    this deployment's recording of ``metric``, else ``simulate`` when there is one."""
    slug = service.permaslug(ref)
    names = tuple(sorted(table.names_by_id().items()))
    return service.get(Want(
        what, functools.partial(parse, names=names, variant=ref.variant), [],
        live=(route(slug),), needs_data=True, recorded=RecordedSeries(slug, ref.variant, metric, percentile),
        from_recording=functools.partial(series_from_recording, names), extend=extend_series, simulate=simulate))


# --- the recording ---------------------------------------------------------------------------------

def series_from_recording(names: Iterable[tuple[str, str]], rows: list, *,
                          step: dt.timedelta = dt.timedelta(days=1)) -> list[SeriesPoint]:
    """Recorded daily (or hourly: ``step``) rows → points named like the live ones. A slot missing
    inside a provider's recorded span becomes a ``None`` point: drawn as a gap, never interpolated."""
    names = dict(names)
    by_provider: dict[str, list] = {}
    for row in rows:
        by_provider.setdefault(row.provider, []).append(row)
    points: list[SeriesPoint] = []
    for key, items in by_provider.items():
        items.sort(key=lambda r: r.bucket)
        label = series_label(key, names) if split_series_key(key)[0] in names else (
            items[-1].label or series_label(key, names))
        seen = {item.bucket: item for item in items}
        day = items[0].bucket
        while day <= items[-1].bucket:
            item = seen.get(day)
            points.append(SeriesPoint(day, label, key, item.value if item else None, item.samples if item else None))
            day += step
    return points


MEASURED = {"throughput": "tokens_per_s", "latency": "ttft_ms", "latency-e2e": "total_ms"}
"""Which of your own measurements matches each published metric (same definitions)."""
MINE = "your requests"


def my_requests(service: DataService, model_id: str | ModelRef, metric: str) -> Sourced[list[SeriesPoint]]:
    """Your own playground answers for this model (recorded by this deployment), as points of the
    published metric: tokens/s end-to-end, TTFT, total time. Nothing when none were recorded."""
    ref = ModelRef.of(model_id)
    return service.get(Want(f"your measured requests to {ref.model_key}", as_is, [],
                            recorded=RecordedSeries(service.permaslug(ref), ref.variant, "measurements"),
                            from_recording=functools.partial(measured_points, metric), optional=True))


def measured_points(metric: str, rows: list) -> list[SeriesPoint]:
    field = MEASURED[metric]
    return [SeriesPoint(row.finished_at, MINE, row.provider or "unknown provider", getattr(row, field))
            for row in rows if row.ok and getattr(row, field) is not None]


def extend_series(live: list, recorded: list, *, attr: str = "when") -> list:
    """Live points, plus recorded points before or after the live window (live wins inside it)."""
    if not live:
        return recorded
    when = operator.attrgetter(attr)
    first, last = min(map(when, live)), max(map(when, live))
    return [*[p for p in recorded if when(p) < first], *live, *[p for p in recorded if when(p) > last]]


# --- simulation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seed:
    row: ProviderRow
    base: float
    described: str
    day: dt.date | None
    derived_tail: bool


def _seed(table: ProviderTable, row: ProviderRow, metric: str, percentile: str) -> _Seed | None:
    """The real figure a simulated series starts from, what it is, and its date."""
    prov = table.perf_provenance(row)
    where = prov.brief() if prov else "unknown source"
    day = prov.date if prov else None
    thr = row.endpoint.throughput_30m.get("p50") if row.endpoint.throughput_30m else None
    lat = row.endpoint.latency_30m.get("p50") if row.endpoint.latency_30m else None
    if metric == "latency-e2e":
        if thr is None or thr <= 0:
            return None
        base = TYPICAL_OUTPUT_TOKENS / thr * 1000 * SIM_TAIL["latency"][percentile]
        return _Seed(row, base, f"{row.label} p50 throughput {format_metric('throughput', thr)} ({where})", day,
                     percentile != "p50")
    p50 = thr if metric == "throughput" else lat
    if p50 is None:
        return None
    exact = percentile_value(row.endpoint, metric, percentile)
    base = exact if exact is not None else p50 * SIM_TAIL[metric][percentile]
    return _Seed(row, base, f"{row.label} p50 {format_metric(metric, p50)} ({where})", day, exact is None)


def simulate_metric(table: ProviderTable, metric: str, percentile: str, *,
                    days: int = SIMULATED_DAYS) -> Simulation[list[SeriesPoint]] | None:
    """A daily series per provider around its real figure, ending on the date of the newest
    figure it is seeded from. ``None`` when no provider has a figure to seed from."""
    seeds = [seed for row in table.rows if (seed := _seed(table, row, metric, percentile)) is not None]
    if not seeds:
        return None
    end = max((s.day for s in seeds if s.day), default=None) or dt.datetime.now(dt.timezone.utc).date()
    points: list[SeriesPoint] = []
    for seed in seeds:
        for day, value in simulated.daily_series(f"{metric}|{percentile}|{seed.row.label}", base=seed.base, days=days,
                                                 end=end, rel_noise=0.07, weekly=0.03, lo=0.0):
            points.append(SeriesPoint(dt.datetime(day.year, day.month, day.day), seed.row.label,
                                      seed.row.endpoint.endpoint_id or seed.row.label, round(value, 2)))
    caveats = [f"Invented day-to-day values; dates end {end.isoformat()}, the date of the real figures used."]
    kind = "latency" if metric == "latency-e2e" else metric
    if percentile != "p50" and any(s.derived_tail for s in seeds):
        caveats.append(f"{percentile} = {SIM_TAIL[kind][percentile]:g} × the real p50 ({SIM_TAIL_ORIGIN[kind]}), "
                       "not measured.")
    if metric == "latency-e2e":
        caveats.append(f"Assumes {TYPICAL_OUTPUT_TOKENS}-token answers at the real p50 throughput.")
    return Simulation(points, "; ".join(s.described for s in seeds), tuple(caveats))


def window_points(points: Iterable, days: int | None, *, attr: str = "when") -> list:
    """Points within ``days`` days of the newest one (``None`` = all)."""
    points = list(points)
    if not days or not points:
        return points
    newest = max(getattr(p, attr) for p in points)
    start = newest - dt.timedelta(days=days) + dt.timedelta(seconds=1)
    return [p for p in points if getattr(p, attr) >= start]
