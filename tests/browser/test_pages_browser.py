"""Every page registered in app.py, in real headless Chromium, offline and live.

A page passes when it finishes rendering (the render-finished signal in harness.py, no sleeps),
shows no exception box, logs no console error, never asks for anything outside 127.0.0.1, and
the server logged no traceback. A screenshot of each page is saved to artifacts/screenshots/,
and the README's docs/screenshot.png is regenerated from the offline overview.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser.harness import ROOT, registered_pages, wait_rendered
from tests.conftest import all_pages

PAGES = registered_pages()
SHOTS = ROOT / "artifacts" / "screenshots"
README_SHOT = ROOT / "docs" / "screenshot.png"


def test_every_registered_page_is_covered():
    """The browser suite follows app.py: a page added there is tested here automatically."""
    assert [p.path for p in PAGES] == all_pages()
    assert [p for p in PAGES if p.url_path == ""], "one page must be the default (served at /)"


def _open(page, server, info):
    page.goto(f"{server.url}/{info.url_path}", wait_until="domcontentloaded")
    return wait_rendered(page)


def _assert_clean(page, watch, server, info):
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{info.path}: exception box: {exceptions.first.inner_text()[:2000]}"
    assert not page.locator('[data-testid="stDialog"]').count(), f"{info.path}: a dialog (page not found?) opened"
    assert not watch.external_requests, f"{info.path}: requests left 127.0.0.1: {watch.external_requests}"
    assert not watch.console_errors, f"{info.path}: console errors: {watch.console_errors}"
    assert "Traceback (most recent call last)" not in server.log_text(), server.log_text()[-3000:]


NAV_LABELS_JS = """() => Array.from(document.querySelectorAll('[data-testid=stSidebarNav] a'))
    .map(a => a.innerText.split('\\n').pop().trim())"""


def _assert_app_shell(page, info):
    """The page ran inside app.py: the sidebar lists app.py's page titles (not Streamlit's
    automatic pages/ listing) and holds the app's own controls."""
    assert page.evaluate(NAV_LABELS_JS) == [p.title for p in PAGES], (
        f"{info.path}: the sidebar is not app.py's navigation (Streamlit ran the file on its own)")
    assert "Data source" in page.locator('[data-testid="stSidebar"]').inner_text(), \
        f"{info.path}: the app's sidebar (render_sidebar) did not run"


def _screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("info", PAGES, ids=[p.name for p in PAGES])
def test_page_offline_in_browser(browser_page, offline_server, info):
    page, watch = browser_page
    _open(page, offline_server, info)
    _assert_clean(page, watch, offline_server, info)
    _assert_app_shell(page, info)
    _screenshot(page, info.name)
    if info.url_path == "":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHOTS / f"{info.name}.png", README_SHOT)


@pytest.mark.parametrize("info", PAGES, ids=[p.name for p in PAGES])
def test_page_live_in_browser(browser_page, live_server, session_fake, info):
    page, watch = browser_page
    _open(page, live_server, info)
    _assert_clean(page, watch, live_server, info)
    _assert_app_shell(page, info)
    _screenshot(page, f"{info.name}.live")
    assert session_fake.requests, "the live server never called the loopback OpenRouter"


def test_sidebar_navigation_switches_pages(browser_page, offline_server):
    """Clicking a sidebar link switches to that page and it renders too."""
    page, watch = browser_page
    default = next(p for p in PAGES if p.url_path == "")
    other = next(p for p in PAGES if p.url_path)
    _open(page, offline_server, default)
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{other.url_path}"]').click()
    page.wait_for_url(f"**/{other.url_path}")
    wait_rendered(page)
    _assert_clean(page, watch, offline_server, other)


@pytest.mark.parametrize("info", PAGES, ids=[p.name for p in PAGES])
def test_unknown_model_every_page_in_browser(browser_page, offline_server, info):
    """A model id that does not exist (?model=…) is a message on every page, never an exception."""
    page, watch = browser_page
    page.goto(f"{offline_server.url}/{info.url_path}?model=nobody/nothing-9000", wait_until="domcontentloaded")
    wait_rendered(page)
    _assert_clean(page, watch, offline_server, info)


def test_hostile_text_is_shown_not_executed(browser_page, live_server):
    """A model whose name and description carry script, event handlers and javascript: links:
    nothing runs, no such element reaches the page."""
    from tests.browser.conftest import HOSTILE_MODEL

    page, watch = browser_page
    default = next(p for p in PAGES if p.url_path == "")
    page.goto(f"{live_server.url}/?model={HOSTILE_MODEL}", wait_until="domcontentloaded")
    wait_rendered(page)
    _assert_clean(page, watch, live_server, default)
    main = page.locator('[data-testid="stMain"]')
    assert "bold" in main.inner_text(), "the description should be shown"
    assert page.evaluate("window.__pwned") is None, "script from the model's text ran"
    injected = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid=stMain] script, [data-testid=stMain] img[src="x"], [data-testid=stMain] [onmouseover],'
        + '[data-testid=stMain] [onerror], [data-testid=stMain] a[href^="javascript:"]')).map(e => e.outerHTML)""")
    assert injected == []


def test_deep_link_is_the_first_visit_after_a_restart(browser_page, tmp_path):
    """Someone follows a shared link (/providers?model=…) to a server nobody has visited since it
    started. The page must still run inside app.py (its sidebar, settings and key), not as a
    bare script picked up from the pages/ folder."""
    from tests.browser.harness import StreamlitServer, app_env

    page, watch = browser_page
    target = next(p for p in PAGES if p.url_path)
    with StreamlitServer(env=app_env(offline=True), log_path=tmp_path / "server.log") as fresh:
        page.goto(f"{fresh.url}/{target.url_path}", wait_until="domcontentloaded")
        wait_rendered(page)
        _assert_clean(page, watch, fresh, target)
        _assert_app_shell(page, target)
