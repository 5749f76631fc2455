"""The playground's engine: build a chat request from a :class:`~routerlens.routing.RequestSpec`,
send it to ``POST /api/v1/chat/completions``, stream the answer over SSE, measure it, and turn
every failure into a message with a next step. No Streamlit here.

Streaming follows OpenRouter's wire format: ``:`` keep-alive comments are skipped, usage arrives
once in a final chunk with ``"choices": []``, the stream ends with ``data: [DONE]``, and an error
after the first token arrives as a chunk with a top-level ``error``. A stream that ends without
``[DONE]`` was cut off, and the result says so (the text that arrived is kept).

Tool calls stream as ``delta.tool_calls`` pieces (``{index, id, type, function: {name,
arguments}}``, the arguments split across chunks, several calls told apart by ``index``);
:class:`ToolCallAssembler` puts them together, and an answer that calls tools ends with
``finish_reason: "tool_calls"``. Whatever a provider sends there (bad JSON, an unknown tool) is
kept as it came: judging it is :mod:`routerlens.tools`' job, never a reason to fail the answer.

Timing is measured here, on the client, because OpenRouter publishes no per-request TTFT:
* time to first token (TTFT): request sent → first non-empty ``delta.content`` (or the first
  piece of a tool call, for an answer that only calls tools);
* total time: request sent → ``[DONE]``;
* tokens/s end-to-end: completion tokens ÷ total time (includes TTFT, like OpenRouter's
  published throughput);
* tokens/s after the first token: (completion tokens − 1) ÷ (total − TTFT), the decode speed.

The key travels only in ``OpenRouterClient.auth_headers``, which sends it to the configured base
URL and nowhere else. Nothing here logs or stores it.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

import httpx
from httpx_sse import SSEError, connect_sse

from .client import OpenRouterClient, OpenRouterError, error_from_response
from .config import positive_float, setting_text
from .images import PreparedImage
from .parse import as_dict, to_decimal, to_int, to_str
from .parse import loads as strict_json
from .routing import RequestSpec, RoutingMode
from .schema import Endpoint
from .formatting import integer, money, number, seconds

CHAT_PATH = "/chat/completions"
CHAT_ROUTE = "POST /api/v1/chat/completions"
CHAT_TOTAL_TIMEOUT_S = 180.0
"""A whole answer may take minutes; gaps between chunks are bounded by the read timeout."""
FIRST_TOKEN_LIMIT_ENV = "ROUTERLENS_CHAT_FIRST_TOKEN_S"
IDLE_LIMIT_ENV = "ROUTERLENS_CHAT_IDLE_S"
TOTAL_LIMIT_ENV = "ROUTERLENS_CHAT_TOTAL_S"


@dataclass(frozen=True)
class StreamLimits:
    """How long a streamed answer may keep someone waiting, in seconds. OpenRouter's keep-alive
    comments keep a connection's read timeout from ever firing, so these are watched apart:
    time to the first text, time between pieces of text, and the whole answer."""

    first_token_s: float = 60.0
    idle_s: float = 30.0
    total_s: float = CHAT_TOTAL_TIMEOUT_S

    @classmethod
    def load(cls, env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> StreamLimits:
        """From ``st.secrets`` first, then the environment; a missing or unreadable value keeps
        its default."""
        def pick(name: str, default: float) -> float:
            value = positive_float(setting_text(name, env, secrets))
            return default if value is None else value

        return cls(pick(FIRST_TOKEN_LIMIT_ENV, cls.first_token_s), pick(IDLE_LIMIT_ENV, cls.idle_s),
                   pick(TOTAL_LIMIT_ENV, cls.total_s))
GENERATION_TIMEOUT_S = 5.0
KEYS_URL = "https://openrouter.ai/keys"
CREDITS_URL = "https://openrouter.ai/settings/credits"


# --- tool calls ---------------------------------------------------------------------------------

@dataclass
class ToolCall:
    """One function call an answer asks for, as the provider sent it (``arguments`` is the raw
    text, which may not be JSON at all)."""

    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""

    def message_part(self) -> dict:
        """The call as it goes back in the assistant message's ``tool_calls``."""
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": self.arguments}}


class ToolCallAssembler:
    """Builds calls from streamed ``delta.tool_calls`` pieces. A piece names its call by
    ``index`` (OpenAI's format); a piece without one continues the last call, or starts a new one
    when it carries a new ``id``. Pieces that are not objects are skipped, never raised."""

    def __init__(self) -> None:
        self.calls: list[ToolCall] = []
        self._by_index: dict[int, ToolCall] = {}

    def add(self, pieces: object, *, whole: bool = False) -> bool:
        """Take one chunk's ``tool_calls`` list (``whole``: a complete answer's, where each item
        is a whole call and its position is its index); ``True`` when any piece of a call arrived."""
        arrived = False
        for position, piece in enumerate(pieces if isinstance(pieces, list) else []):
            if isinstance(piece, dict):
                self._add_piece({"index": position, **piece} if whole else piece)
                arrived = True
        return arrived

    def _call_for(self, piece: dict) -> ToolCall:
        index, call_id = to_int(piece.get("index")), to_str(piece.get("id"))
        if index is None:
            last = self.calls[-1] if self.calls else None
            if last is not None and (not call_id or call_id == last.id):
                return last
            index = max(self._by_index, default=-1) + 1
        if index not in self._by_index:
            self._by_index[index] = ToolCall(index)
            self.calls.append(self._by_index[index])
        return self._by_index[index]

    def _add_piece(self, piece: dict) -> None:
        call = self._call_for(piece)
        call.id = call.id or to_str(piece.get("id")) or ""
        function = as_dict(piece.get("function"))
        name = to_str(function.get("name"))
        if name and name != call.name:
            call.name += name  # most providers send the name once; a few split it
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            call.arguments += arguments
        elif arguments is not None:
            call.arguments += json.dumps(arguments)  # an object instead of text: keep it as JSON text

    def finished(self) -> list[ToolCall]:
        """The calls in order, each with an id (a provider that sent none gets ``call_<n>``, so its
        result can still be paired with it)."""
        for call in self.calls:
            call.id = call.id or f"call_{call.index}"
        return sorted(self.calls, key=lambda call: call.index)


# --- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChatFailure:
    """A failed (or cut-off) request, said so a user can act on it. ``title`` and ``next_step``
    are this app's words (Markdown); ``detail`` and ``reasons`` are the server's (plain text)."""

    kind: str
    """auth | credits | moderation | not_found | timeout | rate_limit | provider | network | cut |
    bad_request | midstream | refused"""
    title: str
    next_step: str
    detail: str | None = None
    status: int | None = None
    retry_after: float | None = None
    reasons: tuple[str, ...] = ()

    def as_text(self) -> str:
        parts = [self.title]
        if self.detail:
            parts.append(f"Server said: {self.detail}")
        if self.reasons:
            parts.append("Reasons: " + "; ".join(self.reasons))
        parts.append(self.next_step)
        return "\n\n".join(parts)


@dataclass
class ChatResult:
    """One answer with everything measured about it. ``None`` means unknown, never zero."""

    mode: RoutingMode
    requested_model: str
    pinned_provider: str | None = None
    text: str = ""
    provider: str | None = None
    served_model: str | None = None
    generation_id: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_tokens: int | None = None
    reasoning_tokens: int | None = None
    cost: Decimal | None = None
    cost_source: str | None = None
    ttft_s: float | None = None
    total_s: float | None = None
    streamed: bool = True
    complete: bool = False
    failure: ChatFailure | None = None
    keepalives: int = 0
    tool_calls: list[ToolCall] = field(default_factory=list)
    """The function calls the answer asks for, in order (complete or not: see :attr:`calls`)."""
    refusal: str = ""
    """What the model said instead of a structured answer (``delta.refusal``), if it refused."""
    finished_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())

    @property
    def ok(self) -> bool:
        return self.failure is None and self.complete

    @property
    def calls(self) -> list[ToolCall]:
        """The tool calls to answer: those of a complete answer only (a stream that stopped
        mid-call leaves calls that cannot be trusted, so nothing is asked for)."""
        return self.tool_calls if self.ok else []

    @property
    def tokens_per_s_end_to_end(self) -> float | None:
        """Completion tokens over the whole request time (TTFT included)."""
        if not self.completion_tokens or not self.total_s:
            return None
        return self.completion_tokens / self.total_s

    @property
    def tokens_per_s_after_first(self) -> float | None:
        """Decode speed: tokens after the first, over the time after the first token."""
        if not self.completion_tokens or self.completion_tokens < 2 or self.ttft_s is None or self.total_s is None:
            return None
        span = self.total_s - self.ttft_s
        return (self.completion_tokens - 1) / span if span > 0 else None

    def log_row(self) -> dict:
        """One row of the session's measurement log (plain values, CSV-ready)."""
        return {
            "Time (UTC)": self.finished_at,
            "Mode": self.mode.label,
            "Model sent": self.requested_model,
            "Provider": self.provider or "unknown",
            "TTFT (s)": _round(self.ttft_s, 3),
            "Total (s)": _round(self.total_s, 3),
            "Tokens/s end-to-end": _round(self.tokens_per_s_end_to_end, 1),
            "Tokens/s after first token": _round(self.tokens_per_s_after_first, 1),
            "Prompt tokens": self.prompt_tokens,
            "Completion tokens": self.completion_tokens,
            "Cached tokens": self.cached_tokens,
            "Reasoning tokens": self.reasoning_tokens,
            "Cost (USD)": None if self.cost is None else str(self.cost),
            "Generation id": self.generation_id,
            "Outcome": "ok" if self.ok else (self.failure.kind if self.failure else "incomplete"),
        }


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


# --- errors -------------------------------------------------------------------------------------

def describe_failure(error: OpenRouterError) -> ChatFailure:
    """Map an HTTP/network error to a title, the server's words and what to do next."""
    status, detail = error.status, error.message
    meta = error.metadata or {}
    if error.kind in ("network", "unreachable"):
        return ChatFailure("network", "Could not reach OpenRouter.", "Check your connection (and the "
                           "OPENROUTER_BASE_URL setting), then press **Retry last turn**.", detail=detail)
    if error.kind == "timeout" or status in (408, 524):
        return ChatFailure("timeout", "The request timed out.", "Press **Retry last turn**; if it keeps "
                           "happening, shorten the prompt, lower max output tokens or pick another routing mode.",
                           detail=detail, status=status)
    if status == 401:
        return ChatFailure("auth", "The API key was refused (401).", f"Check the key in the sidebar, or create a "
                           f"new one at {KEYS_URL}.", detail=detail, status=status)
    if status == 402:
        return ChatFailure("credits", "The account has no credits left (402).", f"Add credits at {CREDITS_URL}, "
                           "or lower max output tokens, then retry.", detail=detail, status=status)
    if status == 403:
        reasons = tuple(str(r) for r in meta.get("reasons", []) if isinstance(r, (str, int, float)))
        flagged = meta.get("flagged_input")
        if isinstance(flagged, str) and flagged:
            reasons += (f"flagged input: “{flagged[:100]}”",)
        return ChatFailure("moderation", "The prompt was blocked by moderation (403).",
                           "Rephrase the prompt (or remove the image) and send again.",
                           detail=detail, status=status, reasons=reasons)
    if status == 404:
        return ChatFailure("not_found", "OpenRouter has no such model, or no provider matches the routing "
                           "choice (404).", "Check the model id in the sidebar; in Pinned provider mode pick "
                           "another provider or switch to Balanced.", detail=detail, status=status)
    if status == 429:
        wait = error.retry_after
        wait_text = f"Wait {wait:.0f} s" if wait is not None else "Wait a little"
        return ChatFailure("rate_limit", "Rate limited (429).", f"{wait_text}, then press **Retry last turn**.",
                           detail=detail, status=status, retry_after=wait)
    if status is not None and status >= 500:
        return ChatFailure("provider", f"The provider or OpenRouter failed ({status}).", "Press **Retry last "
                           "turn**, or switch routing mode (Balanced and Nitro fall back to other providers; "
                           "Pinned provider does not).", detail=detail, status=status, retry_after=error.retry_after)
    if status in (400, 413, 422):
        return ChatFailure("bad_request", f"The request was refused ({status}).", "Check the settings (parameters "
                           "this model supports) and the images, then send again.", detail=detail, status=status)
    return ChatFailure("provider", f"The request failed{f' ({status})' if status else ''}.",
                       "Press **Retry last turn**.", detail=detail, status=status)


STOPPED = ChatFailure("stopped", "Stopped before the answer was complete.", "Press **Retry last turn** to ask again.")
"""The page went away, Stop was pressed, or the reader stopped reading mid-answer."""


def cut_failure(got_text: bool) -> ChatFailure:
    arrived = "The text that arrived is shown above. " if got_text else ""
    return ChatFailure("cut", "The stream was cut off before the end (no [DONE] arrived).",
                       f"{arrived}Press **Retry last turn** to ask again.")


def midstream_failure(error: OpenRouterError) -> ChatFailure:
    base = describe_failure(error)
    return replace(base, kind="midstream", title="The answer stopped with an error mid-stream: " + base.title,
                   next_step="The text that arrived is shown above. " + base.next_step)


# --- request building ---------------------------------------------------------------------------

def user_content(text: str, images: list[PreparedImage] | tuple = (), *, detail: str = "auto") -> str | list[dict]:
    """A user message's ``content``: the text alone, or the text part first then one
    ``image_url`` part per image."""
    if not images:
        return text
    return [{"type": "text", "text": text}, *(image.content_part(detail) for image in images)]


@dataclass
class Turn:
    """One entry of the conversation kept in the session: a ``user`` question, an ``assistant``
    answer, or a ``tool`` result given to one of an answer's calls."""

    role: str
    text: str = ""
    images: tuple[PreparedImage, ...] = ()
    detail: str = "auto"
    result: ChatResult | None = None
    spec: RequestSpec | None = None
    """Assistant turns: the request that produced the answer (its tools and response format are
    what the answer is checked against, whatever the settings say now)."""
    tool_call_id: str = ""
    """Tool turns: the call this result answers."""
    name: str = ""
    """Tool turns: the called tool's name (as the model wrote it)."""

    @property
    def failed(self) -> bool:
        return self.role == "assistant" and (self.result is None or not self.result.ok)

    @property
    def calls(self) -> list[ToolCall]:
        """Assistant turns: the tool calls awaiting results (a complete answer's only)."""
        return self.result.calls if self.role == "assistant" and self.result is not None else []

    def message(self) -> dict:
        if self.role == "user":
            return {"role": "user", "content": user_content(self.text, self.images, detail=self.detail)}
        if self.role == "tool":
            return {"role": "tool", "tool_call_id": self.tool_call_id, "content": self.text}
        if self.calls:
            return {"role": "assistant", "content": self.text or None,
                    "tool_calls": [call.message_part() for call in self.calls]}
        return {"role": self.role, "content": self.text}


CONTEXT_RULE = ("What the model is sent: each earlier question with its answer, in turn. A question that got no "
                "answer (the request failed before any text) is left out together with its failed reply; an answer "
                "cut off mid-stream is kept as far as it came, marked “cut off”. An answer that called tools is sent "
                "with the results given to its calls; calls left without results are left out with their question.")
"""The one rule for the conversation context, shown in the chat."""


def _answered(turn: Turn) -> bool:
    return bool(turn.text) or (turn.result is not None and turn.result.ok)


def _open_call_ids(turns: list[Turn], chain: list[int]) -> set[str]:
    """The ids of the calls in ``chain`` (an exchange so far) that have no result yet."""
    open_ids: set[str] = set()
    for index in chain:
        turn = turns[index]
        if turn.role == "assistant":
            open_ids = {call.id for call in turn.calls}
        elif turn.role == "tool":
            open_ids.discard(turn.tool_call_id)
    return open_ids


def context_turns(turns: list[Turn]) -> list[int]:
    """Indices of the turns sent as context (:data:`CONTEXT_RULE`): always a valid conversation,
    user and assistant alternating (an answer that called tools followed by one result per call,
    then the answer that read them), ending with the last user message or the last tool results
    if they await an answer."""
    kept: list[int] = []
    chain: list[int] = []  # the exchange in progress: its question, then calls and their results
    for index, turn in enumerate(turns):
        if turn.role == "user":
            chain = [index]  # an earlier exchange still open here got no answer: left out
        elif not chain:
            continue  # nothing asked: a stray reply is left out
        elif turn.role == "tool":
            if turn.tool_call_id in _open_call_ids(turns, chain):
                chain.append(index)
        elif _open_call_ids(turns, chain):
            chain = []  # an answer before every call had its result: the exchange is broken
        elif turn.calls:
            chain.append(index)  # asks for tools: its results come next
        elif _answered(turn):
            kept += [*chain, index]
            chain = []
        else:
            chain = []
    if chain and chain[-1] == len(turns) - 1:
        kept += chain
    return kept


def open_calls(turns: list[Turn]) -> list[ToolCall]:
    """The calls that await results: those of the last turn, if it is an answer that called tools."""
    return turns[-1].calls if turns else []


def is_cut_off(turn: Turn) -> bool:
    """An answer that stopped mid-stream with some text (kept in the context as it stands)."""
    return turn.role == "assistant" and bool(turn.text) and turn.result is not None and not turn.result.ok


def history_messages(turns: list[Turn]) -> list[dict]:
    """The messages to send, by :data:`CONTEXT_RULE`."""
    return [turns[index].message() for index in context_turns(turns)]


# --- sending --------------------------------------------------------------------------------------

class ChatStream:
    """Iterate for the answer's text deltas as they arrive (an empty string when a piece of a
    tool call arrived instead: the calls so far are in ``result.tool_calls``); then read
    :attr:`result`.

    Never raises for a failed request: the failure is in ``result.failure``.
    """

    WATCH_EVERY_S = 0.25
    """How often the watchdog looks at the limits and at ``cancelled``."""

    def __init__(self, client: OpenRouterClient, spec: RequestSpec, messages: list[dict], *,
                 stream: bool = True, clock: Callable[[], float] = time.monotonic,
                 total_timeout: float | None = None, lookup_generation: bool = True,
                 limits: StreamLimits | None = None, cancelled: Callable[[], bool] | None = None):
        self.client = client
        self.spec = spec
        self.body = spec.body(messages, stream=stream)
        self.clock = clock
        self.limits = limits or StreamLimits()
        if total_timeout is not None:
            self.limits = replace(self.limits, total_s=total_timeout)
        self.total_timeout = self.limits.total_s
        self.cancelled = cancelled
        """Asked while waiting: ``True`` stops the request (the page went away, Stop pressed)."""
        self.lookup_generation = lookup_generation
        self.result = ChatResult(mode=spec.mode, requested_model=spec.model, pinned_provider=spec.pinned_provider,
                                 streamed=stream)
        self._started = self._last_text = 0.0
        self._response: httpx.Response | None = None
        self._aborted: ChatFailure | None = None
        self._done = threading.Event()
        self._iterator: Iterator[str] | None = None
        self._calls = ToolCallAssembler()

    def __iter__(self) -> Iterator[str]:
        self._iterator = self._run()
        return self._iterator

    def close(self) -> None:
        """Stop reading and close the upstream request (the consumer went away mid-answer)."""
        if self._iterator is not None:
            self._iterator.close()

    # -- the watchdog: limits that keep-alives cannot defeat, and cancellation --------------------

    def _overdue(self) -> ChatFailure | None:
        limits, now = self.limits, self.clock()
        if self.cancelled is not None and self.cancelled():
            return STOPPED
        if self.result.ttft_s is None and now - self._started > limits.first_token_s:
            return ChatFailure("timeout", f"No first token within {limits.first_token_s:g} s.",
                               "The provider may be overloaded: press **Retry last turn**, or choose **Nitro** (the "
                               f"fastest providers). The host sets this limit with `{FIRST_TOKEN_LIMIT_ENV}`.")
        if self.result.ttft_s is not None and now - self._last_text > limits.idle_s:
            return ChatFailure("cut", f"The answer stalled: no new text for {limits.idle_s:g} s.",
                               "The text that arrived is shown above. Press **Retry last turn** to ask again. The "
                               f"host sets this limit with `{IDLE_LIMIT_ENV}`.")
        if now - self._started > limits.total_s:
            return ChatFailure("timeout", f"The answer took longer than {limits.total_s:g} s.",
                               "The text that arrived is shown above. Ask for a shorter answer or press **Retry last "
                               f"turn**. The host sets this limit with `{TOTAL_LIMIT_ENV}`.")
        return None

    def _watch(self) -> None:
        while not self._done.wait(self.WATCH_EVERY_S):
            failure = self._overdue()
            if failure is not None:
                self._aborted = failure
                self._cut_connection()
                return

    def _cut_connection(self) -> None:
        """Wake the reading thread: shut the socket down (closing it would not interrupt a read
        blocked in another thread), then close the response."""
        response = self._response
        if response is None:
            return
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _run(self) -> Iterator[str]:
        result = self.result
        start = self._started = self._last_text = self.clock()
        if result.streamed:
            threading.Thread(target=self._watch, name="routerlens-chat-watchdog", daemon=True).start()
        try:
            if result.streamed:
                yield from self._stream(start)
            else:
                self._once()
        except OpenRouterError as exc:
            result.failure = describe_failure(exc)
        except httpx.TimeoutException:
            result.failure = describe_failure(OpenRouterError("no data arrived within the read timeout", kind="timeout"))
        except httpx.ConnectError as exc:
            result.failure = describe_failure(OpenRouterError(_connect_reason(exc), kind="network"))
        except (httpx.TransportError, SSEError) as exc:
            if result.text or self._calls.calls:
                result.failure = cut_failure(True)
            else:
                result.failure = describe_failure(OpenRouterError(
                    f"the connection closed without an answer ({exc.__class__.__name__})", kind="network"))
        except GeneratorExit:
            self._aborted = self._aborted or STOPPED
            result.failure = result.failure or self._aborted
            raise
        finally:
            self._done.set()
            result.total_s = self.clock() - start
            result.tool_calls = self._calls.finished()
        if self._aborted is not None and not result.complete:
            result.failure = self._aborted  # the watchdog cut it: say why, not "connection closed"
        if result.failure is None and not result.complete:
            result.failure = cut_failure(bool(result.text))
        if self.lookup_generation and result.cost is None and result.generation_id and result.failure is None:
            apply_generation(result, fetch_generation(self.client, result.generation_id))

    def _timeout(self) -> httpx.Timeout:
        s = self.client.settings
        return httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout,
                             pool=s.connect_timeout)

    def _stream(self, start: float) -> Iterator[str]:
        url = self.client.api_url(CHAT_PATH)
        with connect_sse(self.client.http, "POST", url, json=self.body, headers=self.client.auth_headers(url),
                         timeout=self._timeout()) as source:
            response = self._response = source.response
            self._absorb_headers(response)
            if response.status_code >= 400:
                raise error_from_response(response.status_code, response.read(), response.headers)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                # Some compatible servers ignore ``stream``: read the whole answer instead.
                self._absorb_complete(_json(response.read()))
                if self.result.text:
                    self.result.ttft_s = self.clock() - start
                    yield self.result.text
                return
            for event in source.iter_sse():
                if self.clock() - start > self.total_timeout:
                    raise OpenRouterError("the answer took longer than the total time limit", kind="timeout")
                if event.data.strip() == "[DONE]":
                    self.result.complete = True
                    return
                delta, calling = self._absorb_chunk(event.data)
                if self.result.failure is not None:
                    return
                if delta or calling:
                    self._last_text = self.clock()
                    if self.result.ttft_s is None:
                        self.result.ttft_s = self._last_text - start
                    self.result.text += delta
                    yield delta

    def _once(self) -> None:
        url = self.client.api_url(CHAT_PATH)
        response = self.client.http.post(url, json=self.body, headers=self.client.auth_headers(url),
                                         timeout=self._timeout())
        self._absorb_headers(response)
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.content, response.headers)
        self._absorb_complete(_json(response.content))

    def _absorb_headers(self, response: httpx.Response) -> None:
        self.result.generation_id = response.headers.get("x-generation-id") or self.result.generation_id

    def _absorb_meta(self, chunk: dict) -> None:
        result = self.result
        result.generation_id = result.generation_id or to_str(chunk.get("id"))
        result.provider = to_str(chunk.get("provider")) or result.provider
        result.served_model = to_str(chunk.get("model")) or result.served_model
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            apply_usage(result, usage)

    def _absorb_chunk(self, data: str) -> tuple[str, bool]:
        """Record what a chunk says; return its text delta and whether a piece of a tool call came."""
        try:
            chunk = strict_json(data)
        except ValueError:
            return "", False  # a malformed event is skipped; the [DONE] check still decides completeness
        if not isinstance(chunk, dict):
            return "", False
        self._absorb_meta(chunk)
        first = _first_choice(chunk)
        self.result.finish_reason = to_str(first.get("finish_reason")) or self.result.finish_reason
        if isinstance(chunk.get("error"), dict):
            self.result.failure = midstream_failure(_body_error(chunk["error"]))
            return "", False
        delta = as_dict(first.get("delta"))
        calling = self._calls.add(delta.get("tool_calls"))
        self.result.tool_calls = self._calls.calls
        self.result.refusal += to_str(delta.get("refusal")) or ""
        return to_str(delta.get("content")) or "", calling

    def _absorb_complete(self, payload: dict) -> None:
        if not isinstance(payload, dict):
            raise OpenRouterError("the server sent an unexpected answer", kind="parse")
        self._absorb_meta(payload)
        first = _first_choice(payload)
        message = as_dict(first.get("message"))
        self.result.text = to_str(message.get("content")) or ""
        self.result.refusal = to_str(message.get("refusal")) or ""
        self._calls.add(message.get("tool_calls"), whole=True)
        self.result.finish_reason = to_str(first.get("finish_reason"))
        if isinstance(payload.get("error"), dict):
            self.result.failure = describe_failure(_body_error(payload["error"]))
        self.result.complete = True


def _first_choice(payload: dict) -> dict:
    """``choices[0]`` of a chunk or a complete answer (``{}`` when there is none, as in the usage chunk)."""
    choices = payload.get("choices")
    return as_dict(choices[0]) if isinstance(choices, list) and choices else {}


def _body_error(error: dict) -> OpenRouterError:
    """An ``{"error": {code, message, metadata}}`` inside a 200 answer (mid-stream, or in the body)."""
    return OpenRouterError(str(error.get("message") or "error")[:500], status=to_int(error.get("code")),
                           metadata=as_dict(error.get("metadata")))


def _json(body: bytes):
    try:
        return strict_json(body)
    except ValueError:
        raise OpenRouterError("the server sent malformed JSON", kind="parse") from None


def _connect_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "the connection was refused (is the server running?)"
    if "name or service" in text or "resolution" in text or "getaddrinfo" in text:
        return "the server's name could not be resolved (DNS failure: no network?)"
    return "could not connect (network down?)"


def apply_usage(result: ChatResult, usage: dict) -> None:
    """Copy token counts and cost from a ``usage`` object (the final chunk's, or the body's)."""
    result.prompt_tokens = to_int(usage.get("prompt_tokens"))
    result.completion_tokens = to_int(usage.get("completion_tokens"))
    result.cached_tokens = to_int(as_dict(usage.get("prompt_tokens_details")).get("cached_tokens"))
    result.reasoning_tokens = to_int(as_dict(usage.get("completion_tokens_details")).get("reasoning_tokens"))
    cost = to_decimal(usage.get("cost"))
    if cost is not None:
        result.cost, result.cost_source = cost, "usage.cost in the response"


def fetch_generation(client: OpenRouterClient, generation_id: str) -> dict | OpenRouterError:
    """``GET /api/v1/generation?id=``: cost and provider for one request (may lag a few seconds)."""
    try:
        fetched = client.get_json("/generation", {"id": generation_id}, deadline_s=GENERATION_TIMEOUT_S)
    except OpenRouterError as exc:
        return exc
    data = fetched.data.get("data") if isinstance(fetched.data, dict) else None
    return data if isinstance(data, dict) else OpenRouterError("unexpected /generation answer", kind="parse")


def apply_generation(result: ChatResult, generation: dict | OpenRouterError) -> None:
    """Fill what the stream did not say from ``/generation``; say when that lookup failed."""
    if isinstance(generation, OpenRouterError):
        result.cost_source = f"unknown (GET /api/v1/generation failed: {generation.short()})"
        return
    cost = to_decimal(generation.get("total_cost"))
    if cost is not None:
        result.cost, result.cost_source = cost, "GET /api/v1/generation"
    result.provider = result.provider or to_str(generation.get("provider_name"))
    if result.prompt_tokens is None:
        result.prompt_tokens = to_int(generation.get("native_tokens_prompt") or generation.get("tokens_prompt"))
    if result.completion_tokens is None:
        result.completion_tokens = to_int(generation.get("native_tokens_completion")
                                          or generation.get("tokens_completion"))
    if result.cached_tokens is None:
        result.cached_tokens = to_int(generation.get("native_tokens_cached"))
    if result.reasoning_tokens is None:
        result.reasoning_tokens = to_int(generation.get("native_tokens_reasoning"))


def run_chat(client: OpenRouterClient, spec: RequestSpec, messages: list[dict], **options) -> ChatResult:
    """Send and read the whole answer (no UI): used by compare mode and tests."""
    stream = ChatStream(client, spec, messages, **options)
    for _ in stream:
        pass
    return stream.result


def run_many(client: OpenRouterClient, specs: list[RequestSpec], messages: list[dict], **options) -> list[ChatResult]:
    """The same messages through several specs at once (one thread each), results in order."""
    if not specs:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(6, len(specs))) as pool:
        return list(pool.map(lambda spec: run_chat(client, spec, messages, **options), specs))


# --- comparison with published figures ------------------------------------------------------------

def published_latency_ms(endpoint: Endpoint) -> float | None:
    """The endpoint's p50 time to first token in ms. OpenRouter documents milliseconds but
    its schema example reads like seconds; values under 30 are taken as seconds."""
    value = endpoint.latency_30m.p50 if endpoint.latency_30m else None
    if value is None:
        return None
    return value * 1000 if value < 30 else value


def endpoint_for(result: ChatResult, endpoints: list[Endpoint]) -> Endpoint | None:
    wanted = (result.provider or "").strip().lower()
    if not wanted:
        return None
    for endpoint in endpoints:
        if wanted in (endpoint.provider_name.lower(), (endpoint.tag or "").lower()):
            return endpoint
    return None


def compare_with_published(result: ChatResult, endpoints: list[Endpoint]) -> list[str]:
    """Sentences comparing this answer with the serving provider's published p50s."""
    endpoint = endpoint_for(result, endpoints)
    if endpoint is None:
        return []
    lines = []
    latency = published_latency_ms(endpoint)
    if latency is not None and result.ttft_s is not None:
        mine = result.ttft_s * 1000
        word = "faster than" if mine < latency else "slower than" if mine > latency else "equal to"
        lines.append(f"Time to first token {number(mine, places=0)} ms: {word} {endpoint.provider_name}'s "
                     f"published median ({number(latency, places=0)} ms, last 30 min).")
    throughput = endpoint.throughput_30m.p50 if endpoint.throughput_30m else None
    mine_tps = result.tokens_per_s_end_to_end
    if throughput is not None and mine_tps is not None:
        word = "faster than" if mine_tps > throughput else "slower than" if mine_tps < throughput else "equal to"
        note = " Short answers read slow: the time to first token dominates them." if word == "slower than" else ""
        lines.append(f"Throughput {number(mine_tps)} tok/s end-to-end: {word} the published median "
                     f"({number(throughput)} tok/s).{note}")
    return lines


# --- exports ----------------------------------------------------------------------------------------

def log_csv(rows: list[dict]) -> str:
    """The measurement log as CSV (empty cells for unknown values)."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def conversation_json(turns: list[Turn], spec: RequestSpec) -> str:
    """The conversation, settings and measurements as JSON (image bytes omitted, never the key)."""
    payload = {
        "model": spec.model_id,
        "routing_mode": spec.mode.label,
        "request_body_without_messages": {k: v for k, v in spec.body([]).items() if k != "messages"},
        "system_prompt": spec.system_prompt,
        "turns": [_turn_record(turn) for turn in turns],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


def _turn_record(turn: Turn) -> dict:
    record = {"role": turn.role, "text": turn.text}
    if turn.images:
        record["images"] = [image.export() for image in turn.images]
    if turn.result is not None and turn.result.tool_calls:
        record["tool_calls"] = [call.message_part() for call in turn.result.tool_calls]
    if turn.role == "tool":
        record.update(tool_call_id=turn.tool_call_id, name=turn.name)
    if turn.result is not None:
        record["measured"] = turn.result.log_row()
        if turn.result.failure:
            record["error"] = turn.result.failure.as_text()
    return record


def conversation_markdown(turns: list[Turn], spec: RequestSpec) -> str:
    lines = [f"# Playground conversation: {spec.model_id}", "", f"Routing mode: {spec.mode.label} "
             f"(`{spec.model}`)", ""]
    if spec.system_prompt.strip():
        lines += ["**System:** " + spec.system_prompt, ""]
    for turn in turns:
        heading = {"user": "You", "tool": f"Tool result for {turn.name or 'a call'} ({turn.tool_call_id})"}
        lines.append(f"## {heading.get(turn.role, 'Assistant')}")
        lines.append("")
        lines.append(turn.text or "_(no text)_")
        for call in turn.result.tool_calls if turn.result is not None else []:
            lines += ["", f"Tool call {call.id}: {call.name or '(no name)'}", "", "```json", call.arguments, "```"]
        for image in turn.images:
            lines.append(f"- image: {image.describe()}")
        if turn.result is not None:
            lines.append("")
            lines.append(f"_{measurement_summary(turn.result)}_")
            if turn.result.failure:
                lines.append("")
                lines.append("> " + turn.result.failure.as_text().replace("\n\n", "\n> "))
        lines.append("")
    return "\n".join(lines)


def measurement_summary(result: ChatResult) -> str:
    """One line: provider, TTFT, total, speeds (labelled), tokens, cost, generation id."""
    parts = [f"Served by {result.provider or 'unknown provider'} ({result.mode.label})"]
    parts.append(f"TTFT {seconds(result.ttft_s)}" if result.streamed else "TTFT n/a (not streamed)")
    parts.append(f"total {seconds(result.total_s)}")
    e2e, after = result.tokens_per_s_end_to_end, result.tokens_per_s_after_first
    parts.append(f"{number(e2e)} tok/s end-to-end" if e2e is not None else "tok/s end-to-end unknown")
    if result.streamed:
        parts.append(f"{number(after)} tok/s after first token" if after is not None else "tok/s after first token unknown")
    parts.append(f"tokens in {integer(result.prompt_tokens)} / out {integer(result.completion_tokens)} "
                 f"(cached {integer(result.cached_tokens)}, reasoning {integer(result.reasoning_tokens)})")
    parts.append(f"cost {cost_text(result.cost)}")
    if result.generation_id:
        parts.append(f"id {result.generation_id}")
    return " · ".join(parts)


def cost_text(cost: Decimal | None) -> str:
    """Tiny costs keep two significant digits ($0.0000036), never rounded to $0.00."""
    return money(cost, significant=2)

