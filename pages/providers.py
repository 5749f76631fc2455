"""Providers: every endpoint serving the model, its prices, limits, uptime, speed, policy and error rates."""

import streamlit as st

from components import providers as panels
from components.context import current_model, get_context
from routerlens.catalog import image_price_disagreement
from routerlens.error_rates import error_rates, warm
from routerlens.providers import provider_table

ctx = get_context()
warm(ctx.service, ctx.model_id)  # fetched while the table is built; drawn under it
st.title("Providers")
st.caption(f"Who serves `{ctx.model_id}` through OpenRouter, merged from the documented endpoints API and the "
           "website's per-endpoint stats. Each source carries its own badge.")

table = provider_table(ctx.service, ctx.model_id)
image_note = image_price_disagreement(current_model(ctx), table.endpoints)
panels.providers_table(table, model_id=ctx.model_id, notes=[image_note] if image_note else [], key="prov")
rates = error_rates(ctx.service, ctx.model_id, table=table)
panels.error_rates_summary(rates, key="prov")
panels.routing_picks(table, rates=rates, key="prov")
panels.endpoint_summary_panel(table, key="prov")
