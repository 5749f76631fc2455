"""Provenance badges and notices: every figure says where it came from and as of when."""

from __future__ import annotations

import streamlit as st

from routerlens.provenance import Kind, Provenance, Sourced
from routerlens.text import escape_markdown_text

_COLORS = {Kind.LIVE: "green", Kind.RECORDED: "violet", Kind.SNAPSHOT: "blue", Kind.SIMULATED: "orange",
           Kind.NONE: "gray"}
_ICONS = {
    Kind.LIVE: ":material/cloud_done:",
    Kind.RECORDED: ":material/database:",
    Kind.SNAPSHOT: ":material/inventory_2:",
    Kind.SIMULATED: ":material/science:",
    Kind.NONE: ":material/block:",
}


def provenance_badge(provenance: Provenance, *, key: str | None = None) -> None:
    """A coloured badge ("Live · fetched …", "Snapshot · as of …", "Simulated · not real data")
    whose tooltip names the source. ``key`` is accepted for API symmetry with other panels."""
    st.badge(provenance.short_label(), icon=_ICONS[provenance.kind], color=_COLORS[provenance.kind],
             help=provenance.long_label())


def sourced_badges(sourced: Sourced, *, key: str | None = None) -> None:
    """The value's badge, and one for each further source that supplied part of it (a recording
    extending a live series), side by side."""
    if not sourced.also:
        provenance_badge(sourced.provenance, key=key)
        return
    with st.container(horizontal=True, key=f"{key}_badges" if key else None):
        provenance_badge(sourced.provenance, key=key)
        for index, provenance in enumerate(sourced.also):
            provenance_badge(provenance, key=f"{key}_also{index}" if key else None)


def source_caption(provenance: Provenance, *, key: str | None = None) -> None:
    """One quiet line naming the source under a panel."""
    st.caption(f"Source: {provenance.source}" + (f" — {provenance.note}" if provenance.note else ""))


def sourced_notice(sourced: Sourced, *, key: str | None = None) -> None:
    """Show a fallback or failure notice, if the value carries one and the page's source status
    (said once at the top of the page) does not already say it (:func:`components.context.covered`)."""
    if not sourced.notice:
        return
    from .context import covered

    if covered(sourced):
        return
    if sourced.provenance.kind is Kind.NONE:
        st.warning(sourced.notice, icon=":material/cloud_off:")
    else:
        st.info(sourced.notice, icon=":material/info:")


def simulated_banner(*, what: str, key: str | None = None) -> None:
    """The unmistakable label every simulated chart carries."""
    st.warning(
        f"**Simulated** — {what} is generated for demonstration from real figures. "
        "It is not a measurement.",
        icon=":material/science:",
    )


def simulated_caveats(provenance: Provenance, *, key: str | None = None) -> None:
    """Under a simulated chart: what it was seeded from, in words (the caveats are on the chart)."""
    if provenance.is_simulated and provenance.note:
        st.caption(escape_markdown_text(provenance.note))
