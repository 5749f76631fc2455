"""Export (issue 13): CSV of tables and chart data, SVG/PNG of charts (vl-convert, offline), and
the one-file report of the current model. Pages are run in AppTest; each download's file is made
by the very function the button hands Streamlit (captured, then called as a click would)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd
import pytest

from components.export import chart_png, chart_spec, chart_svg, csv_text
from components.tables import Link
from routerlens import report as rpt
from routerlens.provenance import Provenance
from routerlens.schema import Model
from tests.conftest import run_app

LIVE = Provenance.live("GET /api/v1/models", fetched_at=dt.datetime(2026, 11, 29, 13, 40, tzinfo=dt.timezone.utc))


@pytest.fixture
def made(monkeypatch):
    """Every deferred download the page registers: file name → (mime type, the maker)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, tuple[str, object]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        files[file_name] = (mimetype, data_callable)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return files


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def svg_root(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag.endswith("svg")
    return root


# --- the files ----------------------------------------------------------------------------------

def test_csv_keeps_every_column_links_and_the_source():
    text = csv_text([{"App": Link("a, b", "https://a.example"), "Tokens": None, "Share": 1.5},
                     {"App": Link("c", None), "Tokens": 7, "Share": float("nan")}], provenance=LIVE)
    rows = rows_of(text)
    assert list(rows[0]) == ["App", "App link", "Tokens", "Share", "Data source", "Data as of"]
    assert rows[0] == {"App": "a, b", "App link": "https://a.example", "Tokens": "", "Share": "1.5",
                       "Data source": "GET /api/v1/models", "Data as of": "2026-11-29 13:40 UTC"}
    assert rows[1]["App link"] == "" and rows[1]["Share"] == ""  # unknown stays empty, never 0


def test_csv_of_a_frame_writes_dates_as_iso():
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-01-02"]), "value": [3.25]})
    assert csv_text(frame).splitlines() == ["date,value", "2026-01-02T00:00:00,3.25"]


def _chart(title="Throughput") -> alt.Chart:
    frame = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=10), "value": range(10),
                          "provider": ["<b>Evil</b>"] * 10})
    return alt.Chart(frame).mark_line().encode(x="date:T", y="value:Q", color="provider:N").properties(title=title)


def test_svg_is_a_valid_document_with_the_source_under_the_title(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # A global data transformer (Streamlit switches Altair's while it draws) must not matter: the
    # export writes its data into the spec. The "json" one would write files here if it were used.
    with alt.data_transformers.enable("json"):
        svg = chart_svg(_chart(), provenance=LIVE)
    assert list(tmp_path.iterdir()) == []
    text = "".join(svg_root(svg).itertext())
    assert "Throughput" in text and "Source: GET /api/v1/models · Live · fetched 2026-11-29 13:40 UTC" in text
    assert "<b>Evil</b>" in text and "<b>" not in svg  # data text is escaped in the document


def test_a_simulated_chart_keeps_its_label_and_caveats_in_the_picture():
    from components.charts import chart_title

    simulated = Provenance.simulated("OpenAI p50 74.8 tok/s", caveats=("Invented day-to-day values.",))
    spec = chart_spec(_chart(chart_title("Throughput", simulated)), provenance=simulated)
    assert spec["title"]["text"] == "SIMULATED — Throughput"
    assert spec["title"]["subtitle"][0] == "Invented day-to-day values."
    assert spec["title"]["subtitle"][-1].startswith("Source: deterministic generator")


def test_png_is_a_png():
    assert chart_png(_chart(), provenance=LIVE, scale=1).startswith(b"\x89PNG\r\n\x1a\n")


# --- the buttons on the pages -----------------------------------------------------------------------

CHART_PAGES = ["pages/performance.py", "pages/uptime.py", "pages/activity.py", "pages/benchmarks.py",
               "pages/compare.py"]


@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_has_its_downloads(page):
    at = run_app(page)
    assert not at.exception
    charts = len(at.get("vega_lite_chart"))
    labels = [b.label for b in at.download_button]
    assert charts and [labels.count(x) for x in ("Data (CSV)", "Image (SVG)", "Image (PNG)")] == [charts] * 3


def test_performance_downloads_make_valid_files_named_after_the_model(made):
    at = run_app("pages/performance.py")
    assert not at.exception
    name = "openai-gpt-4o-mini-throughput-p50-daily"
    mime, make = made[f"{name}.csv"]
    assert mime == "text/csv"
    rows = rows_of(make())
    assert rows and {"date", "provider", "value", "Data source", "Data as of"} <= set(rows[0])
    assert {row["provider"] for row in rows} == {"OpenAI", "Azure"}
    mime, make = made[f"{name}.svg"]
    assert mime == "image/svg+xml"
    text = "".join(svg_root(make()).itertext())
    assert "SIMULATED — Throughput, p50, daily" in text and "Source: deterministic generator" in text
    assert made[f"{name}.png"][0] == "image/png"


def test_pricing_tables_download_with_every_row_and_column(made):
    at = run_app("pages/pricing.py", query={"price_rpd": "10"})
    assert not at.exception
    names = {"list-and-effective-price", "cost-per-provider", "cost-per-routing-mode"}
    assert {f"openai-gpt-4o-mini-{n}.csv" for n in names} <= set(made)
    rows = rows_of(made["openai-gpt-4o-mini-cost-per-routing-mode.csv"][1]())
    assert [row["Mode"] for row in rows][:2] == ["Balanced (default)", "Nitro"] or len(rows) >= 4
    assert "Why this provider" in rows[0] and rows[0]["Data as of"]  # the prose column the page lists below
    providers = rows_of(made["openai-gpt-4o-mini-cost-per-provider.csv"][1]())
    assert {row["Provider"] for row in providers} == {"OpenAI", "Azure"}
    assert providers[0]["Per day"].startswith("$")


def test_apps_table_downloads_names_and_links(made):
    at = run_app("pages/apps.py")
    assert not at.exception
    rows = rows_of(made["openai-gpt-4o-mini-top-public-apps-for-this-model.csv"][1]())
    assert len(rows) == 14 and rows[0]["App"] == "shapes inc" and "App link" in rows[0]


# --- the report -----------------------------------------------------------------------------------------

def test_overview_offers_the_report_and_it_holds_figures_sources_and_charts(made):
    at = run_app()
    assert not at.exception
    assert "Download report" in [b.label for b in at.download_button]
    mime, make = made["openai-gpt-4o-mini-report.html"]
    assert mime == "text/html"
    page = make()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    assert "<td>Input price</td><td>$0.15/M</td>" in page
    assert "Snapshot · as of 2026-08-19" in page  # the model entry's source, beside each figure
    assert "<h2>Providers</h2>" in page and "74.8 tok/s" in page
    assert "at or above 10% of 122 rated models" in page and "<td>MMLU</td><td>82.0</td>" in page
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "SIMULATED — Throughput per provider" in page  # no real daily series offline: said so


def test_the_report_escapes_third_party_text():
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    model = Model(id="evil/model", name=f"Evil {hostile}", canonical_slug="evil/model", description=hostile)
    report = rpt.Report(model_id=model.id, name=model.name, description=model.description,
                        generated=dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc), status=None,
                        figures=rpt.model_figures(model, LIVE),
                        tables=[rpt.Table("Apps", [{"App": hostile, "Tokens": "1M"}], (LIVE,))],
                        charts=[rpt.ChartImage(f"Chart {hostile}", "<svg xmlns='http://www.w3.org/2000/svg'/>", (LIVE,))],
                        notices=[f"Server said {hostile}"])
    page = rpt.to_html(report)
    assert "<script" not in page and "<img src=x" not in page and 'onerror="' not in page
    # the <title>, the heading, the description, the table cell, the notice, the chart's alt text and caption
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 7
    assert "default-src 'none'" in page  # and a browser would refuse any script or remote load anyway


def test_report_gather_reports_the_page_status_and_keeps_differing_notices(live_env):
    import os

    from components.context import service_for
    from routerlens.config import load_settings

    live_env.down = True
    service = service_for(load_settings(os.environ, {}))
    report = rpt.gather(service, service.model("openai/gpt-4o-mini"))
    assert report.status is not None and report.status.degraded
    page = rpt.to_html(report)
    assert "On the bundled snapshot" in page
    assert "showing the bundled snapshot instead" not in page  # the status says it once
    assert all(figure.provenance.short_label().startswith("Snapshot · as of") for figure in report.figures)
