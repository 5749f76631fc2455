"""The app by keyboard alone, in real Chromium against the loopback OpenRouter.

No mouse: Tab, Shift+Tab, arrows, Space and Enter. The walk goes from the overview to the
playground through the sidebar menu, picks a routing mode, types a message, attaches an image with
the paperclip (the file dialog itself is the browser's), sends, stops a slow answer with
retries, exports the conversation, and stops a slow answer with Streamlit's Stop button. Every control it lands on must
show that it has focus (its pixels change with focus). A second walk uses the sidebar's model
picker and data source.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.a11y import VIEWPORT, focus_is_visible, focused, label_is, tab_until
from tests.browser.harness import (
    PageWatch, StreamlitServer, app_env, registered_pages, reset_render_signal, wait_rendered,
)
from tests.fake_chat import CHAT

PAGES = registered_pages()
PLAYGROUND = next((p for p in PAGES if p.path == "pages/playground.py"), None)
MESSAGES = "[data-testid=stChatMessage]"


@pytest.fixture(scope="module")
def keyboard_server(tmp_path_factory, session_fake):
    env = app_env(base_url=session_fake.base_url, offline=False, extra={
        "OPENROUTER_API_KEY": "sk-or-v1-BROWSER-KEYBOARD", "ROUTERLENS_SHARED_KEY_PLAYGROUND": "1"})
    with StreamlitServer(env=env, log_path=tmp_path_factory.mktemp("st-keys") / "server.log") as server:
        yield server


@pytest.fixture
def keyboard_page(chromium):
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(30_000)
    watch = PageWatch().block_external(context)
    page = context.new_page()
    watch.attach(page)
    try:
        yield page, watch
    finally:
        context.close()


def _reach(page, matches, *, backwards: bool = False, limit: int = 80) -> dict:
    """Tab to the control and check that its focus shows."""
    stop = tab_until(page, matches, backwards=backwards, limit=limit)[-1]
    assert focus_is_visible(page), f"no visible focus on {stop}"
    return stop


def _png(tmp_path) -> str:
    picture = tmp_path / "red.png"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (220, 20, 20)).save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    return str(picture)


def _answers(page) -> int:
    return page.locator(MESSAGES).count()


def test_playground_by_keyboard_alone(keyboard_page, keyboard_server, session_fake, tmp_path):
    from tests.fake_chat import stream_reply

    if PLAYGROUND is None:
        pytest.skip("app.py registers no pages/playground.py")
    page, watch = keyboard_page
    # The file dialog is answered by this handler, registered now: Playwright intercepts the dialog
    # only once a listener exists, and one registered just before the key press can miss it.
    picture = _png(tmp_path)
    page.on("filechooser", lambda chooser: chooser.set_files(picture))
    page.goto(keyboard_server.url, wait_until="domcontentloaded")
    wait_rendered(page)

    # Navigation: the skip link, then the menu in app.py's order, each link showing its focus.
    stops = tab_until(page, lambda s: s["testid"] == "stSidebarNavLink" and s["label"] == PLAYGROUND.title)
    assert stops[0]["testid"] == "stSkipToContent", "the first Tab stop should be Streamlit's skip link"
    menu = [s["label"] for s in stops if s["testid"] == "stSidebarNavLink"]
    assert menu == [p.title for p in PAGES][:len(menu)] and menu[-1] == PLAYGROUND.title
    assert focus_is_visible(page)
    reset_render_signal(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{PLAYGROUND.url_path}")
    wait_rendered(page)

    # Routing mode: one Tab stop for the group, arrows move, Space picks.
    _reach(page, lambda s: s["role"] == "radio" and s["label"] == "Balanced")
    page.keyboard.press("ArrowRight")
    assert focused(page)["label"] == "Nitro"
    reset_render_signal(page)
    page.keyboard.press("Space")
    wait_rendered(page)
    assert focused(page)["checked"] == "true", "Space did not pick the focused mode"
    assert "Nitro:" in page.locator("[data-testid=stMain]").inner_text()

    # Type, attach an image with the paperclip, send.
    _reach(page, lambda s: s["testid"] == "stChatInputTextArea")
    page.keyboard.type("Hello by keyboard")
    _reach(page, label_is("Upload files"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=stChatInput]').innerText.includes('red.png')")
    page.wait_for_function("() => { const b = document.querySelector('[data-testid=stChatInputSubmitButton]');"
                           " return b && !b.disabled; }")
    _reach(page, label_is("Send message"))
    before = len(session_fake.requests_to(CHAT, "POST"))
    reset_render_signal(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('{MESSAGES}').length >= 2")
    wait_rendered(page)
    assert "[1 image(s) received]" in page.locator(MESSAGES).last.inner_text()
    sent = session_fake.requests_to(CHAT, "POST")[before:]
    assert len(sent) == 1 and sent[0].body["model"].endswith(":nitro"), "the keyboard's mode was not sent"
    assert sent[0].body["messages"][-1]["content"][0]["text"] == "Hello by keyboard"

    # Retry the last turn, then export the conversation: toolbar buttons above the conversation.
    before = len(session_fake.requests_to(CHAT, "POST"))
    _reach(page, label_is("Retry last turn"), backwards=True)
    reset_render_signal(page)
    page.keyboard.press("Enter")
    wait_rendered(page)
    assert len(session_fake.requests_to(CHAT, "POST")) == before + 1
    assert "[1 image(s) received]" in page.locator(MESSAGES).last.inner_text()
    _reach(page, label_is("Export Markdown"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "playground.md"
    exported = open(download.value.path(), encoding="utf-8").read()
    assert "Hello by keyboard" in exported and "image(s) received" in exported

    # Stop a slow answer: Streamlit's Stop button (in the header while the app runs), by Shift+Tab.
    words = " ".join(f"w{i}" for i in range(120))
    session_fake.aborted.clear()
    session_fake._aborted_event.clear()
    session_fake.queue(CHAT, stream_reply(words, chunk_delay=0.15), method="POST")
    _reach(page, lambda s: s["testid"] == "stChatInputTextArea")
    page.keyboard.type("Answer slowly")
    page.keyboard.press("Enter")
    page.wait_for_function(f"""() => {{ const m = document.querySelectorAll('{MESSAGES}');
        return m.length >= 4 && m[m.length - 1].innerText.includes('w2'); }}""")
    _reach(page, label_is("Stop"), backwards=True)
    reset_render_signal(page)
    page.keyboard.press("Enter")
    assert session_fake.wait_for_abort(timeout=20), "Stop did not end the upstream request"
    wait_rendered(page)
    assert "w119" not in page.locator("[data-testid=stMain]").inner_text()
    # The toolbar was drawn before the answer streamed, so the stopped run did not take it away.
    for label in ("Clear", "Retry last turn", "Export Markdown"):
        assert page.get_by_role("button", name=label).count() == 1, f"{label!r} gone after Stop"
    assert not page.locator("[data-testid=stException]").count()
    assert not watch.console_errors and not watch.external_requests


def test_sidebar_controls_by_keyboard_alone(keyboard_page, keyboard_server):
    """The model picker (type an id, Enter) and the data source (arrows, Space) by keyboard."""
    page, watch = keyboard_page
    page.goto(keyboard_server.url, wait_until="domcontentloaded")
    wait_rendered(page)
    _reach(page, lambda s: s["role"] == "combobox" and s["label"] == "Model")
    page.keyboard.type("openai/gpt-3.5-turbo")
    reset_render_signal(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**model=openai%2Fgpt-3.5-turbo*")
    wait_rendered(page)
    assert "GPT-3.5" in page.locator("h1").inner_text()
    _reach(page, lambda s: s["role"] == "radio" and s["label"] == "Auto")
    page.keyboard.press("ArrowRight")
    reset_render_signal(page)
    page.keyboard.press("Space")
    wait_rendered(page)
    stop = focused(page)
    assert (stop["label"], stop["checked"]) == ("Live", "true"), stop
    assert "Live" in page.locator("[data-testid=stSidebar]").inner_text()
    assert not page.locator("[data-testid=stException]").count()
    assert not watch.console_errors and not watch.external_requests
