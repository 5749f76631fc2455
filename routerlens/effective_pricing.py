"""The price users actually paid after prompt caching, per provider (website ``effective-pricing``).

No capture of this route exists for gpt-4o-mini. OpenRouter publishes only today's figure; its
history is what this deployment recorded (one point per provider per day). Where neither is
available the pricing page computes an effective price from the workload's cache-hit share
instead, and says so.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import routes
from .ids import ModelRef
from .metrics import SeriesPoint, extend_series, series_from_recording
from .parse import ParseError, as_dict, to_decimal, to_int, to_str
from .provenance import Sourced
from .providers import ProviderRow
from .schema import MILLION
from .provenance import utcnow
from .service import DataService, RecordedSeries, Want


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


# --- over time --------------------------------------------------------------------------------------

SIDES = {"input": "effective-input-per-m", "output": "effective-output-per-m"}
"""The recording's metric for each side of the price (USD per 1M tokens)."""
OVERALL = "All providers (usage-weighted)"
OVERALL_KEY = ""
"""The recording keeps the usage-weighted figure under an empty provider key."""


def today_points(payload: Any, side: str) -> list[SeriesPoint]:
    """Today's published figures (the route has no history) as one point per provider, dated
    today (UTC), keyed as the recorder keys them."""
    pricing = parse_effective_pricing(payload)
    now = utcnow()
    day = dt.datetime(now.year, now.month, now.day)
    attr = f"{side}_per_m"
    points = [SeriesPoint(day, OVERALL, OVERALL_KEY, float(getattr(pricing, attr)))] if getattr(pricing, attr) else []
    points += [SeriesPoint(day, item.provider, item.endpoint_id or item.slug or item.provider, float(value))
               for item in pricing.providers if (value := getattr(item, attr)) is not None]
    return points


def recorded_points(rows: list) -> list[SeriesPoint]:
    """Recorded days → points; a day missing inside a provider's span is a gap."""
    return [SeriesPoint(p.when, OVERALL if p.endpoint_key == OVERALL_KEY else p.provider, p.endpoint_key, p.value)
            for p in series_from_recording((), rows)]


def effective_price_history(service: DataService, model_id: str | ModelRef, side: str = "input",
                            ) -> Sourced[list[SeriesPoint]]:
    """The observed effective price per provider per day: today's live figure, and before it what
    this deployment recorded. Never simulated: with neither, there is no history to show."""
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}")
    ref = ModelRef.of(model_id)
    slug = service.permaslug(ref)
    return service.get(Want(f"effective {side} price over time", functools.partial(today_points, side=side), [],
                            live=(routes.effective_pricing(slug, ref.variant),), needs_data=True,
                            recorded=RecordedSeries(slug, ref.variant, SIDES[side]),
                            from_recording=recorded_points, extend=extend_series))
