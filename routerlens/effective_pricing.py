"""The price users actually paid after prompt caching, per provider (website ``effective-pricing``).

Live only: no capture of this route exists for gpt-4o-mini. Where it is unavailable the pricing
page computes an effective price from the workload's cache-hit share instead, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import routes
from .ids import ModelRef
from .parse import ParseError, as_dict, to_decimal, to_int, to_str
from .provenance import Sourced
from .providers import ProviderRow
from .schema import MILLION
from .service import DataService, Want


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


def effective_pricing(service: DataService, model_id: str | ModelRef) -> Sourced[EffectivePricing | None]:
    """OpenRouter's usage-weighted price actually paid per provider."""
    ref = ModelRef.of(model_id)
    return service.get(Want("effective pricing", parse_effective_pricing, None,
                            live=(routes.effective_pricing(service.permaslug(ref), ref.variant),)))
