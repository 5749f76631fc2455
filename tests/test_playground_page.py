"""AppTest of the playground page: the chat flow (text and uploaded images), routing modes,
refusals that send nothing, errors that keep the conversation, compare mode, limits, and the key
never showing up anywhere.

AppTest does not see the sidebar after ``switch_page`` (nor does typing into it reach the app),
so the key is given the way a host gives it: ``OPENROUTER_API_KEY`` plus the opt-in
``ROUTERLENS_SHARED_KEY_PLAYGROUND=1``. A key typed into the sidebar is exercised through
``AppTest.from_function`` with a context whose ``key_source`` is "sidebar".
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.context import _CTX_KEY
from components.playground_state import SLOT, PlaygroundSession
from components.playground_tools import MARKS
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.tools import EXAMPLE_TOOLS
from tests.conftest import page_text, run_app
from tests.fake_chat import CHAT, error_reply, stream_reply
from tests.fakeserver import Reply
from tests.test_images import png_bytes

PAGE = "pages/playground.py"
KEY = f"sk-or-v1-{uuid.uuid4().hex}"
"""Made at run time, so finding it in any file under the repository means the app wrote it there."""


@pytest.fixture
def keyed(live_env, monkeypatch):
    """Live against the fake server with a host key shared for the playground."""
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    monkeypatch.setenv("ROUTERLENS_SHARED_KEY_PLAYGROUND", "1")
    monkeypatch.setenv("ROUTERLENS_PLAYGROUND_RPM", "50")
    return live_env


def posts(fake) -> list:
    return fake.requests_to(CHAT, "POST")


def send(at, text: str, *files: tuple[str, bytes, str]):
    chat = at.chat_input[0]
    for name, data, mime in files:
        chat.upload(name, data, mime)
    chat.set_value(text)
    return at.run()


def open_tab(at, label: str):
    """Open one of the playground's tabs (only the open one is drawn), as a click on it does."""
    at.session_state["pg_tab"] = label
    return at.run()


def messages(at) -> list[tuple[str, str]]:
    out = []
    for block in at.chat_message:
        texts = [m.value for m in block.markdown if not m.value.startswith(":")]
        out.append((block.name, " ".join(texts)))
    return out


def warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


# --- without a usable key -----------------------------------------------------------------------------

def test_offline_page_is_usable_up_to_the_send():
    at = run_app(PAGE)
    assert not at.exception
    text = page_text(at)
    assert "Offline" in text and "nothing is sent" in text
    assert "Which provider each mode would most likely pick right now" in text
    assert "Snapshot · as of" in text
    assert "Message GPT-4o-mini…" == at.chat_input[0].proto.placeholder
    spec = at.session_state["playground"].spec
    assert isinstance(spec, RequestSpec) and spec.mode is RoutingMode.BALANCED and spec.model == "openai/gpt-4o-mini"
    send(at, "hello")
    assert "Not sent" in warnings(at) and "Offline" in warnings(at)
    assert at.chat_message.len == 0


def test_no_key_says_how_to_get_one_and_sends_nothing(live_env):
    at = run_app(PAGE)
    assert any("openrouter.ai/keys" in i.value for i in at.info)
    send(at, "hello")
    assert "Not sent" in warnings(at) and "openrouter.ai/keys" in warnings(at)
    assert "hello" in [c.value for c in at.code]  # the typed text is kept to copy back
    assert posts(live_env) == []


def test_host_key_without_opt_in_is_not_used(live_env, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    at = run_app(PAGE)
    send(at, "hello")
    assert "has not shared it" in warnings(at)
    assert posts(live_env) == []


# --- the chat flow --------------------------------------------------------------------------------------

def test_text_prompt_streams_answer_with_measurements(keyed):
    at = run_app(PAGE)
    assert any("shared key" in c.value for c in at.caption)
    send(at, "Hello there")
    assert not at.exception
    assert messages(at) == [("user", "Hello there"), ("assistant", "Echo: Hello there")]
    captions = " ".join(c.value for c in at.chat_message[1].caption)
    assert "Served by OpenAI (Balanced)" in captions
    assert "TTFT" in captions and "tok/s end-to-end" in captions and "tok/s after first token" in captions
    assert "tokens in 12 / out 3 (cached 0, reasoning 0)" in captions
    assert "cost $0.0000036" in captions and "id gen-test-" in captions
    assert "published median" in captions
    body = posts(keyed)[-1].body
    assert body["model"] == "openai/gpt-4o-mini" and body["stream"] is True
    assert body["max_tokens"] == 512, "the host's cap on its shared key"
    assert posts(keyed)[-1].headers["x-openrouter-title"] == "RouterLens"
    log = at.session_state["playground"].log
    assert len(log) == 1 and log[0]["Mode"] == "Balanced" and log[0]["Outcome"] == "ok"
    # a follow-up carries the history
    send(at, "And again")
    assert [m["role"] for m in posts(keyed)[-1].body["messages"]] == ["user", "assistant", "user"]
    assert len(at.chat_message) == 4


def test_uploaded_images_are_sent_as_data_urls_and_previewed(keyed):
    at = run_app(PAGE)
    send(at, "What is in these?", ("a.png", png_bytes(10, 10), "image/png"),
         ("b.jpg", png_bytes(12, 8, fmt="JPEG"), "image/jpeg"))
    assert not at.exception
    content = posts(keyed)[-1].body["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "What is in these?"}
    assert [p["image_url"]["url"][:22] for p in content[1:]] == ["data:image/png;base64,", "data:image/jpeg;base64"]
    assert messages(at)[1] == ("assistant", "Echo: What is in these? [2 image(s) received]")
    previews = at.chat_message[0].get("image")
    assert len(previews) == 2
    assert previews[0].captions[0].startswith("a.png · 10×10")
    assert previews[1].captions[0].startswith("b.jpg · 12×8")


def test_image_by_url(keyed):
    at = run_app(PAGE)
    at.text_area(key="pg_urls").set_value("https://example.com/cat.jpg")
    send(at, "Describe it")
    part = posts(keyed)[-1].body["messages"][-1]["content"][1]
    assert part["image_url"]["url"] == "https://example.com/cat.jpg"
    assert at.text_area(key="pg_urls").value == "", "the addresses are used once"


@pytest.mark.parametrize("text, files, reason", [
    ("What is this?", [("broken.png", png_bytes(40, 40)[:60], "image/png")], "broken.png"),
    ("What is this?", [("huge.png", png_bytes(8, 8) + b"\0" * (30 * 1024 * 1024), "image/png")], "30.0 MB"),
    ("   ", [], "empty message"),
    ("", [("ok.png", png_bytes(8, 8), "image/png")], "about the image"),
])
def test_bad_input_is_refused_and_nothing_is_sent(keyed, text, files, reason):
    at = run_app(PAGE)
    send(at, text, *files)
    assert not at.exception
    assert "Not sent" in warnings(at) and reason in warnings(at)
    assert posts(keyed) == []
    assert at.chat_message.len == 0


def test_svg_url_is_refused(keyed):
    at = run_app(PAGE)
    at.text_area(key="pg_urls").set_value("https://example.com/logo.svg")
    send(at, "Describe it")
    assert "SVG" in warnings(at) and posts(keyed) == []


# --- routing modes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode, model, provider", [
    (RoutingMode.NITRO, "openai/gpt-4o-mini:nitro", None),
    (RoutingMode.EXACTO, "openai/gpt-4o-mini:exacto", None),
    (RoutingMode.FLOOR, "openai/gpt-4o-mini:floor", None),
    (RoutingMode.PINNED, "openai/gpt-4o-mini", {"order": ["azure"], "allow_fallbacks": False}),
])
def test_routing_mode_changes_the_request(keyed, mode, model, provider):
    at = run_app(PAGE)
    at.button_group(key="pg_mode").set_value(mode).run()
    if mode is RoutingMode.PINNED:
        at.selectbox(key="pg_pinned").set_value("azure").run()
    assert mode.explanation in " ".join(c.value for c in at.caption)
    assert at.session_state["playground"].spec.model == model
    send(at, "Hi")
    body = posts(keyed)[-1].body
    assert body["model"] == model and body.get("provider") == provider
    captions = " ".join(c.value for c in at.chat_message[1].caption)
    assert f"({mode.label})" in captions
    if mode is RoutingMode.PINNED:
        assert "Served by Azure" in captions


def test_settings_reach_the_request(keyed):
    at = run_app(PAGE)
    at.text_area(key="pg_system").set_value("Be brief.")
    at.number_input(key="pg_temperature").set_value(0.2)
    at.number_input(key="pg_max_tokens").set_value(100)
    at.text_input(key="pg_stop").set_value("END, STOP")
    at.run()
    send(at, "Hi")
    body = posts(keyed)[-1].body
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["temperature"] == 0.2 and body["max_tokens"] == 100 and body["stop"] == ["END", "STOP"]
    assert "top_p" not in body, "unset parameters are left to the provider"


# --- errors -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reply, words", [
    (error_reply(401, "User not found.", "authentication"), "API key was refused"),
    (error_reply(402, "Insufficient credits", "payment_required"), "no credits"),
    (error_reply(403, "Flagged", "permission_denied", reasons=["violence"]), "violence"),
    (error_reply(404, "No endpoints found", "not_found"), "no such model"),
    (error_reply(408, "Timed out", "timeout"), "timed out"),
    (error_reply(429, "Rate limit exceeded", retry_after="7"), "Wait 7 s"),
    (error_reply(503, "No available provider", "provider_overloaded"), "(503)"),
    (stream_reply("one two three", cut_after=2), "cut off"),
    (stream_reply("one two three", error={"code": 502, "message": "Upstream died"}, error_after=1), "mid-stream"),
])
def test_errors_show_in_the_conversation_which_survives(keyed, reply, words):
    at = run_app(PAGE)
    send(at, "First")
    keyed.queue(CHAT, reply, method="POST")
    send(at, "Second")
    assert not at.exception
    errors = " ".join(e.value for e in at.chat_message[3].error)
    assert words in errors
    assert messages(at)[:3] == [("user", "First"), ("assistant", "Echo: First"), ("user", "Second")]
    # the server recovers: the next prompt works, and what is sent is a valid conversation by the
    # rule the chat states: a question with no answer is left out, a cut-off answer kept as it came
    send(at, "Third")
    assert messages(at)[-1] == ("assistant", "Echo: Third")
    sent = posts(keyed)[-1].body["messages"]
    partial = words in ("cut off", "mid-stream")
    assert [m["role"] for m in sent] == ["user", "assistant"] * (2 if partial else 1) + ["user"]
    assert [m["content"] for m in sent if m["role"] == "user"] == (["First", "Second", "Third"] if partial
                                                                  else ["First", "Third"])
    captions = " ".join(c.value for c in at.caption)
    assert ("Cut off: sent to the model as far as it came." if partial else
            "Left out of what the model is sent: this question got no answer.") in captions
    assert "What the model is sent:" in captions


def test_network_down_then_retry(keyed):
    at = run_app(PAGE)
    keyed.queue(CHAT, Reply(drop=True), method="POST")
    send(at, "Hello")
    assert "Could not reach OpenRouter" in " ".join(e.value for e in at.error)
    at.button(key="pg_retry_btn").click().run()
    assert messages(at) == [("user", "Hello"), ("assistant", "Echo: Hello")], "the failed answer was replaced"
    assert len(posts(keyed)) == 2


def test_clear_and_exports(keyed):
    at = run_app(PAGE)
    send(at, "Hello")
    assert not at.get("download_button")[0].proto.disabled
    at.button(key="pg_clear").click().run()
    assert at.chat_message.len == 0
    assert len(at.session_state["playground"].log) == 1, "the measurement log outlives the conversation"


def test_shared_key_rate_limit(keyed, monkeypatch):
    monkeypatch.setenv("ROUTERLENS_PLAYGROUND_RPM", "1")
    at = run_app(PAGE)
    send(at, "One")
    send(at, "Two")
    assert "1 requests per minute per visitor" in warnings(at) and "Wait" in warnings(at)
    assert len(posts(keyed)) == 1
    assert messages(at)[:2] == [("user", "One"), ("assistant", "Echo: One")]


def test_shared_key_limit_is_not_reset_by_a_reload(keyed, monkeypatch):
    """A new session (a reload, a second tab) of the same visitor gets no fresh allowance."""
    monkeypatch.setenv("ROUTERLENS_PLAYGROUND_RPM", "1")
    send(run_app(PAGE), "One")
    reloaded = run_app(PAGE)
    send(reloaded, "Two")
    assert "per visitor" in warnings(reloaded) and len(posts(keyed)) == 1


def test_shared_key_daily_budget_is_spent_and_then_refused(keyed, monkeypatch):
    """The fake server reports each answer's cost; once the day's dollars are used, the shared key
    says so, with when it resets, in every session."""
    monkeypatch.setenv("ROUTERLENS_PLAYGROUND_DAILY_USD", "0.000001")
    at = run_app(PAGE)
    assert "per day in all" in " ".join(c.value for c in at.caption)
    send(at, "One")
    assert messages(at)[1] == ("assistant", "Echo: One")
    other = run_app(PAGE)
    send(other, "Two")
    assert "daily budget" in warnings(other) and "resets at 00:00 UTC" in warnings(other)
    assert len(posts(keyed)) == 1


# --- compare modes --------------------------------------------------------------------------------------------

def test_compare_modes_side_by_side(keyed):
    at = open_tab(run_app(PAGE), "Compare modes")
    at.text_area(key="pg_cmp_prompt").set_value("Same question")
    at.button(key="pg_cmp_send").click().run()
    assert not at.exception
    models = sorted(r.body["model"] for r in posts(keyed))
    assert models == ["openai/gpt-4o-mini", "openai/gpt-4o-mini:exacto", "openai/gpt-4o-mini:nitro"]
    text = page_text(at)
    for label in ("**Balanced**", "**Nitro**", "**Exacto**"):
        assert label in text
    assert text.count("Echo: Same question") >= 3
    assert [row["Mode"] for row in at.session_state["playground"].log] == ["Balanced", "Nitro", "Exacto"]
    # the Measurements tab: summary by mode, chart, CSV
    text = page_text(open_tab(at, "Measurements"))
    assert "Median TTFT (s)" in text
    assert len(at.get("vega_lite_chart")) == 1
    assert "Download CSV" in [b.label for b in at.get("download_button")]


def test_compare_refuses_empty_prompt(keyed):
    at = open_tab(run_app(PAGE), "Compare modes")
    at.button(key="pg_cmp_send").click().run()
    assert "empty prompt" in warnings(at) and posts(keyed) == []


# --- compare models ---------------------------------------------------------------------------------------------

MINI, TURBO, FOUR = "openai/gpt-4o-mini", "openai/gpt-3.5-turbo", "openai/gpt-4o"


def _per_model_answers(fake, *, failing: str | None = None, status: int = 503) -> None:
    """Each model answers in its own words (so the summary row has one longest answer);
    ``failing`` gets an error instead, while the others answer."""
    answer = fake.routes[("POST", CHAT)]

    def chat(request):
        model = (request.body or {}).get("model")
        if model == failing:
            return error_reply(status, f"No endpoints available for {model}", "provider_unavailable")
        if model == TURBO:
            return stream_reply("A longer answer from the turbo model", model=model)
        return answer(request)

    fake.set(CHAT, chat, method="POST")


def _compare_models(at, models: list[str], prompt: str = "Same question", *, urls: str = ""):
    open_tab(at, "Compare models")
    at.multiselect(key="pg_mcmp_models").set_value(models).run()
    at.text_area(key="pg_mcmp_prompt").set_value(prompt)
    at.text_area(key="pg_mcmp_urls").set_value(urls)
    at.button(key="pg_mcmp_send").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_compare_models_side_by_side_with_one_model_failing(keyed):
    _per_model_answers(keyed, failing=FOUR)
    at = open_tab(run_app(PAGE), "Compare models")
    assert at.multiselect(key="pg_mcmp_models").value == [MINI], "the sidebar's model first"
    _compare_models(at, [MINI, TURBO, FOUR])
    assert sorted(r.body["model"] for r in posts(keyed)) == sorted([MINI, TURBO, FOUR])
    assert all(r.body["stream"] is True and r.body["messages"][-1]["content"] == "Same question"
               for r in posts(keyed))
    text = page_text(at)
    assert "Echo: Same question" in text and "A longer answer from the turbo model" in text
    for header in ("**GPT-4o-mini** · `openai/gpt-4o-mini`", "**GPT-3.5 Turbo** · `openai/gpt-3.5-turbo`",
                   "**GPT-4o** · `openai/gpt-4o`"):
        assert header in text
    # the failing column says why, as the compare modes view does; the others are whole
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "(503)" in errors[0] and "No endpoints available for openai/gpt-4o" in errors[0]
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("Served by OpenAI (Balanced)") == 2 and captions.count("cost $") == 2
    # the summary row ranks the two complete answers only
    summary = [m.value for m in at.markdown if m.value.startswith(("Fastest first token:", "Cheapest:",
                                                                   "Longest answer:"))]
    assert len(summary) == 3
    assert summary[2] == "Longest answer: **GPT-3.5 Turbo** (36 characters)"
    assert "GPT-4o**" not in " ".join(summary), "a failed answer is not ranked"
    state = at.session_state[SLOT]
    assert state.model_comparison.model_ids == (MINI, TURBO, FOUR)
    assert [(row["Model sent"], row["Outcome"]) for row in state.log] == [
        (MINI, "ok"), (TURBO, "ok"), (FOUR, "provider")]


def test_compare_models_counts_each_model_against_the_shared_key(keyed, monkeypatch):
    monkeypatch.setenv("ROUTERLENS_PLAYGROUND_RPM", "3")
    at = run_app(PAGE)
    _compare_models(at, [MINI, TURBO, FOUR])
    assert len(posts(keyed)) == 3
    _compare_models(at, [MINI, TURBO])
    assert "3 requests per minute per visitor" in warnings(at) and len(posts(keyed)) == 3
    send(open_tab(at, "Chat"), "One more")  # the chat shares the allowance: three were counted, not one
    assert "per visitor" in warnings(at) and len(posts(keyed)) == 3


def test_compare_models_refuses_before_sending_and_keeps_the_prompt(keyed):
    at = run_app(PAGE)
    _compare_models(at, [MINI], "Only one")
    assert "Choose at least 2 models" in warnings(at)
    _compare_models(at, [MINI, TURBO], "   ")
    assert "empty prompt" in warnings(at)
    _compare_models(at, [MINI, TURBO], "What is in it?", urls="https://example.com/cat.jpg")
    assert "GPT-3.5 Turbo does not accept images" in warnings(at)
    assert "What is in it?\nhttps://example.com/cat.jpg" in [c.value for c in at.code]
    _compare_models(at, [MINI, FOUR], "Describe it", urls="https://example.com/logo.svg")
    assert "SVG" in warnings(at)
    assert posts(keyed) == []


def test_compare_models_sends_the_images_to_each_model(keyed):
    at = run_app(PAGE)
    _compare_models(at, [MINI, FOUR], "What is in it?", urls="https://example.com/cat.jpg")
    assert len(posts(keyed)) == 2
    for request in posts(keyed):
        content = request.body["messages"][-1]["content"]
        assert content[0] == {"type": "text", "text": "What is in it?"}
        assert content[1]["image_url"]["url"] == "https://example.com/cat.jpg"
    assert page_text(at).count("[1 image(s) received]") >= 2


def test_compare_models_preselects_the_compare_pages_comparison(keyed):
    linked = open_tab(run_app(PAGE, query={"compare": f"{TURBO},{FOUR}"}), "Compare models")
    assert linked.multiselect(key="pg_mcmp_models").value == [MINI, TURBO, FOUR]
    assert "Preselected: the comparison from the Compare page." in page_text(linked)
    at = run_app("pages/compare.py", query={"model": MINI, "compare": TURBO})
    del at.query_params["compare"]  # the link is gone; the session still knows the comparison
    open_tab(at.switch_page(PAGE).run(), "Compare models")
    assert not at.exception
    assert at.multiselect(key="pg_mcmp_models").value == [MINI, TURBO]


def _compared_models_page() -> None:
    import streamlit as st

    from components.playground_state import compared_models

    st.code(repr(compared_models()))


def test_compared_models_are_read_for_the_api_page_without_creating_state():
    from components.playground_state import ModelComparison
    from routerlens.chat import Turn

    at = AppTest.from_function(_compared_models_page, default_timeout=30)
    at.run()
    assert at.code[0].value == "()" and SLOT not in at.session_state, "reading creates nothing"
    at.session_state[SLOT] = PlaygroundSession(model_comparison=ModelComparison((MINI, TURBO), Turn("user", "q"), [], []))
    at.run()
    assert at.code[0].value == repr((MINI, TURBO))


def test_api_page_offers_the_compared_models_for_its_snippet(keyed):
    at = run_app(PAGE)
    at.switch_page("pages/api.py").run()
    assert not at.exception
    with pytest.raises(KeyError):
        at.selectbox(key="api_model")  # nothing compared yet: the sidebar's model, no choice to make
    at.switch_page(PAGE).run()
    at.button_group(key="pg_mode").set_value(RoutingMode.PINNED).run()
    at.selectbox(key="pg_pinned").set_value("azure").run()
    at.number_input(key="pg_temperature").set_value(0.3).run()
    _compare_models(at, [MINI, TURBO])
    at.switch_page("pages/api.py").run()
    assert not at.exception
    box = at.selectbox(key="api_model")
    assert box.label == "Model in the snippet" and box.options == [MINI, TURBO] and box.value == MINI
    code = "\n".join(c.value for c in at.code)
    assert '"order": ["azure"]' in code, "the sidebar's model, pinned as in the playground"
    box.set_value(TURBO).run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert 'model="openai/gpt-3.5-turbo"' in code and "temperature=0.3" in code, "the playground's settings"
    assert "gpt-4o-mini" not in code
    assert '"order": ["azure"]' not in code, "a provider pinned for the sidebar's model is not carried over"
    assert at.segmented_control(key="api_mode").value is RoutingMode.BALANCED
    assert "as Compare models sends them" in page_text(at)
    at.segmented_control(key="api_mode").set_value(RoutingMode.PINNED).run()
    assert at.selectbox(key="api_pinned").options == ["openai"], "the compared model's own providers"


def test_api_page_snippets_carry_the_playgrounds_tools(keyed):
    at = tools_on(run_app(PAGE), json.dumps(list(EXAMPLE_TOOLS["Both"])))
    at.toggle(key="pg_schema_on").set_value(True).run()
    at.switch_page("pages/api.py").run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert 'if name == "get_weather":' in code and 'if name == "calculate":' in code
    assert '"role": "tool", "tool_call_id": call["id"]' in code and "answer = json.loads(text)" in code
    assert '"response_format": {' in code and '"tool_choice": "auto"' in code
    text = page_text(at)
    assert "**Tools:** `get_weather`, `calculate`" in text and "**Structured output:** `json_schema`" in text


# --- session state: one typed object in one slot --------------------------------------------------------------

def _non_widget_keys(at) -> set[str]:
    """The keys in ``st.session_state`` that no widget registered: the app's own state."""
    state = at._session_state._state  # AppTest's SessionState knows which user keys belong to widgets
    return {k for k in at.session_state.keys() if state.get_widget_id_from_key(k) is None}


def test_playground_state_is_one_object_in_one_slot_and_the_api_page_follows_it(keyed):
    at = run_app(PAGE)
    at.button_group(key="pg_mode").set_value(RoutingMode.NITRO).run()
    at.number_input(key="pg_temperature").set_value(0.3).run()
    at.text_area(key="pg_urls").set_value("https://example.com/cat.jpg")
    send(at, "Hello")
    at.button(key="pg_retry_btn").click().run()
    open_tab(at, "Compare modes")
    at.text_area(key="pg_cmp_prompt").set_value("Same question")
    at.button(key="pg_cmp_send").click().run()
    assert not at.exception
    # every kind of state was used (conversation, retry, image URLs, comparison, log, spec)...
    assert _non_widget_keys(at) - {_CTX_KEY} == {SLOT}, "no pg_turns, pg_log, request_spec, ... keys"
    state = at.session_state[SLOT]
    assert isinstance(state, PlaygroundSession)
    assert [t.role for t in state.turns] == ["user", "assistant"] and len(state.turns[0].images) == 1
    assert [row["Mode"] for row in state.log] == ["Nitro", "Nitro", "Balanced", "Nitro", "Exacto"]
    assert state.comparison.prompt == "Same question" and len(state.comparison.results) == 3
    assert state.retry is False and state.sent_urls == ""
    assert not hasattr(state, "limiter")  # the shared key's limits hold across sessions, not in one
    assert state.spec.model == "openai/gpt-4o-mini:nitro" and state.spec.temperature == 0.3
    # ... and the API page renders the spec the playground left there
    at.switch_page("pages/api.py").run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert 'model="openai/gpt-4o-mini:nitro"' in code and "temperature=0.3" in code
    assert "Playground's current settings" in page_text(at)


def test_api_page_follows_a_spec_changed_in_the_session_object(keyed):
    at = run_app(PAGE)
    at.session_state[SLOT].spec = RequestSpec("openai/gpt-4o-mini", mode=RoutingMode.EXACTO, top_p=0.5)
    at.switch_page("pages/api.py").run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert 'model="openai/gpt-4o-mini:exacto"' in code and "top_p=0.5" in code


# --- sampling placeholders: the model's own defaults, or none -------------------------------------------------

SAMPLING = {"temperature": "pg_temperature", "top_p": "pg_top_p", "frequency_penalty": "pg_frequency",
            "presence_penalty": "pg_presence"}


def placeholders(at) -> dict[str, str]:
    return {name: at.number_input(key=key).proto.placeholder for name, key in SAMPLING.items()}


def test_placeholders_show_the_models_listed_default():
    at = run_app(PAGE, query={"model": "liquid/lfm-2.5-2.6b:free"})  # lists temperature 0.1 (and top_k)
    assert not at.exception
    assert placeholders(at) == {"temperature": "model default: 0.1", "top_p": "provider default",
                                "frequency_penalty": "provider default", "presence_penalty": "provider default"}


def test_placeholders_without_listed_defaults_show_no_number():
    at = run_app(PAGE)  # openai/gpt-4o-mini lists no defaults
    assert not at.exception
    assert set(placeholders(at).values()) == {"provider default"}


def _offline_page(model_id: str) -> None:
    import streamlit as st

    from components.context import AppContext, service_for
    from components.playground import playground
    from routerlens.config import load_settings

    settings = load_settings({"ROUTERLENS_OFFLINE": "1"})
    ctx = AppContext(settings, service_for(settings), model_id, None)
    st.session_state["routerlens_ctx"] = ctx
    playground(ctx, key="pg")


def test_placeholders_for_an_unknown_model():
    # (AppTest's model select box cannot hold an id outside its options, so no ?model= here)
    at = AppTest.from_function(_offline_page, args=("nobody/no-such-model",), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.session_state[SLOT].spec.model == "nobody/no-such-model"
    assert set(placeholders(at).values()) == {"provider default"}


@pytest.mark.parametrize("defaults, shown", [
    ({"temperature": 0.7}, "model default: 0.7"),
    ({"temperature": 1.0}, "model default: 1"),
    ({"temperature": 0.30000000000000004}, "model default: 0.3"),
    ({"top_p": 0.9}, "provider default"),
    ({}, "provider default"),
])
def test_default_placeholder(defaults, shown):
    from components.playground_settings import default_placeholder

    assert default_placeholder(defaults, "temperature") == shown


# --- a key typed into the sidebar (the visitor's own) ------------------------------------------------------------

def _sidebar_key_page(base_url: str, key: str) -> None:
    import streamlit as st

    from components.context import AppContext, service_for
    from components.playground import playground
    from routerlens.config import load_settings

    settings = load_settings({"OPENROUTER_BASE_URL": base_url, "ROUTERLENS_DATA_MODE": "auto",
                              "ROUTERLENS_TIMEOUT": "3"}, key_override=key)
    ctx = AppContext(settings, service_for(settings), "openai/gpt-4o-mini", "sidebar")
    st.session_state["routerlens_ctx"] = ctx
    playground(ctx, key="pg")


def test_own_key_has_no_host_limits_and_never_shows(live_env, caplog):
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_function(_sidebar_key_page, args=(live_env.base_url, KEY), default_timeout=60)
    at.run()
    assert not any("shared key" in c.value for c in at.caption)
    assert at.number_input(key="pg_max_tokens").max == 16384
    at.number_input(key="pg_max_tokens").set_value(4000).run()
    send(at, "Hello")
    sent = posts(live_env)[-1]
    assert sent.body["max_tokens"] == 4000
    assert sent.headers["authorization"] == f"Bearer {KEY}", "the key goes to the configured server"
    assert messages(at)[-1] == ("assistant", "Echo: Hello")
    # ... and nowhere else: not on the page, not in exports or logs, not in files
    from routerlens.chat import conversation_json, conversation_markdown

    state = at.session_state["playground"]
    turns, spec = state.turns, state.spec
    assert KEY not in page_text(at) and KEY not in str(at._tree)
    assert KEY not in conversation_json(turns, spec) and KEY not in conversation_markdown(turns, spec)
    assert KEY not in caplog.text
    root = Path(__file__).resolve().parents[1]
    for path in root.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.stat().st_size < 5_000_000:
            assert KEY.encode() not in path.read_bytes(), path


# --- tools and structured outputs -------------------------------------------------------------------------------

PARIS = '{"city": "Paris", "unit": "celsius"}'
OK, FAILED, UNCHECKED = MARKS[True], MARKS[False], MARKS[None]


def tools_on(at, text: str | None = None):
    at.toggle(key="pg_tools_on").set_value(True).run()  # (the editor is disabled while tools are off)
    if text is not None:
        at.text_area(key="pg_tools_json").set_value(text).run()
    return at


def cards(at, index: int) -> str:
    """Everything written in one chat message (tool-call cards and verdicts included), with the
    Markdown escapes of quoted text undone."""
    import re

    block = at.chat_message[index]
    written = [m.value for m in block.markdown] + [c.value for c in block.caption] + [e.value for e in block.error] \
        + [s.value for s in block.success]
    return "\n".join([re.sub(r"\\(.)", r"\1", text) for text in written] + [c.value for c in block.code])


def test_a_tool_call_is_answered_with_the_example_result_and_the_model_answers(keyed):
    at = tools_on(run_app(PAGE))
    assert f"{OK} 1 valid tool(s): `get_weather`" in page_text(at), "the weather example is there to start from"
    send(at, f"call get_weather {PARIS}")
    assert not at.exception
    body = posts(keyed)[-1].body
    assert [t["function"]["name"] for t in body["tools"]] == ["get_weather"]
    assert body["tool_choice"] == "auto" and body["parallel_tool_calls"] is True
    card = cards(at, 1)
    assert "**Tool call 1:** `get_weather`" in card and '"city": "Paris"' in card
    assert f"{OK} Arguments are valid JSON" in card and f"{OK} The tool exists" in card
    assert f"{OK} Arguments match its schema" in card
    at.run()  # (in the browser the app reruns after an answer; AppTest runs once per call)
    at.button(key="pg_answer1_result0_example").click().run()
    assert "not a real forecast" in at.text_area(key="pg_answer1_result0").value
    at.button(key="pg_answer1_send").click().run()
    assert not at.exception
    sent = posts(keyed)[-1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool"]
    assert sent[2]["tool_call_id"] == sent[1]["tool_calls"][0]["id"]
    assert [b.name for b in at.chat_message] == ["user", "assistant", "tool", "assistant"]
    assert messages(at)[-1][1].startswith("From the tools: get_weather → {")
    state = at.session_state["playground"]
    assert [t.role for t in state.turns] == ["user", "assistant", "tool", "assistant"]
    at.run()
    assert not [b for b in at.button if (b.key or "").startswith("pg_answer")], "nothing left to answer"


def test_a_call_box_left_empty_sends_nothing(keyed):
    at = tools_on(run_app(PAGE), json.dumps(list(EXAMPLE_TOOLS["Both"])))
    send(at, f'call get_weather {PARIS}\ncall calculate {{"expression": "6 * 7"}}')
    at.run()
    assert len(cards(at, 1).split("**Tool call")) == 3, "two calls in one answer, two cards"
    at.text_area(key="pg_answer1_result0").set_value('{"temperature": 30}')
    at.button(key="pg_answer1_send").click().run()
    assert "Give every call a result (missing: call 2)" in warnings(at)
    assert len(posts(keyed)) == 1
    at.button(key="pg_answer1_result1_example").click().run()
    at.button(key="pg_answer1_send").click().run()
    assert messages(at)[-1][1] == ('From the tools: get_weather → {"temperature": 30}; '
                                   'calculate → {"expression": "6 * 7", "result": 42}')


def test_malformed_arguments_and_an_unknown_tool_are_shown_as_such(keyed):
    at = tools_on(run_app(PAGE))
    send(at, 'call get_weather {"city": "Par\ncall get_stock_price {"ticker": "<b>ACME</b>"}')
    assert not at.exception
    card = cards(at, 1)
    assert f"{FAILED} Arguments are valid JSON: The arguments are not valid JSON" in card
    assert f"{FAILED} The tool exists: No tool named “get_stock_price” was sent (sent: get_weather)." in card
    assert f"{UNCHECKED} Arguments match its schema: not checked" in card
    assert '{"city": "Par' in card, "malformed arguments are shown as they came"
    assert "<b>" not in "".join(m.value for m in at.chat_message[1].markdown), "never raw HTML"
    at.run()
    assert at.button(key="pg_answer1_result0_example"), "the example tool answers even bad arguments (with an error)"
    with pytest.raises(KeyError):
        at.button(key="pg_answer1_result1_example")  # nobody defined get_stock_price: type its result
    at.button(key="pg_answer1_result0_example").click()
    at.text_area(key="pg_answer1_result1").set_value("unknown tool")
    at.button(key="pg_answer1_send").click().run()
    assert messages(at)[-1][1].startswith("From the tools: get_weather → {")
    assert "get_stock_price → unknown tool" in messages(at)[-1][1]


@pytest.mark.parametrize("text, problem", [
    ('[{"name": "get_weather",', "not valid JSON"),
    (json.dumps([EXAMPLE_TOOLS["Weather lookup"][0]] * 2), "already used by tool 1"),
    ('[{"name": "x", "parameters": {"type": "object", "properties": {"a": {"type": 5}}}}]', "not a valid JSON Schema"),
])
def test_bad_tool_definitions_are_said_and_nothing_is_sent(keyed, text, problem):
    at = tools_on(run_app(PAGE), text)
    assert problem in "\n".join(e.value for e in at.error)
    send(at, "What is the weather?")
    assert "Not sent" in warnings(at) and problem in warnings(at) and posts(keyed) == []
    assert "What is the weather?" in [c.value for c in at.code], "the message is kept to copy back"
    assert at.text_area(key="pg_tools_json").value == text, "and so are the definitions"


def test_a_model_without_tool_support_is_said_before_sending(keyed):
    models = keyed.routes[("GET", "/api/v1/models")].json["data"]
    mini = next(m for m in models if m["id"] == "openai/gpt-4o-mini")
    mini["supported_parameters"] = [p for p in mini["supported_parameters"] if p not in ("tools", "structured_outputs")]
    at = tools_on(run_app(PAGE))
    assert "does not list `tools`" in warnings(at), "said as soon as tools are on"
    at.toggle(key="pg_schema_on").set_value(True).run()
    assert "does not list `structured_outputs`" in warnings(at)
    send(at, "Hi")
    assert "Not sent" in warnings(at) and posts(keyed) == []


def test_structured_output_valid_and_invalid(keyed):
    at = run_app(PAGE)
    at.toggle(key="pg_schema_on").set_value(True).run()
    send(at, 'reply: {"city": "Paris", "temperature_c": 21, "conditions": "sunny"}')
    body = posts(keyed)[-1].body
    assert body["response_format"]["type"] == "json_schema" and "tools" not in body
    assert "Valid against the response schema." in cards(at, 1)
    assert '"temperature_c": 21' in cards(at, 1), "the answer is shown as formatted JSON"
    send(at, 'reply: {"city": "Paris", "temperature_c": "warm", "conditions": "sunny"}')
    assert "**Not valid against the response schema**: 'warm' is not of type 'number' (at $.temperature_c)" \
        in cards(at, 3)
    at.text_area(key="pg_schema_json").set_value('{"type": "object", "required": "city"}').run()
    assert "not a valid JSON Schema" in "\n".join(e.value for e in at.error)


def test_the_editors_keep_their_text_through_a_visit_to_another_page(keyed):
    at = tools_on(run_app(PAGE), '[{"name": "mine"}]')
    at.switch_page("pages/pricing.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.text_area(key="pg_tools_json").value == '[{"name": "mine"}]'


# --- comparisons with tools: the serving provider and the verdicts, column by column -------------------------

MALFORMED = '{"city": "Par'
MODES_WITH_TOOLS = [RoutingMode.BALANCED, RoutingMode.EXACTO, RoutingMode.PINNED]


def columns_by_header(at) -> dict[str, str]:
    """Each compared answer's column, by its header's first part ("Balanced", "Pinned provider
    (azure)", a model's name): everything written in it, with Markdown escapes undone."""
    import re

    out = {}
    for column in at.columns:
        written = [m.value for m in column.markdown]
        if not written or " · " not in written[0]:
            continue
        texts = written + [c.value for c in column.caption] + [e.value for e in column.error] \
            + [s.value for s in column.success]
        head = re.sub(r"\\(.)", r"\1", written[0].split(" · ")[0]).strip("*")
        out[head] = "\n".join([re.sub(r"\\(.)", r"\1", text) for text in texts] + [c.value for c in column.code])
    return out


def verdict_box(at) -> str:
    import re

    return "\n".join(re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if "Valid " in m.value)


def _compare_modes(at, modes: list[RoutingMode], prompt: str):
    open_tab(at, "Compare modes")
    at.multiselect(key="pg_cmp_modes").set_value(modes).run()
    at.text_area(key="pg_cmp_prompt").set_value(prompt)
    at.button(key="pg_cmp_send").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _pin_azure(at):
    """Pinned provider on Azure (the compare tab offers the pinned provider chosen above)."""
    at.button_group(key="pg_mode").set_value(RoutingMode.PINNED).run()
    at.selectbox(key="pg_pinned").set_value("azure").run()
    return at


def test_compare_modes_shows_each_modes_provider_and_tool_call_verdicts(keyed):
    at = _pin_azure(tools_on(run_app(PAGE)))
    # OpenAI (which serves Balanced and Exacto here) sends malformed arguments; Azure valid ones
    _compare_modes(at, MODES_WITH_TOOLS, f"call@openai get_weather {MALFORMED}\ncall@azure get_weather {PARIS}")
    bodies = posts(keyed)
    assert len(bodies) == 3 and all(b.body["tools"][0]["function"]["name"] == "get_weather" for b in bodies)
    assert sorted(b.body["model"] for b in bodies) == ["openai/gpt-4o-mini", "openai/gpt-4o-mini",
                                                       "openai/gpt-4o-mini:exacto"]
    columns = columns_by_header(at)
    assert set(columns) == {"Balanced", "Exacto", "Pinned provider (azure)"}
    for mode in ("Balanced", "Exacto"):
        assert "served by **OpenAI**" in columns[mode].splitlines()[0]
        assert "**Tool call 1:** `get_weather`" in columns[mode]
        assert f"{FAILED} Arguments are valid JSON: The arguments are not valid JSON" in columns[mode]
        assert f"{UNCHECKED} Arguments match its schema: not checked" in columns[mode]
        assert MALFORMED in columns[mode], "the malformed arguments are shown as they came"
    azure = columns["Pinned provider (azure)"]
    assert "served by **Azure**" in azure.splitlines()[0]
    assert f"{OK} Arguments are valid JSON" in azure and f"{OK} Arguments match its schema" in azure
    for column in columns.values():  # and the usual measurements
        assert "TTFT" in column and "cost $" in column
    assert verdict_box(at).startswith(
        "Valid tool calls: **Balanced** 0/1, **Exacto** 0/1, **Pinned provider (azure)** 1/1")
    comparison = at.session_state[SLOT].comparison
    assert [s.mode for s in comparison.specs] == MODES_WITH_TOOLS, "each answer keeps the request it answered"
    # the verdicts are of the tools that were sent, not of today's editor
    at.text_area(key="pg_tools_json").set_value(json.dumps(EXAMPLE_TOOLS["Calculator"])).run()
    assert f"{OK} The tool exists" in columns_by_header(at)["Pinned provider (azure)"]


def test_compare_modes_checks_each_structured_answer(keyed):
    at = run_app(PAGE)
    at.toggle(key="pg_schema_on").set_value(True).run()
    _compare_modes(at, [RoutingMode.BALANCED, RoutingMode.EXACTO],
                   'reply@exacto: {"city": "Paris", "temperature_c": 21, "conditions": "sunny"}\n'
                   'reply@balanced: {"city": "Paris", "temperature_c": "warm", "conditions": "sunny"}')
    columns = columns_by_header(at)
    assert "Valid against the response schema." in columns["Exacto"]
    assert '"temperature_c": 21' in columns["Exacto"], "shown as formatted JSON"
    assert "'warm' is not of type 'number' (at $.temperature_c)" in columns["Balanced"]
    assert verdict_box(at).startswith("Valid structured answers: **Balanced** not valid, **Exacto** valid")
    assert "Valid tool calls" not in verdict_box(at), "no tools were sent"


def test_compare_modes_sends_nothing_with_bad_tool_definitions(keyed):
    at = tools_on(run_app(PAGE), '[{"name": "get_weather",')
    _compare_modes(at, [RoutingMode.BALANCED, RoutingMode.EXACTO], "call get_weather {}")
    assert "Not sent" in warnings(at) and "not valid JSON" in warnings(at)
    assert posts(keyed) == []


def test_compare_models_shows_each_models_tool_call_verdicts(keyed):
    at = tools_on(run_app(PAGE))
    # one model calls the tool that was sent, the other one nobody defined
    _compare_models(at, [MINI, TURBO], f"call@{MINI} get_weather {PARIS}\n"
                                       f'call@{TURBO} get_forecast {{"city": "Paris"}}')
    columns = columns_by_header(at)
    assert set(columns) == {"GPT-4o-mini", "GPT-3.5 Turbo"}
    assert "served by **OpenAI**" in columns["GPT-4o-mini"].splitlines()[0]
    assert f"{OK} Arguments match its schema" in columns["GPT-4o-mini"]
    assert "No tool named “get_forecast” was sent (sent: get_weather)." in columns["GPT-3.5 Turbo"]
    assert verdict_box(at).startswith("Valid tool calls: **GPT-4o-mini** 1/1, **GPT-3.5 Turbo** 0/1")
    assert len(at.session_state[SLOT].model_comparison.specs) == 2
