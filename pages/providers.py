"""Providers: every endpoint serving the model, its prices, limits, uptime, speed and policy."""

import streamlit as st

from components import providers as panels
from components.context import current_model, get_context
from routerlens.catalog import image_price_disagreement
from routerlens.providers import provider_table

ctx = get_context()
st.title("Providers")
st.caption(f"Who serves `{ctx.model_id}` through OpenRouter, merged from the documented endpoints API and the "
           "website's per-endpoint stats. Each source carries its own badge.")

table = provider_table(ctx.service, ctx.model_id)
image_note = image_price_disagreement(current_model(ctx), table.endpoints)
panels.providers_table(table, model_id=ctx.model_id, notes=[image_note] if image_note else [], key="prov")
panels.routing_picks(table, key="prov")
panels.endpoint_summary_panel(table, key="prov")
