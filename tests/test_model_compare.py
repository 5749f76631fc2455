"""The playground's "Compare models" logic (routerlens/model_compare.py): the summary row, the
request sent to each model, what is refused before sending, and the parallel streams against the
real loopback server (one model failing while the others answer)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from routerlens.chat import ChatFailure, ChatResult, ToolCall
from routerlens.model_compare import (
    ParallelStreams, answer_verdicts, mode_for_models, selection_problems, spec_for_model, summary_row, verdict_lines,
)
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.schema import Model
from routerlens.tools import EXAMPLE_SCHEMAS, WEATHER_TOOL, as_editor_text, parse_response_schema
from tests.fake_chat import CHAT, error_reply, stream_reply
from tests.fakeserver import Recorded, Reply
from tests.test_chat import client_for

HELLO = [{"role": "user", "content": "hello there"}]


def _answer(model: str, text: str = "An answer", *, ttft: float | None = 0.5, cost: str | None = "0.00001",
            ok: bool = True, streamed: bool = True) -> ChatResult:
    return ChatResult(RoutingMode.BALANCED, model, text=text, ttft_s=ttft if streamed else None, total_s=1.0,
                      cost=Decimal(cost) if cost is not None else None, complete=ok, streamed=streamed,
                      failure=None if ok else ChatFailure("provider", "failed", "retry"))


# --- the summary row ------------------------------------------------------------------------------------

def test_summary_names_the_fastest_first_token_the_cheapest_and_the_longest_answer():
    results = [_answer("a/one", "short", ttft=0.30, cost="0.00002"),
               _answer("b/two", "a much longer answer", ttft=0.90, cost="0.000004"),
               _answer("c/three", "medium one", ttft=0.45, cost="0.00001")]
    fastest, cheapest, longest = summary_row(results)
    assert (fastest.label, fastest.winners, fastest.value) == ("Fastest first token", (0,), "300 ms")
    assert (cheapest.label, cheapest.winners, cheapest.value) == ("Cheapest", (1,), "$0.0000040")
    assert (longest.label, longest.winners, longest.value) == ("Longest answer", (1,), "20 characters")


def test_summary_ranks_complete_answers_only_and_names_every_tie():
    results = [_answer("a/fast-but-failed", "x" * 99, ttft=0.01, cost="0", ok=False),
               _answer("b/one", "same length", ttft=0.5, cost="0.00001"),
               _answer("c/two", "same length", ttft=0.5, cost=None)]
    fastest, cheapest, longest = summary_row(results)
    assert fastest.winners == (1, 2) and longest.winners == (1, 2)  # ties: both named
    assert cheapest.winners == (1,)  # an unknown cost is not the lowest


def test_longest_is_measured_in_characters_not_in_tokens():
    wordy = _answer("a/one", "tiny")
    wordy.completion_tokens = 500  # another tokenizer counts many tokens for a short text
    plain = _answer("b/two", "a plainly longer answer")
    plain.completion_tokens = 5
    assert summary_row([wordy, plain])[2].winners == (1,)


def test_summary_says_why_when_no_answer_can_be_named():
    failed = summary_row([_answer("a/one", ok=False), _answer("b/two", ok=False)])
    assert [b.winners for b in failed] == [(), (), ()]
    assert all(b.why_none == "no answer came back complete." for b in failed)
    unstreamed = summary_row([_answer("a/one", streamed=False, cost=None), _answer("b/two", streamed=False, cost=None)])
    assert unstreamed[0].why_none == "no time to first token: streaming is off."
    assert unstreamed[1].why_none == "no answer reported its cost."
    assert unstreamed[2].winners == (0, 1)


# --- the request per model, and what is refused ---------------------------------------------------------

def _model(model_id: str, *, max_out: int | None = 1000, images: bool = True) -> Model:
    return Model(id=model_id, name=f"Test: {model_id.split('/')[1].title()}", canonical_slug=model_id,
                 max_completion_tokens=max_out,
                 input_modalities=("text", "image") if images else ("text",))


def test_each_model_gets_the_same_settings_in_the_chosen_mode_within_its_own_output_limit():
    spec = RequestSpec("openai/gpt-4o-mini", mode=RoutingMode.NITRO, system_prompt="Be brief", temperature=0.2,
                       max_tokens=2000, seed=7)
    other = spec_for_model(spec, "x/small", _model("x/small", max_out=1000))
    assert other.model == "x/small:nitro" and other.model_id == "x/small"
    assert (other.system_prompt, other.temperature, other.seed, other.max_tokens) == ("Be brief", 0.2, 7, 1000)
    assert spec_for_model(spec, "x/big", _model("x/big", max_out=None)).max_tokens == 2000  # no known limit
    pinned = RequestSpec("openai/gpt-4o-mini", mode=RoutingMode.PINNED, pinned_provider="azure")
    sent = spec_for_model(pinned, "x/other", None)
    assert mode_for_models(RoutingMode.PINNED) is RoutingMode.BALANCED
    assert sent.mode is RoutingMode.BALANCED and sent.pinned_provider is None and "provider" not in sent.body(HELLO)


def test_selection_needs_two_to_four_models_and_image_input_when_images_are_sent():
    models = {"a/one": _model("a/one"), "b/blind": _model("b/blind", images=False),
              "c/blind": _model("c/blind", images=False)}
    assert selection_problems(["a/one"], models, images=False) == ["Choose at least 2 models to compare."]
    assert selection_problems(["a/1", "a/2", "a/3", "a/4", "a/5"], {}, images=False) == ["Choose at most 4 models."]
    assert selection_problems(["a/one", "b/blind"], models, images=False) == []
    problems = selection_problems(["a/one", "b/blind", "c/blind"], models, images=True)
    assert problems == ["Blind, Blind do not accept images: remove the images or choose models with image input."]


# --- streaming in parallel against the loopback server --------------------------------------------------

@pytest.fixture
def client(fake):
    c = client_for(fake.base_url)
    yield c
    c.close()


def test_every_model_streams_at_once_and_one_failing_leaves_the_others_whole(fake, client):
    """Each model's request is in flight before any answers (a barrier in the server proves it);
    the pieces arrive tagged with their column; the 503 is that column's failure only."""
    answering = ("a/one", "b/two")
    together = threading.Barrier(len(answering), timeout=5)

    def chat(request: Recorded) -> Reply:
        model = request.body["model"]
        if model == "c/down":
            return error_reply(503, "No provider available for c/down", "provider_unavailable")
        try:
            together.wait()
        except threading.BrokenBarrierError:
            return error_reply(500, "the requests did not arrive together")
        return stream_reply(f"Answer from {model} in several words", model=model)

    fake.set(CHAT, chat, method="POST")
    specs = [RequestSpec(model_id) for model_id in (*answering, "c/down")]
    streams = ParallelStreams(client, specs, HELLO, lookup_generation=False)
    pieces = list(streams)
    results = streams.results
    assert [r.requested_model for r in results] == ["a/one", "b/two", "c/down"]  # in the order sent
    assert results[0].ok and results[0].text == "Answer from a/one in several words"
    assert results[1].ok and results[1].text == "Answer from b/two in several words"
    assert results[2].failure is not None and results[2].failure.status == 503 and results[2].text == ""
    for index in (0, 1):
        assert "".join(delta for i, delta in pieces if i == index) == results[index].text
    assert {i for i, _ in pieces} == {0, 1}
    assert sorted(r.body["model"] for r in fake.requests_to(CHAT, "POST")) == ["a/one", "b/two", "c/down"]


def test_closing_the_reader_ends_every_request_still_open(fake, client):
    """The page went away mid-answer: the slow streams are hung up on, not read to the end."""
    fake.set(CHAT, lambda request: stream_reply(" ".join(f"w{i}" for i in range(200)), chunk_delay=0.05),
             method="POST")
    streams = ParallelStreams(client, [RequestSpec("a/one"), RequestSpec("b/two")], HELLO, lookup_generation=False)
    iterator = iter(streams)
    next(iterator)
    iterator.close()  # as when Streamlit stops the script: the generator is closed
    streams.wait(timeout=10)
    assert all(not r.ok for r in streams.results)
    assert all(r.failure is not None and r.failure.kind == "stopped" for r in streams.results)
    assert fake.wait_for_abort(timeout=10), "an upstream request stayed open after the reader left"


# --- tool calls and structured answers, column by column ---------------------------------------------------

WITH_TOOLS = RequestSpec("openai/gpt-4o-mini", tools=(WEATHER_TOOL,), tool_choice="auto")
WITH_SCHEMA = RequestSpec("openai/gpt-4o-mini", response_format=parse_response_schema(
    as_editor_text(EXAMPLE_SCHEMAS["Weather report"])).response_format)


def _calls(*arguments: str, name: str = "get_weather", ok: bool = True) -> ChatResult:
    result = _answer("openai/gpt-4o-mini", "", ok=ok)
    result.tool_calls = [ToolCall(i, f"call_{i}", name, args) for i, args in enumerate(arguments)]
    return result


def test_each_answer_is_checked_against_the_tools_its_request_carried():
    paris = '{"city": "Paris", "unit": "celsius"}'
    assert answer_verdicts(_calls(paris, '{"city": "Par'), WITH_TOOLS).valid_calls == 1
    assert answer_verdicts(_calls(paris, name="get_forecast"), WITH_TOOLS).valid_calls == 0, "an unknown tool"
    assert answer_verdicts(_calls('{"city": "Paris", "unit": "kelvin"}'), WITH_TOOLS).valid_calls == 0, "schema"
    lines = verdict_lines(["Balanced", "Exacto", "Nitro", "Floor"],
                          [_calls('{"city": "Par'), _calls(paris), _answer("m", "Plain text"), _calls(paris, ok=False)],
                          [WITH_TOOLS] * 4)
    assert lines == ["Valid tool calls: Balanced 0/1, Exacto 1/1, Nitro no call, Floor 1/1 (cut off)"]


def test_structured_answers_are_summed_up_and_nothing_is_said_without_tools_or_schema():
    good = _answer("m", '{"city": "Paris", "temperature_c": 21, "conditions": "sunny"}')
    bad = _answer("m", '{"city": "Paris", "temperature_c": "warm", "conditions": "sunny"}')
    failed = _answer("m", "", ok=False)
    assert answer_verdicts(good, WITH_SCHEMA).structured is True
    assert verdict_lines(["A", "B", "C"], [good, bad, failed], [WITH_SCHEMA] * 3) == [
        "Valid structured answers: A valid, B not valid, C no answer"]
    assert verdict_lines(["A", "B"], [good, bad], [RequestSpec("m"), RequestSpec("m")]) == []
