"""Tool-call and structured-output error rates per provider, day by day.

The website publishes both as daily series per endpoint (``tool-call-error-rate`` and
``structured-output-error-rate``, reference/openrouter-api.md §3.1): a percent per endpoint and
day in the shape of the comparison charts, ``{"data": [{"x": day, "y": {"<uuid>[::variant]": 3.02},
"volume": {"<uuid>[::variant]": 537962}}]}``. ``volume``, the calls behind each value, is how a
public scraper of these routes reads them (pacell/openrouter-stats, ``openrouter_stats/pull.py``);
it is used where present and "not given" where not.

No copy of these series is bundled, and an error rate is never simulated: with no live answer and
nothing recorded the pages say there is no data. Exacto's estimate in
:mod:`routerlens.routing_pick` uses the rates when there are some (:func:`with_error_rates`).
Nothing here knows which source answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import routes
from .formatting import integer, percent
from .ids import STANDARD, ModelRef
from .metrics import SeriesPoint, daily_series, parse_metric_series
from .parse import ParseError, split_series_key, to_percent
from .provenance import Sourced
from .providers import ProviderTable, provider_table
from .routing_pick import Candidate
from .service import DataService


@dataclass(frozen=True)
class ErrorRate:
    kind: str
    label: str
    short: str
    """How a sentence names it: "tool-call errors"."""
    counted: str
    """What the sample size counts: "tool calls"."""
    heading: str
    """A table column's name for it: "Tool calls"."""
    unit: str
    """The sample size's noun in a table cell: "calls"."""
    definition: str

    @property
    def metric(self) -> str:
        """The route's name, which is also the metric the recording keeps it under."""
        return routes.ERROR_RATE_ROUTES[self.kind]


ERROR_RATES: dict[str, ErrorRate] = {
    "tool-call": ErrorRate(
        "tool-call", "Tool-call error rate", "tool-call errors", "tool calls", "Tool-call errors", "calls",
        "Percent of the endpoint's tool calls that day that came back broken: arguments that are not valid "
        "JSON, a tool name the request did not offer, or arguments that do not match the tool's schema. "
        "OpenRouter measures it on real traffic; it does not publish the exact formula."),
    "structured-output": ErrorRate(
        "structured-output", "Structured-output error rate", "structured-output errors", "structured-output requests",
        "Structured-output errors", "requests",
        "Percent of the endpoint's requests that day that asked for structured output (`response_format` with a "
        "JSON schema) and got an answer that is not valid JSON matching the schema. OpenRouter measures it on "
        "real traffic; it does not publish the exact formula."),
}

AVERAGE_DAYS = 8
"""A provider's average (the one Exacto's estimate ranks by) covers its newest days up to this many,
the website's own window, so a long recording does not dilute a recent change."""
WINDOW_TEXT = ("One point per endpoint and UTC day. The website's route returns about the last 8 days whatever "
               "range is asked; this deployment's recording, if any, keeps older days.")
SAMPLE_TEXT = ("Sample size: the calls behind each day's rate, where the route gives them (its `volume` figure); "
               "fewer than {thin} and the point is drawn hollow, as thin data.")


# --- parsing ----------------------------------------------------------------------------------------

def _volume_as_counts(item: Any) -> Any:
    """A point's ``volume`` map (calls per series key) read as the sample counts it is."""
    if isinstance(item, dict) and "counts" not in item and isinstance(item.get("volume"), dict):
        return {**item, "counts": item["volume"]}
    return item


def parse_error_rates(payload: Any, *, names: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                      variant: str = STANDARD) -> list[SeriesPoint]:
    """Daily percent per endpoint → points (oldest first per series), the calls behind each value
    as its count. The comparison charts' parser does the reading; on top: a value that is not a
    percent (below 0, above 100) is a gap, and series marked as another variant are left out (this
    is a figure about the variant asked for). A wrong envelope is a :class:`ParseError`."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if isinstance(data, dict):
        data = next((value for value in data.values() if isinstance(value, list)), None)
    if not isinstance(data, list):
        raise ParseError("expected a list of daily points under 'data'")
    points = parse_metric_series({"data": [_volume_as_counts(item) for item in data]}, names=names, variant=variant)
    return [replace(p, value=to_percent(p.value)) for p in points
            if split_series_key(p.endpoint_key)[1] in (None, variant)]


# --- the data -----------------------------------------------------------------------------------------

def error_rate_series(service: DataService, model_id: str | ModelRef, kind: str, *,
                      table: ProviderTable | None = None) -> Sourced[list[SeriesPoint]]:
    """One kind of error rate, daily per provider: live, else this deployment's recording, else
    nothing (never a snapshot, never simulated)."""
    rate = ERROR_RATES[kind]
    ref = ModelRef.of(model_id)
    return daily_series(service, ref, table or provider_table(service, ref), f"daily {rate.label.lower()}s",
                        parse_error_rates, lambda slug: routes.error_rate(kind, slug, ref.variant), rate.metric)


def warm(service: DataService, model_id: str | ModelRef) -> None:
    """Start fetching both routes now, without waiting (:meth:`DataService.warm`): a page calls
    this before its slower work so that the rates are in flight, or cached, by the time it draws
    them, instead of adding their wait to the page."""
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref, wait_for_live=False)
    service.warm([routes.error_rate(kind, slug, ref.variant) for kind in ERROR_RATES])


@dataclass(frozen=True)
class ProviderRate:
    """One endpoint's rate over the days shown: its newest day, and the average."""

    provider: str
    endpoint_key: str
    latest: float | None
    latest_day: dt.datetime | None
    latest_calls: int | None
    average: float | None
    days: int
    """Days with a value behind the average."""
    calls: int | None
    """Calls behind the average, when every one of those days gave its count."""

    @property
    def endpoint_id(self) -> str:
        return split_series_key(self.endpoint_key)[0]

    @property
    def weighted(self) -> bool:
        """Whether the average is weighted by calls (total errors / total calls), not a plain mean."""
        return self.calls is not None


def summarise(points: Iterable[SeriesPoint], *, days: int = AVERAGE_DAYS) -> list[ProviderRate]:
    """Per endpoint: the newest day's rate and the average over its newest ``days`` days with a
    value. The average is weighted by calls when every such day gives its count (so it is the share
    of all calls that failed); otherwise it is the plain mean of the daily rates."""
    by_key: dict[str, list[SeriesPoint]] = {}
    for point in points:
        by_key.setdefault(point.endpoint_key, []).append(point)
    out = []
    for key, items in by_key.items():
        known = sorted((p for p in items if p.value is not None), key=lambda p: p.when)[-days:]
        newest = known[-1] if known else None
        calls = sum(p.count for p in known) if known and all(p.count is not None for p in known) else None
        if calls:
            average = sum(p.value * p.count for p in known) / calls
        else:
            calls = None
            average = sum(p.value for p in known) / len(known) if known else None
        out.append(ProviderRate(items[0].provider, key, newest.value if newest else None,
                                newest.when if newest else None, newest.count if newest else None,
                                average, len(known), calls))
    return sorted(out, key=lambda r: r.provider)


@dataclass(frozen=True)
class ErrorRates:
    """Both kinds of error rate for one model, each with its own source."""

    series: Mapping[str, Sourced[list[SeriesPoint]]]

    def summary(self, kind: str) -> list[ProviderRate]:
        return summarise(self.series[kind].value)

    @property
    def available(self) -> bool:
        return any(sourced.value for sourced in self.series.values())

    def for_candidate(self, candidate: Candidate, kind: str) -> ProviderRate | None:
        """The rate of ``candidate``'s endpoint: by endpoint id, else by provider name."""
        rows = [row for row in self.summary(kind) if row.average is not None]
        match = next((row for row in rows if candidate.endpoint_id and row.endpoint_id == candidate.endpoint_id), None)
        if match is None:
            named = [row for row in rows if row.provider == candidate.provider]
            match = named[0] if len(named) == 1 else None
        return match

    @property
    def days(self) -> int:
        """The most days behind any provider's average (at most :data:`AVERAGE_DAYS`)."""
        return max((r.days for kind in ERROR_RATES for r in self.summary(kind)), default=0)

    def note(self, candidates: Iterable[Candidate]) -> str:
        """One line saying which rates the Exacto estimate uses, or that it has none."""
        candidates = list(candidates)
        if not self.available:
            why = self.why_none().rstrip(".")
            return (f"Exacto's estimate uses no error rates ({why[:1].lower() + why[1:]}), so it falls back to "
                    "health, uptime, then throughput.")
        parts = []
        for kind, rate in ERROR_RATES.items():
            found = [(c, self.for_candidate(c, kind)) for c in candidates]
            shown = [f"{c.provider} {percent(r.average, places=2)}" for c, r in found if r is not None]
            if shown:
                parts.append(f"{rate.short} " + ", ".join(shown))
        sources = "; ".join(dict.fromkeys(s.provenance.short_label() for s in self.series.values() if s.value))
        body = " · ".join(parts) if parts else "none for these providers"
        return (f"Exacto's estimate uses the published error rates, averaged over the newest {self.days} days "
                f"(weighted by calls where given): {body} ({sources}).")

    def why_none(self) -> str:
        """Why there are none, in the sources' own words; two notices that differ only in the
        rate they name are said once ("Offline mode: no live daily tool-call or structured-output
        error rates.")."""
        notices = list(dict.fromkeys(s.notice for s in self.series.values() if s.notice))
        if (len(notices) == 2 and notices[0].count("tool-call") == 1
                and notices[0].replace("tool-call", "{rate}") == notices[1].replace("structured-output", "{rate}")):
            return notices[0].replace("tool-call", "tool-call or structured-output")
        return " ".join(notices) or "No source has them."


def error_rates(service: DataService, model_id: str | ModelRef, *, table: ProviderTable | None = None) -> ErrorRates:
    """Both kinds; their live routes are fetched together (:func:`warm`), then read in turn."""
    ref = ModelRef.of(model_id)
    warm(service, ref)
    table = table or provider_table(service, ref)
    return ErrorRates({kind: error_rate_series(service, ref, kind, table=table) for kind in ERROR_RATES})


def with_error_rates(candidates: Iterable[Candidate], rates: ErrorRates | None) -> list[Candidate]:
    """The candidates with their published error rates (averages over the days shown) attached,
    for Exacto's estimate; unchanged when there are none."""
    candidates = list(candidates)
    if rates is None or not rates.available:
        return candidates
    out = []
    for candidate in candidates:
        tool = rates.for_candidate(candidate, "tool-call")
        structured = rates.for_candidate(candidate, "structured-output")
        out.append(replace(candidate, tool_error_rate=tool.average if tool else None,
                           structured_error_rate=structured.average if structured else None))
    return out


def newest_day(rates: ErrorRates) -> dt.date | None:
    """The newest day any provider has a rate for (the "latest day" the summary means)."""
    days = [row.latest_day for kind in ERROR_RATES for row in rates.summary(kind) if row.latest_day is not None]
    return max(days).date() if days else None


def summary_rows(rates: ErrorRates) -> list[dict[str, str]]:
    """One row per provider: each rate on the newest day (with the calls behind it; the day is
    named when it is older than :func:`newest_day`) and its average over the days shown. A
    provider without a rate of one kind reads "no data" there."""
    summaries = {kind: {row.provider: row for row in rates.summary(kind)} for kind in ERROR_RATES}
    providers = sorted({name for rows in summaries.values() for name in rows})
    newest = newest_day(rates)
    out = []
    for name in providers:
        row = {"Provider": name}
        for kind, rate in ERROR_RATES.items():
            item = summaries[kind].get(name)
            latest, average = f"{rate.heading}, latest day", f"{rate.heading}, average"
            if item is None or item.latest is None:
                row[latest] = row[average] = "no data"
                continue
            text = percent(item.latest, places=2)
            if item.latest_calls is not None:
                text += f" ({integer(item.latest_calls)} {rate.unit})"
            if item.latest_day.date() != newest:
                text += f" on {item.latest_day:%Y-%m-%d}"
            row[latest] = text
            row[average] = f"{percent(item.average, places=2)} over {item.days} day{'s' * (item.days != 1)}"
        out.append(row)
    return out
