"""Fixtures for the browser suite: one Streamlit server per data mode and one Chromium per run.

Every test here is marked ``browser`` and skips (with the reason) when Playwright or Chromium is
missing. The servers are session-scoped so the whole suite pays for two cold starts, not one per
test; each test gets a fresh browser context (a fresh profile, no shared state).
"""

from __future__ import annotations

import copy

import pytest

from tests.browser.harness import (
    VIEWPORT,
    PageWatch,
    StreamlitServer,
    app_env,
    browser_unavailable_reason,
    launch_chromium,
)
from tests.fakeserver import FakeOpenRouter

SKIP_REASON = browser_unavailable_reason()


def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser as ``browser`` and skip it cleanly without Chromium."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


HOSTILE_MODEL = "routerlens-test/hostile"
HOSTILE_TEXT = ('Hi <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
                '<b onmouseover="window.__pwned=3">bold</b> [click](javascript:window.__pwned=4)')


def _add_hostile_model(server: FakeOpenRouter) -> None:
    """A model whose name and description carry HTML and script (opened with ?model=…)."""
    payload = server.routes[("GET", "/api/v1/models")].json
    hostile = copy.deepcopy(payload["data"][0])
    hostile.update(id=HOSTILE_MODEL, canonical_slug=HOSTILE_MODEL, description=HOSTILE_TEXT,
                   name='Evil: <script>window.__pwned=5</script><img src=x onerror="window.__pwned=6">')
    payload["data"].append(hostile)


@pytest.fixture(scope="session")
def session_fake():
    """The loopback fake OpenRouter shared by the live-mode server (with one hostile model)."""
    server = FakeOpenRouter().start()
    _add_hostile_model(server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def offline_server(tmp_path_factory):
    with StreamlitServer(env=app_env(offline=True),
                         log_path=tmp_path_factory.mktemp("st-offline") / "server.log") as server:
        yield server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, session_fake):
    with StreamlitServer(env=app_env(base_url=session_fake.base_url, offline=False),
                         log_path=tmp_path_factory.mktemp("st-live") / "server.log") as server:
        yield server


@pytest.fixture(scope="session")
def browser_context(chromium):
    """One context for the run: the HTTP cache of Streamlit's 4 MB frontend bundle is shared
    between tests (each page still opens its own Streamlit session). Requests that would leave
    127.0.0.1 are aborted and recorded in ``context.external_requests``."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    context.external_requests = PageWatch().block_external(context).external_requests
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(browser_context):
    """A new page watched for console errors and off-loopback requests. Yields ``(page, watch)``."""
    browser_context.external_requests.clear()
    watch = PageWatch(external_requests=browser_context.external_requests)
    page = browser_context.new_page()
    watch.attach(page)
    try:
        yield page, watch
    finally:
        page.close()
