"""Chat completions for the loopback server, in OpenRouter's wire format.

``install(server)`` adds:

* ``POST /api/v1/chat/completions``: answers ``Echo: <last user text>`` (plus ``[N image(s)
  received]``). Streaming (``"stream": true``) sends a ``: OPENROUTER PROCESSING`` keep-alive, a
  role chunk, one chunk per word, a finish chunk, the usage chunk (``"choices": []``, with
  ``cost``) and ``data: [DONE]``, with an ``X-Generation-Id`` header. Without ``stream`` it sends a
  ``chat.completion`` body. The serving provider is the pinned one (``provider.order[0]``) or
  OpenAI. No ``Authorization`` header → 401, as OpenRouter does.
* ``GET /api/v1/generation?id=``: the stats of a generation this server produced.

Faults are scripted with ``server.queue(CHAT, reply, method="POST")`` using :func:`stream_reply`
(cut streams, mid-stream errors, missing usage) or :func:`error_reply` (401, 402, 403, …).

Tool calls and structured outputs are driven by the prompt, so a test (or a person in the
browser) decides what comes back:

* with ``tools`` in the request, each prompt line ``call NAME ARGS`` asks for one call of NAME with
  the raw text ARGS as its arguments (``{}`` when omitted). Several lines make several calls in one
  answer; the arguments stream in :data:`ARG_PIECE`-character pieces over several chunks, and the
  answer ends with ``finish_reason: "tool_calls"``. Nothing checks NAME or ARGS: an unknown tool
  or malformed JSON comes back exactly as written. ``tool_choice: "none"`` answers text instead.
* a conversation that ends with ``tool`` results is answered ``From the tools: NAME → RESULT; …``
  (as ``{"echo": "From the tools: …"}`` with a ``json_schema`` ``response_format``).
* the conversation is checked as OpenAI checks it (each ``tool`` message answers a preceding
  call, each call gets a result before anything else is said): a broken one is a 400.
* ``reply: TEXT`` answers TEXT verbatim (e.g. JSON, valid or not); with a ``json_schema``
  ``response_format`` and no ``reply:``, the answer is ``{"echo": "<prompt>"}``.
* ``call@TAG NAME ARGS`` and ``reply@TAG: TEXT`` (one line each) apply only when TAG names the
  serving provider (its slug, e.g. ``azure``, or its name), the routing variant (``exacto``,
  ``nitro``, ``floor``, or ``balanced`` for none) or the model (``openai/gpt-4o``), so one prompt
  sent through several modes or models gets a different answer from each: ``call@openai
  get_weather {"city": "Par`` beside ``call@azure get_weather {"city": "Paris", "unit": "celsius"}``.
"""

from __future__ import annotations

import itertools

import json

from tests.fakeserver import Recorded, Reply, error_body

CHAT = "/api/v1/chat/completions"
GENERATION = "/api/v1/generation"
PROVIDER_NAMES = {"openai": "OpenAI", "azure": "Azure"}
PRICE_IN, PRICE_OUT = 0.15e-6, 0.6e-6
CALL, REPLY = "call", "reply"
"""The directive words: ``call NAME ARGS``, ``reply: TEXT`` (and their ``@TAG`` forms)."""
ARG_PIECE = 7
"""Streamed tool-call arguments arrive in pieces of this many characters."""
_ids = itertools.count(1)


def new_id() -> str:
    return f"gen-test-{next(_ids):06d}"


def usage_for(prompt_tokens: int, completion_tokens: int, *, cost: bool = True, cached: int = 0) -> dict:
    usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "total_tokens": prompt_tokens + completion_tokens,
             "prompt_tokens_details": {"cached_tokens": cached, "cache_write_tokens": 0, "audio_tokens": 0},
             "completion_tokens_details": {"reasoning_tokens": 0}, "is_byok": False}
    if cost:
        usage["cost"] = round(prompt_tokens * PRICE_IN + completion_tokens * PRICE_OUT, 10)
    return usage


def chunk(gen_id: str, model: str, provider: str, *, content: str | None = None, role: str | None = None,
          finish: str | None = None, tool_calls: list | None = None) -> dict:
    delta = {}
    if role:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    return {"id": gen_id, "object": "chat.completion.chunk", "created": 1767225600, "model": model,
            "provider": provider, "choices": [{"index": 0, "delta": delta, "finish_reason": finish,
                                               "native_finish_reason": finish}]}


def stream_events(text: str, *, gen_id: str | None = None, model: str = "openai/gpt-4o-mini",
                  provider: str = "OpenAI", prompt_tokens: int = 12, usage: bool = True, cost: bool = True,
                  done: bool = True, error: dict | None = None, error_after: int | None = None,
                  keepalives: int = 2, cut_after: int | None = None) -> list:
    """The SSE items of one streamed answer. ``error_after=n`` sends an error event after n
    words; ``cut_after=n`` stops after n words (no usage, no [DONE])."""
    gen_id = gen_id or new_id()
    words = [w + " " for w in text.split(" ")[:-1]] + [text.split(" ")[-1]] if text else []
    items: list = [": OPENROUTER PROCESSING"] * keepalives
    items.append(chunk(gen_id, model, provider, content="", role="assistant"))
    for index, word in enumerate(words):
        if error is not None and error_after == index:
            items.append({**chunk(gen_id, model, provider, content="", finish="error"), "error": error})
            return items
        if cut_after == index:
            return items
        items.append(chunk(gen_id, model, provider, content=word))
        if index == 0 and keepalives:
            items.append(": OPENROUTER PROCESSING")
    items.append(chunk(gen_id, model, provider, content="", finish="stop"))
    if usage:
        items.append({"id": gen_id, "object": "chat.completion.chunk", "created": 1767225600, "model": model,
                      "provider": provider, "choices": [], "usage": usage_for(prompt_tokens, len(words), cost=cost)})
    if done:
        items.append("data: [DONE]")
    return items


def stream_reply(text: str, *, chunk_delay: float = 0.0, **options) -> Reply:
    gen_id = options.pop("gen_id", None) or new_id()
    return Reply(sse=stream_events(text, gen_id=gen_id, **options), headers={"X-Generation-Id": gen_id},
                 chunk_delay=chunk_delay)


def call_id(gen_id: str, index: int) -> str:
    return f"call_{gen_id[-6:]}_{index}"


def tool_call_pieces(calls: list[tuple[str, str]], *, gen_id: str, piece: int = ARG_PIECE,
                     interleave: bool = False) -> list[list[dict]]:
    """Each chunk's ``delta.tool_calls`` for ``calls`` (name, raw arguments): a call's first piece
    carries its index, id, type and name; its arguments follow ``piece`` characters at a time.
    ``interleave`` alternates between the calls' pieces (their indices keep them apart)."""
    per_call = []
    for index, (name, arguments) in enumerate(calls):
        head = [{"index": index, "id": call_id(gen_id, index), "type": "function",
                 "function": {"name": name, "arguments": ""}}]
        rest = [[{"index": index, "function": {"arguments": arguments[at:at + piece]}}]
                for at in range(0, len(arguments), piece)]
        per_call.append([head, *rest])
    if not interleave:
        return [item for pieces in per_call for item in pieces]
    out = []
    for row in range(max((len(pieces) for pieces in per_call), default=0)):
        out += [pieces[row] for pieces in per_call if row < len(pieces)]
    return out


def tool_call_events(calls: list[tuple[str, str]], *, gen_id: str | None = None, model: str = "openai/gpt-4o-mini",
                     provider: str = "OpenAI", prompt_tokens: int = 40, interleave: bool = False,
                     pieces: list[list[dict]] | None = None, done: bool = True, cut_after: int | None = None) -> list:
    """The SSE items of an answer that calls tools (``pieces`` overrides the tool-call deltas,
    for shapes :func:`tool_call_pieces` does not make); ``cut_after=n`` stops after n pieces."""
    gen_id = gen_id or new_id()
    deltas = pieces if pieces is not None else tool_call_pieces(calls, gen_id=gen_id, interleave=interleave)
    items: list = [": OPENROUTER PROCESSING", chunk(gen_id, model, provider, content="", role="assistant")]
    for index, tool_calls in enumerate(deltas):
        if cut_after == index:
            return items
        items.append(chunk(gen_id, model, provider, tool_calls=tool_calls))
    items.append(chunk(gen_id, model, provider, finish="tool_calls"))
    completion = sum(len(name) + len(arguments) for name, arguments in calls) // 4 + 1
    items.append({"id": gen_id, "object": "chat.completion.chunk", "created": 1767225600, "model": model,
                  "provider": provider, "choices": [], "usage": usage_for(prompt_tokens, completion)})
    if done:
        items.append("data: [DONE]")
    return items


def tool_call_reply(calls: list[tuple[str, str]], **options) -> Reply:
    gen_id = options.pop("gen_id", None) or new_id()
    return Reply(sse=tool_call_events(calls, gen_id=gen_id, **options), headers={"X-Generation-Id": gen_id})


def addressed_to(tag: str, body: dict) -> bool:
    """Whether a directive's ``@TAG`` names this request's serving provider (slug or name), its
    routing variant (``balanced`` when the model has none) or its model (id without variant)."""
    model, _, variant = str(body.get("model", "")).partition(":")
    names = {serving_tag(body), serving_provider(body), variant or "balanced", model}
    return tag.lower() in {name.lower() for name in names}


def _directive(line: str, word: str, body: dict | None) -> str | None:
    """The rest of ``line`` when it is the directive ``word`` (``call``, ``reply``), bare or
    ``@TAG`` addressed to this request; else ``None``."""
    if line.startswith(word + " "):
        return line[len(word):].strip()
    if not line.startswith(word + "@"):
        return None
    tag, _, rest = line[len(word) + 1:].partition(":" if word == REPLY else " ")
    return rest.strip() if body is not None and addressed_to(tag.strip(), body) else None


def scripted_calls(text: str, body: dict | None = None) -> list[tuple[str, str]]:
    """The ``call NAME ARGS`` lines of a prompt (and the ``call@TAG`` ones addressed to
    ``body``'s provider or mode), as (name, raw arguments)."""
    calls = []
    for line in text.splitlines():
        rest = _directive(line.strip(), CALL, body)
        if rest:
            name, _, arguments = rest.partition(" ")
            calls.append((name, arguments.strip() or "{}"))
    return calls


def scripted_reply(text: str, body: dict) -> str | None:
    """The ``reply@TAG: TEXT`` line addressed to this request, else the whole ``reply: TEXT``."""
    for line in text.splitlines():
        if line.strip().startswith(REPLY + "@"):
            rest = _directive(line.strip(), REPLY, body)
            if rest is not None:
                return rest
    if text.strip().startswith(REPLY + ":"):
        return text.strip()[len(REPLY) + 1:].strip()
    return None


def conversation_problem(messages: list) -> str | None:
    """What OpenAI would refuse in a conversation's tool turns, in its words, or ``None``."""
    open_ids: list[str] = []
    for message in messages:
        role = message.get("role") if isinstance(message, dict) else None
        if role == "tool":
            if message.get("tool_call_id") not in open_ids:
                return ("Invalid parameter: messages with role 'tool' must be a response to a preceding message "
                        "with 'tool_calls'.")
            open_ids.remove(message["tool_call_id"])
            continue
        if open_ids:
            return ("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                    f"'tool_call_id'. The following tool_call_ids did not have response messages: {', '.join(open_ids)}")
        for call in (message.get("tool_calls") or []) if role == "assistant" else []:
            function = call.get("function") or {}
            if not (call.get("id") and call.get("type") == "function" and isinstance(function.get("name"), str)
                    and isinstance(function.get("arguments"), str)):
                return "Invalid 'tool_calls': each needs an id, type 'function', a function name and arguments text."
            open_ids.append(call["id"])
    if open_ids:
        return ("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                f"'tool_call_id'. The following tool_call_ids did not have response messages: {', '.join(open_ids)}")
    return None


def tool_results_text(messages: list) -> str | None:
    """``From the tools: NAME → RESULT; …`` when the conversation ends with tool results."""
    names = {call.get("id"): (call.get("function") or {}).get("name")
             for message in messages if message.get("role") == "assistant"
             for call in message.get("tool_calls") or []}
    results = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        results.insert(0, f"{names.get(message.get('tool_call_id'), '?')} → {message.get('content')}")
    return "From the tools: " + "; ".join(results) if results else None


def answer_for(body: dict) -> tuple[str, list[tuple[str, str]]]:
    """The answer's text, or the tool calls it makes (by the rules in this module's docstring)."""
    messages = body.get("messages") or []
    structured = (body.get("response_format") or {}).get("type") == "json_schema"
    from_tools = tool_results_text(messages)
    if from_tools:
        return (json.dumps({"echo": from_tools}) if structured else from_tools), []
    text, _ = last_user(body)
    calls = scripted_calls(text, body) if body.get("tools") and body.get("tool_choice") != "none" else []
    if calls:
        return "", calls
    reply = scripted_reply(text, body)
    if reply is not None:
        return reply, []
    if structured:
        return json.dumps({"echo": text}), []
    return answer_text(body), []


def error_reply(status: int, message: str, error_type: str | None = None, *, retry_after: str | None = None,
                **metadata) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(status=status, json=error_body(status, message, error_type, **metadata), headers=headers)


def last_user(body: dict) -> tuple[str, int]:
    """The last user message's text and how many images it carried."""
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content, 0
        texts = [p.get("text", "") for p in content if p.get("type") == "text"]
        images = [p for p in content if p.get("type") == "image_url"]
        return " ".join(texts), len(images)
    return "", 0


def answer_text(body: dict) -> str:
    text, images = last_user(body)
    answer = f"Echo: {text}".strip()
    if images:
        answer += f" [{images} image(s) received]"
    return answer


def serving_tag(body: dict) -> str:
    """The serving provider's slug: the first of ``provider.order``, else ``openai``."""
    order = ((body.get("provider") or {}).get("order") or [])
    return str(order[0]) if order else "openai"


def serving_provider(body: dict) -> str:
    tag = serving_tag(body)
    return PROVIDER_NAMES.get(tag.split("/")[0], tag)


def install(server) -> None:
    server.generations = {}

    def chat(request: Recorded) -> Reply:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return error_reply(401, "No auth credentials found", "authentication")
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("messages"):
            return error_reply(400, "messages is required", "invalid_request")
        problem = conversation_problem(body["messages"])
        if problem:
            return error_reply(400, problem, "invalid_request")
        (text, calls), provider, model = answer_for(body), serving_provider(body), str(body.get("model", ""))
        gen_id = new_id()
        words = len(text.split(" "))
        prompt_tokens = 12 + 85 * last_user(body)[1]
        server.generations[gen_id] = {
            "id": gen_id, "model": model, "provider_name": provider, "streamed": bool(body.get("stream")),
            "tokens_prompt": prompt_tokens, "tokens_completion": words, "native_tokens_prompt": prompt_tokens,
            "native_tokens_completion": words, "native_tokens_cached": 0, "native_tokens_reasoning": 0,
            "total_cost": usage_for(prompt_tokens, words)["cost"], "finish_reason": "stop", "latency": 420,
        }
        if calls and body.get("stream"):
            return tool_call_reply(calls, gen_id=gen_id, model=model, provider=provider, prompt_tokens=prompt_tokens)
        if body.get("stream"):
            return stream_reply(text, gen_id=gen_id, model=model, provider=provider, prompt_tokens=prompt_tokens)
        message = {"role": "assistant", "content": text or None}
        if calls:
            message["tool_calls"] = [{"id": call_id(gen_id, index), "type": "function",
                                      "function": {"name": name, "arguments": arguments}}
                                     for index, (name, arguments) in enumerate(calls)]
        finish = "tool_calls" if calls else "stop"
        return Reply(json={"id": gen_id, "object": "chat.completion", "created": 1767225600, "model": model,
                           "provider": provider, "system_fingerprint": None,  # OpenRouter always sends it
                           "choices": [{"index": 0, "finish_reason": finish, "native_finish_reason": finish,
                                        "message": message}],
                           "usage": usage_for(prompt_tokens, words)},
                     headers={"X-Generation-Id": gen_id})

    def generation(request: Recorded) -> Reply:
        gen_id = (request.query.get("id") or [""])[0]
        if gen_id not in server.generations:
            return error_reply(404, f"Generation {gen_id} not found", "not_found")
        return Reply(json={"data": server.generations[gen_id]})

    server.set(CHAT, chat, method="POST")
    server.set(GENERATION, generation)
