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

With tools or a JSON-Schema ``response_format`` in the request, the snippets do what a program
must then do (:func:`plain` is false): the streaming ones gather ``delta.tool_calls`` by index
beside the text; with tools, a stub per tool (``run_tool``: replace its body) answers each call,
the assistant message with its ``tool_calls`` and one ``tool`` message per call are added to the
conversation and the model is asked again (:data:`MAX_TOOL_ROUNDS` at most); with a schema, the
answer is parsed as JSON. curl sends the one request and says in comments how the next one goes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .client import attribution_headers
from .config import DEFAULT_BASE_URL
from .routing import RequestSpec
from .tools import response_schema, tool_schemas

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


@dataclass(frozen=True)
class Code:
    """Source text put into a generated literal as is (a variable's name, e.g. ``messages``)."""

    text: str


def py_literal(value: Any, indent: int = 0) -> str:
    """A Python literal for JSON-like data, formatted like JSON (``true`` → ``True``): on one
    line when it fits in ``INLINE_WIDTH`` characters, else one item per line."""
    if isinstance(value, Code):
        return value.text
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
    if isinstance(value, Code):
        return value.text
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


def _messages_apart(body: dict[str, Any]) -> list[dict]:
    """Take the messages out of ``body`` (left there as the name ``messages``): a snippet that
    answers tool calls adds to them between requests."""
    messages = body["messages"]
    body["messages"] = Code("messages")
    return messages


def _indented(lines: list[str] | str, by: str) -> list[str]:
    """Code lines (or text of several) moved right by ``by``; blank lines stay empty."""
    return [f"{by}{line}" if line else line for line in (lines.splitlines() if isinstance(lines, str) else lines)]


def _lines(*parts: str | list[str]) -> list[str]:
    """Code parts (strings may hold several lines) as one list of lines."""
    return "\n".join(part if isinstance(part, str) else "\n".join(part) for part in parts).splitlines()


def python_openai(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    body = request_body(spec, prompt, stream=options.stream)
    messages = None if plain(spec) else _messages_apart(body)
    native = {k: v for k, v in body.items() if k in OPENAI_NATIVE}
    extra = {k: v for k, v in body.items() if k not in OPENAI_NATIVE}
    if extra:
        native["extra_body"] = extra
    client = [f'    base_url={json.dumps(options.base_url)},', f'    api_key=os.environ["{KEY_ENV}"],']
    if options.attribution:
        client.append(f"    default_headers={py_literal(_headers(options), 4)},")
    ask = ["response = client.chat.completions.create(", _kwargs(native, 4), ")"]
    lines = ["import os", "", "from openai import OpenAI", "", "client = OpenAI(", *client, ")", ""]
    if messages is not None:
        lines = ["import json", *lines, *(["", *py_tool_functions(spec)] if spec.tools else []),
                 f"messages = {py_literal(messages)}",
                 *py_answer(spec, _lines(ask), py_sdk_read(spec, stream=options.stream), stream=options.stream)]
    elif options.stream:
        lines += [*ask, "for chunk in response:",
                  "    if chunk.choices and chunk.choices[0].delta.content:",
                  '        print(chunk.choices[0].delta.content, end="", flush=True)',
                  "print()"]
    else:
        lines += [*ask, "print(response.choices[0].message.content)"]
    return Snippet("Python · OpenAI SDK", "python", "\n".join(lines) + "\n", install="pip install openai")


def python_openrouter(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    body = request_body(spec, prompt, stream=options.stream)
    messages = None if plain(spec) else _messages_apart(body)
    client = [f'    api_key=os.environ["{KEY_ENV}"],']
    if options.base_url.rstrip("/") != DEFAULT_BASE_URL:
        client.append(f"    server_url={json.dumps(options.base_url)},")
    client += [f"    {OPENROUTER_SDK_HEADER_ARGS[name]}={json.dumps(value)},"
               for name, value in _headers(options).items()]
    client += [f"    timeout_ms={SDK_TIMEOUT_MS:_},", "    retry_config=RETRIES,"]
    backoff = ", ".join(f"{name}={value:_}" for name, value in SDK_RETRY_BACKOFF.items())
    retry_s = SDK_RETRY_BACKOFF["max_elapsed_time"] // 1000
    lines = [*(["import json"] if messages is not None else []), "import os", "", "from openrouter import OpenRouter",
             "from openrouter.utils import BackoffStrategy, RetryConfig", "",
             f"# Retry a 5xx or a dropped connection for {retry_s} s at most (the SDK's default: up to an hour).",
             "RETRIES = RetryConfig(", '    "backoff",', f"    BackoffStrategy({backoff}),",
             "    retry_connection_errors=True,", ")", ""]
    if messages is None:
        lines += ["with OpenRouter(", *client, ") as client:",
                  "    response = client.chat.send(", _kwargs(body, 8), "    )"]
        if options.stream:
            lines += ["    with response as events:",
                      "        for event in events:",
                      "            if event.choices and event.choices[0].delta.content:",
                      '                print(event.choices[0].delta.content, end="", flush=True)',
                      "    print()"]
        else:
            lines += ["    print(response.choices[0].message.content)"]
    else:
        read = py_sdk_read(spec, stream=options.stream, events="events")
        if options.stream:  # the SDK's event stream is a context manager
            read = "\n".join(["with response as events:", *_indented(read, "    ")]) + "\n"
        answer = py_answer(spec, _lines(["response = client.chat.send(", _kwargs(body, 4), ")"]), read,
                           stream=options.stream)
        lines += [*(["", *py_tool_functions(spec)] if spec.tools else []), f"messages = {py_literal(messages)}", "",
                  "with OpenRouter(", *client, ") as client:", *_indented(answer, "    ")]
    return Snippet("Python · OpenRouter SDK", "python", "\n".join(lines) + "\n", install="pip install openrouter")


def python_stdlib(spec: RequestSpec, prompt: str, options: SnippetOptions) -> Snippet:
    """No dependencies at all: urllib from the standard library."""
    body = request_body(spec, prompt, stream=options.stream)
    headers = {"Content-Type": "application/json", **_headers(options)}
    url = options.base_url.rstrip("/") + "/chat/completions"
    lines = ["import json", "import os", "import urllib.request", "", f"body = {py_literal(body)}"]
    if not plain(spec):
        lines.append('messages = body["messages"]  # answers that call tools, and their results, are added here')
    lines += ["", f"headers = {py_literal(headers)}",
              f'headers["Authorization"] = "Bearer " + os.environ["{KEY_ENV}"]', ""]
    request = ["request = urllib.request.Request(", f"    {json.dumps(url)},", '    data=json.dumps(body).encode("utf-8"),',
               "    headers=headers,", '    method="POST",', ")"]
    if not plain(spec):
        lines += ["", "def send(body):", '    """POST the body; the response is read as it arrives."""',
                  *_indented(request, "    "), "    return urllib.request.urlopen(request, timeout=120)", "", "",
                  *py_tool_functions(spec),
                  *py_answer(spec, [], py_http_read(spec, stream=options.stream), stream=options.stream)]
        return Snippet("Python · no dependencies", "python", "\n".join(lines) + "\n")
    lines += [*request, "with urllib.request.urlopen(request, timeout=120) as response:"]
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
    messages = None if plain(spec) else _messages_apart(body)
    fields = ["  messages," if isinstance(value, Code) else f"  {name}: {js_literal(value, 2)},"
              for name, value in body.items()]
    client = [f"  baseURL: {json.dumps(options.base_url)},", f"  apiKey: process.env.{KEY_ENV},"]
    if options.attribution:
        client.append(f"  defaultHeaders: {js_literal(_headers(options), 2)},")
    lines = ['import OpenAI from "openai";', "", "const client = new OpenAI({", *client, "});", ""]
    extra = [name for name in body if name not in OPENAI_NATIVE]
    params = "ChatCompletionCreateParamsStreaming" if options.stream else "ChatCompletionCreateParamsNonStreaming"
    widened = " & Record<string, unknown>" if extra else ""
    why = ([f"// OpenRouter's own fields ({', '.join(extra)}) are not in the OpenAI SDK's types; it sends them as is."]
           if extra else [])
    if messages is not None:
        lines += [*ts_tool_functions(spec),
                  f"const messages: OpenAI.Chat.ChatCompletionMessageParam[] = {js_literal(messages)};", *why,
                  f"const body: OpenAI.Chat.{params}{widened} = {{", *fields, "};", "",
                  *ts_answer(spec, stream=options.stream)]
        return Snippet("TypeScript · openai", "typescript", "\n".join(lines) + "\n", install="npm install openai")
    if extra:
        lines += [*why, f"const body: OpenAI.Chat.{params}{widened} = {{", *fields, "};",
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
    lines += [f"  -d {quoted}", *curl_notes(spec)]
    return Snippet("curl", "bash", "\n".join(lines) + "\n")


# --- tools and structured outputs: stub functions, the loop that answers the calls, the parsed answer ------

MAX_TOOL_ROUNDS = 5
"""How many answers a snippet asks for at most: an answer that calls tools gets their results and
the model is asked again (one that keeps calling, e.g. with ``tool_choice: "required"``, stops here)."""


def structured(spec: RequestSpec) -> bool:
    """Whether the request asks for a JSON-Schema answer (the snippets parse it)."""
    return response_schema(spec.response_format) is not None


def plain(spec: RequestSpec) -> bool:
    """No tools to answer and no structured answer to parse: one request, its text printed."""
    return not spec.tools and not structured(spec)


def _fill(template: str, **parts: str) -> str:
    """A code template with its ``__NAME__`` markers replaced (code is full of braces, so no str.format)."""
    for name, text in parts.items():
        template = template.replace(f"__{name}__", text)
    return template


def _argument_names(parameters: dict) -> str:
    """A tool's argument names for a code comment, each quoted (no name can end the comment)."""
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    return ", ".join(json.dumps(str(name)) for name in properties or {}) or "none"


def _stub_text(name: str) -> str:
    return f"stub: replace with your {name}"


PY_TOOL_RESULT = '''\
def tool_result(call):
    """The text sent back for one call (arguments that are not JSON get an error the model can read)."""
    try:
        arguments = json.loads(call["function"]["arguments"] or "{}")
    except json.JSONDecodeError as error:
        return json.dumps({"error": f"the arguments are not valid JSON: {error}"})
    return json.dumps(run_tool(call["function"]["name"], arguments))
'''
PY_ANSWER_CALLS = '''\
if not calls:
    break  # no tool calls: this is the answer
# The answer asks for tools: send it back with each call's result, then ask again.
messages.append({"role": "assistant", "content": text or None, "tool_calls": calls})
for call in calls:
    messages.append({"role": "tool", "tool_call_id": call["id"], "content": tool_result(call)})
'''
PY_SDK_ANSWER = '''\
message = response.choices[0].message
text = message.content or ""
'''
PY_SDK_CALLS = '''\
calls = [
    {"id": call.id, "type": "function",
     "function": {"name": call.function.name, "arguments": call.function.arguments}}
    for call in message.tool_calls or []
]
'''
PY_SDK_STREAM = '''\
__START__
for chunk in __EVENTS__:
    if not chunk.choices:
        continue
    delta = chunk.choices[0].delta
    if delta.content:
        print(delta.content, end="", flush=True)
        text += delta.content
__PIECES__print()
'''
PY_SDK_PIECES = '''\
    for piece in delta.tool_calls or []:  # a call arrives in pieces: the first has its id and name
        while len(calls) <= piece.index:
            calls.append({"id": "", "type": "function", "function": {"name": "", "arguments": ""}})
        call = calls[piece.index]
        call["id"] = call["id"] or piece.id or ""
        if piece.function:
            call["function"]["name"] = call["function"]["name"] or piece.function.name or ""
            call["function"]["arguments"] += piece.function.arguments or ""
'''
PY_HTTP_ANSWER = '''\
with send(body) as response:
    message = json.loads(response.read().decode("utf-8"))["choices"][0]["message"]
text = message.get("content") or ""
'''
PY_HTTP_CALLS = '''\
calls = message.get("tool_calls") or []
'''
PY_HTTP_STREAM = '''\
__START__
with send(body) as response:
    for raw in response:  # server-sent events; ': …' lines are keep-alive comments
        line = raw.decode("utf-8").strip()
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        for choice in json.loads(line[len("data: "):]).get("choices") or []:
            delta = choice.get("delta") or {}
            if delta.get("content"):
                print(delta["content"], end="", flush=True)
                text += delta["content"]
__PIECES__print()
'''
PY_HTTP_PIECES = '''\
            for piece in delta.get("tool_calls") or []:  # a call arrives in pieces: the first has its id and name
                while len(calls) <= piece["index"]:
                    calls.append({"id": "", "type": "function", "function": {"name": "", "arguments": ""}})
                call, function = calls[piece["index"]], piece.get("function") or {}
                call["id"] = call["id"] or piece.get("id") or ""
                call["function"]["name"] = call["function"]["name"] or function.get("name") or ""
                call["function"]["arguments"] += function.get("arguments") or ""
'''


def py_tool_functions(spec: RequestSpec) -> list[str]:
    """``run_tool`` (a stub per tool sent: replace its body) and ``tool_result``; none without tools."""
    if not spec.tools:
        return []
    lines = ["def run_tool(name, arguments):",
             '    """Your functions go here: the model asks for a tool by name, with JSON arguments; what',
             '    this returns is sent back to it as the tool\'s result."""']
    for name, parameters in tool_schemas(spec.tools).items():
        lines += [f"    if name == {json.dumps(name)}:  # arguments: {_argument_names(parameters)}",
                  f'        return {{"result": {json.dumps(_stub_text(name))}, "arguments": arguments}}']
    lines += ['    return {"error": f"no tool named {name}"}', "", "", *PY_TOOL_RESULT.splitlines(), "", ""]
    return lines


def py_answer(spec: RequestSpec, ask: list[str], read: str, *, stream: bool) -> list[str]:
    """Ask (``ask`` sets ``response``, or ``read`` sends itself) and read ``text`` (and ``calls``);
    with tools, answer every call and ask again, up to :data:`MAX_TOOL_ROUNDS` times. Then the
    answer: printed, or parsed as JSON when a response schema was sent."""
    one = [*ask, *read.splitlines()]
    if spec.tools:
        lines = [f"for _ in range({MAX_TOOL_ROUNDS}):  # ask; if the answer calls tools, send the results, ask again",
                 *_indented([*one, *PY_ANSWER_CALLS.splitlines()], "    ")]
    else:
        lines = one
    if structured(spec):
        lines.append("answer = json.loads(text)  # the structured answer: a dict shaped by the response schema")
        if not stream:
            lines.append("print(json.dumps(answer, indent=2))")
    elif not stream:
        lines.append("print(text)")
    return lines


def py_sdk_read(spec: RequestSpec, *, stream: bool, events: str = "response") -> str:
    """How an SDK snippet reads one answer into ``text`` and ``calls``."""
    if stream:
        start = 'text, calls = "", []' if spec.tools else 'text = ""'
        return _fill(PY_SDK_STREAM, START=start, EVENTS=events, PIECES=PY_SDK_PIECES if spec.tools else "")
    return PY_SDK_ANSWER + (PY_SDK_CALLS if spec.tools else "")


def py_http_read(spec: RequestSpec, *, stream: bool) -> str:
    """How the standard-library snippet reads one answer into ``text`` and ``calls``."""
    if stream:
        start = 'text, calls = "", []' if spec.tools else 'text = ""'
        return _fill(PY_HTTP_STREAM, START=start, PIECES=PY_HTTP_PIECES if spec.tools else "")
    return PY_HTTP_ANSWER + (PY_HTTP_CALLS if spec.tools else "")

TS_TOOL_FUNCTIONS = '''\
type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

// Your functions go here: the model asks for a tool by name, with JSON arguments; what this
// returns is sent back to it as the tool's result.
function runTool(name: string, args: unknown): unknown {
  switch (name) {
__CASES__    default:
      return { error: `no tool named ${name}` };
  }
}

// The text sent back for one call (arguments that are not JSON get an error the model can read).
function toolResult(call: ToolCall): string {
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || "{}");
  } catch (error) {
    return JSON.stringify({ error: `the arguments are not valid JSON: ${String(error)}` });
  }
  return JSON.stringify(runTool(call.function.name, args));
}
'''
TS_ANSWER = '''\
const response = await client.chat.completions.create(body);
const message = response.choices[0].message;
text = message.content ?? "";
'''
TS_CALLS = '''\
const calls: ToolCall[] = (message.tool_calls ?? []).flatMap((call) =>
  call.type === "function"
    ? [{ id: call.id, type: "function" as const,
         function: { name: call.function.name, arguments: call.function.arguments } }]
    : [],
);
'''
TS_STREAM = '''\
const response = await client.chat.completions.create(body);
text = "";
__START__for await (const chunk of response) {
  const delta = chunk.choices[0]?.delta;
  if (delta?.content) {
    process.stdout.write(delta.content);
    text += delta.content;
  }
__PIECES__}
console.log();
'''
TS_PIECES = '''\
  for (const piece of delta?.tool_calls ?? []) {
    // a call arrives in pieces: the first has its id and name
    const call = (calls[piece.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
    call.id ||= piece.id ?? "";
    call.function.name ||= piece.function?.name ?? "";
    call.function.arguments += piece.function?.arguments ?? "";
  }
'''
TS_ANSWER_CALLS = '''\
if (calls.length === 0) break; // no tool calls: this is the answer
// The answer asks for tools: send it back with each call's result, then ask again.
messages.push({ role: "assistant", content: text || null, tool_calls: calls });
for (const call of calls) {
  messages.push({ role: "tool", tool_call_id: call.id, content: toolResult(call) });
}
'''


def ts_tool_functions(spec: RequestSpec) -> list[str]:
    if not spec.tools:
        return []
    cases = "".join(f"    case {json.dumps(name)}: // arguments: {_argument_names(parameters)}\n"
                    f"      return {{ result: {json.dumps(_stub_text(name))}, arguments: args }};\n"
                    for name, parameters in tool_schemas(spec.tools).items())
    return [*_fill(TS_TOOL_FUNCTIONS, CASES=cases).splitlines(), ""]


def ts_answer(spec: RequestSpec, *, stream: bool) -> list[str]:
    """Ask, read ``text`` (and ``calls``); with tools, answer every call and ask again, up to
    :data:`MAX_TOOL_ROUNDS` times; then print the answer, or parse it when a schema was sent."""
    if stream:
        one = _fill(TS_STREAM, START="const calls: ToolCall[] = [];\n" if spec.tools else "",
                    PIECES=TS_PIECES if spec.tools else "")
    else:
        one = TS_ANSWER + (TS_CALLS if spec.tools else "")
    lines = ['let text = "";']
    if spec.tools:
        lines += [f"for (let round = 0; round < {MAX_TOOL_ROUNDS}; round++) {{",
                  *_indented(one + TS_ANSWER_CALLS, "  "), "}"]
    else:
        lines += one.splitlines()
    if structured(spec):
        lines.append("const answer: unknown = JSON.parse(text); // the answer, shaped by the response schema")
        if not stream:
            lines.append("console.log(JSON.stringify(answer, null, 2));")
    elif not stream:
        lines.append("console.log(text);")
    return lines


def curl_notes(spec: RequestSpec) -> list[str]:
    """What a curl user does next with tools or a response schema (comments after the command)."""
    lines = []
    if spec.tools:
        lines += ["# The answer's choices[0].message.tool_calls are the calls the model asks for. Answer them by",
                  "# sending the same body with more messages: that assistant message as it came, then for each",
                  '# call {"role": "tool", "tool_call_id": "<its id>", "content": "<its result, as text>"}; the model',
                  "# then answers (or calls again)."]
    if structured(spec):
        lines += ["# choices[0].message.content is JSON text shaped by the response schema: parse it (e.g. with jq)."]
    return lines


GENERATORS = (python_openai, python_openrouter, typescript_openai, curl, python_stdlib)


def all_snippets(spec: RequestSpec, prompt: str, options: SnippetOptions) -> list[Snippet]:
    return [make(spec, prompt, options) for make in GENERATORS]
