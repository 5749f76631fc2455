"""The fault and bad-input table (docs/faults.md), one or more tests per row.

Faults are produced for real: a loopback server that drops connections or answers with
OpenRouter's error bodies (tests/fakeserver.py), a listening socket whose accept queue is full
(connect timeout), a ``.invalid`` host name (DNS failure, RFC 2606 guarantees it never resolves).
Each fault is checked where it matters: the client's error, the data service's fallback and, for
the user-visible ones, the page itself (AppTest: a notice, never an exception).

``test_fault_table_lists_only_existing_tests`` keeps the table and this file in step: every row
names its tests, and every named test must exist.
"""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path

import pytest
from PIL import Image

from routerlens import images
from routerlens.client import OpenRouterClient, OpenRouterError
from routerlens.config import ApiKey, DataMode, Settings
from routerlens.provenance import Kind
from routerlens.service import DataService
from routerlens.providers import endpoints as endpoints_of
from routerlens.text import escape_markdown_text, safe_markdown
from tests.conftest import all_pages, page_text, run_app
from tests.fakeserver import Reply, error_body

ROOT = Path(__file__).resolve().parents[1]
MODEL = "openai/gpt-4o-mini"
MODELS = "/api/v1/models"
ENDPOINTS = f"/api/v1/models/{MODEL}/endpoints"
HOSTILE = ('Hi <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
           '<b onmouseover=alert(1)>bold</b> [click](javascript:alert(3))')

# Every error status OpenRouter documents (openrouter-api.md §1.9), with its typical error_type.
DOCUMENTED_ERRORS = {
    400: "invalid_request", 401: "authentication", 402: "payment_required", 403: "permission_denied",
    404: "not_found", 408: "timeout", 413: "payload_too_large", 422: "unprocessable",
    429: "rate_limit_exceeded", 500: "server", 502: "provider_unavailable", 503: "provider_overloaded",
    524: None, 529: None,
}
RETRIED = {408, 429, 500, 502, 503, 524, 529}


def settings_for(base_url: str, mode: DataMode = DataMode.AUTO, **overrides) -> Settings:
    values = dict(base_url=base_url, mode=mode, api_key=ApiKey("sk-or-v1-FAULTS-0000"), connect_timeout=1.0,
                  read_timeout=1.0, total_timeout=3.0, max_retries=2, max_retry_wait=2.0)
    values.update(overrides)
    return Settings(**values)


def client_for(base_url: str, **overrides) -> OpenRouterClient:
    return OpenRouterClient(settings_for(base_url, **overrides))


def service_for(base_url: str, mode: DataMode = DataMode.AUTO, **overrides) -> DataService:
    return DataService(settings_for(base_url, mode, **overrides))


def assert_snapshot_fallback(sourced, *, says: str) -> None:
    """Auto mode: the value came from the snapshot and the notice names the failure."""
    assert sourced.provenance.kind is Kind.SNAPSHOT
    assert sourced.value, "the snapshot value should still be shown"
    assert says in sourced.notice and "snapshot" in sourced.notice, sourced.notice


# -- network ------------------------------------------------------------------------------------


def test_network_down_client_and_service(fake):
    fake.down = True  # the server accepts and then drops every connection
    with pytest.raises(OpenRouterError) as info:
        client_for(fake.base_url).get_json("/models")
    assert info.value.kind in {"network", "timeout"}
    assert_snapshot_fallback(service_for(fake.base_url).model(MODEL), says="unavailable")


def test_connection_refused_fails_fast_then_falls_back():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    svc = service_for(f"http://127.0.0.1:{port}/api/v1")
    assert_snapshot_fallback(svc.model(MODEL), says="refused")
    # The host is remembered as unreachable: the next section does not wait another timeout.
    assert "unreachable moments ago" in endpoints_of(svc, MODEL).notice


@pytest.mark.parametrize("page", all_pages())
def test_network_down_every_page_shows_notices_not_exceptions(live_env, page):
    live_env.down = True
    at = run_app(page)
    assert not at.exception, [e.message for e in at.exception]


def test_dns_failure():
    base = "http://routerlens-fault-test.invalid/api/v1"
    with pytest.raises(OpenRouterError) as info:
        client_for(base).get_json("/models")
    assert info.value.kind == "network"
    assert "could not" in info.value.message or "DNS" in info.value.message
    assert_snapshot_fallback(service_for(base).model(MODEL), says="unavailable")


@pytest.fixture
def full_backlog():
    """A loopback port whose accept queue is full, so a new connection hangs in SYN: a real
    connect timeout without leaving the machine."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        for sock in (*fillers, listener):
            sock.close()


def test_connect_timeout(full_backlog):
    with pytest.raises(OpenRouterError) as info:
        client_for(full_backlog, connect_timeout=0.3, total_timeout=2.0).get_json("/models")
    assert info.value.kind == "network"
    assert "connect timeout" in info.value.message
    assert_snapshot_fallback(service_for(full_backlog, connect_timeout=0.3).model(MODEL), says="connect timeout")


def test_read_timeout_mid_body(fake):
    fake.set(MODELS, Reply(json={"data": []}, stall=5))  # half the body, then silence
    with pytest.raises(OpenRouterError) as info:
        client_for(fake.base_url, read_timeout=0.3, total_timeout=1.0).get_json("/models")
    assert info.value.kind == "timeout"


def test_read_timeout_before_headers_falls_back(fake):
    fake.set(MODELS, Reply(json={"data": []}, delay=5))
    svc = service_for(fake.base_url, read_timeout=0.3, total_timeout=1.0, max_retries=0)
    assert_snapshot_fallback(svc.model(MODEL), says="read timeout")


# -- HTTP errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(DOCUMENTED_ERRORS))
def test_documented_http_error(fake, status):
    """The user sees OpenRouter's own message and the status; retryable ones are retried a bounded
    number of times (Retry-After: 0 keeps this fast), the others exactly once."""
    message = f"documented failure {status}"
    fake.set(MODELS, Reply(status=status, json=error_body(status, message, DOCUMENTED_ERRORS[status]),
                           headers={"Retry-After": "0"}))
    with pytest.raises(OpenRouterError) as info:
        client_for(fake.base_url, max_retries=2).get_json("/models")
    error = info.value
    assert error.status == status and error.message == message
    assert error.error_type == DOCUMENTED_ERRORS[status]
    assert error.short() == f"HTTP {status}: {message}"
    assert len(fake.requests_to(MODELS)) == (3 if status in RETRIED else 1)
    assert_snapshot_fallback(service_for(fake.base_url, max_retries=0).model(MODEL), says=f"HTTP {status}")


@pytest.mark.parametrize("status", [401, 402, 429, 503])
def test_http_error_in_live_mode_is_a_notice_without_fallback(fake, status):
    fake.set(MODELS, Reply(status=status, json=error_body(status, "nope", DOCUMENTED_ERRORS[status])))
    listing = service_for(fake.base_url, DataMode.LIVE, max_retries=0).models()
    assert listing.value == [] and listing.provenance.kind is Kind.NONE
    assert f"HTTP {status}" in listing.notice and "Auto" in listing.notice


def test_source_down_is_not_called_an_unknown_model(live_env, monkeypatch):
    """Live mode with every route failing: the page says the source failed and how to get data,
    not "pick another model" (the id is fine)."""
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "live")
    live_env.fail_everything(Reply(status=503, json=error_body(503, "overloaded", "provider_overloaded"),
                                   headers={"Retry-After": "0"}))
    at = run_app("pages/activity.py")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "model list could not be loaded" in errors and "HTTP 503" in errors and "Offline" in errors
    assert "Pick another model" not in errors


def test_an_id_missing_from_a_loaded_list_is_called_unknown(live_env):
    at = run_app("pages/activity.py", query={"model": "nobody/nothing-9000"})
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "is in the model list" in errors and "Pick another model" in errors


def test_a_refused_key_says_so_and_where_to_fix_it(live_env, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-wrong-key-000000")
    live_env.set(ENDPOINTS, Reply(status=401, json=error_body(401, "User not found", "authentication")))
    at = run_app("pages/providers.py")
    assert not at.exception
    text = page_text(at)
    assert "OpenRouter refused the API key (HTTP 401: User not found)" in text and "sidebar" in text
    assert "sk-or-v1-wrong-key" not in text


def test_transient_error_then_success_shows_live_data(fake):
    fake.queue(MODELS, Reply(status=503, json=error_body(503, "overloaded", "provider_overloaded"),
                             headers={"Retry-After": "0"}))
    model = service_for(fake.base_url).model(MODEL)
    assert model.provenance.kind is Kind.LIVE and model.notice is None


def test_error_without_openrouter_body_still_reads(fake):
    fake.set(MODELS, Reply(status=502, body=b"<html>Bad gateway</html>"))
    with pytest.raises(OpenRouterError) as info:
        client_for(fake.base_url, max_retries=0).get_json("/models")
    assert info.value.short() == "HTTP 502: Bad Gateway"


def test_http_error_on_the_page_is_a_notice(live_env):
    live_env.fail_everything(Reply(status=402, json=error_body(402, "Insufficient credits", "payment_required")))
    at = run_app()
    assert not at.exception
    text = re.sub(r"\\(.)", r"\1", page_text(at))  # the page-wide status escapes the server's words
    assert "HTTP 402: Insufficient credits" in text and "snapshot" in text


# -- malformed and odd payloads -----------------------------------------------------------------


@pytest.mark.parametrize("body", [b'{"data": [', b"not json at all", b"\xff\xfe\x00garbage"])
def test_malformed_json(fake, body):
    fake.set(MODELS, Reply(body=body))
    with pytest.raises(OpenRouterError) as info:
        client_for(fake.base_url).get_json("/models")
    assert info.value.kind == "parse" and "malformed JSON" in info.value.message
    assert_snapshot_fallback(service_for(fake.base_url).model(MODEL), says="malformed JSON")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_not_json_but_a_failed_fetch(fake, constant):
    """Python's parser accepts NaN/Infinity; JSON does not. Such a body is a failed fetch: Auto
    falls back to the snapshot, Live says so, and nothing is shown under a Live badge."""
    raw = fake.routes[("GET", ENDPOINTS)].json
    import json as _json

    body = _json.dumps(raw).replace('"uptime_last_30m": 99.', f'"uptime_last_30m": {constant}, "x": 99.', 1)
    assert constant in body
    fake.set(ENDPOINTS, Reply(body=body.encode()))
    auto = endpoints_of(service_for(fake.base_url), MODEL)
    assert_snapshot_fallback(auto, says="non-finite number")
    live = endpoints_of(service_for(fake.base_url, DataMode.LIVE), MODEL)
    assert live.value == [] and live.provenance.kind is not Kind.LIVE and "malformed JSON" in live.notice


def test_non_finite_numbers_in_a_live_page_are_never_shown_as_live(live_env):
    import json as _json

    body = _json.dumps(live_env.routes[("GET", ENDPOINTS)].json).replace(
        '"uptime_last_30m": 99.', '"uptime_last_30m": NaN, "x": 99.', 1)
    assert "NaN" in body
    live_env.set(ENDPOINTS, Reply(body=body.encode()))
    at = run_app("pages/providers.py")
    assert not at.exception
    text = page_text(at)
    assert "non-finite number NaN" in text and "No provider serves this model right now" not in text


@pytest.mark.parametrize("payload", [{"data": "oops"}, [1, 2, 3], {"unexpected": True}, None])
def test_wrong_shape_payload_falls_back(fake, payload):
    """Whatever the envelope, the model is still found (in the snapshot) and the page says why."""
    fake.set_json(MODELS, payload)
    model = service_for(fake.base_url).model(MODEL)
    assert model.value is not None and model.value.id == MODEL
    assert model.provenance.kind is Kind.SNAPSHOT and model.notice


def _patch_model(fake, **fields) -> dict:
    payload = fake.routes[("GET", MODELS)].json
    for model in payload["data"]:
        if model["id"] == MODEL:
            model.update(fields)
            return model
    raise AssertionError("fixture lacks the default model")


def test_unknown_fields_and_nulls_are_unknown_not_zero(live_env):
    model = _patch_model(live_env, context_length=None, top_provider=None, knowledge_cutoff=None,
                         brand_new_field={"nested": [1, None]}, created=None)
    model["pricing"]["prompt"] = None
    model["pricing"]["future_price_kind"] = "0.5"
    at = run_app()
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Context"] == "unknown"
    assert metrics["Input price"] == "unknown"
    assert metrics["Output price"] == "$0.60/M"  # siblings of a null survive
    assert "Live ·" in page_text(at)


def test_nulls_in_every_endpoint_field_are_skipped_or_unknown(fake):
    payload = fake.routes[("GET", ENDPOINTS)].json
    payload["data"]["endpoints"].append({key: None for key in payload["data"]["endpoints"][0]})
    payload["data"]["endpoints"].append("not an object")
    endpoints = endpoints_of(service_for(fake.base_url), MODEL)
    assert endpoints.provenance.kind is Kind.LIVE
    assert {"OpenAI", "Azure"} <= {e.provider_name for e in endpoints.value}


def test_empty_provider_list(live_env):
    live_env.routes[("GET", ENDPOINTS)].json["data"]["endpoints"] = []
    endpoints = endpoints_of(service_for(live_env.base_url), MODEL)
    assert endpoints.value == [] and endpoints.provenance.kind is Kind.LIVE and endpoints.notice is None
    at = run_app()
    assert not at.exception
    assert "No provider serves this model right now." in page_text(at)
    for page in ("pages/providers.py", "pages/pricing.py", "pages/performance.py", "pages/uptime.py"):
        at = run_app(page)
        assert not at.exception, (page, [e.message for e in at.exception])


def test_model_id_that_does_not_exist_service(fake):
    svc = service_for(fake.base_url)
    model = svc.model("nobody/nothing-9000")
    assert model.value is None and "nobody/nothing-9000" in model.notice
    endpoints = endpoints_of(svc, "nobody/nothing-9000")
    assert endpoints.value == [] and "HTTP 404" in endpoints.notice


def test_model_id_that_does_not_exist_page():
    """The default page says so (every page is checked in a real browser:
    tests/browser/test_pages_browser.py::test_unknown_model_every_page_in_browser; AppTest cannot
    switch pages while the model selectbox holds a value outside its options)."""
    at = run_app(query={"model": "nobody/nothing-9000"})
    assert not at.exception, [e.message for e in at.exception]
    assert any("nobody/nothing-9000" in e.value for e in at.error)


# -- the playground's stream (routerlens/chat.py against tests/fake_chat.py) ----------------------


def chat(fake, *, read_timeout: float = 2.0, **options):
    from routerlens.chat import run_chat
    from routerlens.routing import RequestSpec

    client = client_for(fake.base_url, read_timeout=read_timeout, total_timeout=read_timeout + 1)
    try:
        return run_chat(client, RequestSpec(MODEL, max_tokens=64), [{"role": "user", "content": "hi"}], **options)
    finally:
        client.close()


@pytest.mark.parametrize("status", sorted(DOCUMENTED_ERRORS))
def test_chat_documented_http_error(fake, status):
    """Before the first token an error is an HTTP status with OpenRouter's body: the user gets a
    title with a next step and the server's own words; nothing is lost or raised."""
    from tests.fake_chat import CHAT, error_reply

    message = f"chat failure {status}"
    fake.queue(CHAT, error_reply(status, message, DOCUMENTED_ERRORS[status]), method="POST")
    result = chat(fake)
    assert not result.ok and result.failure is not None
    assert result.failure.detail == message
    assert result.failure.next_step
    assert len(fake.requests_to(CHAT, "POST")) == 1  # a paid request is never silently re-sent


def test_chat_truncated_stream(fake):
    from tests.fake_chat import CHAT, stream_reply

    fake.queue(CHAT, stream_reply("one two three four five", cut_after=3), method="POST")
    result = chat(fake)
    assert result.text == "one two three "  # what arrived is kept
    assert result.failure.kind == "cut" and "cut off" in result.failure.title


def test_chat_midstream_error(fake):
    from tests.fake_chat import CHAT, stream_reply

    error = {"code": 502, "message": "Provider disconnected", "metadata": {"error_type": "provider_unavailable"}}
    fake.queue(CHAT, stream_reply("one two three four", error=error, error_after=2), method="POST")
    result = chat(fake)
    assert result.text == "one two "
    assert result.failure.kind == "midstream" and result.failure.detail == "Provider disconnected"


def test_chat_malformed_stream_events_are_skipped(fake):
    from tests.fake_chat import CHAT, stream_events

    events = stream_events("fine answer")
    events.insert(3, "data: {not json")
    fake.queue(CHAT, Reply(sse=events), method="POST")
    result = chat(fake)
    assert result.ok and result.text == "fine answer"


def test_chat_slow_stream_is_measured_not_cut(fake):
    """Keep-alives and slow chunks (each within the read timeout) still make a complete answer,
    and the time to first token includes the wait."""
    from tests.fake_chat import CHAT, stream_reply

    reply = stream_reply("slow but sure", chunk_delay=0.05)
    reply.stall = 0.3
    fake.queue(CHAT, reply, method="POST")
    result = chat(fake, read_timeout=1.0)
    assert result.ok and result.text == "slow but sure"
    assert result.ttft_s >= 0.3 and result.total_s >= result.ttft_s


def test_chat_stalled_stream_times_out_keeping_text(fake):
    from tests.fake_chat import CHAT, stream_events

    events = stream_events("one two three")
    events.insert(5, ("sleep", 5))
    fake.queue(CHAT, Reply(sse=events), method="POST")
    result = chat(fake, read_timeout=0.4)
    assert result.text and not result.ok
    assert result.failure.kind in {"timeout", "cut"}


def test_chat_network_down_and_dns():
    from routerlens.chat import run_chat
    from routerlens.routing import RequestSpec

    for base in ("http://routerlens-fault-test.invalid/api/v1", "http://127.0.0.1:9/api/v1"):
        result = run_chat(client_for(base), RequestSpec(MODEL), [{"role": "user", "content": "hi"}])
        assert result.failure.kind == "network", (base, result.failure)


# -- prompts and images -------------------------------------------------------------------------


@pytest.fixture
def playground_env(live_env, monkeypatch):
    """The playground against the loopback server with a host key shared for the playground."""
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-FAULTS-PLAYGROUND")
    monkeypatch.setenv("ROUTERLENS_SHARED_KEY_PLAYGROUND", "1")
    return live_env


def _send(prompt: str):
    at = run_app("pages/playground.py")
    at.chat_input[0].set_value(prompt).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("prompt", ["", "   \n\t  "])
def test_prompt_empty_or_whitespace_is_not_sent(playground_env, prompt):
    from tests.fake_chat import CHAT

    at = _send(prompt)
    assert any("empty message is not sent" in w.value for w in at.warning)
    assert not playground_env.requests_to(CHAT, "POST")


def test_prompt_of_one_megabyte_is_kept_and_the_refusal_explained(playground_env):
    """1 MB of text is far over gpt-4o-mini's context. OpenRouter answers 400
    context_length_exceeded; the user sees why, and their message is still there."""
    from tests.fake_chat import CHAT, error_reply

    playground_env.queue(CHAT, error_reply(400, "This endpoint's maximum context length is 128000 tokens",
                                           "context_length_exceeded"), method="POST")
    prompt = "lorem ipsum " * (1024 * 1024 // 12)
    at = _send(prompt)
    sent = playground_env.requests_to(CHAT, "POST")
    assert len(sent) == 1 and sent[0].body["messages"][-1]["content"] == prompt.strip()
    text = page_text(at)
    assert "maximum context length" in text and "(400)" in text
    assert [m.name for m in at.chat_message][:1] == ["user"]  # the prompt is not lost




def _png(size=(8, 8), mode="RGB", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def test_image_corrupt():
    good = _png((64, 64))
    for label, data in {"truncated": good[: len(good) // 2], "garbage": b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
                        "empty": b""}.items():
        with pytest.raises(images.ImageRejected) as info:
            images.prepare_upload(f"{label}.png", data)
        assert f"{label}.png" in str(info.value)


def test_image_huge_bytes_refused():
    data = _png((16, 16)) + b"\x00" * (images.HARD_MAX_BYTES + 1)
    with pytest.raises(images.ImageRejected, match="not sent"):
        images.prepare_upload("huge.png", data)


def test_image_huge_pixels_downscaled_or_refused():
    big = _png((4000, 3000))
    sent = images.prepare_upload("big.png", big, downscale=True)
    assert sent.downscaled and max(sent.width, sent.height) <= images.SEND_MAX_SIDE
    with pytest.raises(images.ImageRejected, match="Downscale"):
        images.prepare_upload("big.png", big, downscale=False)


@pytest.mark.parametrize("name,data,says", [
    ("notes.png", b"just some text, renamed to .png", "not a readable image"),
    ("photo.bmp", _png(fmt="BMP"), "only PNG, JPEG, WEBP and GIF"),
    ("photo.tiff", _png(fmt="TIFF"), "only PNG, JPEG, WEBP and GIF"),
])
def test_image_wrong_type(name, data, says):
    with pytest.raises(images.ImageRejected, match=says):
        images.prepare_upload(name, data)


@pytest.mark.parametrize("data", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
])
def test_image_svg_refused(data):
    with pytest.raises(images.ImageRejected, match="SVG"):
        images.prepare_upload("drawing.svg", data)
    with pytest.raises(images.ImageRejected, match="SVG"):
        images.prepare_url("https://example.com/drawing.svg")


def test_image_good_one_is_sent_as_data_url():
    sent = images.prepare_upload("ok.png", _png())
    assert sent.url.startswith("data:image/png;base64,") and (sent.width, sent.height) == (8, 8)


# -- untrusted text -----------------------------------------------------------------------------


def test_description_html_is_text_everywhere():
    for rendered in (safe_markdown(HOSTILE), escape_markdown_text(HOSTILE)):
        assert "<script" not in rendered and "<img" not in rendered and "<b " not in rendered
        assert "javascript:" not in rendered
        assert "&lt;script&gt;" in rendered


def test_description_html_on_the_page_is_text(live_env):
    """AppTest sees the Markdown the page sends: the description is escaped before it leaves the
    server. (What the browser shows and runs is checked in tests/browser.)"""
    _patch_model(live_env, description=HOSTILE)
    at = run_app()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "&lt;script&gt;" in shown
    assert "<script" not in shown and "<img" not in shown and "<b " not in shown
    assert "javascript:" not in shown


def test_app_names_with_html_are_text():
    name = '<a href="javascript:alert(1)">Evil</a><script>steal()</script> Cline'
    shown = escape_markdown_text(name)
    assert "<" not in shown and "](" not in shown  # no tag, no Markdown link survives
    assert "&lt;script&gt;" in shown and "Cline" in shown


# -- the table itself ---------------------------------------------------------------------------


def test_fault_table_lists_only_existing_tests():
    table = (ROOT / "docs" / "faults.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Fault")
            and not set(line) <= set("|- :")]
    assert len(rows) >= 20
    defined: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), flags=re.M))
    for row in rows:
        named = re.findall(r"`(test_\w+)`", row)
        assert named, f"row without a test: {row}"
        missing = [name for name in named if name not in defined]
        assert not missing, f"{row.split('|')[1].strip()}: tests not found: {missing}"


def test_live_mode_shows_bundled_data_only_in_the_documented_sections(live_env, monkeypatch):
    """Every page in Live mode: each section that is served from the bundled snapshot (no live
    route publishes it) is one the README and the sidebar help name, with why."""
    import re as _re

    from components.context import MODE_HELP
    from routerlens.snapshot import BUNDLED_ONLY

    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "live")
    asked: list = []
    original = DataService.get

    def recording_get(self, want):
        asked.append(want)
        return original(self, want)

    original_captures = DataService.captures

    def recording_captures(self, want):
        asked.append(want)
        return original_captures(self, want)

    monkeypatch.setattr(DataService, "get", recording_get)
    monkeypatch.setattr(DataService, "captures", recording_captures)
    for page in all_pages():
        at = run_app(page)
        assert not at.exception, (page, [e.message for e in at.exception])
    bundled_only = {want.what for want in asked if not want.live and want.bundled is not None}
    assert bundled_only, "the pages ask for no bundled-only section at all?"
    undocumented = [what for what in bundled_only if not any(what.startswith(item.what) for item in BUNDLED_ONLY)]
    assert undocumented == [], f"bundled-only sections missing from routerlens.snapshot.BUNDLED_ONLY: {undocumented}"
    stale = [item.what for item in BUNDLED_ONLY if not any(what.startswith(item.what) for what in bundled_only)]
    assert stale == [], f"documented as bundled-only but no page asks for it: {stale}"
    readme = _re.sub(r"\s+", " ", (ROOT / "README.md").read_text())
    for item in BUNDLED_ONLY:
        assert item.section in readme and item.why in readme, item
        assert item.section in MODE_HELP


def test_a_struggling_host_is_asked_once_per_route_and_left_alone_for_its_retry_after(live_env):
    """Every route answers 503 with Retry-After: 4. The page falls back section by section without
    queueing behind the host: no route is asked twice, most are not asked at all once the host
    has said it is struggling, and another session within the wait asks nothing."""
    live_env.fail_everything(Reply(status=503, json=error_body(503, "overloaded", "provider_overloaded"),
                                   headers={"Retry-After": "4"}))
    at = run_app("pages/performance.py")
    assert not at.exception
    asked = [(r.path, tuple(sorted((k, tuple(v)) for k, v in r.query.items()))) for r in live_env.requests]
    assert asked and len(asked) == len(set(asked)), "a route was asked twice in one render"
    text = page_text(at)
    assert "HTTP 503" in text and "asking again in" in text and "Snapshot" in text
    live_env.clear_requests()
    again = run_app("pages/uptime.py")  # another session, within the Retry-After
    assert not again.exception and live_env.requests == []


@pytest.mark.parametrize("mode", ["auto", "live"])
def test_a_page_has_a_deadline_when_every_route_hangs(live_env, monkeypatch, mode):
    """Every route holds its answer back for 30 s. With a 2-second page budget the page (run
    through app.py, which holds the budget) finishes well inside AppTest's own 20-second limit,
    which would fail the test: what is not live by the deadline falls back in Auto and says it
    ran out of time in Live."""
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", mode)
    monkeypatch.setenv("ROUTERLENS_PAGE_BUDGET", "2")
    monkeypatch.setenv("ROUTERLENS_TIMEOUT", "60")
    live_env.fail_everything(Reply(delay=30.0, json={"data": []}))
    at = run_app(timeout=20)  # AppTest's switch_page runs a page file alone, outside app.py
    assert not at.exception
    text = page_text(at)
    assert "time budget" in text
    if mode == "auto":
        assert "Snapshot · as of" in text


def test_one_route_is_fetched_once_however_many_wait_for_it(fake):
    """Sections (or sessions) asking for the same route while it is in flight share one request."""
    import concurrent.futures as cf

    fake.set(MODELS, Reply(delay=0.5, json=fake.routes[("GET", MODELS)].json))
    service = service_for(fake.base_url)
    from routerlens import routes as _routes

    with cf.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: service.live_get(_routes.models()), range(8)))
    assert all(not isinstance(r, OpenRouterError) for r in results)
    assert len(fake.requests_to(MODELS)) == 1


def test_a_slow_answer_is_announced_while_the_page_waits(fake):
    """Past a short wait, the page is told what it waits for (and what the host last did wrong
    while being retried); a fast answer is never announced."""
    from routerlens import routes as _routes
    from routerlens.service import page_budget

    said: list = []
    fake.queue(MODELS, Reply(status=503, json=error_body(503, "overloaded", "provider_overloaded"),
                             headers={"Retry-After": "1"}))
    service = service_for(fake.base_url)
    with page_budget(10, waiting=said.append):
        result = service.live_get(_routes.models())
        service.live_get(_routes.providers())  # fast: no notice
    assert not isinstance(result, OpenRouterError)
    assert said[0].startswith("Waiting for OpenRouter: GET /api/v1/models")
    assert "it answered HTTP 503: overloaded; retrying in 1 s" in said[0]
    assert said[1:] == [None]


def test_the_page_budget_keeps_time_to_draw_the_fallback(fake):
    """The budget is for the whole page: waiting for live answers ends early enough to draw what
    the page falls back to (a third of the budget, at most 2 s), not at the budget itself."""
    from routerlens.service import DRAW_ALLOWANCE_MAX_S, draw_allowance, page_budget

    service = service_for(fake.base_url)
    with page_budget(4):
        assert 2.2 < service._budget_left() <= 4 - 4 / 3  # a third of a 4-second budget is for drawing
    with page_budget(20):
        assert service._budget_left() <= 20 - DRAW_ALLOWANCE_MAX_S
    assert draw_allowance(0) == 0 and draw_allowance(3) == 1.0 and draw_allowance(60) == DRAW_ALLOWANCE_MAX_S == 2.0
