"""Activity: real token-volume totals, daily tokens and requests, and this model's share of all
OpenRouter traffic."""

import streamlit as st

from components import activity as panels
from components.badges import sourced_notice
from components.context import current_model, get_context
from routerlens import usage
from routerlens.text import escape_markdown_text

ctx = get_context()
model = current_model(ctx)
sourced_notice(model, key="act_model_notice")
st.title(f"Activity · {escape_markdown_text(model.value.short_name if model.value else ctx.model_id)}")
if model.value is None:
    st.error(f"No model “{ctx.model_id}” is known to the current data source. Pick another model in the sidebar.",
             icon=":material/search_off:")
    st.stop()

m = model.value
panels.volume_figures_panel(usage.token_volume(ctx.service, m), key="act")
panels.daily_activity_panel(usage.daily_activity(ctx.service, m), key="act")
panels.traffic_share_panel(usage.traffic_share(ctx.service, m), key="act")
