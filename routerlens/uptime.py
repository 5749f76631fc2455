"""Uptime per provider over time: daily (``uptime-recent``) and hourly (``uptime-hourly?id=``).

Uptime = successful requests / (successful + failed), rate-limited requests excluded. Where no
real history is available the service may draw a simulation seeded from real uptime figures;
every sentence computed from it says "simulated". Nothing here knows which source answered.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import routes, simulated
from .formatting import percent
from .ids import STANDARD, ModelRef
from .metrics import extend_series, series_from_recording, series_label
from .parse import ParseError, as_dict, split_series_key, to_datetime, to_float
from .provenance import Sourced
from .providers import ProviderRow, ProviderTable, provider_table
from .service import DataService, RecordedSeries, Simulation, Want

SIMULATED_HOURS = 72
DAILY_DAYS = 30

UPTIME_BANDS = (  # (lower bound %, label): the colours of the heat strip, best first
    (99.9, "≥ 99.9%"), (99.0, "99–99.9%"), (95.0, "95–99%"), (90.0, "90–95%"), (0.0, "< 90% (outage)"),
)
NO_DATA_BAND = "no data"


@dataclass(frozen=True)
class UptimePoint:
    when: dt.datetime
    provider: str
    endpoint_key: str
    uptime: float | None


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


def parse_uptime_recent(payload: Any, names: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                        variant: str = STANDARD) -> list[UptimePoint]:
    """``{"data": {"<uuid>[::variant]": [{"date": "...", "uptime": 99.9 | null}]}}`` → points,
    oldest first. The route has no variant parameter and returns every variant's endpoints: a
    series marked as another variant is left out."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise ParseError("expected an object of endpoint series under 'data'")
    names = dict(names or {})
    points = [UptimePoint(when, series_label(str(key), names, variant), str(key), value)
              for key, items in data.items() if split_series_key(str(key))[1] in (None, variant)
              for when, value in _uptime_items(items)]
    return sorted(points, key=lambda p: (p.provider, p.when))


def parse_uptime_hourly(payload: Any, label: str) -> list[UptimePoint]:
    """``{"data": {"history": [{"date": "...", "uptime": 100}]}}`` → points, oldest first."""
    data = payload.get("data") if isinstance(payload, dict) else None
    history = data.get("history") if isinstance(data, dict) else data
    if not isinstance(history, list):
        raise ParseError("expected a list under 'data.history'")
    return sorted((UptimePoint(when, label, label, value) for when, value in _uptime_items(history)),
                  key=lambda p: p.when)


# --- simulation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seed:
    typical: float
    described: str
    day: dt.date | None


def _uptime_seed(table: ProviderTable, row: ProviderRow) -> _Seed | None:
    """A real uptime figure of this endpoint, what it is and its date; ``None`` when there is none
    (no figure is assumed)."""
    ep, endpoints_prov, summary_prov = row.endpoint, table.endpoints.provenance, table.summary.provenance
    for value, what, prov in ((ep.uptime_1d, "1-day uptime", endpoints_prov),
                              (ep.uptime_30m, "30-min uptime", endpoints_prov),
                              (row.summary.average_uptime if row.summary else None,
                               "average uptime (deankerr/orchid summary)", summary_prov)):
        if value is not None:
            return _Seed(min(99.99, value), f"{row.label} {what} {percent(value, places=2)} ({prov.brief()})", prov.date)
    return None


def simulate_daily(table: ProviderTable, *, days: int = DAILY_DAYS) -> Simulation[list[UptimePoint]] | None:
    seeds = [(row, seed) for row in table.rows if (seed := _uptime_seed(table, row)) is not None]
    if not seeds:
        return None
    end = max((s.day for _, s in seeds if s.day), default=None) or dt.datetime.now(dt.timezone.utc).date()
    points = [UptimePoint(dt.datetime(day.year, day.month, day.day), row.label, row.label, round(value, 3))
              for row, seed in seeds
              for day, value in simulated.uptime_series(row.label, days=days, end=end, typical=seed.typical)]
    return Simulation(points, "; ".join(s.described for _, s in seeds), (
        "Invented days around the real uptime figures; bad days are random, not real outages.",
        f"Dates end {end.isoformat()}, the date of the real figures used."))


def simulate_hourly(table: ProviderTable, row: ProviderRow, *,
                    hours: int = SIMULATED_HOURS) -> Simulation[list[UptimePoint]] | None:
    seed = _uptime_seed(table, row)
    if seed is None:
        return None
    day = seed.day or dt.datetime.now(dt.timezone.utc).date()
    end = dt.datetime(day.year, day.month, day.day, 23)
    points = [UptimePoint(when, row.label, row.label, round(value, 3))
              for when, value in simulated.hourly_uptime(row.label, hours=hours, end=end, typical=seed.typical)]
    return Simulation(points, seed.described, (
        "Invented hours around a real uptime figure; dips are random, not real outages.",
        f"Hours end {day.isoformat()} 23:00 UTC, the day of the real figure used."))


# --- data access -----------------------------------------------------------------------------------

def uptime_daily(service: DataService, model_id: str | ModelRef, *, table: ProviderTable | None = None,
                 ) -> Sourced[list[UptimePoint]]:
    """Daily uptime per provider."""
    ref = ModelRef.of(model_id)
    table = table or provider_table(service, ref)
    names = tuple(sorted(table.names_by_id().items()))
    slug = service.permaslug(ref)
    return service.get(Want(
        "daily uptime history", functools.partial(parse_uptime_recent, names=names, variant=ref.variant), [],
        live=(routes.uptime_recent(slug),), needs_data=True,
        recorded=RecordedSeries(slug, ref.variant, "uptime"),
        from_recording=functools.partial(uptime_from_recording, names), extend=extend_series,
        simulate=functools.partial(simulate_daily, table)))


def uptime_from_recording(names: Iterable[tuple[str, str]], rows: list) -> list[UptimePoint]:
    """Recorded daily uptime → points; a missing day is a gap ("no data"), never invented."""
    return [UptimePoint(p.when, p.provider, p.endpoint_key, p.value)
            for p in series_from_recording(names, rows)]


def uptime_hourly(service: DataService, model_id: str | ModelRef, table: ProviderTable, row: ProviderRow,
                  ) -> Sourced[list[UptimePoint]]:
    """Hourly uptime (last ~72 h) for one endpoint; asking for it needs the endpoint's UUID. The
    recording keeps these hours by endpoint id, so they outlive OpenRouter's 72-hour window."""
    endpoint_id = row.endpoint.endpoint_id
    ref = ModelRef.of(model_id)
    # By endpoint id when known; otherwise (e.g. a bundled endpoint list) by provider name, which
    # the recording keeps as each series' label.
    recorded = RecordedSeries(service.permaslug(ref), ref.variant, "uptime-hourly", provider=endpoint_id or None,
                              label=None if endpoint_id else row.endpoint.provider_name)
    return service.get(Want(
        f"hourly uptime for {row.label}", functools.partial(parse_uptime_hourly, label=row.label), [],
        live=(routes.uptime_hourly(endpoint_id),) if endpoint_id else (), needs_data=True,
        no_live=None if endpoint_id else f"the endpoint id of {row.label} is unknown, so its hourly uptime "
                                         "cannot be asked for",
        recorded=recorded,
        from_recording=functools.partial(hourly_from_recording, row.label),
        simulate=functools.partial(simulate_hourly, table, row)))


def hourly_from_recording(label: str, rows: list) -> list[UptimePoint]:
    """Recorded hours of one endpoint → points; a missing hour is a gap ("no data"). Found by
    provider name, two endpoints of that name cannot be told apart: then nothing."""
    if len({row.provider for row in rows}) != 1:
        return []
    return [UptimePoint(p.when, label, p.endpoint_key, p.value)
            for p in series_from_recording((), rows, step=dt.timedelta(hours=1))]


def worst_slot_text(points: list[UptimePoint], *, hourly: bool, simulated: bool,
                    name: Callable[[str], str] = str) -> str | None:
    """"Worst day: Azure 92.59% on 2025-06-20 UTC." A simulated series says so in the sentence
    itself: its bad days never happened. ``name`` renders the provider (e.g. escaped)."""
    known = [p for p in points if p.uptime is not None]
    if not known:
        return None
    worst = min(known, key=lambda p: p.uptime)
    slot = "hour" if hourly else "day"
    when = f"{worst.when:%Y-%m-%d{' %H:00' if hourly else ''}}"
    if simulated:
        return (f"Worst simulated {slot}: {name(worst.provider)} {percent(worst.uptime, places=2)} on {when} — simulated, not a "
                "real outage.")
    return f"Worst {slot}: {name(worst.provider)} {percent(worst.uptime, places=2)} on {when} UTC."
