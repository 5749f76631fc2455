"""The one parser, against the real shapes in the bundled snapshot and odd shapes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from routerlens.parse import (
    ParseError, parse_endpoints, parse_model, parse_models, parse_pricing,
    split_series_key, to_date,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def _load(rel: str):
    return json.loads((DATA / rel).read_text())


def test_full_model_list_parses_every_model():
    payload = _load("snapshot/api_v1_models_2026-08-19.json")
    models = parse_models(payload)
    assert len(models) == len(payload["data"]) == 549
    mini = next(m for m in models if m.id == "openai/gpt-4o-mini")
    assert mini.pricing.prompt_per_m == Decimal("0.15")
    assert mini.pricing.completion_per_m == Decimal("0.6")
    assert mini.pricing.cache_read_per_m == Decimal("0.075")
    assert mini.context_length == 128000
    assert mini.max_completion_tokens == 16384
    assert mini.created == dt.date(2024, 7, 18)
    assert mini.knowledge_cutoff == dt.date(2023, 10, 31)
    assert mini.input_modalities == ("text", "image", "file")
    assert mini.output_modalities == ("text",)
    assert mini.aa_indices == {"intelligence_index": None, "coding_index": 11.4, "agentic_index": 1}
    assert mini.short_name == "GPT-4o-mini" and mini.author == "openai"


@pytest.mark.parametrize("captured", ["2025-07-29", "2025-12-02", "2026-05-22", "2026-08-19"])
def test_each_capture_of_the_model_entry_parses(captured):
    models = parse_models(_load(f"snapshot/history/api_v1_models_gpt-4o-mini_{captured}.json"))
    mini = next(m for m in models if m.id == "openai/gpt-4o-mini")
    assert mini.pricing.prompt_per_m == Decimal("0.15")
    assert mini.context_length == 128000


def test_2025_capture_keeps_image_price_and_2026_drops_it():
    old = parse_models(_load("snapshot/history/api_v1_models_gpt-4o-mini_2025-07-29.json"))[0]
    new = parse_models(_load("snapshot/history/api_v1_models_gpt-4o-mini_2026-08-19.json"))[0]
    assert old.pricing.image == Decimal("0.000217")
    assert new.pricing.image == 0  # omitted key: does not apply


def test_missing_price_key_is_zero_but_null_is_unknown():
    pricing = parse_pricing({"prompt": "0.000001", "completion": "0.000002", "input_cache_read": None})
    assert pricing.input_cache_read is None
    assert pricing.image == 0
    assert parse_pricing({}).prompt is None


def test_bad_values_become_unknown_not_errors():
    model = parse_model({
        "id": "x/y", "name": 42, "context_length": "lots", "created": "yesterday",
        "pricing": {"prompt": "abc", "completion": float("nan")}, "architecture": None,
        "top_provider": [], "supported_parameters": ["temperature", 3, None], "benchmarks": "n/a",
        "some_new_field": {"nested": True},
    })
    assert model.name == "x/y"
    assert model.context_length is None
    assert model.created is None
    assert model.pricing.prompt is None and model.pricing.completion is None
    assert model.supported_parameters == ("temperature",)
    assert model.benchmarks == {}


def test_models_without_id_are_skipped_not_fatal():
    models = parse_models({"data": [{"name": "no id"}, None, "junk", {"id": "a/b"}]})
    assert [m.id for m in models] == ["a/b"]


def test_envelope_of_the_wrong_shape_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_models({"data": "nope"})
    with pytest.raises(ParseError):
        parse_endpoints({"data": {"endpoints": "nope"}})


def test_assembled_snapshot_endpoints_parse_with_unknowns():
    endpoints = parse_endpoints(_load("snapshot/api_v1_models_openai_gpt-4o-mini_endpoints.json"))
    by = {e.provider_name: e for e in endpoints}
    assert set(by) == {"OpenAI", "Azure"}
    assert by["OpenAI"].pricing.cache_read_per_m == Decimal("0.075")
    assert by["Azure"].pricing.cache_read_per_m is None  # unknown, not zero
    assert by["Azure"].uptime_30m is None and by["Azure"].latency_30m is None
    assert by["OpenAI"].routing_slug == "openai"


def test_website_stats_endpoint_shape_parses_percentiles():
    endpoints = parse_endpoints(_load("snapshot/frontend_stats_endpoint_gpt-4o-mini_2025-06-27.json"))
    by = {e.provider_name: e for e in endpoints}
    assert by["OpenAI"].throughput_30m.p50 == pytest.approx(74.8)
    assert by["OpenAI"].latency_30m.p50 == pytest.approx(327.0)
    assert by["Azure"].throughput_30m.p50 == pytest.approx(116.7755)
    assert by["OpenAI"].endpoint_id == "77e40332-6f2a-4c48-bc14-e44596b30ce2"


def test_2026_public_endpoint_shape_from_fixture():
    fixture = json.loads((Path(__file__).parent / "fixtures" / "endpoints_gpt-4o-mini.json").read_text())
    endpoints = parse_endpoints(fixture)
    openai = endpoints[0]
    assert openai.uptime_5m == 100 and openai.latency_30m.p99 == pytest.approx(3550.2)
    assert openai.supports_implicit_caching is True


def test_endpoint_name_gives_provider_when_field_missing():
    endpoints = parse_endpoints({"data": [{"name": "DeepInfra | x/y", "tag": "deepinfra/fp8"}, {"foo": 1}]})
    assert [(e.provider_name, e.tag) for e in endpoints] == [("DeepInfra", "deepinfra/fp8")]


def test_empty_provider_list_is_empty_not_error():
    assert parse_endpoints({"data": {"id": "a/b", "endpoints": []}}) == []
    assert parse_endpoints({"data": {"id": "a/b", "endpoints": None}}) == []


def test_series_keys_split_into_endpoint_and_variant():
    assert split_series_key("25b2cca5::standard") == ("25b2cca5", "standard")
    assert split_series_key("25b2cca5") == ("25b2cca5", None)


def test_dates_in_every_form_openrouter_uses():
    assert to_date(1721260800) == dt.date(2024, 7, 18)
    assert to_date("2023-10-31") == dt.date(2023, 10, 31)
    assert to_date("2024-07-18T00:00:00+00:00") == dt.date(2024, 7, 18)
    assert to_date(True) is None and to_date("soon") is None
