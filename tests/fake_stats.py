"""The website's daily stats routes for the loopback server: answers depend on the query
(``percentile`` scales the series, ``id`` picks the endpoint), like the real routes.

Series keys mix the two shapes seen in the wild (``<uuid>::standard`` and a bare ``<uuid>``); Azure
values are objects with a small sample count (thin data) and one null gap. ``latency-e2e`` (and
``structured-output-error-rate``) are only served at the old unversioned path, so the client's path
fallback is exercised. The two error-rate routes carry the calls behind each value as ``volume``.
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


# --- error rates (tool-call-error-rate, structured-output-error-rate) -------------------------------
# The routes' shape: a percent per series key and day under "y", the calls behind each value under
# "volume" (as pacell/openrouter-stats reads these routes, openrouter_stats/pull.py). About 8 daily
# points come back, ending on the same day as the comparison series above.
# OpenAI's values, and Azure's structured-output values, are gpt-4o-mini's real published figures for
# 2026-08-25..2026-09-01 (pacell/openrouter-stats @ bcaf44c0a5c300178466514743a47c297bd31fa5,
# data/openrouter/{tool_call,structured_output}_error_rate_daily.csv), re-dated to these days and,
# for Azure, re-keyed to this server's Azure id. Azure's tool-call values are invented (that capture
# has none for it): lower than OpenAI's, one thin day (40 calls) and one null gap.
ERROR_DAYS = 8
ERROR_START = START + dt.timedelta(days=DAYS - ERROR_DAYS)
ERRORS = {
    "tool-call": {
        "openai": [(3.02, 537962), (2.52, 637865), (5.29, 439973), (1.93, 539012), (5.31, 307585), (5.34, 332247),
                   (1.37, 511422), (0.9, 523897)],
        "azure": [(0.8, 2100), (0.6, 1900), None, (0.7, 2300), (0.5, 2000), (1.1, 40), (0.6, 2200), (0.4, 2500)],
    },
    "structured-output": {
        "openai": [(0.15, 4476629), (0.14, 4668022), (0.13, 4737672), (0.13, 4090899), (0.25, 1915200),
                   (0.27, 1797033), (0.38, 2733034), (0.4, 2326469)],
        "azure": [(0.14, 4024508), (0.13, 4602523), (0.13, 4179625), (0.13, 3765467), (0.18, 1785850),
                  (0.24, 1729561), (0.23, 2396811), (0.41, 2234996)],
    },
}
OTHER_VARIANT = "deadbeef-0000-4000-8000-00000000f4ee::free"
"""A series of another variant in the tool-call answer: it must not be drawn as this variant's."""


def error_rate_value(kind: str, provider: str, day: int) -> tuple[float, int] | None:
    """(percent, calls) the fake serves for ``day`` (0 = ERROR_START), or None for the gap."""
    return ERRORS[kind][provider][day]


def error_rates(kind: str):
    def handle(request: Recorded) -> Reply:
        points = []
        for day in range(ERROR_DAYS):
            values, volume = {}, {}
            for provider, key in (("openai", f"{OPENAI}::standard"), ("azure", AZURE)):
                item = error_rate_value(kind, provider, day)
                values[key] = None if item is None else item[0]
                if item is not None:
                    volume[key] = item[1]
            if kind == "tool-call":
                values[OTHER_VARIANT], volume[OTHER_VARIANT] = 50.0, 2
            points.append({"x": f"{ERROR_START + dt.timedelta(days=day)} 00:00:00", "y": values, "volume": volume})
        return Reply(json={"data": points})
    return handle


def install(server) -> None:
    for metric in ("throughput", "latency"):
        server.set(f"/api/frontend/v1/stats/{metric}-comparison", comparison(metric))
    server.set("/api/frontend/stats/latency-e2e-comparison", comparison("latency-e2e"))
    server.set("/api/frontend/v1/stats/uptime-hourly", hourly)
    server.set("/api/frontend/v1/stats/tool-call-error-rate", error_rates("tool-call"))
    # Served only at the older path, so the client's path fallback is exercised here too.
    server.set("/api/frontend/stats/structured-output-error-rate", error_rates("structured-output"))
