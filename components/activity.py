"""Panels of the activity page: real ranking totals, daily tokens and requests, traffic share."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from routerlens import formatting as fmt
from routerlens.provenance import Sourced
from routerlens.usage import ActivityDay, ShareDay, VolumeFigure, moving_average, recent_days, summarize

from .badges import provenance_badge, simulated_banner, source_caption, sourced_badges, sourced_notice
from .cards import card_grid
from .charts import CHART_HEIGHT, NEUTRAL, PALETTE, date_span, finish, line_chart, show

# d3's SI format says "G" for 10^9; token counts are spoken of in billions ("B").
BILLIONS_AXIS = alt.Axis(labelExpr="replace(format(datum.value, '~s'), 'G', 'B')")
PART_COLORS = {"Prompt": PALETTE[0], "Prompt (cached)": PALETTE[5], "Completion": PALETTE[1],
               "Reasoning": PALETTE[4], "Total (not split by source)": PALETTE[6]}


def volume_figures_panel(figures: Sourced[list[VolumeFigure]], *, key: str) -> None:
    """The real totals from OpenRouter's rankings, with their rank that period."""
    with st.container(border=True, key=f"{key}_volume"):
        st.header("Token volume on OpenRouter (real totals)")
        sourced_notice(figures, key=f"{key}_volume_notice")
        if not figures.value:
            if not figures.notice:
                st.caption("The bundled rankings have no totals for this model.")
            provenance_badge(figures.provenance, key=f"{key}_volume_prov")
            return
        cards = []
        for fig in figures.value:
            period = _period_text(fig)
            per_day = None
            if fig.tokens is not None and fig.start and fig.end:
                per_day = fig.tokens / ((fig.end - fig.start).days + 1)
            caption = f"Rank #{fig.rank} among all models" if fig.rank else "Rank unknown"
            if per_day is not None:
                caption += f" · ≈{fmt.tokens(per_day)} tokens/day on average"
            cards.append(dict(label=f"Tokens, {period}", value=fig.tokens_display, provenance=figures.provenance,
                              caption=caption, help=f"As displayed on OpenRouter's rankings: “{fig.label}”."))
        card_grid(cards, columns=max(2, len(cards)), key=f"{key}_volume_cards")
        source_caption(figures.provenance, key=f"{key}_volume_src")


def _period_text(fig: VolumeFigure) -> str:
    if fig.period == "month" and fig.start:
        return fig.start.strftime("%B %Y")
    if fig.start and fig.end:
        return f"week {fig.start.isoformat()} → {fig.end.isoformat()}"
    return fig.label or fig.period


def activity_frame(days: list[ActivityDay]) -> pd.DataFrame:
    """Long format, one row per (day, stack segment)."""
    rows = [{"Date": pd.Timestamp(day.date), "Part": part, "Tokens": value}
            for day in days for part, value in day.parts().items() if value is not None]
    return pd.DataFrame(rows, columns=["Date", "Part", "Tokens"])


def tokens_chart(days: list[ActivityDay], *, title: str, window_days: int | None = None) -> alt.Chart:
    """Stacked daily tokens with the 7-day moving average of the total as a line; only the last
    ``window_days`` days are drawn, but the average still counts the days before them."""
    shown = recent_days(days, window_days)
    stacked = activity_frame(shown)
    parts = [p for p in PART_COLORS if p in set(stacked["Part"])]
    bars = alt.Chart().mark_bar().encode(  # the data on the layer (performance.metric_chart says why)
        x=alt.X("Date:T", title=None),
        y=alt.Y("Tokens:Q", stack="zero", title="Tokens per day", axis=BILLIONS_AXIS),
        color=alt.Color("Part:N", scale=alt.Scale(domain=parts, range=[PART_COLORS[p] for p in parts]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("Date:T"), alt.Tooltip("Part:N"), alt.Tooltip("Tokens:Q", format=",.0f")],
    )
    # Unknown averages stay in the frame as nulls, so the line breaks at a missing day.
    avg = pd.DataFrame({"Date": [pd.Timestamp(d.date) for d in days],
                        "7-day average": moving_average([d.total for d in days])}).iloc[len(days) - len(shown):]
    line = alt.Chart(avg).mark_line(color=NEUTRAL, strokeDash=[5, 3]).encode(
        x="Date:T", y="7-day average:Q",
        tooltip=[alt.Tooltip("Date:T"), alt.Tooltip("7-day average:Q", format=",.0f")])
    description = (f"Stacked bar chart: tokens per day, {date_span(avg['Date'])}, split into {', '.join(parts)}; "
                   "a dashed line is the 7-day average of the total.")
    return finish(alt.layer(bars, line, data=stacked).properties(title=title, height=CHART_HEIGHT),
                  description=description)


def daily_frame(days: list[ActivityDay], *, window_days: int | None = None) -> pd.DataFrame:
    """The charts' data, one row per day of the window: the token parts, the total, requests and
    both 7-day averages (an unknown figure stays empty)."""
    shown = len(recent_days(days, window_days))
    token_avg = moving_average([d.total for d in days])
    request_avg = moving_average([d.requests for d in days])
    first = len(days) - shown
    return pd.DataFrame([{"Date": d.date, **d.parts(), "Total tokens": d.total, "Tokens 7-day average": t_avg,
                          "Requests": d.requests, "Requests 7-day average": r_avg}
                         for d, t_avg, r_avg in zip(days[first:], token_avg[first:], request_avg[first:])])


def requests_frame(days: list[ActivityDay], *, window_days: int | None = None) -> pd.DataFrame:
    """Requests per day and their 7-day average (over every day, so a missing day breaks it
    instead of being skipped over), for the last ``window_days`` days."""
    average = moving_average([d.requests for d in days])
    shown = len(recent_days(days, window_days))
    return pd.DataFrame([{"Date": pd.Timestamp(d.date), "Requests": d.requests, "7-day average": mean}
                         for d, mean in zip(days[len(days) - shown:], average[len(days) - shown:])],
                        columns=["Date", "Requests", "7-day average"])


def requests_chart(days: list[ActivityDay], *, title: str, window_days: int | None = None) -> alt.Chart:
    df = requests_frame(days, window_days=window_days)
    bars = alt.Chart().mark_bar(color=PALETTE[2]).encode(
        x=alt.X("Date:T", title=None), y=alt.Y("Requests:Q", title="Requests per day", axis=BILLIONS_AXIS),
        tooltip=[alt.Tooltip("Date:T"), alt.Tooltip("Requests:Q", format=",")])
    line = alt.Chart().mark_line(color=NEUTRAL, strokeDash=[5, 3]).encode(
        x="Date:T", y="7-day average:Q", tooltip=[alt.Tooltip("7-day average:Q", format=",.0f")])
    description = f"Bar chart: requests per day, {date_span(df['Date'])}; a dashed line is the 7-day average."
    return finish(alt.layer(bars, line, data=df).properties(title=title, height=CHART_HEIGHT), description=description)


def daily_activity_panel(days: Sourced[list[ActivityDay]], *, window_days: int | None = None, key: str) -> None:
    """Totals for the window (the last ``window_days`` days; ``None`` = all), the stacked daily
    tokens chart and requests per day."""
    with st.container(border=True, key=f"{key}_daily"):
        st.header("Tokens and requests per day")
        simulated = days.provenance.is_simulated
        if simulated:
            simulated_banner(what="this daily series", key=f"{key}_daily_sim")
        sourced_notice(days, key=f"{key}_daily_notice")
        if not days.value:
            provenance_badge(days.provenance, key=f"{key}_daily_prov")
            return
        label = "Simulated · " if simulated else ""
        summary = summarize(recent_days(days.value, window_days))
        window = f"{summary.first.isoformat()} → {summary.last.isoformat()} ({summary.days + summary.missing} days"
        window += f", {summary.missing} without data)" if summary.missing else ")"
        cards = [
            dict(label=f"{label}Total tokens", value=fmt.tokens(summary.total), caption=window),
            dict(label=f"{label}Average per day", value=fmt.tokens(summary.daily_mean),
                 caption=f"Peak day {fmt.date_text(summary.peak_day)}"),
            dict(label=f"{label}Requests", value=fmt.tokens(summary.requests),
                 caption="Sum of daily request counts" if summary.requests is not None else "Not in this source"),
        ]
        if summary.prompt is not None or summary.completion is not None:
            cards.append(dict(label=f"{label}Prompt / completion",
                              value=f"{fmt.tokens(summary.prompt)} / {fmt.tokens(summary.completion)}",
                              caption=f"Reasoning {fmt.tokens(summary.reasoning)} · cached {fmt.tokens(summary.cached)}",
                              help="Cached tokens are part of prompt tokens; reasoning tokens are part of "
                                   "completion tokens."))
        card_grid([{**card, "provenance": days.provenance} for card in cards], columns=len(cards),
                  key=f"{key}_daily_cards")
        data = daily_frame(days.value, window_days=window_days)
        show(tokens_chart, days.value, title=f"{label}Tokens per day (dashed: 7-day average)", window_days=window_days,
             key=f"{key}_tokens", download=f"{label}tokens per day", data=data, sources=days)
        if any(d.requests is not None for d in days.value):
            show(requests_chart, days.value, title=f"{label}Requests per day (dashed: 7-day average)",
                 window_days=window_days, key=f"{key}_requests", download=f"{label}requests per day", data=data,
                 sources=days)
        else:
            st.caption("Requests per day: unknown — this source gives no request counts.")
        if summary.missing:
            st.caption(f"{summary.missing} days inside this span have no data (not recorded); they are left "
                       "empty, not filled in, and the totals above count only the days with data.")
        sourced_badges(days, key=f"{key}_daily_prov2")
        source_caption(days.provenance, key=f"{key}_daily_src")


def traffic_share_panel(share: Sourced[list[ShareDay]], *, window_days: int | None = None, key: str) -> None:
    """This model's share of all OpenRouter tokens per day (top-50 dataset), for the last
    ``window_days`` days (``None`` = all)."""
    with st.container(border=True, key=f"{key}_share"):
        st.header("Share of all OpenRouter traffic")
        sourced_notice(share, key=f"{key}_share_notice")
        days = recent_days(share.value, window_days)
        if days:
            known = [d for d in days if d.share is not None]
            absent = len(days) - len(known)
            if known:
                df = pd.DataFrame({"Date": [pd.Timestamp(d.date) for d in known],
                                   "Share %": [d.share for d in known], "Rank": [d.rank for d in known]})
                show(line_chart, df, x="Date", y="Share %", y_title="% of all tokens that day",
                     tooltip=["Date:T", alt.Tooltip("Share %:Q", format=".2f"), "Rank:Q"], key=f"{key}_share",
                     download="share of all OpenRouter traffic", data=df, sources=share)
                latest = known[-1]
                st.caption(f"Latest: {fmt.percent(latest.share, places=2)} of all tokens on {latest.date.isoformat()} "
                           f"(rank {latest.rank} of the day's top 50).")
            if absent:
                st.caption(f"Not in the daily top 50 on {absent} of {len(days)} days (share unknown there).")
        provenance_badge(share.provenance, key=f"{key}_share_prov")
