"""The top-apps table: rank, name, one-line description, tokens, share bar, safe link."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routerlens import text as fmt
from routerlens.provenance import Sourced
from routerlens.usage import TopApp, shares

from .badges import provenance_badge, source_caption, sourced_notice


def apps_frame(apps: list[TopApp]) -> pd.DataFrame:
    """Plain-text cells only (never HTML); links were already filtered to http/https."""
    rows = []
    for app, share in zip(apps, shares(apps)):
        rows.append({
            "Rank": app.rank,
            "App": app.name + (" · new" if app.is_new else ""),
            "What it is": app.description or "—",
            "Tokens": app.tokens_display or fmt.tokens(app.tokens),
            "Requests": fmt.integer(app.requests) if app.requests is not None else "unknown",
            "Share of listed": share,
            "Site": app.url,
        })
    return pd.DataFrame(rows)


def top_apps_panel(apps: Sourced[list[TopApp]], *, title: str, key: str, expanded: bool = True) -> None:
    """A bordered section, or a collapsed expander for secondary lists (``expanded=False``)."""
    box = st.container(border=True, key=f"{key}_box") if expanded else st.expander(title, key=f"{key}_exp")
    with box:
        if expanded:
            st.subheader(title)
        sourced_notice(apps, key=f"{key}_notice")
        if apps.value:
            df = apps_frame(apps.value)
            if all(a.requests is None for a in apps.value):
                df = df.drop(columns=["Requests"])
            if all(a.url is None for a in apps.value):
                df = df.drop(columns=["Site"])  # the caption says the source gave no links
            st.dataframe(
                df, hide_index=True, key=f"{key}_df", placeholder="—",
                column_config={
                    "Share of listed": st.column_config.ProgressColumn(
                        "Share of listed", help="This app's tokens as a share of the listed apps' total "
                                                "(not of all traffic).", format="%.1f%%", min_value=0, max_value=100),
                    "Site": st.column_config.LinkColumn("Site", help="The app's own site (http/https links only)."),
                    "Tokens": st.column_config.TextColumn("Tokens"),
                },
            )
            listed = sum(a.tokens for a in apps.value if a.tokens is not None)
            notes = [f"{len(apps.value)} apps, {fmt.tokens(listed)} tokens listed in all."]
            if any(a.tokens_display for a in apps.value):
                notes.append("Token counts are rounded, as the source displayed them.")
            if all(a.url is None for a in apps.value):
                notes.append("The source gave no links.")
            st.caption(" ".join(notes))
        elif apps.ok and not apps.notice:
            st.caption("No public apps are listed for this model.")
        provenance_badge(apps.provenance, key=f"{key}_prov")
        if apps.provenance.note:
            source_caption(apps.provenance, key=f"{key}_src")
