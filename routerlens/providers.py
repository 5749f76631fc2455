"""Who serves a model: the merged per-endpoint table.

Sources, merged by endpoint, each kept with its own provenance:

* ``GET /api/v1/models/{permaslug}/endpoints`` (documented): prices, limits, uptime 5 min /
  30 min / 1 day and, with an API key, latency/throughput percentiles over the last 30 minutes;
* the website's ``stats/endpoint`` route (undocumented): the endpoint UUIDs the chart series are
  keyed by, p50..p99, request counts, deranked flags, data policy;
* a third party's per-endpoint summary (deankerr/orchid, window undocumented) and the website
  catalogue's data policies, both bundled only;
* ``GET /api/v1/providers``: status pages and policy links.

A variant is part of the identity of every lookup: only endpoints of the variant asked for are
kept, and a source that does not say which variant its endpoints serve is not used for a variant
other than the standard one. Nothing here knows which source answered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

from . import routes
from .ids import STANDARD, ModelRef
from .parse import ParseError, as_dict, parse_endpoints, to_bool, to_float, to_int, to_str
from .provenance import Provenance, Sourced
from .schema import Endpoint
from .service import DataService, Unusable, Want, as_is
from .snapshot import Bundled

SAME_MEASUREMENT_DAYS = 7
"""Endpoint lists and stats further apart than this are not merged as one measurement."""
SAME_ERA_DAYS = 31
"""A third-party summary's flags apply to stats at most this far apart."""


# --- values ---------------------------------------------------------------------------------------

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

    @property
    def endpoint_list(self) -> list[Endpoint]:
        return [row.endpoint for row in self.rows]

    def deranked_notes(self) -> list[str]:
        """One sentence per flag taken from another source than the endpoint's own."""
        return [f"{row.label}: “deranked” per {row.endpoint.deranked_source}." for row in self.rows
                if row.endpoint.is_deranked and row.endpoint.deranked_source]


# --- the variant rule ------------------------------------------------------------------------------

def of_variant(variant: str, endpoints: list[Endpoint]) -> list[Endpoint]:
    """The endpoints that serve ``variant``. An endpoint whose source does not name its variant
    counts as standard; for any other variant an answer that names none is not usable."""
    mine = [e for e in endpoints if (e.variant or STANDARD) == variant]
    if endpoints and not mine and variant != STANDARD:
        raise Unusable(f"none of its {len(endpoints)} endpoints is marked as serving the :{variant} variant")
    return mine


# --- the sources -----------------------------------------------------------------------------------

def endpoints(service: DataService, model_id: str | ModelRef) -> Sourced[list[Endpoint]]:
    """The documented endpoint list of the model's variant."""
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref)
    return service.get(Want(
        f"provider list for {ref.model_key}", parse_endpoints, [], live=(routes.endpoints(slug),),
        bundled=Bundled.at(f"/api/v1/models/{slug}/endpoints", {"variant": ref.variant}),
        pick=functools.partial(of_variant, ref.variant), absent_on_404=True))


def endpoint_stats(service: DataService, model_id: str | ModelRef) -> Sourced[list[Endpoint]]:
    """The website's ``stats/endpoint`` rows for the model's variant."""
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref)
    identity = {"permaslug": slug, "variant": ref.variant}
    return service.get(Want(
        f"per-provider stats for {ref.model_key}", parse_endpoints, [],
        live=(routes.stats_endpoint(slug, ref.variant),),
        bundled=Bundled.at("/api/frontend/stats/endpoint", identity), pick=functools.partial(of_variant, ref.variant)))


def parse_directory(payload: Any) -> list[dict]:
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise ParseError("expected a list under 'data'")
    return [row for row in data if isinstance(row, dict)]


def providers_directory(service: DataService) -> Sourced[list[dict]]:
    """``GET /api/v1/providers``: policy links and headquarters per provider slug."""
    return service.get(Want("provider directory", parse_directory, [], live=(routes.providers(),),
                            bundled=Bundled.at("/api/v1/providers")))


def parse_endpoint_summaries(payload: Any) -> dict[str, list[EndpointSummary]]:
    """orchid's ``{"models": {"<model id>": {"endpoints": [...]}}}`` → summaries per model id."""
    out: dict[str, list[EndpointSummary]] = {}
    for model_id, entry in as_dict(as_dict(payload).get("models")).items():
        rows = as_dict(entry).get("endpoints")
        summaries = []
        for raw in rows if isinstance(rows, list) else []:
            raw = as_dict(raw)
            name = to_str(raw.get("provider_name"))
            if not name:
                continue
            summaries.append(EndpointSummary(
                provider_name=name,
                average_uptime=to_float(raw.get("average_uptime")),
                p50_latency_ms=to_float(raw.get("p50_latency_ms")),
                p50_throughput=to_float(raw.get("p50_throughput_tokens_per_second")),
                request_count=to_int(raw.get("total_request_count")),
                is_deranked=to_bool(raw.get("is_deranked")),
            ))
        out[str(model_id)] = summaries
    return out


def _summaries_for(model_id: str, summaries: dict[str, list[EndpointSummary]]) -> list[EndpointSummary]:
    return summaries.get(model_id, [])


def endpoint_summary(service: DataService, model_id: str | ModelRef) -> Sourced[list[EndpointSummary]]:
    """A third party's aggregate, shown as such (bundled only; its window is not documented)."""
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref)
    return service.get(Want(
        f"third-party endpoint summary for {ref.model_key}", parse_endpoint_summaries, [],
        bundled=Bundled.at("#endpoint_summary", {"permaslug": slug, "variant": ref.variant}),
        pick=functools.partial(_summaries_for, slug)))


def _catalogue_policies(permaslug: str, variant: str, payload: Any) -> dict[str, dict]:
    """Data policy per provider slug from the website catalogue (each model's default endpoint)."""
    data = as_dict(payload).get("data")
    out: dict[str, dict] = {}
    for item in data if isinstance(data, list) else []:
        item = as_dict(item)
        if permaslug not in (item.get("slug"), item.get("permaslug")):
            continue
        for ep in parse_endpoints({"data": [item.get("endpoint")]}):
            if ep.data_policy and (ep.variant or STANDARD) == variant:
                out[(ep.tag or ep.provider_name).lower()] = ep.data_policy
    return out


def catalogue_policies(service: DataService, model_id: str | ModelRef) -> Sourced[dict[str, dict]]:
    """Data policies from the website catalogue (bundled only: the live catalogue is large)."""
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref)
    return service.get(Want(f"catalogue data policies for {ref.model_key}", as_is, {},
                            bundled=Bundled.at("/api/frontend/models"),
                            pick=functools.partial(_catalogue_policies, slug, ref.variant)))


# --- merging ---------------------------------------------------------------------------------------

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
    """One row per endpoint; stats-only endpoints are added when asked (same-period sources)."""
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


def _flag_source(provenance: Provenance) -> str:
    source = provenance.source.split(";", 1)[0].split(" @ ", 1)[0].strip()
    return f"{source}'s summary ({provenance.short_label()})"


def provider_table(service: DataService, model_id: str | ModelRef) -> ProviderTable:
    """Every source the providers table draws on, merged by endpoint, each kept with its provenance.
    Figures from different periods are not merged into one row's measurement."""
    ref = ModelRef.of(model_id)
    endpoints_ = endpoints(service, ref)
    stats = endpoint_stats(service, ref)
    summary = endpoint_summary(service, ref)
    directory = providers_directory(service)
    same_period = endpoints_.provenance.same_period(stats.provenance, days=SAME_MEASUREMENT_DAYS)
    rows = merge_rows(endpoints_.value, stats.value, summary.value, directory.value, include_stats_only=same_period)
    if summary.value and stats.provenance.same_period(summary.provenance, days=SAME_ERA_DAYS):
        # The summary is of the same era as the stats: its deranked flag applies, with its source.
        source = _flag_source(summary.provenance)
        rows = [replace(row, endpoint=replace(row.endpoint, is_deranked=row.summary.is_deranked,
                                              deranked_source=source))
                if row.summary and row.summary.is_deranked is not None and row.endpoint.is_deranked is None else row
                for row in rows]
    policies = catalogue_policies(service, ref).value
    if policies:
        rows = [row if row.endpoint.data_policy else
                replace(row, endpoint=replace(row.endpoint, data_policy=policies.get(
                    (row.endpoint.tag or row.endpoint.provider_name).lower(), {})))
                for row in rows]
    return ProviderTable(rows, endpoints_, stats, summary, directory)


# --- wording ---------------------------------------------------------------------------------------

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
