"""API: drop-in code that sends this model (or one compared in the Playground) the same request
the Playground would send, in the selected routing mode (Python with the OpenAI or OpenRouter SDK,
TypeScript, curl), tools and structured outputs included."""

import streamlit as st

from components import snippets as panels
from components.context import get_context
from components.playground_state import compared_models
from routerlens import snippets
from routerlens.providers import endpoints
from routerlens.text import escape_markdown_text

ctx = get_context()
st.title(f"API · {escape_markdown_text(ctx.model_id)}")
st.caption("OpenRouter speaks the OpenAI Chat Completions API: swap the base URL, keep your code.")

model_id = panels.model_choice(ctx.model_id, compared_models(), key="api")
spec, from_playground = panels.base_spec(model_id, ctx.service.model(model_id).value)
slugs = endpoints(ctx.service, model_id).map(lambda found: [e.routing_slug for e in found])
with st.container(border=True, key="api_routing"):
    spec = panels.routing_controls(spec, slugs, key="api")
prompt, options = panels.snippet_options(base_url=ctx.settings.base_url, key="api")
panels.request_summary(spec, snippets.request_body(spec, prompt, stream=options.stream),
                       from_playground=from_playground, key="api")
panels.snippet_tabs(snippets.all_snippets(spec, prompt, options), key="api")
