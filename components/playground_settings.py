"""The playground's routing and settings panels. Together they produce the one
:class:`~routerlens.routing.RequestSpec` the playground sends (and the API page renders)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from routerlens import formatting as fmt
from routerlens import text as md
from routerlens.error_rates import ErrorRates, with_error_rates
from routerlens.providers import ProviderTable
from routerlens.routing import RequestSpec, RoutingMode
from routerlens.routing_pick import Candidate, likely_picks

from .badges import provenance_badge, sourced_notice
from .playground_state import forget_max_tokens_above, max_tokens_key, pinned_choice, pinned_key

MODES = [RoutingMode.BALANCED, RoutingMode.NITRO, RoutingMode.EXACTO, RoutingMode.PINNED, RoutingMode.FLOOR]
DETAILS = ["auto", "low", "high"]
DEFAULT_MAX_TOKENS = 1024


@dataclass(frozen=True)
class SendOptions:
    """Settings that shape how a message is sent but are not part of the request body."""

    stream: bool = True
    record: bool = False
    """Keep each answer's measurements in this deployment's recording (never the prompt or answer)."""
    image_detail: str = "auto"
    downscale: bool = True
    refusals: tuple[str, ...] = ()
    """Why nothing may be sent with the current settings (Markdown written by this app), e.g. tool
    definitions that are not valid JSON (components.playground_tools)."""


def routing_panel(table: ProviderTable, *, rates: ErrorRates | None = None, key: str) -> tuple[RoutingMode, str | None]:
    """Mode picker with its one-line explanation, the pinned provider, and which provider each
    mode would most likely use right now (from the providers data, with its source). ``rates``:
    the published error rates Exacto's estimate uses (a line under its explanation says which)."""
    endpoints = [row.endpoint for row in table.rows]
    slugs = [e.routing_slug for e in endpoints]
    names = {e.routing_slug: e.provider_name for e in endpoints}
    with st.container(border=True, key=f"{key}_routing"):
        mode = st.segmented_control(
            "Routing mode", MODES, default=RoutingMode.BALANCED, format_func=lambda m: m.label,
            key=f"{key}_mode", required=True, bind="query-params",  # ?pg_mode=Nitro: a link reopens the mode
            help="How OpenRouter chooses the provider for this request. Each mode changes the request exactly "
                 "as described below.",
        ) or RoutingMode.BALANCED
        st.caption(f"**{mode.label}:** {mode.explanation}")
        candidates = with_error_rates([Candidate.from_endpoint(row.endpoint) for row in table.rows], rates)
        if mode is RoutingMode.EXACTO and rates is not None:
            st.caption(md.escape_markdown_text(rates.note(candidates)))
        pinned = None
        if mode is RoutingMode.PINNED:
            if slugs:
                pinned = st.selectbox("Provider", slugs, key=pinned_key(key), bind="query-params",
                                      format_func=lambda s: f"{names.get(s, s)} ({s})",
                                      help="Sent as provider.order = [slug] with allow_fallbacks false.")
            else:
                st.warning("No provider list is available, so no provider can be pinned. Pick another mode.",
                           icon=":material/dns:")
        else:
            choice = pinned_choice(key)  # kept while another mode is shown: the picks table still uses it
            pinned = choice if choice in slugs else None
        _picks_table(table, candidates, pinned=pinned, key=key)
    return mode, pinned


def _picks_table(table: ProviderTable, candidates: list[Candidate], *, pinned: str | None, key: str) -> None:
    if not candidates:
        sourced_notice(table.endpoints, key=f"{key}_picks_notice")
        st.caption("Which provider each mode would pick: unknown (no provider list).")
        return
    picks = likely_picks(candidates, pinned=pinned)
    rows = []
    for mode in MODES:
        pick = picks.get(mode)
        if pick is None or (mode is RoutingMode.PINNED and pinned is None):
            continue
        rows.append({"Mode": mode.label,
                     "Likely provider now": pick.primary.provider if pick.primary else "unknown",
                     "Why": pick.reason})
    st.markdown("**Which provider each mode would most likely pick right now**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_picks_df",
                 column_config={"Why": st.column_config.TextColumn(width="large")})
    with st.container(horizontal=True, key=f"{key}_picks_prov"):
        provenance_badge(table.endpoints.provenance, key=f"{key}_picks_ep_prov")
        perf = {table.perf_provenance(row) for row in table.rows} - {None}
        for index, provenance in enumerate(sorted(perf, key=lambda p: p.short_label())):
            if provenance != table.endpoints.provenance:
                provenance_badge(provenance, key=f"{key}_picks_perf_prov{index}")
    st.caption("An estimate from published prices, p50 throughput and latency, uptime and status (and, for Exacto, "
               "the published error rates when there are some): OpenRouter does not publish its routing decision. "
               "The provider that really served each answer is shown under it.")
    sourced_notice(table.endpoints, key=f"{key}_picks_notice")


def default_placeholder(model_defaults: Mapping[str, float], name: str) -> str:
    """What an empty sampling field means: the model's own default where it lists one, else the
    provider's (not a guessed number: defaults differ between models)."""
    value = model_defaults.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"model default: {value:g}"
    return "provider default"


def settings_panel(model_max_tokens: int | None, *, model_defaults: Mapping[str, float],
                   max_tokens_cap: int | None, recording: str | None = None, record_default: bool = False,
                   key: str) -> tuple[dict, SendOptions]:
    """System prompt and sampling parameters (empty = not sent: the model's or provider's default),
    plus how to send. ``model_defaults`` are the model's listed sampling defaults (``{}`` when
    none are listed or the model is unknown), shown as the empty fields' placeholders.
    ``max_tokens_cap`` is the host's limit when the shared key is in use."""
    ceiling = min(x for x in (model_max_tokens, max_tokens_cap, 128_000) if x)
    default = min(DEFAULT_MAX_TOKENS, ceiling)
    forget_max_tokens_above(key, ceiling)  # the cap shrank (shared key in use): start from the default
    with st.expander("Settings", icon=":material/tune:", key=f"{key}_settings"):
        system = st.text_area("System prompt", key=f"{key}_system", height=80,
                              placeholder="Optional: instructions sent before the conversation.")
        left, right = st.columns(2)
        with left:
            max_tokens = st.number_input(
                "Max output tokens", min_value=1, max_value=ceiling, value=default, step=64, key=max_tokens_key(key),
                help=f"Upper bound on the answer's length (and cost). Limit here: {fmt.integer(ceiling)}"
                     + (" (set by this site's host for its shared key)." if max_tokens_cap else "."))
            temperature = st.number_input("Temperature", min_value=0.0, max_value=2.0, value=None, step=0.1,
                                          key=f"{key}_temperature",
                                          placeholder=default_placeholder(model_defaults, "temperature"))
            top_p = st.number_input("Top p", min_value=0.0, max_value=1.0, value=None, step=0.05, key=f"{key}_top_p",
                                    placeholder=default_placeholder(model_defaults, "top_p"))
            seed = st.number_input("Seed", min_value=0, value=None, step=1, key=f"{key}_seed",
                                   placeholder="none", help="Best-effort determinism where the provider supports it.")
        with right:
            frequency = st.number_input("Frequency penalty", min_value=-2.0, max_value=2.0, value=None, step=0.1,
                                        key=f"{key}_frequency",
                                        placeholder=default_placeholder(model_defaults, "frequency_penalty"))
            presence = st.number_input("Presence penalty", min_value=-2.0, max_value=2.0, value=None, step=0.1,
                                       key=f"{key}_presence",
                                       placeholder=default_placeholder(model_defaults, "presence_penalty"))
            stop = st.text_input("Stop sequences", key=f"{key}_stop", placeholder="comma-separated, up to 4")
            detail = st.selectbox("Image detail", DETAILS, key=f"{key}_detail",
                                  help="low = fewer image tokens (cheaper), high = more detail.")
        stream = st.toggle("Stream answers", value=True, key=f"{key}_stream",
                           help="Off: the whole answer arrives at once (no time-to-first-token figure).")
        downscale = st.toggle("Downscale large images", value=True, key=f"{key}_downscale",
                              help="Images larger than 2048 px or 5 MB are resized before sending; "
                                   "off: they are refused instead.")
        record = st.toggle(
            "Record my measurements", value=record_default and bool(recording), key=f"{key}_record",
            disabled=not recording,
            help=(f"Keep each answer's mode, provider, TTFT, tokens/s, tokens and cost (never the prompt, the "
                  f"answer or the key) in this deployment's recording ({recording}); the Performance page "
                  "overlays them as “your requests”." if recording else
                  "No recording database is configured (ROUTERLENS_HISTORY_URL or [connections.history])."))
    params = {
        "system_prompt": system or "",
        "max_tokens": int(max_tokens) if max_tokens is not None else default,
        "temperature": temperature,
        "top_p": top_p,
        "seed": int(seed) if seed is not None else None,
        "frequency_penalty": frequency,
        "presence_penalty": presence,
        "stop": tuple(s.strip() for s in (stop or "").split(",") if s.strip())[:4],
    }
    return params, SendOptions(stream=stream, image_detail=detail or "auto", downscale=downscale,
                               record=bool(record and recording))


def build_spec(model_id: str, mode: RoutingMode, pinned: str | None, params: dict) -> RequestSpec:
    """The request description; Pinned without a provider falls back to Balanced (said in the UI)."""
    if mode is RoutingMode.PINNED and not pinned:
        mode = RoutingMode.BALANCED
    return RequestSpec(model_id, **params).with_mode(mode, pinned)
