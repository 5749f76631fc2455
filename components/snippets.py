"""Panels of the API page: routing-mode controls, snippet options and the code tabs."""

from __future__ import annotations

import json
from dataclasses import replace

import streamlit as st

from routerlens import text as md
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.provenance import Sourced
from routerlens.snippets import KEY_ENV, Snippet, SnippetOptions

from .badges import provenance_badge
from .playground_state import current_spec

DEFAULT_PROMPT = "Hello! In one sentence, what can you do?"


def base_spec(model_id: str) -> tuple[RequestSpec, bool]:
    """The playground's current request (when it has one) pointed at ``model_id``; else a plain
    Balanced request. The flag says whether the playground's settings were used."""
    stored = current_spec()
    if stored is not None:
        return (stored if stored.model_id == model_id else replace(stored, model_id=model_id)), True
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
        st.markdown(f"**Model string:** `{md.escape_markdown_text(spec.model)}` · **Mode:** {spec.mode.label}")
        st.caption("Parameters come from the Playground's current settings." if from_playground else
                   "Default parameters (open the Playground to tune them; this page follows).")
        with st.expander("JSON body sent to `POST /chat/completions`", key=f"{key}_body_exp"):
            st.code(json.dumps(body, indent=2, ensure_ascii=False), language="json")


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
