"""Panels of the API page: the model in the snippet, routing-mode controls, snippet options and
the code tabs."""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st

from routerlens.model_compare import spec_for_model
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.provenance import Sourced
from routerlens.schema import Model
from routerlens.snippets import KEY_ENV, MAX_TOOL_ROUNDS, Snippet, SnippetOptions, structured
from routerlens.text import code_span
from routerlens.tools import tool_schemas

from .badges import provenance_badge
from .playground_state import current_spec

DEFAULT_PROMPT = "Hello! In one sentence, what can you do?"


def model_choice(current: str, compared: Sequence[str], *, key: str) -> str:
    """Which model the snippet sends to: the sidebar's, or one of the models last compared in the
    Playground's Compare models tab (a select box only when there is a choice)."""
    choices = list(dict.fromkeys([current, *compared]))
    if len(choices) == 1:
        return current
    box = f"{key}_model"
    if st.session_state.get(box) not in choices:
        st.session_state[box] = current  # a newer comparison no longer has the model picked before
    picked = st.selectbox("Model in the snippet", choices, key=box, on_change=_forget_routing, args=(key,),
                          help="The sidebar's model, or one of the models you last compared in the Playground's "
                               "Compare models tab.")
    if picked != current:
        st.caption("The Playground's settings, sent to this model as Compare models sends them: Pinned provider "
                   "becomes Balanced (the pinned provider is the sidebar model's), and max output tokens stay "
                   "within this model's own limit.")
    return picked


def _forget_routing(key: str) -> None:
    """Another model: the routing controls start again from its request (a provider pinned for
    the previous model may not serve this one)."""
    for widget in (f"{key}_mode", f"{key}_pinned"):
        st.session_state.pop(widget, None)


def base_spec(model_id: str, model: Model | None = None) -> tuple[RequestSpec, bool]:
    """The playground's current request (when it has one) pointed at ``model_id`` (``model``: its
    catalog entry, for its output limit) as Compare models points it; else a plain Balanced
    request. The flag says whether the playground's settings were used."""
    stored = current_spec()
    if stored is not None:
        return (stored if stored.model_id == model_id else spec_for_model(stored, model_id, model)), True
    return RequestSpec(model_id=model_id), False


def routing_controls(spec: RequestSpec, provider_slugs: Sourced[list[str]], *, key: str) -> RequestSpec:
    """Pick the routing mode (and the provider when pinned, from the model's provider list);
    returns the adjusted request."""
    modes = list(RoutingMode)
    mode = st.segmented_control("Routing mode", modes, default=spec.mode, format_func=lambda m: m.label,
                                key=f"{key}_mode", required=True) or spec.mode
    st.caption(mode.explanation)
    pinned = None
    if mode is RoutingMode.PINNED:
        slugs = list(dict.fromkeys(s for s in (spec.pinned_provider, *provider_slugs.value) if s))
        pinned = st.selectbox("Provider", slugs or ["openai"], key=f"{key}_pinned", accept_new_options=True,
                              help="The provider slug for `provider.order` (from this model's provider list).")
        provenance_badge(provider_slugs.provenance, key=f"{key}_pinned_prov")
        pinned = (pinned or "").strip() or None
        if pinned is None:
            st.warning("Pick or type a provider slug to pin.", icon=":material/warning:")
            return spec.with_mode(RoutingMode.BALANCED)
    return spec.with_mode(mode, pinned)


def snippet_options(*, base_url: str, key: str) -> tuple[str, SnippetOptions]:
    cols = st.columns([3, 1, 2])
    with cols[0]:
        prompt = st.text_input("Example prompt", value=DEFAULT_PROMPT, key=f"{key}_prompt", max_chars=2000)
    with cols[1]:
        stream = st.toggle("Stream", value=False, key=f"{key}_stream", help="Server-sent events, token by token.")
    with cols[2]:
        attribution = st.toggle("Attribution headers", value=True, key=f"{key}_attr",
                                help="Optional `HTTP-Referer` and `X-OpenRouter-Title`: they put your app in "
                                     "OpenRouter's app rankings. Replace the placeholder values.")
    return prompt or DEFAULT_PROMPT, SnippetOptions(base_url=base_url, stream=stream, attribution=attribution)


def request_summary(spec: RequestSpec, body: dict, *, from_playground: bool, key: str) -> None:
    with st.container(border=True, key=f"{key}_summary"):
        st.markdown(f"**Model string:** {code_span(spec.model)} · **Mode:** {spec.mode.label}")
        st.caption("Parameters come from the Playground's current settings." if from_playground else
                   "Default parameters (open the Playground to tune them; this page follows).")
        tools_and_schema(spec)
        with st.expander("JSON body sent to `POST /chat/completions`", key=f"{key}_body_exp"):
            st.code(json.dumps(body, indent=2, ensure_ascii=False), language="json")


def tools_and_schema(spec: RequestSpec) -> None:
    """What the Playground's tools expander added, and what the snippets do with it."""
    if spec.tools:
        names = ", ".join(code_span(name) for name in tool_schemas(spec.tools))
        choice = spec.tool_choice if isinstance(spec.tool_choice, str) else "the named tool"
        st.markdown(f"**Tools:** {names} · tool choice {code_span(str(choice or 'auto'))}")
        st.caption("Each program has a stub per tool (`run_tool`: put your code there), answers every call the model "
                   "makes (assistant message with its `tool_calls`, then a `tool` message per call) and asks again, "
                   f"{MAX_TOOL_ROUNDS} rounds at most. Streamed calls are gathered piece by piece, by index.")
    if structured(spec):
        name = (spec.response_format or {}).get("json_schema", {}).get("name") or "answer"
        st.markdown(f"**Structured output:** `json_schema` {code_span(str(name))}")
        st.caption("The programs parse the answer as JSON.")


def snippet_tabs(snippets: list[Snippet], *, key: str) -> None:
    """One tab per language; the key always comes from the environment, never from this app."""
    tabs = st.tabs([s.label for s in snippets], key=f"{key}_tabs")
    for tab, snippet in zip(tabs, snippets):
        with tab:
            if snippet.install:
                st.code(snippet.install, language="bash")
            st.code(snippet.code, language=snippet.language)
    st.caption(f"Set your key first: `export {KEY_ENV}=sk-or-v1-…`. The snippets read it from the environment; "
               "this page never includes a real key.")
