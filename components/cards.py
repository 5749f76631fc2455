"""Bordered stat cards, each with its provenance badge."""

from __future__ import annotations

import streamlit as st

from routerlens.provenance import Provenance

from .badges import provenance_badge


def stat_card(label: str, value: str, *, provenance: Provenance, help: str | None = None,
              caption: str | None = None, key: str) -> None:
    """A metric in a bordered card with a provenance badge underneath.

    ``key`` namespaces the card's container so the same card can appear twice on a page.
    """
    with st.container(border=True, key=f"{key}_card"):
        st.metric(label, value, help=help)
        if caption:
            st.caption(caption)
        provenance_badge(provenance, key=f"{key}_badge")


def card_grid(cards: list[dict], *, columns: int = 4, key: str) -> None:
    """Lay out ``stat_card`` keyword dicts in rows of ``columns``."""
    for start in range(0, len(cards), columns):
        cols = st.columns(columns)
        for offset, card in enumerate(cards[start:start + columns]):
            with cols[offset]:
                stat_card(**card, key=f"{key}_{start + offset}")
