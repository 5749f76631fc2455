"""Apps page: being built in this release (placeholder so the page registry is stable)."""

import streamlit as st

st.title("Apps")
st.info("This page is being built.", icon=":material/construction:")
