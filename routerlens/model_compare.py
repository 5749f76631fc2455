"""The playground's "Compare models": one prompt through two to four models at once, streamed in
parallel, and the summary row that names the fastest first token, the cheapest answer and the
longest one. No Streamlit here; ``components/playground.py`` lays it out.

Definitions (used in code and on screen alike):

* every model is sent the same request (system prompt, settings, the prompt and its images) in
  the routing mode chosen above, except **Pinned provider**, which names one provider of the
  sidebar's model: there each model is sent in **Balanced** mode instead;
* a model whose own output limit is below the chosen max output tokens is sent its own limit;
* the summary row ranks **complete answers only** (a failed or cut-off answer is shown, not
  ranked): *fastest first token* = the lowest TTFT, *cheapest* = the lowest reported cost,
  *longest answer* = the most characters (tokens are not comparable: each model counts them with
  its own tokenizer). Every model tied at the best value is named.

The same columns serve "Compare modes": with tools or a response schema in the request, each
answer is checked against what *its* request carried (:func:`answer_verdicts`), and
:func:`verdict_lines` sums the columns up ("Valid tool calls: Balanced 0/1, Exacto 1/1").
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from .chat import ChatResult, ChatStream, StreamLimits, cost_text
from .client import OpenRouterClient
from .compare import MAX_MODELS
from .formatting import integer, seconds
from .routing import RequestSpec, RoutingMode
from .schema import Model
from .tools import check_call, response_schema, structured_verdict

MIN_MODELS = 2
"""A comparison needs two models; it holds :data:`routerlens.compare.MAX_MODELS` at most, as the
Compare page does."""
NOT_RANKED = "Only complete answers are ranked; a failed or cut-off answer is shown but not ranked."


# --- the requests ------------------------------------------------------------------------------------

def mode_for_models(mode: RoutingMode) -> RoutingMode:
    """The routing mode each model is sent in: a pinned provider belongs to the sidebar's model."""
    return RoutingMode.BALANCED if mode is RoutingMode.PINNED else mode


def spec_for_model(spec: RequestSpec, model_id: str, model: Model | None) -> RequestSpec:
    """The playground's request pointed at ``model_id``: same settings, the mode of
    :func:`mode_for_models`, max output tokens within the model's own limit."""
    out = replace(spec, model_id=model_id).with_mode(mode_for_models(spec.mode))
    ceiling = model.max_completion_tokens if model is not None else None
    if spec.max_tokens is not None and ceiling and spec.max_tokens > ceiling:
        out = replace(out, max_tokens=ceiling)
    return out


def selection_problems(model_ids: Sequence[str], models: Mapping[str, Model | None], *,
                       images: bool) -> list[str]:
    """Why these models cannot be sent this prompt (plain text, names are the list's), or ``[]``."""
    problems = []
    if len(model_ids) < MIN_MODELS:
        problems.append(f"Choose at least {MIN_MODELS} models to compare.")
    if len(model_ids) > MAX_MODELS:
        problems.append(f"Choose at most {MAX_MODELS} models.")
    if images:
        blind = [(models.get(i).short_name if models.get(i) else i) for i in model_ids
                 if models.get(i) is not None and "image" not in models[i].input_modalities]
        if blind:
            problems.append(f"{', '.join(blind)} {'does' if len(blind) == 1 else 'do'} not accept images: remove "
                            "the images or choose models with image input.")
    return problems


# --- sending: every model at once, each answer streamed -------------------------------------------------

class ParallelStreams:
    """Several :class:`~routerlens.chat.ChatStream` read at once, one thread each. Iterate for
    ``(index, text delta)`` in the order the pieces arrive; then read :attr:`results` (in the
    order of ``specs``). A failed request is a result with its failure, never an exception, and
    never stops the others.

    :meth:`close` (the page went away, Stop pressed) ends every request still open."""

    POLL_S = 0.25
    """How often a waiting reader looks again (so a closed reader is noticed)."""

    def __init__(self, client: OpenRouterClient, specs: Sequence[RequestSpec], messages: list[dict], *,
                 stream: bool = True, limits: StreamLimits | None = None,
                 cancelled: Callable[[], bool] | None = None, lookup_generation: bool = True):
        self._closed = threading.Event()
        outer = cancelled or (lambda: False)
        stop = lambda: self._closed.is_set() or outer()  # noqa: E731 - the streams' watchdogs ask this
        self.streams = [ChatStream(client, spec, messages, stream=stream, limits=limits, cancelled=stop,
                                   lookup_generation=lookup_generation) for spec in specs]
        self._events: queue.Queue[tuple[int, str | None]] = queue.Queue()
        self._threads: list[threading.Thread] = []

    def _read(self, index: int) -> None:
        stream = self.streams[index]
        try:
            for delta in stream:
                if self._closed.is_set():
                    break
                self._events.put((index, delta))
        finally:
            stream.close()
            self._events.put((index, None))

    def __iter__(self) -> Iterator[tuple[int, str]]:
        self._threads = [threading.Thread(target=self._read, args=(index,), daemon=True,
                                          name=f"routerlens-compare-model-{index}")
                         for index in range(len(self.streams))]
        for thread in self._threads:
            thread.start()
        running = len(self._threads)
        try:
            while running and not self._closed.is_set():
                try:
                    index, delta = self._events.get(timeout=self.POLL_S)
                except queue.Empty:
                    continue
                if delta is None:
                    running -= 1
                else:
                    yield index, delta
        finally:
            self.close()  # the reader left early (Stop, the page went away): end what is still open

    def close(self) -> None:
        """Stop reading; every request still open is ended by its watchdog (or at its next piece)."""
        self._closed.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait until every reader has finished (after :meth:`close`, their requests are ending)."""
        for thread in self._threads:
            thread.join(timeout)

    @property
    def results(self) -> list[ChatResult]:
        return [stream.result for stream in self.streams]


# --- the summary row -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Best:
    """One cell of the summary row: which answers are best on one measure, and by how much."""

    label: str
    winners: tuple[int, ...] = ()
    """Positions (in the comparison's order) of the answers holding the best value."""
    value: str = ""
    """The best value in words ("310 ms", "$0.0000036", "412 characters")."""
    why_none: str | None = None
    """When no answer can be named: why."""


def _best(label: str, values: Sequence, show: Callable, *, lowest: bool,
          none: str) -> Best:
    known = [v for v in values if v is not None]
    if not known:
        return Best(label, why_none=none)
    best = min(known) if lowest else max(known)
    return Best(label, tuple(i for i, v in enumerate(values) if v is not None and v == best), show(best))


def answer_length(result: ChatResult) -> int:
    """An answer's length in characters (comparable across models, unlike their token counts)."""
    return len(result.text.strip())


def summary_row(results: Sequence[ChatResult]) -> list[Best]:
    """Fastest first token, cheapest and longest answer among the complete answers (ties: all)."""
    ok = [result.ok for result in results]
    if not any(ok):
        reason = "no answer came back complete."
        return [Best(label, why_none=reason) for label in ("Fastest first token", "Cheapest", "Longest answer")]
    ttft = [r.ttft_s if good and r.streamed else None for r, good in zip(results, ok)]
    cost = [r.cost if good else None for r, good in zip(results, ok)]
    length = [answer_length(r) if good else None for r, good in zip(results, ok)]
    streamed = any(r.streamed for r in results)
    return [
        _best("Fastest first token", ttft, seconds, lowest=True,
              none="no time to first token: streaming is off." if not streamed else "no answer measured one."),
        _best("Cheapest", cost, cost_text, lowest=True,
              none="no answer reported its cost."),
        _best("Longest answer", length, lambda v: f"{integer(int(v))} characters", lowest=False,
              none="no answer came back complete."),
    ]


# --- tool calls and structured answers, side by side -------------------------------------------------------

@dataclass(frozen=True)
class Verdicts:
    """What one compared answer did with the tools and the response schema it was sent with."""

    calls: int = 0
    """Tool calls the answer made (as far as it came)."""
    valid_calls: int = 0
    """Those whose arguments are a JSON object matching a tool that was sent (:func:`~routerlens.tools.check_call`)."""
    structured: bool | None = None
    """The answer is valid against the response schema; ``None`` when not checked (no schema,
    no complete answer, or the answer called tools instead)."""
    complete: bool = True


def answer_verdicts(result: ChatResult, spec: RequestSpec) -> Verdicts:
    """Check an answer against the tools and schema of the request that produced it."""
    valid = sum(check_call(call, spec.tools).ok for call in result.tool_calls)
    structured = structured_verdict(result, spec)  # complete answers only, as the ranking
    return Verdicts(len(result.tool_calls), valid, structured.ok if structured is not None else None, result.ok)


def _calls_text(verdicts: Verdicts) -> str:
    if verdicts.calls:
        return f"{verdicts.valid_calls}/{verdicts.calls}" + ("" if verdicts.complete else " (cut off)")
    return "no call" if verdicts.complete else "failed"


def _structured_text(verdicts: Verdicts) -> str:
    if verdicts.structured is not None:
        return "valid" if verdicts.structured else "not valid"
    if verdicts.calls:
        return "called tools instead"
    return "no answer" if not verdicts.complete else "not checked"


def verdict_lines(labels: Sequence[str], results: Sequence[ChatResult], specs: Sequence[RequestSpec]) -> list[str]:
    """The summary of a comparison sent with tools or a response schema, one line each:
    ``Valid tool calls: Balanced 0/1, Exacto 1/1`` and ``Valid structured answers: Balanced
    valid, Exacto not valid``. ``labels`` name the columns and are inserted as given (a UI
    escapes them first); ``[]`` when neither was sent."""
    verdicts = [answer_verdicts(result, spec) for result, spec in zip(results, specs)]
    lines = []
    if any(spec.tools for spec in specs):
        lines.append("Valid tool calls: "
                     + ", ".join(f"{label} {_calls_text(v)}" for label, v in zip(labels, verdicts)))
    if any(response_schema(spec.response_format) is not None for spec in specs):
        lines.append("Valid structured answers: "
                     + ", ".join(f"{label} {_structured_text(v)}" for label, v in zip(labels, verdicts)))
    return lines


__all__ = ["Best", "MAX_MODELS", "MIN_MODELS", "NOT_RANKED", "ParallelStreams", "Verdicts", "answer_length",
           "answer_verdicts", "mode_for_models", "selection_problems", "spec_for_model", "summary_row", "verdict_lines"]
