"""Price math, exact (``Decimal``), in USD.

Conventions: prices in :class:`~routerlens.schema.Pricing` are USD per token; functions named
``*_per_m`` return USD per million tokens. ``cache_hit`` is the share (0..1) of input tokens
served from the prompt cache and billed at the cached-input (cache read) price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .schema import MILLION, Pricing

BLEND_INPUT_WEIGHT = 3  # the 3:1 input:output blend peers (Artificial Analysis) quote
BLEND_OUTPUT_WEIGHT = 1


def D(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def blended_per_m(pricing: Pricing, *, input_weight: int = BLEND_INPUT_WEIGHT,
                  output_weight: int = BLEND_OUTPUT_WEIGHT) -> Decimal | None:
    """Blended price per 1M tokens, weighting input:output 3:1 by default."""
    if pricing.prompt is None or pricing.completion is None:
        return None
    total = input_weight + output_weight
    return (pricing.prompt * input_weight + pricing.completion * output_weight) * MILLION / total


def effective_input_per_m(pricing: Pricing, cache_hit) -> Decimal | None:
    """Input price per 1M tokens actually paid when ``cache_hit`` of input is read from cache.

    Without a known cache-read price, caching cannot be credited, so the list price stands
    only when ``cache_hit`` is 0; otherwise the answer is unknown (``None``)."""
    hit = D(cache_hit)
    if pricing.prompt is None:
        return None
    if hit == 0:
        return pricing.prompt * MILLION
    if pricing.input_cache_read is None:
        return None
    return (pricing.prompt * (1 - hit) + pricing.input_cache_read * hit) * MILLION


@dataclass(frozen=True)
class Cost:
    input: Decimal
    cached_input: Decimal
    output: Decimal
    request: Decimal

    @property
    def total(self) -> Decimal:
        return self.input + self.cached_input + self.output + self.request


def request_cost(pricing: Pricing, *, input_tokens, output_tokens, cache_hit=0) -> Cost | None:
    """Exact cost of one request. ``None`` when a price it needs is unknown."""
    hit = D(cache_hit)
    if not (0 <= hit <= 1):
        raise ValueError("cache_hit must be between 0 and 1")
    if pricing.prompt is None or pricing.completion is None:
        return None
    tokens_in, tokens_out = D(input_tokens), D(output_tokens)
    cached = tokens_in * hit
    if cached and pricing.input_cache_read is None:
        return None
    return Cost(
        input=(tokens_in - cached) * pricing.prompt,
        cached_input=cached * (pricing.input_cache_read or Decimal(0)),
        output=tokens_out * pricing.completion,
        request=pricing.request or Decimal(0),
    )


def percent_cheaper(price, reference) -> Decimal | None:
    """How much cheaper ``price`` is than ``reference``, in percent (negative = dearer)."""
    if price is None or reference in (None, 0):
        return None
    return (1 - D(price) / D(reference)) * 100


@dataclass(frozen=True)
class PriceComparison:
    other_id: str
    other_name: str
    input_pct: Decimal | None
    output_pct: Decimal | None
    blended_pct: Decimal | None


def compare_prices(pricing: Pricing, other: Pricing, *, other_id: str, other_name: str) -> PriceComparison:
    return PriceComparison(
        other_id=other_id,
        other_name=other_name,
        input_pct=percent_cheaper(pricing.prompt, other.prompt),
        output_pct=percent_cheaper(pricing.completion, other.completion),
        blended_pct=percent_cheaper(blended_per_m(pricing), blended_per_m(other)),
    )
