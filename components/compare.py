"""Panels of the compare page: the model picker (kept in the URL), the side-by-side table, the
price-versus-index chart, the suggested alternatives; and the overview's lifecycle notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from routerlens import compare as cmp
from routerlens import formatting as fmt
from routerlens.benchmarks import AA_INDICES, ScoreTable
from routerlens.provenance import Provenance, Sourced
from routerlens.text import escape_markdown_text

from .badges import provenance_badge, sourced_notice
from .tables import static_table


# --- the selection, kept in ?compare= ---------------------------------------------------------------

def _write_param(ids: Sequence[str]) -> None:
    if ids:
        st.query_params[cmp.PARAM] = cmp.selection_param(ids)
    elif cmp.PARAM in st.query_params:
        del st.query_params[cmp.PARAM]


def _picked(state_key: str) -> None:
    _write_param(st.session_state.get(state_key) or [])


def _add(state_key: str, model_id: str) -> None:
    ids = cmp.with_added(list(st.session_state.get(state_key) or []), model_id)
    st.session_state[state_key] = list(ids)
    _write_param(ids)


def read_selection(current: str, known: Sequence[str]) -> cmp.Selection:
    """The other models named in the URL (``?compare=a,b,c``), checked against the model list."""
    return cmp.parse_selection(st.query_params.get_all(cmp.PARAM), current, known)


def model_picker(current: str, options: Sequence[str], selection: cmp.Selection, *, names: dict[str, str],
                 key: str) -> tuple[str, ...]:
    """Pick up to three models beside the current one. The URL is the record: a link with
    ``?compare=`` reopens the same comparison, and every change is written back to it."""
    state_key = f"{key}_pick"
    if list(st.session_state.get(state_key) or []) != list(selection.ids):
        st.session_state[state_key] = list(selection.ids)  # the URL wins (a link, back/forward)
    for problem in selection.problems:
        st.warning(problem, icon=":material/search_off:")
    choices = [i for i in options if i != current]
    st.multiselect(
        f"Compare {escape_markdown_text(names.get(current, current))} with (up to {cmp.MAX_OTHERS})",
        choices, key=state_key, max_selections=cmp.MAX_OTHERS, on_change=_picked, args=(state_key,),
        format_func=lambda i: f"{names.get(i, i)} ({i})" if names.get(i) else i,
        placeholder="Pick models to compare", help="The choice is kept in the URL (?compare=a,b,c), so a link "
                                                  "reopens this comparison. The sidebar's model is always first.")
    picked = tuple(st.session_state.get(state_key) or ())
    _remember(current, picked)
    return picked


COMPARE_SET_SLOT = "compare_set"
"""Where the last comparison is kept for other pages (the playground offers it as its models):
the picker's own widget state goes when another page is shown, and so does ``?compare=``."""


def _remember(current: str, ids: Sequence[str]) -> None:
    st.session_state[COMPARE_SET_SLOT] = (current, *ids)


def remembered_compare_set() -> tuple[str, ...]:
    """The models of this session's last comparison on the Compare page (its current model
    first), or ``()`` when none was made."""
    stored = st.session_state.get(COMPARE_SET_SLOT)
    return tuple(i for i in stored if isinstance(i, str)) if isinstance(stored, tuple) else ()


def playground_link(current: str, picked: Sequence[str], *, key: str) -> None:
    """To the playground's "Compare models" tab with these models preselected."""
    if not picked:
        return
    st.page_link("pages/playground.py", label="Send one prompt to these models (Playground → Compare models)",
                 icon=":material/view_column:", query_params={"model": current, cmp.PARAM: cmp.selection_param(picked)})


def index_choice(default: str, *, key: str) -> str:
    """Which Artificial Analysis index the chart and the suggestions use."""
    return st.segmented_control(
        "Index", list(AA_INDICES), default=default, required=True, key=f"{key}_index",
        format_func=lambda i: AA_INDICES[i].label,
        help="Artificial Analysis index for the chart's y axis and for the suggestions. "
             + " ".join(f"{info.label}: {info.measures}" for info in AA_INDICES.values())) or default


# --- the table ---------------------------------------------------------------------------------------

def comparison_table(columns: Sequence[cmp.Column], rows: Sequence[cmp.Row], scores: Sourced[ScoreTable], *,
                     key: str) -> None:
    """One column per model, ★ on the best value of each row (the Best column says whether lower
    or higher is best), then each column's sources and dates, and a CSV of the table."""
    with st.container(border=True, key=f"{key}_table"):
        st.header("Side by side")
        records = cmp.table_records(rows, columns)
        static_table(records, key=f"{key}_table_md")
        st.caption(f"{cmp.STAR} = best in its row among these models: the lowest price; the highest context, max "
                   "output, provider count and index score; the newest release and knowledge cutoff. A row is "
                   "marked only when at least two models have a value and they differ. P = percentile: the share "
                   "of rated models scoring at or below this one (rounded down). Prices are the model list's "
                   "(per 1M tokens; images per 1,000).")
        sourced_notice(scores, key=f"{key}_scores_notice")
        column_sources(columns, scores, key=key)
        st.download_button("Download the table (CSV)", cmp.to_csv(records), file_name="routerlens-compare.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore", key=f"{key}_csv")


def column_sources(columns: Sequence[cmp.Column], scores: Sourced[ScoreTable], *, key: str) -> None:
    """Under the table: for each column, where its figures come from and as of when."""
    cells = st.columns(len(columns))
    for position, (cell, column) in enumerate(zip(cells, columns)):
        with cell:
            st.markdown(f"**{escape_markdown_text(column.name)}**")
            provenance_badge(column.model.provenance, key=f"{key}_src{position}")
            lines = [f"Model entry: {_where(column.model.provenance)}",
                     f"Index scores: {_where(scores.provenance)} ({escape_markdown_text(scores.value.source)})"]
            if column.providers is not None:
                lines.append(f"Providers: {_where(column.providers.provenance)}")
            st.caption("  \n".join(lines))


def _where(provenance: Provenance) -> str:
    """The source and date in one phrase, escaped for Markdown (sources name third parties)."""
    return escape_markdown_text(provenance.brief() if provenance.source else provenance.short_label())


# --- price versus an index ----------------------------------------------------------------------------

def price_chart(data: cmp.ChartData, current_name: str, *, scores: Sourced[ScoreTable], key: str) -> None:
    """Every rated model: blended price (log) against the chosen index; this model highlighted, the
    compared ones labelled, the better-and-cheaper region shaded."""
    with st.container(border=True, key=f"{key}_chart_box"):
        st.header(f"Price versus {data.label}")
        if not data.points:
            st.info(f"No model in the list has both a {data.label} score and a price.", icon=":material/info:")
            provenance_badge(scores.provenance, key=f"{key}_chart_prov")
            return
        from .charts import show

        show(_chart, data, scores.provenance, key=key, download=f"price versus {data.label}", data=data.points,
             sources=scores)
        name = escape_markdown_text(current_name)
        notes = [f"{len(data.points)} rated models drawn. {data.unscored} models in the list have no {data.label} "
                 "score and are not drawn (variants and aliases not counted)."]
        if data.unpriced:
            notes.append(f"{data.unpriced} rated models are free or have no known price, so they have no place on "
                         "the log price axis.")
        if data.current is None:
            notes.append(f"{name} has no {data.label} score, so it is not on the chart and no "
                         "better-and-cheaper region can be drawn; pick another index above.")
        else:
            notes.append(f"Shaded: better and cheaper than {name} (a higher score at a lower blended price).")
        notes.append("Points are not sized by usage: no source here gives weekly tokens for every model.")
        st.caption(" ".join(notes))
        provenance_badge(scores.provenance, key=f"{key}_chart_prov")


def _chart(data: cmp.ChartData, provenance: Provenance):
    import altair as alt  # ~25 MB: only the compare page pays for it
    import pandas as pd

    from .charts import CHART_HEIGHT, PALETTE, TEXT, chart_title, finish

    df = pd.DataFrame(data.points)
    colors = alt.Scale(domain=[cmp.OTHER, cmp.COMPARED, cmp.CURRENT], range=[PALETTE[6], PALETTE[1], PALETTE[3]])
    sizes = alt.Scale(domain=[cmp.OTHER, cmp.COMPARED, cmp.CURRENT], range=[30, 160, 260])
    x = alt.X("price:Q", scale=alt.Scale(type="log"), title="Blended price, USD per 1M tokens (3:1; log scale)")
    y = alt.Y("score:Q", title=f"{data.label} (0–100)")
    tooltip = [alt.Tooltip("name:N", title="Model"), alt.Tooltip("id:N", title="Id"),
               alt.Tooltip("price:Q", title="Blended $/1M", format="$,.4~f"),
               alt.Tooltip("score:Q", title=data.label, format=".1f")]
    points = alt.Chart().mark_circle().encode(  # every model: the layer's data (cheaper than per mark)
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("role:N", scale=colors, legend=alt.Legend(orient="bottom", title=None)),
        size=alt.Size("role:N", scale=sizes, legend=None),
        opacity=alt.condition(alt.datum.role == cmp.OTHER, alt.value(0.45), alt.value(1)),
    )
    # This model's name above its point, the compared ones' below theirs: near neighbours stay legible.
    layers = [points]
    for role, dy in ((cmp.COMPARED, 14), (cmp.CURRENT, -14)):
        labelled = df[df["role"] == role]
        if not labelled.empty:
            # Labels in the page's text colour: the role's colour as text would miss 4.5:1 on one theme.
            layers.append(alt.Chart(labelled).mark_text(align="left", dx=8, dy=dy, fontWeight="bold",
                                                        color=TEXT).encode(x=x, y=y, text="label:N"))
    if data.current is not None:
        region = pd.DataFrame([{"x": float(df["price"].min()) * 0.8, "x2": data.current["price"],
                                "y": data.current["score"], "y2": max(100.0, float(df["score"].max()))}])
        shade = alt.Chart(region).mark_rect(color=PALETTE[2], opacity=0.12).encode(
            x=alt.X("x:Q", scale=alt.Scale(type="log")), x2="x2:Q", y="y:Q", y2="y2:Q")
        note = alt.Chart(region).mark_text(align="left", baseline="top", dx=4, dy=4, color=TEXT,
                                           fontWeight="bold").encode(x=alt.X("x:Q", scale=alt.Scale(type="log")),
                                                                     y="y2:Q", text=alt.value("better and cheaper"))
        layers[:0] = [shade, note]
    chart = alt.layer(*layers, data=df).properties(height=CHART_HEIGHT + 140, title=chart_title(
        f"Blended price versus {data.label}, every rated model", provenance))
    return finish(chart, description=_price_chart_text(data, df))


def _price_chart_text(data: cmp.ChartData, df) -> str:
    """The price-versus-index chart in words (its text alternative)."""
    def placed(row) -> str:
        return f"{row['label']} at ${row['price']:,.4g} per 1M and {row['score']:.1f}"

    text = (f"Scatter chart, log price axis: {len(df)} rated models, blended price (USD per 1M tokens, 3:1) "
            f"against {data.label} (0 to 100).")
    current = df[df["role"] == cmp.CURRENT]
    compared = df[df["role"] == cmp.COMPARED]
    if not current.empty:
        text += f" This model, largest point: {placed(current.iloc[0])}; the shaded region is better and cheaper."
    if not compared.empty:
        text += " Compared, labelled: " + "; ".join(placed(row) for _, row in compared.iterrows()) + "."
    return text


# --- providers: speed versus price --------------------------------------------------------------------

def speed_price_slot(*, key: str):
    """A place for the speed-versus-price chart, reserved where it belongs on the page and filled
    last (:func:`speed_price_chart`), so reading every compared model's provider stats never holds
    up the table, the index chart or the suggestions."""
    with st.container(border=True, key=f"{key}_speed_box"):
        st.header("Providers: speed versus price")
        slot = st.empty()
        slot.caption("Reading each compared model's per-provider figures…")
    return slot


def speed_price_chart(data: cmp.SpeedPriceData, *, slot, key: str) -> None:
    """Each provider endpoint of each compared model: blended price against p50 throughput,
    a colour and a shape per model and the provider's name beside each point; under the chart,
    the models (or providers) that have no place on it and why, and each model's sources."""
    with slot.container():
        st.caption(escape_markdown_text(cmp.SPEED_PRICE_RULE))
        if data.points:
            from .charts import show

            show(_speed_chart, data, key=f"{key}_speed", download="providers speed versus price", data=data.points,
                 sources=[p for m in data.models for p in (*m.speed_sources, *m.price_sources)])
        else:
            st.info("None of the compared models has per-provider speed figures in the current data source, so "
                    "there is nothing to draw.", icon=":material/info:")
        for note in data.notes:
            st.caption(escape_markdown_text(note))
        for position, model in enumerate(data.models):
            if not model.points:
                continue
            with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_speed_src{position}"):
                st.caption(f"**{escape_markdown_text(model.name)}** · speed from", width="content")
                for index, provenance in enumerate(model.speed_sources):
                    provenance_badge(provenance, key=f"{key}_speed_src{position}_s{index}")
                st.caption("· prices from", width="content")
                for index, provenance in enumerate(model.price_sources):
                    provenance_badge(provenance, key=f"{key}_speed_src{position}_p{index}")


def _speed_chart(data: cmp.SpeedPriceData):
    import altair as alt
    import pandas as pd

    from .charts import CHART_HEIGHT, PALETTE, TEXT, chart_title, finish

    df = pd.DataFrame(data.points)
    df["ttft"] = [fmt.number(v, places=0) + " ms" if v is not None and v == v else "unknown" for v in df["ttft_ms"]]
    log = data.log_scale
    low, high = float(df["price"].min()), float(df["price"].max())
    # Room on the right for the provider names beside the rightmost points.
    scale = (alt.Scale(type="log", domain=[low / 1.5, high * 3]) if log
             else alt.Scale(domain=[0, (high or 1) * 1.3], nice=True))
    x = alt.X("price:Q", scale=scale, title="Blended 3:1 list price, USD per 1M tokens" + (" (log scale)" if log else ""))
    y = alt.Y("throughput:Q", scale=alt.Scale(zero=True), title="Throughput p50, tokens/s (last 30 min)")
    models = list(dict.fromkeys(df["model"]))
    legend = alt.Legend(orient="bottom", title=None)
    color = alt.Color("model:N", scale=alt.Scale(domain=models, range=PALETTE), legend=legend)
    shape = alt.Shape("model:N", scale=alt.Scale(domain=models, range=["circle", "square", "triangle-up",
                                                                      "diamond"]), legend=legend)
    tooltip = [alt.Tooltip("provider:N", title="Provider"), alt.Tooltip("model:N", title="Model"),
               alt.Tooltip("model_id:N", title="Id"),
               alt.Tooltip("price:Q", title="Blended 3:1 $/1M", format="$,.4~f"),
               alt.Tooltip("throughput:Q", title="Throughput p50 tok/s", format=",.1f"),
               alt.Tooltip("ttft:N", title="Latency (TTFT) p50"),
               alt.Tooltip("speed_source:N", title="Speed source"), alt.Tooltip("price_source:N", title="Price source")]
    points = alt.Chart().mark_point(filled=True, size=150, opacity=0.9).encode(
        x=x, y=y, color=color, shape=shape, tooltip=tooltip)
    labels = alt.Chart().mark_text(align="left", dx=10, dy=-6, color=TEXT).encode(x=x, y=y, text="provider:N")
    chart = alt.layer(points, labels, data=df).properties(height=CHART_HEIGHT + 60)  # data on the layer: cheaper
    simulated = next((p for m in data.models for p in m.speed_sources if p.is_simulated), None)
    if simulated is not None:  # none today: provider stats are never simulated; if they were, the chart says so
        chart = chart.properties(title=chart_title("Throughput versus blended price", simulated))
    placed = [f"{row['model']} via {row['provider']}: ${row['price']:,.4g} per 1M, "
              + (f"{row['throughput']:,.1f} tok/s" if row["throughput"] == row["throughput"] else "speed unknown")
              for _, row in df.iterrows()]
    return finish(chart, description="Scatter chart: each provider of each compared model, blended 3:1 list price "
                                     "against p50 throughput; a colour and a shape per model, the provider's name "
                                     "beside each point. " + "; ".join(placed) + ".")


# --- suggested alternatives ---------------------------------------------------------------------------

def suggestions_panel(newer: tuple[list[cmp.Suggestion], str | None], better: tuple[list[cmp.Suggestion], str | None],
                      *, current_name: str, index: str, selected: Sequence[str], provenance: Provenance,
                      key: str) -> None:
    """The two rule-based lists, each with its rule in words, each suggestion with its deltas and
    a button that adds it to the comparison (and to the URL). ``key`` is the picker's key too."""
    label = AA_INDICES[index].label
    with st.container(border=True, key=f"{key}_suggest"):
        st.header("Suggested alternatives")
        st.caption(escape_markdown_text(
            f"Computed from the model list for {current_name}, never hand-picked. Deltas are against "
            f"{current_name}. {cmp.LEFT_OUT}"))
        left, right = st.columns(2)
        for column, title, rule, (found, why), tag in (
                (left, "(a) Newer, same author, similar price", cmp.NEWER_RULE, newer, "newer"),
                (right, f"(b) Better on {label} for the same or less", cmp.BETTER_RULE, better, "better")):
            with column:
                st.markdown(f"**{escape_markdown_text(title)}**")
                st.caption(f"Rule: {escape_markdown_text(rule)} Chosen index: {escape_markdown_text(label)}.")
                if why:
                    st.info(f"This rule cannot apply: {escape_markdown_text(why)}", icon=":material/info:")
                elif not found:
                    st.caption("No model in the list meets this rule.")
                for position, item in enumerate(found):
                    _suggestion_row(item, label, selected, picker=f"{key}_pick", key=f"{key}_{tag}{position}")
        provenance_badge(provenance, key=f"{key}_suggest_prov")


def _suggestion_row(item: cmp.Suggestion, label: str, selected: Sequence[str], *, picker: str, key: str) -> None:
    model_id = item.model.id
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_row"):
        st.markdown(f"**{escape_markdown_text(item.model.short_name)}** · {escape_markdown_text(model_id)}  \n"
                    f"{escape_markdown_text(item.deltas(label))}")
        added = model_id in selected
        full = len(selected) >= cmp.MAX_OTHERS
        st.button("Added" if added else "Add", key=f"{key}_add", icon=":material/add:",
                  disabled=added or full, on_click=_add, args=(picker, model_id),
                  help=("Already in the comparison." if added else
                        f"The comparison holds {cmp.MAX_MODELS} models at most." if full else
                        "Add this model to the comparison (and to the URL)."))


# --- lifecycle (the overview) -------------------------------------------------------------------------

def lifecycle_notice(lifecycle: Sourced[cmp.Lifecycle | None], *, today: dt.date | None = None, key: str) -> None:
    """When the model list gives the model an expiration date: the date and the suggested
    successor (rule (a) of the compare page), with links to it and to the comparison."""
    item = lifecycle.value
    if item is None:
        return
    today = today or dt.datetime.now(dt.timezone.utc).date()
    verb = "expired on" if item.expired(today) else "is listed to expire on"
    with st.container(border=True, key=f"{key}_lifecycle"):
        st.warning(f"**Lifecycle:** OpenRouter's model list says this model {verb} "
                   f"**{item.expires.isoformat()}**.", icon=":material/event_busy:")
        if item.successor is None:
            st.caption(f"No successor suggested: {escape_markdown_text(item.why_none or '')}")
        else:
            successor = item.successor
            st.markdown(f"Suggested successor: **{escape_markdown_text(successor.model.name)}** "
                        f"({escape_markdown_text(successor.model.id)}) — "
                        f"{escape_markdown_text(successor.deltas(AA_INDICES[item.index].label))}.")
            st.caption(escape_markdown_text(f"Chosen by the compare page's rule (a): {cmp.NEWER_RULE} "
                                            "The first one is suggested."))
            with st.container(horizontal=True, key=f"{key}_lifecycle_links"):
                st.page_link("pages/overview.py", label="Open the successor", icon=":material/arrow_forward:",
                             query_params={"model": successor.model.id})
                st.page_link("pages/compare.py", label="Compare the two", icon=":material/compare_arrows:",
                             query_params={"model": item.model.id, cmp.PARAM: successor.model.id})
        provenance_badge(lifecycle.provenance, key=f"{key}_lifecycle_prov")


__all__ = ["comparison_table", "index_choice", "lifecycle_notice", "model_picker", "price_chart", "playground_link",
           "read_selection", "remembered_compare_set", "speed_price_chart", "speed_price_slot", "suggestions_panel"]
