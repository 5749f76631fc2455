"""Altair chart builders sharing one style. Builders return charts; pages put them on screen
with :func:`show` (drawn from a remembered spec, with a Download menu) or :func:`draw`.

Charts follow the theme (light or dark, .streamlit/config.toml): Streamlit gives Altair its
background, fonts and grid, and :func:`finish` makes the chart's text the page's text colour. The
colours a chart sets itself (:data:`PALETTE`) meet 3:1 on both backgrounds, and no chart tells
providers or sources apart by colour alone (dash, shape, size or a direct label as well). Every chart
carries a description (its text alternative: screen readers announce it as the chart's name).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from routerlens.config import truthy
from routerlens.provenance import Provenance

from .export import chart_downloads

# Altair checks every piece of a chart against the Vega-Lite JSON schema as it is built, and the whole
# chart again when it is drawn: about 40% of the Performance page's script time. The app's charts
# are fixed code, so the check runs where it can fail a build: in the tests (ROUTERLENS_CHECK_CHARTS,
# set by tests/conftest.py), which validate every chart they draw in :func:`draw`.
alt.utils.schemapi.disable_debug_mode()
# No row limit: the builders draw at most a few thousand points. Set once for the process (switching
# the transformer around each draw would race between sessions, which draw on their own threads).
alt.data_transformers.disable_max_rows()

CHART_HEIGHT = 280
# Indigo, orange, green, red, purple, blue, grey, ochre: each meets 3:1 (WCAG 1.4.11, graphics)
# against white and against the dark theme's #0F1117, so one palette serves both themes
# (tests/test_theme_contrast.py).
PALETTE = ["#6467F2", "#E8590C", "#2F9E44", "#E03131", "#AE3EC9", "#1C7ED6", "#868E96", "#B8860B"]
NEUTRAL = PALETTE[6]
"""Reference lines (averages, list prices, your own requests): black vanished on the dark theme."""
TEXT = "currentColor"
"""Chart text in the page's text colour, whichever theme: Streamlit draws charts as SVG, where
``currentColor`` is the colour of the text around the chart (4.5:1 by the theme's own rule)."""
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "triangle-right"]


def chart_title(text: str, provenance: Provenance) -> str | alt.TitleParams:
    """A chart's title; a simulated one says so first and carries its caveats as subtitle lines.
    (Here, not in badges.py: every page imports the badges, and altair costs ~25 MB to import.)"""
    if not provenance.is_simulated:
        return text
    return alt.TitleParams(f"SIMULATED — {text}", subtitle=list(provenance.caveats), subtitleColor=TEXT)


def finish(chart, *, description: str):
    """A builder's last step: the chart's text alternative (``description`` becomes the chart's
    accessible name) and its axis and legend text in the page's text colour (Streamlit's light
    theme draws them #808495, 3.7:1 on white). The chart is always drawn as SVG, where
    ``currentColor`` works (Streamlit would switch large charts to canvas, where it does not)."""
    return (chart.properties(description=description, usermeta={"embedOptions": {"renderer": "svg"}})
            .configure_axis(labelColor=TEXT, titleColor=TEXT)
            .configure_legend(labelColor=TEXT, titleColor=TEXT))


def checking_charts() -> bool:
    """Whether :func:`draw` validates each chart against the Vega-Lite schema (the tests do)."""
    return truthy(os.environ.get("ROUTERLENS_CHECK_CHARTS"))


def draw(chart, *, key: str) -> None:
    """Draw a chart across its column. Its Vega-Lite spec is made here, validated only when
    :func:`checking_charts`."""
    st.vega_lite_chart(chart.to_dict(validate=checking_charts()), width="stretch", key=key)


def draw_made(build, *args, key: str, **kwargs) -> None:
    """Draw ``build(*args, **kwargs)`` like :func:`draw`, its spec remembered for the same inputs
    (an hour, or until 64 others are newer): a chart is built again only when what it shows
    changes. Building is most of a chart page's script time (Compare's 549-model chart: ~100 ms)."""
    # Known by a digest of the inputs' pickle: Streamlit's own hashing refuses Altair objects (a
    # title with subtitle lines) and functions.
    inputs = hashlib.sha256(pickle.dumps((build.__module__, build.__qualname__, args, kwargs), protocol=5))
    spec = _made_spec(build, args, kwargs, inputs.hexdigest(), checking_charts())
    st.vega_lite_chart(spec, width="stretch", key=key)


def show(build, *args, key: str, download: str, data=None, sources=None, **kwargs) -> None:
    """A page's chart: ``build(*args, **kwargs)`` drawn by :func:`draw_made` (key ``{key}_chart``)
    with its Download menu under it (``{key}_export``): files named after ``download``, the CSV
    holding ``data`` (else the frame the chart draws), each file saying its ``sources``."""
    draw_made(build, *args, key=f"{key}_chart", **kwargs)
    chart_downloads(partial(build, *args, **kwargs), data, name=download, provenance=sources, key=f"{key}_export")


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _made_spec(_build, _args: tuple, _kwargs: dict, inputs: str, check: bool) -> dict:
    return _build(*_args, **_kwargs).to_dict(validate=check)


def date_span(dates) -> str:
    """"2025-06-01 to 2025-06-30" for a description (empty when there are no dates)."""
    stamps = pd.to_datetime(pd.Series(list(dates))).dropna()
    if stamps.empty:
        return ""
    first, last = stamps.min().strftime("%Y-%m-%d"), stamps.max().strftime("%Y-%m-%d")
    return first if first == last else f"{first} to {last}"


def names(values) -> str:
    """Distinct names in order of appearance, joined for a description."""
    return ", ".join(dict.fromkeys(str(v) for v in values if v is not None and str(v) != "nan"))


def line_chart(df: pd.DataFrame, *, x: str, y: str, color: str | None = None, y_title: str | None = None,
               x_title: str | None = None, tooltip: list | None = None, height: int = CHART_HEIGHT,
               y_format: str | None = None, dashed_field: str | None = None,
               description: str | None = None) -> alt.Chart:
    """A line per ``color`` group with points (one shape per group) and a tooltip. ``dashed_field``
    (bool column) draws those segments dashed, e.g. for thin data. ``description`` (the chart's text
    alternative) defaults to what is plotted over which dates."""
    enc = {
        "x": alt.X(f"{x}:T", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title or y, axis=alt.Axis(format=y_format) if y_format else alt.Axis()),
        "tooltip": tooltip or [alt.Tooltip(f"{x}:T"), alt.Tooltip(f"{y}:Q", format=y_format or ",.2f")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom"))
        enc["shape"] = alt.Shape(f"{color}:N", scale=alt.Scale(range=SHAPES), legend=alt.Legend(orient="bottom"))
    if dashed_field:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed_field}:N", legend=None)
    if description is None:
        groups = f" per {color} ({names(df[color])})" if color else ""
        description = f"Line chart: {y_title or y}{groups}, {date_span(df[x])}."
    return finish(alt.Chart(df).mark_line(point=True).encode(**enc).properties(height=height), description=description)
