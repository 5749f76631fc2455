"""Altair chart builders sharing one style. Builders return charts; callers draw them with
``st.altair_chart(chart, width="stretch")`` (Streamlit lifts Altair's 5,000-row limit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from routerlens.provenance import Provenance

CHART_HEIGHT = 280
PALETTE = ["#6467F2", "#F2994A", "#27AE60", "#EB5757", "#9B51E0", "#2D9CDB", "#828282", "#F2C94C"]


def chart_title(text: str, provenance: Provenance) -> str | alt.TitleParams:
    """A chart's title; a simulated one says so first and carries its caveats as subtitle lines.
    (Here, not in badges.py: every page imports the badges, and altair costs ~25 MB to import.)"""
    if not provenance.is_simulated:
        return text
    return alt.TitleParams(f"SIMULATED — {text}", subtitle=list(provenance.caveats), subtitleColor="#B35C00")


def line_chart(df: pd.DataFrame, *, x: str, y: str, color: str | None = None, y_title: str | None = None,
               x_title: str | None = None, tooltip: list | None = None, height: int = CHART_HEIGHT,
               y_format: str | None = None, dashed_field: str | None = None) -> alt.Chart:
    """A line per ``color`` group with points and a tooltip. ``dashed_field`` (bool column) draws
    those segments dashed, e.g. for thin data."""
    enc = {
        "x": alt.X(f"{x}:T", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title or y, axis=alt.Axis(format=y_format) if y_format else alt.Axis()),
        "tooltip": tooltip or [alt.Tooltip(f"{x}:T"), alt.Tooltip(f"{y}:Q", format=y_format or ",.2f")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom"))
    if dashed_field:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed_field}:N", legend=None)
    return alt.Chart(df).mark_line(point=True).encode(**enc).properties(height=height)
