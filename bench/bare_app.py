"""The baseline for bench/run.py: the smallest Streamlit page, served exactly like the app."""

import streamlit as st

st.write("hello")
