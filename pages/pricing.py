"""Pricing: list price, effective price after prompt caching, and what a workload costs per
provider and per routing mode."""

import streamlit as st

from components import pricing as panels
from components.price_history import price_history_panel
from components.context import get_context
from routerlens.calculator import mode_costs, provider_costs
from routerlens.catalog import caching_notes, caching_rules, change_log
from routerlens.effective_pricing import SIDES, effective_price_history, effective_pricing
from routerlens.error_rates import error_rates, warm
from routerlens.providers import provider_table

ctx = get_context()
st.title("Pricing")
st.caption("Exact decimal arithmetic on OpenRouter's per-token prices: the figures match hand calculation.")

warm(ctx.service, ctx.model_id)  # the error rates Exacto's row uses: fetched while the rest is read
table = provider_table(ctx.service, ctx.model_id)
endpoints = table.endpoint_list
workload = panels.workload_inputs(caching_notes=caching_notes(caching_rules(ctx.service).value, endpoints), key="price")
lines = provider_costs(endpoints, workload)
panels.cost_headline(lines, workload, table.endpoints.provenance, key="price")
panels.price_table(table, effective_pricing(ctx.service, ctx.model_id), workload, key="price")
panels.provider_cost_table(lines, table.endpoints.provenance, key="price")
rates = error_rates(ctx.service, ctx.model_id, table=table)  # Exacto's estimate ranks by them
panels.mode_cost_table(mode_costs(endpoints, workload, rates=rates), table.endpoints.provenance, rates=rates,
                       key="price")
log = change_log(ctx.service, ctx.model_id)
price_history_panel({side: effective_price_history(ctx.service, ctx.model_id, side) for side in SIDES}, log,
                    key="price")
panels.change_log_table(log, key="price")
