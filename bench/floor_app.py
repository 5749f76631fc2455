"""The fair floor for a model page: Streamlit tuned like the app (Nagle off, see nodelay.py)
holding the lazily loaded element kinds a model page needs — one small Altair chart, one two-row
dataframe and one code block. A page's ratio to this floor is what its own work costs."""

import altair as alt
import nodelay  # noqa: F401  (Streamlit runs this file with bench/ on sys.path)
import pandas as pd
import streamlit as st

st.title("Floor")
frame = pd.DataFrame({"day": pd.date_range("2026-11-01", periods=7), "value": [3, 4, 3, 5, 6, 5, 7]})
st.altair_chart(alt.Chart(frame).mark_line(point=True).encode(x="day:T", y="value:Q"), width="stretch")
st.dataframe(pd.DataFrame({"provider": ["OpenAI", "Azure"], "price": ["$0.15/M", "$0.15/M"]}), hide_index=True)
st.code('print("hello")', language="python")
