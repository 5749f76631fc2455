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
"""

from __future__ import annotations

import itertools

from tests.fakeserver import Recorded, Reply, error_body

CHAT = "/api/v1/chat/completions"
GENERATION = "/api/v1/generation"
PROVIDER_NAMES = {"openai": "OpenAI", "azure": "Azure"}
PRICE_IN, PRICE_OUT = 0.15e-6, 0.6e-6
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
          finish: str | None = None) -> dict:
    delta = {}
    if role:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
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


def serving_provider(body: dict) -> str:
    order = ((body.get("provider") or {}).get("order") or [])
    tag = order[0] if order else "openai"
    return PROVIDER_NAMES.get(tag.split("/")[0], tag)


def install(server) -> None:
    server.generations = {}

    def chat(request: Recorded) -> Reply:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return error_reply(401, "No auth credentials found", "authentication")
        body = request.body if isinstance(request.body, dict) else {}
        if not body.get("messages"):
            return error_reply(400, "messages is required", "invalid_request")
        text, provider, model = answer_text(body), serving_provider(body), str(body.get("model", ""))
        gen_id = new_id()
        words = len(text.split(" "))
        prompt_tokens = 12 + 85 * last_user(body)[1]
        server.generations[gen_id] = {
            "id": gen_id, "model": model, "provider_name": provider, "streamed": bool(body.get("stream")),
            "tokens_prompt": prompt_tokens, "tokens_completion": words, "native_tokens_prompt": prompt_tokens,
            "native_tokens_completion": words, "native_tokens_cached": 0, "native_tokens_reasoning": 0,
            "total_cost": usage_for(prompt_tokens, words)["cost"], "finish_reason": "stop", "latency": 420,
        }
        if body.get("stream"):
            return stream_reply(text, gen_id=gen_id, model=model, provider=provider, prompt_tokens=prompt_tokens)
        return Reply(json={"id": gen_id, "object": "chat.completion", "created": 1767225600, "model": model,
                           "provider": provider, "system_fingerprint": None,  # OpenRouter always sends it
                           "choices": [{"index": 0, "finish_reason": "stop", "native_finish_reason": "stop",
                                        "message": {"role": "assistant", "content": text}}],
                           "usage": usage_for(prompt_tokens, words)},
                     headers={"X-Generation-Id": gen_id})

    def generation(request: Recorded) -> Reply:
        gen_id = (request.query.get("id") or [""])[0]
        if gen_id not in server.generations:
            return error_reply(404, f"Generation {gen_id} not found", "not_found")
        return Reply(json={"data": server.generations[gen_id]})

    server.set(CHAT, chat, method="POST")
    server.set(GENERATION, generation)
