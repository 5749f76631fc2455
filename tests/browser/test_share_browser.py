"""Shareable views and downloads in real Chromium (issue 13): what AppTest cannot show, because
the browser itself writes a bound control into the address bar and fetches a download.

* Clicking a control puts it in the URL; opening that URL in a fresh session shows the same view.
* The API key typed in the sidebar never reaches the URL.
* A chart's Download menu gives a CSV and an SVG made on click (read back and parsed here).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from tests.browser.harness import reset_render_signal, wait_rendered

SECRET = "sk-or-v1-browser-share-0123456789abcdef"


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_rendered(page)


def _params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _option(page, key: str, label: str):
    return page.locator(f".st-key-{key} button").filter(has_text=label).first


def _clean(page, watch, server) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not watch.console_errors, watch.console_errors
    assert not watch.external_requests, watch.external_requests
    assert "Traceback (most recent call last)" not in server.log_text(), server.log_text()[-3000:]


def test_a_clicked_control_lands_in_the_url_and_the_url_reopens_the_view(offline_server, browser_page,
                                                                           browser_context):
    page, watch = browser_page
    _open(page, f"{offline_server.url}/performance")
    reset_render_signal(page)
    _option(page, "perf_pct", "p90").click()
    page.wait_for_function("() => location.search.includes('perf_pct=p90')")
    wait_rendered(page)
    reset_render_signal(page)
    _option(page, "perf_window", "7 days").click()
    page.wait_for_function("() => location.search.includes('perf_window=')")
    wait_rendered(page)
    link = page.url
    assert _params(page)["perf_pct"] == ["p90"] and _params(page)["perf_window"] == ["7 days"]
    _clean(page, watch, offline_server)

    other = browser_context.new_page()  # another visitor opens the link: a new Streamlit session
    try:
        _open(other, link)
        for key, label in (("perf_pct", "p90"), ("perf_window", "7 days")):
            assert other.locator(f".st-key-{key} [role=radio][aria-checked=true]").inner_text().strip() == label
        assert "p90" in other.locator('[data-testid="stMain"]').inner_text()
    finally:
        other.close()


def test_the_api_key_never_reaches_the_url(offline_server, browser_page):
    page, watch = browser_page
    _open(page, f"{offline_server.url}/pricing?price_rpd=10")
    reset_render_signal(page)
    box = page.locator(".st-key-api_key_input input")
    box.fill(SECRET)
    box.press("Enter")
    wait_rendered(page)
    assert SECRET not in page.url and "api_key" not in page.url
    assert _params(page)["price_rpd"] == ["10"]  # the rest of the view stays in the link
    _clean(page, watch, offline_server)


def test_a_chart_downloads_its_data_and_picture(offline_server, browser_page):
    page, watch = browser_page
    _open(page, f"{offline_server.url}/uptime")
    page.locator(".st-key-up_daily_export_dl button").first.click()
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Data (CSV)").first.click()
    rows = list(csv.DictReader(io.StringIO(open(csv_download.value.path(), encoding="utf-8").read())))
    assert csv_download.value.suggested_filename == "openai-gpt-4o-mini-daily-uptime.csv"
    assert rows and {"provider", "uptime", "band", "Data source", "Data as of"} <= set(rows[0])
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Image (SVG)").first.click()
    root = ET.fromstring(open(svg_download.value.path(), encoding="utf-8").read())
    assert root.tag.endswith("svg") and "SIMULATED — Daily uptime" in "".join(root.itertext())
    _clean(page, watch, offline_server)
