"""Baseline for the rerun benchmark: a bare sidebar selectbox of 549 ids and a title, nothing else
(with the app's socket fix, nodelay.py: Streamlit's floor for this interaction)."""

import nodelay  # noqa: F401  (Streamlit runs this file with bench/ on sys.path)
import streamlit as st
ids = ["openai/gpt-4o-mini", "openai/gpt-3.5-turbo"] + [f"x/model-{i}" for i in range(547)]
m = st.sidebar.selectbox("Model", ids, key="model")
st.title({"openai/gpt-4o-mini": "GPT-4o-mini", "openai/gpt-3.5-turbo": "GPT-3.5 Turbo"}.get(m, m))
