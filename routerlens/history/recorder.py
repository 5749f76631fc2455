"""One recorder pass: fetch what OpenRouter publishes for some models and keep it as rows.

For each model a pass reads its model-list entry, its endpoints (prices, status, uptime now and,
with a key, latency/throughput percentiles), and the website stats routes where they answer
(daily per-provider throughput / TTFT / end-to-end at every percentile, daily tool-call and
structured-output error rates, daily and hourly uptime, effective pricing, daily activity, top
apps). Every route's answer is parsed by the same parser the pages use, then written in **one
transaction per route**: a failed, malformed or partial
fetch writes nothing for that route (and never a zero). All routes of a pass are fetched at once,
so a pass takes about as long as its slowest route.

The API key (when there is one) is sent only to the configured base URL, as by the pages; it is
never written to the database, nor is any prompt text.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import routes
from ..client import MAX_CONNECTIONS, Fetched, OpenRouterError
from ..effective_pricing import parse_effective_pricing
from ..error_rates import parse_error_rates
from ..ids import ModelRef
from ..metrics import METRICS, PERCENTILES, parse_metric_series
from ..parse import ParseError, parse_endpoints, parse_models, split_series_key
from ..providers import of_variant
from ..schema import Endpoint, Model
from ..service import DataService, Unusable, find_model
from ..uptime import parse_uptime_hourly, parse_uptime_recent
from ..usage import parse_activity, parse_top_apps
from .store import HistoryError, HistoryStore, Measurement, Point

NOW_BUCKET_MINUTES = 10
"""Figures "as of now" (uptime last 30 min, p50 last 30 min) are kept one per 10 minutes."""
PRICE_FIELDS = ("prompt", "completion", "input_cache_read", "input_cache_write", "image", "request", "web_search",
                "internal_reasoning", "discount")


@dataclass
class PassResult:
    """What one pass recorded, and what failed and why (one line per route)."""

    routes: int = 0
    points: int = 0
    changes: int = 0
    failures: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def recorded_anything(self) -> bool:
        return self.points > 0 or self.changes > 0

    def summary(self, number: int | None = None) -> str:
        head = f"pass {number}: " if number is not None else ""
        text = (f"{head}{self.routes - len(self.failures)} of {self.routes} routes recorded: {self.points:,} points, "
                f"{self.changes:,} changes")
        if self.failures:
            text += f"; {len(self.failures)} failed: " + "; ".join(_grouped(self.failures))
        if self.interrupted:
            text += " (stopped by Ctrl-C between writes)"
        return text


def _grouped(failures: list[str], shown: int = 3) -> list[str]:
    """"label: reason" lines grouped by reason (a host that is down fails every route alike)."""
    by_reason: dict[str, list[str]] = {}
    for line in failures:
        label, _, reason = line.partition(": ")
        match = (re.match(r".* was unreachable moments ago \((.*)\); not retrying yet$", reason)
                 or re.match(r".* answered (.*) moments ago; asking again in \d+ s$", reason))
        by_reason.setdefault(match.group(1) if match else reason, []).append(label)
    out = []
    for reason, labels in by_reason.items():
        names = ", ".join(labels[:shown]) + (f" and {len(labels) - shown} more" if len(labels) > shown else "")
        out.append(f"{names}: {reason}")
    return out


@dataclass(frozen=True)
class _Job:
    """A route and how to turn its answer into rows."""

    route: routes.LiveRoute
    write: Callable[[Any, str, dt.datetime], tuple[int, int]]
    """payload, route label, fetched_at → (points, changes) written (one transaction)."""
    label: str


class Recorder:
    """Records passes into ``store`` through ``service`` (a live DataService)."""

    def __init__(self, service: DataService, store: HistoryStore, *, now: Callable[[], dt.datetime] | None = None):
        self.service = service
        self.store = store
        self._now = now or (lambda: dt.datetime.now(dt.timezone.utc))

    # -- one pass -------------------------------------------------------------------------------

    def run_pass(self, model_ids: list[str], *, all_models: bool = False,
                 progress: Callable[[str, int, int], None] | None = None) -> PassResult:
        """Fetch every route for ``model_ids`` concurrently and write each route's rows in its own
        transaction as it arrives. ``progress(label, done, total)`` is called after each route."""
        result = PassResult()
        started = self._now()
        refs = [ModelRef.of(model_id) for model_id in model_ids]
        previous = self.service.live_get(routes.models()) if self.service.is_cached(routes.models()) else None
        self.service.clear_cache()
        jobs = [_Job(routes.models(), lambda payload, label, when: self._write_models(payload, refs, all_models,
                                                                                        label, when), "model list")]
        for ref in refs:
            # The permaslug from the last pass's list or the bundled one: planning never waits on
            # the network, so every route of the pass starts at once.
            model = find_model(ref.model_key, self._models(previous)) if previous is not None else None
            slug = (routes.permaslug_of(ref, model.canonical_slug) if model
                    else self.service.permaslug(ref, wait_for_live=False))
            jobs.extend(self._jobs_for(ref, slug))
            # Hourly uptime needs endpoint ids: those recorded before are fetched in the same wave as
            # everything else, so a pass takes about as long as its slowest route.
            jobs.extend(self._hourly_job(ref, slug, endpoint_id, label) for endpoint_id, label in
                        self._known_endpoints(slug, ref.variant))
        pass_id = self._start(model_ids, started, result)
        # A thread per route (up to the client's connections): with fewer, the routes past them wait for a second
        # wave (22 routes for one model since the error rates joined: a pass took 1.4× its slowest).
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(jobs), MAX_CONNECTIONS)),
                                                     thread_name_prefix="routerlens-record")
        try:
            # Every route is fetched at once and each is written as soon as it has arrived, so the
            # writes overlap the slower fetches: a pass takes about as long as its slowest route.
            planned = {job.route for job in jobs}
            pending = {pool.submit(self.service.live_get, job.route): job for job in jobs}
            total, done = len(jobs), 0
            while pending:
                finished, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in finished:
                    job = pending.pop(future)
                    payload = self._write_fetched(job, future.result(), result)
                    done += 1
                    if job.label.startswith("stats/endpoint ") and payload is not None:
                        for extra in self._hourly_jobs(job, payload):
                            if extra.route not in planned:  # endpoints new to this recording
                                planned.add(extra.route)
                                pending[pool.submit(self.service.live_get, extra.route)] = extra
                                total += 1
                    if progress:
                        progress(job.label, done, total)
        except KeyboardInterrupt:
            result.interrupted = True  # every write so far is complete: each is its own transaction
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            self._finish(pass_id, result)
        return result

    def _start(self, model_ids: list[str], started: dt.datetime, result: PassResult) -> int | None:
        try:
            return self.store.start_pass(model_ids, started)
        except HistoryError as exc:
            result.failures.append(f"pass log: {exc}")
            return None

    def _finish(self, pass_id: int | None, result: PassResult) -> None:
        if pass_id is None:
            return
        try:
            self.store.finish_pass(pass_id, points_written=result.points, changes_written=result.changes,
                                   failures=result.failures, finished_at=self._now())
        except HistoryError:
            pass  # the rows are written; only the pass log line is missing

    def _write_fetched(self, job: _Job, fetched: Fetched | OpenRouterError, result: PassResult) -> Any:
        """Write one route's answer in its own transaction; the payload when written."""
        result.routes += 1
        if isinstance(fetched, OpenRouterError):
            result.failures.append(f"{job.label}: {fetched.short()}")
            return None
        try:
            written_points, written_changes = job.write(fetched.data, _label(job.route, fetched),
                                                        fetched.fetched_at)
        except (ParseError, Unusable, ValueError, TypeError, KeyError, AttributeError) as exc:
            result.failures.append(f"{job.label}: the response could not be read ({exc})")
            return None
        except HistoryError as exc:
            result.failures.append(f"{job.label}: not written ({exc})")
            return None
        result.points += written_points
        result.changes += written_changes
        return fetched.data

    @staticmethod
    def _models(listing: Fetched | OpenRouterError | None) -> list[Model]:
        if listing is None or isinstance(listing, OpenRouterError):
            return []
        try:
            return parse_models(listing.data)
        except ParseError:
            return []

    # -- the routes of one model ------------------------------------------------------------------

    def _jobs_for(self, ref: ModelRef, slug: str) -> list[_Job]:
        variant = ref.variant
        jobs = [
            _Job(routes.endpoints(slug), lambda p, label, when: self._write_endpoints(p, ref, slug, label, when),
                 f"endpoints {ref.model_key}"),
            _Job(routes.stats_endpoint(slug, variant),
                 lambda p, label, when: self._write_stats(p, ref, slug, label, when), f"stats/endpoint {ref.model_key}"),
            _Job(routes.uptime_recent(slug), lambda p, label, when: self._write_uptime_recent(p, ref, slug, label, when),
                 f"uptime-recent {slug}"),
            _Job(routes.effective_pricing(slug, variant),
                 lambda p, label, when: self._write_effective(p, ref, slug, label, when),
                 f"effective-pricing {ref.model_key}"),
            _Job(routes.top_apps(slug, variant), lambda p, label, when: self._write_top_apps(p, ref, slug, label, when),
                 f"top-apps {ref.model_key}"),
        ]
        for metric in METRICS:
            for percentile in PERCENTILES:
                jobs.append(_Job(routes.comparison(metric, slug, variant, percentile),
                                 self._series_writer(ref, slug, metric, percentile),
                                 f"{routes.METRIC_ROUTES[metric]} {percentile} {ref.model_key}"))
        for kind, metric in routes.ERROR_RATE_ROUTES.items():
            # Percent per endpoint and day, with the calls behind it as the sample count.
            jobs.append(_Job(routes.error_rate(kind, slug, variant),
                             self._series_writer(ref, slug, metric, "", parse=parse_error_rates),
                             f"{metric} {ref.model_key}"))
        return jobs

    def _hourly_jobs(self, stats_job: _Job, payload: Any) -> list[_Job]:
        """Hourly uptime of the endpoints a stats answer names (those not planned already)."""
        ref = ModelRef.of(stats_job.label.split(" ", 1)[1])
        slug = dict(stats_job.route.params).get("permaslug", ref.base)
        return [self._hourly_job(ref, slug, endpoint.endpoint_id, endpoint.provider_name)
                for endpoint in parse_endpoints(payload)
                if endpoint.endpoint_id and (endpoint.variant or "standard") == ref.variant]

    def _hourly_job(self, ref: ModelRef, slug: str, endpoint_id: str, label: str) -> _Job:
        return _Job(routes.uptime_hourly(endpoint_id), self._hourly_writer(ref, slug, endpoint_id, label),
                    f"uptime-hourly {label} {ref.model_key}")

    def _known_endpoints(self, slug: str, variant: str) -> list[tuple[str, str]]:
        """Endpoint ids (and names) whose hourly uptime an earlier pass recorded."""
        try:
            return [(key, label or key) for key, label in self.store.providers(slug, variant, "uptime-hourly")]
        except HistoryError:
            return []

    # -- writers: parse with the pages' parser, then one transaction -----------------------------

    def _write_models(self, payload: Any, refs: list[ModelRef], all_models: bool, label: str,
                      when: dt.datetime) -> tuple[int, int]:
        wanted = {ref.model_key for ref in refs}
        if not all_models and isinstance(payload, dict) and isinstance(payload.get("data"), list):
            # Parse only the entries asked for (the whole list is ~550 models).
            payload = {"data": [item for item in payload["data"] if isinstance(item, dict) and item.get("id") in wanted]}
        models = parse_models(payload)
        sets = []
        for model in models:
            if all_models or model.id in wanted:
                ref = ModelRef.of(model.id)
                sets.append((routes.permaslug_of(ref, model.canonical_slug), ref.variant, "", model_fields(model)))
        if wanted and not any(model.id in wanted for model in models):
            raise Unusable(f"the model list holds none of {', '.join(sorted(wanted))}")
        return 0, self.store.write_change_sets(sets, source_route=label, observed_at=when)

    def _write_endpoints(self, payload: Any, ref: ModelRef, slug: str, label: str, when: dt.datetime) -> tuple[int, int]:
        endpoints = of_variant(ref.variant, parse_endpoints(payload))
        bucket = now_bucket(when)
        rows: list[Point] = []
        for ep in endpoints:
            key = ep.routing_slug
            for metric, value in (("uptime-5m", ep.uptime_5m), ("uptime-30m", ep.uptime_30m),
                                  ("uptime-1d", ep.uptime_1d)):
                if value is not None:
                    rows.append(Point(slug, ref.variant, key, metric, "", bucket, value, label=ep.provider_name))
            rows.extend(_percentile_points(ep, slug, ref.variant, key, bucket))
        sets = [(slug, ref.variant, ep.routing_slug, endpoint_fields(ep)) for ep in endpoints]
        return self._points_and_changes(rows, sets, label, when)

    def _write_stats(self, payload: Any, ref: ModelRef, slug: str, label: str, when: dt.datetime) -> tuple[int, int]:
        endpoints = of_variant(ref.variant, parse_endpoints(payload))
        bucket = now_bucket(when)
        rows: list[Point] = []
        for ep in endpoints:
            key = ep.endpoint_id or ep.routing_slug
            rows.extend(_percentile_points(ep, slug, ref.variant, key, bucket))
            if ep.request_count is not None:
                rows.append(Point(slug, ref.variant, key, "requests-30m", "", bucket, float(ep.request_count),
                                  label=ep.provider_name))
        return self.store.write_points(rows, source_route=label, fetched_at=when), 0

    def _series_writer(self, ref: ModelRef, slug: str, metric: str, percentile: str, *,
                       parse: Callable[..., list] | None = None):
        """A daily per-endpoint series (``parse``: the comparison charts' parser by default)."""
        parse = parse or functools.partial(parse_metric_series, percentile=percentile)

        def write(payload: Any, label: str, when: dt.datetime) -> tuple[int, int]:
            series = parse(payload, variant=ref.variant)
            rows = [Point(slug, ref.variant, p.endpoint_key, metric, percentile, _day(p.when), p.value, p.count)
                    for p in series if split_series_key(p.endpoint_key)[1] in (None, ref.variant)]
            return self.store.write_points(rows, source_route=label, fetched_at=when), 0
        return write

    def _write_uptime_recent(self, payload: Any, ref: ModelRef, slug: str, label: str,
                             when: dt.datetime) -> tuple[int, int]:
        rows = [Point(slug, ref.variant, p.endpoint_key, "uptime", "", _day(p.when), p.uptime)
                for p in parse_uptime_recent(payload, variant=ref.variant)]
        return self.store.write_points(rows, source_route=label, fetched_at=when), 0

    def _hourly_writer(self, ref: ModelRef, slug: str, endpoint_id: str, name: str):
        def write(payload: Any, label: str, when: dt.datetime) -> tuple[int, int]:
            rows = [Point(slug, ref.variant, endpoint_id, "uptime-hourly", "", p.when.replace(minute=0, second=0),
                          p.uptime, label=name)
                    for p in parse_uptime_hourly(payload, name)]
            return self.store.write_points(rows, source_route=label, fetched_at=when), 0
        return write

    def _write_effective(self, payload: Any, ref: ModelRef, slug: str, label: str, when: dt.datetime) -> tuple[int, int]:
        pricing = parse_effective_pricing(payload)
        day = _day(when)
        rows: list[Point] = []
        for item in [None, *pricing.providers]:
            key = "" if item is None else (item.endpoint_id or item.slug or item.provider)
            values = ((pricing.input_per_m, pricing.output_per_m, None) if item is None
                      else (item.input_per_m, item.output_per_m, item.cache_hit_rate))
            for metric, value in zip(("effective-input-per-m", "effective-output-per-m", "cache-hit-rate"), values):
                if value is not None:
                    rows.append(Point(slug, ref.variant, key, metric, "", day, float(value),
                                      label=None if item is None else item.provider))
        return self.store.write_points(rows, source_route=label, fetched_at=when), 0

    def _write_top_apps(self, payload: Any, ref: ModelRef, slug: str, label: str, when: dt.datetime) -> tuple[int, int]:
        day = _day(when)
        rows = [Point(slug, ref.variant, app.name, "app-tokens", "", day, float(app.tokens), label=app.name)
                for app in parse_top_apps(payload) if app.tokens is not None]
        for activity in parse_activity(payload):
            bucket = dt.datetime(activity.date.year, activity.date.month, activity.date.day)
            for metric, value in (("tokens-prompt", activity.prompt), ("tokens-completion", activity.completion),
                                  ("tokens-reasoning", activity.reasoning), ("tokens-cached", activity.cached),
                                  ("requests", activity.requests), ("tokens-total", activity.total)):
                if value is not None:
                    rows.append(Point(slug, ref.variant, "", metric, "", bucket, float(value)))
        return self.store.write_points(rows, source_route=label, fetched_at=when), 0

    def _points_and_changes(self, rows: list[Point], sets: list, label: str, when: dt.datetime) -> tuple[int, int]:
        return self.store.write_points_and_changes(rows, sets, source_route=label, fetched_at=when)


# --- keeping what the app's live pages fetch (optional) ---------------------------------------------

class LiveRecorder:
    """Keeps the live answers the app's pages fetch anyway, for the models they show: the same
    writers and transactions as a recorder pass, run one at a time on a background thread so a
    page never waits on the database. Off unless the host turns it on (``record_live``)."""

    def __init__(self, service: DataService, store: HistoryStore):
        self._recorder = Recorder(service, store)
        self._service = service
        self._jobs: dict[routes.LiveRoute, _Job] = {}
        self._watched: dict[str, ModelRef] = {}
        self._lock = threading.Lock()
        self._queue = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="routerlens-keep")
        self.totals = PassResult()
        """Everything kept so far (routes, points, changes, failures)."""

    def watch(self, model_id: str | ModelRef) -> None:
        """Keep the routes of this model from now on (the model a page shows)."""
        ref = ModelRef.of(model_id)
        with self._lock:
            if ref.model_key in self._watched:
                return
            self._watched[ref.model_key] = ref
            refs = list(self._watched.values())
        slug = self._service.permaslug(ref)
        jobs = {job.route: job for job in self._recorder._jobs_for(ref, slug)}
        models = _Job(routes.models(), lambda payload, label, when: self._recorder._write_models(
            payload, refs, False, label, when), "model list")
        with self._lock:
            self._jobs.update(jobs)
            self._jobs[models.route] = models

    def observe(self, route: routes.LiveRoute, fetched: Fetched) -> None:
        """A fresh live answer (the data service's observer): queued for writing if it is one
        of a watched model's routes; returns at once."""
        job = self._jobs.get(route)
        if job is None:
            return
        if job.label.startswith("stats/endpoint "):
            # The hourly uptime of these endpoints, which a page may ask for next: known before
            # this returns, so that answer is kept too.
            try:
                extra = {hourly.route: hourly for hourly in self._recorder._hourly_jobs(job, fetched.data)}
            except (ParseError, ValueError, TypeError, AttributeError):
                extra = {}
            with self._lock:
                self._jobs.update(extra)
        self._queue.submit(self._recorder._write_fetched, job, fetched, self.totals)

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything queued so far is written."""
        self._queue.submit(lambda: None).result(timeout=timeout)


# --- your own measurements ------------------------------------------------------------------------

def measurement_from(result, *, model: str, variant: str) -> Measurement:
    """A playground answer's measurements (``routerlens.chat.ChatResult``): what was measured,
    never the prompt, the answer text or the key."""
    finished = dt.datetime.fromisoformat(result.finished_at)
    return Measurement(
        finished_at=finished, model=model, variant=variant, requested_model=result.requested_model,
        mode=result.mode.label, provider=result.provider,
        ttft_ms=None if result.ttft_s is None else result.ttft_s * 1000,
        total_ms=None if result.total_s is None else result.total_s * 1000,
        tokens_per_s=result.tokens_per_s_end_to_end, tokens_per_s_after_first=result.tokens_per_s_after_first,
        prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
        cost_usd=None if result.cost is None else format(result.cost, "f"), streamed=result.streamed, ok=result.ok,
        generation_id=result.generation_id)


# --- what a model entry and an endpoint contribute to the change log -------------------------------

def model_fields(model: Model) -> dict[str, Any]:
    fields: dict[str, Any] = {f"pricing.{name}": _price(getattr(model.pricing, name)) for name in PRICE_FIELDS}
    fields.update({
        "name": model.name, "context_length": model.context_length,
        "max_completion_tokens": model.max_completion_tokens, "input_modalities": list(model.input_modalities),
        "output_modalities": list(model.output_modalities), "supported_parameters": list(model.supported_parameters),
        "knowledge_cutoff": model.knowledge_cutoff.isoformat() if model.knowledge_cutoff else None,
        "expiration_date": model.expiration_date.isoformat() if model.expiration_date else None,
        "is_moderated": model.is_moderated,
    })
    return fields


def endpoint_fields(endpoint: Endpoint) -> dict[str, Any]:
    fields: dict[str, Any] = {f"pricing.{name}": _price(getattr(endpoint.pricing, name)) for name in PRICE_FIELDS}
    fields.update({"provider_name": endpoint.provider_name, "context_length": endpoint.context_length,
                   "max_completion_tokens": endpoint.max_completion_tokens, "quantization": endpoint.quantization,
                   "status": endpoint.status})
    return fields


def _price(value) -> str | None:
    """The price as OpenRouter writes it (a plain decimal string, never "1.5E-7")."""
    return None if value is None else format(value, "f")


def _percentile_points(ep: Endpoint, slug: str, variant: str, key: str, bucket: dt.datetime) -> Iterable[Point]:
    for metric, stats in (("throughput-30m", ep.throughput_30m), ("latency-30m", ep.latency_30m)):
        if stats is None:
            continue
        for percentile in ("p50", "p75", "p90", "p95", "p99"):
            value = stats.get(percentile)
            if value is not None:
                yield Point(slug, variant, key, metric, percentile, bucket, value, ep.request_count,
                            label=ep.provider_name)


def now_bucket(when: dt.datetime) -> dt.datetime:
    """The 10-minute slot a "now" figure belongs to (UTC, naive)."""
    when = when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    return when.replace(minute=when.minute - when.minute % NOW_BUCKET_MINUTES, second=0, microsecond=0)


def _day(when: dt.datetime) -> dt.datetime:
    when = when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    return dt.datetime(when.year, when.month, when.day)


def _label(route: routes.LiveRoute, fetched: Fetched) -> str:
    from urllib.parse import urlsplit

    query = "&".join(f"{k}={v}" for k, v in route.params)
    return f"GET {urlsplit(fetched.url).path}" + (f"?{query}" if query else "")
