"""Which provider each routing mode would likely pick right now, and why (UI-free).

OpenRouter does not publish its routing decision, so this is an estimate from the public inputs
the docs name (see ``reference/openrouter-api.md`` §2):

* Balanced (default): stable providers share traffic weighted by the inverse square of price;
  unstable, degraded or deranked providers become fallbacks.
* Nitro: highest throughput first. Floor: cheapest first.
* Exacto: quality-first ordering by tool-calling quality signals (reference §2: tool-call error
  telemetry, throughput, benchmark scores). Estimated here from the published tool-call and
  structured-output error rates when they are known (healthy providers first, then the lowest
  combined error rate, ties by throughput); without them, by health, then uptime, then
  throughput. Either way the reason says which.
* Pinned: exactly the chosen provider, no fallback.

The pricing page and the playground both use :func:`likely_picks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .pricing import blended_per_m
from .routing import RoutingMode
from .schema import Endpoint
from .formatting import money, number

STABLE_UPTIME = 95.0
"""Below this recent uptime (%) a provider counts as having a significant outage."""


@dataclass(frozen=True)
class Candidate:
    """What routing looks at for one endpoint. ``None`` = unknown."""

    tag: str
    provider: str
    price: Decimal | None = None
    """Any comparable price: the 3:1 blended $/M by default, or a workload's cost per request."""
    throughput: float | None = None
    latency: float | None = None
    uptime: float | None = None
    status: int | None = None
    is_deranked: bool | None = None
    deranked_source: str | None = None
    """Where the deranked flag came from when not from the endpoint's own source."""
    endpoint_id: str | None = None
    tool_error_rate: float | None = None
    """Published tool-call error rate (%) over the days shown; ``None`` = not known."""
    structured_error_rate: float | None = None
    """Published structured-output error rate (%) over the days shown; ``None`` = not known."""

    @property
    def degraded(self) -> bool:
        return bool(self.is_deranked) or (self.status is not None and self.status < 0)

    @property
    def stable(self) -> bool:
        return not self.degraded and (self.uptime is None or self.uptime >= STABLE_UPTIME)

    @staticmethod
    def from_endpoint(endpoint: Endpoint, *, price: Decimal | None = None) -> Candidate:
        """``price`` overrides the 3:1 blended list price (e.g. a workload's per-request cost)."""
        thr = endpoint.throughput_30m.get("p50") if endpoint.throughput_30m else None
        lat = endpoint.latency_30m.get("p50") if endpoint.latency_30m else None
        uptime = next((u for u in (endpoint.uptime_5m, endpoint.uptime_30m, endpoint.uptime_1d) if u is not None), None)
        return Candidate(tag=endpoint.routing_slug, provider=endpoint.provider_name,
                         price=price if price is not None else blended_per_m(endpoint.pricing),
                         throughput=thr, latency=lat, uptime=uptime, status=endpoint.status,
                         is_deranked=endpoint.is_deranked, deranked_source=endpoint.deranked_source,
                         endpoint_id=endpoint.endpoint_id)


@dataclass(frozen=True)
class Pick:
    mode: RoutingMode
    ranked: tuple[Candidate, ...]
    """Most likely first; the rest are fallbacks in order (empty when nothing qualifies)."""
    reason: str
    shares: dict[str, Decimal] = field(default_factory=dict)
    """Expected share of requests per tag (Balanced only; sums to 1)."""

    @property
    def primary(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None


def _rank(candidates: list[Candidate], key) -> list[Candidate]:
    """Stable sort; unknown values (key returns None) go last, in their original order."""
    known = [c for c in candidates if key(c) is not None]
    unknown = [c for c in candidates if key(c) is None]
    return sorted(known, key=key) + unknown


def _health_last(ranked: list[Candidate]) -> list[Candidate]:
    return [c for c in ranked if not c.degraded] + [c for c in ranked if c.degraded]


def balanced_shares(candidates: list[Candidate]) -> dict[str, Decimal]:
    """Inverse-square-of-price weights over the stable candidates (equal if no price is known;
    free endpoints, if any, take everything between them)."""
    pool = [c for c in candidates if c.stable] or [c for c in candidates if not c.degraded] or candidates
    priced = [c for c in pool if c.price is not None]
    free = [c for c in priced if c.price == 0]
    if free:
        return {c.tag: Decimal(1) / len(free) for c in free}
    if not priced:
        return {c.tag: Decimal(1) / len(pool) for c in pool} if pool else {}
    # 1/p_i² ÷ Σ 1/p_k², rewritten with products so only one division rounds (1 vs 3 gives 0.9 / 0.1).
    others = {c.tag: _product(o.price * o.price for o in priced if o is not c) for c in priced}
    total = sum(others.values())
    return {tag: weight / total for tag, weight in others.items()}


def _product(values) -> Decimal:
    result = Decimal(1)
    for value in values:
        result *= value
    return result


def _why_fallback(candidate: Candidate) -> str:
    if candidate.is_deranked:
        return f"deranked per {candidate.deranked_source}" if candidate.deranked_source else "deranked"
    if candidate.degraded:
        return "degraded status"
    if not candidate.stable:
        return f"recent uptime below {STABLE_UPTIME:.0f}%"
    return "price unknown" if candidate.price is None else "priced out"


def _tie(ranked: list[Candidate], key) -> str:
    if len(ranked) > 1 and key(ranked[0]) is not None and key(ranked[0]) == key(ranked[1]):
        return " (tied with " + ranked[1].provider + "; how OpenRouter breaks ties is not documented)"
    return ""


def _sorted_pick(mode: RoutingMode, items: list[Candidate], key, best: str, what: str, show) -> Pick:
    """An explicit sort (Nitro, Floor): best first, unknown values last, degraded providers after
    healthy ones (OpenRouter deprioritises them; exactly how under a sort is not documented)."""
    by_value = _rank(items, key)
    ranked = _health_last(by_value)
    top = ranked[0]
    if key(top) is None:
        return Pick(mode, tuple(ranked), f"{top.provider} first: no {what} figure is known, so the order is a guess.")
    reason = f"{top.provider} first: {best} ({show(top)}){_tie(ranked, key)}."
    if by_value[0] is not top:
        leader = by_value[0]
        reason = (f"{top.provider} first: {leader.provider} has the {best} ({show(leader)}) but is "
                  f"{_why_fallback(leader)}, so it is tried after healthy providers.")
    return Pick(mode, tuple(ranked), reason)


def likely_pick(mode: RoutingMode, candidates: Iterable[Candidate], *, pinned: str | None = None) -> Pick:
    items = list(candidates)
    if not items:
        return Pick(mode, (), "No provider is known for this model.")
    if mode is RoutingMode.PINNED:
        chosen = [c for c in items if c.tag == pinned] or ([items[0]] if pinned is None else [])
        if not chosen:
            return Pick(mode, (), f"No provider with slug “{pinned}” serves this model.")
        return Pick(mode, (chosen[0],), f"Pinned to {chosen[0].provider} with allow_fallbacks false: if it fails, "
                                        "the request fails.", {chosen[0].tag: Decimal(1)})
    if mode is RoutingMode.BALANCED:
        shares = balanced_shares(items)
        ranked = sorted(items, key=lambda c: -shares.get(c.tag, Decimal(-1)))
        top = ranked[0]
        reason = (f"{top.provider} gets about {shares.get(top.tag, 0) * 100:.0f}% of requests: stable providers "
                  "share traffic weighted by 1/price².")
        fallbacks = [f"{c.provider} ({_why_fallback(c)})" for c in items if c.tag not in shares]
        if fallbacks:
            reason += f" Fallback only: {', '.join(fallbacks)}."
        return Pick(mode, tuple(ranked), reason, shares)
    if mode is RoutingMode.NITRO:
        key = (lambda c: -c.throughput if c.throughput is not None else None)
        return _sorted_pick(mode, items, key, "highest p50 throughput", "throughput",
                            lambda c: f"{number(c.throughput)} tok/s")
    if mode is RoutingMode.FLOOR:
        return _sorted_pick(mode, items, lambda c: c.price, "lowest price", "price", lambda c: money(c.price))
    return _exacto_pick(items)


_ERROR_RATES = (("tool_error_rate", "tool calls"), ("structured_error_rate", "structured output"))


def combined_error_rate(items: list[Candidate]):
    """``candidate → combined error rate (%) or None``: the mean of the kinds of error rate every
    rated candidate has (so all are compared on the same kinds); when no kind is shared, each
    candidate's own known kinds."""
    rated = [c for c in items if any(getattr(c, name) is not None for name, _ in _ERROR_RATES)]
    shared = [name for name, _ in _ERROR_RATES if rated and all(getattr(c, name) is not None for c in rated)]
    kinds = shared or [name for name, _ in _ERROR_RATES]

    def combined(candidate: Candidate) -> float | None:
        values = [getattr(candidate, name) for name in kinds if getattr(candidate, name) is not None]
        return sum(values) / len(values) if values else None

    return combined


def _rates_text(candidate: Candidate, combined: float) -> str:
    parts = [f"{what} {getattr(candidate, name):.2f}%" for name, what in _ERROR_RATES
             if getattr(candidate, name) is not None]
    return ", ".join(parts) + (f"; combined {combined:.2f}%" if len(parts) > 1 else "")


def _exacto_pick(items: list[Candidate]) -> Pick:
    """Healthy first, then the lowest combined published error rate, ties by p50 throughput;
    without any error rate, the previous rule (health, uptime, throughput), and the reason says so."""
    mode = RoutingMode.EXACTO
    combined = combined_error_rate(items)
    if all(combined(c) is None for c in items):
        ranked = sorted(items, key=lambda c: (c.degraded, -(c.uptime if c.uptime is not None else 0),
                                              -(c.throughput or 0)))
        return Pick(mode, tuple(ranked),
                    f"{ranked[0].provider} first (estimate): no tool-call or structured-output error rates are "
                    "known here, so this falls back to health, uptime, then throughput.")
    key = (lambda c: None if combined(c) is None else (round(combined(c), 6), -(c.throughput or 0)))
    by_value = _rank(items, key)
    ranked = _health_last(by_value)
    top, leader = ranked[0], by_value[0]
    if combined(top) is None:
        reason = (f"{top.provider} first (estimate): no healthy provider has a published error rate; "
                  f"{leader.provider} has ({_rates_text(leader, combined(leader))}) but is {_why_fallback(leader)}.")
        return Pick(mode, tuple(ranked), reason)
    reason = (f"{top.provider} first (estimate, from the published error rates): lowest combined tool-call and "
              f"structured-output error rate ({_rates_text(top, combined(top))})")
    runner = next((c for c in ranked[1:] if combined(c) is not None and not c.degraded), None)
    if runner is not None and round(combined(runner), 6) == round(combined(top), 6):
        reason += f"; tied with {runner.provider}, so the higher p50 throughput goes first"
    reason += "."
    if leader is not top:
        reason = (f"{top.provider} first (estimate, from the published error rates): {leader.provider} has the lowest "
                  f"combined error rate ({_rates_text(leader, combined(leader))}) but is {_why_fallback(leader)}, so "
                  f"it is tried after healthy providers ({top.provider}: {_rates_text(top, combined(top))}).")
    unrated = [c.provider for c in items if combined(c) is None]
    if unrated:
        reason += f" No error rate is known for {', '.join(unrated)}, so it is ordered after those with one."
    return Pick(mode, tuple(ranked), reason)


def likely_picks(candidates: Iterable[Candidate], *, pinned: str | None = None) -> dict[RoutingMode, Pick]:
    items = list(candidates)
    return {mode: likely_pick(mode, items, pinned=pinned) for mode in RoutingMode}
