"""The host's shared key across sessions: per visitor, for everyone, and in dollars per day."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from routerlens.limits import HostPolicy, SharedKeyGuard, charged_cost, load_policy


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def guard(clock=None, day=None, **policy) -> SharedKeyGuard:
    day = day or [dt.date(2026, 11, 30)]
    return SharedKeyGuard(HostPolicy(shared_key_allowed=True, **policy), clock=clock or Clock(),
                          today=lambda: day[0],
                          now=lambda: dt.datetime(2026, 11, 30, 21, 30, tzinfo=dt.timezone.utc))


def test_policy_reads_the_new_caps_and_ignores_nonsense():
    policy = load_policy({"ROUTERLENS_PLAYGROUND_GLOBAL_RPM": "12", "ROUTERLENS_PLAYGROUND_DAILY_USD": "$2.50"})
    assert (policy.global_requests_per_minute, policy.daily_usd) == (12, Decimal("2.50"))
    bad = load_policy({"ROUTERLENS_PLAYGROUND_DAILY_USD": "NaN", "ROUTERLENS_PLAYGROUND_GLOBAL_RPM": "-1"})
    assert (bad.global_requests_per_minute, bad.daily_usd) == (30, Decimal("1.00"))


def test_a_visitor_is_limited_whatever_session_they_come_from():
    clock = Clock()
    shared = guard(clock, requests_per_minute=2)
    for _ in range(2):
        assert shared.refusal("203.0.113.7") is None
        shared.record("203.0.113.7")
    refusal = shared.refusal("203.0.113.7")  # a reload is the same visitor
    assert "2 requests per minute per visitor" in refusal and "Wait 60 s" in refusal
    assert shared.refusal("198.51.100.2") is None  # another visitor is not held back
    clock.t += 60
    assert shared.refusal("203.0.113.7") is None


def test_everyone_together_is_capped_per_process():
    shared = guard(requests_per_minute=5, global_requests_per_minute=3)
    for visitor in ("a", "b", "c"):
        shared.record(visitor)
    refusal = shared.refusal("d")
    assert "3 requests per minute for all visitors together" in refusal
    assert "more than that" in shared.refusal("e", count=4)


def test_the_daily_budget_stops_the_shared_key_and_says_when_it_resets():
    day = [dt.date(2026, 11, 30)]
    shared = guard(day=day, daily_usd=Decimal("0.01"))
    shared.spend(Decimal("0.006"))
    assert shared.refusal("a") is None
    shared.spend(Decimal("0.005"))
    refusal = shared.refusal("a")
    assert "daily budget ($0.0110 of $0.01)" in refusal and "in 2 h 30 min" in refusal
    day[0] = dt.date(2026, 12, 1)
    assert shared.refusal("a") is None and shared.spent_today == 0


def test_concurrent_records_are_all_counted():
    shared = guard(requests_per_minute=1000, global_requests_per_minute=1000)
    threads = [threading.Thread(target=lambda: [shared.record("x") for _ in range(50)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared.refusal("x", count=600) is None and shared.refusal("x", count=601).startswith("This site")
    assert shared.refusal("x", count=1) is None  # 400 recorded, 1000 allowed


def test_an_answer_without_a_reported_cost_is_charged_at_list_price_or_the_worst_case():
    prices = dict(prompt_price=Decimal("0.00000015"), completion_price=Decimal("0.0000006"), max_tokens=512)
    assert charged_cost(Decimal("0.001"), prompt_tokens=10, completion_tokens=10, **prices) == Decimal("0.001")
    assert charged_cost(None, prompt_tokens=100, completion_tokens=50, **prices) == Decimal("0.000045")
    assert charged_cost(None, prompt_tokens=None, completion_tokens=None, **prices) == Decimal("0.0003072")
