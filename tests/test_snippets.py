"""Generated API code: valid in each language, faithful to the request, and it really works."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from routerlens import snippets as sn
from routerlens.routing import RequestSpec, RoutingMode

GPT = "openai/gpt-4o-mini"
SECRET = "sk-or-v1-THIS-MUST-NEVER-APPEAR"

MODES = [
    (RoutingMode.BALANCED, None, GPT, None),
    (RoutingMode.NITRO, None, f"{GPT}:nitro", None),
    (RoutingMode.EXACTO, None, f"{GPT}:exacto", None),
    (RoutingMode.FLOOR, None, f"{GPT}:floor", None),
    (RoutingMode.PINNED, "azure", GPT, {"order": ["azure"], "allow_fallbacks": False}),
]


def spec_for(mode: RoutingMode, pinned: str | None = None, **params) -> RequestSpec:
    return RequestSpec(GPT, **params).with_mode(mode, pinned)


def curl_body(code: str) -> dict:
    """The JSON after ``-d`` in a curl snippet, unquoted exactly as a shell would."""
    words = shlex.split(code.replace("\\\n", " "))
    return json.loads(words[words.index("-d") + 1])


def python_call_kwargs(code: str, call: str) -> dict:
    """Keyword arguments of ``…<call>(…)`` in Python source, evaluated as literals."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(call):
            return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    raise AssertionError(f"no call to {call}")


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("mode, pinned, model, provider", MODES)
def test_every_snippet_is_valid_and_carries_the_mode(mode, pinned, model, provider, stream):
    spec = spec_for(mode, pinned, temperature=0.3, max_tokens=64, seed=7, system_prompt="Be brief.")
    options = sn.SnippetOptions(stream=stream)
    prompt = 'Say "hi" — it\'s a {test} \\ with $HOME and `ticks`'
    expected = spec.body([{"role": "user", "content": prompt}], stream=stream)
    by_label = {s.label: s for s in sn.all_snippets(spec, prompt, options)}
    assert len(by_label) == 5

    for snippet in by_label.values():
        assert SECRET not in snippet.code
        if snippet.language == "python":
            compile(snippet.code, snippet.label, "exec")  # valid Python

    assert curl_body(by_label["curl"].code) == expected

    stdlib = by_label["Python · no dependencies"].code
    body_node = next(n for n in ast.walk(ast.parse(stdlib)) if isinstance(n, ast.Assign) and n.targets[0].id == "body")
    assert ast.literal_eval(body_node.value) == expected

    openai_kwargs = python_call_kwargs(by_label["Python · OpenAI SDK"].code, "chat.completions.create")
    assert openai_kwargs["model"] == model
    assert openai_kwargs.get("extra_body", {}).get("provider") == provider
    assert "provider" not in openai_kwargs  # not a keyword the OpenAI SDK accepts
    assert openai_kwargs.get("stream", False) == stream

    router_kwargs = python_call_kwargs(by_label["Python · OpenRouter SDK"].code, "chat.send")
    assert router_kwargs == expected

    ts = by_label["TypeScript · openai"].code
    assert f'model: "{model}",' in ts
    if provider:
        assert "// @ts-expect-error" in ts and 'provider: {"order": ["azure"], "allow_fallbacks": false}' in ts
    else:
        assert "provider" not in ts


def test_key_is_always_an_environment_placeholder():
    code = "\n".join(s.code for s in sn.all_snippets(spec_for(RoutingMode.NITRO), "hi", sn.SnippetOptions()))
    assert 'os.environ["OPENROUTER_API_KEY"]' in code
    assert "process.env.OPENROUTER_API_KEY" in code
    assert "Bearer $OPENROUTER_API_KEY" in code
    assert "sk-or-" not in code


def test_attribution_headers_are_optional():
    with_headers = sn.all_snippets(spec_for(RoutingMode.BALANCED), "hi", sn.SnippetOptions(attribution=True))
    without = sn.all_snippets(spec_for(RoutingMode.BALANCED), "hi", sn.SnippetOptions(attribution=False))
    assert all("X-OpenRouter-Title" in s.code or "x_open_router_title" in s.code for s in with_headers)
    assert all("HTTP-Referer" not in s.code and "http_referer" not in s.code for s in without)


def test_custom_base_url_is_used_everywhere():
    options = sn.SnippetOptions(base_url="http://127.0.0.1:8931/api/v1")
    for snippet in sn.all_snippets(spec_for(RoutingMode.BALANCED), "hi", options):
        assert "127.0.0.1:8931" in snippet.code, snippet.label
        assert "openrouter.ai/api" not in snippet.code


def test_default_base_url_needs_no_server_override_in_the_openrouter_sdk():
    code = sn.python_openrouter(spec_for(RoutingMode.BALANCED), "hi", sn.SnippetOptions()).code
    assert "server_url" not in code


def test_extra_parameters_go_to_extra_body_for_the_openai_sdk():
    spec = RequestSpec(GPT, extra={"top_k": 40})
    kwargs = python_call_kwargs(sn.python_openai(spec, "hi", sn.SnippetOptions()).code, "chat.completions.create")
    assert kwargs["extra_body"] == {"top_k": 40}


def test_py_literal_round_trips_json_like_data():
    data = {"a": [1, 2.5, True, None, "x\n\"y\""], "b": {"c": "é ✓"}, "long": ["x" * 40, "y" * 40]}
    assert ast.literal_eval(sn.py_literal(data)) == data
    assert json.loads(sn.js_literal(data, 2)) == data


def _run_env(fake) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENROUTER_", "ROUTERLENS_"))}
    env["OPENROUTER_API_KEY"] = "sk-or-v1-test-from-env"
    return env


@pytest.mark.parametrize("stream", [False, True])
def test_stdlib_python_snippet_in_nitro_mode_sends_the_nitro_model(fake, tmp_path, stream):
    """Copy the snippet, run it as a user would: the server receives ``openai/gpt-4o-mini:nitro``."""
    snippet = sn.python_stdlib(spec_for(RoutingMode.NITRO, temperature=0.2), "Hello there",
                               sn.SnippetOptions(base_url=fake.base_url, stream=stream))
    script = tmp_path / "snippet.py"
    script.write_text(snippet.code)
    proc = subprocess.run([sys.executable, str(script)], env=_run_env(fake), capture_output=True, text=True,
                          timeout=60)
    sent = fake.requests_to("/api/v1/chat/completions", "POST")
    assert len(sent) == 1, proc.stderr
    assert sent[0].body["model"] == "openai/gpt-4o-mini:nitro"
    assert sent[0].body["temperature"] == 0.2 and sent[0].body.get("stream", False) == stream
    assert sent[0].headers["authorization"] == "Bearer sk-or-v1-test-from-env"
    assert sent[0].headers["x-openrouter-title"] == sn.EXAMPLE_TITLE
    if ("POST", "/api/v1/chat/completions") in fake.routes:  # a chat route is installed: the run succeeds
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip()


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None, reason="needs curl and bash")
def test_curl_snippet_in_pinned_mode_sends_the_provider_object(fake, tmp_path):
    snippet = sn.curl(spec_for(RoutingMode.PINNED, "azure"), "It's a test", sn.SnippetOptions(base_url=fake.base_url))
    script = tmp_path / "snippet.sh"
    script.write_text(re.sub(r"^curl ", "curl -sS ", snippet.code))
    proc = subprocess.run(["bash", str(script)], env=_run_env(fake), capture_output=True, text=True, timeout=60)
    sent = fake.requests_to("/api/v1/chat/completions", "POST")
    assert len(sent) == 1, proc.stderr
    assert sent[0].body["model"] == GPT
    assert sent[0].body["provider"] == {"order": ["azure"], "allow_fallbacks": False}
    assert sent[0].body["messages"][-1]["content"] == "It's a test"
    assert sent[0].headers["authorization"] == "Bearer sk-or-v1-test-from-env"
