"""Imported first by the bare baseline apps: the one server fix RouterLens makes for itself
(``routerlens/tcp.py``: Nagle's algorithm off on Streamlit's sockets), so a baseline measures
Streamlit at its best rather than the stock server's ~40 ms delayed-ACK stalls."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from routerlens.tcp import enable_nodelay_once  # noqa: E402

enable_nodelay_once(st.get_option("server.port"))
