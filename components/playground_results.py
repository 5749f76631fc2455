"""What each playground answer measured, the session's measurement log, and the side-by-side
views of a mode comparison and of a model comparison (each column shown as a chat answer is: its
text, its tool calls with their verdicts, its measurements)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from routerlens import text as md
from routerlens.chat import (
    CHAT_ROUTE, ChatResult, compare_with_published, endpoint_for, log_csv, measurement_summary,
)
from routerlens.model_compare import NOT_RANKED, Best, summary_row, verdict_lines
from routerlens.providers import ProviderTable
from routerlens.provenance import Kind, Provenance
from routerlens.routing import RequestSpec
from routerlens.text import code_span  # also imported from here by components/playground.py

from .badges import provenance_badge
from .charts import CHART_HEIGHT, PALETTE, SHAPES, draw, finish, names
from .playground_state import Comparison, ModelComparison
from .playground_tools import answer_checks, answer_text


def measured_provenance(result: ChatResult) -> Provenance:
    """Figures this app measured itself on a real request."""
    return Provenance(Kind.LIVE, f"measured by this app on {CHAT_ROUTE}", result.finished_at,
                      note="client-side timing: includes the network between this app and OpenRouter")


def failure_notice(result: ChatResult, *, key: str) -> None:
    """The error, in words, with what to do next. The server's wording is shown as plain text."""
    failure = result.failure
    if failure is None:
        return
    lines = [f"**{failure.title}**"]
    if failure.detail:
        lines.append(f"Server said: {md.escape_markdown_text(failure.detail)}")
    if failure.reasons:
        lines.append("Reasons: " + "; ".join(md.escape_markdown_text(r) for r in failure.reasons))
    lines.append(failure.next_step)
    icon = ":material/content_cut:" if failure.kind in ("cut", "midstream") else ":material/error:"
    st.error("  \n".join(lines), icon=icon)


def answer_measurements(result: ChatResult, table: ProviderTable, *, key: str) -> None:
    """Under an answer: one line of what it measured, how that compares with the published p50
    (with that figure's source and date), and the full figures one click away."""
    failure_notice(result, key=key)
    if result.total_s is None:
        return
    shown = replace(result, provider=md.escape_markdown_text(result.provider) if result.provider else None,
                    generation_id=md.escape_markdown_text(result.generation_id) if result.generation_id else None)
    st.caption(measurement_summary(shown))
    endpoints = [row.endpoint for row in table.rows]
    lines = compare_with_published(result, endpoints)
    for line in lines:
        st.caption(md.escape_markdown_text(line))
    published = endpoint_for(result, endpoints)
    if lines and published is not None:
        row = next(row for row in table.rows if row.endpoint is published)
        provenance = table.perf_provenance(row)
        if provenance is not None:
            with st.container(horizontal=True, key=f"{key}_published", vertical_alignment="center"):
                st.caption("Published median from:")
                provenance_badge(provenance, key=f"{key}_published_prov")
    with st.expander("All measurements", key=f"{key}_details"):
        row = result.log_row()
        row["Cost source"] = result.cost_source or "unknown"
        row["Finish reason"] = result.finish_reason or "unknown"
        row["Keep-alive comments skipped"] = "yes (not shown)"
        table = pd.DataFrame({"Measure": list(row), "Value": ["unknown" if v is None else str(v) for v in row.values()]})
        st.dataframe(table, hide_index=True, key=f"{key}_details_df")
        st.caption("TTFT = request sent → first text token. Tokens/s end-to-end = completion tokens ÷ total time "
                   "(like OpenRouter's published throughput, it includes TTFT). Tokens/s after first token = "
                   "(completion tokens − 1) ÷ (total − TTFT), the generation speed.")
        provenance_badge(measured_provenance(result), key=f"{key}_prov")


def measurement_log(rows: list[dict], *, key: str) -> None:
    """The session's measurements: summary by model and routing mode, a chart, the full table and CSV."""
    if not rows:
        st.caption("No answers measured yet. Send a prompt in the Chat or Compare tab.")
        return
    df = pd.DataFrame(rows)
    ok = df[df["Outcome"] == "ok"]
    # By what was sent: the model id carries the mode's suffix, so a chat in Nitro and a model
    # comparison in Balanced never share a median.
    summary = ok.groupby(["Model sent", "Mode"], sort=False).agg(
        Answers=("Mode", "size"),
        **{"Median TTFT (s)": ("TTFT (s)", "median"),
           "Median tokens/s end-to-end": ("Tokens/s end-to-end", "median"),
           "Median tokens/s after first token": ("Tokens/s after first token", "median")},
    ).reset_index() if not ok.empty else pd.DataFrame()
    if not summary.empty:
        st.markdown("**By model and routing mode** (successful answers)")
        st.dataframe(summary, hide_index=True, key=f"{key}_summary_df")
        st.markdown("**Time to first token vs end-to-end speed** (each answer measured in this session)")
        draw(_ttft_chart(ok), key=f"{key}_chart")
    st.markdown("**Every request this session**")
    st.dataframe(df, hide_index=True, key=f"{key}_log_df")
    with st.container(horizontal=True, key=f"{key}_log_actions", vertical_alignment="center"):
        st.download_button("Download CSV", lambda: log_csv(rows), file_name="routerlens_playground_measurements.csv",
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:")
        provenance_badge(Provenance(Kind.LIVE, f"measured by this app on {CHAT_ROUTE}", rows[-1]["Time (UTC)"]),
                         key=f"{key}_log_prov")


def _ttft_chart(ok: pd.DataFrame) -> alt.Chart:
    """Each answer's TTFT against its end-to-end speed, one colour and shape per model sent (the
    id carries the routing mode's suffix)."""
    data = ok[["Model sent", "Mode", "Provider", "TTFT (s)", "Tokens/s end-to-end", "Total (s)"]].dropna(
        subset=["Total (s)"])
    legend = alt.Legend(orient="bottom")
    chart = alt.Chart(data).mark_point(
        size=90, opacity=0.8, filled=True).encode(
        x=alt.X("TTFT (s):Q", title="Time to first token (s)"),
        y=alt.Y("Tokens/s end-to-end:Q", title="Tokens/s end-to-end"),
        color=alt.Color("Model sent:N", scale=alt.Scale(range=PALETTE), legend=legend),
        shape=alt.Shape("Model sent:N", scale=alt.Scale(range=SHAPES), legend=legend),
        tooltip=["Model sent", "Mode", "Provider", "TTFT (s)", "Total (s)", "Tokens/s end-to-end"],
    ).properties(height=CHART_HEIGHT)
    return finish(chart, description=f"Scatter chart: {len(data)} answers of this session, time to first token "
                                     f"(s) against end-to-end tokens/s; a colour and a shape per model sent "
                                     f"({names(data['Model sent'])}). The table below lists every request.")


def served_by(result: ChatResult) -> str:
    """Who served an answer, for its column's header (the provider's name is the response's, escaped)."""
    if result.provider:
        return f"served by **{md.escape_markdown_text(result.provider)}**"
    return "serving provider unknown" + (" (the request failed)" if result.failure is not None else "")


def mode_label(result: ChatResult) -> str:
    """The routing mode an answer was sent in, with the pinned provider's slug (plain text)."""
    pinned = f" ({result.pinned_provider})" if result.pinned_provider else ""
    return result.mode.label + pinned


def answer_column(result: ChatResult, spec: RequestSpec | None, table: ProviderTable, *, key: str) -> None:
    """One compared answer, as under a chat answer: its text (formatted JSON for a structured
    answer), a card per tool call with its verdict, the response-schema verdict, then its
    measurements (or its failure). ``spec`` is the request the answer came from."""
    if result.text:
        answer_text(st, result.text, spec)
    answer_checks(result, spec, key=key)
    answer_measurements(result, table, key=key)


def verdict_summary(labels: Sequence[str], results: Sequence[ChatResult], specs: Sequence[RequestSpec], *,
                    key: str) -> None:
    """Above the columns, when tools or a response schema were sent: how many tool calls each
    column got right and whether each structured answer is valid. ``labels`` are Markdown."""
    lines = verdict_lines(labels, results, specs)
    if not lines:
        return
    with st.container(border=True, key=f"{key}_verdicts"):
        st.markdown("  \n".join(lines))
        st.caption("Each answer is checked against the tools and response schema its own request carried: valid "
                   "JSON arguments, a tool that was sent, arguments that match its schema. The serving provider is "
                   "in each column's header.")


def comparison_view(stored: Comparison, table: ProviderTable, *, key: str) -> None:
    """One column per routing mode: the provider that served it, its answer, its tool calls with
    their verdicts, and its measurements; above them, with tools or a schema, the verdicts summed up."""
    st.markdown(f"**Prompt:** {md.escape_markdown_text(stored.prompt)}")
    results = stored.results
    specs: list[RequestSpec | None] = list(stored.specs) or [None] * len(results)
    verdict_summary([f"**{md.escape_markdown_text(mode_label(r))}**" for r in results], results,
                    [s for s in specs if s is not None], key=f"{key}_cmp")
    columns = st.columns(len(results))
    for index, (column, result, spec) in enumerate(zip(columns, results, specs)):
        with column, st.container(border=True, key=f"{key}_cmp_{index}"):
            st.markdown(f"**{md.escape_markdown_text(mode_label(result))}** · {code_span(result.requested_model)} · "
                        f"{served_by(result)}")
            answer_column(result, spec, table, key=f"{key}_cmp_{index}")


def model_name(model_id: str, names: Mapping[str, str]) -> str:
    """A model's short name from the model list (escaped for Markdown), else its id as code."""
    name = names.get(model_id)
    return f"**{md.escape_markdown_text(name)}**" if name else code_span(model_id)


def model_comparison_view(stored: ModelComparison, names: Mapping[str, str], *, key: str) -> None:
    """The prompt, the summary row (fastest first token, cheapest, longest answer), then one
    column per model: its answer, its measurements and cost, and a failure where it failed."""
    prompt = stored.prompt
    st.markdown(f"**Prompt:** {md.escape_markdown_text(prompt.text)}")
    if prompt.images:
        with st.container(horizontal=True, key=f"{key}_images"):
            for image in prompt.images:
                st.image(image.raw_bytes() or image.url, caption=image.describe(), width=160)
    best = summary_row(stored.results)
    summary_cells(best, stored.model_ids, names, key=key)
    specs: list[RequestSpec | None] = list(stored.specs) or [None] * len(stored.results)
    verdict_summary([model_name(model_id, names) for model_id in stored.model_ids], stored.results,
                    [s for s in specs if s is not None], key=key)
    wins = {index: [cell.label.lower() for cell in best if index in cell.winners] for index in range(len(stored.results))}
    columns = st.columns(len(stored.results))
    for index, (column, model_id, result, table, spec) in enumerate(zip(columns, stored.model_ids, stored.results,
                                                                         stored.tables, specs)):
        with column, st.container(border=True, key=f"{key}_col{index}"):
            st.markdown(f"{model_name(model_id, names)} · {code_span(result.requested_model)} · {served_by(result)}")
            if wins[index]:
                with st.container(horizontal=True, key=f"{key}_col{index}_wins"):
                    for label in wins[index]:
                        st.badge(label, icon=":material/star:", color="green")
            answer_column(result, spec, table, key=f"{key}_col{index}")


def summary_cells(best: Sequence[Best], model_ids: Sequence[str], names: Mapping[str, str], *, key: str) -> None:
    """One cell per measure: the model(s) holding the best value, and the value."""
    with st.container(border=True, key=f"{key}_summary"):
        cells = st.columns(len(best))
        for cell, item in zip(cells, best):
            with cell:
                if item.winners:
                    who = ", ".join(model_name(model_ids[i], names) for i in item.winners)
                    st.markdown(f"{item.label}: {who} ({md.escape_markdown_text(item.value)})")
                else:
                    st.markdown(f"{item.label}: none — {md.escape_markdown_text(item.why_none or '')}")
        st.caption(f"{NOT_RANKED} Longest = most characters (token counts differ between tokenizers). "
                   "Timings measured by this app, so they include the network to OpenRouter.")
