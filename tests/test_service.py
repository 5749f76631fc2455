"""Source selection and fallback, section by section."""

from __future__ import annotations


from routerlens.client import Fetched
from routerlens.config import DataMode, Settings
from routerlens.provenance import Kind
from routerlens.service import DataService, LiveRoute
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
    endpoints = svc.endpoints("openai/gpt-4o-mini")
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
    assert svc.endpoints("openai/gpt-4o-mini").provenance.kind is Kind.SNAPSHOT
    assert fake.requests == []


def test_unknown_model_on_live_server_is_a_definitive_404(fake):
    result = service(fake).endpoints("nobody/nothing")
    assert result.value == [] and result.provenance.kind is Kind.LIVE
    assert "does not exist" in result.notice


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
    assert "live list does not include" in result.notice


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
    routes = [LiveRoute.api(p) for p in ("/x", "/y", "/z")]
    for route in routes:
        fake.set(f"/api/v1{route.path}", together)
    results = svc.prefetch(routes)
    assert all(isinstance(r, Fetched) for r in results.values()), results


def test_website_route_alternates_on_404(fake):
    fake.set_json("/api/frontend/stats/legacy-only", {"data": [{"provider_name": "OpenAI"}]})
    svc = service(fake)
    route = LiveRoute.website(("/api/frontend/v1/stats/legacy-only", "/api/frontend/stats/legacy-only"),
                              {"permaslug": "openai/gpt-4o-mini"})
    result = svc.live_get(route)
    assert result.data["data"][0]["provider_name"] == "OpenAI"
    assert [r.path for r in fake.requests] == ["/api/frontend/v1/stats/legacy-only", "/api/frontend/stats/legacy-only"]


def test_full_description_replaces_shortened_text_and_says_so(fake):
    svc = service(fake, DataMode.OFFLINE)
    model = svc.model("openai/gpt-4o-mini")
    assert model.value.description.endswith("...")
    full = svc.full_description(model.value, model.provenance)
    assert "more than 60% cheaper" in full.value and "#multimodal" in full.value
    assert full.provenance.kind is Kind.SNAPSHOT and "shortens descriptions" in full.notice


def test_spec_history_is_oldest_first():
    svc = DataService(Settings(mode=DataMode.OFFLINE))
    history = svc.spec_history("openai/gpt-4o-mini")
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
    routes = svc.live_routes("openai/gpt-4o-mini")
    assert fake.requests == []
    assert any(dict(r.params).get("permaslug") == "openai/gpt-4o-mini" for r in routes)
