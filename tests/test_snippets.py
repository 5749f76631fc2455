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
from pathlib import Path

import pytest

from routerlens import snippets as sn
from routerlens import tools as sn_tools
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
    words = shlex.split(code.replace("\\\n", " "), comments=True)  # (with tools, notes follow as comments)
    return json.loads(words[words.index("-d") + 1])


def python_call_kwargs(code: str, call: str) -> dict:
    """Keyword arguments of ``…<call>(…)`` in Python source, evaluated as literals (any other
    expression, such as ``os.environ[…]``, as its source text)."""
    def value(node):
        try:
            return ast.literal_eval(node)
        except ValueError:
            return ast.unparse(node)

    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(call):
            return {kw.arg: value(kw.value) for kw in node.keywords}
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
    assert "@ts-expect-error" not in ts and "@ts-ignore" not in ts  # it type-checks as it is
    if provider:
        assert 'provider: {"order": ["azure"], "allow_fallbacks": false}' in ts
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


# -- every snippet the API page can show runs (Python) or type-checks (TypeScript) as written ------

CHAT = "/api/v1/chat/completions"
ROOT = Path(__file__).resolve().parents[1]
ALL_PARAMS = dict(system_prompt="Be brief.", temperature=0.3, max_tokens=64, top_p=0.9, frequency_penalty=0.1,
                  presence_penalty=0.2, seed=7, stop=("END",))
PY_GENERATORS = {"openai": sn.python_openai, "openrouter": sn.python_openrouter, "stdlib": sn.python_stdlib}
PY_CASES = {  # what changes the code's shape: the provider object, streaming, the attribution headers
    "pinned-all-params": (RoutingMode.PINNED, "azure", ALL_PARAMS, False, True),
    "pinned-all-params-stream": (RoutingMode.PINNED, "azure", ALL_PARAMS, True, True),
    "nitro-no-attribution": (RoutingMode.NITRO, None, {}, False, False),
}
ATTRIBUTION_NAMES = {"http-referer", "x-openrouter-title", "x-title", "x-openrouter-categories"}


def _run_snippet(code: str, tmp_path, fake) -> subprocess.CompletedProcess:
    script = tmp_path / "snippet.py"
    script.write_text(code)
    return subprocess.run([sys.executable, str(script)], env=_run_env(fake), cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def _sdk(kind: str) -> None:
    if kind != "stdlib":
        pytest.importorskip(kind, reason=f"the {kind} SDK is not installed (pip install -r requirements-dev.txt)")


def _app_attribution_names(fake) -> set[str]:
    """The attribution headers the app's own client really sends (read off the wire)."""
    from routerlens.client import OpenRouterClient
    from routerlens.config import Settings

    OpenRouterClient(Settings(base_url=fake.base_url)).get_json("/models")
    return set(fake.requests_to("/api/v1/models")[-1].headers) & ATTRIBUTION_NAMES


@pytest.mark.parametrize("case", list(PY_CASES))
@pytest.mark.parametrize("kind", list(PY_GENERATORS))
def test_every_python_snippet_runs_against_the_loopback_server(fake, tmp_path, kind, case):
    """Run the code as a user would copy it: the server receives exactly the playground's body,
    the key from the environment and the app's own attribution headers; the answer is printed."""
    _sdk(kind)
    mode, pinned, params, stream, attribution = PY_CASES[case]
    spec = spec_for(mode, pinned, **params)
    snippet = PY_GENERATORS[kind](spec, "Hello there", sn.SnippetOptions(base_url=fake.base_url, stream=stream,
                                                                         attribution=attribution))
    proc = _run_snippet(snippet.code, tmp_path, fake)
    assert proc.returncode == 0, proc.stderr
    assert "Echo: Hello there" in proc.stdout
    sent = fake.requests_to(CHAT, "POST")
    assert len(sent) == 1
    received = {k: v for k, v in sent[0].body.items() if (k, v) != ("stream", False)}  # the SDK says "no stream" aloud
    assert received == spec.body([{"role": "user", "content": "Hello there"}], stream=stream)
    assert sent[0].headers["authorization"] == "Bearer sk-or-v1-test-from-env"
    names = set(sent[0].headers) & ATTRIBUTION_NAMES
    if attribution:
        assert names == _app_attribution_names(fake) == {"http-referer", "x-openrouter-title"}
        assert sent[0].headers["http-referer"] == sn.EXAMPLE_REFERER
        assert sent[0].headers["x-openrouter-title"] == sn.EXAMPLE_TITLE
    else:
        assert not names


def test_openrouter_sdk_snippet_retries_a_5xx_within_a_bound_and_sets_a_timeout(fake, tmp_path):
    """The SDK's own default retries a 5xx for up to an hour; the snippet bounds it and still
    retries (two overloaded answers, then the real one)."""
    _sdk("openrouter")
    from tests.fake_chat import error_reply

    code = sn.python_openrouter(spec_for(RoutingMode.BALANCED), "Hi", sn.SnippetOptions(base_url=fake.base_url)).code
    backoff = python_call_kwargs(code, "BackoffStrategy")
    assert 0 < backoff["max_elapsed_time"] <= 60_000 and backoff["max_interval"] <= backoff["max_elapsed_time"]
    assert 0 < python_call_kwargs(code, "OpenRouter")["timeout_ms"] <= 300_000

    fake.queue(CHAT, error_reply(503, "Overloaded", retry_after="0"), error_reply(502, "Bad gateway", retry_after="0"),
               method="POST")
    proc = _run_snippet(code, tmp_path, fake)
    assert proc.returncode == 0, proc.stderr
    assert "Echo: Hi" in proc.stdout and len(fake.requests_to(CHAT, "POST")) == 3


# -- with tools and structured outputs: the loop that answers tool calls, the parsed answer ---------

WEATHER = sn_tools.EXAMPLE_TOOLS["Weather lookup"]
SCHEMA = sn_tools.parse_response_schema(sn_tools.as_editor_text(sn_tools.EXAMPLE_SCHEMAS["Weather report"]))
TOOL_PARAMS = {  # what the playground's tools expander can add, by the shape it gives the code
    "tools": dict(tools=tuple(sn_tools.EXAMPLE_TOOLS["Both"]), tool_choice="auto", parallel_tool_calls=True),
    "schema": dict(response_format=SCHEMA.response_format),
    "tools-schema-named-top_k": dict(tools=tuple(WEATHER), response_format=SCHEMA.response_format,
                                     tool_choice={"type": "function", "function": {"name": "get_weather"}},
                                     temperature=0.2, extra={"top_k": 40}),
}
PARIS = '{"city": "Paris", "unit": "celsius"}'
TOOL_RUNS = {  # name: (params, prompt for the fake server, stream, what the run prints)
    "two-calls": (TOOL_PARAMS["tools"], f'call get_weather {PARIS}\ncall calculate {{"expression": "6 * 7"}}',
                  False, "calculate → {"),
    "two-calls-stream-pinned": ({**TOOL_PARAMS["tools"], "pinned": "azure"},
                                f'call get_weather {PARIS}\ncall calculate {{"expression": "6 * 7"}}', True,
                                "calculate → {"),
    "malformed-arguments-stream": (TOOL_PARAMS["tools"], 'call get_weather {"city": "Par', True,
                                   "the arguments are not valid JSON"),
    "schema": (TOOL_PARAMS["schema"], 'reply: {"city": "Paris", "temperature_c": 21, "conditions": "sunny"}', False,
               '"temperature_c": 21'),
    "tools-and-schema-stream": (TOOL_PARAMS["tools-schema-named-top_k"], f"call get_weather {PARIS}", True,
                                '{"echo": "From the tools: get_weather'),
}


def _tool_spec(params: dict) -> RequestSpec:
    params = dict(params)
    pinned = params.pop("pinned", None)
    return spec_for(RoutingMode.PINNED if pinned else RoutingMode.BALANCED, pinned, **params)


@pytest.mark.parametrize("run", list(TOOL_RUNS))
@pytest.mark.parametrize("kind", list(PY_GENERATORS))
def test_python_snippets_with_tools_answer_the_calls_and_ask_again(fake, tmp_path, kind, run):
    """The fake model calls the tools the prompt names; the snippet runs its stub for each call,
    sends the assistant message with its ``tool_calls`` and one ``tool`` message per call, and
    prints the model's next answer (parsed as JSON when a response schema was sent)."""
    _sdk(kind)
    params, prompt, stream, printed = TOOL_RUNS[run]
    spec = _tool_spec(params)
    code = PY_GENERATORS[kind](spec, prompt, sn.SnippetOptions(base_url=fake.base_url, stream=stream)).code
    proc = _run_snippet(code, tmp_path, fake)
    assert proc.returncode == 0, proc.stderr
    assert printed in proc.stdout, proc.stdout
    sent = [request.body for request in fake.requests_to(CHAT, "POST")]
    first = spec.body([{"role": "user", "content": prompt}], stream=stream)
    assert {k: v for k, v in sent[0].items() if (k, v) != ("stream", False)} == first, "the playground's request"
    if not spec.tools:
        assert len(sent) == 1
        return
    assert len(sent) == 2, "the calls were answered and the model asked again"
    assistant, *results = sent[1]["messages"][len(first["messages"]):]
    assert assistant["role"] == "assistant" and len(assistant["tool_calls"]) == len(results) == prompt.count("call ")
    for call, result in zip(assistant["tool_calls"], results):
        assert result["role"] == "tool" and result["tool_call_id"] == call["id"]
        assert call["function"]["arguments"] in prompt, "the arguments as they came, pieced together when streamed"
        if "malformed" in run:
            assert "the arguments are not valid JSON" in result["content"]
        else:
            assert json.loads(result["content"])["result"] == f"stub: replace with your {call['function']['name']}"
    assert {k: v for k, v in sent[1].items() if k != "messages"} == {k: v for k, v in sent[0].items() if k != "messages"}


def test_tool_snippets_show_what_a_program_does_with_the_calls():
    spec = _tool_spec(TOOL_PARAMS["tools-schema-named-top_k"])
    streamed = {s.label: s.code for s in sn.all_snippets(spec, "Hi", sn.SnippetOptions(stream=True))}
    for label, code in streamed.items():
        if label != "curl":
            assert "tool_calls" in code and "get_weather" in code, label
            assert re.search(r"piece[.\[]", code), f"{label}: streamed calls are gathered piece by piece"
    assert "JSON.parse(text)" in streamed["TypeScript · openai"]
    assert "answer = json.loads(text)" in streamed["Python · OpenAI SDK"]
    assert '"tool_call_id": "<its id>"' in streamed["curl"] and "response schema" in streamed["curl"]
    assert curl_body(streamed["curl"]) == spec.body([{"role": "user", "content": "Hi"}], stream=True)
    kwargs = python_call_kwargs(streamed["Python · OpenAI SDK"], "chat.completions.create")
    assert kwargs["messages"] == "messages" and kwargs["tools"] == list(spec.tools)
    assert kwargs["tool_choice"] == spec.tool_choice and kwargs["response_format"] == spec.response_format
    assert kwargs["extra_body"] == {"top_k": 40}
    hostile = RequestSpec(GPT, tools=({"type": "function", "function": {
        "name": "x", "parameters": {"type": "object", "properties": {"a\nimport os\u2028b": {"type": "string"}}}}},))
    for snippet in sn.all_snippets(hostile, "Hi", sn.SnippetOptions()):
        if snippet.language == "python":
            compile(snippet.code, snippet.label, "exec")
        if snippet.label != "curl":  # an argument's name is quoted and escaped in the stub's comment
            assert 'arguments: "a\\nimport os\\u2028b"' in snippet.code, snippet.label


def ts_project(node_modules: Path, project: Path, files: dict[str, str]) -> None:
    """``files`` as one ES-module Node project (tests/typescript/tsconfig.json)."""
    (project / "node_modules").symlink_to(node_modules, target_is_directory=True)
    shutil.copy(TS_DIR / "tsconfig.json", project / "tsconfig.json")
    for name, code in files.items():
        (project / f"{name}.mts").write_text(code)


@pytest.mark.parametrize("run", ["two-calls", "two-calls-stream-pinned", "tools-and-schema-stream"])
def test_typescript_snippets_with_tools_run_against_the_loopback_server(ts_node_modules, fake, tmp_path, run):
    """Compiled with tsc and run with node, as a user would: the calls are answered, the model is
    asked again and its answer printed."""
    params, prompt, stream, printed = TOOL_RUNS[run]
    code = sn.typescript_openai(_tool_spec(params), prompt, sn.SnippetOptions(base_url=fake.base_url,
                                                                            stream=stream)).code
    ts_project(ts_node_modules, tmp_path, {"snippet": code})
    tsc = ts_node_modules / TS_COMPILERS["current"] / "bin" / "tsc"
    emit = subprocess.run([shutil.which("node"), str(tsc), "-p", str(tmp_path), "--noEmit", "false", "--outDir",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert emit.returncode == 0, emit.stdout[-2000:]
    (tmp_path / "out" / "node_modules").symlink_to(ts_node_modules, target_is_directory=True)
    proc = subprocess.run([shutil.which("node"), str(tmp_path / "out" / "snippet.mjs")], env=_run_env(fake),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert printed in proc.stdout, proc.stdout
    sent = [request.body for request in fake.requests_to(CHAT, "POST")]
    assert len(sent) == 2
    assert [m["role"] for m in sent[1]["messages"]] == ["user", "assistant", *["tool"] * prompt.count("call ")]


TS_DIR = ROOT / "tests" / "typescript"
TS_COMPILERS = {"current": "typescript", "5.9": "typescript-5.9"}  # package names in tests/typescript/package.json


def all_typescript_snippets() -> dict[str, str]:
    """Every TypeScript snippet the API page can show, by what shapes its code: each routing mode,
    streaming or not, attribution headers or not, no parameters, every playground parameter, and
    an OpenRouter-only parameter beside the provider object; and with tools (the loop that answers
    their calls), a response schema (the parsed answer), or both with a named tool choice."""
    params_sets = {"none": {}, "all": ALL_PARAMS, "all-top_k": {**ALL_PARAMS, "extra": {"top_k": 40}},
                   **TOOL_PARAMS}
    out = {}
    for mode in RoutingMode:
        for stream in (False, True):
            for attribution in (False, True):
                for params_name, params in params_sets.items():
                    spec = spec_for(mode, "azure" if mode is RoutingMode.PINNED else None, **params)
                    options = sn.SnippetOptions(stream=stream, attribution=attribution)
                    shape = ("stream" if stream else "once", "attr" if attribution else "plain", params_name)
                    name = "-".join((mode.name.lower(), *shape))
                    out[name] = sn.typescript_openai(spec, "Hello", options).code
    return out


@pytest.fixture(scope="module")
def ts_node_modules() -> Path:
    """``tests/typescript/package.json`` installed once into ``artifacts/typescript-check/<hash>``
    (npm registry needed the first time only); skips with the reason where that cannot be done."""
    import hashlib

    node, npm = shutil.which("node"), shutil.which("npm")
    if not node:
        pytest.skip("node is not installed: the TypeScript snippets cannot be type-checked")
    manifest = (TS_DIR / "package.json").read_bytes()
    cache = ROOT / "artifacts" / "typescript-check" / hashlib.sha256(manifest).hexdigest()[:12]
    done = cache / ".installed"
    if not done.exists():
        if not npm:
            pytest.skip("npm is not installed: typescript and openai cannot be fetched for the type check")
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "package.json").write_bytes(manifest)
        try:
            proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error",
                                   "--fetch-retries=1", "--fetch-timeout=30000"],
                                  cwd=cache, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            pytest.skip("npm install of typescript/openai timed out (no access to the npm registry?)")
        if proc.returncode != 0:
            pytest.skip("npm could not install typescript/openai (no access to the npm registry?): "
                        + (proc.stderr.strip().splitlines() or ["no output"])[-1])
        done.write_text("ok\n")
    return cache / "node_modules"


def _tsc(node_modules: Path, compiler: str, project: Path, files: dict[str, str]) -> subprocess.CompletedProcess:
    """Type-check ``files`` as one ES-module Node project (tests/typescript/tsconfig.json)."""
    ts_project(node_modules, project, files)
    tsc = node_modules / TS_COMPILERS[compiler] / "bin" / "tsc"
    return subprocess.run([shutil.which("node"), str(tsc), "-p", str(project)], capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("compiler", list(TS_COMPILERS))
def test_every_typescript_snippet_type_checks(ts_node_modules, tmp_path, compiler):
    snippets = all_typescript_snippets()
    assert len(snippets) == len(RoutingMode) * 2 * 2 * (3 + len(TOOL_PARAMS))
    proc = _tsc(ts_node_modules, compiler, tmp_path, snippets)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_the_type_check_catches_a_wrong_snippet(ts_node_modules, tmp_path):
    """Positive control: a body the OpenAI types reject (an OpenRouter-only field in the object
    literal, with no widening) fails the same check."""
    good = sn.typescript_openai(spec_for(RoutingMode.PINNED, "azure"), "Hello", sn.SnippetOptions(stream=True)).code
    bad = re.sub(r"const body: [^=]+= \{", "const body = {", good)
    bad = bad.replace("create(body)", "create({...body, stream: true, provider: body.provider})")
    assert bad != good
    proc = _tsc(ts_node_modules, "current", tmp_path, {"control": bad})
    assert proc.returncode != 0 and "error TS" in proc.stdout, proc.stdout
