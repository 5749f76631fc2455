"""Source selection and fallback, section by section."""

from __future__ import annotations


import pytest

from routerlens import routes
from routerlens.catalog import full_description, spec_history
from routerlens.client import Fetched
from routerlens.config import DataMode, Settings
from routerlens.parse import parse_models
from routerlens.provenance import Kind, Provenance, Sourced
from routerlens.providers import endpoints as endpoints_of
from routerlens.service import ORDER, DataService, Simulation, Want
from routerlens.snapshot import Bundled
from tests.fakeserver import Reply, all_at_once, error_body


def service(fake, mode=DataMode.AUTO, **kw) -> DataService:
    settings = Settings(base_url=fake.base_url, mode=mode, connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0,
                        max_retries=0)
    return DataService(settings, **kw)


def test_auto_uses_live_when_reachable(fake):
    model = service(fake).model("openai/gpt-4o-mini")
    assert model.provenance.kind is Kind.LIVE
    assert model.provenance.source == "GET /api/v1/models?output_modalities=all"
    assert model.notice is None


def test_auto_falls_back_per_section_with_a_notice(fake):
    fake.set_json("/api/v1/models/openai/gpt-4o-mini/endpoints", error_body(503, "overloaded"), status=503)
    svc = service(fake)
    model = svc.model("openai/gpt-4o-mini")
    endpoints = endpoints_of(svc, "openai/gpt-4o-mini")
    assert model.provenance.kind is Kind.LIVE  # this section still live
    assert endpoints.provenance.kind is Kind.SNAPSHOT  # this one fell back
    assert "HTTP 503" in endpoints.notice and "snapshot" in endpoints.notice
    assert {e.provider_name for e in endpoints.value} == {"OpenAI", "Azure"}


def test_auto_with_server_down_serves_snapshot(fake):
    fake.down = True
    svc = service(fake)
    model = svc.model("openai/gpt-4o-mini")
    assert model.provenance.kind is Kind.SNAPSHOT and model.value.context_length == 128000
    assert "unavailable" in model.notice


def test_live_mode_never_falls_back(fake):
    fake.down = True
    models = service(fake, DataMode.LIVE).models()
    assert models.value == [] and models.provenance.kind is Kind.NONE
    assert "forced to Live" in models.notice


def test_offline_mode_never_touches_the_network(fake):
    svc = service(fake, DataMode.OFFLINE)
    assert svc.model("openai/gpt-4o-mini").provenance.kind is Kind.SNAPSHOT
    assert endpoints_of(svc, "openai/gpt-4o-mini").provenance.kind is Kind.SNAPSHOT
    assert fake.requests == []


def test_unknown_model_on_live_server_is_a_definitive_404(fake):
    result = endpoints_of(service(fake), "nobody/nothing")
    assert result.value == [] and result.provenance.kind is Kind.LIVE
    assert "HTTP 404" in result.notice and "no provider list for nobody/nothing" in result.notice


def test_malformed_live_payload_falls_back(fake):
    fake.set("/api/v1/models", Reply(body=b"<html>not json</html>"))
    result = service(fake).models()
    assert result.provenance.kind is Kind.SNAPSHOT and "malformed JSON" in result.notice


def test_wrong_shape_live_payload_falls_back(fake):
    fake.set_json("/api/v1/models", {"data": "maintenance"})
    result = service(fake).models()
    assert result.provenance.kind is Kind.SNAPSHOT and "could not be read" in result.notice


def test_model_missing_from_live_list_comes_from_snapshot(fake):
    result = service(fake).model("anthropic/claude-3-haiku")
    assert result.value is not None and result.provenance.kind is Kind.SNAPSHOT
    assert "answer has no model anthropic/claude-3-haiku" in result.notice and "snapshot" in result.notice


def test_failures_are_cached_briefly_then_retried(fake):
    svc = service(fake, error_ttl=0.0)
    fake.down = True
    assert svc.models().provenance.kind is Kind.SNAPSHOT
    fake.down = False
    svc.client._health.mark_up(fake.origin)  # the client's own short "unreachable" memory
    assert svc.models().provenance.kind is Kind.LIVE


def test_successes_are_cached(fake):
    svc = service(fake)
    svc.models()
    svc.models()
    assert len(fake.requests_to("/api/v1/models")) == 1


def test_refresh_all_fetches_routes_concurrently(fake):
    together = all_at_once(3)
    svc = service(fake)
    planned = [routes.api(p) for p in ("/x", "/y", "/z")]
    for route in planned:
        fake.set(f"/api/v1{route.path}", together)
    results = svc.prefetch(planned)
    assert all(isinstance(r, Fetched) for r in results.values()), results


def test_website_route_alternates_on_404(fake):
    fake.set_json("/api/frontend/stats/legacy-only", {"data": [{"provider_name": "OpenAI"}]})
    svc = service(fake)
    route = routes.website("legacy-only", {"permaslug": "openai/gpt-4o-mini"})
    result = svc.live_get(route)
    assert result.data["data"][0]["provider_name"] == "OpenAI"
    assert [r.path for r in fake.requests] == ["/api/frontend/v1/stats/legacy-only", "/api/frontend/stats/legacy-only"]


def test_full_description_replaces_shortened_text_and_says_so(fake):
    svc = service(fake, DataMode.OFFLINE)
    model = svc.model("openai/gpt-4o-mini")
    assert model.value.description.endswith("...")
    full = full_description(svc, model.value, model.provenance)
    assert "more than 60% cheaper" in full.value and "#multimodal" in full.value
    assert full.provenance.kind is Kind.SNAPSHOT and "shortens descriptions" in full.notice


def test_spec_history_is_oldest_first():
    svc = DataService(Settings(mode=DataMode.OFFLINE))
    history = spec_history(svc, "openai/gpt-4o-mini")
    assert [h.provenance.as_of for h in history] == ["2025-07-29", "2025-12-02", "2026-05-22", "2026-08-19"]


def test_cold_refresh_covers_every_page_module_route():
    svc = DataService(Settings(mode=DataMode.OFFLINE))
    paths = {route.path for route in svc.live_routes("openai/gpt-4o-mini")}
    assert "/models" in paths and "/models/openai/gpt-4o-mini/endpoints" in paths
    assert any("top-apps-for-model" in p for p in paths)  # usage
    assert any("throughput-comparison" in p for p in paths)  # performance


def test_cold_refresh_plans_its_routes_without_waiting_on_the_network(fake):
    """Planning must not fetch the model list first, or the refresh would be sequential."""
    svc = service(fake)
    planned = svc.live_routes("openai/gpt-4o-mini")
    assert fake.requests == []
    assert any(dict(r.params).get("permaslug") == "openai/gpt-4o-mini" for r in planned)


# --- the source rule: one order per mode, decided by the service alone ---------------------------

def _want(**kw) -> Want:
    """A figure published live at /api/v1/models, bundled as the model list, simulable."""
    base = dict(what="test figure", parse=parse_models, default=[], live=(routes.models(),),
                bundled=Bundled.at("/api/v1/models"), needs_data=True,
                simulate=lambda: Simulation(["sim"], "a real figure (Snapshot · as of 2025-06-27)", ("caveat",)))
    base.update(kw)
    return Want(**base)


@pytest.mark.parametrize("mode, down, expected", [
    (DataMode.AUTO, False, Kind.LIVE),
    (DataMode.AUTO, True, Kind.SNAPSHOT),
    (DataMode.OFFLINE, False, Kind.SNAPSHOT),
    (DataMode.LIVE, False, Kind.LIVE),
    (DataMode.LIVE, True, Kind.NONE),
])
def test_each_mode_reads_its_sources_in_order(fake, mode, down, expected):
    fake.down = down
    result = service(fake, mode).get(_want())
    assert result.provenance.kind is expected
    assert (fake.requests == []) == (mode is DataMode.OFFLINE)


def test_simulation_only_where_no_real_source_has_the_figure(fake):
    fake.down = True
    want = _want(bundled=Bundled.at("#nothing-bundled-here"))
    auto = service(fake).get(want)
    assert auto.provenance.kind is Kind.SIMULATED and auto.value == ["sim"]
    assert auto.provenance.caveats == ("caveat",)
    assert "Live test figure unavailable" in auto.notice and "bundled snapshot has none" in auto.notice
    assert "simulated" in auto.notice and "not a measurement" in auto.notice
    live = service(fake, DataMode.LIVE).get(want)
    assert live.provenance.kind is Kind.NONE and live.value == []  # Live mode never simulates


def test_nothing_to_seed_from_is_no_simulation(fake):
    result = service(fake, DataMode.OFFLINE).get(_want(bundled=None, simulate=lambda: None))
    assert result.provenance.kind is Kind.NONE and result.value == []
    assert "nothing is drawn" in result.notice


def test_bundled_only_figures_are_read_in_every_mode_and_never_blamed_on_live(fake):
    want = _want(live=(), simulate=None)
    for mode in DataMode:
        result = service(fake, mode).get(want)
        assert result.provenance.kind is Kind.SNAPSHOT and result.notice is None
    assert fake.requests == []


def test_a_keyed_dataset_without_a_key_is_not_requested(fake):
    want = Want("overall app ranking", parse_models, [], live=(routes.app_rankings(),))
    result = service(fake).get(want)
    assert result.provenance.kind is Kind.NONE and "needs an OpenRouter API key" in result.notice
    assert fake.requests == []
    offline = service(fake, DataMode.OFFLINE).get(want)
    assert "live dataset (no bundled copy)" in offline.notice
    assert service(fake).get(Want("extra", parse_models, [], live=(routes.app_rankings(),), optional=True)).notice is None


def test_a_new_source_joins_by_touching_the_service_only(fake):
    """The seam a recorded source uses: a reader and a place in the order; domain code unchanged."""
    from routerlens.metrics import metric_series

    class WithRecording(DataService):
        def _readers(self):
            recorded = Provenance(Kind.SNAPSHOT, "a recording", "2026-11-01")
            def read(want):  # this stand-in recording holds daily series only
                return Sourced(["recorded"], recorded) if want.what.startswith("daily ") else None
            return {**super()._readers(), "recorded": read}

    svc = WithRecording(Settings(mode=DataMode.OFFLINE), order={**ORDER, DataMode.OFFLINE: ("recorded", "snapshot")})
    series = metric_series(svc, "openai/gpt-4o-mini", "throughput", "p50")
    assert series.value == ["recorded"] and series.provenance.source == "a recording"


def test_work_run_under_the_page_budget_leaves_the_callers_budget_in_place():
    """A wrapped function run on the page's own thread once wiped the page's budget on its way
    out, so the rest of the render waited for live answers without a deadline."""
    from routerlens.service import page_budget, under_page_budget

    service = DataService(Settings(mode=DataMode.OFFLINE))
    with page_budget(30):
        inside = under_page_budget(service._budget_left)()
        assert inside is not None and 0 < inside <= 30
        under_page_budget(lambda: None)()
        assert service._budget_left() is not None
    assert service._budget_left() is None
