"""The playground engine against the real loopback server: streaming, measurements, routing
bodies, every error, cost lookups, likely picks, limits and exports."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from routerlens.chat import (
    ChatStream, Turn, compare_with_published, conversation_json, conversation_markdown,
    history_messages, log_csv, run_chat, run_many,
)
from routerlens.client import OpenRouterClient
from routerlens.config import ApiKey, Settings
from routerlens.images import prepare_upload
from routerlens.limits import HostPolicy, RateLimiter, key_access, load_policy
from routerlens.parse import parse_endpoints
from routerlens.routing import RequestSpec, RoutingMode
from tests.conftest import DEAD_BASE_URL
from tests.fake_chat import CHAT, GENERATION, error_reply, stream_events, stream_reply
from tests.fakeserver import Reply, load_fixture
from tests.test_images import png_bytes

KEY = "sk-or-v1-test-secret-0123456789"
HELLO = [{"role": "user", "content": "hello there"}]


def client_for(base_url: str, *, read_timeout: float = 2.0, key: str | None = KEY) -> OpenRouterClient:
    settings = Settings(base_url=base_url, api_key=ApiKey(key) if key else None, connect_timeout=1.0,
                        read_timeout=read_timeout, total_timeout=read_timeout + 1)
    return OpenRouterClient(settings)


@pytest.fixture
def client(fake):
    c = client_for(fake.base_url)
    yield c
    c.close()


SPEC = RequestSpec("openai/gpt-4o-mini", max_tokens=64)


def test_stream_yields_words_and_reads_the_usage_chunk(fake, client):
    stream = ChatStream(client, SPEC, HELLO)
    pieces = list(stream)
    result = stream.result
    assert len(pieces) == 3, "one delta per word"
    assert "".join(pieces) == result.text == "Echo: hello there"
    assert result.ok and result.complete and result.failure is None
    assert result.provider == "OpenAI"
    assert result.prompt_tokens == 12 and result.completion_tokens == 3
    assert result.cached_tokens == 0 and result.reasoning_tokens == 0
    assert result.cost == Decimal(str(round(12 * 0.15e-6 + 3 * 0.6e-6, 10)))
    assert result.cost_source == "usage.cost in the response"
    assert result.generation_id and result.generation_id.startswith("gen-test-")
    assert 0 <= result.ttft_s <= result.total_s
    assert result.tokens_per_s_end_to_end == pytest.approx(3 / result.total_s)
    # keep-alive comments were skipped, not shown
    assert "OPENROUTER" not in result.text
    assert not fake.requests_to(GENERATION), "cost came with the stream: no lookup"


def test_request_carries_key_and_attribution_only_to_base_url(fake, client):
    run_chat(client, SPEC, HELLO)
    sent = fake.requests_to(CHAT, "POST")[-1]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["http-referer"] == client.settings.app_url
    assert sent.headers["x-openrouter-title"] == "RouterLens"
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.body["stream"] is True and sent.body["max_tokens"] == 64
    assert client.auth_headers("https://example.com/img.png").get("Authorization") is None


@pytest.mark.parametrize("mode, model, provider", [
    (RoutingMode.BALANCED, "openai/gpt-4o-mini", None),
    (RoutingMode.NITRO, "openai/gpt-4o-mini:nitro", None),
    (RoutingMode.EXACTO, "openai/gpt-4o-mini:exacto", None),
    (RoutingMode.FLOOR, "openai/gpt-4o-mini:floor", None),
    (RoutingMode.PINNED, "openai/gpt-4o-mini", {"order": ["azure"], "allow_fallbacks": False}),
])
def test_request_body_per_routing_mode(fake, client, mode, model, provider):
    spec = SPEC.with_mode(mode, "azure")
    result = run_chat(client, spec, HELLO)
    body = fake.requests_to(CHAT, "POST")[-1].body
    assert body["model"] == model
    assert body.get("provider") == provider
    assert "sort" not in json.dumps(body), "no mode sends an explicit sort"
    assert result.mode is mode
    if mode is RoutingMode.PINNED:
        assert result.provider == "Azure"


def test_non_streaming_answer(fake, client):
    result = run_chat(client, SPEC, HELLO, stream=False)
    assert fake.requests_to(CHAT, "POST")[-1].body.get("stream") is None
    assert result.ok and result.text == "Echo: hello there"
    assert result.ttft_s is None and result.tokens_per_s_after_first is None
    assert result.completion_tokens == 3 and result.cost is not None


def test_cost_from_generation_when_usage_has_none(fake, client):
    fake.queue(CHAT, stream_reply("a b c d", cost=False, gen_id="gen-lookup-1"), method="POST")
    fake.generations["gen-lookup-1"] = {"id": "gen-lookup-1", "total_cost": 0.0000123, "provider_name": "Azure"}
    result = run_chat(client, SPEC, HELLO)
    assert result.cost == Decimal("0.0000123")
    assert result.cost_source == "GET /api/v1/generation"
    assert fake.requests_to(GENERATION)[-1].query["id"] == ["gen-lookup-1"]


def test_generation_lookup_failure_says_cost_unknown(fake, client):
    fake.queue(CHAT, stream_reply("a b", cost=False, gen_id="gen-missing"), method="POST")
    result = run_chat(client, SPEC, HELLO)
    assert result.ok and result.cost is None
    assert "unknown" in result.cost_source and "404" in result.cost_source


def test_midstream_error_keeps_what_arrived(fake, client):
    error = {"code": 502, "message": "Provider disconnected", "metadata": {"error_type": "provider_unavailable"}}
    fake.queue(CHAT, stream_reply("one two three four", error=error, error_after=2), method="POST")
    stream = ChatStream(client, SPEC, HELLO)
    pieces = list(stream)
    result = stream.result
    assert "".join(pieces) == result.text == "one two "
    assert result.failure.kind == "midstream"
    assert "Provider disconnected" in result.failure.as_text()
    assert "text that arrived is shown" in result.failure.next_step
    assert not result.ok


def test_stream_cut_without_done(fake, client):
    fake.queue(CHAT, stream_reply("one two three four", cut_after=2), method="POST")
    result = run_chat(client, SPEC, HELLO)
    assert result.text == "one two "
    assert result.failure.kind == "cut"
    assert "[DONE]" in result.failure.title


def test_usage_without_done_is_still_a_cut(fake, client):
    fake.queue(CHAT, stream_reply("one two", done=False), method="POST")
    result = run_chat(client, SPEC, HELLO)
    assert result.completion_tokens == 2, "usage was read"
    assert result.failure.kind == "cut"


@pytest.mark.parametrize("reply, kind, words", [
    (error_reply(401, "User not found.", "authentication"), "auth", ["openrouter.ai/keys"]),
    (error_reply(402, "Insufficient credits", "payment_required"), "credits", ["credits"]),
    (error_reply(403, "Input flagged", "permission_denied", reasons=["violence", "harassment"],
                 flagged_input="a bad thing"), "moderation", ["violence", "harassment", "a bad thing"]),
    (error_reply(404, "No endpoints found", "not_found"), "not_found", ["model id"]),
    (error_reply(408, "Request timed out", "timeout"), "timeout", ["Retry"]),
    (error_reply(429, "Rate limit exceeded", "rate_limit_exceeded", retry_after="7"), "rate_limit", ["Wait 7 s"]),
    (error_reply(500, "Internal Server Error", "server"), "provider", ["500", "routing mode"]),
    (error_reply(502, "Provider returned error", "provider_unavailable"), "provider", ["502"]),
    (error_reply(503, "No available provider", "provider_overloaded"), "provider", ["503"]),
    (error_reply(400, "Bad image", "invalid_image"), "bad_request", ["Bad image"]),
])
def test_http_errors_become_clear_messages(fake, client, reply, kind, words):
    fake.queue(CHAT, reply, method="POST")
    result = run_chat(client, SPEC, HELLO)
    assert result.failure is not None and result.failure.kind == kind
    text = result.failure.as_text()
    for word in words:
        assert word in text
    assert result.text == ""
    # the server recovers: the next prompt works
    assert run_chat(client, SPEC, HELLO).ok


def test_rate_limit_carries_the_wait(fake, client):
    fake.queue(CHAT, error_reply(429, "slow down", retry_after="12"), method="POST")
    assert run_chat(client, SPEC, HELLO).failure.retry_after == pytest.approx(12)


def test_read_timeout_before_headers(fake):
    c = client_for(fake.base_url, read_timeout=0.3)
    fake.queue(CHAT, Reply(delay=2.0, json={}), method="POST")
    result = run_chat(c, SPEC, HELLO)
    assert result.failure.kind == "timeout"
    assert run_chat(c, SPEC, HELLO).ok
    c.close()


def test_stall_mid_stream_keeps_text_and_says_timeout(fake):
    c = client_for(fake.base_url, read_timeout=0.3)
    reply = stream_reply("one two three")
    reply.sse.insert(4, ("sleep", 2.0))
    fake.queue(CHAT, reply, method="POST")
    result = run_chat(c, SPEC, HELLO)
    assert result.text.startswith("one ")
    assert result.failure.kind == "timeout"
    c.close()


def test_network_down():
    c = client_for(DEAD_BASE_URL)
    result = run_chat(c, SPEC, HELLO)
    assert result.failure.kind == "network"
    assert "refused" in result.failure.as_text()
    c.close()


def test_connection_dropped_without_answer(fake, client):
    fake.queue(CHAT, Reply(drop=True), method="POST")
    result = run_chat(client, SPEC, HELLO)
    assert result.failure.kind == "network"
    assert run_chat(client, SPEC, HELLO).ok


def test_no_key_is_a_401_from_the_server(fake):
    c = client_for(fake.base_url, key=None)
    assert run_chat(c, SPEC, HELLO).failure.kind == "auth"
    c.close()


def test_images_are_sent_as_data_url_parts(fake, client):
    image = prepare_upload("dot.png", png_bytes(8, 8))
    turns = [Turn("user", "what is this?", images=(image,), detail="low")]
    result = run_chat(client, SPEC, history_messages(turns))
    content = fake.requests_to(CHAT, "POST")[-1].body["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "what is this?"}
    assert content[1]["type"] == "image_url"
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert content[1]["image_url"]["detail"] == "low"
    assert result.text == "Echo: what is this? [1 image(s) received]"


def test_failed_turns_are_left_out_of_the_history_with_their_question(fake, client):
    ok = run_chat(client, SPEC, HELLO)
    fake.queue(CHAT, error_reply(500, "boom"), method="POST")
    failed = run_chat(client, SPEC, HELLO)
    turns = [Turn("user", "hello there"), Turn("assistant", ok.text, result=ok),
             Turn("user", "again"), Turn("assistant", failed.text, result=failed), Turn("user", "third")]
    messages = history_messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert [m["content"] for m in messages][::2] == ["hello there", "third"]
    spec = RequestSpec(SPEC.model_id, system_prompt="Be brief.")
    run_chat(client, spec, messages)
    sent = fake.requests_to(CHAT, "POST")[-1].body["messages"]
    assert sent[0] == {"role": "system", "content": "Be brief."}


def test_compare_runs_modes_concurrently(fake, client):
    specs = [SPEC.with_mode(m, "azure") for m in (RoutingMode.BALANCED, RoutingMode.NITRO, RoutingMode.PINNED)]
    results = run_many(client, specs, HELLO)
    assert [r.mode for r in results] == [RoutingMode.BALANCED, RoutingMode.NITRO, RoutingMode.PINNED]
    assert all(r.ok for r in results)
    assert sorted(r.body["model"] for r in fake.requests_to(CHAT, "POST")) == sorted(
        ["openai/gpt-4o-mini", "openai/gpt-4o-mini:nitro", "openai/gpt-4o-mini"])
    assert results[2].provider == "Azure"


# --- likely picks and published figures -------------------------------------------------------------

ENDPOINTS = parse_endpoints(load_fixture("endpoints_gpt-4o-mini.json"))


def test_comparison_with_published_median(fake, client):
    result = run_chat(client, SPEC, HELLO)
    lines = compare_with_published(result, ENDPOINTS)
    assert any("published median (497 ms" in line for line in lines)
    word = "faster than" if result.ttft_s * 1000 < 497 else "slower than"
    assert word in lines[0]
    result.provider = "Nobody"
    assert compare_with_published(result, ENDPOINTS) == []


# --- limits -------------------------------------------------------------------------------------------

def test_policy_and_key_access():
    policy = load_policy({"ROUTERLENS_SHARED_KEY_PLAYGROUND": "1", "ROUTERLENS_PLAYGROUND_RPM": "3"},
                         {"ROUTERLENS_PLAYGROUND_MAX_TOKENS": "200"})
    assert policy == HostPolicy(True, 200, 3)
    assert load_policy({}).shared_key_allowed is False
    assert key_access("sidebar", HostPolicy()).can_send
    assert not key_access("environment", HostPolicy()).can_send
    assert "openrouter.ai/keys" in key_access(None, HostPolicy()).reason
    shared = key_access("secrets", policy)
    assert shared.can_send and shared.uses_host_key and shared.max_tokens_cap == 200
    assert not key_access("sidebar", policy, offline=True).can_send


def test_rate_limiter_sliding_window():
    now = [100.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.wait_needed() == 0
    limiter.record()
    now[0] += 10
    limiter.record()
    assert limiter.wait_needed() == pytest.approx(50)
    assert limiter.wait_needed(3) == float("inf")
    now[0] += 51
    assert limiter.wait_needed() == 0


# --- exports -------------------------------------------------------------------------------------------

def test_exports_hold_measurements_but_not_image_bytes_or_key(fake, client):
    image = prepare_upload("dot.png", png_bytes(4, 4))
    turns = [Turn("user", "hi", images=(image,))]
    result = run_chat(client, SPEC, history_messages(turns))
    turns.append(Turn("assistant", result.text, result=result))
    as_json = json.loads(conversation_json(turns, SPEC))
    assert as_json["turns"][1]["measured"]["Provider"] == "OpenAI"
    assert "omitted" in as_json["turns"][0]["images"][0]["url"]
    md = conversation_markdown(turns, SPEC)
    assert "Echo: hi" in md and "TTFT" in md and "tok/s end-to-end" in md
    csv_text = log_csv([result.log_row()])
    assert csv_text.splitlines()[0].startswith("Time (UTC),Mode,")
    for text in (json.dumps(as_json), md, csv_text):
        assert KEY not in text


def _failed(text: str = "") -> ChatResult:
    from routerlens.chat import ChatResult
    from routerlens.routing import RoutingMode

    result = ChatResult(mode=RoutingMode.BALANCED, requested_model="m", text=text)
    result.failure = "boom"
    return result


def _ok(text: str) -> ChatResult:
    from routerlens.chat import ChatResult
    from routerlens.routing import RoutingMode

    result = ChatResult(mode=RoutingMode.BALANCED, requested_model="m", text=text)
    result.complete = True
    return result


def test_the_context_is_always_a_valid_conversation_after_any_failures():
    """Twelve failures, refusals and retries in a row: user and assistant still alternate, the
    context ends with the question being sent, and a cut-off answer is kept with its question."""
    from routerlens.chat import context_turns, is_cut_off

    turns = [Turn("user", "q0"), Turn("assistant", "a0", result=_ok("a0"))]
    for index in range(12):
        turns += [Turn("user", f"fail{index}"), Turn("assistant", "", result=_failed())]
    turns += [Turn("user", "orphan")]  # e.g. a page reload mid-request: no answer turn at all
    turns += [Turn("user", "partial"), Turn("assistant", "half an ans", result=_failed("half an ans"))]
    turns += [Turn("user", "now")]
    messages = history_messages(turns)
    roles = [m["role"] for m in messages]
    assert roles == ["user", "assistant", "user", "assistant", "user"]
    assert [m["content"] for m in messages] == ["q0", "a0", "partial", "half an ans", "now"]
    assert is_cut_off(turns[-2]) and not is_cut_off(turns[1])
    assert context_turns(turns[:-1]) == [0, 1, 27, 28]  # nothing awaits an answer: ends on the assistant


# --- limits that keep-alives cannot defeat, and cancellation -------------------------------------------

def _keepalives(seconds: float, every: float = 0.05) -> list:
    """What OpenRouter sends while a provider thinks: comment lines, for ``seconds``."""
    return [item for _ in range(int(seconds / every)) for item in (": OPENROUTER PROCESSING", ("sleep", every))]


def test_stream_limits_come_from_secrets_then_environment_and_ignore_nonsense():
    from routerlens.chat import StreamLimits

    assert StreamLimits.load({}) == StreamLimits()
    limits = StreamLimits.load({"ROUTERLENS_CHAT_FIRST_TOKEN_S": "20", "ROUTERLENS_CHAT_IDLE_S": "nan"},
                               {"ROUTERLENS_CHAT_FIRST_TOKEN_S": "12", "ROUTERLENS_CHAT_TOTAL_S": "-5"})
    assert (limits.first_token_s, limits.idle_s, limits.total_s) == (12.0, StreamLimits.idle_s, StreamLimits.total_s)


def test_a_first_token_held_back_is_not_waited_for_past_the_limit(fake, client):
    """Keep-alives every 50 ms for 30 s keep the read timeout from firing; the first-token limit
    still ends the request, says so, and hangs up on the server."""
    from routerlens.chat import StreamLimits

    fake.queue(CHAT, Reply(sse=[*_keepalives(30), *stream_events("late")]), method="POST")
    result = run_chat(client, SPEC, HELLO, limits=StreamLimits(first_token_s=0.5))
    assert result.failure.kind == "timeout" and result.failure.title == "No first token within 0.5 s."
    assert "ROUTERLENS_CHAT_FIRST_TOKEN_S" in result.failure.next_step and result.text == ""
    assert fake.wait_for_abort(), "the upstream request was left open"


def test_a_stream_that_stalls_after_text_is_cut_at_the_idle_limit_keeping_the_text(fake, client):
    from routerlens.chat import StreamLimits

    events = stream_events("Hello there friend")
    first_word = next(i for i, e in enumerate(events) if isinstance(e, dict) and e["choices"][0]["delta"].get("content"))
    fake.queue(CHAT, Reply(sse=[*events[:first_word + 1], *_keepalives(30), *events[first_word + 1:]]), method="POST")
    result = run_chat(client, SPEC, HELLO, limits=StreamLimits(idle_s=0.5))
    assert result.text == "Hello " and result.failure.kind == "cut"
    assert result.failure.title == "The answer stalled: no new text for 0.5 s."
    assert fake.wait_for_abort()


def test_a_cancelled_request_ends_upstream_while_waiting(fake, client):
    """The session went away (or Stop was pressed) while the first token was awaited."""
    import threading

    from routerlens.chat import ChatStream

    gone = threading.Event()
    fake.queue(CHAT, Reply(sse=[*_keepalives(30), *stream_events("late")]), method="POST")
    stream = ChatStream(client, SPEC, HELLO, cancelled=gone.is_set)
    deltas = iter(stream)
    gone.set()
    assert list(deltas) == []
    assert stream.result.failure.kind == "stopped"
    assert fake.wait_for_abort()


def test_closing_the_stream_mid_answer_hangs_up(fake, client):
    """The consumer (the page) stops reading mid-answer: closing the stream closes the request."""
    from routerlens.chat import ChatStream

    events = stream_events("one two three four five six")
    fake.queue(CHAT, Reply(sse=events, chunk_delay=0.05), method="POST")
    stream = ChatStream(client, SPEC, HELLO)
    deltas = iter(stream)
    assert next(deltas) == "one "
    stream.close()
    assert stream.result.failure.kind == "stopped" and stream.result.text == "one "
    assert fake.wait_for_abort()
