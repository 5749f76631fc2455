"""Pricing panels: workload inputs, list vs effective price per provider, and the cost calculator
per provider and per routing mode. All figures are exact Decimal results shown without rounding."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from routerlens import formatting as fmt
from routerlens import text as md
from routerlens.calculator import CostLine, ModeCost, Workload, effective_blended_per_m
from routerlens.effective_pricing import EffectivePricing
from routerlens.error_rates import ErrorRates
from routerlens.providers import ProviderTable
from routerlens.pricing import blended_per_m, effective_input_per_m
from routerlens.provenance import Sourced
from routerlens.routing import RoutingMode

from .badges import provenance_badge, sourced_notice
from .cards import card_grid
from .tables import static_table

UNKNOWN = "unknown"


def workload_inputs(*, caching_notes: list[str] = (), key: str) -> Workload:
    """Tokens in/out per request, requests per day and the cache-hit share. ``caching_notes``: the
    serving providers' documented caching rules, each with its source."""
    with st.container(border=True, key=f"{key}_inputs"):
        st.header("Your workload")
        cols = st.columns(4)
        # Each input is kept in the URL (?price_in=…&price_hit=…) so a link reopens this workload.
        tokens_in = cols[0].number_input("Input tokens per request", min_value=0, max_value=100_000_000,
                                         value=1_000_000, step=1_000, key=f"{key}_in", bind="query-params")
        tokens_out = cols[1].number_input("Output tokens per request", min_value=0, max_value=100_000_000,
                                          value=1_000_000, step=1_000, key=f"{key}_out", bind="query-params")
        per_day = cols[2].number_input("Requests per day", min_value=0, max_value=1_000_000_000, value=1,
                                       step=1, key=f"{key}_rpd", bind="query-params")
        hit = cols[3].slider("Cache-hit share of input", min_value=0, max_value=100, value=50, step=1,
                             format="%d%%", key=f"{key}_hit", bind="query-params",
                             help="Share of input tokens served from the prompt cache and billed at the "
                                  "cached-input price.")
        st.caption("Caches do not transfer between providers: when routing moves you to another provider, "
                   "the first requests there are uncached. A month is 30 days.")
        for note in caching_notes:
            st.caption(md.escape_markdown_text(note))
    return Workload.of(int(tokens_in or 0), int(tokens_out or 0), int(per_day or 0), cache_hit_percent=int(hit))


def price_table(table: ProviderTable, effective: Sourced[EffectivePricing | None], workload: Workload, *,
                key: str) -> None:
    """List prices and the effective input price: OpenRouter's observed figure when it is available,
    and always the one computed from the workload's cache-hit share (labelled as computed)."""
    hit_text = fmt.percent(workload.cache_hit * 100)
    eff = effective.value
    rows = []
    for row in table.rows:
        p = row.endpoint.pricing
        observed = eff.for_row(row) if eff else None
        rows.append({
            "Provider": row.label,
            "Input": fmt.per_m(p.prompt_per_m),
            "Output": fmt.per_m(p.completion_per_m),
            "Cached input": fmt.per_m(p.cache_read_per_m),
            "Blended 3:1": fmt.per_m(blended_per_m(p)),
            f"Effective input at {hit_text} cache hits (computed)": fmt.per_m(effective_input_per_m(p, workload.cache_hit)),
            f"Effective blended at {hit_text} (computed)": fmt.per_m(effective_blended_per_m(row.endpoint, workload.cache_hit)),
            "Effective input (OpenRouter, observed)": fmt.per_m(observed.input_per_m if observed else None),
            "Observed cache-hit rate": fmt.percent(observed.cache_hit_rate * 100, places=1)
            if observed and observed.cache_hit_rate is not None else UNKNOWN,
        })
    with st.container(border=True, key=f"{key}_prices"):
        st.header("List price and effective price")
        sourced_notice(table.endpoints, key=f"{key}_prices_notice")
        if rows:
            static_table(rows, download="list and effective price", provenance=[table.endpoints, effective]
                         if eff is not None else table.endpoints, key=f"{key}_prices_table")
        else:
            st.caption("No provider is known for this model in the current data source.")
        provenance_badge(table.endpoints.provenance, key=f"{key}_list_prov")
        if eff is not None:
            st.markdown(f"**Observed effective price** (usage-weighted, what users actually paid after caching): "
                        f"input {fmt.per_m(eff.input_per_m)}, output {fmt.per_m(eff.output_per_m)}.")
            provenance_badge(effective.provenance, key=f"{key}_eff_prov")
            st.caption("The unit of this undocumented route is inferred: values below $0.01 are read as USD per "
                       "token and shown per 1M.")
        else:
            st.caption(f"OpenRouter's observed effective pricing is not available from this source, so the "
                       f"effective price is **computed**: (1 − {hit_text}) × input price + {hit_text} × cached-input "
                       "price. Unknown when a provider's cached-input price is unknown.")
            sourced_notice(effective, key=f"{key}_eff_notice")


def _cost_row(line: CostLine) -> dict:
    return {
        "Per request": fmt.money(line.per_request),
        "Per 1,000 requests": fmt.money(None if line.per_request is None else line.per_request * 1000),
        "Per day": fmt.money(line.per_day),
        "Per month (30 d)": fmt.money(line.per_month),
        "Blended 3:1 list": fmt.per_m(line.blended_per_m),
        "Blended 3:1 after caching": fmt.per_m(line.effective_blended_per_m),
        "Why unknown": line.why or "",
    }


def provider_cost_table(lines: list[CostLine], provenance, *, key: str) -> None:
    with st.container(border=True, key=f"{key}_costs"):
        st.header("Cost per provider")
        rows = [{"Provider": line.label, "Routing slug": line.tag or UNKNOWN, **_cost_row(line)} for line in lines]
        if rows:
            static_table(rows, notes=("Why unknown",), download="cost per provider", provenance=provenance,
                         key=f"{key}_costs_table")
        provenance_badge(provenance, key=f"{key}_costs_prov")


def mode_cost_table(costs: list[ModeCost], provenance, *, rates: ErrorRates | None = None, key: str) -> None:
    """Each mode's likely provider and the workload's cost there. ``rates``: the published error
    rates Exacto's estimate used (a line under the table names them and their source, or says
    there are none), as under the playground's picks table."""
    with st.container(border=True, key=f"{key}_modes"):
        st.header("Cost per routing mode")
        st.caption("Each mode's likely provider (an estimate from public figures) and your cost there. "
                   "Balanced is the expected cost over its traffic shares.")
        rows = [{"Mode": item.mode.label,
                 "Likely provider": item.pick.primary.provider if item.pick.primary else UNKNOWN,
                 **_cost_row(item.cost), "Why this provider": item.pick.reason} for item in costs]
        if rows:
            static_table(rows, notes=("Why this provider", "Why unknown"), download="cost per routing mode",
                         provenance=provenance, key=f"{key}_modes_table")
        exacto = next((item.pick for item in costs if item.mode is RoutingMode.EXACTO), None)
        if rates is not None and exacto is not None and exacto.ranked:
            st.caption(md.escape_markdown_text(rates.note(exacto.ranked)))
        provenance_badge(provenance, key=f"{key}_modes_prov")


def cost_headline(lines: list[CostLine], workload: Workload, provenance, *, key: str) -> None:
    """The cheapest known provider's figures as cards."""
    known = [line for line in lines if line.per_request is not None]
    if not known:
        st.info("No provider is known for this model in the current data source, so no cost can be computed."
                if not lines else "No provider's cost can be computed for this workload (a needed price is unknown).",
                icon=":material/help:")
        return
    best = min(known, key=lambda line: line.per_request)
    card_grid([
        dict(label=f"Per request ({best.label})", value=fmt.money(best.per_request), provenance=provenance,
             help="Exact: uncached input × input price + cached input × cached price + output × output price "
                  "+ per-request fee."),
        dict(label="Per day", value=fmt.money(best.per_day), provenance=provenance,
             help=f"{fmt.integer(int(workload.requests_per_day))} requests per day."),
        dict(label="Per month", value=fmt.money(best.per_month), provenance=provenance, help="30 days."),
        dict(label="Blended 3:1 price", value=fmt.per_m(best.blended_per_m), provenance=provenance,
             help="(3 × input + 1 × output) / 4 per 1M tokens, the figure peers quote."),
    ], columns=4, key=f"{key}_headline")


def change_log_table(log: Sourced[list], *, key: str) -> None:
    """Price and spec changes this deployment recorded (OpenRouter keeps no such history)."""
    changes = [row for row in log.value if not row.first]
    if not log.value:
        return
    with st.container(border=True, key=f"{key}_changes"):
        st.header("Price and spec changes (recorded)")
        firsts = len(log.value) - len(changes)
        if changes:
            rows = [{"When (UTC)": f"{row.when:%Y-%m-%d %H:%M}",
                     "Where": "model entry" if not row.provider else f"endpoint {row.provider}",
                     "What": row.field, "From": change_value_text(row.field, row.before),
                     "To": change_value_text(row.field, row.after),
                     "Source": row.source} for row in reversed(changes)]
            static_table(rows, download="price and spec changes", provenance=log, key=f"{key}_changes_table")
        else:
            st.caption("No change since recording began.")
        st.caption(f"{firsts} field value(s) were first recorded, not changes. A change is logged only when a "
                   "value differs from the last one recorded.")
        provenance_badge(log.provenance, key=f"{key}_changes_prov")


def change_value_text(field: str, value) -> str:
    if value is None:
        return "not listed"
    if field.startswith("pricing.") and field not in ("pricing.discount", "pricing.request", "pricing.image",
                                                      "pricing.web_search"):
        try:
            return fmt.per_m(Decimal(str(value)) * 1_000_000)
        except ArithmeticError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)
