"""Typed views of OpenRouter's objects, as the dashboard uses them.

Prices are :class:`~decimal.Decimal` USD per unit (per token, per image, per request), exactly as
OpenRouter's decimal strings say, so that cost arithmetic is exact. ``None`` always means
"unknown" and is shown as such; it is never silently turned into zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Pricing:
    prompt: Decimal | None = None
    completion: Decimal | None = None
    input_cache_read: Decimal | None = None
    input_cache_write: Decimal | None = None
    image: Decimal | None = None
    request: Decimal | None = None
    web_search: Decimal | None = None
    internal_reasoning: Decimal | None = None
    discount: Decimal | None = None

    def per_million(self, name: str) -> Decimal | None:
        value = getattr(self, name)
        return None if value is None else value * MILLION

    @property
    def prompt_per_m(self) -> Decimal | None:
        return self.per_million("prompt")

    @property
    def completion_per_m(self) -> Decimal | None:
        return self.per_million("completion")

    @property
    def cache_read_per_m(self) -> Decimal | None:
        return self.per_million("input_cache_read")


@dataclass(frozen=True)
class Percentiles:
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    p95: float | None = None
    p99: float | None = None

    def get(self, name: str) -> float | None:
        return getattr(self, name, None)


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    canonical_slug: str
    created: dt.date | None = None
    description: str = ""
    context_length: int | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    modality: str | None = None
    tokenizer: str | None = None
    instruct_type: str | None = None
    pricing: Pricing = field(default_factory=Pricing)
    max_completion_tokens: int | None = None
    top_provider_context_length: int | None = None
    is_moderated: bool | None = None
    supported_parameters: tuple[str, ...] = ()
    knowledge_cutoff: dt.date | None = None
    expiration_date: dt.date | None = None
    hugging_face_id: str | None = None
    benchmarks: dict = field(default_factory=dict)
    """``{"artificial_analysis": {...}, "design_arena": [...]}`` as OpenRouter sends it."""
    default_parameters: dict = field(default_factory=dict)
    """The model's own sampling defaults (``temperature``, ``top_p``, …) where OpenRouter lists them;
    only numeric values are kept (``null`` means "no default stated")."""

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0] if "/" in self.id else ""

    @property
    def short_name(self) -> str:
        return self.name.split(": ", 1)[1] if ": " in self.name else self.name

    @property
    def base_id(self) -> str:
        """The id without a variant suffix (``openai/gpt-4o-mini:batch`` → ``openai/gpt-4o-mini``)."""
        return self.id.split(":", 1)[0]

    @property
    def is_multimodal(self) -> bool:
        return len(set(self.input_modalities) - {"text"}) > 0

    @property
    def aa_indices(self) -> dict[str, float | None]:
        aa = self.benchmarks.get("artificial_analysis") if isinstance(self.benchmarks, dict) else None
        return dict(aa) if isinstance(aa, dict) else {}


@dataclass(frozen=True)
class Endpoint:
    provider_name: str
    tag: str | None = None
    name: str | None = None
    endpoint_id: str | None = None
    quantization: str | None = None
    context_length: int | None = None
    max_completion_tokens: int | None = None
    max_prompt_tokens: int | None = None
    pricing: Pricing = field(default_factory=Pricing)
    supported_parameters: tuple[str, ...] = ()
    status: int | None = None
    uptime_5m: float | None = None
    uptime_30m: float | None = None
    uptime_1d: float | None = None
    latency_30m: Percentiles | None = None
    """Time to first token, milliseconds."""
    throughput_30m: Percentiles | None = None
    """Output tokens per second."""
    request_count: int | None = None
    supports_implicit_caching: bool | None = None
    is_deranked: bool | None = None
    deranked_source: str | None = None
    """Where ``is_deranked`` came from when another source than this endpoint's own supplied it
    (it decides routing estimates, so it is shown with them)."""
    data_policy: dict = field(default_factory=dict)
    variant: str | None = None
    """The model variant this endpoint serves, when the source says (``standard``, ``batch``, …)."""

    @property
    def routing_slug(self) -> str:
        """What to put in ``provider.order`` to pin this endpoint."""
        return self.tag or self.provider_name.lower()
