"""Who uses a model and how much: top apps, daily token activity, rankings.

What each section asks the service for (which source answers is the service's decision):

* **Top apps**: the website route ``top-apps-for-model``; the bundled snapshot holds the real
  list transcribed from the model page (~April 2025, rounded display counts). With a key,
  OpenRouter's overall app rankings dataset too.
* **Daily activity**: ``top_apps_chart`` inside the same top-apps answer, else the website's
  ``model-activity`` route. No public daily series exists offline, so the service may draw a
  simulation whose days add up to the real monthly total (:func:`simulate_activity`).
* **Real aggregates**: the rankings figures in the bundled snapshot (518B tokens in June 2025, …).
* **Share of all traffic**: with a key, ``/api/v1/datasets/rankings-daily`` (top 50 models a day
  plus an "other" row).

Token splits: ``cached`` is counted as part of ``prompt`` and ``reasoning`` as part of
``completion`` (OpenAI usage semantics); the stacked chart shows the disjoint parts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import routes, simulated
from .ids import ModelRef
from .parse import ParseError, as_dict, to_bool, to_count, to_date, to_int, to_str
from .provenance import Sourced, utcnow
from .metrics import extend_series
from .schema import Model
from .service import DataService, RecordedSeries, Simulation, Want
from .snapshot import Bundled
from .text import safe_url


# --- values --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TopApp:
    rank: int
    name: str
    description: str | None = None
    tokens: int | None = None
    tokens_display: str | None = None
    """The source's own rounded text ("2.12B") when it gave one instead of an exact count."""
    requests: int | None = None
    url: str | None = None
    """Already checked with :func:`routerlens.text.safe_url` (http/https only)."""
    is_new: bool = False


@dataclass(frozen=True)
class ActivityDay:
    date: dt.date
    prompt: int | None = None
    completion: int | None = None
    reasoning: int | None = None
    cached: int | None = None
    requests: int | None = None
    tokens: int | None = None
    """Total tokens when the source gives only a total (otherwise prompt + completion)."""

    @property
    def is_gap(self) -> bool:
        """A day with no figure at all (missing from a recording)."""
        return all(v is None for v in (self.prompt, self.completion, self.reasoning, self.cached, self.requests,
                                       self.tokens))

    @property
    def total(self) -> int | None:
        if self.prompt is not None or self.completion is not None:
            return (self.prompt or 0) + (self.completion or 0)
        return self.tokens

    def parts(self) -> dict[str, int | None]:
        """Disjoint stack segments. Unknown splits leave one "Total" segment."""
        if self.prompt is None and self.completion is None:
            return {"Total (not split by source)": self.tokens}
        prompt, completion = self.prompt or 0, self.completion or 0
        cached = min(self.cached or 0, prompt)
        reasoning = min(self.reasoning or 0, completion)
        return {"Prompt": prompt - cached, "Prompt (cached)": cached,
                "Completion": completion - reasoning, "Reasoning": reasoning}


@dataclass(frozen=True)
class VolumeFigure:
    """One real aggregate from OpenRouter's rankings (as displayed there)."""

    period: str  # "month" | "week"
    label: str
    rank: int | None
    tokens: int | None
    tokens_display: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class ShareDay:
    """This model's line in one day of ``rankings-daily``."""

    date: dt.date
    model_tokens: int | None
    """``None`` when the model is not in that day's top 50."""
    all_tokens: int | None
    rank: int | None

    @property
    def share(self) -> float | None:
        if self.model_tokens is None or not self.all_tokens:
            return None
        return 100.0 * self.model_tokens / self.all_tokens


@dataclass(frozen=True)
class ActivitySummary:
    days: int
    total: int | None
    prompt: int | None
    completion: int | None
    reasoning: int | None
    cached: int | None
    requests: int | None
    daily_mean: float | None
    peak_day: dt.date | None
    first: dt.date | None
    last: dt.date | None
    missing: int = 0
    """Days inside the span with no data at all (a recorder that missed them)."""


# --- parsing -------------------------------------------------------------------------------------

def _top_level(payload: Any) -> Any:
    return payload.get("data") if isinstance(payload, dict) and "data" in payload else payload


def parse_top_apps(payload: Any) -> list[TopApp]:
    """``top-apps-for-model`` (``{"data": {"top_apps": [...]}}``) or the older ``stats/app``
    list (``[{"app_id", "total_tokens", "app": {...}}]``). Rows without a name are skipped."""
    data = _top_level(payload)
    if isinstance(data, dict):
        data = data.get("top_apps", data.get("apps"))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ParseError("expected a list of apps")
    apps = []
    for position, row in enumerate(data, start=1):
        app = parse_app(row, position)
        if app is not None:
            apps.append(app)
    apps.sort(key=lambda a: a.rank)
    return apps


def parse_app(row: Any, position: int) -> TopApp | None:
    row = as_dict(row)
    app = as_dict(row.get("app"))
    name = (to_str(app.get("title")) or to_str(app.get("name")) or to_str(row.get("app_name"))
            or to_str(row.get("title")))
    if not name or not name.strip():
        return None
    url = None
    for candidate in (app.get("origin_url"), app.get("main_url"), row.get("url"), app.get("url")):
        url = safe_url(to_str(candidate), base="")
        if url:
            break
    display = to_str(row.get("tokens_display"))
    return TopApp(
        rank=to_int(row.get("rank")) or position,
        name=name.strip(),
        description=(to_str(app.get("description")) or to_str(row.get("description")) or "").strip() or None,
        tokens=to_count(row.get("total_tokens")) if row.get("total_tokens") is not None else to_count(display),
        tokens_display=display,
        requests=to_count(row.get("total_requests")),
        url=url,
        is_new=bool(to_bool(row.get("is_new"))),
    )


def parse_activity(payload: Any) -> list[ActivityDay]:
    """Daily rows from ``top_apps_chart`` (inside top-apps-for-model), ``model-activity`` or the
    2025 model-stats list. Rows with an unreadable date are skipped; one row per date."""
    data = _top_level(payload)
    if isinstance(data, dict):
        data = data.get("top_apps_chart", data.get("activity", data.get("stats")))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ParseError("expected a list of daily activity rows")
    days: dict[dt.date, ActivityDay] = {}
    for row in data:
        row = as_dict(row)
        day = to_date(row.get("date"))
        if day is None:
            continue
        days[day] = ActivityDay(
            date=day,
            prompt=to_count(row.get("total_prompt_tokens", row.get("prompt_tokens"))),
            completion=to_count(row.get("total_completion_tokens", row.get("completion_tokens"))),
            reasoning=to_count(row.get("total_native_tokens_reasoning", row.get("reasoning_tokens"))),
            cached=to_count(row.get("total_native_tokens_cached", row.get("cached_tokens"))),
            requests=to_count(row.get("count", row.get("requests"))),
            tokens=to_count(row.get("total_tokens")),
        )
    return [days[d] for d in sorted(days)]


def parse_rankings_daily(payload: Any, permaslug: str) -> list[ShareDay]:
    """``/api/v1/datasets/rankings-daily``: one row per (date, model) with ``total_tokens`` as a
    string; the ``other`` row counts toward the day's total but never gets a rank."""
    data = _top_level(payload)
    if not isinstance(data, list):
        raise ParseError("expected a list of ranking rows under 'data'")
    by_day: dict[dt.date, list[tuple[str, int]]] = {}
    for row in data:
        row = as_dict(row)
        day, slug, tokens = to_date(row.get("date")), to_str(row.get("model_permaslug")), to_count(row.get("total_tokens"))
        if day is None or not slug or tokens is None:
            continue
        by_day.setdefault(day, []).append((slug, tokens))
    out = []
    for day in sorted(by_day):
        rows = by_day[day]
        ranked = sorted((r for r in rows if r[0] != "other"), key=lambda r: -r[1])
        mine = next(((i + 1, t) for i, (slug, t) in enumerate(ranked) if _same_model(slug, permaslug)), None)
        out.append(ShareDay(day, mine[1] if mine else None, sum(t for _, t in rows), mine[0] if mine else None))
    return out


def _same_model(slug: str, permaslug: str) -> bool:
    """Rankings may name the dated permaslug (``openai/gpt-4o-mini-2024-07-18``)."""
    return slug == permaslug or slug.startswith(permaslug + "-20")


def parse_app_rankings(payload: Any) -> list[TopApp]:
    """``/api/v1/datasets/app-rankings``: ``{"data": [{"rank", "app_id", "app_name", "total_tokens",
    "total_requests"}]}``."""
    data = _top_level(payload)
    if not isinstance(data, list):
        raise ParseError("expected a list of apps under 'data'")
    return [app for i, row in enumerate(data, start=1) if (app := parse_app(row, i)) is not None]


_MONTH = re.compile(r"month of (\w+)\s*\((\d{4})\)", re.IGNORECASE)
_WEEK = re.compile(r"week (\w+) (\d+)\w* to (\w+) (\d+)\w*\s*\((\d{4})\)", re.IGNORECASE)


def parse_volume_rows(rows: Iterable[dict], model_name: str) -> list[VolumeFigure]:
    """The rankings CSV rows for ``model_name`` (``period, period_label_in_source,
    rank_in_source_list, model_name, total_tokens_used_as_displayed``)."""
    figures = []
    for row in rows:
        if (row.get("model_name") or "").strip().lower() != model_name.strip().lower():
            continue
        label = row.get("period_label_in_source") or ""
        start, end = _period_dates(label)
        display = (row.get("total_tokens_used_as_displayed") or "").strip()
        figures.append(VolumeFigure(period=(row.get("period") or "").strip(), label=label,
                                    rank=to_int(row.get("rank_in_source_list")), tokens=to_count(display),
                                    tokens_display=display or "unknown", start=start, end=end))
    return figures


def _period_dates(label: str) -> tuple[dt.date | None, dt.date | None]:
    months = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    if match := _MONTH.search(label):
        month, year = months.get(match.group(1).lower()), int(match.group(2))
        if month:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if match := _WEEK.search(label):
        m1, d1, m2, d2, year = match.groups()
        if months.get(m1.lower()) and months.get(m2.lower()):
            start = dt.date(int(year), months[m1.lower()], int(d1))
            end = dt.date(int(year), months[m2.lower()], int(d2))
            return start, end
    return None, None


# --- math ----------------------------------------------------------------------------------------

def shares(apps: Sequence[TopApp]) -> list[float | None]:
    """Each app's percent of the listed apps' total tokens (not of all traffic)."""
    total = sum(a.tokens for a in apps if a.tokens is not None)
    return [None if a.tokens is None or not total else 100.0 * a.tokens / total for a in apps]


def moving_average(values: Sequence[float | None], window: int = 7) -> list[float | None]:
    """Trailing mean over ``window`` days; ``None`` until a full window of known values exists."""
    out: list[float | None] = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1): i + 1]
        out.append(sum(chunk) / window if len(chunk) == window and all(v is not None for v in chunk) else None)
    return out


def recent_days(days: Sequence, window_days: int | None) -> list:
    """The items (with a ``date``) of the last ``window_days`` calendar days up to the newest one
    (``None`` = all): a 7-day window holds 7 days, not 8."""
    days = list(days)
    if not window_days or not days:
        return days
    start = max(d.date for d in days) - dt.timedelta(days=window_days - 1)
    return [d for d in days if d.date >= start]


def summarize(days: Sequence[ActivityDay]) -> ActivitySummary:
    """Totals for the window; a component is ``None`` (unknown) unless every day reports it."""
    def total_of(values: list[int | None]) -> int | None:
        return sum(values) if values and all(v is not None for v in values) else None

    span = days
    days = [d for d in days if not d.is_gap]
    totals = [d.total for d in days]
    known = [(d.date, t) for d, t in zip(days, totals) if t is not None]
    total = total_of(totals)
    return ActivitySummary(
        days=len(days), total=total,
        prompt=total_of([d.prompt for d in days]), completion=total_of([d.completion for d in days]),
        reasoning=total_of([d.reasoning for d in days]), cached=total_of([d.cached for d in days]),
        requests=total_of([d.requests for d in days]),
        daily_mean=(sum(t for _, t in known) / len(known)) if known else None,
        peak_day=max(known, key=lambda item: item[1])[0] if known else None,
        first=span[0].date if span else None, last=span[-1].date if span else None,
        missing=len(span) - len(days),
    )


def simulated_month(figure: VolumeFigure, seed: str) -> list[ActivityDay]:
    """A daily series for ``figure``'s period whose days add up exactly to its real total.
    The shape (noise, weekly cycle) is invented; only the total is real."""
    if figure.tokens is None or figure.start is None or figure.end is None:
        return []
    days = (figure.end - figure.start).days + 1
    series = simulated.daily_series(seed, base=figure.tokens / days, days=days, end=figure.end,
                                    rel_noise=0.06, weekly=0.05, lo=0.0)
    scale = figure.tokens / sum(value for _, value in series)
    values = [round(value * scale) for _, value in series]
    values[-1] += figure.tokens - sum(values)  # rounding remainder: the sum stays exact
    return [ActivityDay(date=day, tokens=value) for (day, _), value in zip(series, values)]


# --- data access ----------------------------------------------------------------------------------

def _identity(model: Model) -> tuple[ModelRef, str]:
    ref = ModelRef.of(model.id)
    return ref, routes.permaslug_of(ref, model.canonical_slug)


def top_apps(service: DataService, model: Model) -> Sourced[list[TopApp]]:
    ref, slug = _identity(model)
    return service.get(Want(f"top apps for {model.id}", parse_top_apps, [], live=(routes.top_apps(slug, ref.variant),),
                            bundled=Bundled.at("/api/frontend/stats/top-apps-for-model",
                                               {"permaslug": slug, "variant": ref.variant})))


def app_rankings(service: DataService) -> Sourced[list[TopApp]]:
    """OpenRouter's overall app leaderboard (all models), a keyed dataset."""
    return service.get(Want("OpenRouter's overall app ranking", parse_app_rankings, [],
                            live=(routes.app_rankings(),)))


def _volume_for(model_name: str, rows: list[dict]) -> list[VolumeFigure]:
    return parse_volume_rows(rows, model_name)


def token_volume(service: DataService, model: Model) -> Sourced[list[VolumeFigure]]:
    """Real monthly/weekly totals from OpenRouter's rankings, as bundled (no live equivalent)."""
    ref, slug = _identity(model)
    return service.get(Want("ranking totals", _as_rows, [],
                            bundled=Bundled.at("#token_volume", {"permaslug": slug, "variant": ref.variant}),
                            pick=functools.partial(_volume_for, model.name)))


def _as_rows(payload: Any) -> list[dict]:
    if not isinstance(payload, list):
        raise ParseError("expected rows")
    return [row for row in payload if isinstance(row, dict)]


def simulate_activity(service: DataService, model: Model) -> Simulation[list[ActivityDay]] | None:
    """Daily tokens whose days add up exactly to the real monthly total, if one is known."""
    volume = token_volume(service, model)
    month = next((f for f in volume.value if f.period == "month" and f.tokens is not None and f.start), None)
    if month is None:
        return None
    days = simulated_month(month, seed=f"activity|{model.id}|{month.label}")
    return Simulation(days, f"the real {month.tokens_display}-token total for {month.start:%B %Y} "
                            f"(OpenRouter rankings, {volume.provenance.short_label()})",
                      (f"The days add up to the real {month.tokens_display}-token total for {month.start:%B %Y}; "
                       "the day-to-day shape is invented.",))


ACTIVITY_METRICS = {"tokens-prompt": "prompt", "tokens-completion": "completion", "tokens-reasoning": "reasoning",
                    "tokens-cached": "cached", "requests": "requests", "tokens-total": "tokens"}
"""How the recording names each part of a day of activity."""


def daily_activity(service: DataService, model: Model) -> Sourced[list[ActivityDay]]:
    """Daily tokens and requests from the first live route that has them (the top-apps answer
    carries them; ``model-activity`` too), extended by the recording beyond OpenRouter's window."""
    ref, slug = _identity(model)
    return service.get(Want("daily activity", parse_activity, [],
                            live=(routes.top_apps(slug, ref.variant), routes.model_activity(slug, ref.variant)),
                            needs_data=True,
                            recorded=RecordedSeries(slug, ref.variant, tuple(ACTIVITY_METRICS)),
                            from_recording=activity_from_recording,
                            extend=functools.partial(extend_series, attr="date"),
                            simulate=functools.partial(simulate_activity, service, model)))


def activity_from_recording(rows: list) -> list[ActivityDay]:
    """Recorded parts → one day each; a day missing inside the recorded span is an empty day
    (unknown, drawn as a gap), never a zero."""
    by_day: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        if row.value is not None:
            by_day.setdefault(row.bucket.date(), {})[ACTIVITY_METRICS[row.metric]] = int(row.value)
    if not by_day:
        return []
    days, day = [], min(by_day)
    while day <= max(by_day):
        days.append(ActivityDay(date=day, **by_day.get(day, {})))
        day += dt.timedelta(days=1)
    return days


def traffic_share(service: DataService, model: Model) -> Sourced[list[ShareDay]]:
    """This model's daily share of all OpenRouter tokens (keyed public dataset)."""
    _, slug = _identity(model)
    return service.get(Want("share of all OpenRouter traffic", functools.partial(parse_rankings_daily, permaslug=slug),
                            [], live=(routes.rankings_daily(utcnow().date()),)))
