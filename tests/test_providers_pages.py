"""AppTest of the Providers, Pricing, Performance and Uptime pages: offline (snapshot + labelled
simulated series, and "no data" for the error rates, which are never simulated) and live against the
loopback server (stats routes from fixtures/routes_stats.json and tests/fake_stats.py)."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

from tests import fake_stats
from tests.conftest import markdown_tables, page_text, run_app
from tests.fakeserver import error_body

PROVIDERS, PRICING, PERFORMANCE, UPTIME = ("pages/providers.py", "pages/pricing.py", "pages/performance.py",
                                           "pages/uptime.py")


def charts(at) -> list[tuple[dict, list]]:
    """(spec, [DataFrame per dataset]) for every Altair chart on the page."""
    out = []
    for element in at.get("vega_lite_chart"):
        frames = [pa.ipc.open_stream(ds.data.data).read_pandas() for ds in element.proto.datasets]
        out.append((json.loads(element.proto.spec), frames))
    return out


def title_of(spec: dict) -> str:
    """A chart's title text (a simulated chart's title is an object with subtitle lines)."""
    title = spec.get("title")
    return title.get("text", "") if isinstance(title, dict) else str(title or "")


def frame_with(at, column: str):
    """The first table on the page with ``column``: a grid (st.dataframe) or a Markdown table."""
    frames = [frame.value for frame in at.dataframe] + markdown_tables(at)
    return next(frame for frame in frames if column in frame.columns)


def no_exception(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


# --- providers ------------------------------------------------------------------------------------

def test_providers_offline_shows_both_providers_with_dated_figures():
    at = run_app(PROVIDERS)
    no_exception(at)
    table = frame_with(at, "TTFT p50 ms").set_index("Provider")
    assert table.loc["OpenAI", "TTFT p50 ms"] == 327.0 and table.loc["OpenAI", "Tok/s p50"] == 74.8
    assert table.loc["Azure", "TTFT p50 ms"] == 1232.5 and table.loc["Azure", "Tok/s p50"] == 116.7755
    assert table.loc["OpenAI", "Input $/M"] == pytest.approx(0.15) and table.loc["Azure", "Output $/M"] == pytest.approx(0.6)
    # Unknown stays unknown (NaN shown as "unknown"), never 0.
    assert math.isnan(table.loc["Azure", "Cache read $/M"]) and table.loc["OpenAI", "Cache read $/M"] == pytest.approx(0.075)
    assert table.loc["Azure", "Uptime 30m %"] is None or math.isnan(table.loc["Azure", "Uptime 30m %"])
    assert table.loc["OpenAI", "Performance source"] == "Snapshot · as of 2025-06-27"
    text = page_text(at)
    assert "Snapshot · as of 2025-06-27" in text and "Snapshot · as of 2025-06-26" in text
    assert "not documented" in text  # the orchid summary's window
    download = at.get("download_button")
    assert download and "csv" in str(download[0].proto).lower()


def test_providers_live_merges_request_counts_and_percentiles(live_env):
    at = run_app(PROVIDERS)
    no_exception(at)
    table = frame_with(at, "Requests (30 min)").set_index("Provider")
    assert table.loc["OpenAI", "Requests (30 min)"] == 5120 and table.loc["Azure", "Requests (30 min)"] == 42
    assert table.loc["OpenAI", "TTFT p90 ms"] == 1316 and table.loc["Azure", "Uptime 5m %"] == 89.82
    assert "Live · fetched" in page_text(at)
    picks = frame_with(at, "Likely first").set_index("Mode")
    assert picks.loc["Nitro", "Likely first"] == "OpenAI"  # 39 tok/s beats 8 tok/s


def test_providers_survive_nulls_and_unknown_fields(live_env):
    payload = {"data": {"id": "openai/gpt-4o-mini", "endpoints": [
        {"provider_name": "OpenAI", "pricing": None, "context_length": None, "uptime_last_5m": "n/a",
         "latency_last_30m": {"p50": None}, "throughput_last_30m": "fast", "brand_new_field": {"x": 1}},
        {"name": "Mystery | openai/gpt-4o-mini"}, {"pricing": {"prompt": "1"}}, None, 7]}}
    live_env.set_json("/api/v1/models/openai/gpt-4o-mini/endpoints", payload)
    live_env.set_json("/api/frontend/v1/stats/endpoint", {"data": [{"id": None, "stats": None}, "junk"]})
    for page in (PROVIDERS, PRICING, PERFORMANCE, UPTIME):
        at = run_app(page)
        no_exception(at)
    table = frame_with(run_app(PROVIDERS), "Input $/M").set_index("Provider")
    assert set(table.index) == {"OpenAI", "Mystery"} and math.isnan(table.loc["OpenAI", "Input $/M"])


# --- pricing ----------------------------------------------------------------------------------------

def test_pricing_offline_calculator_defaults_to_the_worked_example():
    at = run_app(PRICING)
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Per request (OpenAI)"] == "$0.7125" and metrics["Per month"] == "$21.375"
    assert metrics["Blended 3:1 price"] == "$0.2625/M"
    costs = frame_with(at, "Routing slug").set_index("Provider")
    assert costs.loc["Azure", "Per request"] == "unknown"  # Azure's cached-input price is not known
    text = page_text(at)
    assert "computed" in text and "Snapshot · as of 2025-06-27" in text


def test_pricing_reasons_are_listed_under_their_tables_not_squeezed_into_a_column():
    at = run_app(PRICING)
    no_exception(at)
    tables = markdown_tables(at)
    assert not any("Why unknown" in t.columns or "Why this provider" in t.columns for t in tables)
    modes = frame_with(at, "Likely provider").set_index("Mode")
    assert modes.loc["Balanced", "Per request"] == "$0.7125"
    captions = [c.value for c in at.caption]
    why_unknown = next(c for c in captions if c.startswith("Why unknown:"))
    assert "**Azure**: cached" in why_unknown and "**OpenAI**" not in why_unknown  # only rows with a reason
    why_mode = next(c for c in captions if c.startswith("Why this provider:"))
    assert all(f"**{mode}**" in why_mode for mode in modes.index)


def test_pricing_recomputes_on_input(monkeypatch):
    at = run_app(PRICING)
    at.number_input(key="price_in").set_value(2000)
    at.number_input(key="price_out").set_value(500)
    at.number_input(key="price_rpd").set_value(1000)
    at.slider(key="price_hit").set_value(0)
    at.run()
    no_exception(at)
    costs = frame_with(at, "Routing slug").set_index("Provider")
    # 2000 × $0.15/M + 500 × $0.60/M = $0.0006 per request; × 1000 per day; × 30.
    assert costs.loc["OpenAI", "Per request"] == "$0.0006" and costs.loc["Azure", "Per request"] == "$0.0006"
    assert costs.loc["OpenAI", "Per day"] == "$0.60" and costs.loc["OpenAI", "Per month (30 d)"] == "$18.00"


def test_pricing_live_shows_observed_effective_price(live_env):
    at = run_app(PRICING)
    no_exception(at)
    prices = frame_with(at, "Observed cache-hit rate").set_index("Provider")
    assert prices.loc["OpenAI", "Effective input (OpenRouter, observed)"] == "$0.118/M"
    assert prices.loc["OpenAI", "Observed cache-hit rate"] == "43.0%"
    assert prices.loc["Azure", "Effective input (OpenRouter, observed)"] == "unknown"
    assert "Observed effective price" in page_text(at)


# --- performance ------------------------------------------------------------------------------------

def test_performance_offline_every_chart_is_labelled_simulated_beside_snapshot_figures():
    at = run_app(PERFORMANCE)
    no_exception(at)
    drawn = charts(at)
    assert len(drawn) == 3
    assert all(title_of(spec).startswith("SIMULATED") and spec["title"]["subtitle"] for spec, _ in drawn)
    assert sum("**Simulated**" in w.value for w in at.warning) == 3
    figures = [(m.label, m.value) for m in at.metric]
    assert figures == [("OpenAI · p50", "74.8"), ("Azure · p50", "116.8"),  # tok/s
                       ("OpenAI · p50", "327"), ("Azure · p50", "1,232.5")]  # ms to first token
    text = page_text(at)
    assert "tok/s, last 30 min" in text and "ms, last 30 min" in text
    assert "Snapshot · as of 2025-06-27" in text
    assert "including the time to first token" in text  # definitions one click away


def test_performance_percentile_and_window_selectors():
    at = run_app(PERFORMANCE)
    before = charts(at)[0][1][0]
    at.segmented_control(key="perf_pct").set_value("p90")
    at.segmented_control(key="perf_window").set_value("7 days")
    at.run()
    no_exception(at)
    spec, frames = charts(at)[0]
    assert "p90" in title_of(spec) and len(frames[0]) == 2 * 7 < len(before)
    assert any("0.62 × the real p50" in line for line in spec["title"]["subtitle"])  # the tail ratio, on the chart
    assert frames[0]["value"].mean() < before["value"].mean()  # throughput's slow tail is lower
    assert "LOWER" in page_text(at)


def test_performance_live_draws_the_servers_series_for_the_chosen_percentile(live_env):
    at = run_app(PERFORMANCE)
    at.segmented_control(key="perf_pct").set_value("p90")
    at.run()
    no_exception(at)
    assert "SIMULATED" not in json.dumps([spec for spec, _ in charts(at)])
    throughput = charts(at)[0][1][0]
    openai = throughput[throughput["provider"] == "OpenAI"]["value"].tolist()
    assert openai == [fake_stats.series_value("throughput", "openai", d, "p90") for d in range(fake_stats.DAYS)]
    azure = throughput[throughput["provider"] == "Azure"]
    measured = azure[azure["value"].notna()]
    assert measured["thin"].all() and set(measured["samples"]) == {"40"}
    assert azure["value"].isna().sum() == 1  # the null day stays a gap
    assert "grey point" in page_text(at)


def test_performance_live_mode_with_server_down_shows_notices_not_simulations(live_env, monkeypatch):
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "live")
    live_env.down = True
    at = run_app(PERFORMANCE)
    no_exception(at)
    assert not charts(at)
    assert "Simulated" not in page_text(at) and "unavailable" in page_text(at)


# --- error rates (Performance and Providers) ---------------------------------------------------------

def error_chart(at):
    """(spec, frames) of the error-rate chart on the page, or None."""
    return next(((spec, frames) for spec, frames in charts(at) if "error rate" in title_of(spec)), None)


def no_data_notices(at) -> list[str]:
    return [element.value for element in at.info if "**No data**" in element.value]


def test_performance_offline_error_rates_say_no_data_and_are_never_simulated():
    at = run_app(PERFORMANCE)
    no_exception(at)
    assert error_chart(at) is None and len(charts(at)) == 3
    notice, = no_data_notices(at)
    assert "tool-call or structured-output error rates" in notice and "never simulated" in notice
    text = page_text(at)
    # On screen: what counts as an error (both rates), the window and the sample size.
    assert "not valid JSON" in text and "asked for structured output" in text
    assert "about the last 8 days" in text and "calls behind each day" in text


def test_performance_live_draws_each_error_rate_from_its_route(live_env):
    at = run_app(PERFORMANCE)
    no_exception(at)
    spec, (frame,) = error_chart(at)
    assert title_of(spec) == "Tool-call error rate, daily"
    openai = frame[frame["provider"] == "OpenAI"]
    assert list(zip(openai["value"], openai["samples"])) == [
        (value, f"{calls:,}") for value, calls in fake_stats.ERRORS["tool-call"]["openai"]]
    azure = frame[frame["provider"] == "Azure"]
    assert azure["value"].isna().sum() == 1 and azure["thin"].sum() == 1  # the gap, and the 40-call day
    assert "hollow point" in page_text(at)
    line, *points = spec["layer"]  # never colour alone: a dash per provider on lines, a shape on points
    assert "strokeDash" in line["encoding"] and all("shape" in layer["encoding"] for layer in points)
    assert any(layer["mark"].get("filled") is False for layer in points)  # thin days are hollow, not only grey
    summary = frame_with(at, "Tool-call errors, latest day").set_index("Provider")
    assert summary.loc["OpenAI", "Tool-call errors, latest day"] == "0.90% (523,897 calls)"
    assert summary.loc["Azure", "Structured-output errors, average"] == "0.18% over 8 days"
    assert not no_data_notices(at)
    at.segmented_control(key="perf_errors_kind").set_value("structured-output")
    at.run()
    no_exception(at)
    spec, (frame,) = error_chart(at)
    assert title_of(spec) == "Structured-output error rate, daily" and "SIMULATED" not in json.dumps(spec)
    assert frame[frame["provider"] == "Azure"]["value"].tolist() == [
        value for value, _ in fake_stats.ERRORS["structured-output"]["azure"]]
    assert "Live · fetched" in page_text(at)


def test_performance_live_mode_with_the_error_routes_down_says_why(live_env, monkeypatch):
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "live")
    for path in ("/api/frontend/v1/stats/tool-call-error-rate", "/api/frontend/stats/structured-output-error-rate"):
        live_env.set_json(path, error_body(503, "overloaded"), status=503)
    at = run_app(PERFORMANCE)
    no_exception(at)
    assert error_chart(at) is None
    notice, = no_data_notices(at)
    assert "unavailable" in notice and "HTTP 503" in notice


def test_providers_live_error_rates_and_the_exacto_estimate_that_uses_them(live_env):
    at = run_app(PROVIDERS)
    no_exception(at)
    summary = frame_with(at, "Tool-call errors, average").set_index("Provider")
    assert summary.loc["OpenAI", "Tool-call errors, average"] == "2.92% over 8 days"
    assert summary.loc["Azure", "Tool-call errors, latest day"] == "0.40% (2,500 calls)"
    assert "Latest day: 2026-11-19 (UTC)" in page_text(at)
    picks = frame_with(at, "Likely first").set_index("Mode")
    why = picks.loc["Exacto", "Why"]
    assert picks.loc["Exacto", "Likely first"] == "OpenAI"  # Azure has fewer errors but is deranked
    assert "from the published error rates" in why and "Azure has the lowest combined error rate" in why
    assert "Exacto's estimate uses the published error rates" in page_text(at)


def test_providers_offline_error_rates_say_no_data_and_exacto_falls_back():
    at = run_app(PROVIDERS)
    no_exception(at)
    notice, = no_data_notices(at)
    assert "never simulated" in notice
    picks = frame_with(at, "Likely first").set_index("Mode")
    assert "falls back to health, uptime, then throughput" in picks.loc["Exacto", "Why"]
    assert "Exacto's estimate uses no error rates" in page_text(at)


# --- uptime ----------------------------------------------------------------------------------------

def test_uptime_offline_strips_are_simulated_and_current_is_unknown():
    at = run_app(UPTIME)
    no_exception(at)
    drawn = charts(at)
    assert len(drawn) == 2 and all(title_of(spec).startswith("SIMULATED") for spec, _ in drawn)
    now = frame_with(at, "Last 5 min %").set_index("Provider")
    assert now.loc["OpenAI", "Band (30 min)"] == "no data"
    assert now.loc["Azure", "Average uptime % (orchid, window undocumented)"] == "99.9916"
    assert now.loc["OpenAI", "Last 5 min %"] == "unknown"  # no figure is shown as unknown, never 0


def test_uptime_live_makes_the_outage_obvious(live_env):
    at = run_app(UPTIME)
    at.selectbox(key="up_provider").set_value("Azure")
    at.run()
    no_exception(at)
    daily, hourly = charts(at)
    bands = dict(zip(daily[1][0]["time"] + daily[1][0]["provider"], daily[1][0]["band"]))
    assert bands["2026-11-20Azure"] == "< 90% (outage)" and bands["2026-11-19Azure"] == "no data"
    assert len(hourly[1][0]) == 72 and "< 90% (outage)" in set(hourly[1][0]["band"])
    text = page_text(at)
    assert "Worst day: Azure 71.25%" in text and "Worst hour: Azure 12.50%" in text


# --- charts at scale -------------------------------------------------------------------------------

def _big_chart_app():
    import datetime as dt

    from components.performance import metric_chart, series_frame
    from routerlens.metrics import SeriesPoint
    import streamlit as st

    start = dt.datetime(2020, 1, 1)
    points = [SeriesPoint(start + dt.timedelta(hours=i), f"P{i % 6}", "k", float(i % 97), i % 150)
              for i in range(6000)]
    st.altair_chart(metric_chart(series_frame(points), metric="throughput", percentile="p50", title="big"),
                    width="stretch", key="big")


def test_a_chart_of_more_than_5000_rows_renders():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_big_chart_app, default_timeout=60)
    at.run()
    no_exception(at)
    (_, frames), = charts(at)
    assert len(frames[0]) == 6000 and frames[0]["thin"].sum() == sum(1 for i in range(6000) if i % 150 < 100)
