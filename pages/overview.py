"""Overview: everything the top of OpenRouter's model page shows, each figure with its source."""

import streamlit as st

from components import model_panels as panels
from components.badges import sourced_notice
from components.context import current_model, get_context
from routerlens.text import linked_model_ids

ctx = get_context()
service = ctx.service
model = current_model(ctx)
sourced_notice(model, key="ov_model_notice")

if model.value is None:
    st.title(ctx.model_id)
    st.error(f"No model “{ctx.model_id}” is known to the current data source. Pick another model in the sidebar.",
             icon=":material/search_off:")
    st.stop()

m = model.value
panels.model_header(m, model.provenance, key="ov")
panels.spec_cards(m, model.provenance, key="ov")

description = service.full_description(m, model.provenance)
others = [o for o in (service.model(i).value for i in linked_model_ids(description.value)) if o and o.id != m.id]

left, right = st.columns([3, 2])
with left:
    panels.description_panel(description, key="ov")
    panels.providers_summary(service.endpoints(ctx.model_id), key="ov")
with right:
    panels.claims_panel(m, description.value, others, service.launch_evals(m.id), model.provenance, key="ov")
    panels.parameters_panel(m, model.provenance, key="ov")
panels.history_panel(service.spec_history(m.id), key="ov")
