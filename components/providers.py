"""Providers panels: the merged per-endpoint table (sortable, CSV), the published error rates, likely
routing picks, and the third-party endpoint summary. Missing values stay missing (shown "unknown"),
never 0."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from routerlens import text as md
from routerlens.error_rates import (
    AVERAGE_DAYS, ERROR_RATES, WINDOW_TEXT, ErrorRates, newest_day, summary_rows, with_error_rates,
)
from routerlens.metrics import format_metric
from routerlens.providers import ProviderTable, data_policy_text, status_text
from routerlens.pricing import blended_per_m
from routerlens.routing_pick import Candidate, likely_picks

from .badges import provenance_badge, source_caption, sourced_notice
from .tables import static_table

UNKNOWN = "unknown"


def _num(value) -> float | None:
    return None if value is None else float(value)


def _per_m(value: Decimal | None) -> float | None:
    return None if value is None else float(value * 1_000_000)


def _pct(endpoint, name: str, pct: str):
    stats = getattr(endpoint, name)
    return stats.get(pct) if stats is not None else None


def providers_frame(table: ProviderTable) -> pd.DataFrame:
    """One row per endpoint with numeric columns (NaN = unknown) so every column sorts properly."""
    rows = []
    for row in table.rows:
        ep, p = row.endpoint, row.endpoint.pricing
        perf = table.perf_provenance(row)
        rows.append({
            "Provider": row.label,
            "Routing slug": ep.routing_slug,
            "Quantization": ep.quantization or UNKNOWN,
            "Context": ep.context_length,
            "Max output": ep.max_completion_tokens,
            "Input $/M": _per_m(p.prompt),
            "Output $/M": _per_m(p.completion),
            "Cache read $/M": _per_m(p.input_cache_read),
            "Cache write $/M": _per_m(p.input_cache_write),
            "Image $/K": None if p.image is None else float(p.image * 1000),
            "Per request $": _num(p.request),
            "Blended 3:1 $/M": _num(blended_per_m(p)),
            "Uptime 5m %": ep.uptime_5m,
            "Uptime 30m %": ep.uptime_30m,
            "Uptime 1d %": ep.uptime_1d,
            "TTFT p50 ms": _pct(ep, "latency_30m", "p50"),
            "TTFT p90 ms": _pct(ep, "latency_30m", "p90"),
            "TTFT p99 ms": _pct(ep, "latency_30m", "p99"),
            "Tok/s p50": _pct(ep, "throughput_30m", "p50"),
            "Tok/s p90": _pct(ep, "throughput_30m", "p90"),
            "Tok/s p99": _pct(ep, "throughput_30m", "p99"),
            "Requests (30 min)": ep.request_count,
            "Status": status_text(ep),
            "Implicit caching": {True: "yes", False: "no", None: UNKNOWN}[ep.supports_implicit_caching],
            "Data policy": data_policy_text(ep.data_policy),
            "Parameters": ", ".join(ep.supported_parameters) or UNKNOWN,
            "Performance source": perf.short_label() if perf else UNKNOWN,
            "Status page": md.safe_url(row.directory.get("status_page_url")),
        })
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else None)
    numeric = [name for name, config in _COLUMNS.items() if config.get("type_config", {}).get("type") == "number"]
    return frame.astype({name: float for name in numeric if name in frame.columns})


_MONEY = "$%.4f"
_COLUMNS = {
    "Context": st.column_config.NumberColumn(format="localized", help="Context window, tokens."),
    "Max output": st.column_config.NumberColumn(format="localized", help="Max completion tokens per response."),
    "Input $/M": st.column_config.NumberColumn(format=_MONEY, help="USD per 1M input tokens (list price)."),
    "Output $/M": st.column_config.NumberColumn(format=_MONEY, help="USD per 1M output tokens (list price)."),
    "Cache read $/M": st.column_config.NumberColumn(format=_MONEY, help="USD per 1M input tokens read from cache."),
    "Cache write $/M": st.column_config.NumberColumn(format=_MONEY, help="USD per 1M tokens written to cache."),
    "Image $/K": st.column_config.NumberColumn(format=_MONEY, help="USD per 1,000 input images."),
    "Per request $": st.column_config.NumberColumn(format=_MONEY, help="Flat USD per request."),
    "Blended 3:1 $/M": st.column_config.NumberColumn(format=_MONEY, help="(3 × input + output) / 4 per 1M."),
    "Uptime 5m %": st.column_config.NumberColumn(format="%.2f", help="Successful / all requests, last 5 minutes."),
    "Uptime 30m %": st.column_config.NumberColumn(format="%.2f", help="Successful / all requests, last 30 minutes."),
    "Uptime 1d %": st.column_config.NumberColumn(format="%.2f", help="Successful / all requests, last day."),
    "TTFT p50 ms": st.column_config.NumberColumn(format="%.1f", help="Time to first token, median (ms)."),
    "TTFT p90 ms": st.column_config.NumberColumn(format="%.1f", help="Slow tail: 90% of requests were quicker."),
    "TTFT p99 ms": st.column_config.NumberColumn(format="%.1f", help="Slow tail: 99% of requests were quicker."),
    "Tok/s p50": st.column_config.NumberColumn(format="%.1f", help="Output tokens/s, median (includes TTFT)."),
    "Tok/s p90": st.column_config.NumberColumn(format="%.1f", help="Slow tail: 90% of requests were faster."),
    "Tok/s p99": st.column_config.NumberColumn(format="%.1f", help="Slow tail: 99% of requests were faster."),
    "Requests (30 min)": st.column_config.NumberColumn(format="localized",
                                                       help="Requests behind the percentiles (sample size)."),
    "Status page": st.column_config.LinkColumn(help="The provider's status page."),
}


def providers_table(table: ProviderTable, *, model_id: str, notes: list[str] = (), key: str) -> None:
    """The sortable table with a CSV download and the provenance of each source it merges.
    ``notes`` are sentences about its figures (sources that disagree, flags from elsewhere)."""
    with st.container(border=True, key=f"{key}_providers"):
        st.header("Who serves this model")
        sourced_notice(table.endpoints, key=f"{key}_ep_notice")
        sourced_notice(table.stats, key=f"{key}_stats_notice")
        frame = providers_frame(table)
        if frame.empty:
            st.caption("No provider is known for this model in the current data source.")
        else:
            st.dataframe(frame, hide_index=True, placeholder=UNKNOWN, column_config=_COLUMNS, key=f"{key}_table")
            st.download_button("Download CSV", frame.to_csv(index=False, na_rep=UNKNOWN),
                               file_name=f"{model_id.replace('/', '_').replace(':', '_')}_providers.csv",
                               mime="text/csv", icon=":material/download:", key=f"{key}_csv")
            st.caption("Click a column header to sort. Percentiles follow OpenRouter's convention: pNN is the "
                       "value NN% of requests beat, so tok/s p90 is below p50 and TTFT p90 is above it.")
            for note in [*notes, *table.deranked_notes()]:
                st.caption(md.escape_markdown_text(note))
        with st.container(horizontal=True, key=f"{key}_sources"):
            st.caption("Prices, limits, uptime:")
            provenance_badge(table.endpoints.provenance, key=f"{key}_ep_prov")
            st.caption("Endpoint ids, request counts, p50 stats:")
            provenance_badge(table.stats.provenance, key=f"{key}_stats_prov")
        with st.expander("Sources and notes", icon=":material/info:"):
            for sourced in (table.endpoints, table.stats, table.directory):
                source_caption(sourced.provenance, key=f"{key}_src")


def routing_picks(table: ProviderTable, *, rates: ErrorRates | None = None, key: str) -> None:
    """What each routing mode would likely pick right now, from the table's figures; Exacto also
    from the published error rates when ``rates`` has some (and a line says which it used)."""
    candidates = with_error_rates([Candidate.from_endpoint(endpoint) for endpoint in table.endpoint_list], rates)
    picks = likely_picks(candidates)
    rows = [{
        "Mode": mode.label,
        "Likely first": pick.primary.provider if pick.primary else UNKNOWN,
        "Then": " → ".join(c.provider for c in pick.ranked[1:]) or "no fallback",
        "Why": pick.reason,
    } for mode, pick in picks.items()]
    with st.container(border=True, key=f"{key}_picks"):
        st.header("Which provider each routing mode would pick")
        st.caption("An estimate from the figures in the table (OpenRouter does not publish its decision). "
                   "Pinned shows the first provider; pin any provider by its routing slug.")
        st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_picks_df")
        if rates is not None:
            st.caption(md.escape_markdown_text(rates.note(candidates)))
        provenance_badge(table.endpoints.provenance, key=f"{key}_picks_prov")


def error_rates_summary(rates: ErrorRates, *, key: str) -> None:
    """Compact: each provider's tool-call and structured-output error rate on the newest day and on
    average, with the sources; "no data" (never a simulated rate) when there are none."""
    with st.container(border=True, key=f"{key}_errors"):
        st.header("Tool-call and structured-output errors")
        st.caption(" ".join(f"**{rate.label}:** {rate.definition}" for rate in ERROR_RATES.values()))
        st.caption(WINDOW_TEXT + " Daily charts are on the Performance page.")
        if not rates.available:
            st.info(f"**No data**: there are no tool-call or structured-output error rates to show. "
                    f"{rates.why_none()} Error rates are never simulated and the bundled snapshot has none.",
                    icon=":material/block:")
        else:
            static_table(summary_rows(rates), missing="no data", download="error rates per provider",
                         provenance=list(rates.series.values()), key=f"{key}_errors_table")
            st.caption(f"Latest day: {newest_day(rates)} (UTC), with the calls behind it; averages over the newest "
                       f"{AVERAGE_DAYS} days, weighted by calls where every day gives its count.")
            for sourced in rates.series.values():
                if sourced.value:
                    sourced_notice(sourced, key=f"{key}_errors_notice")
        with st.container(horizontal=True, key=f"{key}_errors_sources"):
            for kind, sourced in rates.series.items():
                st.caption(f"{ERROR_RATES[kind].label}:")
                provenance_badge(sourced.provenance, key=f"{key}_errors_{kind}_prov")


def endpoint_summary_panel(table: ProviderTable, *, key: str) -> None:
    """deankerr/orchid's aggregate (average uptime, request counts, deranked): real but third-party,
    and its aggregation window is not documented."""
    summary = table.summary
    if not summary.value:
        return
    rows = [{
        "Provider": item.provider_name,
        "Average uptime %": item.average_uptime,
        "p50 TTFT": format_metric("latency", item.p50_latency_ms),
        "p50 throughput": format_metric("throughput", item.p50_throughput),
        "Requests": item.request_count,
        "Deranked": {True: "yes", False: "no", None: UNKNOWN}[item.is_deranked],
    } for item in summary.value]
    total = sum(item.request_count or 0 for item in summary.value)
    with st.container(border=True, key=f"{key}_summary"):
        st.header("Traffic and uptime summary (third-party aggregate)")
        st.caption("Computed by the deankerr/orchid project from OpenRouter's website stats. The window and "
                   "method of aggregation are **not documented** by that source, so compare providers with "
                   "each other, not with the figures above.")
        st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder=UNKNOWN, key=f"{key}_summary_df",
                     column_config={"Average uptime %": st.column_config.NumberColumn(format="%.4f"),
                                    "Requests": st.column_config.NumberColumn(format="localized")})
        if total:
            shares = ", ".join(f"{md.escape_markdown_text(item.provider_name)} "
                               f"{(item.request_count or 0) / total:.1%}" for item in summary.value)
            st.caption(f"Share of requests in that window: {shares}.")
        provenance_badge(summary.provenance, key=f"{key}_summary_prov")
        sourced_notice(summary, key=f"{key}_summary_notice")
