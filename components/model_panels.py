"""Panels of the overview page: spec cards, description, checked claims, providers, history."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from routerlens import formatting as fmt
from routerlens import text as md
from routerlens.catalog import image_price_text
from routerlens.pricing import blended_per_m, compare_prices
from routerlens.provenance import Provenance, Sourced
from routerlens.schema import Endpoint, Model

from .badges import provenance_badge, source_caption, sourced_notice
from .cards import card_grid
from .tables import static_table


def modality_text(model: Model) -> str:
    ins = " + ".join(model.input_modalities) or "unknown"
    outs = " + ".join(model.output_modalities) or "unknown"
    return f"{ins} → {outs}"


def model_header(model: Model, provenance: Provenance, *, key: str) -> None:
    """Name, id, author, tags and the source of the model record."""
    st.title(md.escape_markdown_text(model.short_name))
    tags = md.hashtags(model.description)
    if model.is_multimodal and "multimodal" not in tags:
        tags.insert(0, "multimodal")
    with st.container(horizontal=True, key=f"{key}_meta", vertical_alignment="center"):
        st.markdown(f"{md.code_span(model.id)} · by **{md.escape_markdown_text(model.author or 'unknown')}**")
        for tag in tags:
            st.badge(f"#{tag}", color="violet")
        if model.expiration_date:
            st.badge(f"Retires {model.expiration_date.isoformat()}", color="red", icon=":material/event_busy:")
        provenance_badge(provenance, key=f"{key}_prov")


def spec_cards(model: Model, provenance: Provenance, *, image_note: str | None = None, key: str) -> None:
    """The numbers at the top of OpenRouter's model page, one card each. ``image_note`` says where
    another source disagrees on the image price."""
    p = model.pricing
    blended = blended_per_m(p)
    cards = [
        dict(label="Input price", value=fmt.per_m(p.prompt_per_m), provenance=provenance,
             help="USD per 1 million input (prompt) tokens."),
        dict(label="Output price", value=fmt.per_m(p.completion_per_m), provenance=provenance,
             help="USD per 1 million output (completion) tokens."),
        dict(label="Cached input price", value=fmt.per_m(p.cache_read_per_m, unknown="not offered"),
             provenance=provenance,
             help="USD per 1 million input tokens read from the prompt cache (cache read)."),
        dict(label="Blended price (3:1)", value=fmt.per_m(blended), provenance=provenance,
             help="(3 × input + 1 × output) / 4, the blend peers such as Artificial Analysis quote."),
        dict(label="Context", value=fmt.tokens(model.context_length), provenance=provenance,
             help=f"{fmt.integer(model.context_length)} tokens of context window."),
        dict(label="Max output", value=fmt.tokens(model.max_completion_tokens), provenance=provenance,
             help=f"{fmt.integer(model.max_completion_tokens)} tokens per response (top provider)."),
        dict(label="Released", value=fmt.date_text(model.created), provenance=provenance,
             help="Date the model was added to OpenRouter (the `created` field)."),
        dict(label="Knowledge cutoff", value=fmt.month_text(model.knowledge_cutoff), provenance=provenance,
             help=f"Training data cutoff: {fmt.date_text(model.knowledge_cutoff)}."),
        dict(label="Image input price", value=image_price_text(model), provenance=provenance,
             help="USD per 1,000 input images when the model lists a separate image price; otherwise images "
                  "are billed as input tokens."),
    ]
    card_grid(cards, columns=3, key=f"{key}_spec")
    if image_note:
        st.caption(md.escape_markdown_text(image_note))
    with st.container(border=True, key=f"{key}_modalities"):
        wide, tok, mod, params = st.columns([3, 1, 1, 1])
        with wide:
            st.metric("Modalities", modality_text(model),
                      help="Input and output modalities from the model's `architecture` field.")
        with tok:
            st.metric("Tokenizer", model.tokenizer or "unknown")
        with mod:
            st.metric("Moderated", {True: "yes", False: "no", None: "unknown"}[model.is_moderated],
                      help="Whether OpenRouter moderates requests for this model (`top_provider.is_moderated`).")
        with params:
            st.metric("Parameters", str(len(model.supported_parameters)) if model.supported_parameters else "unknown",
                      help="How many request parameters the model supports (listed below).")
        provenance_badge(provenance, key=f"{key}_mod_prov")


def description_panel(description: Sourced[str], *, key: str) -> None:
    """The model description as Markdown, with HTML escaped and links made safe."""
    with st.container(border=True, key=f"{key}_desc"):
        st.header("Description")
        body = md.strip_hashtag_lines(description.value)
        st.markdown(md.safe_markdown(body) or "_No description._")
        provenance_badge(description.provenance, key=f"{key}_desc_prov")
        if description.notice:
            st.caption(description.notice)


def claims_panel(model: Model, description: str, others: list[Model], launch_evals: Sourced[dict | None],
                 provenance: Provenance, *, key: str) -> None:
    """Comparisons the description makes, recomputed from data (never typed in)."""
    rows = []
    for other in others:
        cmp = compare_prices(model.pricing, other.pricing, other_id=other.id, other_name=other.name)
        if cmp.blended_pct is None:
            continue
        word = "cheaper" if cmp.blended_pct >= 0 else "more expensive"
        rows.append({
            "Compared with": other.short_name,
            "Input": _pct(cmp.input_pct),
            "Output": _pct(cmp.output_pct),
            "Blended 3:1": _pct(cmp.blended_pct),
            "In words": f"{abs(cmp.blended_pct):.0f}% {word} (blended)",
        })
    claims = md.claimed_percentages(description)
    if not rows and not claims and not launch_evals.value:
        return
    with st.container(border=True, key=f"{key}_claims"):
        st.header("Claims, recomputed from data")
        if claims:
            for number, sentence in claims[:4]:
                st.markdown("> " + md.safe_markdown(sentence).replace("\n", " "))
        if rows:
            st.caption("Price difference against the models the description mentions (current list prices; "
                       "positive = this model is cheaper).")
            static_table(rows, download="claims recomputed", provenance=provenance, key=f"{key}_claims_table")
            provenance_badge(provenance, key=f"{key}_claims_prov")
        evals = launch_evals.value or {}
        if evals:
            mmlu = evals.get("MMLU")
            if mmlu is not None:
                st.metric("MMLU (OpenAI launch evals)", f"{mmlu:.1f}%",
                          help="OpenAI's published score for gpt-4o-mini-2024-07-18 (simple-evals).")
            provenance_badge(launch_evals.provenance, key=f"{key}_evals_prov")


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "unknown"
    return f"{value:.0f}% cheaper" if value >= 0 else f"{-value:.0f}% dearer"


def providers_summary(endpoints: Sourced[list[Endpoint]], *, key: str) -> None:
    """Who serves the model, at what list price."""
    with st.container(border=True, key=f"{key}_providers"):
        st.header("Providers")
        sourced_notice(endpoints, key=f"{key}_providers_notice")
        if endpoints.value:
            rows = [{
                "Provider": e.provider_name,
                "Routing slug": e.routing_slug,
                "Context": fmt.tokens(e.context_length),
                "Max output": fmt.tokens(e.max_completion_tokens),
                "Input $/M": fmt.per_m(e.pricing.prompt_per_m),
                "Output $/M": fmt.per_m(e.pricing.completion_per_m),
                "Cached input $/M": fmt.per_m(e.pricing.cache_read_per_m),
                "Quantization": e.quantization or "unknown",
            } for e in endpoints.value]
            static_table(rows, download="providers", provenance=endpoints, key=f"{key}_providers_table")
        elif not endpoints.notice:
            st.caption("No provider serves this model right now.")
        provenance_badge(endpoints.provenance, key=f"{key}_providers_prov")
        if endpoints.provenance.note:
            source_caption(endpoints.provenance, key=f"{key}_providers_src")


def parameters_panel(model: Model, provenance: Provenance, *, key: str) -> None:
    with st.container(border=True, key=f"{key}_params"):
        st.header("Supported parameters")
        if model.supported_parameters:
            st.markdown(" ".join(md.code_span(p) for p in model.supported_parameters if p.strip()))
        else:
            st.caption("unknown")
        details = {
            "Instruct type": model.instruct_type or "none",
            "Modality string": model.modality or "unknown",
            "Canonical slug": model.canonical_slug,
        }
        st.markdown("  \n".join(f"**{k}:** {md.escape_markdown_text(str(v))}" for k, v in details.items()))
        provenance_badge(provenance, key=f"{key}_params_prov")


def history_panel(history: list[Sourced[Model]], *, key: str) -> None:
    """The model's list entry as captured at different dates: prices and limits over time."""
    if len(history) < 2:
        return
    rows = []
    for item in history:
        m = item.value
        rows.append({
            "Captured": item.provenance.as_of,
            "Input $/M": fmt.per_m(m.pricing.prompt_per_m),
            "Output $/M": fmt.per_m(m.pricing.completion_per_m),
            "Cached input $/M": fmt.per_m(m.pricing.cache_read_per_m),
            "Context": fmt.tokens(m.context_length),
            "Max output": fmt.tokens(m.max_completion_tokens),
            "Inputs": ", ".join(m.input_modalities),
            "Parameters": len(m.supported_parameters),
            "Moderated": {True: "yes", False: "no", None: "unknown"}[m.is_moderated],
            "Source": item.provenance.source.split(" : ")[0],
        })
    with st.container(border=True, key=f"{key}_history"):
        st.header("Spec history")
        st.caption("The model's `/api/v1/models` entry as captured on different dates (bundled snapshot).")
        static_table(rows, download="spec history", provenance=[item.provenance for item in history],
                     key=f"{key}_history_table")
        provenance_badge(history[-1].provenance, key=f"{key}_history_prov")
