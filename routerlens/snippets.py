"""Drop-in code that sends exactly what the playground would send.

Every snippet is generated from one :class:`~routerlens.routing.RequestSpec` body (so the
``:nitro`` suffix, the ``provider`` object and the sampling parameters match the playground),
for: Python with the OpenAI SDK (base URL swapped), Python with OpenRouter's ``openrouter`` SDK,
Python with only the standard library, TypeScript with the ``openai`` npm package, and curl.

The API key is ALWAYS a placeholder read from the environment (``OPENROUTER_API_KEY``); this
module never sees the real key. Attribution headers are optional, use placeholder values the user
replaces, and are the very headers the app's own client sends
(:func:`routerlens.client.attribution_headers`).

Every snippet runs as written: ``tests/test_snippets.py`` runs each Python one against the
loopback server and type-checks each TypeScript one with the current ``tsc``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .client import attribution_headers
from .config import DEFAULT_BASE_URL
from .routing import RequestSpec

KEY_ENV = "OPENROUTER_API_KEY"
EXAMPLE_REFERER = "https://your-app.example"
EXAMPLE_TITLE = "Your App"
OPENROUTER_SDK_HEADER_ARGS = {"HTTP-Referer": "http_referer", "X-OpenRouter-Title": "x_open_router_title"}
"""The ``OpenRouter(...)`` keyword that sends each attribution header."""
SDK_TIMEOUT_MS = 120_000
SDK_RETRY_BACKOFF = {"initial_interval": 500, "max_interval": 8_000, "exponent": 2, "max_elapsed_time": 30_000}
"""A bounded retry policy for the OpenRouter SDK snippet (milliseconds). The SDK's default retries a
5xx with backoff for up to an hour, far longer than anyone waits for a chat answer."""

# Keyword arguments the OpenAI Python SDK's chat.completions.create accepts natively; anything
# else (OpenRouter's ``provider``, ``top_k``, …) goes into ``extra_body``.
OPENAI_NATIVE = frozenset({
    "model", "messages", "stream", "temperature", "max_tokens", "max_completion_tokens", "top_p",
    "frequency_penalty", "presence_penalty", "seed", "stop", "logit_bias", "logprobs", "top_logprobs",
    "response_format", "tools", "tool_choice", "parallel_tool_calls", "user", "n", "metadata",
    "reasoning_effort", "service_tier", "prediction", "modalities",
})


@dataclass(frozen=True)
class Snippet:
    label: str
    language: str
    """Syntax-highlighting name for ``st.code``."""
    code: str
    install: str | None = None


@dataclass(frozen=True)
class SnippetOptions:
    base_url: str = DEFAULT_BASE_URL
    stream: bool = False
    attribution: bool = True


def request_body(spec: RequestSpec, prompt: str, *, stream: bool) -> dict[str, Any]:
    """The chat body every snippet sends (the playground's own body builder)."""
    return spec.body([{"role": "user", "content": prompt}], stream=stream)


INLINE_WIDTH = 72


def py_literal(value: Any, indent: int = 0) -> str:
    """A Python literal for JSON-like data, formatted like JSON (``true`` → ``True``): on one
    line when it fits in ``INLINE_WIDTH`` characters, else one item per line."""
    flat = _py_inline(value)
    if len(flat) + indent <= INLINE_WIDTH:
        return flat
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k))}: {py_literal(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{py_literal(v, indent + 4)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value))


def _py_inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_py_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_py_inline(v) for v in value) + "]"
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    return json.dumps(str(value))


def js_literal(value: Any, indent: int = 0) -> str:
    """JSON text for a JS/TS object literal, inline when short (same rule as :func:`py_literal`)."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= INLINE_WIDTH:
        return flat
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * indent)


def _kwargs(pairs: dict[str, Any], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}{name}={py_literal(value, indent)}," for name, value in pairs.items())


def _headers(options: SnippetOptions) -> dict[str, str]:
    return attribution_headers(EXAMPLE_REFERER, EXAMPLE_TITLE) if options.attribution else {}


def python_openai(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    body = request_body(spec, prompt, stream=options.stream)
    native = {k: v for k, v in body.items() if k in OPENAI_NATIVE}
    extra = {k: v for k, v in body.items() if k not in OPENAI_NATIVE}
    if extra:
        native["extra_body"] = extra
    client = [f'    base_url={json.dumps(options.base_url)},', f'    api_key=os.environ["{KEY_ENV}"],']
    if options.attribution:
        client.append(f"    default_headers={py_literal(_headers(options), 4)},")
    lines = ["import os", "", "from openai import OpenAI", "", "client = OpenAI(", *client, ")", "",
             "response = client.chat.completions.create(", _kwargs(native, 4), ")"]
    if options.stream:
        lines += ["for chunk in response:",
                  "    if chunk.choices and chunk.choices[0].delta.content:",
                  '        print(chunk.choices[0].delta.content, end="", flush=True)',
                  "print()"]
    else:
        lines += ["print(response.choices[0].message.content)"]
    return Snippet("Python · OpenAI SDK", "python", "\n".join(lines) + "\n", install="pip install openai")


def python_openrouter(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    body = request_body(spec, prompt, stream=options.stream)
    client = [f'    api_key=os.environ["{KEY_ENV}"],']
    if options.base_url.rstrip("/") != DEFAULT_BASE_URL:
        client.append(f"    server_url={json.dumps(options.base_url)},")
    client += [f"    {OPENROUTER_SDK_HEADER_ARGS[name]}={json.dumps(value)},"
               for name, value in _headers(options).items()]
    client += [f"    timeout_ms={SDK_TIMEOUT_MS:_},", "    retry_config=RETRIES,"]
    backoff = ", ".join(f"{name}={value:_}" for name, value in SDK_RETRY_BACKOFF.items())
    retry_s = SDK_RETRY_BACKOFF["max_elapsed_time"] // 1000
    lines = ["import os", "", "from openrouter import OpenRouter",
             "from openrouter.utils import BackoffStrategy, RetryConfig", "",
             f"# Retry a 5xx or a dropped connection for {retry_s} s at most (the SDK's default: up to an hour).",
             "RETRIES = RetryConfig(", '    "backoff",', f"    BackoffStrategy({backoff}),",
             "    retry_connection_errors=True,", ")", "",
             "with OpenRouter(", *client, ") as client:",
             "    response = client.chat.send(", _kwargs(body, 8), "    )"]
    if options.stream:
        lines += ["    with response as events:",
                  "        for event in events:",
                  "            if event.choices and event.choices[0].delta.content:",
                  '                print(event.choices[0].delta.content, end="", flush=True)',
                  "    print()"]
    else:
        lines += ["    print(response.choices[0].message.content)"]
    return Snippet("Python · OpenRouter SDK", "python", "\n".join(lines) + "\n", install="pip install openrouter")


def python_stdlib(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    """No dependencies at all: urllib from the standard library."""
    body = request_body(spec, prompt, stream=options.stream)
    headers = {"Content-Type": "application/json", **_headers(options)}
    url = options.base_url.rstrip("/") + "/chat/completions"
    lines = ["import json", "import os", "import urllib.request", "",
             f"body = {py_literal(body)}", "",
             f"headers = {py_literal(headers)}",
             f'headers["Authorization"] = "Bearer " + os.environ["{KEY_ENV}"]', "",
             "request = urllib.request.Request(",
             f"    {json.dumps(url)},",
             '    data=json.dumps(body).encode("utf-8"),',
             "    headers=headers,",
             '    method="POST",',
             ")",
             "with urllib.request.urlopen(request, timeout=120) as response:"]
    if options.stream:
        lines += ["    for raw in response:  # server-sent events; ': …' lines are keep-alive comments",
                  '        line = raw.decode("utf-8").strip()',
                  '        if not line.startswith("data: ") or line == "data: [DONE]":',
                  "            continue",
                  "        chunk = json.loads(line[len(\"data: \"):])",
                  '        for choice in chunk.get("choices") or []:',
                  '            print((choice.get("delta") or {}).get("content") or "", end="", flush=True)',
                  "print()"]
    else:
        lines += ['    reply = json.loads(response.read().decode("utf-8"))',
                  'print(reply["choices"][0]["message"]["content"])']
    return Snippet("Python · no dependencies", "python", "\n".join(lines) + "\n")


def typescript_openai(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    """The body is an object literal checked against the SDK's request type. OpenRouter's own
    fields (``provider``, ``top_k``, …) are not in that type, so a body that has any is declared
    as the SDK's type widened by ``Record<string, unknown>``: it type-checks with no suppression
    comment, and the SDK sends every field as is. (One ``@ts-expect-error`` per field did not:
    tsc reports an object literal's first unknown field only, so a second directive is "unused",
    and with ``stream: true`` the error moves to the call's overloads.)"""
    body = request_body(spec, prompt, stream=options.stream)
    fields = [f"  {name}: {js_literal(value, 2)}," for name, value in body.items()]
    client = [f"  baseURL: {json.dumps(options.base_url)},", f"  apiKey: process.env.{KEY_ENV},"]
    if options.attribution:
        client.append(f"  defaultHeaders: {js_literal(_headers(options), 2)},")
    lines = ['import OpenAI from "openai";', "", "const client = new OpenAI({", *client, "});", ""]
    extra = [name for name in body if name not in OPENAI_NATIVE]
    if extra:
        params = "ChatCompletionCreateParamsStreaming" if options.stream else "ChatCompletionCreateParamsNonStreaming"
        names = ", ".join(extra)
        lines += [f"// OpenRouter's own fields ({names}) are not in the OpenAI SDK's types; it sends them as is.",
                  f"const body: OpenAI.Chat.{params} & Record<string, unknown> = {{", *fields, "};",
                  "const response = await client.chat.completions.create(body);"]
    else:
        lines += ["const response = await client.chat.completions.create({", *fields, "});"]
    if options.stream:
        lines += ["for await (const chunk of response) {",
                  '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
                  "}"]
    else:
        lines += ["console.log(response.choices[0].message.content);"]
    return Snippet("TypeScript · openai", "typescript", "\n".join(lines) + "\n", install="npm install openai")


def curl(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    body = json.dumps(request_body(spec, prompt, stream=options.stream), indent=2, ensure_ascii=False)
    quoted = "'" + body.replace("'", "'\\''") + "'"
    url = options.base_url.rstrip("/") + "/chat/completions"
    lines = [f"curl{' -N' if options.stream else ''} {url} \\",
             f'  -H "Authorization: Bearer ${KEY_ENV}" \\',
             '  -H "Content-Type: application/json" \\']
    lines += [f'  -H "{name}: {value}" \\' for name, value in _headers(options).items()]
    lines += [f"  -d {quoted}"]
    return Snippet("curl", "bash", "\n".join(lines) + "\n")


GENERATORS = (python_openai, python_openrouter, typescript_openai, curl, python_stdlib)


def all_snippets(spec: RequestSpec, prompt: str, options: SnippetOptions) -> list[Snippet]:
    return [make(spec, prompt, options) for make in GENERATORS]
