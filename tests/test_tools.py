"""Tool calling and structured outputs against the loopback OpenRouter server: streamed tool-call
deltas (arguments split across chunks, several calls, interleaved, odd shapes), answering calls
with results, structured answers valid and invalid, malformed arguments and unknown tools, and
the checks that run before anything is sent."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from routerlens.chat import ChatResult, ChatStream, ToolCall, Turn, context_turns, history_messages, open_calls, run_chat
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.tools import (
    CALCULATOR_TOOL, EXAMPLE_SCHEMAS, WEATHER_TOOL, CalculationError, as_editor_text, calculate, check_answer,
    check_call, example_result, parse_response_schema, parse_tools, pretty_json, response_schema,
    structured_verdict, support_problems, tool_choice_value, weather,
)
from tests.fake_chat import ARG_PIECE, CHAT, tool_call_events, tool_call_reply
from tests.fakeserver import Reply
from tests.test_chat import client_for

TOOLS = (WEATHER_TOOL, CALCULATOR_TOOL)
SPEC = RequestSpec("openai/gpt-4o-mini", max_tokens=64, tools=TOOLS, tool_choice="auto", parallel_tool_calls=True)
PARIS = '{"city": "Paris", "unit": "celsius"}'
SUM = '{"expression": "(17 + 25) * 3"}'


@pytest.fixture
def client(fake):
    c = client_for(fake.base_url)
    yield c
    c.close()


def ask(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


# --- streamed tool calls ---------------------------------------------------------------------------------

def test_several_calls_stream_with_arguments_split_across_chunks(fake, client):
    stream = ChatStream(client, SPEC, ask(f"call get_weather {PARIS}\ncall calculate {SUM}"))
    pieces = list(stream)
    result = stream.result
    assert result.ok and result.finish_reason == "tool_calls" and result.text == ""
    assert [(c.index, c.name, c.arguments) for c in result.tool_calls] == [(0, "get_weather", PARIS),
                                                                           (1, "calculate", SUM)]
    assert all(c.id.startswith("call_") for c in result.tool_calls) and len({c.id for c in result.tool_calls}) == 2
    # the arguments really arrived in pieces: one empty delta is yielded per tool-call chunk
    expected_chunks = sum(1 + -(-len(args) // ARG_PIECE) for args in (PARIS, SUM))
    assert pieces == [""] * expected_chunks and expected_chunks > 4
    assert result.ttft_s is not None and result.ttft_s <= result.total_s, "the first call piece is the first token"
    assert result.calls == result.tool_calls
    body = fake.requests_to(CHAT, "POST")[-1].body
    assert [t["function"]["name"] for t in body["tools"]] == ["get_weather", "calculate"]
    assert body["tool_choice"] == "auto" and body["parallel_tool_calls"] is True


def test_interleaved_pieces_are_kept_apart_by_index(fake, client):
    fake.queue(CHAT, tool_call_reply([("get_weather", PARIS), ("calculate", SUM)], interleave=True), method="POST")
    result = run_chat(client, SPEC, ask("anything"))
    assert [(c.name, c.arguments) for c in result.tool_calls] == [("get_weather", PARIS), ("calculate", SUM)]


def test_odd_tool_call_shapes_are_assembled_without_crashing(fake, client):
    pieces = [
        [{"id": "call_a", "type": "function", "function": {"name": "get_", "arguments": '{"city": '}}],  # no index
        [{"function": {"name": "weather", "arguments": '"Oslo", "unit": "celsius"}'}}],  # continues the last call
        ["not an object", 7],  # skipped
        [{"index": 5, "type": "function", "function": {"name": "calculate", "arguments": {"expression": "1+1"}}}],
    ]
    fake.queue(CHAT, Reply(sse=tool_call_events([], pieces=pieces)), method="POST")
    result = run_chat(client, SPEC, ask("anything"))
    assert result.ok
    assert [(c.id, c.name, c.arguments) for c in result.tool_calls] == [
        ("call_a", "get_weather", '{"city": "Oslo", "unit": "celsius"}'),
        ("call_5", "calculate", '{"expression": "1+1"}'),  # an object is kept as JSON text; no id: one is made
    ]
    assert all(check_call(call, TOOLS).ok for call in result.tool_calls)


def test_a_stream_cut_mid_call_asks_for_nothing(fake, client):
    fake.queue(CHAT, tool_call_reply([("get_weather", PARIS)], cut_after=2, done=False), method="POST")
    result = run_chat(client, SPEC, ask("anything"))
    assert not result.ok and result.failure.kind == "cut"
    assert result.tool_calls and result.tool_calls[0].arguments == PARIS[:ARG_PIECE], "what arrived is kept"
    assert result.calls == [], "an incomplete call cannot be answered"


def test_tool_calls_without_streaming(fake, client):
    result = run_chat(client, SPEC, ask(f"call calculate {SUM}\ncall get_weather {PARIS}"), stream=False)
    assert result.ok and result.finish_reason == "tool_calls"
    assert [(c.name, c.arguments) for c in result.tool_calls] == [("calculate", SUM), ("get_weather", PARIS)]


def test_tool_choice_none_answers_text(fake, client):
    from dataclasses import replace

    result = run_chat(client, replace(SPEC, tool_choice="none"), ask(f"call get_weather {PARIS}"))
    assert result.tool_calls == [] and result.text.startswith("Echo: call get_weather")


# --- answering calls: the whole exchange is a valid conversation -------------------------------------------

def _answer_all(turns: list[Turn]) -> None:
    for call in open_calls(turns):
        turns.append(Turn("tool", example_result(call.name, call.arguments), tool_call_id=call.id, name=call.name))


def test_tool_results_continue_the_conversation(fake, client):
    turns = [Turn("user", f"call get_weather {PARIS}\ncall calculate {SUM}")]
    first = run_chat(client, SPEC, history_messages(turns))
    turns.append(Turn("assistant", first.text, result=first, spec=SPEC))
    assert [c.name for c in open_calls(turns)] == ["get_weather", "calculate"]
    _answer_all(turns)
    assert open_calls(turns) == []
    final = run_chat(client, SPEC, history_messages(turns))
    assert final.ok, final.failure and final.failure.as_text()
    weather_json = json.dumps(weather("Paris", "celsius"))
    assert final.text == f"From the tools: get_weather → {weather_json}; calculate → " \
                         '{"expression": "(17 + 25) * 3", "result": 126}'
    sent = fake.requests_to(CHAT, "POST")[-1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool"]
    assistant = sent[1]
    assert assistant["content"] is None
    assert [c["function"]["name"] for c in assistant["tool_calls"]] == ["get_weather", "calculate"]
    assert assistant["tool_calls"][0]["function"]["arguments"] == PARIS
    assert [m["tool_call_id"] for m in sent[2:]] == [c["id"] for c in assistant["tool_calls"]]
    # and the conversation goes on after the final answer
    turns.append(Turn("assistant", final.text, result=final, spec=SPEC))
    turns.append(Turn("user", "thanks"))
    again = run_chat(client, SPEC, history_messages(turns))
    assert again.ok and again.text == "Echo: thanks"
    assert [m["role"] for m in fake.requests_to(CHAT, "POST")[-1].body["messages"]] == [
        "user", "assistant", "tool", "tool", "assistant", "user"]


def test_the_loopback_server_refuses_a_call_left_without_its_result(fake, client):
    """The server checks conversations like OpenAI, so the tests above prove something."""
    turns = [Turn("user", f"call get_weather {PARIS}\ncall calculate {SUM}")]
    first = run_chat(client, SPEC, history_messages(turns))
    messages = [*history_messages(turns), Turn("assistant", result=first).message(),
                {"role": "tool", "tool_call_id": first.tool_calls[0].id, "content": "{}"}]
    refused = run_chat(client, SPEC, messages)
    assert refused.failure.kind == "bad_request" and "did not have response messages" in refused.failure.detail


def test_calls_left_unanswered_are_left_out_with_their_question(fake, client):
    turns = [Turn("user", f"call get_weather {PARIS}")]
    first = run_chat(client, SPEC, history_messages(turns))
    turns += [Turn("assistant", result=first, spec=SPEC), Turn("user", "never mind, hello")]
    result = run_chat(client, SPEC, history_messages(turns))
    assert result.ok and result.text == "Echo: never mind, hello"
    assert [m["role"] for m in fake.requests_to(CHAT, "POST")[-1].body["messages"]] == ["user"]


def test_a_failed_answer_after_results_is_retried_with_the_same_results(fake, client):
    turns = [Turn("user", f"call calculate {SUM}")]
    first = run_chat(client, SPEC, history_messages(turns))
    turns.append(Turn("assistant", result=first, spec=SPEC))
    _answer_all(turns)
    fake.queue(CHAT, Reply(status=500, json={"error": {"code": 500, "message": "boom"}}), method="POST")
    failed = run_chat(client, SPEC, history_messages(turns))
    turns.append(Turn("assistant", result=failed, spec=SPEC))
    assert context_turns(turns) == [], "a failed reply: the exchange is not sent as context"
    turns.pop()  # what Retry does: drop the failed answer, send again
    retried = run_chat(client, SPEC, history_messages(turns))
    assert retried.ok and retried.text.startswith("From the tools: calculate → ")


def _ok(**fields) -> ChatResult:
    result = ChatResult(mode=RoutingMode.BALANCED, requested_model="m", complete=True, **fields)
    return result


def test_context_rule_with_tool_turns():
    call = ToolCall(0, "c1", "get_weather", PARIS)
    asks = Turn("assistant", result=_ok(tool_calls=[call]))
    result_turn = Turn("tool", "{}", tool_call_id="c1", name="get_weather")
    stray = Turn("tool", "{}", tool_call_id="nobody-asked")
    turns = [Turn("user", "q"), asks, stray, result_turn, Turn("assistant", "a", result=_ok(text="a"))]
    assert context_turns(turns) == [0, 1, 3, 4], "a result for no open call is left out"
    assert context_turns(turns[:4]) == [0, 1, 3], "results awaiting the answer end the context"
    assert context_turns(turns[:2]) == [0, 1] and open_calls(turns[:2]) == [call]
    # an answer before every call has its result breaks the exchange
    assert context_turns([Turn("user", "q"), asks, Turn("assistant", "a", result=_ok(text="a"))]) == []


# --- structured outputs ----------------------------------------------------------------------------------

REPORT = parse_response_schema(as_editor_text(EXAMPLE_SCHEMAS["Weather report"]))
STRUCTURED = RequestSpec("openai/gpt-4o-mini", response_format=REPORT.response_format)


def test_a_valid_structured_answer(fake, client):
    answer = '{"city": "Paris", "temperature_c": 21.5, "conditions": "sunny"}'
    result = run_chat(client, STRUCTURED, ask(f"reply: {answer}"))
    assert result.ok and result.text == answer
    verdict = check_answer(result.text, response_schema(STRUCTURED.response_format))
    assert verdict.ok and verdict.first_error is None
    body = fake.requests_to(CHAT, "POST")[-1].body
    assert body["response_format"] == {"type": "json_schema", "json_schema": {
        "name": "answer", "strict": True, "schema": EXAMPLE_SCHEMAS["Weather report"]}}
    assert "tools" not in body and "tool_choice" not in body


@pytest.mark.parametrize("answer, error", [
    ('{"city": "Paris", "temperature_c": "warm", "conditions": "sunny"}',
     "'warm' is not of type 'number' (at $.temperature_c)"),
    ('{"city": "Paris", "conditions": "sunny"}', "'temperature_c' is a required property (at $)"),
    ('{"city": "Paris", "temperature_c": 3, "conditions": "hail"}', "(at $.conditions)"),
    ("Sorry, here is prose instead", "The answer is not valid JSON: Expecting value (line 1, column 1)."),
])
def test_an_invalid_structured_answer_shows_the_first_error(fake, client, answer, error):
    result = run_chat(client, STRUCTURED, ask(f"reply: {answer}"))
    assert result.ok, "an answer that misses the schema is still an answer"
    verdict = check_answer(result.text, response_schema(STRUCTURED.response_format))
    assert not verdict.ok and error in verdict.first_error


def test_which_answers_get_a_structured_verdict():
    """Complete answers always; an unfinished one with text only when ``partial`` (the chat checks
    it as far as it came and says so; a comparison's summary, like its ranking, does not)."""
    good = '{"city": "Paris", "temperature_c": 21, "conditions": "sunny"}'
    cut = ChatResult(mode=RoutingMode.BALANCED, requested_model="m", text='{"city": "Par', complete=False)
    assert structured_verdict(_ok(text=good), STRUCTURED).ok
    assert not structured_verdict(_ok(text=""), STRUCTURED).ok, "a finished empty answer is judged (not JSON)"
    assert structured_verdict(cut, STRUCTURED) is None
    assert "not valid JSON" in structured_verdict(cut, STRUCTURED, partial=True).first_error
    assert structured_verdict(replace(cut, text=""), STRUCTURED, partial=True) is None, "nothing came to judge"
    called = _ok(text=good, tool_calls=[ToolCall(0, "c1", "get_weather", PARIS)])
    assert structured_verdict(called, STRUCTURED, partial=True) is None, "it called tools instead"
    assert structured_verdict(_ok(text=good), SPEC) is None and structured_verdict(_ok(text=good), None) is None


def test_structured_answer_streams_json_by_default(fake, client):
    result = run_chat(client, STRUCTURED, ask("hello"))
    assert json.loads(result.text) == {"echo": "hello"}


# --- what the provider may get wrong: shown, never a crash --------------------------------------------------

def test_malformed_arguments_are_kept_and_judged(fake, client):
    result = run_chat(client, SPEC, ask('call get_weather {"city": "Par'))
    assert result.ok and result.tool_calls[0].arguments == '{"city": "Par'
    verdict = check_call(result.tool_calls[0], TOOLS)
    assert [c.passed for c in verdict.checks] == [False, True, None]
    assert "not valid JSON" in verdict.first_error and "line 1, column" in verdict.first_error
    assert pretty_json(result.tool_calls[0].arguments) == '{"city": "Par', "shown as it came"
    assert "error" in json.loads(example_result("get_weather", result.tool_calls[0].arguments))
    # ... and it can still be answered: the conversation stays valid
    turns = [Turn("user", "w"), Turn("assistant", result=result, spec=SPEC)]
    _answer_all(turns)
    assert run_chat(client, SPEC, history_messages(turns)).ok


def test_an_unknown_tool_name_is_said_so(fake, client):
    result = run_chat(client, SPEC, ask('call get_stock_price {"ticker": "ACME"}'))
    verdict = check_call(result.tool_calls[0], TOOLS)
    assert [c.passed for c in verdict.checks] == [True, False, None]
    assert verdict.first_error == "No tool named “get_stock_price” was sent (sent: get_weather, calculate)."
    assert example_result("get_stock_price", "{}") is None, "no example result for a tool nobody defined"


def test_arguments_that_miss_the_schema(fake, client):
    result = run_chat(client, SPEC, ask('call get_weather {"city": "Rome", "unit": "kelvin"}'))
    verdict = check_call(result.tool_calls[0], TOOLS)
    assert [c.passed for c in verdict.checks] == [True, True, False]
    assert "'kelvin' is not one of ['celsius', 'fahrenheit'] (at $.unit)" == verdict.first_error


# --- what is checked before sending ---------------------------------------------------------------------

def test_tool_definitions_in_the_editor():
    ok = parse_tools(as_editor_text([WEATHER_TOOL, CALCULATOR_TOOL["function"]]))  # bare function objects too
    assert ok.ok and ok.names == ["get_weather", "calculate"] and ok.tools[1] == CALCULATOR_TOOL
    assert parse_tools('[{"name": "x",').problems == (
        "The tool definitions are not valid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 15).",)
    assert parse_tools("  ").problems == ("The tool definitions are empty.",)
    assert parse_tools("[]").problems == ("No tools are defined: add at least one, or turn tools off.",)
    duplicate = parse_tools(as_editor_text([WEATHER_TOOL, WEATHER_TOOL]))
    assert duplicate.problems == ("Tool 2 (get_weather): the name is already used by tool 1; tool names must be "
                                  "unique.",)
    bad_schema = parse_tools('[{"name": "a", "parameters": {"type": "object", "properties": {"x": {"type": "strin"}}}}]')
    assert bad_schema.problems[0].startswith("Tool 1 (a): its parameters are not a valid JSON Schema:")
    assert "(at $.properties.x.type)" in bad_schema.problems[0]
    assert "must describe an object" in parse_tools('[{"name": "a", "parameters": {"type": "string"}}]').problems[0]
    assert parse_tools('[{"name": "a", "parameters": {"type": "object"}}]').ok
    assert "a JSON Schema is an object, not an array" in parse_response_schema("[1]").problems[0]
    not_object = check_call(ToolCall(0, "c", "calculate", '["1 + 1"]'), TOOLS)
    assert not_object.first_error == "The arguments are JSON but not an object (they are an array)."
    bad_name = parse_tools('[{"name": "get weather"}]').problems[0]
    assert "(at $.function.name). Names are 1-64 letters" in bad_name
    assert "'function' was expected" in parse_tools('[{"type": "code", "function": {"name": "a"}}]').problems[0]


def test_response_schema_editor():
    assert REPORT.problems == () and REPORT.response_format["json_schema"]["strict"] is True
    wrapped = parse_response_schema(json.dumps({"name": "report", "strict": False, "schema": {"type": "object"}}))
    assert wrapped.response_format["json_schema"] == {"name": "report", "strict": False, "schema": {"type": "object"}}
    assert "not valid JSON" in parse_response_schema("{'single': 'quotes'}").problems[0]
    assert "not a valid JSON Schema" in parse_response_schema('{"type": "object", "required": "city"}').problems[0]
    assert "must describe an object" in parse_response_schema('{"type": "array"}').problems[0]


def test_request_body_carries_tools_only_when_defined():
    assert "tool_choice" not in RequestSpec("m", tool_choice="required").body([])
    body = RequestSpec("m", tools=(WEATHER_TOOL,), tool_choice=tool_choice_value("get_weather", ["get_weather"]),
                       parallel_tool_calls=False).body([])
    assert body["tools"] == [WEATHER_TOOL] and body["parallel_tool_calls"] is False
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert tool_choice_value("required", []) == "required" and tool_choice_value("gone", ["a"]) is None


def test_support_is_checked_from_supported_parameters():
    problems = support_problems(["tools", "structured outputs"], model_name="Tiny", model_params=("tools", "seed"))
    assert problems == ["Tiny does not list `structured_outputs` among its supported parameters, so its providers do "
                        "not take structured outputs. Turn structured outputs off or pick another model."]
    assert support_problems(["tools"], model_name="Unknown", model_params=()) == [], "not listed: nothing claimed"
    pinned = support_problems(["tools"], model_name="M", model_params=("tools",), provider_name="Azure",
                              provider_params=("seed",))
    assert pinned and "pinned provider Azure" in pinned[0]


# --- the example tools ---------------------------------------------------------------------------------

def test_example_results_are_deterministic_and_marked_as_made_up():
    assert example_result("get_weather", PARIS) == example_result("get_weather", PARIS)
    paris = json.loads(example_result("get_weather", PARIS))
    assert paris["city"] == "Paris" and "not a real forecast" in paris["note"]
    fahrenheit = json.loads(example_result("get_weather", '{"city": "Paris", "unit": "fahrenheit"}'))
    assert fahrenheit["temperature"] == round(paris["temperature"] * 9 / 5 + 32)
    assert json.loads(example_result("calculate", SUM))["result"] == 126


def test_an_example_call_the_calculator_cannot_answer_gets_an_error_result_never_an_exception():
    """A fraction too large for a float once raised OverflowError out of the playground's tool loop."""
    assert "too large" in json.loads(example_result("calculate", '{"expression": "2 ** 2000 / 3"}'))["error"]
    assert "must be text" in json.loads(example_result("calculate", '{"expression": 5}'))["error"]


@pytest.mark.parametrize("expression, value", [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("0.1 + 0.2", 0.3), ("2 ** -2", 0.25), ("7 // 2", 3), ("-7 % 3", 2),
    ("10 / 4", 2.5), ("2 ** 64", 2 ** 64),
])
def test_calculator(expression, value):
    assert calculate(expression) == value


@pytest.mark.parametrize("expression, why", [
    ("__import__('os').system('true')", "only numbers"), ("(1).__class__", "only numbers"), ("x + 1", "only numbers"),
    ("9 ** 9 ** 9", "too large"), ("1 / 0", "division by zero"), ("2 ** 0.5", "whole-number powers"),
    ("1 +", "not arithmetic"), ("1" * 300, "longer than"), ("", "empty"), ("True + 1", "only numbers"),
    ("2 ** 2000 / 3", "too large"), (5, "must be text"),
])
def test_calculator_refuses_anything_but_arithmetic(expression, why):
    with pytest.raises(CalculationError, match=why):
        calculate(expression)
