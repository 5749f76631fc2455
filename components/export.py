"""Downloads: a table's rows and a chart's data as CSV, a chart as SVG or PNG.

Nothing is made while the page renders: each button hands Streamlit a function that writes the
file when the button is clicked (``st.download_button`` with a callable runs it on its own thread,
without rerunning the page), so pages pay only for drawing the buttons. Images are drawn by
vl-convert (the Vega-Lite renderer compiled into a Python wheel; no browser, no network), from the
same Altair chart the page shows, with the chart's source and date added under its title.

Every file carries where its figures came from: a CSV gains "Data source" and "Data as of"
columns, an image a "Source: … · as of …" line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from routerlens.provenance import Provenance, Sourced, format_as_of

from .tables import Link

SOURCE_COLUMN, AS_OF_COLUMN = "Data source", "Data as of"
PNG_SCALE = 2
EXPORT_WIDTH = 720
"""Chart width in an exported picture, in CSS pixels (about a page's text width)."""
"""PNG pixels per chart pixel (sharp on high-density screens and in slides)."""


# --- the files ---------------------------------------------------------------------------------

Provenances = Provenance | Sourced | Sequence[Provenance | Sourced] | None
"""Where a file's figures came from: one source, a value with its sources, or several."""


def _provenances(provenance: Provenances) -> list[Provenance]:
    if provenance is None:
        return []
    if isinstance(provenance, Sourced):
        return [provenance.provenance, *provenance.also]
    if isinstance(provenance, Provenance):
        return [provenance]
    return list(dict.fromkeys(p for item in provenance for p in _provenances(item)))


def source_line(provenance: Provenances) -> str | None:
    """"Source: GET /api/v1/models · Live, fetched 2026-11-29 13:40 UTC" (each source when several)."""
    parts = [f"{p.source} · {p.short_label()}" for p in _provenances(provenance)]
    return ("Source: " + "; ".join(parts)) if parts else None


def table_records(rows: Any) -> list[dict]:
    """Rows (dicts, or a pandas DataFrame) as plain records; a linked cell becomes its text, with
    the address in a column beside it."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a DataFrame (pandas only when given one)
        rows = rows.to_dict(orient="records")
    records = [dict(row) for row in rows]
    linked = [c for c in dict.fromkeys(k for r in records for k in r) if any(isinstance(r.get(c), Link) for r in records)]
    out = []
    for record in records:
        row = {}
        for column, value in record.items():
            row[column] = value.text if isinstance(value, Link) else value
            if column in linked:
                row[f"{column} link"] = value.url if isinstance(value, Link) else None
        out.append(row)
    return out


def csv_text(rows: Any, *, provenance: Provenances = None) -> str:
    """The rows (dicts or a DataFrame) as CSV: UTF-8, comma-separated, a header line; an unknown
    figure is an empty cell. The data's source and date are the last two columns when known."""
    records = table_records(rows)
    provenances = _provenances(provenance)
    if provenances:
        source = "; ".join(p.source for p in provenances)
        as_of = "; ".join(format_as_of(p.as_of) for p in provenances)
        records = [{**record, SOURCE_COLUMN: source, AS_OF_COLUMN: as_of} for record in records]
    columns = list(dict.fromkeys(k for r in records for k in r))
    if not columns and hasattr(rows, "columns"):
        columns = [str(c) for c in rows.columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in records)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: unknown is empty; a timestamp is ISO 8601."""
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _inline(chart):
    """A copy of ``chart`` whose data frames are written into the spec itself (so that rendering
    needs neither Altair's global data transformer, which Streamlit switches while it draws on
    another thread, nor its 5,000-row limit)."""
    import altair as alt
    import pandas as pd

    chart = chart.copy(deep=True)

    def walk(node) -> None:
        data = getattr(node, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame):
            node.data = alt.InlineData(values=alt.utils.data.to_values(data)["values"])
        for attr in ("layer", "hconcat", "vconcat", "concat"):
            children = getattr(node, attr, alt.Undefined)
            if children is not alt.Undefined:
                for child in children:
                    walk(child)
        spec = getattr(node, "spec", alt.Undefined)
        if spec is not alt.Undefined:
            walk(spec)

    walk(chart)
    return chart


def _titled(chart, line: str | None):
    """The chart with ``line`` (its source) as the last subtitle line."""
    import altair as alt

    if not line:
        return chart
    title = chart.title
    if title is alt.Undefined:
        return chart.properties(title=alt.TitleParams("", subtitle=[line]))
    if isinstance(title, alt.TitleParams):
        subtitle = title.subtitle if title.subtitle is not alt.Undefined else []
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        return chart.properties(title=alt.TitleParams(title.text, subtitle=[*subtitle, line],
                                                      subtitleColor=title.subtitleColor))
    return chart.properties(title=alt.TitleParams(title, subtitle=[line]))


def chart_spec(chart, *, provenance: Provenances = None) -> dict:
    """The chart's Vega-Lite spec with its data inline and its source under the title."""
    spec = _titled(_inline(chart), source_line(provenance)).to_dict()
    spec.setdefault("background", "white")
    if "width" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat")):
        spec["width"] = EXPORT_WIDTH  # the page stretches charts to the column; a file needs a width of its own
    return spec


def _vl_version() -> str | None:
    import altair as alt
    import vl_convert as vlc

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return version if version in vlc.get_vegalite_versions() else None


def chart_svg(chart, *, provenance: Provenances = None) -> str:
    """The chart as an SVG document, drawn offline by vl-convert."""
    import vl_convert as vlc  # ~2 s to start its renderer once: only when an image is asked for

    return vlc.vegalite_to_svg(chart_spec(chart, provenance=provenance), vl_version=_vl_version())


def chart_png(chart, *, provenance: Provenances = None, scale: float = PNG_SCALE) -> bytes:
    """The chart as a PNG image, drawn offline by vl-convert."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart_spec(chart, provenance=provenance), vl_version=_vl_version(), scale=scale)


def file_stem(name: str, model_id: str | None = None) -> str:
    """A safe file name from a title and the model: ("Throughput, p50", "openai/gpt-4o-mini") →
    "openai-gpt-4o-mini-throughput-p50"."""
    stem = re.sub(r"[^a-z0-9]+", "-", f"{model_id or ''} {name}".lower()).strip("-")
    return stem[:120] or "routerlens"


def _stem(name: str) -> str:
    """The file name for a download on this page: the selected model's id, then ``name``."""
    from .context import current_model_id

    return file_stem(name, current_model_id())


def chart_frames(chart) -> list:
    """The data frames drawn by a chart (its own and its layers'), largest first."""
    import pandas as pd

    frames: list = []

    def walk(node) -> None:
        data = getattr(node, "data", None)
        if isinstance(data, pd.DataFrame) and not any(data is f for f in frames):
            frames.append(data)
        for attr in ("layer", "hconcat", "vconcat", "concat"):
            children = getattr(node, attr, None)
            if isinstance(children, list):
                for child in children:
                    walk(child)

    walk(chart)
    return sorted(frames, key=len, reverse=True)


# --- the buttons -------------------------------------------------------------------------------

def table_downloads(rows: Any, *, name: str,
                    provenance: Provenances = None, key: str) -> None:
    """A small "CSV" button under a table; the file is written when it is clicked."""
    if rows is None or len(rows) == 0:
        return
    st.download_button("CSV", data=lambda: csv_text(rows, provenance=provenance), file_name=f"{_stem(name)}.csv",
                       mime="text/csv", icon=":material/download:", type="tertiary", on_click="ignore",
                       key=f"{key}_csv", help="This table as a CSV file, with its source and date.")


def chart_downloads(build: Callable[[], Any], data: Any = None, *, name: str, provenance: Provenances = None,
                    key: str) -> None:
    """A "Download" menu under a chart: its data as CSV (``data``, else the largest data frame the
    chart draws), the chart as SVG or PNG. ``build`` makes the chart; it is called, and each file
    made, only when a button is clicked."""
    stem = _stem(name)

    def rows():
        if data is not None:
            return data
        frames = chart_frames(build())
        return frames[0] if frames else []

    with st.popover("Download", icon=":material/download:", type="tertiary", key=f"{key}_dl",
                    help="This chart's data (CSV) or picture (SVG, PNG), with its source and date."):
        st.download_button("Data (CSV)", data=lambda: csv_text(rows(), provenance=provenance),
                           file_name=f"{stem}.csv", mime="text/csv", on_click="ignore", key=f"{key}_dl_csv",
                           icon=":material/table:", width="stretch")
        st.download_button("Image (SVG)", data=lambda: chart_svg(build(), provenance=provenance),
                           file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore", key=f"{key}_dl_svg",
                           icon=":material/image:", width="stretch")
        st.download_button("Image (PNG)", data=lambda: chart_png(build(), provenance=provenance),
                           file_name=f"{stem}.png", mime="image/png", on_click="ignore", key=f"{key}_dl_png",
                           icon=":material/image:", width="stretch")




# --- the report -----------------------------------------------------------------------------------

REPORT_WINDOW_DAYS = 30


def report_charts(service, model_id: str, table) -> list:
    """The report's pictures: p50 throughput per provider (last 30 days), daily uptime and tokens
    per day, each drawn as on its page (a simulated one keeps its SIMULATED title) with its sources."""
    from routerlens import usage
    from routerlens.metrics import metric_series, window_points
    from routerlens.report import ChartImage
    from routerlens.uptime import uptime_daily

    from .activity import tokens_chart
    from .charts import chart_title
    from .performance import metric_chart, series_frame, uptime_chart, uptime_frame

    drawn: list[tuple[str, Any, Sourced]] = []
    series = metric_series(service, model_id, "throughput", "p50", table=table)
    frame = series_frame(window_points(series.value, REPORT_WINDOW_DAYS))
    if frame["value"].notna().any():
        title = f"Throughput per provider, p50, daily (last {REPORT_WINDOW_DAYS} days)"
        drawn.append((title, metric_chart(frame, metric="throughput", percentile="p50",
                                          title=chart_title(title, series.provenance)), series))
    uptime = uptime_daily(service, model_id, table=table)
    points = window_points(uptime.value, REPORT_WINDOW_DAYS)
    if points:
        title = f"Daily uptime per provider (last {REPORT_WINDOW_DAYS} days)"
        drawn.append((title, uptime_chart(uptime_frame(points, hourly=False),
                                          title=chart_title(title, uptime.provenance)), uptime))
    model = service.model(model_id).value
    days = usage.daily_activity(service, model) if model is not None else None
    if days is not None and days.value:
        title = "Tokens per day (dashed: 7-day average)"
        label = "SIMULATED — " if days.provenance.is_simulated else ""
        drawn.append((title, tokens_chart(days.value, title=label + title, window_days=REPORT_WINDOW_DAYS), days))
    return [ChartImage(("SIMULATED — " if sourced.provenance.is_simulated else "") + title,
                       chart_svg(chart, provenance=sourced), (sourced.provenance, *sourced.also))
            for title, chart, sourced in drawn]


def report_html(service, model: Sourced) -> str:
    """The model's report as one HTML file (:mod:`routerlens.report`) with its charts."""
    from routerlens import report as rpt
    from routerlens.providers import provider_table

    table = provider_table(service, model.value.id)
    report = rpt.gather(service, model, table=table)
    report.charts = report_charts(service, model.value.id, table)
    return rpt.to_html(report)


def report_download(service, model: Sourced, *, key: str) -> None:
    """"Download report": the current model's key figures, tables and charts with their sources,
    as one HTML file to hand to people who will not open the app. Built only when clicked."""
    st.download_button("Download report", data=lambda: report_html(service, model),
                       file_name=f"{file_stem('report', model.value.id)}.html", mime="text/html",
                       icon=":material/description:", on_click="ignore", key=f"{key}_report",
                       help="The key figures, providers, benchmark placements and charts of this model, each with its "
                            "source and date, as one HTML file (no script, opens offline).")


__all__ = ["chart_downloads", "chart_frames", "chart_png", "chart_spec", "chart_svg", "csv_text", "file_stem",
           "report_charts", "report_download", "report_html", "source_line", "table_downloads", "table_records"]
