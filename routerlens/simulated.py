"""Deterministic simulated time series for demos, seeded from real snapshot figures.

No public source gives gpt-4o-mini's *daily* throughput, latency, uptime or token volume
offline, so the demo charts draw these. The same seed always gives the same series (stable
screenshots, stable tests). Whatever uses them must carry ``Provenance.simulated(...)`` and is
labelled "Simulated" on screen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random


def rng_for(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def daily_series(
    seed: str,
    *,
    base: float,
    days: int,
    end: dt.date,
    rel_noise: float = 0.08,
    weekly: float = 0.0,
    trend: float = 0.0,
    lo: float | None = None,
    hi: float | None = None,
) -> list[tuple[dt.date, float]]:
    """A smooth-ish random walk around ``base``: AR(1) noise, optional weekly cycle and linear trend
    (``trend`` = relative change over the whole window)."""
    rng = rng_for(seed, days, end.isoformat())
    out: list[tuple[dt.date, float]] = []
    level = 0.0
    for i in range(days):
        day = end - dt.timedelta(days=days - 1 - i)
        level = 0.6 * level + rng.gauss(0.0, rel_noise)
        cycle = weekly * math.sin(2 * math.pi * (day.toordinal() % 7) / 7)
        drift = trend * (i / max(1, days - 1) - 0.5)
        value = base * (1.0 + level + cycle + drift)
        if lo is not None:
            value = max(lo, value)
        if hi is not None:
            value = min(hi, value)
        out.append((day, value))
    return out


def uptime_series(seed: str, *, days: int, end: dt.date, typical: float = 99.9,
                  outage_rate: float = 0.04) -> list[tuple[dt.date, float]]:
    """Daily uptime in percent: mostly near ``typical``, with the odd bad day."""
    rng = rng_for("uptime", seed, days, end.isoformat())
    out = []
    for i in range(days):
        day = end - dt.timedelta(days=days - 1 - i)
        value = typical + rng.gauss(0, (100 - typical) / 3)
        if rng.random() < outage_rate:
            value -= rng.uniform(2, 25)
        out.append((day, max(0.0, min(100.0, value))))
    return out


def hourly_uptime(seed: str, *, hours: int, end: dt.datetime, typical: float = 99.9,
                  outage_rate: float = 0.02) -> list[tuple[dt.datetime, float]]:
    rng = rng_for("uptime-hourly", seed, hours, end.isoformat())
    out = []
    for i in range(hours):
        when = end - dt.timedelta(hours=hours - 1 - i)
        value = typical + rng.gauss(0, (100 - typical) / 3)
        if rng.random() < outage_rate:
            value -= rng.uniform(5, 60)
        out.append((when, max(0.0, min(100.0, value))))
    return out
