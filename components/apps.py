"""The top-apps table: rank, name linked to its site (http/https only), description, tokens, share bar."""

from __future__ import annotations

import streamlit as st

from routerlens import formatting as fmt
from routerlens.provenance import Sourced
from routerlens.usage import TopApp, shares

from .badges import provenance_badge, source_caption, sourced_notice
from .tables import Link, static_table


def share_bar(share: float | None, *, top: float | None, width: int = 10) -> str | None:
    """A text bar scaled to the largest share, then the share itself: "█████ 21.4%"."""
    if share is None:
        return None
    blocks = round(width * share / top) if top else 0
    return f"{'█' * max(blocks, 1 if share > 0 else 0)} {fmt.percent(share, places=1)}".strip()


def apps_rows(apps: list[TopApp]) -> list[dict]:
    """One row per app: the name links to the app's site (http/https only), every other cell is
    plain text. Columns the source left empty for every app are left out."""
    app_shares = shares(apps)
    top = max((x for x in app_shares if x is not None), default=None)
    rows = []
    for app, share in zip(apps, app_shares):
        rows.append({
            "Rank": app.rank,
            "App": Link(app.name + (" · new" if app.is_new else ""), app.url),
            "What it is": app.description or "—",
            "Tokens": app.tokens_display or fmt.tokens(app.tokens),
            "Requests": fmt.integer(app.requests) if app.requests is not None else None,
            "Share of listed": share_bar(share, top=top),
        })
    if all(a.requests is None for a in apps):
        for row in rows:
            del row["Requests"]
    return rows


def top_apps_panel(apps: Sourced[list[TopApp]], *, title: str, key: str, expanded: bool = True) -> None:
    """A bordered section, or a collapsed expander for secondary lists (``expanded=False``)."""
    box = st.container(border=True, key=f"{key}_box") if expanded else st.expander(title, key=f"{key}_exp")
    with box:
        if expanded:
            st.header(title)
        sourced_notice(apps, key=f"{key}_notice")
        if apps.value:
            static_table(apps_rows(apps.value), download=title, provenance=apps, key=f"{key}_table")
            listed = sum(a.tokens for a in apps.value if a.tokens is not None)
            notes = [f"{len(apps.value)} apps, {fmt.tokens(listed)} tokens listed in all. Share of listed: an "
                     "app's tokens as a share of the listed apps' total, not of all traffic (bars scaled to the "
                     "largest)."]
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
