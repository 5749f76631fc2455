"""The API key never leaks: a real Streamlit server with a recognizable fake key, every page
driven in Chromium, and everything observable searched for the key.

Searched: the rendered DOM (less the password box's own value) and every non-static HTTP response
the app served, every websocket frame the
server sent to the browser, the server's log (at debug level, the most talkative), and every file
written under the repository, the server's TMPDIR, /tmp and ~/.streamlit while the app ran.
Positive controls make each search meaningful: the fake OpenRouter must have received the key
(so the app really had it), and the frames must carry page content (so recording worked).

Two ways in are covered: the host's key in the environment, and a visitor's key typed into the
sidebar (that one must reach the server, so only server→browser frames are searched for it).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.harness import (
    ROOT,
    VIEWPORT,
    StreamlitServer,
    app_env,
    browser_unavailable_reason,
    launch_chromium,
    registered_pages,
    wait_rendered,
)
from tests.fakeserver import FakeOpenRouter

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(browser_unavailable_reason()),
                                                      reason=browser_unavailable_reason() or "")]

ENV_KEY = "sk-or-v1-RLLEAKCHECK" + secrets.token_hex(16)
TYPED_KEY = "sk-or-v1-RLTYPEDKEY" + secrets.token_hex(16)
SKIP_DIRS = {".git", ".venv", "__pycache__", "node_modules", "venv"}
MAX_SCAN_BYTES = 64 * 1024 * 1024


class Recorder:
    """Everything one browser page received from (and sent to) the Streamlit server."""

    def __init__(self, page, server_url: str):
        self.frames_in: list[bytes] = []
        self.frames_out: list[bytes] = []
        self.responses = []
        self.html: list[str] = []
        page.on("websocket", self._on_socket)
        page.on("response", lambda r: r.url.startswith(server_url) and "/static/" not in r.url
                and self.responses.append(r))

    def _on_socket(self, ws) -> None:
        ws.on("framereceived", lambda payload: self.frames_in.append(_bytes(payload)))
        ws.on("framesent", lambda payload: self.frames_out.append(_bytes(payload)))

    def bodies(self) -> list[tuple[str, bytes]]:
        out = []
        for response in self.responses:
            try:
                out.append((response.url, response.body()))
            except Exception:  # redirects and aborted requests have no body
                continue
        return out


# The page's DOM without the password box's own value (React mirrors what the visitor typed into
# the input's value attribute; that copy is the visitor's own input, not something served).
DOM_WITHOUT_PASSWORD_VALUES = """() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelectorAll('input[type=password]').forEach(i => { i.removeAttribute('value'); i.value = ''; });
  return copy.outerHTML;
}"""


def _bytes(payload) -> bytes:
    return payload.encode() if isinstance(payload, str) else bytes(payload)


def _files_written_since(roots: list[Path], since: float) -> list[Path]:
    found = []
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith("bash_jobs")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                if stat.st_mtime >= since and stat.st_size <= MAX_SCAN_BYTES and path.is_file():
                    found.append(path)
    return found


def _leaks(key: str, places: dict[str, list[bytes | str]]) -> list[str]:
    needle = key.encode()
    hits = []
    for where, items in places.items():
        for index, item in enumerate(items):
            data = item.encode() if isinstance(item, str) else item
            if needle in data:
                hits.append(f"{where}[{index}]")
    return hits


@pytest.fixture(scope="module")
def run_with_key(tmp_path_factory):
    """Drive every page (and the playground) of a live server that has ENV_KEY, then the
    overview with TYPED_KEY typed into the sidebar. Returns what was recorded.

    Runs in its own thread: Playwright's sync API refuses to start where another sync session
    (the browser suite's shared Chromium) already runs an event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_record_run, tmp_path_factory).result()


def _record_run(tmp_path_factory) -> dict:
    from playwright.sync_api import sync_playwright

    started = time.time() - 1
    tmpdir = tmp_path_factory.mktemp("secrets-tmp")
    fake = FakeOpenRouter().start()
    env = app_env(base_url=fake.base_url, offline=False, tmpdir=str(tmpdir), extra={
        "OPENROUTER_API_KEY": ENV_KEY, "ROUTERLENS_SHARED_KEY_PLAYGROUND": "1", "STREAMLIT_LOGGER_LEVEL": "debug"})
    server = StreamlitServer(env=env, log_path=tmp_path_factory.mktemp("secrets-log") / "server.log")
    record: dict = {}
    try:
        server.start()
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            env_rec = Recorder(page, server.url)
            for info in registered_pages():
                page.goto(f"{server.url}/{info.url_path}", wait_until="domcontentloaded")
                wait_rendered(page)
                if page.locator('[data-testid="stChatInputTextArea"]').count():
                    page.locator('[data-testid="stChatInputTextArea"]').fill("Say hello")
                    page.keyboard.press("Enter")
                    page.wait_for_function("() => document.querySelectorAll('[data-testid=stChatMessage]').length >= 2")
                    wait_rendered(page)
                env_rec.html.append(page.evaluate(DOM_WITHOUT_PASSWORD_VALUES))
            typed_page = context.new_page()
            typed_rec = Recorder(typed_page, server.url)
            typed_page.goto(server.url, wait_until="domcontentloaded")
            wait_rendered(typed_page)
            box = typed_page.locator('[data-testid="stSidebar"] input[type="password"]')
            box.fill(TYPED_KEY)
            box.press("Enter")
            typed_page.wait_for_function(
                "() => document.querySelector('[data-testid=stSidebar]').innerText.includes('key from this session')")
            wait_rendered(typed_page)
            typed_rec.html.append(typed_page.evaluate(DOM_WITHOUT_PASSWORD_VALUES))
            record.update(env=env_rec, typed=typed_rec, env_bodies=env_rec.bodies(), typed_bodies=typed_rec.bodies())
            browser.close()
    finally:
        server.stop()
        fake.stop()
    record["log"] = server.log_text()
    record["fake_auth"] = [r.headers.get("authorization", "") for r in fake.requests]
    roots = [ROOT, Path(tmpdir), Path(tempfile.gettempdir()), Path.home() / ".streamlit"]
    record["files"] = {str(p): p for p in _files_written_since(roots, started)}
    return record


def test_the_key_really_reached_the_app_and_frames_were_recorded(run_with_key):
    """Positive controls: without them, finding nothing would prove nothing."""
    assert f"Bearer {ENV_KEY}" in run_with_key["fake_auth"], "the app never used the environment key"
    assert f"Bearer {TYPED_KEY}" in run_with_key["fake_auth"], "the app never used the typed key"
    env = run_with_key["env"]
    assert env.frames_in and any(b"RouterLens" in f or b"gpt-4o-mini" in f for f in env.frames_in)
    assert any("key from the environment" in html for html in env.html), "the DOM capture missed the sidebar"
    assert any(TYPED_KEY.encode() in f for f in run_with_key["typed"].frames_out), \
        "the typed key should travel browser→server (the recorder must see outgoing frames)"
    assert run_with_key["log"], "the server log is empty"


def test_env_key_is_nowhere(run_with_key):
    env = run_with_key["env"]
    hits = _leaks(ENV_KEY, {
        "html": env.html, "http": [b for _, b in run_with_key["env_bodies"]],
        "ws→browser": env.frames_in, "browser→ws": env.frames_out, "log": [run_with_key["log"]],
        "typed-session ws→browser": run_with_key["typed"].frames_in,
    })
    assert not hits, f"the environment key leaked into: {hits}"


def test_typed_key_is_never_sent_back_or_logged(run_with_key):
    typed = run_with_key["typed"]
    hits = _leaks(TYPED_KEY, {
        "html": typed.html, "http": [b for _, b in run_with_key["typed_bodies"]],
        "ws→browser": typed.frames_in, "log": [run_with_key["log"]],
    })
    assert not hits, f"the typed key leaked into: {hits}"


def test_no_file_written_during_the_run_holds_a_key(run_with_key):
    files = run_with_key["files"]
    assert files, "expected at least the server log among files written during the run"
    leaked = []
    for name, path in files.items():
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if ENV_KEY.encode() in data or TYPED_KEY.encode() in data:
            leaked.append(name)
    assert not leaked, f"files holding a key: {leaked}"
