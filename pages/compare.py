"""Compare: the sidebar's model beside up to three others (kept in the URL as ?compare=a,b,c),
their providers' speed versus price, where every rated model stands on price versus an index, and
the alternatives the data suggests."""

import streamlit as st

from components import compare as panels
from components.context import get_context, require_model
from routerlens import benchmarks, compare, providers

ctx = get_context()
model = require_model(ctx, title="Compare · {name}", key="compare")
m = model.value
listing = ctx.service.models()
scores = benchmarks.score_table(ctx.service)
names = {other.id: other.name for other in listing.value}
st.caption("Side by side from the model list, placed among every model Artificial Analysis rates; the URL keeps "
           "the comparison, so a link reopens it.")

picked = panels.model_picker(m.id, sorted(names), panels.read_selection(m.id, names), names=names, key="cmp")
panels.playground_link(m.id, picked, key="cmp")
columns = compare.columns_for(ctx.service, [ctx.model_id, *picked], provider_list=providers.endpoints)
panels.comparison_table(columns, compare.comparison_rows(columns, scores.value), scores, key="cmp")
speed_slot = panels.speed_price_slot(key="cmp")  # filled last: its provider stats never hold up the rest

index = panels.index_choice(compare.default_index(m, scores.value), key="cmp")
panels.price_chart(compare.chart_data(listing.value, scores.value, index, m.id, picked), m.short_name,
                   scores=scores, key="cmp")
panels.suggestions_panel(compare.newer_same_author(listing.value, m, scores.value, index),
                         compare.better_for_less(listing.value, m, scores.value, index),
                         current_name=m.short_name, index=index, selected=picked, provenance=listing.provenance,
                         key="cmp")
panels.speed_price_chart(compare.speed_price_data(ctx.service, [c.model_id for c in columns],
                                                 {c.model_id: c.name for c in columns}),
                         slot=speed_slot, key="cmp")
