"""The one interface pages use: ask for data, get it back with its provenance.

:class:`DataService` hides where data comes from. In *Auto* mode each section tries OpenRouter
live and, if that call fails, falls back to the bundled snapshot and says so in
``Sourced.notice``; *Live* mode never falls back (a failure is a notice and an empty value);
*Offline* mode never touches the network. Nothing here raises for a failed or malformed source.

Live results are kept in a small thread-safe TTL cache (successes for ``ttl`` seconds, failures
for ``error_ttl`` seconds so a dead server is not hammered), and :meth:`prefetch` fills it for
several routes concurrently.
"""

from __future__ import annotations

import concurrent.futures
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .client import Fetched, OpenRouterClient, OpenRouterError
from .config import DataMode, Settings
from .parse import ParseError, parse_endpoints, parse_models
from .provenance import Provenance, Sourced
from .schema import Endpoint, Model
from .snapshot import SnapshotEntry, SnapshotSource

T = TypeVar("T")

LIVE_TTL_S = 300.0
_ROUTE_PROVIDERS: list = []
ROUTE_MODULES = ("routerlens.performance", "routerlens.usage", "routerlens.benchmarks")
"""Modules that read further live routes; imported by :meth:`DataService.live_routes`."""


def register_live_routes(provider) -> None:
    """Modules that read more live routes (stats, activity, …) register a function
    ``provider(service, model_id) -> list[LiveRoute]`` so :meth:`DataService.refresh_all` and
    :meth:`DataService.live_routes` cover them too."""
    if provider not in _ROUTE_PROVIDERS:
        _ROUTE_PROVIDERS.append(provider)


ERROR_TTL_S = 15.0
MAX_CACHE_ENTRIES = 256


@dataclass(frozen=True)
class LiveRoute:
    """One live request. ``alternates`` are tried in order when a path answers 404 (the
    website's routes moved from ``/api/frontend/...`` to ``/api/frontend/v1/...``)."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    site: bool = False
    auth: bool = False
    alternates: tuple[str, ...] = ()

    @staticmethod
    def api(path: str, params: Mapping[str, Any] | None = None, *, auth: bool = False) -> LiveRoute:
        return LiveRoute(path, tuple(sorted((k, str(v)) for k, v in (params or {}).items())), auth=auth)

    @staticmethod
    def website(paths: tuple[str, ...] | str, params: Mapping[str, Any] | None = None) -> LiveRoute:
        paths = (paths,) if isinstance(paths, str) else tuple(paths)
        return LiveRoute(paths[0], tuple(sorted((k, str(v)) for k, v in (params or {}).items())), site=True,
                         alternates=paths[1:])

    def kwargs(self, path: str | None = None) -> dict:
        return {"path": path or self.path, "params": dict(self.params) or None, "site": self.site, "auth": self.auth}


@dataclass
class _CacheItem:
    expires: float
    value: Any


@dataclass
class DataService:
    settings: Settings
    snapshot: SnapshotSource = field(default_factory=SnapshotSource)
    client: OpenRouterClient | None = None
    ttl: float = LIVE_TTL_S
    error_ttl: float = ERROR_TTL_S

    def __post_init__(self) -> None:
        if self.client is None and self.settings.mode is not DataMode.OFFLINE:
            self.client = OpenRouterClient(self.settings)
        self._lock = threading.Lock()
        self._cache: dict[Any, _CacheItem] = {}
        # 16 = the client's connection limit: every route of a cold refresh (14 today) runs at once.
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="routerlens-live")

    # -- plumbing ------------------------------------------------------------------------------

    @property
    def mode(self) -> DataMode:
        return self.settings.mode

    @property
    def uses_live(self) -> bool:
        return self.mode is not DataMode.OFFLINE and self.client is not None

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

    def _store(self, route: LiveRoute, result: Fetched | OpenRouterError) -> None:
        ttl = self.error_ttl if isinstance(result, OpenRouterError) else self.ttl
        self._cache_put(("live", route), result, ttl)

    def live_get(self, route: LiveRoute) -> Fetched | OpenRouterError:
        """One live route, from the cache when fresh. Never raises."""
        cached = self._cache_get(("live", route))
        if cached is not None:
            return cached
        if not self.uses_live:
            return OpenRouterError("offline mode: live data is switched off", kind="offline")
        future = self._pool.submit(self._get_first, route)
        # A hard wall-clock bound on top of the client's own timeouts: even a DNS lookup that
        # hangs (no timeout applies to it) cannot freeze a page.
        bound = self.settings.total_timeout * (1 + len(route.alternates)) + 1.0
        try:
            result = future.result(timeout=bound)
        except concurrent.futures.TimeoutError:
            result = OpenRouterError("the server did not answer in time", kind="timeout")
        self._store(route, result)
        return result

    def _get_first(self, route: LiveRoute) -> Fetched | OpenRouterError:
        result: Fetched | OpenRouterError = OpenRouterError("no route tried", kind="network")
        for path in (route.path, *route.alternates):
            try:
                return self.client.get_json(**route.kwargs(path))
            except OpenRouterError as exc:
                result = exc
                if exc.status != 404:
                    break
        return result

    def prefetch(self, routes: list[LiveRoute]) -> dict[LiveRoute, Fetched | OpenRouterError]:
        """Fetch every route that is not cached yet, concurrently; then serve all from cache."""
        missing = [r for r in dict.fromkeys(routes) if self._cache_get(("live", r)) is None]
        if missing and self.uses_live:
            # One thread per route (up to the client's 16 connections): a cold refresh of every
            # route then takes about as long as the slowest one (bench/run.py measures it).
            with concurrent.futures.ThreadPoolExecutor(max_workers=min(16, len(missing))) as pool:
                list(pool.map(self.live_get, missing))
        return {route: self.live_get(route) for route in routes}

    def _parsed(self, source_key: tuple, source: Fetched | SnapshotEntry, parse: Callable[[Any], T]) -> T:
        """``parse`` applied to a cached response, memoised while that response stays cached (a
        page asks for the model list several times per run; parsing 549 models each time showed
        in the rerun time). Only plain functions are memoised: a closure may parse differently."""
        if getattr(parse, "__closure__", None) or getattr(parse, "__name__", "") == "<lambda>":
            return parse(source.data if isinstance(source, Fetched) else self.snapshot.load(source))
        key = ("parsed", source_key, getattr(parse, "__module__", ""), getattr(parse, "__qualname__", ""))
        cached = self._cache_get(key)
        if cached is not None and cached[0] is source:
            return cached[1]
        value = parse(source.data if isinstance(source, Fetched) else self.snapshot.load(source))
        self._cache_put(key, (source, value), self.ttl)
        return value

    def _snapshot_models(self, entry: SnapshotEntry) -> list[Model]:
        return self._parsed(("snapshot", entry.id), entry, parse_models)

    def fetch(
        self,
        *,
        live: LiveRoute | None,
        snapshot_path: str | None,
        snapshot_params: Mapping[str, Any] | None = None,
        parse: Callable[[Any], T],
        default: T,
        what: str,
        definitive_404: bool = False,
    ) -> Sourced[T]:
        """The section-by-section source selection every data method goes through."""
        notice = None
        if live is not None and self.mode is not DataMode.OFFLINE:
            result = self.live_get(live)
            if isinstance(result, Fetched):
                try:
                    value = self._parsed(("live", live), result, parse)
                    return Sourced(value, Provenance.live(_route_label(live), fetched_at=result.fetched_at, url=result.url))
                except (ParseError, ValueError, TypeError, KeyError, AttributeError) as exc:
                    result = OpenRouterError(f"the response could not be read ({exc})", kind="parse")
            if definitive_404 and result.status == 404:
                return Sourced(default, Provenance.live(_route_label(live)),
                               notice=f"OpenRouter answered that {what} does not exist (HTTP 404).")
            if self.mode is DataMode.LIVE:
                return Sourced(default, Provenance.nothing(result.short()),
                               notice=f"Live {what} unavailable: {result.short()}. (Data source is forced to Live; "
                                      "switch to Auto to fall back to the bundled snapshot.)")
            notice = f"Live {what} unavailable ({result.short()}); showing the bundled snapshot instead."
        if snapshot_path is not None:
            entry = self.snapshot.lookup(snapshot_path, dict(snapshot_params or {}))
            if entry is not None:
                try:
                    return Sourced(self._parsed(("snapshot", entry.id), entry, parse), entry.provenance, notice=notice)
                except (ParseError, ValueError, TypeError, KeyError) as exc:
                    notice = f"{notice or ''} The snapshot file for {what} could not be read ({exc}).".strip()
        missing = f"The bundled snapshot has no {what}."
        return Sourced(default, Provenance.nothing("no source"), notice=f"{notice} {missing}" if notice else missing)

    # -- routes ----------------------------------------------------------------------------------

    @staticmethod
    def models_route() -> LiveRoute:
        return LiveRoute.api("/models", {"output_modalities": "all"})

    @staticmethod
    def endpoints_route(model_id: str) -> LiveRoute:
        return LiveRoute.api(f"/models/{model_path(model_id)}/endpoints", auth=True)

    # -- data ------------------------------------------------------------------------------------

    def models(self) -> Sourced[list[Model]]:
        return self.fetch(live=self.models_route(), snapshot_path="/api/v1/models", parse=parse_models,
                          default=[], what="model list")

    def model(self, model_id: str) -> Sourced[Model | None]:
        listing = self.models()
        wanted = model_id.strip()
        found = _find_model(listing.value, wanted)
        if found is None and listing.provenance.kind.value == "live":
            # The live list may be filtered; the snapshot may still know the id.
            snap = self.snapshot.lookup("/api/v1/models")
            if snap is not None:
                found = _find_model(self._snapshot_models(snap), wanted)
                if found is not None:
                    return Sourced(found, snap.provenance,
                                   notice=f"OpenRouter's live list does not include {wanted}; showing the bundled snapshot.")
        if found is None:
            return Sourced(None, listing.provenance,
                           notice=_join(listing.notice, f"No model with id “{wanted}” in this source."))
        return Sourced(found, listing.provenance, notice=listing.notice)

    def endpoints(self, model_id: str) -> Sourced[list[Endpoint]]:
        return self.fetch(live=self.endpoints_route(model_id),
                          snapshot_path=f"/api/v1/models/{model_path(model_id)}/endpoints",
                          parse=parse_endpoints, default=[], what=f"provider list for {model_id}",
                          definitive_404=True)

    def providers_directory(self) -> Sourced[list[dict]]:
        """``GET /api/v1/providers``: policy links and headquarters per provider slug."""
        def parse(payload):
            data = payload.get("data") if isinstance(payload, dict) else None
            if not isinstance(data, list):
                raise ParseError("expected a list under 'data'")
            return [row for row in data if isinstance(row, dict)]
        return self.fetch(live=LiveRoute.api("/providers"), snapshot_path="/api/v1/providers", parse=parse,
                          default=[], what="provider directory")

    def spec_history(self, model_id: str) -> list[tuple[Sourced[Model]]]:
        """Earlier captures of a model's ``/models`` entry, oldest first (snapshot only)."""
        out = []
        for entry in sorted(self.snapshot.entries_for("/api/v1/models#history"), key=lambda e: e.captured):
            found = _find_model(self._snapshot_models(entry), model_id, exact=True)
            if found is not None:
                out.append(Sourced(found, entry.provenance))
        return out

    def full_description(self, model: Model, provenance: Provenance) -> Sourced[str]:
        """The 2026 API shortens descriptions to ~200 characters ending in '...'. When it did,
        use the longest earlier capture that starts the same way, and say so."""
        text = model.description or ""
        if not text.rstrip().endswith("...") and not text.rstrip().endswith("…"):
            return Sourced(text, provenance)
        prefix = text.rstrip().rstrip(".…").strip()[:120]
        best: Sourced[str] | None = None
        for earlier in self.spec_history(model.id):
            candidate = earlier.value.description or ""
            if candidate.startswith(prefix[:60]) and len(candidate) > len(text) and not candidate.rstrip().endswith("..."):
                if best is None or len(candidate) >= len(best.value):
                    best = Sourced(candidate, earlier.provenance,
                                   notice="OpenRouter's current API shortens descriptions; this is the full text from "
                                          f"the {earlier.provenance.as_of} capture.")
        return best or Sourced(text, provenance)

    def permaslug(self, model_id: str, *, wait_for_live: bool = True) -> str:
        """The permanent slug (``canonical_slug``) the website's stats routes key on.

        ``wait_for_live=False`` never waits on a live call: it uses the live list only if it is
        already cached, else the snapshot, else the id itself (a cold refresh plans its routes
        this way so that they all run at once)."""
        model = None
        if wait_for_live or not self.uses_live or self._cache_get(("live", self.models_route())) is not None:
            model = self.model(model_id).value
        else:
            entry = self.snapshot.lookup("/api/v1/models")
            if entry is not None:
                model = _find_model(self._snapshot_models(entry), model_id)
        return model.canonical_slug if model is not None and model.canonical_slug else model_path(model_id)

    def launch_evals(self, model_id: str) -> Sourced[dict | None]:
        """OpenAI's published launch-day evaluations (percent), for the models they cover."""
        entry = self.snapshot.entry("launch_evals")
        if entry is None:
            return Sourced(None, Provenance.nothing("no snapshot"))
        raw = self.snapshot.load(entry)
        evals = raw.get("openai_simple_evals_readme_2024-07-18", {}) if isinstance(raw, dict) else {}
        covered = {"openai/gpt-4o-mini", "openai/gpt-4o-mini-2024-07-18"}
        if model_id.split(":")[0] not in covered:
            return Sourced(None, Provenance.nothing("no launch evals for this model"))
        scores = {k: v for k, v in evals.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        return Sourced(scores, entry.provenance)

    def refresh_all(self, model_id: str) -> dict[LiveRoute, Fetched | OpenRouterError]:
        """Cold refresh: drop the cache and fetch every live route the pages use, concurrently."""
        self.clear_cache()
        return self.prefetch(self.live_routes(model_id))

    def live_routes(self, model_id: str) -> list[LiveRoute]:
        """Every live route the dashboard reads for one model (pages add theirs here)."""
        import importlib

        for module in ROUTE_MODULES:  # each registers its routes when first imported
            importlib.import_module(module)
        routes = [self.models_route(), self.endpoints_route(model_id), LiveRoute.api("/providers")]
        for provider in _ROUTE_PROVIDERS:
            routes.extend(provider(self, model_id))
        return list(dict.fromkeys(routes))


WEBSITE_VARIANTS = frozenset({"free", "batch", "thinking", "extended", "beta"})


def website_variant(model_id: str) -> str:
    """The website stats routes' ``variant``: ``:free``/``:batch``/… name one; routing suffixes
    (``:nitro``, ``:floor``, ``:exacto``) and no suffix mean ``standard``."""
    suffix = model_id.split(":", 1)[1].strip().lower() if ":" in model_id else ""
    return suffix if suffix in WEBSITE_VARIANTS else "standard"


def model_path(model_id: str) -> str:
    """``openai/gpt-4o-mini:nitro`` → ``openai/gpt-4o-mini`` (safe for a URL path)."""
    base = model_id.split(":", 1)[0].strip().strip("/")
    return re.sub(r"[^A-Za-z0-9._/\-]", "", base)


def _find_model(models: list[Model], wanted: str, *, exact: bool = False) -> Model | None:
    for model in models:
        if model.id == wanted:
            return model
    if exact:
        return None
    base = wanted.split(":", 1)[0]
    for model in models:
        if model.id == base:
            return model
    return None


def _route_label(route: LiveRoute) -> str:
    prefix = "" if route.site else "/api/v1"
    query = "&".join(f"{k}={v}" for k, v in route.params)
    return f"GET {prefix}{route.path}" + (f"?{query}" if query else "")


def _join(*parts: str | None) -> str | None:
    text = " ".join(p for p in parts if p)
    return text or None
