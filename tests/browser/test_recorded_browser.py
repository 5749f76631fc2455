"""A deployment's own recording, drawn in real Chromium: offline, every time-series page shows
the recorded series as "Recorded" (not simulated) and renders cleanly. The recording is one real
recorder pass against the loopback server plus earlier recorded days (with a missed day)."""

from __future__ import annotations

import pytest

from tests.browser.harness import StreamlitServer, app_env, wait_rendered
from tests.browser.test_pages_browser import PAGES, _assert_clean, _screenshot
from tests.test_history import _activity_recording, _effective_recording, _recording, record

RECORDED_PAGES = {"pages/performance.py": "Throughput, p50, daily", "pages/uptime.py": "Daily uptime",
                  "pages/activity.py": "Tokens per day", "pages/pricing.py": "Effective input price per day"}


@pytest.fixture(scope="module")
def recorded_server(tmp_path_factory, session_fake):
    folder = tmp_path_factory.mktemp("recording")
    url = f"sqlite:///{folder / 'history.sqlite'}"
    for write in (_recording, _activity_recording, _effective_recording):
        write(url).dispose()
    record(session_fake, url)[1].dispose()  # a real pass: hourly uptime, endpoints, today's figures
    with StreamlitServer(env=app_env(offline=True, extra={"ROUTERLENS_HISTORY_URL": url}),
                         log_path=folder / "server.log") as server:
        yield server


@pytest.mark.parametrize("info", [p for p in PAGES if p.path in RECORDED_PAGES], ids=lambda p: p.name)
def test_recorded_series_are_drawn_offline_as_recorded(browser_page, recorded_server, info):
    page, watch = browser_page
    page.goto(f"{recorded_server.url}/{info.url_path}", wait_until="domcontentloaded")
    wait_rendered(page)
    _assert_clean(page, watch, recorded_server, info)
    main = page.locator('[data-testid="stMain"]')
    assert "Recorded by this deployment" in main.inner_text()
    chart = main.locator('[data-testid="stVegaLiteChart"]', has_text=RECORDED_PAGES[info.path])
    assert chart.count() == 1, f"{info.path}: no drawn chart titled {RECORDED_PAGES[info.path]!r}"
    assert "SIMULATED" not in chart.inner_text()
    _screenshot(page, f"{info.name}.recorded")
