"""The bare page with the app's socket fix (see nodelay.py): the stricter page baseline, so the
pages' ratio is not flattered by a fix the stock bare page lacks."""

import nodelay  # noqa: F401  (Streamlit runs this file with bench/ on sys.path)
import streamlit as st

st.write("hello")
