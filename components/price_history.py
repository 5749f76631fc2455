"""Price over time: the observed effective price per provider per day, the model's list price as
recorded, and a marker at every recorded price change (OpenRouter's page keeps none of this)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from routerlens.catalog import ChangeRow, endpoint_names, list_price_steps, price_changes
from routerlens.metrics import SeriesPoint
from routerlens.provenance import Sourced

from .badges import provenance_badge, sourced_badges, sourced_notice
from .charts import CHART_HEIGHT, NEUTRAL, PALETTE, SHAPES, date_span, finish, names, show
from .pricing import change_value_text

SIDES = {"Input": "input", "Output": "output"}
CHANGE_COLOUR = "#B35C00"
RECORD_HINT = ("OpenRouter publishes only today's effective price. Run the recorder "
               "(`python -m routerlens.record --every 1h`) to keep a point per provider per day; this chart then "
               "shows them, with every recorded price change marked.")


def effective_frame(points: list[SeriesPoint]) -> pd.DataFrame:
    return pd.DataFrame({"date": [p.when for p in points], "provider": [p.provider for p in points],
                         "value": [p.value for p in points]}, columns=["date", "provider", "value"])


def list_price_frame(steps: list[tuple[dt.datetime, float | None]], end: dt.datetime | None) -> pd.DataFrame:
    """Step points of the model entry's list price; the last step is held until ``end`` (the last
    recorded day shown), never beyond."""
    rows = [{"date": when, "value": value} for when, value in steps]
    if rows and end is not None and end > rows[-1]["date"]:
        rows.append({"date": end, "value": rows[-1]["value"]})
    return pd.DataFrame(rows, columns=["date", "value"])


def changes_frame(changes: list[ChangeRow], names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{
        "date": row.when, "where": "model entry" if not row.provider else names.get(row.provider, row.provider),
        "from": change_value_text(row.field, row.before), "to": change_value_text(row.field, row.after),
        "source": row.source,
    } for row in changes], columns=["date", "where", "from", "to", "source"])


def price_history_chart(effective: pd.DataFrame, listed: pd.DataFrame, changes: pd.DataFrame, *,
                        side: str, title: str) -> alt.LayerChart:
    """Effective price lines per provider (a missing day breaks the line; one colour and point shape
    per provider), the list price as a dashed step line, and a vertical marker at each recorded
    price change."""
    y_title = f"USD per 1M {side} tokens"
    layers = []
    if not effective.empty:
        legend = alt.Legend(orient="bottom", title=None)
        colour = alt.Color("provider:N", scale=alt.Scale(range=PALETTE), legend=legend)
        base = alt.Chart(effective).encode(x=alt.X("date:T", title=None),
                                           y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)))
        layers += [base.mark_line(strokeWidth=2).encode(color=colour),
                   base.mark_point(filled=True, size=40).encode(
                       color=colour, shape=alt.Shape("provider:N", scale=alt.Scale(range=SHAPES), legend=legend),
                       tooltip=[alt.Tooltip("date:T", title="Day (UTC)"), alt.Tooltip("provider:N", title="Provider"),
                                alt.Tooltip("value:Q", title="Effective price ($/1M)", format="$,.4f")])]
    if not listed.empty:
        layers.append(alt.Chart(listed).mark_line(interpolate="step-after", strokeDash=[6, 3], color=NEUTRAL).encode(
            x=alt.X("date:T", title=None), y=alt.Y("value:Q", title=y_title),
            tooltip=[alt.Tooltip("date:T", title="From (UTC)", format="%Y-%m-%d %H:%M"),
                     alt.Tooltip("value:Q", title="List price ($/1M)", format="$,.4f")]))
    if not changes.empty:
        layers.append(alt.Chart(changes).mark_rule(color=CHANGE_COLOUR, strokeWidth=2).encode(
            x="date:T",
            tooltip=[alt.Tooltip("date:T", title="Changed (UTC)", format="%Y-%m-%d %H:%M"),
                     alt.Tooltip("where:N", title="Where"), alt.Tooltip("from:N", title="From"),
                     alt.Tooltip("to:N", title="To"), alt.Tooltip("source:N", title="Source")]))
    parts = [f"Line chart: effective {side} price per day in USD per 1M tokens"
             + (f" per provider ({names(effective['provider'])}), {date_span(effective['date'])}" if not effective.empty
                else "")]
    if not listed.empty:
        parts.append("the list price as a dashed step line")
    if not changes.empty:
        parts.append(f"{len(changes)} recorded price change(s) as vertical markers")
    return finish(alt.layer(*layers).properties(title=title, height=CHART_HEIGHT), description="; ".join(parts) + ".")


def price_history_panel(history: dict[str, Sourced[list[SeriesPoint]]], log: Sourced[list[ChangeRow]], *,
                        key: str) -> None:
    """The effective and list price over time for the chosen side (input/output), with change
    markers. Drawn only from real figures: live today, recorded before; never simulated."""
    with st.container(border=True, key=f"{key}_history"):
        st.header("Price over time")
        label = st.segmented_control("Price", list(SIDES), default="Input", key=f"{key}_history_side") or "Input"
        side = SIDES[label]
        series = history[side]
        sourced_notice(series, key=f"{key}_history_notice")
        days = {p.when.date() for p in series.value}
        steps = list_price_steps(log.value, side)
        changes = price_changes(log.value, side)
        if len(days) < 2 and not changes:
            if series.value:
                st.caption(f"Only one day of effective prices ({min(days).isoformat()}) so far: nothing to draw "
                           "over time yet.")
            st.caption(RECORD_HINT)
            sourced_badges(series, key=f"{key}_history_prov")
            return
        effective = effective_frame(series.value)
        end = max((p.when for p in series.value), default=None)
        if changes:
            end = max(end or changes[-1].when, changes[-1].when)
        show(price_history_chart, effective, list_price_frame(steps, end),
             changes_frame(changes, endpoint_names(log.value)), side=side,
             title=f"Effective {side} price per day (solid) and list price (dashed)", key=f"{key}_history",
             download=f"effective {side} price per day", data=effective, sources=[series, log])
        marks = (f"{len(changes)} recorded {side}-price change(s) are marked in orange; hover for from → to."
                 if changes else f"No {side}-price change recorded in this span.")
        st.caption(f"{marks} A day without a recorded figure breaks the line; nothing is filled in. The effective "
                   "price is what users paid after prompt caching, usage-weighted (OpenRouter's figure).")
        sourced_badges(series, key=f"{key}_history_prov")
        if log.value:
            provenance_badge(log.provenance, key=f"{key}_history_log_prov")
