"""The source rule: where every figure comes from is decided here, and only here.

A domain module describes *what* it wants in a :class:`Want`: the live routes that publish it
(from :mod:`routerlens.routes`), where the bundled snapshot keeps it, how to parse an answer, and,
for charts that no real source offers offline, how to simulate a stand-in from real figures.
:meth:`DataService.get` decides *from where*, trying the sources in a fixed order per data mode:

============  ======================================================
Data mode     Sources, in order
============  ======================================================
Auto          live → recorded → bundled snapshot → simulated
Offline       recorded → bundled snapshot → simulated (no network)
Live          live only; a figure no live route publishes (a
              bundled-only section such as the spec history) is
              still read from the snapshot, and says so in its badge
============  ======================================================

**Recorded** is what this deployment's own recorder kept (:mod:`routerlens.history`). In Auto
mode a recording also extends a live series beyond the live window (live wins where both have a
point), and the value then carries both provenances.

The first source with a usable answer wins; the value comes back as :class:`Sourced`, with its
provenance and a notice saying why an earlier source was passed over. A new source (a recording,
say) joins by adding a reader here and a place in :data:`ORDER`; no domain module changes.
Nothing here raises for a failed or malformed source.

Live answers are kept in a small thread-safe TTL cache (each route's own TTL; failures for
``error_ttl`` seconds so a dead server is not hammered), and :meth:`prefetch` fills it for several
routes concurrently.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from . import routes
from .client import MAX_CONNECTIONS, Fetched, OpenRouterClient, OpenRouterError
from .config import DataMode, Settings
from .ids import ModelRef
from .parse import ParseError, parse_models
from .provenance import Kind, Provenance, Sourced, utcnow
from .routes import LiveRoute
from .schema import Model
from .snapshot import Bundled, SnapshotEntry, SnapshotSource
from .source_status import SourceStatus

T = TypeVar("T")

ERROR_TTL_S = 15.0
RECORDED_TTL_S = 60.0
"""How long a read of the recording is reused (a recorder adds points every few minutes at most)."""
MAX_CACHE_ENTRIES = 256
READ_ERRORS = (ParseError, ValueError, TypeError, KeyError, AttributeError)

LIVE, RECORDED, SNAPSHOT, SIMULATED = "live", "recorded", "snapshot", "simulated"
ORDER: dict[DataMode, tuple[str, ...]] = {
    DataMode.AUTO: (LIVE, RECORDED, SNAPSHOT, SIMULATED),
    DataMode.OFFLINE: (RECORDED, SNAPSHOT, SIMULATED),
    DataMode.LIVE: (LIVE,),
}
"""Which sources each data mode reads, in order. The only place that knows."""


class Unusable(ValueError):
    """Raised by a :class:`Want`'s ``pick`` when an answer was read but does not hold what was
    asked for (another variant's endpoints, a list without the model): that source is passed over
    with this reason, like a failed one."""


@dataclass(frozen=True)
class Simulation(Generic[T]):
    """A stand-in a domain module builds from real figures. ``seeded_from`` names those figures
    with their source and date; ``caveats`` are the short lines its chart must carry (what was
    assumed, where its dates end)."""

    value: T
    seeded_from: str
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordedSeries:
    """Where the recording keeps a series (see :mod:`routerlens.history.schema`)."""

    model: str
    variant: str
    metric: str | tuple[str, ...]
    """One metric, or several read together (e.g. the parts of daily activity)."""
    percentile: str = ""
    provider: str | None = None
    """Only this provider's points (e.g. one endpoint's hourly uptime)."""
    label: str | None = None
    """Only points recorded under this provider name (when the provider key is unknown)."""


@dataclass(frozen=True)
class Want(Generic[T]):
    """One figure a page needs, described without saying which source to use."""

    what: str
    """In words, for notices: "per-provider stats for openai/gpt-4o-mini"."""
    parse: Callable[[Any], Any]
    """Payload → parsed value. A plain function (or a ``functools.partial`` of one with hashable
    arguments) is memoised while its payload stays cached."""
    default: T
    live: tuple[LiveRoute, ...] = ()
    """Routes that publish it, tried in order (the first usable answer wins)."""
    bundled: Bundled | None = None
    """Where the bundled snapshot keeps it (path + identity parameters), if anywhere."""
    pick: Callable[[Any], T] | None = None
    """Parsed value → the value wanted (cheap; may raise :class:`Unusable`)."""
    simulate: Callable[[], Simulation[T] | None] | None = None
    """How to simulate it from real figures when no real source has it; ``None`` = nothing to seed from."""
    needs_data: bool = False
    """An empty answer counts as no answer (the next source is tried)."""
    absent_on_404: bool = False
    """A live 404 is an answer: the thing does not exist (no fallback)."""
    no_live: str | None = None
    """Why no live route can be asked (e.g. an endpoint whose id is unknown)."""
    recorded: RecordedSeries | None = None
    """Where this deployment's recording keeps it, if it records it."""
    from_recording: Callable[[list], T] | None = None
    """Recorded rows (:class:`routerlens.history.store.Point`, oldest first) → the value wanted."""
    extend: Callable[[T, T], T] | None = None
    """(live value, recorded value) → the live value extended by the recording beyond the live
    window; live wins where both have a point."""
    optional: bool = False
    """An extra whose absence is normal (a dataset that needs a key, facts bundled for a few
    models only): when no source has it, say nothing unless a live fetch actually failed."""


@dataclass(frozen=True)
class _Miss:
    source: str
    reason: str
    needs_key: bool = False
    failed: bool = False
    """The request itself failed (no answer, an HTTP error), as opposed to an answer that does
    not hold the figure: only such a miss is the page-wide "live is unavailable" story."""


@dataclass
class _CacheItem:
    expires: float
    value: Any


DRAW_ALLOWANCE_MAX_S = 2.0
_PAGE_BUDGET = threading.local()
"""Per thread (Streamlit runs each session's script on its own thread): this render's deadline."""


@contextlib.contextmanager
def page_budget(seconds: float | None, *, waiting: Callable[[str | None], None] | None = None,
                landed: Callable[[str, str | None], None] | None = None):
    """Within this block (one page render, on this thread), live answers are waited for only
    until ``seconds`` from now, less the time kept for drawing (:func:`draw_allowance`); what is
    not live by then falls back (Auto) or says it ran out of time (Live). A fetch cut short goes
    on and fills the cache for the next render.

    ``waiting(text)`` is told, on this thread, when an answer keeps the page waiting longer than
    :data:`WAIT_NOTICE_S` ("Waiting for OpenRouter: GET /api/v1/models… (it answered HTTP 503;
    retrying)"), and ``waiting(None)`` when the wait is over, so the page can say what it waits
    for instead of showing a blank body. ``landed(what, failure)`` is told, just before that
    ``waiting(None)``, how the announced wait ended: ``what`` names the route and the figure in
    words, ``failure`` is ``None`` when the answer came, else why not (so a page can list what
    it fetched and with what outcome)."""
    until = None if seconds is None else time.monotonic() + seconds - draw_allowance(seconds)
    with _budget_state(until, seconds, waiting, landed):
        yield


@contextlib.contextmanager
def _budget_state(until: float | None, seconds: float | None, waiting: Callable | None = None,
                  landed: Callable | None = None):
    """This thread's page budget set for the block, and what it was put back after it."""
    previous = (getattr(_PAGE_BUDGET, "until", None), getattr(_PAGE_BUDGET, "seconds", None),
                getattr(_PAGE_BUDGET, "waiting", None), getattr(_PAGE_BUDGET, "landed", None))
    _PAGE_BUDGET.until, _PAGE_BUDGET.seconds, _PAGE_BUDGET.waiting, _PAGE_BUDGET.landed = until, seconds, waiting, landed
    try:
        yield
    finally:
        _PAGE_BUDGET.until, _PAGE_BUDGET.seconds, _PAGE_BUDGET.waiting, _PAGE_BUDGET.landed = previous


def draw_allowance(seconds: float) -> float:
    """The part of a page budget kept for drawing what the page falls back to: the budget is for
    the whole page, so waiting for live answers ends this much earlier (a third of the budget,
    at most :data:`DRAW_ALLOWANCE_MAX_S`). A page that falls back draws in one to two seconds (a
    quarter of a 5-s budget left the Performance page 0.2 s past budget + 2 s, bench_deadlines)."""
    return min(DRAW_ALLOWANCE_MAX_S, max(0.0, seconds) / 3)


def under_page_budget(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn`` wrapped to run under the calling thread's page budget, for worker threads a page
    starts (the "waiting" notice stays with the page's own thread)."""
    until, seconds = getattr(_PAGE_BUDGET, "until", None), getattr(_PAGE_BUDGET, "seconds", None)

    def run(*args, **kwargs):
        with _budget_state(until, seconds):
            return fn(*args, **kwargs)

    return run


def map_under_page_budget(fn: Callable[[Any], T], items: Sequence, *, thread_name_prefix: str) -> list[T]:
    """``fn`` over every item at once, one thread each, under the calling thread's page budget
    (:func:`under_page_budget`); the results in the items' order. A page reading several models'
    tables waits for the slowest, not for the sum."""
    if not items:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(items), thread_name_prefix=thread_name_prefix) as pool:
        return list(pool.map(under_page_budget(fn), items))


WAIT_NOTICE_S = 0.6
"""A live answer slower than this is announced to the page (shorter waits would only flicker)."""


@dataclass
class DataService:
    settings: Settings
    snapshot: SnapshotSource = field(default_factory=SnapshotSource)
    client: OpenRouterClient | None = None
    ttl: float | None = None
    """Overrides every route's own TTL (tests)."""
    error_ttl: float = ERROR_TTL_S
    order: dict[DataMode, tuple[str, ...]] = field(default_factory=lambda: dict(ORDER), repr=False)
    """Which sources each mode reads, in order (:data:`ORDER`)."""

    def __post_init__(self) -> None:
        if self.client is None and self.settings.mode is not DataMode.OFFLINE:
            self.client = OpenRouterClient(self.settings)
        self._lock = threading.Lock()
        self._cache: dict[Any, _CacheItem] = {}
        self._history = None
        self._inflight: dict[LiveRoute, concurrent.futures.Future] = {}
        self.observer: Callable[[LiveRoute, Fetched], None] | None = None
        """Told of every fresh live answer (the optional "record what the pages fetch" setting);
        it must return at once and never raise into a page."""
        # As many as the client's connections: every route of a cold refresh (16 today, with a key)
        # or of a recorder pass (22 for one model) runs at once. Threads start only when needed.
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=MAX_CONNECTIONS,
                                                           thread_name_prefix="routerlens-live")

    # -- the source rule --------------------------------------------------------------------------

    @property
    def mode(self) -> DataMode:
        return self.settings.mode

    @property
    def can_send(self) -> bool:
        """Whether requests may leave this process (not in Offline mode)."""
        return self.mode is not DataMode.OFFLINE and self.client is not None

    def _readers(self) -> dict[str, Callable[[Want], Sourced | _Miss | None]]:
        """One reader per source. Each returns a value with its provenance, a miss with its reason,
        or ``None`` when the want does not concern that source."""
        return {LIVE: self._read_live, RECORDED: self._read_recorded, SNAPSHOT: self._read_snapshot,
                SIMULATED: self._read_simulation}

    def _order(self, want: Want) -> tuple[str, ...]:
        order = self.order[self.mode]
        if self.mode is DataMode.LIVE and not want.live and want.bundled is not None:
            order = (*order, SNAPSHOT)  # bundled-only sections: no live route publishes them
        return order

    def get(self, want: Want[T]) -> Sourced[T]:
        """The figure from the first source (in this mode's order) with a usable answer."""
        readers = self._readers()
        misses: list[_Miss] = []
        for source in self._order(want):
            outcome = readers[source](want)
            if isinstance(outcome, Sourced):
                if source == LIVE and self.mode is DataMode.AUTO:
                    outcome = self._extended(want, outcome)
                if outcome.notice:
                    return outcome
                fallback = source in (RECORDED, SNAPSHOT) and any(m.source == LIVE and m.failed for m in misses)
                return replace(outcome.with_notice(self._fallback_notice(want, source, misses)), fallback=fallback)
            if outcome is not None:
                misses.append(outcome)
        return Sourced(want.default, Provenance.nothing(_short_reason(misses)), notice=self._nothing_notice(want, misses))

    def captures(self, want: Want[T]) -> list[Sourced[T]]:
        """Every dated capture of a figure, oldest first (the bundled captures at
        ``want.bundled.path``); a capture that does not hold it is left out."""
        out: list[Sourced[T]] = []
        if want.bundled is None:
            return out
        for entry in self.snapshot.entries_for(want.bundled.path):
            try:
                value = self._read(("snapshot", entry.id), entry, want)
            except (Unusable, *READ_ERRORS):
                continue
            if value is not None:
                out.append(Sourced(value, entry.provenance))
        return out

    # -- readers: one per source ------------------------------------------------------------------

    def _read_live(self, want: Want[T]) -> Sourced[T] | _Miss | None:
        if not want.live:
            return _Miss(LIVE, want.no_live) if want.no_live else None  # bundled-only: nothing to try
        if self.client is None:
            return _Miss(LIVE, "no network client")
        misses: list[_Miss] = []
        for route in want.live:
            if route.needs_key and not self.settings.has_key:
                misses.append(_Miss(LIVE, "it needs an OpenRouter API key", needs_key=True))
                continue
            result = self.live_get(route, what=want.what)
            if isinstance(result, OpenRouterError):
                if want.absent_on_404 and result.status == 404:
                    return Sourced(want.default, Provenance.live(route.label()),
                                   notice=f"OpenRouter has no {want.what} (HTTP 404).")
                misses.append(_Miss(LIVE, self._reason(route, result), failed=True))
                continue
            try:
                value = self._read(("live", route), result, want)
            except Unusable as exc:
                misses.append(_Miss(LIVE, str(exc)))
                continue
            except READ_ERRORS as exc:
                misses.append(_Miss(LIVE, f"the response could not be read ({exc})"))
                continue
            if want.needs_data and _empty(value):
                misses.append(_Miss(LIVE, f"OpenRouter's answer has no {want.what}"))
                continue
            return Sourced(value, Provenance.live(_live_label(route, result.url), fetched_at=result.fetched_at,
                                                  url=result.url))
        keyless = [m for m in misses if not m.needs_key]
        if not keyless:
            return misses[0]
        return _Miss(LIVE, "; ".join(m.reason for m in keyless), failed=all(m.failed for m in keyless))

    def _reason(self, route: LiveRoute, error: OpenRouterError) -> str:
        """Why a live route failed, with the fix when it is the key's fault."""
        if error.status == 401 and route.sends_key and self.settings.has_key:
            return (f"OpenRouter refused the API key ({error.short()}): correct or clear the key in the sidebar, or "
                    "the OPENROUTER_API_KEY secret")
        return error.short()

    def _read_recorded(self, want: Want[T]) -> Sourced[T] | _Miss | None:
        if want.recorded is None or want.from_recording is None:
            return None
        store = self.recording
        if store is None:
            return None
        from .history.store import HistoryError

        query = want.recorded
        failed = self._cache_get(("recorded-error",))
        if failed is not None:  # a database that just failed is not asked again on every section
            return _Miss(RECORDED, failed)
        rows = self._cache_get(("recorded", query))
        if rows is None:
            try:
                rows = store.read(query)
            except HistoryError as exc:
                if str(exc).startswith("no recording"):
                    return None  # nothing recorded here yet: not a failure
                reason = f"the recording is unavailable: {exc}"
                self._cache_put(("recorded-error",), reason, self.error_ttl)
                return _Miss(RECORDED, reason)
            self._cache_put(("recorded", query), rows, RECORDED_TTL_S)
        if not rows:
            return None
        try:
            value = want.from_recording(rows)
        except READ_ERRORS as exc:
            return _Miss(RECORDED, f"the recording could not be read ({exc})")
        if _empty(value):
            return None  # nothing of this figure recorded (e.g. another endpoint's hours)
        buckets = [row.bucket for row in rows]
        return Sourced(value, Provenance.recorded(len(rows), min(buckets), max(buckets), store.describe()))

    def _extended(self, want: Want[T], live: Sourced[T]) -> Sourced[T]:
        """A live value extended by the recording beyond the live window, with both provenances."""
        if want.extend is None:
            return live
        recorded = self._read_recorded(want)
        if not isinstance(recorded, Sourced):
            return live
        combined = want.extend(live.value, recorded.value)
        if _size(combined) <= _size(live.value):
            return live
        return Sourced(combined, live.provenance, live.notice, (recorded.provenance,))

    @property
    def recording(self):
        """The recording, opened read-only on first use (``None`` when switched off)."""
        if not self.settings.history_url:
            return None
        from .history.config import sqlite_file

        path = sqlite_file(self.settings.history_url)
        if path is not None and not path.exists():
            return None  # nothing recorded here yet (and no database driver loaded for nothing)
        if self._history is None:
            from .history.store import HistoryStore

            self._history = HistoryStore(self.settings.history_url, readonly=True)
        return self._history

    def _read_snapshot(self, want: Want[T]) -> Sourced[T] | _Miss | None:
        if want.bundled is None:
            return None
        entry = self.snapshot.find(want.bundled)
        if entry is None:
            return _Miss(SNAPSHOT, f"the bundled snapshot has no {want.what}")
        try:
            value = self._read(("snapshot", entry.id), entry, want)
        except Unusable as exc:
            return _Miss(SNAPSHOT, f"the bundled snapshot has no {want.what} ({exc})")
        except READ_ERRORS as exc:
            return _Miss(SNAPSHOT, f"the snapshot file for {want.what} could not be read ({exc})")
        if want.needs_data and _empty(value):
            return _Miss(SNAPSHOT, f"the bundled snapshot has no {want.what}")
        return Sourced(value, entry.provenance)

    def _read_simulation(self, want: Want[T]) -> Sourced[T] | _Miss | None:
        if want.simulate is None:
            return None
        simulation = want.simulate()
        if simulation is None or _empty(simulation.value):
            return _Miss(SIMULATED, "there is no real figure to simulate it from")
        return Sourced(simulation.value, Provenance.simulated(simulation.seeded_from, caveats=simulation.caveats))

    # -- notices ----------------------------------------------------------------------------------

    def _why_not_live(self, want: Want, misses: list[_Miss]) -> str | None:
        live = next((m for m in misses if m.source == LIVE), None)
        if live is not None:
            return f"Live {want.what} unavailable ({live.reason})"
        if not want.live and want.no_live:
            return _capital(want.no_live)
        if self.mode is DataMode.OFFLINE and want.live:
            return f"Offline mode: no live {want.what}"
        return None

    def _fallback_notice(self, want: Want, source: str, misses: list[_Miss]) -> str | None:
        """Why the value is not from the first source: nothing to say for live; for the snapshot,
        the live failure; for a simulation, every real source it stands in for."""
        why = self._why_not_live(want, misses)
        if source == LIVE or (source in (SNAPSHOT, RECORDED) and not any(m.source == LIVE for m in misses)):
            return None
        if source == RECORDED:
            return f"{why}; showing this deployment's recording instead."
        if source == SNAPSHOT:
            return f"{why}; showing the bundled snapshot instead."
        lead = why or f"No live {want.what}"
        if any(m.source == SNAPSHOT for m in misses):
            lead += ", and the bundled snapshot has none"
        return f"{lead}. This chart is simulated from real figures instead; it is not a measurement."

    def _nothing_notice(self, want: Want, misses: list[_Miss]) -> str | None:
        """Why nothing is shown, with what would help."""
        if want.optional and not any(m.source == LIVE and not m.needs_key for m in misses):
            return None
        keyed_only = (bool(want.live) and all(route.needs_key for route in want.live)
                      and want.bundled is None and want.simulate is None)
        if keyed_only and (self.mode is DataMode.OFFLINE or not self.settings.has_key):
            if self.mode is DataMode.OFFLINE:
                return (f"{_capital(want.what)} is a live dataset (no bundled copy): switch the data source to Auto or "
                        "Live and add an API key to see it.")
            return f"{_capital(want.what)} needs an OpenRouter API key (any key; add one in the sidebar)."
        if self.mode is DataMode.LIVE:
            live = next((m for m in misses if m.source == LIVE), None)
            reason = live.reason if live else (want.no_live or "no live route publishes it")
            return (f"Live {want.what} unavailable: {reason}. (Data source is forced to Live; switch to Auto to fall "
                    "back to the bundled snapshot.)")
        sentences = []
        why = self._why_not_live(want, misses)
        if why:
            sentences.append(why + ".")
        if want.bundled is not None:
            sentences.append(f"The bundled snapshot has no {want.what}.")
        if want.simulate is not None:
            sentences.append("There is no real figure to simulate it from either, so nothing is drawn.")
        return " ".join(sentences) or f"No source has {want.what}."

    # -- reading and caching ----------------------------------------------------------------------

    def _read(self, source_key: tuple, source: Fetched | SnapshotEntry, want: Want[T]) -> T:
        parsed = self._parsed(source_key, source, want.parse)
        return want.pick(parsed) if want.pick is not None else parsed

    def _parsed(self, source_key: tuple, source: Fetched | SnapshotEntry, parse: Callable[[Any], Any]) -> Any:
        """``parse`` applied to a cached response, memoised while that response stays cached (a
        page asks for the model list several times per run; parsing 549 models each time showed
        in the rerun time)."""
        parse_key = _parse_key(parse)
        if parse_key is None:
            return parse(self._payload(source))
        key = ("parsed", source_key, parse_key)
        cached = self._cache_get(key)
        if cached is not None and cached[0] is source:
            return cached[1]
        value = parse(self._payload(source))
        self._cache_put(key, (source, value), self.ttl or routes.LIVE_TTL_S)
        return value

    def _payload(self, source: Fetched | SnapshotEntry) -> Any:
        return source.data if isinstance(source, Fetched) else self.snapshot.load(source)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _cache_get(self, key) -> Any:
        with self._lock:
            item = self._cache.get(key)
            if item and item.expires > time.monotonic():
                return item.value
            self._cache.pop(key, None)
            return None

    def _cache_put(self, key, value, ttl: float) -> None:
        with self._lock:
            if len(self._cache) >= MAX_CACHE_ENTRIES:
                oldest = min(self._cache, key=lambda k: self._cache[k].expires)
                self._cache.pop(oldest, None)
            self._cache[key] = _CacheItem(time.monotonic() + ttl, value)

    def is_cached(self, route: LiveRoute) -> bool:
        return self._cache_get(("live", route)) is not None

    def _budget_left(self) -> float | None:
        until = getattr(_PAGE_BUDGET, "until", None)
        return None if until is None else until - time.monotonic()

    def live_get(self, route: LiveRoute, *, what: str | None = None) -> Fetched | OpenRouterError:
        """One live route, from the cache when fresh. Never raises. ``what`` names the figure in
        words for the page's "waiting for" line ("per-provider stats for …")."""
        cached = self._cache_get(("live", route))
        if cached is not None:
            return cached
        if not self.can_send:
            return OpenRouterError("offline mode: live data is switched off", kind="offline")
        left = self._budget_left()
        if left is not None and left <= 0:
            return self._out_of_budget()
        with self._lock:
            future = self._inflight.get(route)
            started = future is None
            if started:  # one request per route, however many sections (or sessions) wait on it
                future = self._inflight[route] = self._pool.submit(self._get_first, route)
        if started:
            future.add_done_callback(functools.partial(self._landed, route))  # may run at once: not under the lock
        # A hard wall-clock bound on top of the client's own timeouts: even a DNS lookup that
        # hangs (no timeout applies to it) cannot freeze a page.
        bound = self.settings.total_timeout * (1 + len(route.alternates)) + 1.0
        limit = bound if left is None else min(bound, left)
        waiting = getattr(_PAGE_BUDGET, "waiting", None)
        try:
            if waiting is None or limit <= WAIT_NOTICE_S:
                return future.result(timeout=limit)
            try:
                return future.result(timeout=WAIT_NOTICE_S)
            except concurrent.futures.TimeoutError:
                return self._announced_wait(route, future, limit, waiting, what,
                                            by_budget=left is not None and left < bound)
        except concurrent.futures.TimeoutError:
            if left is not None and left < bound:
                return self._out_of_budget()  # not cached: the fetch goes on and lands in the cache
            result = OpenRouterError("the server did not answer in time", kind="timeout")
            self._cache_put(("live", route), result, self.error_ttl)
            return result

    def _announced_wait(self, route: LiveRoute, future: concurrent.futures.Future, limit: float,
                        waiting: Callable[[str | None], None], what: str | None, *,
                        by_budget: bool) -> Fetched | OpenRouterError:
        """The rest of a wait the page is told about: what it waits for, then how it ended."""
        trouble = self.client.trouble() if self.client is not None else None
        label = route.label() + (f" ({what})" if what else "")
        waiting(f"Waiting for OpenRouter: {label}…" + (f" ({trouble})" if trouble else ""))
        landed = getattr(_PAGE_BUDGET, "landed", None)
        failure: str | None = "the wait was cut short"
        try:
            result = future.result(timeout=limit - WAIT_NOTICE_S)
            failure = self.failure_reason(route, result)
            return result
        except concurrent.futures.TimeoutError:
            failure = (f"{self._out_of_budget().message}; it goes on and lands for the next view" if by_budget
                       else "the server did not answer in time")
            raise
        finally:
            if landed is not None:
                landed(label, failure)
            waiting(None)

    def _out_of_budget(self) -> OpenRouterError:
        seconds = getattr(_PAGE_BUDGET, "seconds", None) or 0
        return OpenRouterError(f"not live within this page's {seconds:g}-second time budget", kind="timeout")

    def _landed(self, route: LiveRoute, future: concurrent.futures.Future) -> None:
        """A fetch finished (whoever still waits for it): cache it, then forget it as in flight
        (in that order, so a caller always finds one or the other), then tell the observer."""
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - _get_first returns errors; this is a bug guard
            result = OpenRouterError(f"the request failed ({exc.__class__.__name__})", kind="network")
        ttl = self.error_ttl if isinstance(result, OpenRouterError) else (self.ttl or route.ttl)
        self._cache_put(("live", route), result, ttl)
        with self._lock:
            if self._inflight.get(route) is future:
                del self._inflight[route]
        if self.observer is not None and isinstance(result, Fetched):
            try:
                self.observer(route, result)
            except Exception:  # noqa: BLE001 - keeping a copy must never cost a page its data
                pass

    def _get_first(self, route: LiveRoute) -> Fetched | OpenRouterError:
        result: Fetched | OpenRouterError = OpenRouterError("no route tried", kind="network")
        for path in (route.path, *route.alternates):
            try:
                return self.client.get_json(path, dict(route.params) or None, site=route.site, auth=route.sends_key)
            except OpenRouterError as exc:
                result = exc
                if exc.status != 404:
                    break
        return result

    def warm(self, wanted: list[LiveRoute]) -> None:
        """Start fetching the routes not cached yet and return at once. A page calls this before
        its slower work; a read that needs one of them later joins the fetch in flight (one request
        per route) instead of adding its wait to the page. Nothing is sent offline, nor a keyed
        route without a key."""
        if not self.can_send:
            return
        for route in dict.fromkeys(wanted):
            if (route.needs_key and not self.settings.has_key) or self.is_cached(route):
                continue
            threading.Thread(target=self.live_get, args=(route,), name="routerlens-warm", daemon=True).start()

    def prefetch(self, wanted: list[LiveRoute], *,
                 progress: Callable[[LiveRoute, Fetched | OpenRouterError], None] | None = None,
                 ) -> dict[LiveRoute, Fetched | OpenRouterError]:
        """Fetch every route that is not cached yet, concurrently; then serve all from cache.
        ``progress(route, result)`` is told on the calling thread as each fetch lands (a page
        lists them while the others are still on their way)."""
        wanted = [r for r in dict.fromkeys(wanted) if not (r.needs_key and not self.settings.has_key)]
        missing = [r for r in wanted if self._cache_get(("live", r)) is None]
        if missing and self.can_send:
            # One thread per route (up to the client's 16 connections): a cold refresh of every
            # route then takes about as long as the slowest one (bench/run.py measures it).
            with concurrent.futures.ThreadPoolExecutor(max_workers=min(16, len(missing))) as pool:
                futures = {pool.submit(self.live_get, route): route for route in missing}
                for future in concurrent.futures.as_completed(futures):
                    if progress is not None:
                        progress(futures[future], future.result())
        return {route: self.live_get(route) for route in wanted}

    # -- the model list and the model (everything else keys on them) -----------------------------

    def models(self) -> Sourced[list[Model]]:
        return self.get(Want("model list", parse_models, [], live=(routes.models(),),
                             bundled=Bundled.at("/api/v1/models")))

    def model(self, model_id: str | ModelRef) -> Sourced[Model | None]:
        """The model's ``/api/v1/models`` entry: variants have their own entry, routing
        shortcuts (``:nitro``) read the base entry."""
        ref = ModelRef.of(model_id)
        return self.get(Want(f"model {ref.model_key}", parse_models, None, live=(routes.models(),),
                             bundled=Bundled.at("/api/v1/models"), pick=functools.partial(find_model, ref.model_key),
                             needs_data=True))

    def permaslug(self, model_id: str | ModelRef, *, wait_for_live: bool = True) -> str:
        """The permanent slug the website routes key on (:func:`routes.permaslug_of`).

        ``wait_for_live=False`` never waits on a live call: it uses the live list only if it is
        already cached, else the snapshot (a cold refresh plans its routes this way so that they
        all run at once)."""
        ref = ModelRef.of(model_id)
        if wait_for_live or not self.can_send or self._cache_get(("live", routes.models())) is not None:
            model = self.model(ref).value
        else:
            entry = self.snapshot.lookup("/api/v1/models")
            model = find_model(ref.model_key, self._parsed(("snapshot", entry.id), entry, parse_models)) \
                if entry is not None else None
        return routes.permaslug_of(ref, model.canonical_slug if model else None)

    def refresh_all(self, model_id: str | ModelRef | None, *,
                    progress: Callable[[LiveRoute, Fetched | OpenRouterError], None] | None = None,
                    ) -> dict[LiveRoute, Fetched | OpenRouterError]:
        """Cold refresh: drop the cache and fetch every live route the pages use, concurrently
        (only the model list when there is no valid model id). ``progress`` as in :meth:`prefetch`."""
        self.clear_cache()
        return self.prefetch(self.live_routes(model_id) if model_id else [routes.models()], progress=progress)

    def failure_reason(self, route: LiveRoute, result: Fetched | OpenRouterError) -> str | None:
        """Why a live answer is a failure, in the words the notices use (``None`` for an answer)."""
        return self._reason(route, result) if isinstance(result, OpenRouterError) else None

    def status(self) -> SourceStatus:
        """Which source this render is on as a whole, and why: said once per page, so that a
        section need only speak when it differs (:meth:`SourceStatus.covers`)."""
        listing = self.models()
        snapshot = self.snapshot.lookup("/api/v1/models")
        snapshot_as_of = snapshot.provenance.as_of if snapshot is not None else None
        if not self.can_send:
            return SourceStatus.offline(snapshot_as_of, recording=self.recording is not None)
        route = routes.models()
        failure = self.failure_reason(route, self.live_get(route)) or self.client.unreachable()
        if failure is None and listing.provenance.kind is not Kind.LIVE:
            failure = "its model list could not be used"
        falls_back = SNAPSHOT in self.order[self.mode]
        if failure is None:
            return SourceStatus.live(self.settings.base_url, falls_back=falls_back)
        return SourceStatus.unavailable(self.settings.base_url, failure, falls_back=falls_back,
                                        snapshot_as_of=snapshot_as_of)

    def live_routes(self, model_id: str | ModelRef) -> list[LiveRoute]:
        """Every live route the dashboard reads for one model (:func:`routes.plan`)."""
        ref = ModelRef.of(model_id)
        return routes.plan(ref, self.permaslug(ref, wait_for_live=False), has_key=self.settings.has_key,
                           today=utcnow().date())


def as_is(payload: Any) -> Any:
    """The parser for a payload used as it is (a pick selects from it, or only the recording holds it)."""
    return payload


def find_model(model_key: str, models: list[Model]) -> Model | None:
    """The entry whose id is exactly ``model_key`` (see :attr:`ModelRef.model_key`)."""
    return next((model for model in models if model.id == model_key), None)


def _empty(value: Any) -> bool:
    if value is None:
        return True
    try:
        return len(value) == 0
    except TypeError:
        return False


def _size(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _parse_key(parse: Callable) -> Hashable | None:
    """A stable identity for a parse function, or ``None`` when it cannot be memoised safely
    (a lambda or closure may parse differently each time)."""
    if isinstance(parse, functools.partial):
        inner = _parse_key(parse.func)
        key = (inner, parse.args, tuple(sorted(parse.keywords.items())))
        try:
            hash(key)
        except TypeError:
            return None
        return key if inner is not None else None
    if getattr(parse, "__closure__", None) or getattr(parse, "__name__", "") == "<lambda>":
        return None
    qualname = getattr(parse, "__qualname__", None)
    return (getattr(parse, "__module__", ""), qualname) if qualname and "<locals>" not in qualname else None


def _live_label(route: LiveRoute, url: str) -> str:
    """The route as it answered (the alternate path, if that was the one)."""
    path = urlsplit(url).path or route.path
    query = "&".join(f"{k}={v}" for k, v in route.params)
    return f"GET {path}" + (f"?{query}" if query else "")


def _short_reason(misses: list[_Miss]) -> str:
    return misses[0].reason if misses else "no source"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


__all__ = ["ORDER", "DataService", "RecordedSeries", "Simulation", "Unusable", "Want"]
