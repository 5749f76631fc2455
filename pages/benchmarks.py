"""Benchmarks: OpenAI's launch evaluations and the Artificial Analysis indices, each index with
the model's rank percentile among every model that has a score on it."""

import streamlit as st

from components import benchmarks as panels
from components.badges import sourced_notice
from components.context import current_model, get_context
from routerlens import benchmarks
from routerlens.text import escape_markdown_text

ctx = get_context()
model = current_model(ctx)
sourced_notice(model, key="bm_model_notice")
st.title(f"Benchmarks · {escape_markdown_text(model.value.short_name if model.value else ctx.model_id)}")
if model.value is None:
    st.error(f"No model “{ctx.model_id}” is known to the current data source. Pick another model in the sidebar.",
             icon=":material/search_off:")
    st.stop()

m = model.value
table = benchmarks.score_table(ctx.service)
placements = table.map(lambda t: t.placements(benchmarks.identity_of(m), m.aa_indices))
panels.indices_panel(placements, table, benchmarks.identity_of(m), name=m.short_name, key="bm")
panels.launch_evals_panel(benchmarks.launch_scores(ctx.service, m.id), key="bm")
