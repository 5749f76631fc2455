"""Cost calculator: a workload → exact cost per request, per day and per month, for every provider
and every routing mode (UI-free; the per-request math is :func:`routerlens.pricing.request_cost`).

All money is :class:`~decimal.Decimal` USD computed from OpenRouter's decimal price strings, so
figures match hand arithmetic: 1M input + 1M output tokens at a 50% cache-hit share on gpt-4o-mini
is 500,000 × $0.15/M + 500,000 × $0.075/M + 1,000,000 × $0.60/M = $0.7125.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .error_rates import ErrorRates, with_error_rates
from .pricing import BLEND_INPUT_WEIGHT, BLEND_OUTPUT_WEIGHT, D, blended_per_m, effective_input_per_m, request_cost
from .routing import RoutingMode
from .routing_pick import Candidate, Pick, likely_picks
from .schema import Endpoint

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Workload:
    input_tokens: Decimal
    output_tokens: Decimal
    requests_per_day: Decimal
    cache_hit: Decimal
    """Share 0..1 of input tokens read from the prompt cache."""
    days_per_month: int = DAYS_PER_MONTH

    @staticmethod
    def of(input_tokens, output_tokens, requests_per_day=1, cache_hit=0, *, cache_hit_percent=None) -> Workload:
        """Build and check a workload; ``cache_hit_percent`` (0..100) may be given instead of a share."""
        hit = D(cache_hit_percent) / 100 if cache_hit_percent is not None else D(cache_hit)
        values = {"input tokens": D(input_tokens), "output tokens": D(output_tokens),
                  "requests per day": D(requests_per_day)}
        for name, value in values.items():
            if value < 0:
                raise ValueError(f"{name} cannot be negative")
        if not 0 <= hit <= 1:
            raise ValueError("the cache-hit share must be between 0% and 100%")
        return Workload(values["input tokens"], values["output tokens"], values["requests per day"], hit)


@dataclass(frozen=True)
class CostLine:
    """Cost of the workload on one provider (or under one routing mode). ``None`` = a price it
    needs is unknown; ``why`` says which."""

    label: str
    tag: str | None
    per_request: Decimal | None
    per_day: Decimal | None
    per_month: Decimal | None
    blended_per_m: Decimal | None
    """List price, 3 input : 1 output, per 1M tokens."""
    effective_blended_per_m: Decimal | None
    """The same blend with the input price lowered by the workload's cache hits."""
    effective_input_per_m: Decimal | None
    why: str = ""


def effective_blended_per_m(endpoint: Endpoint, cache_hit) -> Decimal | None:
    eff_in = effective_input_per_m(endpoint.pricing, cache_hit)
    if eff_in is None or endpoint.pricing.completion is None:
        return None
    out = endpoint.pricing.completion_per_m
    return (eff_in * BLEND_INPUT_WEIGHT + out * BLEND_OUTPUT_WEIGHT) / (BLEND_INPUT_WEIGHT + BLEND_OUTPUT_WEIGHT)


def _unknown_reason(endpoint: Endpoint, workload: Workload) -> str:
    p = endpoint.pricing
    if p.prompt is None or p.completion is None:
        return "input or output price unknown"
    if workload.cache_hit and workload.input_tokens and p.input_cache_read is None:
        return "cached-input price unknown, so cache hits cannot be priced"
    return ""


def per_request_cost(endpoint: Endpoint, workload: Workload) -> Decimal | None:
    cost = request_cost(endpoint.pricing, input_tokens=workload.input_tokens, output_tokens=workload.output_tokens,
                        cache_hit=workload.cache_hit)
    return None if cost is None else cost.total


def _line(label: str, tag: str | None, per_request: Decimal | None, workload: Workload, *,
          endpoint: Endpoint | None, why: str = "") -> CostLine:
    per_day = None if per_request is None else per_request * workload.requests_per_day
    return CostLine(
        label=label, tag=tag, per_request=per_request, per_day=per_day,
        per_month=None if per_day is None else per_day * workload.days_per_month,
        blended_per_m=blended_per_m(endpoint.pricing) if endpoint else None,
        effective_blended_per_m=effective_blended_per_m(endpoint, workload.cache_hit) if endpoint else None,
        effective_input_per_m=effective_input_per_m(endpoint.pricing, workload.cache_hit) if endpoint else None,
        why=why,
    )


def provider_costs(endpoints: list[Endpoint], workload: Workload) -> list[CostLine]:
    return [_line(ep.provider_name, ep.routing_slug, per_request_cost(ep, workload), workload, endpoint=ep,
                  why=_unknown_reason(ep, workload)) for ep in endpoints]


@dataclass(frozen=True)
class ModeCost:
    mode: RoutingMode
    pick: Pick
    cost: CostLine


def mode_costs(endpoints: list[Endpoint], workload: Workload, *, pinned: str | None = None,
               rates: ErrorRates | None = None) -> list[ModeCost]:
    """Each routing mode's likely provider and what the workload would cost there. Balanced is the
    expected cost over its traffic shares (priced by this workload's cost per request). ``rates``:
    the published tool-call and structured-output error rates Exacto's estimate ranks by (as in
    the playground's picks table); without them Exacto falls back, and its reason says so."""
    by_tag = {ep.routing_slug: ep for ep in endpoints}
    costs = {ep.routing_slug: per_request_cost(ep, workload) for ep in endpoints}
    candidates = with_error_rates([replace(Candidate.from_endpoint(ep), price=costs[ep.routing_slug])
                                   for ep in endpoints], rates)
    out = []
    for mode, pick in likely_picks(candidates, pinned=pinned or (endpoints[0].routing_slug if endpoints else None)).items():
        top = pick.primary
        if top is None:
            line = _line(mode.label, None, None, workload, endpoint=None, why=pick.reason)
        elif mode is RoutingMode.BALANCED and pick.shares:
            parts = [(share, costs.get(tag)) for tag, share in pick.shares.items()]
            known = all(cost is not None for _, cost in parts)
            expected = sum((share * cost for share, cost in parts), Decimal(0)) if known else None
            line = _line(mode.label, top.tag, expected, workload, endpoint=by_tag.get(top.tag),
                         why="" if known else "a provider's price is unknown")
        else:
            endpoint = by_tag.get(top.tag)
            line = _line(mode.label, top.tag, costs.get(top.tag), workload, endpoint=endpoint,
                         why=_unknown_reason(endpoint, workload) if endpoint else "")
        out.append(ModeCost(mode, pick, line))
    return out
