"""routerlens: the UI-free core of the dashboard.

Everything here is plain Python (no Streamlit import anywhere in this package): the OpenRouter
HTTP client, the three data sources (live, bundled snapshot, simulated) behind one service,
parsing of OpenRouter's wire shapes, and the pricing / metrics math. The Streamlit layer
(`app.py`, `pages/`, `components/`) only asks this package for data and draws it.
"""

DEFAULT_MODEL = "openai/gpt-4o-mini"

__all__ = ["DEFAULT_MODEL"]
