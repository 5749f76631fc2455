"""One tolerant parser for OpenRouter's wire shapes, used for live and snapshot data alike.

Rules: unknown fields are ignored, nulls and missing fields become ``None`` ("unknown"), wrong
types are dropped rather than raised, and a malformed element is skipped without losing its
siblings. The only exception raised is :class:`ParseError`, for a payload whose envelope is not
the expected shape at all.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from .ids import ROUTING_SUFFIXES
from .schema import Endpoint, Model, Percentiles, Pricing


class ParseError(ValueError):
    """The payload is not the shape this route returns."""


# --- scalars -------------------------------------------------------------------------------

def _no_constant(name: str) -> Any:
    raise ValueError(f"the non-finite number {name} is not JSON")


def loads(text: str | bytes) -> Any:
    """Strict JSON: ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's parser accepts) are
    invalid, so a body carrying them is a failed fetch, never data (RFC 8259 §6)."""
    return json.loads(text, parse_constant=_no_constant)


def to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


def to_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number)


def to_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def to_percent(value: Any) -> float | None:
    """A percentage between 0 and 100, or ``None``: a value outside that range is not a percent
    (a fraction, a count or a glitch) and is dropped rather than drawn."""
    number = to_float(value)
    return number if number is not None and 0.0 <= number <= 100.0 else None


_COUNT_SUFFIX = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}


def to_count(value: Any) -> int | None:
    """A non-negative count from an int, a numeric string (``"890260479"``, OpenRouter sends
    token totals as strings) or a rounded display string (``"2.12B"``, ``"79.5M"``, ``"1,234"``)
    as web pages show them. Anything else is ``None``. Stdlib only: the snapshot builder uses it."""
    if isinstance(value, str):
        text = value.strip().replace(",", "").upper()
        suffix = text[-1:] if text[-1:] in _COUNT_SUFFIX else ""
        number = to_decimal(text[: len(text) - len(suffix)] if suffix else text)
        if number is None or number < 0:
            return None
        return int(number * _COUNT_SUFFIX[suffix])
    number = to_int(value)
    return number if number is None or number >= 0 else None


def to_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def to_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def to_date(value: Any) -> dt.date | None:
    """Accepts unix seconds, ``YYYY-MM-DD``, ISO datetimes and ``YYYY-MM-DD HH:MM:SS``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def to_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            day = to_date(text)
            return dt.datetime(day.year, day.month, day.day) if day else None
        return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def str_tuple(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


# --- pricing -------------------------------------------------------------------------------

_PRICE_KEYS = (
    "prompt", "completion", "input_cache_read", "input_cache_write", "image", "request",
    "web_search", "internal_reasoning", "discount",
)


def parse_pricing(raw: Any, *, missing_is_zero: bool = True) -> Pricing:
    """OpenRouter omits price keys that do not apply, so by default a *missing* per-use fee
    (request, image, web search, reasoning) is 0; a missing cache price is ``None`` (not offered).

    An explicit ``null`` stays ``None`` (unknown). Snapshot files assembled from partial sources
    use ``null`` for "not known" for that reason.
    """
    raw = as_dict(raw)
    values: dict[str, Decimal | None] = {}
    for key in _PRICE_KEYS:
        if key in raw:
            values[key] = to_decimal(raw[key])
        elif key in ("prompt", "completion", "input_cache_read", "input_cache_write"):
            # prompt/completion are required: missing means we do not know. A missing cache price
            # means caching is not offered, which must never read as "cache hits are free".
            values[key] = None
        else:
            values[key] = Decimal(0) if missing_is_zero and key != "discount" else None
    return Pricing(**values)


# --- models --------------------------------------------------------------------------------

def parse_model(raw: Any) -> Model | None:
    raw = as_dict(raw)
    model_id = to_str(raw.get("id")) or to_str(raw.get("slug"))
    if not model_id:
        return None
    arch = as_dict(raw.get("architecture"))
    top = as_dict(raw.get("top_provider"))
    input_mods = str_tuple(arch.get("input_modalities") or raw.get("input_modalities"))
    output_mods = str_tuple(arch.get("output_modalities") or raw.get("output_modalities"))
    bench = raw.get("benchmarks")
    return Model(
        id=model_id,
        name=to_str(raw.get("name")) or model_id,
        canonical_slug=to_str(raw.get("canonical_slug")) or to_str(raw.get("permaslug")) or model_id.split(":")[0],
        created=to_date(raw.get("created") if raw.get("created") is not None else raw.get("created_at")),
        description=to_str(raw.get("description")) or "",
        context_length=to_int(raw.get("context_length")),
        input_modalities=input_mods,
        output_modalities=output_mods,
        modality=to_str(arch.get("modality")),
        tokenizer=to_str(arch.get("tokenizer")),
        instruct_type=to_str(arch.get("instruct_type")),
        pricing=parse_pricing(raw.get("pricing")),
        max_completion_tokens=to_int(top.get("max_completion_tokens")),
        top_provider_context_length=to_int(top.get("context_length")),
        is_moderated=to_bool(top.get("is_moderated")),
        supported_parameters=str_tuple(raw.get("supported_parameters")),
        knowledge_cutoff=to_date(raw.get("knowledge_cutoff")),
        expiration_date=to_date(raw.get("expiration_date")),
        hugging_face_id=to_str(raw.get("hugging_face_id")),
        benchmarks=bench if isinstance(bench, dict) else {},
        default_parameters={key: number for key, value in as_dict(raw.get("default_parameters")).items()
                            if isinstance(key, str) and (number := to_float(value)) is not None},
    )


def parse_models(payload: Any) -> list[Model]:
    """``GET /api/v1/models`` → models; also accepts ``GET /api/v1/model/{id}`` (one object)."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ParseError("expected a list of models under 'data'")
    models = [parse_model(item) for item in data]
    return [model for model in models if model is not None]


# --- endpoints -----------------------------------------------------------------------------

def parse_percentiles(raw: Any) -> Percentiles | None:
    if not isinstance(raw, dict):
        return None
    values = {key: to_float(raw.get(key)) for key in ("p50", "p75", "p90", "p95", "p99")}
    if all(value is None for value in values.values()):
        return None
    return Percentiles(**values)


def _stats_percentiles(stats: dict, metric: str) -> Percentiles | None:
    """Frontend ``stats`` carries ``p50_latency``, ``p90_throughput``, …"""
    values = {key: to_float(stats.get(f"{key}_{metric}")) for key in ("p50", "p75", "p90", "p95", "p99")}
    if all(value is None for value in values.values()):
        return None
    return Percentiles(**values)


def provider_from_name(name: str | None) -> str | None:
    """``"OpenAI | openai/gpt-4o-mini"`` → ``"OpenAI"``."""
    if not name:
        return None
    return name.split("|", 1)[0].strip() or None


def parse_endpoint(raw: Any) -> Endpoint | None:
    raw = as_dict(raw)
    name = to_str(raw.get("name"))
    provider = (
        to_str(raw.get("provider_name"))
        or to_str(raw.get("provider_display_name"))
        or provider_from_name(name)
    )
    if not provider:
        return None
    stats = as_dict(raw.get("stats"))
    info = as_dict(raw.get("provider_info"))
    policy = raw.get("data_policy") if isinstance(raw.get("data_policy"), dict) else as_dict(info.get("dataPolicy"))
    tag = to_str(raw.get("tag")) or to_str(raw.get("provider_slug")) or to_str(info.get("slug"))
    return Endpoint(
        provider_name=provider,
        tag=tag,
        name=name,
        endpoint_id=to_str(raw.get("id")) or to_str(stats.get("endpoint_id")),
        quantization=to_str(raw.get("quantization")),
        context_length=to_int(raw.get("context_length")),
        max_completion_tokens=to_int(raw.get("max_completion_tokens")),
        max_prompt_tokens=to_int(raw.get("max_prompt_tokens")),
        pricing=parse_pricing(raw.get("pricing")),
        supported_parameters=str_tuple(raw.get("supported_parameters")),
        status=to_int(raw.get("status")),
        uptime_5m=to_float(raw.get("uptime_last_5m")),
        uptime_30m=to_float(raw.get("uptime_last_30m")),
        uptime_1d=to_float(raw.get("uptime_last_1d")),
        latency_30m=parse_percentiles(raw.get("latency_last_30m")) or _stats_percentiles(stats, "latency"),
        throughput_30m=parse_percentiles(raw.get("throughput_last_30m")) or _stats_percentiles(stats, "throughput"),
        request_count=to_int(stats.get("request_count")),
        supports_implicit_caching=to_bool(raw.get("supports_implicit_caching")),
        is_deranked=to_bool(raw.get("is_deranked")),
        data_policy=policy,
        variant=endpoint_variant(raw),
    )


def endpoint_variant(raw: dict) -> str | None:
    """The variant an endpoint serves: its ``variant`` field (website routes), else a ``:suffix``
    on ``model_variant_slug``, ``model_id`` or the ``"Provider | model:suffix"`` name; ``None``
    when the source does not say (routing shortcuts such as ``:nitro`` are not variants)."""
    variant = to_str(raw.get("variant"))
    if variant and variant.strip():
        return variant.strip().lower()
    name = to_str(raw.get("name")) or ""
    for candidate in (raw.get("model_variant_slug"), raw.get("model_id"), name.split("|", 1)[1] if "|" in name else None):
        if isinstance(candidate, str) and ":" in candidate:
            suffix = candidate.rsplit(":", 1)[1].strip().lower()
            if suffix and suffix not in ROUTING_SUFFIXES:
                return suffix
    return None


def parse_endpoints(payload: Any) -> list[Endpoint]:
    """Both ``/api/v1/models/{id}/endpoints`` (``data.endpoints``) and the website's
    ``stats/endpoint`` route (``data`` is the list) are accepted."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if isinstance(data, dict):
        data = data.get("endpoints")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ParseError("expected a list of endpoints")
    endpoints = [parse_endpoint(item) for item in data]
    return [endpoint for endpoint in endpoints if endpoint is not None]


# --- daily comparison series (website stats routes) ------------------------------------------

def split_series_key(key: str) -> tuple[str, str | None]:
    """``"<uuid>::standard"`` → ``("<uuid>", "standard")``; a bare uuid has no variant."""
    if "::" in key:
        head, tail = key.split("::", 1)
        return head, tail or None
    return key, None
