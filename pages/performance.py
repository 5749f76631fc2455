"""Performance over time: throughput, time to first token and end-to-end latency per provider,
and the daily tool-call and structured-output error rates."""

import streamlit as st

from components import performance as panels
from components.context import get_context
from routerlens.error_rates import error_rates, warm
from routerlens.metrics import METRICS, metric_series, my_requests
from routerlens.providers import provider_table

ctx = get_context()
st.title("Performance")
st.caption(f"Daily per-provider figures for `{ctx.model_id}`, with the latest measured figures beside each chart.")

warm(ctx.service, ctx.model_id)  # the error rates, drawn last, are fetched meanwhile
controls = panels.perf_controls(key="perf")
panels.metric_definitions(key="perf")
table = provider_table(ctx.service, ctx.model_id)
for metric in METRICS:
    series = metric_series(ctx.service, ctx.model_id, metric, controls.percentile, table=table)
    panels.metric_panel(series, table, metric=metric, percentile=controls.percentile,
                        window_days=controls.window_days, mine=my_requests(ctx.service, ctx.model_id, metric),
                        key=f"perf_{metric}")
panels.error_rate_panel(error_rates(ctx.service, ctx.model_id, table=table), window_days=controls.window_days,
                        key="perf_errors")
