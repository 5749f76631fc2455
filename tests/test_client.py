"""The live client against a real HTTP server on 127.0.0.1 speaking OpenRouter's wire format."""

from __future__ import annotations

import time

import pytest

from routerlens.client import OpenRouterClient, OpenRouterError, parse_retry_after
from routerlens.config import ApiKey, Settings
from tests.fakeserver import Reply, error_body

KEY = "sk-or-v1-TESTKEY-0123456789abcdef"


def make_client(fake, **overrides) -> OpenRouterClient:
    settings = Settings(base_url=fake.base_url, api_key=ApiKey(KEY), connect_timeout=1.0, read_timeout=1.0,
                        total_timeout=overrides.pop("total_timeout", 3.0), max_retry_wait=2.0, **overrides)
    return OpenRouterClient(settings)


def test_success_returns_parsed_json_with_fetch_time(fake):
    fetched = make_client(fake).get_json("/models")
    assert fetched.data["data"][0]["id"] == "openai/gpt-4o-mini"
    assert fetched.url == f"{fake.base_url}/models"
    assert fetched.fetched_at.tzinfo is not None


def test_unknown_model_is_a_404_with_openrouter_error_type(fake):
    with pytest.raises(OpenRouterError) as info:
        make_client(fake).get_json("/models/nobody/nothing/endpoints")
    assert info.value.status == 404
    assert info.value.error_type == "not_found"
    assert len(fake.requests_to("/api/v1/models/nobody/nothing/endpoints")) == 1  # 404 is not retried


def test_429_with_retry_after_is_retried_then_succeeds(fake):
    fake.queue("/api/v1/models", Reply(status=429, json=error_body(429, "Rate limit exceeded", "rate_limit_exceeded"),
                                       headers={"Retry-After": "0"}))
    fetched = make_client(fake).get_json("/models")
    assert fetched.data["data"]
    assert len(fake.requests_to("/api/v1/models")) == 2


def test_retry_after_longer_than_allowed_is_returned_with_the_wait(fake):
    fake.queue("/api/v1/models", Reply(status=429, json=error_body(429, "Rate limit exceeded", "rate_limit_exceeded"),
                                       headers={"Retry-After": "120"}))
    with pytest.raises(OpenRouterError) as info:
        make_client(fake).get_json("/models")
    assert info.value.status == 429 and info.value.retry_after == 120
    assert len(fake.requests_to("/api/v1/models")) == 1


def test_500_is_retried_a_bounded_number_of_times(fake):
    fake.set_json("/api/v1/models", error_body(500, "Internal Server Error", "server"), status=500)
    with pytest.raises(OpenRouterError) as info:
        make_client(fake, max_retries=2).get_json("/models")
    assert info.value.status == 500
    assert len(fake.requests_to("/api/v1/models")) == 3


def test_transient_502_then_success(fake):
    fake.queue("/api/v1/models", Reply(status=502, json=error_body(502, "Provider unavailable", "provider_unavailable")))
    assert make_client(fake).get_json("/models").data["data"]


def test_stalled_response_times_out_within_the_total_deadline(fake):
    fake.set("/api/v1/models", Reply(json={"data": []}, stall=30))
    started = time.monotonic()
    with pytest.raises(OpenRouterError) as info:
        make_client(fake, total_timeout=2.0).get_json("/models")
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 10  # bounded: far below the 30 s stall


def test_slow_headers_time_out(fake):
    fake.set("/api/v1/models", Reply(json={"data": []}, delay=30))
    with pytest.raises(OpenRouterError) as info:
        make_client(fake, total_timeout=1.5).get_json("/models")
    assert info.value.kind == "timeout"


def test_malformed_json_is_a_parse_error(fake):
    fake.set("/api/v1/models", Reply(body=b'{"data": [ {"id": "openai/gpt-4o-mini",'))
    with pytest.raises(OpenRouterError) as info:
        make_client(fake).get_json("/models")
    assert info.value.kind == "parse"


def test_connection_refused_marks_host_unreachable_and_fails_fast(fake):
    port = fake.port
    fake.stop()
    client = OpenRouterClient(Settings(base_url=f"http://127.0.0.1:{port}/api/v1", connect_timeout=1.0))
    with pytest.raises(OpenRouterError) as first:
        client.get_json("/models")
    assert first.value.kind == "network"
    with pytest.raises(OpenRouterError) as second:
        client.get_json("/providers")
    assert second.value.kind == "unreachable"


def test_dns_failure_is_a_network_error():
    client = OpenRouterClient(Settings(base_url="http://openrouter.invalid/api/v1", connect_timeout=1.0))
    with pytest.raises(OpenRouterError) as info:
        client.get_json("/models")
    assert info.value.kind == "network"


def test_key_sent_to_api_routes_never_to_website_routes(fake):
    client = make_client(fake)
    client.get_json("/models/openai/gpt-4o-mini/endpoints")
    try:
        client.get_json("/api/frontend/stats/endpoint", {"permaslug": "openai/gpt-4o-mini"}, site=True)
    except OpenRouterError:
        pass  # route not in the default fixtures: only the headers matter here
    api = fake.requests_to("/api/v1/models/openai/gpt-4o-mini/endpoints")[0]
    site = fake.requests_to("/api/frontend/stats/endpoint")[0]
    assert api.headers["authorization"] == f"Bearer {KEY}"
    assert api.headers["http-referer"] and api.headers["x-openrouter-title"] == "RouterLens"
    assert "authorization" not in site.headers


def test_key_is_never_sent_to_another_origin(fake):
    client = make_client(fake)
    assert "Authorization" not in client.auth_headers("https://evil.example/api/v1/models")
    assert "Authorization" in client.auth_headers(f"{fake.base_url}/models")


def test_errors_never_carry_the_key(fake):
    fake.set_json("/api/v1/models", error_body(401, "No auth credentials found", "authentication"), status=401)
    with pytest.raises(OpenRouterError) as info:
        make_client(fake).get_json("/models")
    assert KEY not in str(info.value) and KEY not in repr(info.value.__dict__)


def test_retry_after_parsing():
    assert parse_retry_after("3") == 3
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == pytest.approx(10)
