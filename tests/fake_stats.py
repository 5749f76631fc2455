"""The website's daily stats routes for the loopback server: answers depend on the query
(``percentile`` scales the series, ``id`` picks the endpoint), like the real routes.

Series keys mix the two shapes seen in the wild (``<uuid>::standard`` and a bare ``<uuid>``); Azure
values are objects with a small sample count (thin data) and one null gap. ``latency-e2e`` is only
served at the old unversioned path, so the client's path fallback is exercised.
"""

from __future__ import annotations

import datetime as dt

from tests.fakeserver import Recorded, Reply, error_body

OPENAI = "77e40332-6f2a-4c48-bc14-e44596b30ce2"
AZURE = "5b1c0b5e-7d2a-4f4e-9a51-0000000a2e00"
DAYS = 10
START = dt.date(2026, 11, 10)
BASE = {"throughput": (60.0, 20.0), "latency": (400.0, 2400.0), "latency-e2e": (4000.0, 12000.0)}
SCALE = {"throughput": {"p50": 1.0, "p75": 0.8, "p90": 0.5, "p99": 0.25},
         "latency": {"p50": 1.0, "p75": 1.5, "p90": 3.0, "p99": 8.0}}
AZURE_SAMPLES = 40


def series_value(metric: str, provider: str, day: int, percentile: str) -> float:
    """The value the fake serves (tests compute expectations with it)."""
    openai, azure = BASE[metric]
    scale = SCALE["throughput" if metric == "throughput" else "latency"].get(percentile, 1.0)
    return round(((openai if provider == "openai" else azure) + day) * scale, 3)


def comparison(metric: str):
    def handle(request: Recorded) -> Reply:
        percentile = (request.query.get("percentile") or ["p50"])[0]
        points = []
        for day in range(DAYS):
            azure = None if day == 3 else {"value": series_value(metric, "azure", day, percentile),
                                           "count": AZURE_SAMPLES}
            points.append({"x": f"{START + dt.timedelta(days=day)} 00:00:00",
                           "y": {f"{OPENAI}::standard": series_value(metric, "openai", day, percentile),
                                 AZURE: azure}})
        return Reply(json={"data": points})
    return handle


def hourly(request: Recorded) -> Reply:
    endpoint = (request.query.get("id") or [""])[0]
    if endpoint not in (OPENAI, AZURE):
        return Reply(status=404, json=error_body(404, "unknown endpoint", "not_found"))
    end = dt.datetime(2026, 11, 20, 23)
    history = [{"date": f"{end - dt.timedelta(hours=h):%Y-%m-%d %H:%M:%S}",
                "uptime": (12.5 if endpoint == AZURE and h == 5 else 100)} for h in range(72)]
    return Reply(json={"data": {"history": history}})


def install(server) -> None:
    for metric in ("throughput", "latency"):
        server.set(f"/api/frontend/v1/stats/{metric}-comparison", comparison(metric))
    server.set("/api/frontend/stats/latency-e2e-comparison", comparison("latency-e2e"))
    server.set("/api/frontend/v1/stats/uptime-hourly", hourly)
