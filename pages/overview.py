"""Overview: everything the top of OpenRouter's model page shows, each figure with its source."""

import streamlit as st

from components import model_panels as panels
from components.compare import lifecycle_notice
from components.context import get_context, require_model
from components.export import report_download
from routerlens import benchmarks, catalog, compare, providers
from routerlens.text import linked_model_ids

ctx = get_context()
service = ctx.service
model = require_model(ctx, key="overview")

m = model.value
endpoints = providers.endpoints(service, ctx.model_id)
panels.model_header(m, model.provenance, key="ov")
report_download(service, model, key="ov")  # the figures, tables and charts below as one file, made on click
lifecycle_notice(compare.lifecycle(service, m), key="ov")
panels.spec_cards(m, model.provenance, image_note=catalog.image_price_disagreement(model, endpoints), key="ov")

description = catalog.full_description(service, m, model.provenance)
others = [o for o in (service.model(i).value for i in linked_model_ids(description.value)) if o and o.id != m.id]

left, right = st.columns([3, 2])
with left:
    panels.description_panel(description, key="ov")
    panels.providers_summary(endpoints, key="ov")
with right:
    panels.claims_panel(m, description.value, others, benchmarks.launch_evals(service, m.id), model.provenance, key="ov")
    panels.parameters_panel(m, model.provenance, key="ov")
panels.history_panel(catalog.spec_history(service, m.id), key="ov")
