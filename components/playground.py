"""The playground: chat with text and images through a chosen routing mode, streamed, with
what each answer measured; the same prompt through several modes side by side, or through two to
four models side by side (streamed in parallel); the session's measurement log.

Everything that decides *what* is sent lives in ``routerlens`` (chat, images, limits, routing);
this module lays it out and keeps the conversation in the session's one
:class:`~components.playground_state.PlaygroundSession` so that no error, refusal or rerun loses
it. Nothing is sent until every check passed: a non-empty prompt, every image valid, a usable
key, and the host's per-session limits.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import streamlit as st

from routerlens import compare as cmp
from routerlens import text as md
from routerlens.chat import (
    CONTEXT_RULE, ChatResult, ChatStream, StreamLimits, Turn, context_turns, conversation_json, conversation_markdown,
    history_messages, is_cut_off, run_many,
)
from routerlens.client import OpenRouterClient
from routerlens.error_rates import error_rates, warm
from routerlens.ids import ModelRef
from routerlens.images import prepare_all, split_urls
from routerlens.limits import HostPolicy, KeyAccess, SharedKeyGuard, charged_cost, key_access, load_policy
from routerlens.model_compare import MAX_MODELS, ParallelStreams, mode_for_models, selection_problems, spec_for_model
from routerlens.providers import ProviderTable, provider_table
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.schema import Endpoint, Model

from .compare import remembered_compare_set
from .context import AppContext, app_secrets, current_model
from .recording import describe_recording, keep_measurement, recording_configured
from .playground_results import (
    answer_measurements, code_span, comparison_view, measurement_log, model_comparison_view, model_name,
)
from .playground_settings import MODES, SendOptions, build_spec, routing_panel, settings_panel
from .playground_state import Comparison, ModelComparison, session, take_image_urls, urls_key
from .playground_tools import (
    answer_checks, answer_text, streaming_markdown, tool_answers, tool_result_message, tools_panel,
)

STREAM_REFRESH_S = 0.05
"""Redraw the streaming answer at most this often (each redraw resends the text so far)."""
STREAM_REDRAW_BYTES_PER_S = 50_000
"""...and, since every redraw re-sends and re-renders the whole answer, long answers redraw less
often (12 KB: every 0.24 s), so the browser never falls behind a fast stream (bench/run.py)."""


@dataclass
class Sender:
    """Everything a send needs besides the request: where, with whose key, within which limits."""

    client: OpenRouterClient | None
    access: KeyAccess
    guard: SharedKeyGuard | None
    """The host's shared key, guarded across sessions (``None`` with the visitor's own key)."""
    visitor: str
    table: ProviderTable
    model: Model | None
    keep: Callable[[ChatResult], str | None] | None = None
    """Records an answer's measurements; returns why it could not, or ``None``."""
    limits: StreamLimits = field(default_factory=StreamLimits)
    """How long an answer may keep the visitor waiting (the host's settings)."""
    before_send: Callable[[], None] | None = None
    """Called once the question is on screen, just before its answer is asked for (the chat
    draws its toolbar then, so Stop leaves Clear, Retry and Export in place)."""

    @property
    def endpoints(self) -> list[Endpoint]:
        return [row.endpoint for row in self.table.rows]

    def refusal(self, count: int = 1) -> str | None:
        """Why nothing may be sent now (key, offline, per-minute limit), or ``None``."""
        if not self.access.can_send or self.client is None:
            return self.access.reason or "Sending is not available."
        return self.guard.refusal(self.visitor, count) if self.guard is not None else None

    def record(self, count: int = 1) -> None:
        if self.guard is not None:
            self.guard.record(self.visitor, count)

    def charge(self, results: list[ChatResult], max_tokens: int | None) -> None:
        """Count the answers' cost against the shared key's daily budget."""
        if self.guard is None:
            return
        pricing = self.model.pricing if self.model is not None else None
        for result in results:
            self.guard.spend(charged_cost(result.cost, prompt_tokens=result.prompt_tokens,
                                          completion_tokens=result.completion_tokens,
                                          prompt_price=pricing.prompt if pricing else None,
                                          completion_price=pricing.completion if pricing else None,
                                          max_tokens=max_tokens or self.access.max_tokens_cap or 0))


def _keeper(ctx: AppContext, model_id: str) -> Callable[[ChatResult], str | None]:
    """Records one answer of ``model_id`` in this deployment's recording."""
    return functools.partial(keep_measurement, ctx.settings.history_url, ctx.service.permaslug(model_id),
                             ModelRef.of(model_id).variant)


def session_gone() -> Callable[[], bool]:
    """Whether this browser session has gone away or asked to stop (asked from the chat's
    watchdog thread while an answer is awaited, so a closed tab or the Stop button also ends
    the upstream request instead of leaving it open until the server gives up)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: False
    runtime, session_id, requests = Runtime.instance(), ctx.session_id, ctx.script_requests

    def gone() -> bool:
        if not runtime.is_active_session(session_id):
            return True
        # Stop pressed: Streamlit only raises in the script at its next call, which a blocked
        # read never makes. Its request state is not public API, so read it defensively.
        state = getattr(requests, "_state", None)
        return getattr(state, "name", "") == "STOP"

    return gone


@st.cache_resource(max_entries=4, show_spinner=False)
def shared_key_guard(policy: HostPolicy) -> SharedKeyGuard:
    """One guard per server process (and host policy): the limits hold across sessions."""
    return SharedKeyGuard(policy)


def _guard(access: KeyAccess) -> SharedKeyGuard | None:
    """The guard on the host's shared key; none for the visitor's own key."""
    if not access.uses_host_key or access.policy is None:
        return None
    return shared_key_guard(access.policy)


def visitor_id() -> str:
    """Who is asking, as far as Streamlit says: the signed-in user, else the connection's IP
    address, else this session (a local run). A reload or a second tab is the same visitor."""
    try:
        if st.user.is_logged_in and st.user.get("email"):
            return f"user:{st.user.get('email')}"
    except Exception:  # noqa: BLE001 - no authentication configured
        pass
    address = st.context.ip_address
    # No address (a local run, or a test harness): this machine, one visitor.
    return f"ip:{address}" if isinstance(address, str) and address else "local"


TABS = ("Chat", "Compare modes", "Compare models", "Measurements")


def playground(ctx: AppContext, *, key: str) -> None:
    """The whole playground for ``ctx.model_id``. ``key`` prefixes its widgets' keys; what it
    remembers is the session's one :class:`~components.playground_state.PlaygroundSession`
    (one playground per session)."""
    warm(ctx.service, ctx.model_id)  # the error rates Exacto's estimate uses: fetched meanwhile
    model = current_model(ctx)
    access = key_access(ctx.key_source, load_policy(os.environ, app_secrets()),
                        offline=not ctx.service.can_send)
    st.title("Playground")
    name = model.value.short_name if model.value else ctx.model_id
    st.caption(f"Chat with **{md.escape_markdown_text(name)}** ({code_span(ctx.model_id)}) "
               "through OpenRouter's chat completions API. Pick a routing mode, send text and images, and see "
               "what each answer measured and cost.")
    if not access.can_send:
        st.info(access.reason, icon=":material/key:")
    elif access.limits_text:
        st.caption(access.limits_text)

    table = provider_table(ctx.service, ctx.model_id)
    mode, pinned = routing_panel(table, rates=error_rates(ctx.service, ctx.model_id, table=table), key=key)
    recording = describe_recording(ctx.settings.history_url)
    params, options = settings_panel(model.value.max_completion_tokens if model.value else None,
                                     model_defaults=model.value.default_parameters if model.value else {},
                                     max_tokens_cap=access.max_tokens_cap, recording=recording,
                                     record_default=recording_configured(ctx.settings.history_url), key=key)
    tool_fields, refusals = tools_panel(model, ctx.model_id, table, pinned if mode is RoutingMode.PINNED else None,
                                        key=key)
    spec = build_spec(ctx.model_id, mode, pinned, params | tool_fields)
    options = replace(options, refusals=refusals)
    session().spec = spec
    sender = Sender(ctx.service.client, access, _guard(access), visitor_id(), table, model.value,
                    keep=_keeper(ctx, ctx.model_id) if options.record else None,
                    limits=StreamLimits.load(os.environ, app_secrets()))

    # Only the open tab is drawn (switching tabs reruns the page): the page appears sooner, and the
    # measurement log is read afresh whenever it is opened.
    chat_tab, compare_tab, models_tab, log_tab = st.tabs(TABS, key=f"{key}_tab", on_change="rerun")
    if chat_tab.open:
        with chat_tab:
            # A fragment: sending a message reruns only the chat, not the whole page, so the request
            # leaves sooner (bench/run.py measures the time to first token this adds).
            st.fragment(chat_panel)(spec, options, sender, placeholder=f"Message {name}…", key=key)
    if compare_tab.open:
        with compare_tab:
            default_pin = pinned or next((e.routing_slug for e in sender.endpoints), None)
            compare_panel(spec, options, sender, pinned=default_pin, key=key)
    if models_tab.open:
        with models_tab:
            models_compare_panel(ctx, spec, options, sender, key=key)
    if log_tab.open:
        with log_tab:
            measurement_log(session().log, key=f"{key}_log")


# --- chat --------------------------------------------------------------------------------------------

def chat_panel(spec: RequestSpec, options: SendOptions, sender: Sender, *, placeholder: str, key: str) -> None:
    """Toolbar, conversation, image URLs and the chat input. New exchanges render into the
    history container, above the input."""
    state = session()
    turns: list[Turn] = state.turns
    # Drawn once the question of this run is in ``turns`` (before its answer streams, so a Stop
    # cannot leave the page without it), else at the end. Its exports read ``turns`` on click.
    toolbar = st.container()
    drawn = []

    def draw_toolbar() -> None:
        if not drawn:
            drawn.append(True)
            with toolbar:
                _toolbar(turns, spec, key=key)

    sender = replace(sender, before_send=draw_toolbar)
    history = st.container(key=f"{key}_history")
    with history:
        hint = st.empty()
        if not turns:
            hint.caption("No messages yet. Type below; attach images with the paperclip (PNG, JPEG, WEBP, GIF; "
                         "several at once) or by address under “Attach images by URL”.")
        notes = context_notes(turns)
        for index, turn in enumerate(turns):
            render_turn(turn, sender.table, note=notes.get(index), key=f"{key}_turn{index}")
        results = tool_answers(turns, key=key)  # the answer's tool calls, when it made some
        if notes:
            st.caption(CONTEXT_RULE, help="The model only sees what is sent with each request; this rule keeps that "
                                          "a valid conversation (questions and answers alternating).")
    with st.expander("Attach images by URL", icon=":material/link:", key=f"{key}_urls_box"):
        st.text_area("Image addresses (http or https), one per line", key=urls_key(key), height=68,
                     help="Sent with your next message. The provider fetches them; this app does not.")
    # Any file is accepted by the picker and checked here (routerlens.images): a file the picker
    # itself refused would be dropped silently and the message sent without it.
    submitted = st.chat_input(placeholder, accept_file="multiple",
                              key=f"{key}_chat", on_submit=take_image_urls, args=(key,))
    logged = len(state.log)
    with history:
        if state.take_retry():
            _retry(turns, spec, options, sender, key=key)
        elif submitted is not None:
            hint.empty()
            _submit(submitted, state.take_sent_urls(), turns, spec, options, sender, key=key)
        elif results:
            _retry(turns, spec, options, sender, results=results, key=key)
    draw_toolbar()
    if len(state.log) != logged and _in_fragment_rerun():
        # The chat once more: what is drawn above the new turn (its notes, the form that answers its
        # tool calls) follows it. Never the whole app: nothing outside the chat shows the turn (the
        # measurement log is drawn only when its tab is opened), and Streamlit drops a click made on
        # the chat while an app-wide rerun redraws it (bench/load_faults.py counts such clicks).
        st.rerun(scope="fragment")


def _in_fragment_rerun() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def _keep(sender: Sender, results: list[ChatResult]) -> None:
    """Record the answers' measurements when asked to; a failure is said, never raised."""
    if sender.keep is None:
        return
    problems = {problem for result in results if (problem := sender.keep(result))}
    for problem in problems:
        st.caption(f"Not recorded: {md.escape_markdown_text(problem)}")


def _toolbar(turns: list[Turn], spec: RequestSpec, *, key: str) -> None:
    with st.container(horizontal=True, key=f"{key}_toolbar", vertical_alignment="center"):
        st.button("Clear", key=f"{key}_clear", icon=":material/delete:", disabled=not turns,
                  on_click=_clear, help="Start a new conversation (the measurement log is kept).")
        st.button("Retry last turn", key=f"{key}_retry_btn", icon=":material/replay:",
                  disabled=not any(t.role == "user" for t in turns), on_click=_ask_retry,
                  help="Send your last message again (its previous answer is replaced).")
        # Files made on click (a callable): a file made on every run of this fragment is replaced by
        # the next run, and a browser still pointing at the old one gets a 404 (seen under load).
        st.download_button("Export Markdown", lambda: conversation_markdown(turns, spec), file_name="playground.md",
                           mime="text/markdown", key=f"{key}_export_md", icon=":material/download:",
                           disabled=not turns)
        st.download_button("Export JSON", lambda: conversation_json(turns, spec), file_name="playground.json",
                           mime="application/json", key=f"{key}_export_json", icon=":material/data_object:",
                           disabled=not turns)


def _clear() -> None:
    session().clear()


def _ask_retry() -> None:
    session().ask_retry()


def context_notes(turns: list[Turn]) -> dict[int, str]:
    """What the chat says under the turns the context rule leaves out or keeps cut off."""
    kept = set(context_turns(turns))
    notes = {}
    for index, turn in enumerate(turns):
        if index not in kept and turn.role == "user":
            notes[index] = "Left out of what the model is sent: this question got no answer."
        elif index in kept and is_cut_off(turn):
            notes[index] = "Cut off: sent to the model as far as it came."
    return notes


def render_turn(turn: Turn, table: ProviderTable, *, note: str | None = None, key: str) -> None:
    if turn.role == "tool":
        tool_result_message(turn, note=note, key=key)
        return
    with st.chat_message(turn.role):
        if turn.role == "user":
            if turn.text:
                st.markdown(md.escape_markdown_text(turn.text).replace("\n", "  \n"))
            _image_previews(turn, key=key)
        else:
            if turn.text:
                answer_text(st, turn.text, turn.spec)
            answer_checks(turn.result, turn.spec, key=key)
            if turn.result is not None:
                answer_measurements(turn.result, table, key=key)
        if note:
            st.caption(note)


def _image_previews(turn: Turn, *, key: str) -> None:
    if not turn.images:
        return
    with st.container(horizontal=True, key=f"{key}_images"):
        for image in turn.images:
            st.image(image.raw_bytes() or image.url, caption=image.describe(), width=220)


def _submit(submitted, urls: str, turns: list[Turn], spec: RequestSpec, options: SendOptions, sender: Sender, *,
            key: str) -> None:
    """Check everything; send only when nothing is wrong. A refusal keeps the typed text."""
    text = (getattr(submitted, "text", None) or "").strip()
    files = list(getattr(submitted, "files", None) or [])
    url_list = split_urls(urls)
    problems = []
    if not text:
        problems.append("An empty message is not sent: type a question" +
                        (" about the image(s)." if files or url_list else "."))
    images, image_problems = prepare_all([(f.name, f.getvalue()) for f in files], url_list,
                                         downscale=options.downscale)
    problems.extend(md.escape_markdown_text(p) for p in image_problems)  # file names are untrusted
    problems.extend(options.refusals)
    if images and sender.model is not None and "image" not in sender.model.input_modalities:
        problems.append(f"{sender.model.short_name} does not accept images; pick a model with image input.")
    refusal = None if problems else sender.refusal()
    if problems or refusal:
        _refused(problems or [refusal], "\n".join([text, *url_list]).strip(), key=key)
        return
    turn = Turn("user", text, tuple(images), detail=options.image_detail)
    turns.append(turn)
    render_turn(turn, sender.table, key=f"{key}_turn{len(turns) - 1}")
    _exchange(turns, spec, options, sender, key=key)


def _retry(turns: list[Turn], spec: RequestSpec, options: SendOptions, sender: Sender, *,
           results: Sequence[Turn] = (), key: str) -> None:
    """Send the conversation again, with ``results`` (tool results given to the last answer's
    calls) added first; refused, they stay in their boxes and nothing is added."""
    refusal = "  \n".join(options.refusals) or sender.refusal()
    if refusal:
        _refused([refusal], "", key=key)
        return
    for turn in results:
        turns.append(turn)
        render_turn(turn, sender.table, key=f"{key}_turn{len(turns) - 1}")
    _exchange(turns, spec, options, sender, key=key)


def _refused(problems: list[str], text: str, *, key: str) -> None:
    """Say why nothing was sent (``problems`` are Markdown written by this app, names escaped)."""
    st.warning("**Not sent.** " + "  \n".join(problems), icon=":material/block:")
    if text:
        st.caption("Your message, to copy back:")
        st.code(text, language=None, wrap_lines=True)


def _exchange(turns: list[Turn], spec: RequestSpec, options: SendOptions, sender: Sender, *, key: str) -> None:
    """Stream one answer into a new assistant message, then keep it and its measurements."""
    sender.record()
    if sender.before_send is not None:
        sender.before_send()
    with st.chat_message("assistant"):
        placeholder = st.empty()
        stream = ChatStream(sender.client, spec, history_messages(turns), stream=options.stream,
                            limits=sender.limits, cancelled=session_gone())
        deltas = iter(stream)
        try:
            # The spinner covers the wait for the first token only: once text arrives, the growing
            # answer (with its cursor) is the status, and no "waiting" clock runs under it.
            with st.spinner("Waiting for the first token…", show_time=True):
                first = next(deltas, None)
            text, last_draw = "", 0.0
            for delta in itertools.chain([] if first is None else [first], deltas):
                text += delta
                now = time.monotonic()
                if now - last_draw >= max(STREAM_REFRESH_S, len(text) / STREAM_REDRAW_BYTES_PER_S):
                    placeholder.markdown(streaming_markdown(text, stream.result) + " ▌")
                    last_draw = now
        finally:
            stream.close()  # Stop pressed or the page left mid-answer: the upstream request ends too
        result: ChatResult = stream.result
        if result.text:
            answer_text(placeholder, result.text, spec)
        else:
            placeholder.empty()
        answer_checks(result, spec, key=f"{key}_turn{len(turns)}")
        answer_measurements(result, sender.table, key=f"{key}_turn{len(turns)}")
    turns.append(Turn("assistant", result.text, result=result, spec=spec))
    session().log.append(result.log_row())
    sender.charge([result], spec.max_tokens)
    _keep(sender, [result])


# --- compare -----------------------------------------------------------------------------------------

def compare_panel(spec: RequestSpec, options: SendOptions, sender: Sender, *, pinned: str | None, key: str) -> None:
    """The same single-turn prompt through several routing modes at once."""
    st.caption("One prompt (with the system prompt, settings, tools and response schema above, without the chat "
               "history) sent through each chosen mode at the same time. Each mode is one request. With tools, each "
               "column shows the provider that served it and whether its tool calls are valid.")
    choices = [m for m in MODES if m is not RoutingMode.PINNED or pinned]
    modes = st.multiselect("Modes to compare", choices, default=[RoutingMode.BALANCED, RoutingMode.NITRO,
                                                                 RoutingMode.EXACTO],
                           format_func=lambda m: m.label + (f" ({pinned})" if m is RoutingMode.PINNED else ""),
                           key=f"{key}_cmp_modes")
    prompt = st.text_area("Prompt to compare", key=f"{key}_cmp_prompt", height=80,
                          placeholder="e.g. Explain prompt caching in two sentences.")
    if st.button("Send to each mode", key=f"{key}_cmp_send", type="primary", icon=":material/compare_arrows:"):
        problems = []
        if not (prompt or "").strip():
            problems.append("An empty prompt is not sent: type one above.")
        if not modes:
            problems.append("Choose at least one mode.")
        problems.extend(options.refusals)  # tool definitions or a response schema that cannot be sent
        refusal = None if problems else sender.refusal(len(modes))
        if problems or refusal:
            _refused(problems or [refusal], "", key=f"{key}_cmp")
        else:
            specs = [spec.with_mode(mode, pinned) for mode in modes]
            sender.record(len(specs))
            with st.spinner(f"Sending to {len(specs)} modes at once…", show_time=True):
                results = run_many(sender.client, specs, [{"role": "user", "content": prompt.strip()}],
                                   stream=options.stream, limits=sender.limits, cancelled=session_gone())
            state = session()
            state.comparison = Comparison(prompt.strip(), results, specs)
            state.log.extend(result.log_row() for result in results)
            sender.charge(results, spec.max_tokens)
            _keep(sender, results)
    stored = session().comparison
    if stored:
        comparison_view(stored, sender.table, key=f"{key}_cmp")


# --- compare models ----------------------------------------------------------------------------------

def models_compare_panel(ctx: AppContext, spec: RequestSpec, options: SendOptions, sender: Sender, *,
                         key: str) -> None:
    """One single-turn prompt (text and images) through two to four models at once, each answer
    streamed into its own column; then each column's measurements and a summary row."""
    models = {m.id: m for m in ctx.service.models().value}
    names = {model_id: model.short_name for model_id, model in models.items()}
    mode = mode_for_models(spec.mode)
    st.caption(f"One prompt (with the system prompt, settings, tools and response schema above, without the chat "
               f"history) sent to each chosen model at the same time, in **{mode.label}** mode; the answers stream "
               "side by side. Each model is one request (and counts against any per-minute limit).")
    if mode is not spec.mode:
        st.caption("Pinned provider names a provider of the sidebar's model, so each model is sent in Balanced "
                   "mode here.")
    picked = _model_picker(ctx.model_id, models, names, key=key)
    prompt = st.text_area("Prompt for each model", key=f"{key}_mcmp_prompt", height=80,
                          placeholder="e.g. Explain prompt caching in two sentences.")
    with st.expander("Attach images", icon=":material/image:", key=f"{key}_mcmp_attach"):
        files = st.file_uploader("Images (PNG, JPEG, WEBP, GIF)", accept_multiple_files=True,
                                 key=f"{key}_mcmp_files", help="Checked before anything is sent, as in the chat.")
        urls = st.text_area("Image addresses (http or https), one per line", key=f"{key}_mcmp_urls", height=68,
                            help="The provider fetches them; this app does not.")
    if st.button("Send to each model", key=f"{key}_mcmp_send", type="primary", icon=":material/view_column:"):
        _send_to_models(ctx, picked, prompt, list(files or []), urls, spec, options, sender, models=models,
                        names=names, key=key)
    stored = session().model_comparison
    if stored:
        model_comparison_view(stored, names, key=f"{key}_mcmp")


def _model_picker(current: str, models: dict[str, Model], names: dict[str, str], *, key: str) -> list[str]:
    """Two to four models from the model list, the sidebar's first; preselected from the
    Compare page's comparison when there is one (its ``?compare=`` link, else this session's)."""
    state_key = f"{key}_mcmp_models"
    linked = st.query_params.get_all(cmp.PARAM)
    source = linked or remembered_compare_set()
    others = cmp.parse_selection(source, current, models).ids
    if state_key not in st.session_state:
        st.session_state[state_key] = [current, *others][:MAX_MODELS]
    options = list(dict.fromkeys([current, *st.session_state[state_key], *sorted(models)]))
    if others:
        st.caption("Preselected: the comparison from the Compare page.")
    return st.multiselect(f"Models to compare (2 to {MAX_MODELS})", options, key=state_key,
                          max_selections=MAX_MODELS, placeholder="Pick models from the model list",
                          format_func=lambda i: f"{names[i]} ({i})" if i in names else i)


def _send_to_models(ctx: AppContext, picked: list[str], prompt: str | None, files: list, urls: str | None,
                    spec: RequestSpec, options: SendOptions, sender: Sender, *, models: dict[str, Model],
                    names: dict[str, str], key: str) -> None:
    """Check everything (as the chat does); send only when nothing is wrong."""
    text = (prompt or "").strip()
    url_list = split_urls(urls)
    problems = [] if text else ["An empty prompt is not sent: type one above."]
    images, image_problems = prepare_all([(f.name, f.getvalue()) for f in files], url_list,
                                         downscale=options.downscale)
    problems.extend(md.escape_markdown_text(p) for p in image_problems)  # file names are untrusted
    problems.extend(md.escape_markdown_text(p) for p in selection_problems(picked, models, images=bool(images)))
    problems.extend(options.refusals)  # tool definitions or a response schema that cannot be sent
    refusal = None if problems else sender.refusal(len(picked))
    if problems or refusal:
        _refused(problems or [refusal], "\n".join([text, *url_list]).strip(), key=f"{key}_mcmp")
        return
    turn = Turn("user", text, tuple(images), detail=options.image_detail)
    specs = [spec_for_model(spec, model_id, models.get(model_id)) for model_id in picked]
    sender.record(len(specs))
    results = _stream_side_by_side(specs, [turn.message()], options, sender, picked=picked, names=names, key=key)
    tables = [provider_table(ctx.service, model_id) for model_id in picked]
    state = session()
    state.model_comparison = ModelComparison(tuple(picked), turn, results, tables, specs)
    state.log.extend(result.log_row() for result in results)
    for model_id, model_spec, result in zip(picked, specs, results):
        each = replace(sender, model=models.get(model_id), keep=_keeper(ctx, model_id) if sender.keep else None)
        each.charge([result], model_spec.max_tokens)
        _keep(each, [result])


def _stream_side_by_side(specs: list[RequestSpec], messages: list[dict], options: SendOptions, sender: Sender, *,
                         picked: list[str], names: dict[str, str], key: str) -> list[ChatResult]:
    """Every model's answer streamed into its own column as it arrives (the columns are replaced
    by the full comparison once every answer is in)."""
    live = st.empty()
    with live.container():
        columns = st.columns(len(specs))
        slots = []
        for index, (column, model_id, model_spec) in enumerate(zip(columns, picked, specs)):
            with column, st.container(border=True, key=f"{key}_mcmp_live{index}"):
                st.markdown(f"{model_name(model_id, names)} · {code_span(model_spec.model)}")
                slot = st.empty()
                slot.caption("Waiting for the first token…")
                slots.append(slot)
    streams = ParallelStreams(sender.client, specs, messages, stream=options.stream, limits=sender.limits,
                              cancelled=session_gone())
    texts, drawn = [""] * len(specs), [0.0] * len(specs)
    try:
        for index, delta in streams:
            texts[index] += delta
            now = time.monotonic()
            if now - drawn[index] >= max(STREAM_REFRESH_S, len(texts[index]) / STREAM_REDRAW_BYTES_PER_S):
                slots[index].markdown(streaming_markdown(texts[index], streams.streams[index].result) + " ▌")
                drawn[index] = now
    finally:
        streams.close()  # Stop pressed or the page left mid-answer: every upstream request ends too
    live.empty()
    return streams.results
