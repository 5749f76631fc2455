"""RouterLens: one OpenRouter model, looked at closely. Entry point and page registry."""

import streamlit as st

st.set_page_config(page_title="RouterLens", page_icon="🔭", layout="wide")

from components.context import render_sidebar  # noqa: E402  (set_page_config first)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
]

page = st.navigation(PAGES)
render_sidebar()
page.run()
