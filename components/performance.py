"""Performance and uptime panels: percentile/window controls, metric definitions, per-provider
daily line charts (thin data greyed), the real figures beside them, the daily tool-call and
structured-output error rates, and uptime heat strips."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from routerlens import formatting as fmt
from routerlens import text as md
from routerlens.error_rates import (
    AVERAGE_DAYS, ERROR_RATES, SAMPLE_TEXT, WINDOW_TEXT, ErrorRates, newest_day, summary_rows,
)
from routerlens.metrics import (
    METRICS, PERCENTILES, THIN_SAMPLE_COUNT, SeriesPoint, format_metric, percentile_value, tail_text, window_points,
)
from routerlens.providers import ProviderTable
from routerlens.provenance import Sourced
from routerlens.uptime import NO_DATA_BAND, UPTIME_BANDS, UptimePoint, uptime_band, worst_slot_text

from .badges import provenance_badge, simulated_banner, simulated_caveats, sourced_badges, sourced_notice
from .charts import CHART_HEIGHT, NEUTRAL, PALETTE, SHAPES, chart_title, date_span, finish, names, show
from .tables import static_table

WINDOWS = {"7 days": 7, "30 days": 30, "90 days": 90, "All": None}
THIN_GREY = NEUTRAL
# Uptime bands, best to worst, then "no data". The bands are also in each cell's tooltip, counted in
# the chart's description, and the worst slot is written out under the strip.
BAND_COLOURS = ["#1E8E3E", "#81C995", "#F9C74F", "#F3722C", "#D62828", "#E0E0E0"]


@dataclass(frozen=True)
class PerfControls:
    percentile: str
    window_days: int | None


def perf_controls(*, key: str) -> PerfControls:
    """Percentile and time-window selectors, side by side; both are kept in the URL
    (``?perf_pct=p90&perf_window=7+days``) so a link reopens the same view."""
    with st.container(horizontal=True, key=f"{key}_controls", vertical_alignment="bottom"):
        percentile = st.segmented_control(
            "Percentile", PERCENTILES, default="p50", required=True, key=f"{key}_pct", bind="query-params",
            help="OpenRouter's convention: pNN is the value NN% of requests did better than. p50 is the "
                 "median; p75–p99 show ever slower tails.") or "p50"
        window_days = window_choice(default="30 days", key=key)
    return PerfControls(percentile, window_days)


def window_choice(*, default: str, key: str) -> int | None:
    """The time-window selector (days, ``None`` = all), kept in the URL as ``?<key>_window=``."""
    window = st.segmented_control("Time window", list(WINDOWS), default=default, required=True,
                                  key=f"{key}_window", bind="query-params") or default
    return WINDOWS[window]


def metric_definitions(*, key: str) -> None:
    """Definitions one click away."""
    with st.popover("Metric definitions", icon=":material/help:", key=f"{key}_defs"):
        for metric in METRICS.values():
            st.markdown(f"**{metric.label}** ({metric.unit}). {metric.definition}")
        st.markdown("**Percentiles.** OpenRouter reports pNN as the value NN% of requests did better than, so "
                    "every higher percentile is a slower tail: throughput p90 is *lower* than p50, latency p90 "
                    "is *higher*.")
        st.markdown("**Windows.** The providers table shows the last 30 minutes; the charts show one point per "
                    "day. The website's daily routes return about a week of points whatever window is asked.")
        st.markdown(f"**Thin data.** A daily point backed by fewer than {THIN_SAMPLE_COUNT} requests is drawn "
                    "grey: it can swing on a handful of requests.")


def series_frame(points: list[SeriesPoint]) -> pd.DataFrame:
    return pd.DataFrame({
        "date": [p.when for p in points],
        "provider": [p.provider for p in points],
        "value": [p.value for p in points],
        "samples": [fmt.integer(p.count, unknown="not given") for p in points],
        "thin": [p.thin for p in points],
    }, columns=["date", "provider", "value", "samples", "thin"])


def metric_chart(frame: pd.DataFrame, *, metric: str, percentile: str, title: str | alt.TitleParams,
                 mine: pd.DataFrame | None = None, height: int = CHART_HEIGHT) -> alt.LayerChart:
    """A line per provider, told apart by colour, dash and point shape (never colour alone); thin
    points hollow and grey; tooltip with sample counts. ``mine``: your own measured requests, drawn
    as grey triangles (one per answer, not a percentile)."""
    info = METRICS[metric]
    legend = alt.Legend(orient="bottom", title=None)
    colour = alt.Color("provider:N", scale=alt.Scale(range=PALETTE), legend=legend)
    # The frame goes on the layer, not on each mark: Altair copies and hashes a sub-chart's data
    # (half the page's script time when every mark carried it).
    base = alt.Chart().encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("value:Q", title=f"{info.unit} · {percentile}", scale=alt.Scale(zero=False)),
    )
    line = base.mark_line(strokeWidth=2).encode(color=colour, strokeDash=alt.StrokeDash("provider:N", legend=legend))
    points = base.mark_point(size=45, strokeWidth=1.5).encode(
        color=alt.when(alt.datum.thin).then(alt.value(THIN_GREY)).otherwise(colour),
        fill=alt.when(alt.datum.thin).then(alt.value("transparent")).otherwise(colour),
        shape=alt.Shape("provider:N", scale=alt.Scale(range=SHAPES), legend=legend),
        tooltip=[alt.Tooltip("date:T", title="Day"), alt.Tooltip("provider:N", title="Provider"),
                 alt.Tooltip("value:Q", title=f"{info.label} ({info.unit})", format=",.1f"),
                 alt.Tooltip("samples:N", title="Requests (samples)"), alt.Tooltip("thin:N", title="Thin data")],
    )
    layers = [line, points]
    if mine is not None and not mine.empty:
        layers.append(alt.Chart(mine).mark_point(shape="triangle-up", filled=True, size=70, color=NEUTRAL).encode(
            x="date:T", y="value:Q",
            tooltip=[alt.Tooltip("date:T", title="When (UTC)", format="%Y-%m-%d %H:%M"),
                     alt.Tooltip("endpoint:N", title="Served by"),
                     alt.Tooltip("value:Q", title=f"Your request ({info.unit})", format=",.1f")]))
    description = (f"Line chart: daily {info.label} {percentile} in {info.unit} per provider "
                   f"({names(frame['provider'])}), {date_span(frame['date'])}; hollow grey points rest on few "
                   "requests" + ("; grey triangles are your own requests." if len(layers) > 2 else "."))
    return finish(alt.layer(*layers, data=frame).properties(title=title, height=height), description=description)


def mine_frame(points: list[SeriesPoint]) -> pd.DataFrame:
    return pd.DataFrame({"date": [p.when for p in points], "value": [p.value for p in points],
                         "endpoint": [p.endpoint_key for p in points]}, columns=["date", "value", "endpoint"])


def _current_figures(table: ProviderTable, *, metric: str, percentile: str, key: str) -> None:
    """The real (live or snapshot) per-provider figure for this metric, with its date and source."""
    unit = "tok/s" if METRICS[metric].unit == "tokens/s" else "ms"
    st.markdown(f"**Measured figures** ({unit}, last 30 min of the source)")
    shown = False
    for index, row in enumerate(table.rows):
        provenance = table.perf_provenance(row)
        if metric == "latency-e2e" or provenance is None:
            continue
        p50 = percentile_value(row.endpoint, metric, "p50")
        chosen = percentile_value(row.endpoint, metric, percentile)
        text = f"p50 {format_metric(metric, p50)}"
        if percentile != "p50":
            text += f" · {percentile} {format_metric(metric, chosen, unknown='not given by this source')}"
        shown_pct = percentile if chosen is not None else "p50"
        st.metric(f"{row.label} · {shown_pct}", fmt.number(chosen if chosen is not None else p50),
                  help=f"{text}. Source: {provenance.source}")
        if percentile != "p50":
            st.caption(text)
        provenance_badge(provenance, key=f"{key}_fig_{index}")
        shown = True
    if not shown:
        st.caption("No source measures this per provider." if metric == "latency-e2e"
                   else "unknown: no measured figure in this source.")


def metric_panel(series: Sourced[list[SeriesPoint]], table: ProviderTable, *, metric: str, percentile: str,
                 window_days: int | None, mine: Sourced[list[SeriesPoint]] | None = None, key: str) -> None:
    """One metric: chart (with its provenance and, if simulated, the label) beside the measured figures."""
    info = METRICS[metric]
    simulated = series.provenance.is_simulated
    with st.container(border=True, key=f"{key}_panel"):
        st.header(info.label)
        st.caption(tail_text(metric, percentile))
        if simulated:
            simulated_banner(what=f"this daily {info.label.lower()} chart", key=f"{key}_sim")
        sourced_notice(series, key=f"{key}_notice")
        chart_col, figures_col = st.columns([5, 2])
        with chart_col:
            points = window_points(series.value, window_days)
            frame = series_frame(points)
            own = [p for p in window_points(mine.value, window_days)] if mine and mine.value else []
            if frame["value"].notna().any() or own:
                title = chart_title(f"{info.label}, {percentile}, daily", series.provenance)
                show(metric_chart, frame, metric=metric, percentile=percentile, title=title,
                     mine=mine_frame(own) if own else None, key=key, download=f"{info.label} {percentile} daily",
                     data=frame, sources=series)
                if own:
                    st.caption(f"▲ Your requests: {len(own)} playground answer(s) measured by this app, each one "
                               "request (compare with p50, not with a tail).")
                simulated_caveats(series.provenance, key=f"{key}_caveats")
                thin = int(frame["thin"].sum())
                if thin:
                    st.caption(f"{thin} hollow grey point(s): fewer than {THIN_SAMPLE_COUNT} requests that day.")
            else:
                st.caption("No daily points to draw.")
            sourced_badges(series, key=f"{key}_prov")
            if own:
                provenance_badge(mine.provenance, key=f"{key}_mine_prov")
        with figures_col:
            _current_figures(table, metric=metric, percentile=percentile, key=key)


# --- uptime -------------------------------------------------------------------------------------

def uptime_current(table: ProviderTable, *, key: str) -> None:
    """Uptime now (5 min / 30 min / 1 day) per provider, with the third-party average beside it."""
    rows = [{
        "Provider": row.label,
        "Last 5 min %": fmt.fixed(row.endpoint.uptime_5m, 2),
        "Last 30 min %": fmt.fixed(row.endpoint.uptime_30m, 2),
        "Last day %": fmt.fixed(row.endpoint.uptime_1d, 2),
        "Band (30 min)": uptime_band(row.endpoint.uptime_30m),
        "Average uptime % (orchid, window undocumented)": fmt.fixed(row.summary.average_uptime if row.summary else None, 4),
    } for row in table.rows]
    with st.container(border=True, key=f"{key}_now"):
        st.header("Uptime now")
        st.caption("Uptime = successful requests / (successful + failed), rate-limited requests excluded. "
                   "“unknown” means the source gives no figure (too little traffic, or not captured).")
        sourced_notice(table.endpoints, key=f"{key}_now_notice")
        static_table(rows, download="uptime now", provenance=[table.endpoints, table.summary] if table.summary.value
                     else table.endpoints, key=f"{key}_now_table")
        with st.container(horizontal=True, key=f"{key}_now_sources"):
            provenance_badge(table.endpoints.provenance, key=f"{key}_now_prov")
            if table.summary.value:
                provenance_badge(table.summary.provenance, key=f"{key}_now_sum_prov")


def uptime_frame(points: list[UptimePoint], *, hourly: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "when": [p.when for p in points],
        "slot": [p.when.strftime("%d %Hh" if hourly else "%m-%d") for p in points],
        "time": [p.when.strftime("%Y-%m-%d %H:00" if hourly else "%Y-%m-%d") for p in points],
        "provider": [p.provider for p in points],
        "uptime": [fmt.percent(p.uptime, places=2, unknown="no data") for p in points],
        "band": [uptime_band(p.uptime) for p in points],
    }, columns=["when", "slot", "time", "provider", "uptime", "band"])


def uptime_chart(frame: pd.DataFrame, *, title: str | alt.TitleParams) -> alt.Chart:
    """One cell per provider and day (or hour), coloured by band: outages stand out in red. The
    cells are set apart by gaps in the chart's own background (a white stroke glared on the dark
    theme); the description counts each provider's slots per band."""
    domain = [label for _, label in UPTIME_BANDS] + [NO_DATA_BAND]
    gaps = alt.Scale(paddingInner=0.12)
    chart = alt.Chart(frame).mark_rect().encode(
        x=alt.X("slot:O", title=None, sort=alt.SortField("when"), scale=gaps,
                axis=alt.Axis(labelAngle=-60, labelOverlap=True)),
        y=alt.Y("provider:N", title=None, scale=gaps),
        color=alt.Color("band:N", title="Uptime", scale=alt.Scale(domain=domain, range=BAND_COLOURS),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("provider:N", title="Provider"), alt.Tooltip("time:N", title="When (UTC)"),
                 alt.Tooltip("uptime:N", title="Uptime"), alt.Tooltip("band:N", title="Band")],
    ).properties(title=title, height=alt.Step(30))  # a fixed height would be eaten by the axis labels
    counts = []
    for provider, group in frame.groupby("provider", sort=False):
        per_band = group["band"].value_counts()
        counts.append(f"{provider}: " + ", ".join(f"{per_band[band]} {band}" for band in domain if band in per_band))
    description = (f"Heat strip: uptime per provider over time, {date_span(frame['when'])}, one cell per slot "
                   "coloured by band. Slots per band: " + "; ".join(counts) + ".")
    return finish(chart, description=description)


def uptime_strip(series: Sourced[list[UptimePoint]], *, hourly: bool, window_days: int | None = None,
                 key: str) -> None:
    """Daily or hourly uptime history as a heat strip, with the worst slot called out."""
    simulated = series.provenance.is_simulated
    what = "hourly uptime (last 72 h)" if hourly else "daily uptime"
    points = series.value if hourly else window_points(series.value, window_days)
    if simulated:
        simulated_banner(what=f"this {what} strip", key=f"{key}_sim")
    sourced_notice(series, key=f"{key}_notice")
    if points:
        frame = uptime_frame(points, hourly=hourly)
        title = chart_title(what[0].upper() + what[1:], series.provenance)
        show(uptime_chart, frame, title=title, key=key, download=what, data=frame.drop(columns=["slot"]),
             sources=series)
        simulated_caveats(series.provenance, key=f"{key}_caveats")
        worst = worst_slot_text(points, hourly=hourly, simulated=simulated, name=md.escape_markdown_text)
        if worst:
            st.caption(worst)
    else:
        st.caption(f"No {what} to draw.")
    sourced_badges(series, key=f"{key}_prov")


# --- error rates ------------------------------------------------------------------------------------

AVERAGE_TEXT = (f"Averages are over the newest {AVERAGE_DAYS} days with a value, weighted by calls where every day "
                "gives its count (the share of all calls that failed), else the plain mean of the days.")


def error_rate_chart(frame: pd.DataFrame, *, label: str, counted: str, title: str | alt.TitleParams,
                     height: int = CHART_HEIGHT) -> alt.LayerChart:
    """A line per provider told apart by colour, dash and point shape (never colour alone); a day
    with fewer than THIN_SAMPLE_COUNT calls behind it is a hollow point; the tooltip names the
    calls behind each day."""
    legend = alt.Legend(orient="bottom", title=None)
    base = alt.Chart().encode(  # the frame goes on the layer (see metric_chart)
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %d", tickCount="day")),
        y=alt.Y("value:Q", title="% errored", scale=alt.Scale(zero=True)),
    )
    colour = alt.Color("provider:N", scale=alt.Scale(range=PALETTE), legend=legend)
    line = base.mark_line(strokeWidth=2).encode(color=colour, strokeDash=alt.StrokeDash("provider:N", legend=legend))
    tooltip = [alt.Tooltip("date:T", title="Day (UTC)"), alt.Tooltip("provider:N", title="Provider"),
               alt.Tooltip("value:Q", title=f"{label} (%)", format=".2f"),
               alt.Tooltip("samples:N", title=f"{counted[:1].upper()}{counted[1:]} behind it"),
               alt.Tooltip("thin:N", title="Thin data")]
    shape = alt.Shape("provider:N", legend=legend)
    solid = base.transform_filter(~alt.datum.thin).mark_point(filled=True, size=55).encode(
        color=colour, shape=shape, tooltip=tooltip)
    hollow = base.transform_filter(alt.datum.thin).mark_point(filled=False, size=55, strokeWidth=1.5).encode(
        color=colour, shape=shape, tooltip=tooltip)
    description = (f"Line chart: daily {label} in percent per provider ({names(frame['provider'])}), "
                   f"{date_span(frame['date'])}; hollow points rest on few {counted}.")
    return finish(alt.layer(line, solid, hollow, data=frame).properties(title=title, height=height), description=description)


def no_data(what: str, why: str, series: Sourced, *, key: str) -> None:
    """The explicit "no data" state of an error rate, with why and its "No data" badge."""
    st.info(f"**No data**: there are no {what} to show. {why} Nothing recorded by this deployment has them, the "
            "bundled snapshot has none, and error rates are never simulated: they come from OpenRouter live or "
            "from a recording.", icon=":material/block:")
    sourced_badges(series, key=f"{key}_prov")


@st.fragment
def _error_rate_body(rates: ErrorRates, window_days: int | None, key: str) -> None:
    """The selected rate's chart and definition (a fragment: switching rates reruns only this)."""
    kind = st.segmented_control("Error rate", list(ERROR_RATES), default="tool-call", required=True,
                                format_func=lambda k: ERROR_RATES[k].label, key=f"{key}_kind",
                                label_visibility="collapsed") or "tool-call"
    rate, series = ERROR_RATES[kind], rates.series[kind]
    st.caption(f"**{rate.label}.** {rate.definition}")
    if not series.value:
        no_data(f"{rate.label.lower()}s", series.notice or f"{series.provenance.source}.", series, key=f"{key}_{kind}")
        return
    sourced_notice(series, key=f"{key}_{kind}_notice")
    frame = series_frame(window_points(series.value, window_days))
    if frame["value"].notna().any():
        title = chart_title(f"{rate.label}, daily", series.provenance)
        show(error_rate_chart, frame, label=rate.label, counted=rate.counted, title=title, key=f"{key}_{kind}",
             download=f"{rate.label} daily", data=frame, sources=series)
        thin = int(frame["thin"].sum())
        if thin:
            st.caption(f"{thin} hollow point(s): fewer than {THIN_SAMPLE_COUNT} {rate.counted} that day, so one or "
                       "two failures swing the rate.")
    else:
        st.caption("No daily points to draw in this window.")
    sourced_badges(series, key=f"{key}_{kind}_prov")


def error_rate_panel(rates: ErrorRates, *, window_days: int | None, key: str) -> None:
    """Tool-call and structured-output error rates: a chart per rate (one shown at a time), the
    newest day and the average per provider for both, what counts as an error, the window and
    the sample size, each rate with its own source badge. With no data it says so: nothing here
    is ever simulated."""
    with st.container(border=True, key=f"{key}_panel"):
        st.header("Tool-call and structured-output error rates")
        st.caption("What OpenRouter's Exacto mode optimises: how often a provider's tool calls and structured "
                   "outputs come back broken. " + WINDOW_TEXT + " " + SAMPLE_TEXT.format(thin=THIN_SAMPLE_COUNT))
        if not rates.available:
            for rate in ERROR_RATES.values():
                st.caption(f"**{rate.label}.** {rate.definition}")
            no_data("tool-call or structured-output error rates", rates.why_none(), next(iter(rates.series.values())),
                    key=key)
            return
        _error_rate_body(rates, window_days, key)
        st.markdown("**Per provider, both rates**")
        static_table(summary_rows(rates), missing="no data", download="error rates per provider",
                     provenance=list(rates.series.values()), key=f"{key}_summary")
        st.caption(f"Latest day: {newest_day(rates)} (UTC), with the calls behind it. " + AVERAGE_TEXT)
        with st.container(horizontal=True, key=f"{key}_sources"):
            for kind, series in rates.series.items():
                st.caption(f"{ERROR_RATES[kind].label}:")
                provenance_badge(series.provenance, key=f"{key}_{kind}_sum_prov")
