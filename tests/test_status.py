"""One page-wide source status instead of repeated notices, and what a slow load is waiting for
(issue 13): AppTest pages against the loopback OpenRouter (or a closed port), and the service's
part of it directly."""

from __future__ import annotations

import re

import pytest

from routerlens import routes
from routerlens.config import DataMode, Settings
from routerlens.service import DataService, Want, page_budget
from routerlens.snapshot import Bundled
from routerlens.source_status import PageSource
from tests.conftest import DEAD_BASE_URL, page_text, run_app
from tests.fakeserver import Reply, error_body

MODELS = "/api/v1/models"
ENDPOINTS = "/api/v1/models/openai/gpt-4o-mini/endpoints"
STATUS_LEAD = "Live OpenRouter data is unavailable"


def plain(text: str) -> str:
    """Markdown escapes undone (the status escapes the server's words)."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.fixture
def auto_unreachable(monkeypatch):
    """Auto mode with nothing listening where OpenRouter should be: "offline in Auto"."""
    monkeypatch.delenv("ROUTERLENS_OFFLINE", raising=False)
    monkeypatch.setenv("OPENROUTER_BASE_URL", DEAD_BASE_URL)
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "auto")


def notices(at) -> list[str]:
    return [plain(e.value) for kind in ("info", "warning", "error") for e in getattr(at, kind)]


# --- the page says it once -----------------------------------------------------------------------------

def test_offline_auto_benchmarks_says_why_once(auto_unreachable):
    at = run_app("pages/benchmarks.py")
    assert not at.exception
    found = notices(at)
    assert "\n".join(found).count("the connection was refused") == 1, found
    status = [n for n in found if STATUS_LEAD in n]
    assert len(status) == 1 and status[0].startswith("**On the bundled snapshot (as of 2026-08-19)**")
    assert not any("showing the bundled snapshot instead" in n for n in found)
    # each section still says where its figures come from
    text = page_text(at)
    assert "Snapshot · as of 2026-08-19" in text and "Snapshot · as of 2024-07-18" in text


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/apps.py", "pages/pricing.py", "pages/compare.py"])
def test_offline_auto_pages_say_why_once(auto_unreachable, page):
    at = run_app(page)
    assert not at.exception
    found = notices(at)
    assert sum(STATUS_LEAD in n for n in found) == 1
    assert not any("showing the bundled snapshot instead" in n for n in found), found


def test_a_section_whose_source_differs_keeps_its_notice(auto_unreachable):
    """The daily activity is simulated (no real source has it offline) and the traffic share needs a
    key: neither is what the page-wide status says, so both keep their own notice."""
    at = run_app("pages/activity.py")
    assert not at.exception
    found = notices(at)
    assert sum(STATUS_LEAD in n for n in found) == 1
    assert any("simulated from real figures" in n for n in found)
    assert any("needs an OpenRouter API key" in n for n in found)


def test_live_mode_down_says_nothing_falls_back(live_env, monkeypatch):
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "live")
    live_env.down = True
    at = run_app()
    assert not at.exception
    assert sum("Live only, and 127.0.0.1" in plain(e.value) for e in at.error) == 1
    assert "Snapshot · as of 2026-08-19" not in page_text(at)


def test_live_and_healthy_shows_no_status_box(live_env):
    at = run_app("pages/benchmarks.py")
    assert not at.exception
    assert not any(STATUS_LEAD in n or "Live only" in n for n in notices(at))
    assert "Live · fetched" in page_text(at)


def test_an_answer_that_comes_later_is_not_blamed_on_the_status(live_env):
    """The model list is live, one section's route fails: the page is live as a whole, so that
    section's own notice (with its reason) is shown."""
    live_env.set(ENDPOINTS, Reply(status=404, json=error_body(404, "No endpoints found")))
    at = run_app("pages/pricing.py")
    assert not at.exception
    found = notices(at)
    assert not any(STATUS_LEAD in n for n in found)
    assert any("HTTP 404" in n for n in found), found


# --- the service's part --------------------------------------------------------------------------------

def _service(fake, mode: DataMode = DataMode.AUTO) -> DataService:
    return DataService(Settings(base_url=fake.base_url, mode=mode, connect_timeout=1.0, read_timeout=3.0,
                                total_timeout=5.0, max_retries=0))


def test_a_failed_fetch_is_a_fallback_and_an_unusable_answer_is_not(fake):
    fake.set(MODELS, Reply(status=503, json=error_body(503, "overloaded")))
    service = _service(fake)
    listing = service.models()
    assert listing.fallback and listing.notice and "HTTP 503" in listing.notice
    fake.install_defaults()
    service = _service(fake)  # a fresh client: the old one leaves the 503ing host alone for a while
    missing = service.model("anthropic/claude-3-haiku")  # bundled, not in the server's list
    assert missing.value is not None and missing.notice
    assert not missing.fallback  # the answer came; it just did not hold the model
    keyed = service.get(Want("benchmarks", list, [], live=(routes.benchmarks(),),
                             bundled=Bundled.at("/api/v1/models")))
    assert not keyed.fallback  # no key: nothing was asked, nothing failed


@pytest.mark.parametrize(("mode", "down", "source"), [
    (DataMode.AUTO, False, PageSource.LIVE), (DataMode.AUTO, True, PageSource.FALLBACK),
    (DataMode.LIVE, True, PageSource.FAILING), (DataMode.OFFLINE, False, PageSource.OFFLINE)])
def test_the_service_says_what_the_page_is_on(fake, mode, down, source):
    fake.down = down
    service = _service(fake, mode)
    status = service.status()
    assert status.source is source
    assert status.degraded is (source is not PageSource.LIVE)
    if source is PageSource.FALLBACK:
        assert status.reason and status.covers(service.models())
    if source is PageSource.OFFLINE:
        assert fake.requests == []


# --- what a slow load waits for --------------------------------------------------------------------------

def test_a_slow_page_lists_what_it_waits_for_and_how_each_ended(live_env):
    """The model list takes a second and the provider list fails after one: the top of the page
    lists both with their outcome (no sleep here: the server holds its answers back)."""
    live_env.set(MODELS, Reply(delay=1.0, json=live_env.routes[("GET", MODELS)].json))
    live_env.set(ENDPOINTS, Reply(status=402, delay=1.0, json=error_body(402, "Insufficient credits")))
    at = run_app()
    assert not at.exception
    box = at.status[0]
    assert box.label.startswith("Waited") and "1 did not come" in box.label
    lines = [plain(child.value) for child in box.children.values()]
    assert any("GET /api/v1/models" in line and "(model list)" in line and line.endswith("answered") for line in lines)
    assert any(ENDPOINTS in line and "not live: HTTP 402: Insufficient credits" in line for line in lines), lines


def test_a_quick_page_shows_no_progress_box(live_env):
    at = run_app()
    assert not at.exception and len(at.status) == 0


def test_the_page_budget_tells_how_each_announced_wait_ended(fake):
    fake.set(MODELS, Reply(delay=1.0, json=fake.routes[("GET", MODELS)].json))
    fake.set("/api/v1/providers", Reply(status=503, delay=1.0, json=error_body(503, "overloaded")))
    service = _service(fake)
    said, ended = [], []
    with page_budget(10, waiting=said.append, landed=lambda what, failure: ended.append((what, failure))):
        service.models()
        service.live_get(routes.providers(), what="provider directory")
    assert said[1::2] == [None, None]
    assert ended[0] == ("GET /api/v1/models?output_modalities=all (model list)", None)
    assert ended[1][0] == "GET /api/v1/providers (provider directory)" and "HTTP 503" in ended[1][1]


# --- Refresh live data ------------------------------------------------------------------------------------

SIDEBAR = "from components.context import render_sidebar\nrender_sidebar()\n"


def test_refresh_lists_each_route_and_reports_the_result(live_env):
    """The sidebar alone (AppTest reruns a navigation app's page without app.py)."""
    from streamlit.testing.v1 import AppTest

    live_env.set(ENDPOINTS, Reply(status=503, json=error_body(503, "overloaded")))
    at = AppTest.from_string(SIDEBAR, default_timeout=60).run()
    live_env.clear_requests()
    at.button(key="refresh_live").click().run()
    assert not at.exception
    box = at.status[0]
    match = re.fullmatch(r"Refreshed (\d+) of (\d+) live routes in [\d.]+ s; (\d+) failed", box.label)
    assert match, box.label
    refreshed, total, failed = map(int, match.groups())
    assert refreshed + failed == total and failed >= 1
    lines = [plain(child.value) for child in box.children.values()]
    assert sum(line.startswith(":material/") for line in lines) == total  # one line per route as it lands
    assert any(f"{ENDPOINTS}: HTTP 503: overloaded" in line for line in lines)
    assert live_env.requests_to(MODELS) and live_env.requests_to(ENDPOINTS)  # fetched again, not from cache


def test_refresh_is_disabled_offline():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(SIDEBAR, default_timeout=60).run()
    assert at.button(key="refresh_live").disabled


def test_a_slow_first_model_list_does_not_break_the_next_session(live_env):
    """The first session waits for the model list (and says so); the next one reads the sidebar's
    cached model ids. Nothing drawn while waiting may be recorded into that cache: replaying it in
    another session used to fail (CacheReplayClosureError)."""
    live_env.set(MODELS, Reply(delay=1.0, json=live_env.routes[("GET", MODELS)].json))
    first = run_app()
    assert not first.exception and first.status[0].label.startswith("Waited")
    second = run_app()
    assert not second.exception, [e.message for e in second.exception]
    assert second.selectbox(key="model").value == "openai/gpt-4o-mini"
