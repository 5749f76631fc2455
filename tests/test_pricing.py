"""Exact price math."""

from decimal import Decimal

import pytest

from routerlens.parse import parse_pricing
from routerlens.pricing import blended_per_m, compare_prices, effective_input_per_m, percent_cheaper, request_cost

MINI = parse_pricing({"prompt": "0.00000015", "completion": "0.0000006", "input_cache_read": "0.000000075"})
TURBO = parse_pricing({"prompt": "0.0000005", "completion": "0.0000015"})


def test_one_million_in_and_out_at_half_cache_hit_is_exact():
    cost = request_cost(MINI, input_tokens=1_000_000, output_tokens=1_000_000, cache_hit="0.5")
    assert cost.total == Decimal("0.7125")
    assert cost.input == Decimal("0.075") and cost.cached_input == Decimal("0.0375") and cost.output == Decimal("0.6")


def test_no_cache_cost():
    cost = request_cost(MINI, input_tokens=1000, output_tokens=500)
    assert cost.total == Decimal("0.00045")


def test_cache_hit_without_cache_price_is_unknown():
    assert request_cost(TURBO, input_tokens=10, output_tokens=10, cache_hit="0.5") is None
    assert effective_input_per_m(TURBO, "0.5") is None
    assert effective_input_per_m(TURBO, 0) == Decimal("0.5")


def test_cache_hit_must_be_a_share():
    with pytest.raises(ValueError):
        request_cost(MINI, input_tokens=1, output_tokens=1, cache_hit="1.5")


def test_blended_three_to_one():
    assert blended_per_m(MINI) == Decimal("0.2625")
    assert blended_per_m(TURBO) == Decimal("0.75")
    assert blended_per_m(parse_pricing({})) is None


def test_effective_input_price():
    assert effective_input_per_m(MINI, "0.5") == Decimal("0.1125")
    assert effective_input_per_m(MINI, 1) == Decimal("0.075")


def test_sixty_percent_cheaper_than_gpt35_turbo_is_computed():
    cmp = compare_prices(MINI, TURBO, other_id="openai/gpt-3.5-turbo", other_name="GPT-3.5 Turbo")
    assert cmp.input_pct == Decimal("70")
    assert cmp.output_pct == Decimal("60")
    assert cmp.blended_pct == Decimal("65")
    assert percent_cheaper(Decimal(2), Decimal(1)) == Decimal(-100)
    assert percent_cheaper(None, Decimal(1)) is None and percent_cheaper(Decimal(1), Decimal(0)) is None
