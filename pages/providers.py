"""Providers: every endpoint serving the model, its prices, limits, uptime, speed and policy."""

import streamlit as st

from components import providers as panels
from components.context import get_context
from routerlens.performance import provider_table

ctx = get_context()
st.title("Providers")
st.caption(f"Who serves `{ctx.model_id}` through OpenRouter, merged from the documented endpoints API and the "
           "website's per-endpoint stats. Each source carries its own badge.")

table = provider_table(ctx.service, ctx.model_id)
panels.providers_table(table, model_id=ctx.model_id, key="prov")
panels.routing_picks(table, key="prov")
panels.endpoint_summary_panel(table, key="prov")
