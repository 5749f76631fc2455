"""Panels of the benchmarks page: launch evaluations, index percentiles, the strip chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from routerlens.benchmarks import AA_INDICES, BenchmarkInfo, Placement, ScoreTable
from routerlens.provenance import Sourced
from routerlens.text import escape_markdown_text

from .badges import provenance_badge, source_caption, sourced_notice
from .cards import card_grid
from .charts import PALETTE, TEXT, finish, show
from .export import table_downloads


def launch_evals_panel(scores: Sourced[list[tuple[BenchmarkInfo, float]]], *, key: str) -> None:
    """OpenAI's published launch-day scores, one card each, with what each one measures."""
    with st.container(border=True, key=f"{key}_launch"):
        st.header("OpenAI launch evaluations")
        sourced_notice(scores, key=f"{key}_launch_notice")
        if not scores.value:
            st.caption("not rated: no published launch evaluations for this model in the data.")
            provenance_badge(scores.provenance, key=f"{key}_launch_prov")
            return
        st.caption(escape_markdown_text(scores.provenance.note or "OpenAI's own launch-day scores.")
                   + " No other model on OpenRouter has published scores from the same harness here, so no "
                     "percentile is computed for these.")
        card_grid([dict(label=info.label, value=f"{score:.1f}", provenance=scores.provenance,
                        help=f"{info.measures} Unit: {info.scale}.", caption=info.measures)
                   for info, score in scores.value], columns=3, key=f"{key}_launch_cards")
        source_caption(scores.provenance, key=f"{key}_launch_src")
        table_downloads([{"Evaluation": info.label, "Score": score, "Unit": info.scale, "Measures": info.measures}
                         for info, score in scores.value], name="openai launch evaluations", provenance=scores,
                        key=f"{key}_launch_export")


def index_cards(placements: Sourced[list[Placement]], *, key: str) -> None:
    """One card per Artificial Analysis index: score, percentile sentence, what it measures."""
    cards = []
    for placement in placements.value:
        info = AA_INDICES[placement.index]
        value = "not rated" if placement.score is None else f"{placement.score:g}"
        if placement.percentile is not None:
            value += f" · P{placement.percentile}"
        cards.append(dict(label=info.label, value=value, provenance=placements.provenance,
                          caption=f"{placement.wording()}. {info.measures}",
                          help="Percentile = share of rated models scoring at or below this one (itself and ties "
                               "included), rounded down. Rank 1 = highest score."))
    card_grid(cards, columns=3, key=f"{key}_aa_cards")
    table_downloads(placement_rows(placements.value), name="artificial analysis placements", provenance=placements,
                    key=f"{key}_aa_cards_export")


def placement_rows(placements: list[Placement]) -> list[dict]:
    """The index cards as rows: score (empty when not rated), percentile, rank among the rated."""
    return [{"Index": AA_INDICES[p.index].label, "Score": p.score, "Percentile": p.percentile, "Rank": p.rank,
             "Rated models": p.rated or None, "Placement": p.wording()} for p in placements]


def strip_rows(table: ScoreTable, identity: str, *, name: str) -> list[dict]:
    """One row per rated model per index; this model's rows say ``name`` under "Which"."""
    return [{"Index": info.label, "Model": label, "Score": score, "Which": name if other == identity else "Other models"}
            for index, info in AA_INDICES.items() for other, label, score in table.rows(index)]


def strip_chart(rows: list[dict], *, name: str) -> alt.LayerChart:
    """Every rated model as a tick on each index's row; this model as a large highlighted point."""
    df = pd.DataFrame(rows)
    order = [info.label for info in AA_INDICES.values()]
    base = alt.Chart().encode(  # the data on the layer (performance.metric_chart says why)
        x=alt.X("Score:Q", title="Score (0–100)"),
        y=alt.Y("Index:N", sort=order, title=None),
        tooltip=[alt.Tooltip("Model:N"), alt.Tooltip("Index:N"), alt.Tooltip("Score:Q", format=".1f")],
    )
    others = base.transform_filter(alt.datum.Which == "Other models").mark_tick(
        thickness=2, size=22, opacity=0.45, color=PALETTE[6])
    mine = base.transform_filter(alt.datum.Which != "Other models").mark_point(
        filled=True, size=260, color=PALETTE[3], opacity=1)
    labels = base.transform_filter(alt.datum.Which != "Other models").mark_text(
        dy=-18, fontWeight="bold", color=TEXT).encode(text=alt.Text("Score:Q", format=".1f"))
    placed = []
    for label in order:
        scores = df[df["Index"] == label]
        own = scores[scores["Which"] != "Other models"]["Score"]
        where = f"{name} {own.iloc[0]:.1f}" if not own.empty else f"{name} not rated"
        placed.append(f"{label}: {len(scores)} models, {where}")
    description = (f"Strip chart: every rated model's score (0 to 100) as a tick on each index's row, {name} as a "
                   "large point with its score. " + "; ".join(placed) + ".")
    return finish(alt.layer(others, mine, labels, data=df).properties(height=60 * len(order) + 40), description=description)


def indices_panel(placements: Sourced[list[Placement]], table: Sourced[ScoreTable], identity: str, *,
                  name: str, key: str) -> None:
    """Artificial Analysis indices: cards, then the model placed among every rated model."""
    with st.container(border=True, key=f"{key}_aa"):
        st.header("Artificial Analysis indices, with rank percentiles")
        sourced_notice(table, key=f"{key}_aa_notice")
        if not table.ok:
            provenance_badge(table.provenance, key=f"{key}_aa_prov")
            return
        index_cards(placements, key=key)
        rows = strip_rows(table.value, identity, name=name)
        if rows:
            st.caption(f"Each tick is one rated model ({table.value.source}); the red point is {name}. "
                       "Hover for names.")
            show(strip_chart, rows, name=name, key=f"{key}_aa", download="artificial analysis indices", data=rows,
                 sources=table)
        provenance_badge(table.provenance, key=f"{key}_aa_chart_prov")
        source_caption(table.provenance, key=f"{key}_aa_src")
