"""Apps: the public apps that send this model the most tokens, and (with a key) OpenRouter's
overall app ranking."""

import streamlit as st

from components import apps as panels
from components.badges import sourced_notice
from components.context import current_model, get_context
from routerlens import usage
from routerlens.text import escape_markdown_text

ctx = get_context()
model = current_model(ctx)
sourced_notice(model, key="apps_model_notice")
st.title(f"Apps using {escape_markdown_text(model.value.short_name if model.value else ctx.model_id)}")
if model.value is None:
    st.error(f"No model “{ctx.model_id}” is known to the current data source. Pick another model in the sidebar.",
             icon=":material/search_off:")
    st.stop()

panels.top_apps_panel(usage.top_apps(ctx.service, model.value), title="Top public apps for this model", key="apps")
panels.top_apps_panel(usage.app_rankings(ctx.service), title="OpenRouter's overall app ranking (all models)",
                      key="apps_all", expanded=False)
