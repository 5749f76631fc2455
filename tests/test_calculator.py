"""The cost calculator: exact Decimal results that match hand arithmetic for any inputs."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from routerlens.calculator import (
    Workload, effective_blended_per_m, mode_costs, per_request_cost, provider_costs,
)
from routerlens.config import load_settings
from routerlens.formatting import money
from routerlens.providers import endpoints
from routerlens.routing import RoutingMode
from routerlens.schema import Endpoint, Percentiles, Pricing
from routerlens.service import DataService

MINI = Pricing(prompt=Decimal("0.00000015"), completion=Decimal("0.0000006"), input_cache_read=Decimal("0.000000075"),
               request=Decimal(0))
OPENAI = Endpoint("OpenAI", tag="openai", pricing=MINI)


def test_one_million_in_and_out_at_half_cache_hits_is_0_7125():
    workload = Workload.of(1_000_000, 1_000_000, 1, cache_hit_percent=50)
    assert per_request_cost(OPENAI, workload) == Decimal("0.7125")
    line, = provider_costs([OPENAI], workload)
    assert (line.per_request, line.per_day, line.per_month) == (Decimal("0.7125"), Decimal("0.7125"), Decimal("21.375"))
    assert money(line.per_request) == "$0.7125" and money(line.per_month) == "$21.375"


def test_offline_snapshot_prices_give_the_same_answer():
    service = DataService(load_settings({"ROUTERLENS_OFFLINE": "1"}))
    openai = next(ep for ep in endpoints(service, "openai/gpt-4o-mini").value if ep.provider_name == "OpenAI")
    assert per_request_cost(openai, Workload.of(1_000_000, 1_000_000, cache_hit=Decimal("0.5"))) == Decimal("0.7125")


def _hand(price_in, price_out, price_cached, fee, tokens_in, tokens_out, hit, per_day) -> Fraction:
    """The same sum in exact rational arithmetic, written out independently."""
    cached = Fraction(tokens_in) * hit
    per_request = ((Fraction(tokens_in) - cached) * Fraction(price_in) + cached * Fraction(price_cached)
                   + Fraction(tokens_out) * Fraction(price_out) + Fraction(fee))
    return per_request * per_day * 30


def test_matches_hand_arithmetic_for_many_inputs():
    rng = random.Random(20250627)
    for _ in range(300):
        prices = [Decimal(rng.randint(0, 10**6)) / Decimal(10**12) for _ in range(3)]
        fee = Decimal(rng.randint(0, 1000)) / Decimal(10**5)
        tokens_in, tokens_out = rng.randint(0, 10**7), rng.randint(0, 10**6)
        hit_pct, per_day = rng.randint(0, 100), rng.randint(0, 10**6)
        endpoint = Endpoint("P", tag="p", pricing=Pricing(prompt=prices[0], completion=prices[1],
                                                          input_cache_read=prices[2], request=fee))
        line, = provider_costs([endpoint], Workload.of(tokens_in, tokens_out, per_day, cache_hit_percent=hit_pct))
        expected = _hand(*prices, fee, tokens_in, tokens_out, Fraction(hit_pct, 100), per_day)
        assert Fraction(line.per_month) == expected


def test_unknown_cache_price_is_unknown_cost_not_zero():
    azure = Endpoint("Azure", tag="azure", pricing=Pricing(prompt=MINI.prompt, completion=MINI.completion))
    with_hits, = provider_costs([azure], Workload.of(1000, 100, 10, cache_hit_percent=20))
    assert with_hits.per_request is None and with_hits.per_month is None
    assert "cached-input price unknown" in with_hits.why and money(with_hits.per_day) == "unknown"
    without, = provider_costs([azure], Workload.of(1000, 100, 10))
    assert without.per_request == Decimal("0.00021")  # 1000 × 0.15/M + 100 × 0.6/M
    nothing, = provider_costs([Endpoint("X")], Workload.of(1, 1))
    assert nothing.per_request is None and "input or output price unknown" in nothing.why


def test_blended_prices():
    line, = provider_costs([OPENAI], Workload.of(1, 1, cache_hit_percent=50))
    assert line.blended_per_m == Decimal("0.2625")  # (3 × 0.15 + 0.60) / 4
    assert line.effective_input_per_m == Decimal("0.1125")
    assert effective_blended_per_m(OPENAI, Decimal("0.5")) == Decimal("0.234375")  # (3 × 0.1125 + 0.6) / 4


@pytest.mark.parametrize("args, message", [
    ((-1, 0, 1), "input tokens"), ((0, -1, 1), "output tokens"), ((0, 0, -5), "requests per day"),
])
def test_bad_workloads_are_rejected_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        Workload.of(*args)
    with pytest.raises(ValueError, match="between 0% and 100%"):
        Workload.of(1, 1, cache_hit_percent=101)


def test_mode_costs_pick_and_price_each_mode():
    cheap = Endpoint("Cheap", tag="cheap", pricing=Pricing(prompt=Decimal("0.000001"), completion=Decimal("0.000001")),
                     throughput_30m=Percentiles(p50=10.0))
    dear = Endpoint("Dear", tag="dear", pricing=Pricing(prompt=Decimal("0.000003"), completion=Decimal("0.000003")),
                    throughput_30m=Percentiles(p50=90.0))
    workload = Workload.of(1000, 0, 100)
    costs = {item.mode: item for item in mode_costs([cheap, dear], workload, pinned="dear")}
    assert costs[RoutingMode.FLOOR].pick.primary.tag == "cheap" and costs[RoutingMode.FLOOR].cost.per_request == Decimal("0.001")
    assert costs[RoutingMode.NITRO].pick.primary.tag == "dear" and costs[RoutingMode.NITRO].cost.per_request == Decimal("0.003")
    assert costs[RoutingMode.PINNED].cost.per_request == Decimal("0.003")
    # Balanced: shares 9/10 and 1/10 (inverse square of 0.001 vs 0.003) → 0.9 × 0.001 + 0.1 × 0.003.
    balanced = costs[RoutingMode.BALANCED]
    assert balanced.pick.shares == {"cheap": Decimal("0.9"), "dear": Decimal("0.1")}
    assert balanced.cost.per_request == Decimal("0.0012") and balanced.cost.per_month == Decimal("3.6")


def test_mode_costs_without_providers():
    costs = mode_costs([], Workload.of(1, 1))
    assert len(costs) == len(RoutingMode) and all(item.cost.per_request is None for item in costs)


def test_money_keeps_every_computed_digit():
    assert money(Decimal("0.0000075")) == "$0.0000075"
    assert money(Decimal("1234567.5")) == "$1,234,567.50"
    assert money(Decimal("0E-10")) == "$0.00" and money(None) == "unknown"


# --- Exacto's row ranks by the published error rates ---------------------------------------------------------

def test_exactos_row_ranks_by_the_error_rates_it_is_given():
    import datetime as dt

    from routerlens.error_rates import ErrorRates
    from routerlens.metrics import SeriesPoint
    from routerlens.provenance import Provenance, Sourced

    fast = Endpoint("Fast", tag="fast", pricing=MINI, throughput_30m=Percentiles(p50=200.0))
    careful = Endpoint("Careful", tag="careful", pricing=MINI, throughput_30m=Percentiles(p50=20.0))
    day = dt.datetime(2026, 8, 25)
    rates = ErrorRates({
        "tool-call": Sourced([SeriesPoint(day, "Fast", "fast-id", 4.0, 100),
                              SeriesPoint(day, "Careful", "careful-id", 0.5, 100)],
                             Provenance.live("GET /api/frontend/v1/stats/tool-call-error-rate")),
        "structured-output": Sourced([], Provenance.nothing("offline")),
    })
    workload = Workload.of(1000, 100, 10)
    without = {item.mode: item for item in mode_costs([fast, careful], workload)}[RoutingMode.EXACTO]
    assert without.pick.primary.tag == "fast" and "falls back" in without.pick.reason
    exacto = {item.mode: item for item in mode_costs([fast, careful], workload, rates=rates)}[RoutingMode.EXACTO]
    assert exacto.pick.primary.tag == "careful", "the lower tool-call error rate goes first, not the faster one"
    assert "from the published error rates" in exacto.pick.reason and "tool calls 0.50%" in exacto.pick.reason
    assert exacto.cost.tag == "careful" and exacto.cost.per_request == per_request_cost(careful, workload)


def test_pricing_page_exacto_row_uses_the_live_error_rates(live_env):
    from tests.conftest import page_text, run_app

    at = run_app("pages/pricing.py")
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "from the published error rates" in text, "the Exacto row no longer falls back"
    assert "Exacto's estimate uses the published error rates" in text and "Live · fetched" in text
    assert "tool-call errors OpenAI 2.92%, Azure 0.60%" in text


def test_pricing_page_exacto_row_offline_says_it_has_no_error_rates():
    from tests.conftest import page_text, run_app

    text = page_text(run_app("pages/pricing.py"))
    assert "falls back to health, uptime, then throughput" in text and "uses no error rates" in text
