"""Tool calling in real Chromium against the loopback OpenRouter (tests/fake_chat.py): define a
tool in the playground's editor, get a call back, answer it with the example tool's own result,
and see the model's final answer built from it."""

from __future__ import annotations

import json

from tests.browser.harness import reset_render_signal, wait_rendered
from tests.browser.test_playground_browser import _last_answer, _send, chat_server, playground  # noqa: F401 (fixtures)
from tests.fake_chat import CHAT

TOOL = {"type": "function", "function": {
    "name": "calculate",
    "description": "Evaluate an arithmetic expression.",
    "parameters": {"type": "object", "properties": {"expression": {"type": "string"}},
                   "required": ["expression"], "additionalProperties": False},
}}


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _rerun(page, action) -> None:
    """Do something that reruns the app, and wait until the rerun has finished rendering."""
    reset_render_signal(page)
    action()
    wait_rendered(page)


def test_define_a_tool_answer_its_call_and_see_the_final_answer(playground, session_fake):
    page, watch = playground
    _rerun(page, lambda: page.get_by_text("Tools and structured output", exact=True).click())
    _rerun(page, lambda: page.get_by_text("Send tools", exact=True).click())
    editor = page.locator('textarea[aria-label="Tool definitions (JSON array)"]')
    editor.fill(json.dumps([TOOL], indent=2))
    _rerun(page, lambda: editor.press("Control+Enter"))
    assert "1 valid tool(s): calculate" in _main_text(page)

    _send(page, 'call calculate {"expression": "(17 + 25) * 3"}')
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText.includes('Answer the "
                           "tool calls')")
    wait_rendered(page)
    card = page.locator('[data-testid="stChatMessage"]').nth(1).inner_text()
    assert "Tool call 1:" in card and "calculate" in card and '"expression": "(17 + 25) * 3"' in card
    assert card.count("check_circle") == 3, f"three checks passed: {card}"
    asked = session_fake.requests_to(CHAT, "POST")[-1].body
    assert asked["tools"] == [TOOL] and asked["tool_choice"] == "auto"

    _rerun(page, lambda: page.get_by_role("button", name="Use the example tool's result").click())
    assert '"result": 126' in page.locator('.st-key-pg_answer1 textarea').input_value()
    before = len(session_fake.requests_to(CHAT, "POST"))
    _rerun(page, lambda: page.get_by_role("button", name="Send results").click())
    page.wait_for_function("() => { const m = document.querySelectorAll('[data-testid=stChatMessage]');"
                           " return m.length >= 4 && m[m.length - 1].innerText.includes('From the tools'); }")
    wait_rendered(page)
    assert 'From the tools: calculate → {"expression": "(17 + 25) * 3", "result": 126}' in _last_answer(page)
    requests = session_fake.requests_to(CHAT, "POST")
    assert len(requests) == before + 1
    sent = requests[-1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool"]
    assert sent[2]["tool_call_id"] == sent[1]["tool_calls"][0]["id"]
    assert "Answer the tool calls" not in _main_text(page), "nothing is left to answer"
    assert not page.locator('[data-testid="stException"]').count()
    assert not watch.console_errors and not watch.external_requests
