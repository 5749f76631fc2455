"""Uptime: per provider now (5 min / 30 min / 1 day) and over time (daily, and hourly for one
provider), drawn so an outage is obvious."""

import streamlit as st

from components import performance as panels
from components.context import get_context
from routerlens.providers import provider_table
from routerlens.uptime import uptime_daily, uptime_hourly

ctx = get_context()
st.title("Uptime")
table = provider_table(ctx.service, ctx.model_id)
panels.uptime_current(table, key="up")

with st.container(border=True, key="up_daily_box"):
    st.header("Daily history")
    window_days = panels.window_choice(default="All", key="up")
    panels.uptime_strip(uptime_daily(ctx.service, ctx.model_id, table=table), hourly=False, window_days=window_days,
                        key="up_daily")

with st.container(border=True, key="up_hourly_box"):
    st.header("Hourly, last 72 hours")
    labels = [row.label for row in table.rows]
    if labels:
        choice = st.selectbox("Provider", labels, key="up_provider", bind="query-params") or labels[0]
        row = table.rows[labels.index(choice)]
        panels.uptime_strip(uptime_hourly(ctx.service, ctx.model_id, table, row), hourly=True, key="up_hourly")
    else:
        st.caption("No provider is known for this model in the current data source.")
