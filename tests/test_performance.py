"""routerlens.providers, .metrics, .uptime, .effective_pricing and .routing_pick: parsing each
stats route's real and odd shapes, merging the providers table, live/snapshot/simulated selection,
and the likely picks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from routerlens import effective_pricing as eff
from routerlens import metrics as met
from routerlens import providers as prov
from routerlens import uptime as up
from routerlens.ids import ModelRef
from routerlens.config import load_settings
from routerlens.parse import ParseError, parse_endpoints
from routerlens.provenance import Kind
from routerlens.routing import RoutingMode
from routerlens.routing_pick import Candidate, balanced_shares, likely_pick, likely_picks
from routerlens.schema import Endpoint, Percentiles, Pricing
from routerlens.service import DataService
from tests import fake_stats

MODEL = "openai/gpt-4o-mini"
OPENAI_ID = "77e40332-6f2a-4c48-bc14-e44596b30ce2"


def offline_service() -> DataService:
    return DataService(load_settings({"ROUTERLENS_OFFLINE": "1"}))


def service_for(fake, mode: str = "auto") -> DataService:
    return DataService(load_settings({"OPENROUTER_BASE_URL": fake.base_url, "ROUTERLENS_DATA_MODE": mode,
                                      "ROUTERLENS_TIMEOUT": "3"}))


# --- parsing: comparison series -----------------------------------------------------------------

REAL_THROUGHPUT = {"data": [  # liquid/lfm-7b, captured 2025-05-24 (reference §3.2)
    {"x": "2025-04-21 00:00:00", "y": {"25b2cca5-53f6-40e7-b47b-191ec968b7c2": 61.375}},
    {"x": "2025-04-22 00:00:00", "y": {"25b2cca5-53f6-40e7-b47b-191ec968b7c2": 61.415}},
]}


def test_comparison_series_real_shape():
    points = met.parse_metric_series(REAL_THROUGHPUT, names={"25b2cca5-53f6-40e7-b47b-191ec968b7c2": "Liquid"})
    assert [(p.when, p.provider, p.value) for p in points] == [
        (dt.datetime(2025, 4, 21), "Liquid", 61.375), (dt.datetime(2025, 4, 22), "Liquid", 61.415)]
    assert all(p.count is None and not p.thin for p in points)


def test_comparison_series_odd_shapes():
    payload = {"data": [
        {"x": "2026-11-01 00:00:00", "y": {f"{OPENAI_ID}::standard": 40, "abcdef12-0000::free": 3, "dead": None},
         "unknown_field": [1]},
        {"x": "2026-11-02T00:00:00Z", "y": {OPENAI_ID: {"value": 41.5, "count": 12}}},
        {"x": "2026-11-03", "y": {OPENAI_ID: {"p90": 20}}, "counts": {OPENAI_ID: 500}},
        {"x": None, "y": {OPENAI_ID: 1}},
        {"x": "not a date", "y": {OPENAI_ID: 1}},
        {"x": "2026-11-04", "y": None},
        "garbage",
    ]}
    points = met.parse_metric_series(payload, percentile="p90", names={OPENAI_ID: "OpenAI"})
    labels = [(p.provider, p.value, p.count) for p in points]
    assert labels[0] == ("OpenAI", 40.0, None)  # uuid::standard is the requested variant: plain name
    assert labels[1] == ("endpoint abcdef12… · free", 3.0, None)  # another variant stays distinct
    assert labels[2] == ("endpoint dead…", None, None)  # a null stays a gap, never 0
    assert labels[3] == ("OpenAI", 41.5, 12) and points[3].thin
    assert labels[4] == ("OpenAI", 20.0, 500) and not points[4].thin
    assert len(points) == 5


@pytest.mark.parametrize("payload", [{"data": []}, [], {"data": {"series": []}}])
def test_comparison_series_empty(payload):
    assert met.parse_metric_series(payload) == []


@pytest.mark.parametrize("payload", [{"data": None}, {"error": "x"}, "text", {"data": 3}])
def test_comparison_series_wrong_envelope_is_a_parse_error(payload):
    with pytest.raises(ParseError):
        met.parse_metric_series(payload)


# --- parsing: uptime, stats/endpoint, effective pricing, summary --------------------------------

def test_uptime_recent_real_and_odd_shapes():
    payload = {"data": {
        "25b2cca5": [{"date": "2025-05-21 00:00:00", "uptime": 99.93}, {"date": "2025-05-20 00:00:00", "uptime": 100}],
        "3cf99b91": [{"date": "2025-05-19 00:00:00", "uptime": None}, {"date": None, "uptime": 5}, "junk"],
        "empty": [], "wrong": {"not": "a list"},
    }}
    points = up.parse_uptime_recent(payload, {"25b2cca5": "OpenAI"})
    assert [(p.provider, p.when.day, p.uptime) for p in points] == [
        ("OpenAI", 20, 100.0), ("OpenAI", 21, 99.93), ("endpoint 3cf99b91…", 19, None)]
    assert up.parse_uptime_recent({"data": {}}) == []
    with pytest.raises(ParseError):
        up.parse_uptime_recent({"data": []})


def test_uptime_hourly_real_shape_sorted_oldest_first():
    payload = {"data": {"history": [{"date": "2025-05-21 23:00:00", "uptime": 100},
                                    {"date": "2025-05-21 22:00:00", "uptime": 99.969}, {"date": "bad"}]}}
    points = up.parse_uptime_hourly(payload, "OpenAI")
    assert [(p.when.hour, p.uptime) for p in points] == [(22, 99.969), (23, 100.0)]
    with pytest.raises(ParseError):
        up.parse_uptime_hourly({"data": {"history": None}}, "x")


def test_stats_endpoint_2025_and_2026_shapes():
    payload = {"data": [
        {"id": "820376cb", "name": "DeepInfra | deepseek/deepseek-chat-v3-0324", "provider_name": "DeepInfra",
         "provider_slug": "deepinfra/fp4", "pricing": {"prompt": "0.00000028", "completion": "0.00000088"},
         "is_deranked": False, "stats": {"endpoint_id": "820376cb", "p50_throughput": 17.647, "p50_latency": 385,
                                         "request_count": 28771}, "status": 0},
        {"id": "x2", "provider_name": "Azure", "stats": {"p50_latency": 900, "p90_latency": 3000,
                                                         "p99_throughput": 2.5, "window_minutes": 30}},
        {"id": "x3", "provider_name": "Bare", "stats": None, "pricing": None},
    ]}
    first, second, third = parse_endpoints(payload)
    assert (first.tag, first.endpoint_id, first.request_count) == ("deepinfra/fp4", "820376cb", 28771)
    assert first.throughput_30m.p50 == 17.647 and first.latency_30m.p50 == 385
    assert second.latency_30m.p90 == 3000 and second.throughput_30m.p99 == 2.5 and second.throughput_30m.p50 is None
    assert third.latency_30m is None and third.pricing.prompt is None


def test_effective_pricing_units_and_shares():
    payload = {"data": {"weightedInputPrice": "0.00000012", "weightedOutputPrice": 0.6, "providerSummaries": [
        {"providerName": "OpenAI", "providerSlug": "openai", "effectiveInputPrice": "0.000000118",
         "cacheHitRate": 43, "totalTokens": "1000"},
        {"providerName": "Azure", "effectiveInputPrice": None, "cacheHitRate": 0.1},
        {"providerName": None}, "junk"]}}
    parsed = eff.parse_effective_pricing(payload)
    assert parsed.input_per_m == Decimal("0.12") and parsed.output_per_m == Decimal("0.6")
    openai, azure = parsed.providers
    assert openai.input_per_m == Decimal("0.118") and openai.cache_hit_rate == Decimal("0.43")
    assert openai.total_tokens == 1000
    assert azure.input_per_m is None and azure.cache_hit_rate == Decimal("0.1")
    with pytest.raises(ParseError):
        eff.parse_effective_pricing({"data": []})


def test_endpoint_summary_from_snapshot_file():
    summary = prov.endpoint_summary(offline_service(), MODEL)
    assert summary.provenance.kind is Kind.SNAPSHOT and summary.provenance.as_of == "2025-06-26"
    by_name = {item.provider_name: item for item in summary.value}
    assert by_name["Azure"].is_deranked is True and by_name["Azure"].request_count == 44281
    assert by_name["OpenAI"].average_uptime == pytest.approx(99.9225, abs=1e-4)
    assert prov.parse_endpoint_summaries({"models": {}}) == {}
    assert prov.parse_endpoint_summaries("junk") == {}


# --- merging the providers table ----------------------------------------------------------------

def test_merge_fills_gaps_and_never_invents_values():
    documented = [Endpoint("OpenAI", tag="openai", pricing=Pricing(prompt=Decimal("1")), uptime_30m=99.0),
                  Endpoint("Azure", tag="azure")]
    stats = [Endpoint("OpenAI", tag="openai", endpoint_id="u1", request_count=10,
                      latency_30m=Percentiles(p50=300.0), throughput_30m=Percentiles(p50=70.0)),
             Endpoint("Groq", tag="groq", endpoint_id="u3")]
    rows = prov.merge_rows(documented, stats, [], [], include_stats_only=False)
    assert [r.label for r in rows] == ["OpenAI", "Azure"]
    openai, azure = rows
    assert openai.endpoint.endpoint_id == "u1" and openai.endpoint.request_count == 10
    assert openai.perf_from == "stats" and openai.endpoint.latency_30m.p50 == 300.0
    assert openai.endpoint.uptime_30m == 99.0 and openai.endpoint.pricing.prompt == Decimal("1")
    assert azure.perf_from == "" and azure.endpoint.latency_30m is None and azure.endpoint.request_count is None
    with_extra = prov.merge_rows(documented, stats, [], [], include_stats_only=True)
    assert [r.label for r in with_extra] == ["OpenAI", "Azure", "Groq"]


def test_documented_percentiles_win_over_stats():
    documented = [Endpoint("OpenAI", tag="openai", latency_30m=Percentiles(p50=500.0))]
    stats = [Endpoint("OpenAI", tag="openai", latency_30m=Percentiles(p50=300.0), request_count=7)]
    row, = prov.merge_rows(documented, stats, [], [], include_stats_only=False)
    assert row.perf_from == "endpoints" and row.endpoint.latency_30m.p50 == 500.0 and row.endpoint.request_count == 7


def test_offline_table_has_the_june_2025_figures():
    table = prov.provider_table(offline_service(), MODEL)
    rows = {row.label: row for row in table.rows}
    assert set(rows) == {"OpenAI", "Azure"}
    assert rows["OpenAI"].endpoint.throughput_30m.p50 == 74.8 and rows["OpenAI"].endpoint.latency_30m.p50 == 327.0
    assert rows["Azure"].endpoint.throughput_30m.p50 == 116.7755 and rows["Azure"].endpoint.latency_30m.p50 == 1232.5
    perf = table.perf_provenance(rows["Azure"])
    assert perf.kind is Kind.SNAPSHOT and perf.as_of == "2025-06-27" and "Modelz.io" in perf.source
    assert rows["Azure"].endpoint.pricing.input_cache_read is None  # unknown, not 0
    assert rows["Azure"].endpoint.uptime_30m is None
    assert rows["Azure"].endpoint.is_deranked is True  # from the same-era summary, which is named
    assert "deankerr/orchid" in rows["Azure"].endpoint.deranked_source and "2025-06-26" in rows["Azure"].endpoint.deranked_source
    assert rows["OpenAI"].endpoint.endpoint_id == OPENAI_ID
    assert prov.data_policy_text(rows["OpenAI"].endpoint.data_policy) == "no training · keeps prompts 30 days"
    assert table.names_by_id() == {OPENAI_ID: "OpenAI"}


def test_live_table_merges_documented_and_stats_routes(fake):
    table = prov.provider_table(service_for(fake), MODEL)
    rows = {row.label: row for row in table.rows}
    assert table.endpoints.provenance.kind is Kind.LIVE and table.stats.provenance.kind is Kind.LIVE
    assert rows["OpenAI"].endpoint.request_count == 5120 and rows["Azure"].endpoint.request_count == 42
    assert rows["Azure"].endpoint.endpoint_id == fake_stats.AZURE
    assert rows["OpenAI"].perf_from == "endpoints" and rows["OpenAI"].endpoint.latency_30m.p90 == 1316
    assert fake.requests_to("/api/frontend/v1/stats/endpoint")[0].query["permaslug"] == [MODEL]


def test_policy_and_status_text():
    assert prov.data_policy_text({}) == "unknown"
    assert prov.data_policy_text({"trains_on_prompts": True, "retains_prompts": False}) == \
        "trains on prompts · no prompt retention"
    assert prov.status_text(Endpoint("X", status=0)) == "healthy"
    assert prov.status_text(Endpoint("X", status=-10, is_deranked=True)) == "disabled · deranked"
    assert prov.status_text(Endpoint("X")) == "unknown"


# --- series: live, simulated, Live mode -----------------------------------------------------------

def test_offline_series_is_simulated_from_the_real_figures_and_stable():
    service = offline_service()
    first = met.metric_series(service, MODEL, "throughput", "p50")
    again = met.metric_series(service, MODEL, "throughput", "p50")
    assert first.provenance.kind is Kind.SIMULATED
    assert "74.8 tok/s" in first.provenance.note and "116.8 tok/s" in first.provenance.note
    assert "2025-06-27" in first.provenance.note and "simulated" in first.notice
    assert [p.value for p in first.value] == [p.value for p in again.value]
    assert {p.provider for p in first.value} == {"OpenAI", "Azure"}
    assert len(first.value) == 2 * met.SIMULATED_DAYS


def test_simulated_tails_go_the_right_way():
    service = offline_service()

    def mean(metric, pct):
        points = met.metric_series(service, MODEL, metric, pct).value
        return sum(p.value for p in points) / len(points)

    assert mean("throughput", "p99") < mean("throughput", "p50")
    assert mean("latency", "p99") > mean("latency", "p50")
    assert any("250-token" in line for line in met.metric_series(service, MODEL, "latency-e2e", "p50").provenance.caveats)


@pytest.mark.parametrize("percentile", ["p50", "p90"])
def test_live_series_draws_the_servers_values(fake, percentile):
    service = service_for(fake)
    series = met.metric_series(service, MODEL, "throughput", percentile)
    assert series.provenance.kind is Kind.LIVE
    openai = [p.value for p in series.value if p.provider == "OpenAI"]
    assert openai == [fake_stats.series_value("throughput", "openai", d, percentile) for d in range(fake_stats.DAYS)]
    azure = [p for p in series.value if p.provider == "Azure"]
    assert sum(p.value is None for p in azure) == 1 and all(p.thin for p in azure if p.value is not None)
    request = fake.requests_to("/api/frontend/v1/stats/throughput-comparison")[-1]
    assert request.query["percentile"] == [percentile] and request.query["variant"] == ["standard"]


def test_live_series_falls_back_to_the_old_path(fake):
    series = met.metric_series(service_for(fake), MODEL, "latency-e2e", "p50")
    assert series.provenance.kind is Kind.LIVE and series.value
    assert fake.requests_to("/api/frontend/v1/stats/latency-e2e-comparison")
    assert fake.requests_to("/api/frontend/stats/latency-e2e-comparison")


def test_auto_mode_simulates_when_the_route_is_missing(fake):
    del fake.routes[("GET", "/api/frontend/v1/stats/latency-comparison")]
    series = met.metric_series(service_for(fake), MODEL, "latency", "p50")
    assert series.provenance.kind is Kind.SIMULATED and "HTTP 404" in series.notice


def test_auto_mode_simulates_when_the_server_sends_no_points(fake):
    fake.set_json("/api/frontend/v1/stats/throughput-comparison", {"data": []})
    series = met.metric_series(service_for(fake), MODEL, "throughput", "p50")
    assert series.provenance.kind is Kind.SIMULATED and "answer has no daily throughput series" in series.notice


def test_live_mode_never_simulates(fake):
    fake.down = True
    service = service_for(fake, "live")
    series = met.metric_series(service, MODEL, "throughput", "p50")
    assert series.value == [] and series.provenance.kind is not Kind.SIMULATED and series.notice
    uptime = up.uptime_daily(service, MODEL)
    assert uptime.value == [] and uptime.provenance.kind is not Kind.SIMULATED


def test_window_points_keeps_the_newest_days():
    points = [met.SeriesPoint(dt.datetime(2026, 1, 1) + dt.timedelta(days=i), "A", "a", float(i)) for i in range(30)]
    assert [p.value for p in met.window_points(points, 7)] == [float(i) for i in range(23, 30)]
    assert len(met.window_points(points, None)) == 30 and met.window_points([], 7) == []


def test_tail_words_and_formatting():
    assert "LOWER" in met.tail_text("throughput", "p90") and "slowest 10%" in met.tail_text("throughput", "p90")
    assert "HIGHER" in met.tail_text("latency", "p99") and "median" in met.tail_text("latency", "p50")
    assert "including the time to first token" in met.METRICS["throughput"].definition
    assert met.format_metric("latency", 1232.5) == "1,232.5 ms" and met.format_metric("latency", 327.0) == "327 ms"
    assert met.format_metric("throughput", 116.7755) == "116.8 tok/s" and met.format_metric("throughput", None) == "unknown"
    assert ModelRef.of("openai/gpt-4o-mini:free").variant == "free" and ModelRef.of(MODEL + ":nitro").variant == "standard"


# --- uptime and effective pricing through the service ---------------------------------------------

def test_uptime_live_daily_and_hourly(fake):
    service = service_for(fake)
    table = prov.provider_table(service, MODEL)
    daily = up.uptime_daily(service, MODEL, table=table)
    assert daily.provenance.kind is Kind.LIVE
    azure = {p.when.day: p.uptime for p in daily.value if p.provider == "Azure"}
    assert azure == {18: 99.1, 19: None, 20: 71.25}
    assert fake.requests_to("/api/frontend/stats/uptime-recent")  # served only at the old path
    azure_row = next(row for row in table.rows if row.label == "Azure")
    hourly = up.uptime_hourly(service, MODEL, table, azure_row)
    assert hourly.provenance.kind is Kind.LIVE and len(hourly.value) == 72
    assert min(p.uptime for p in hourly.value) == 12.5
    assert fake.requests_to("/api/frontend/v1/stats/uptime-hourly")[-1].query["id"] == [fake_stats.AZURE]


def test_uptime_offline_is_simulated_and_labelled():
    service = offline_service()
    table = prov.provider_table(service, MODEL)
    daily = up.uptime_daily(service, MODEL, table=table)
    assert daily.provenance.kind is Kind.SIMULATED and "99.92" in daily.provenance.note
    azure = next(row for row in table.rows if row.label == "Azure")
    hourly = up.uptime_hourly(service, MODEL, table, azure)
    assert hourly.provenance.kind is Kind.SIMULATED and "endpoint id of Azure is unknown" in hourly.notice
    assert len(hourly.value) == up.SIMULATED_HOURS
    assert up.uptime_band(None) == up.NO_DATA_BAND and up.uptime_band(71.25).startswith("< 90")


def test_effective_pricing_live_and_offline(fake):
    live = eff.effective_pricing(service_for(fake), MODEL)
    assert live.provenance.kind is Kind.LIVE and live.value.providers[0].input_per_m == Decimal("0.118")
    offline = eff.effective_pricing(offline_service(), MODEL)
    assert offline.value is None and offline.notice


def test_cold_refresh_plan_lists_the_website_routes():
    routes = offline_service().live_routes(MODEL)
    paths = {route.path for route in routes}
    assert {"/api/frontend/v1/stats/endpoint", "/api/frontend/v1/stats/throughput-comparison",
            "/api/frontend/v1/stats/uptime-recent", "/api/frontend/v1/stats/effective-pricing"} <= paths
    endpoint_route = next(r for r in routes if r.path == "/api/frontend/v1/stats/endpoint")
    assert endpoint_route.alternates == ("/api/frontend/stats/endpoint",)


# --- likely routing picks ----------------------------------------------------------------------

def cand(tag, price=None, throughput=None, **kw) -> Candidate:
    return Candidate(tag=tag, provider=tag.title(), price=None if price is None else Decimal(str(price)),
                     throughput=throughput, **kw)


def test_balanced_is_inverse_square_of_price():
    shares = balanced_shares([cand("a", 1), cand("b", 3)])
    assert shares == {"a": Decimal(9) / 10, "b": Decimal(1) / 10}
    pick = likely_pick(RoutingMode.BALANCED, [cand("a", 3), cand("b", 1), cand("c", 1, is_deranked=True)])
    assert pick.primary.tag == "b" and "c" not in pick.shares and "Fallback only: C (deranked)" in pick.reason


def test_balanced_without_prices_splits_evenly_and_free_wins():
    assert balanced_shares([cand("a"), cand("b")]) == {"a": Decimal("0.5"), "b": Decimal("0.5")}
    assert balanced_shares([cand("a", 0), cand("b", 1)]) == {"a": Decimal(1)}
    assert balanced_shares([cand("a", 1, uptime=50.0), cand("b", 2)]) == {"b": Decimal(1)}


def test_sorted_modes_and_pinned():
    items = [cand("slow", 1, 10.0), cand("fast", 2, 90.0), cand("unknown")]
    assert [c.tag for c in likely_pick(RoutingMode.NITRO, items).ranked] == ["fast", "slow", "unknown"]
    assert [c.tag for c in likely_pick(RoutingMode.FLOOR, items).ranked] == ["slow", "fast", "unknown"]
    degraded = [cand("slow", 1, 10.0), cand("fast", 2, 90.0, status=-2)]
    nitro = likely_pick(RoutingMode.NITRO, degraded)
    assert nitro.primary.tag == "slow" and "Fast has the highest p50 throughput" in nitro.reason
    assert likely_pick(RoutingMode.PINNED, items, pinned="fast").ranked == (items[1],)
    assert likely_pick(RoutingMode.PINNED, items, pinned="nope").primary is None
    assert "tied" in likely_pick(RoutingMode.FLOOR, [cand("a", 1), cand("b", 1)]).reason
    assert "estimate" in likely_pick(RoutingMode.EXACTO, items).reason
    assert all(p.primary is None for p in likely_picks([]).values())


def test_candidate_from_endpoint_uses_blended_price_and_p50():
    ep = Endpoint("OpenAI", tag="openai", pricing=Pricing(prompt=Decimal("0.00000015"), completion=Decimal("0.0000006")),
                  throughput_30m=Percentiles(p50=39.0), uptime_30m=99.8)
    c = Candidate.from_endpoint(ep)
    assert c.price == Decimal("0.2625") and c.throughput == 39.0 and c.uptime == 99.8 and c.stable
