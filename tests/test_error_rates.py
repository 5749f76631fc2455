"""routerlens.error_rates and Exacto's estimate: the tool-call and structured-output error-rate
routes parsed in their real and odd shapes, served live (loopback server), recorded into a real
SQLite file and read back offline as Recorded, "no data" (never simulated) when nothing has them,
and the playground's one-line note of the rates Exacto uses."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest

from routerlens import error_rates as er
from routerlens import routes
from routerlens.client import Fetched
from routerlens.config import load_settings
from routerlens.history.recorder import Recorder
from routerlens.history.store import HistoryStore
from routerlens.metrics import SeriesPoint
from routerlens.parse import ParseError
from routerlens.provenance import Kind, Provenance, Sourced
from routerlens.routing import RoutingMode
from routerlens.routing_pick import Candidate, combined_error_rate, likely_pick
from routerlens.service import DataService
from tests import fake_stats
from tests.conftest import page_text, run_app
from tests.fakeserver import Reply, error_body

MODEL = "openai/gpt-4o-mini"
OPENAI_ID = fake_stats.OPENAI


def service(fake=None, mode: str = "auto", history: str | None = None) -> DataService:
    env = {"ROUTERLENS_OFFLINE": "1"} if fake is None else {
        "OPENROUTER_BASE_URL": fake.base_url, "ROUTERLENS_DATA_MODE": mode, "ROUTERLENS_TIMEOUT": "3"}
    if history:
        env["ROUTERLENS_HISTORY_URL"] = history
    return DataService(load_settings(env))


# --- parsing ----------------------------------------------------------------------------------------

LIVE_SHAPED = {"data": [  # the routes' shape: percent under "y", calls behind it under "volume"
    {"x": "2026-08-25 00:00:00", "y": {f"{OPENAI_ID}::standard": 3.02, "azure-id": 0.8},
     "volume": {f"{OPENAI_ID}::standard": 537962, "azure-id": 40}},
    {"x": "2026-08-26 00:00:00", "y": {f"{OPENAI_ID}::standard": 2.52, "azure-id": None},
     "volume": {f"{OPENAI_ID}::standard": 637865}},
]}


def test_live_shape_gives_percent_per_endpoint_per_day_with_the_calls_behind_it():
    points = er.parse_error_rates(LIVE_SHAPED, names={OPENAI_ID: "OpenAI", "azure-id": "Azure"})
    got = [(p.when.day, p.provider, p.value, p.count, p.thin) for p in points]
    assert got == [(25, "OpenAI", 3.02, 537962, False), (25, "Azure", 0.8, 40, True),
                   (26, "OpenAI", 2.52, 637865, False), (26, "Azure", None, None, False)]  # null: a gap, never 0


def test_odd_shapes_are_read_and_bad_values_dropped_without_losing_siblings():
    payload = {"data": {"chart": [
        {"x": "2026-08-25", "y": {"a": 150, "b": -1, "c": "n/a", "d": {"value": 1.5, "count": 12}, "e::free": 9,
                                  "f::standard": 0}, "volume": "junk", "brand_new": 1},
        {"date": "2026-08-26T00:00:00Z", "y": {"a": 2}, "counts": {"a": 700}, "volume": {"a": 5}},
        {"x": "not a day", "y": {"a": 1}}, {"x": "2026-08-27", "y": None}, "garbage", None,
    ]}}
    points = {(p.endpoint_key, p.when.day): (p.value, p.count) for p in er.parse_error_rates(payload)}
    assert points[("a", 25)] == (None, None) and points[("b", 25)] == (None, None)  # not a percent: a gap
    assert points[("c", 25)] == (None, None) and points[("d", 25)] == (1.5, 12)
    assert points[("f::standard", 25)] == (0.0, None)  # a real zero stays zero
    assert ("e::free", 25) not in points  # another variant's series is not this variant's figure
    assert points[("a", 26)] == (2.0, 700)  # an explicit counts map wins over volume
    assert len(points) == 6


@pytest.mark.parametrize("payload", [{"data": None}, {"data": 3}, {"error": {"code": 500}}, "text", {"data": {}}])
def test_a_wrong_envelope_is_a_failed_fetch(payload):
    with pytest.raises(ParseError):
        er.parse_error_rates(payload)


def test_summary_weights_by_calls_when_every_day_gives_them():
    day = dt.datetime(2026, 8, 25)
    points = [SeriesPoint(day, "A", "a", 1.0, 100), SeriesPoint(day + dt.timedelta(days=1), "A", "a", 3.0, 300),
              SeriesPoint(day + dt.timedelta(days=2), "A", "a", None),
              SeriesPoint(day, "B", "b", 1.0, 100), SeriesPoint(day + dt.timedelta(days=1), "B", "b", 4.0)]
    a, b = er.summarise(points)
    assert (a.latest, a.latest_day.day, a.latest_calls) == (3.0, 26, 300)  # the newest day with a value
    assert a.average == pytest.approx(2.5) and a.calls == 400 and a.weighted and a.days == 2
    assert b.average == pytest.approx(2.5) and b.calls is None and not b.weighted  # a day without its count: plain mean


def test_the_average_covers_the_newest_eight_days_only():
    start = dt.datetime(2026, 1, 1)
    points = [SeriesPoint(start + dt.timedelta(days=i), "A", "a", 50.0 if i < 30 else 1.0, 10) for i in range(38)]
    row, = er.summarise(points)
    assert row.days == er.AVERAGE_DAYS == 8 and row.average == 1.0  # a month of old recording does not dilute it


def test_summary_rows_name_an_older_day_and_say_no_data_for_a_missing_rate():
    day = dt.datetime(2026, 8, 25)
    live = Provenance.live("GET /api/frontend/v1/stats/tool-call-error-rate")
    rates = er.ErrorRates({
        "tool-call": Sourced([SeriesPoint(day, "A", "a", 1.0, 10),
                              SeriesPoint(day + dt.timedelta(days=1), "A", "a", 3.0, 30),
                              SeriesPoint(day, "B", "b", 2.5, None)], live),
        "structured-output": Sourced([SeriesPoint(day, "A", "a", 0.5, 1000)], live),
    })
    a, b = er.summary_rows(rates)
    assert er.newest_day(rates) == dt.date(2026, 8, 26)
    assert a == {"Provider": "A", "Tool-call errors, latest day": "3.00% (30 calls)",
                 "Tool-call errors, average": "2.50% over 2 days",
                 "Structured-output errors, latest day": "0.50% (1,000 requests) on 2026-08-25",
                 "Structured-output errors, average": "0.50% over 1 day"}
    assert b["Tool-call errors, latest day"] == "2.50% on 2026-08-25"  # no call count given: none shown
    assert b["Structured-output errors, latest day"] == b["Structured-output errors, average"] == "no data"


# --- the service: live, recorded, never simulated ------------------------------------------------------

def test_live_series_and_the_old_path_fallback(fake):
    rates = er.error_rates(service(fake), MODEL)
    tool, structured = rates.series["tool-call"], rates.series["structured-output"]
    assert tool.provenance.kind is Kind.LIVE and structured.provenance.kind is Kind.LIVE
    openai = [(p.value, p.count) for p in tool.value if p.provider == "OpenAI"]
    assert openai == [fake_stats.error_rate_value("tool-call", "openai", d) for d in range(fake_stats.ERROR_DAYS)]
    assert {p.provider for p in tool.value} == {"OpenAI", "Azure"}  # the ::free series is left out
    assert fake.requests_to("/api/frontend/stats/structured-output-error-rate")  # served at the old path only
    request = fake.requests_to("/api/frontend/v1/stats/tool-call-error-rate")[0]
    assert request.query["permaslug"] == [MODEL] and request.query["variant"] == ["standard"]
    azure = next(r for r in rates.summary("tool-call") if r.provider == "Azure")
    assert azure.days == 7 and azure.latest == 0.4  # the null day is not counted, nor drawn as 0


def test_offline_with_nothing_recorded_there_is_no_data_and_nothing_simulated():
    rates = er.error_rates(service(), MODEL)
    assert not rates.available
    for sourced in rates.series.values():
        assert sourced.value == [] and sourced.provenance.kind is Kind.NONE and "Offline" in sourced.notice
    assert rates.why_none() == "Offline mode: no live daily tool-call or structured-output error rates."
    assert "uses no error rates" in rates.note([]) and "falls back" in rates.note([])


@pytest.mark.parametrize("reply", [
    Reply(status=404, json=error_body(404, "Not found", "not_found")),
    Reply(json={"data": "maintenance"}),
    Reply(body=b'{"data": [{"x": "2026-11-12", "y": {"a": NaN}}]}'),
    Reply(json={"data": []}),
])
def test_auto_mode_with_a_failed_or_empty_route_says_no_data(fake, reply):
    fake.set("/api/frontend/v1/stats/tool-call-error-rate", reply)
    fake.set("/api/frontend/stats/tool-call-error-rate", reply)
    tool = er.error_rates(service(fake), MODEL).series["tool-call"]
    assert tool.value == [] and tool.provenance.kind is Kind.NONE and "unavailable" in tool.notice


def test_a_recorded_pass_is_read_back_offline_as_recorded(fake, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    store = HistoryStore(url)
    store.upgrade()
    result = Recorder(service(fake, "live"), store).run_pass([MODEL])
    assert not [f for f in result.failures if "error-rate" in f], result.failures
    recorded = store.read_points(MODEL, "standard", "tool-call-error-rate", "")
    assert {(p.bucket.day, p.value, p.samples) for p in recorded if p.provider.startswith(OPENAI_ID)} == {
        ((fake_stats.ERROR_START + dt.timedelta(days=d)).day, *fake_stats.error_rate_value("tool-call", "openai", d))
        for d in range(fake_stats.ERROR_DAYS)}
    assert not any(p.provider.endswith("::free") for p in recorded)
    store.dispose()
    offline = er.error_rates(service(history=url), MODEL)
    tool = offline.series["tool-call"]
    assert tool.provenance.kind is Kind.RECORDED and tool.notice is None
    assert [(p.value, p.count) for p in tool.value if p.provider == "OpenAI"][-1] == (0.9, 523897)
    # The bundled endpoint list does not know Azure's endpoint id, so offline its series is named by it.
    azure = [p.value for p in tool.value if p.endpoint_key == fake_stats.AZURE]
    assert {p.provider for p in tool.value if p.endpoint_key == fake_stats.AZURE} == {"endpoint 5b1c0b5e…"}
    assert len(azure) == fake_stats.ERROR_DAYS and azure.count(None) == 1  # the gap stays a gap
    # The Performance page, offline, draws the recording as such.
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", url)
    at = run_app("pages/performance.py")
    assert not at.exception, [e.message for e in at.exception]
    titles = [json.loads(chart.proto.spec).get("title") for chart in at.get("vega_lite_chart")]
    assert "Tool-call error rate, daily" in titles  # a plain title: real data, not simulated
    assert "Recorded by this deployment" in page_text(at)


def test_the_cold_refresh_plans_both_routes():
    paths = {route.path for route in service().live_routes(MODEL)}
    assert {"/api/frontend/v1/stats/tool-call-error-rate",
            "/api/frontend/v1/stats/structured-output-error-rate"} <= paths
    route = routes.error_rate("structured-output", MODEL, "standard")
    assert route.alternates == ("/api/frontend/stats/structured-output-error-rate",) and not route.sends_key


def test_warm_starts_the_fetches_without_waiting(fake):
    svc = service(fake)
    route = routes.error_rate("tool-call", MODEL, "standard")
    arrived, release = threading.Event(), threading.Event()

    def held(request):
        arrived.set()
        release.wait(10)
        return Reply(json={"data": []})

    fake.set(route.path, held)
    er.warm(svc, MODEL)  # returns while the server still holds the request
    assert arrived.wait(5) and not svc.is_cached(route)
    release.set()
    assert isinstance(svc.live_get(route), Fetched)
    assert len(fake.requests_to(route.path)) == 1  # the later read joined the warm fetch, not asked twice
    er.warm(service(), MODEL)  # offline: nothing is sent, nothing raised


# --- Exacto's estimate ------------------------------------------------------------------------------

def cand(tag, throughput=None, tool=None, structured=None, **kw) -> Candidate:
    return Candidate(tag=tag, provider=tag.title(), price=Decimal(1), throughput=throughput,
                     tool_error_rate=tool, structured_error_rate=structured, **kw)


def test_exacto_ranks_by_the_lowest_combined_error_rate_and_says_so():
    items = [cand("fast", 90.0, tool=3.0, structured=0.2), cand("steady", 10.0, tool=0.6, structured=0.2)]
    pick = likely_pick(RoutingMode.EXACTO, items)
    assert [c.tag for c in pick.ranked] == ["steady", "fast"]
    assert "published error rates" in pick.reason and "tool calls 0.60%" in pick.reason and "0.40%" in pick.reason


def test_exacto_ties_go_to_throughput_and_unrated_providers_come_after():
    items = [cand("slow", 10.0, tool=1.0, structured=1.0), cand("unrated", 99.0),
             cand("fast", 90.0, tool=1.0, structured=1.0)]
    pick = likely_pick(RoutingMode.EXACTO, items)
    assert [c.tag for c in pick.ranked] == ["fast", "slow", "unrated"]
    assert "tied with Slow" in pick.reason and "No error rate is known for Unrated" in pick.reason


def test_exacto_keeps_degraded_providers_after_healthy_ones():
    items = [cand("best", 10.0, tool=0.1, structured=0.1, is_deranked=True), cand("ok", 10.0, tool=2.0, structured=1.0)]
    pick = likely_pick(RoutingMode.EXACTO, items)
    assert pick.primary.tag == "ok" and "Best has the lowest combined error rate" in pick.reason
    assert "deranked" in pick.reason


def test_exacto_compares_only_the_kinds_every_rated_provider_has():
    items = [cand("a", tool=1.0, structured=9.0), cand("b", tool=2.0)]
    combined = combined_error_rate(items)
    assert combined(items[0]) == 1.0 and combined(items[1]) == 2.0  # structured output: only one has it


def test_without_rates_exacto_falls_back_to_its_previous_rule_and_says_so():
    items = [cand("a", 10.0, uptime=90.0), cand("b", 5.0, uptime=99.9)]
    pick = likely_pick(RoutingMode.EXACTO, items)
    assert pick.primary.tag == "b" and "falls back to health, uptime, then throughput" in pick.reason


def test_rates_attach_by_endpoint_id_then_by_a_unique_provider_name():
    day = dt.datetime(2026, 8, 25)
    live = Provenance.live("GET /api/frontend/v1/stats/tool-call-error-rate")
    rates = er.ErrorRates({
        "tool-call": Sourced([SeriesPoint(day, "OpenAI", f"{OPENAI_ID}::standard", 3.0, 10),
                              SeriesPoint(day, "Azure", "unknown-id", 1.0, 10)], live),
        "structured-output": Sourced([], Provenance.nothing("offline")),
    })
    openai, azure, other = er.with_error_rates(
        [Candidate("openai", "OpenAI", endpoint_id=OPENAI_ID), Candidate("azure", "Azure", endpoint_id="other-id"),
         Candidate("groq", "Groq")], rates)
    assert (openai.tool_error_rate, openai.structured_error_rate) == (3.0, None)
    assert azure.tool_error_rate == 1.0 and other.tool_error_rate is None
    note = rates.note([openai, azure, other])
    assert "tool-call errors OpenAI 3.00%, Azure 1.00%" in note and "Live · fetched" in note
    assert er.with_error_rates([other], None) == [other]


# --- the playground's note next to the Exacto explanation ----------------------------------------------

def _exacto(at):
    at.button_group(key="pg_mode").set_value(RoutingMode.EXACTO).run()
    assert not at.exception, [e.message for e in at.exception]
    return page_text(at)


def test_playground_exacto_note_names_the_rates_it_uses(live_env):
    text = _exacto(run_app("pages/playground.py"))
    assert "Exacto's estimate uses the published error rates" in text
    assert "tool-call errors OpenAI 2.92%, Azure 0.60%" in text and "Live · fetched" in text
    assert "from the published error rates" in text  # the picks table's Exacto row says it used them


def test_playground_exacto_note_offline_says_it_has_none():
    text = _exacto(run_app("pages/playground.py"))
    assert "Exacto's estimate uses no error rates" in text and "falls back to health, uptime, then throughput" in text
