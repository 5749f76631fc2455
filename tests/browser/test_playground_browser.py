"""The playground in real Chromium against the loopback OpenRouter (tests/fake_chat.py).

Type a prompt, press Enter, see the streamed answer and its measurements; attach an image with
the chat input's paperclip and send it (the fake server says how many images it received, so the
image really travelled). The server runs in Auto mode with a host key shared for the playground.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.harness import StreamlitServer, app_env, registered_pages, reset_render_signal, wait_rendered
from tests.fake_chat import CHAT

PLAYGROUND = next((p for p in registered_pages() if p.path == "pages/playground.py"), None)
CHAT_BOX = '[data-testid="stChatInputTextArea"]'


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory, session_fake):
    env = app_env(base_url=session_fake.base_url, offline=False, extra={
        "OPENROUTER_API_KEY": "sk-or-v1-BROWSER-PLAYGROUND", "ROUTERLENS_SHARED_KEY_PLAYGROUND": "1",
        # Every test here is the same visitor (127.0.0.1): the per-visitor limit (5 a minute) would
        # refuse the later tests' requests. The limits have their own tests.
        "ROUTERLENS_PLAYGROUND_RPM": "1000", "ROUTERLENS_PLAYGROUND_GLOBAL_RPM": "1000"})
    with StreamlitServer(env=env, log_path=tmp_path_factory.mktemp("st-chat") / "server.log") as server:
        yield server


@pytest.fixture
def playground(browser_page, chat_server):
    if PLAYGROUND is None:
        pytest.skip("app.py registers no pages/playground.py")
    page, watch = browser_page
    page.goto(chat_server.url, wait_until="domcontentloaded")  # enter through app.py first
    wait_rendered(page)
    page.goto(f"{chat_server.url}/{PLAYGROUND.url_path}", wait_until="domcontentloaded")
    wait_rendered(page)
    return page, watch


def _wait_send_ready(page) -> None:
    """The chat input takes Enter only once its attachments have finished uploading (the file
    chip shows before that): wait for the send button to be enabled."""
    page.wait_for_function("() => { const b = document.querySelector('[data-testid=stChatInputSubmitButton]');"
                           " return b && !b.disabled; }")


def _send(page, text: str) -> None:
    reset_render_signal(page)
    page.locator(CHAT_BOX).fill(text)
    _wait_send_ready(page)
    page.locator(CHAT_BOX).press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stChatMessage]').length >= 2")
    wait_rendered(page)


def _last_answer(page) -> str:
    return page.locator('[data-testid="stChatMessage"]').last.inner_text()


def test_prompt_streams_an_answer_with_measurements(playground, session_fake):
    page, watch = playground
    before = len(session_fake.requests_to(CHAT, "POST"))
    _send(page, "Hello from the browser test")
    answer = _last_answer(page)
    assert "Echo: Hello from the browser test" in answer
    for measured in ("TTFT", "tok/s", "tokens in 12", "cost $", "Served by OpenAI"):
        assert measured in answer, f"{measured!r} missing from the answer's measurements: {answer}"
    requests = session_fake.requests_to(CHAT, "POST")
    assert len(requests) == before + 1 and requests[-1].body["stream"] is True
    assert not page.locator('[data-testid="stException"]').count()
    assert not watch.console_errors and not watch.external_requests


def test_attached_image_is_sent(playground, session_fake, tmp_path):
    page, watch = playground
    picture = tmp_path / "red.png"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (220, 20, 20)).save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    page.locator('[data-testid="stChatInput"] input[type=file]').set_input_files(str(picture))
    page.wait_for_function("() => document.querySelector('[data-testid=stChatInput]').innerText.includes('red.png')")
    _send(page, "What colour is this?")
    assert "[1 image(s) received]" in _last_answer(page)
    sent = session_fake.requests_to(CHAT, "POST")[-1].body["messages"][-1]["content"]
    assert sent[0] == {"type": "text", "text": "What colour is this?"}
    assert sent[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert page.locator('[data-testid="stChatMessage"] img').count() >= 1, "the sent image is previewed"
    assert not watch.console_errors and not watch.external_requests


def test_waiting_status_ends_when_the_answer_starts(playground, session_fake):
    """"Waiting for the first token…" is shown while waiting, and gone once text streams in: no
    waiting clock keeps counting under a streaming answer."""
    from tests.fake_chat import stream_reply

    page, watch = playground
    words = " ".join(f"w{i}" for i in range(40))
    session_fake.queue(CHAT, stream_reply(words, chunk_delay=0.12), method="POST")
    reset_render_signal(page)
    page.locator(CHAT_BOX).fill("Stream slowly")
    page.locator(CHAT_BOX).press("Enter")
    page.wait_for_function("""() => { const m = document.querySelectorAll('[data-testid=stChatMessage]');
        return m.length >= 2 && m[m.length - 1].innerText.includes('w2'); }""")
    assert "w39" not in _last_answer(page), "the answer should still be streaming"
    assert page.locator('[data-testid="stSpinner"]').count() == 0, "the waiting status still shows under the answer"
    wait_rendered(page)
    assert "w39" in _last_answer(page)
    assert not watch.console_errors and not watch.external_requests


def test_a_refused_attachment_stops_the_send_and_says_why(playground, session_fake, tmp_path):
    """An SVG picked with the paperclip: nothing is sent, the chat says why and keeps the text."""
    page, watch = playground
    drawing = tmp_path / "logo.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    before = len(session_fake.requests_to(CHAT, "POST"))
    page.locator('[data-testid="stChatInput"] input[type=file]').set_input_files(str(drawing))
    page.wait_for_function("() => document.querySelector('[data-testid=stChatInput]').innerText.includes('logo.svg')")
    reset_render_signal(page)
    page.locator(CHAT_BOX).fill("Describe this logo")
    _wait_send_ready(page)
    page.locator(CHAT_BOX).press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText.includes('Not sent')")
    wait_rendered(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "logo.svg" in main and "SVG" in main and "Describe this logo" in main
    assert len(session_fake.requests_to(CHAT, "POST")) == before, "the message went out without its attachment"
    assert not watch.console_errors and not watch.external_requests


def test_closing_the_tab_mid_request_ends_the_upstream_request(browser_context, chat_server, session_fake):
    """A visitor sends, then closes the tab while the first token is awaited: the app hangs up on
    OpenRouter instead of holding the request open until the server gives up."""
    from tests.fake_chat import stream_events
    from tests.fakeserver import Reply

    if PLAYGROUND is None:
        pytest.skip("app.py registers no pages/playground.py")
    page = browser_context.new_page()
    page.goto(chat_server.url, wait_until="domcontentloaded")
    wait_rendered(page)
    page.goto(f"{chat_server.url}/{PLAYGROUND.url_path}", wait_until="domcontentloaded")
    wait_rendered(page)
    waiting = [item for _ in range(600) for item in (": OPENROUTER PROCESSING", ("sleep", 0.1))]
    session_fake.aborted.clear()
    session_fake._aborted_event.clear()
    session_fake.queue(CHAT, Reply(sse=[*waiting, *stream_events("too late")]), method="POST")
    before = len(session_fake.requests_to(CHAT, "POST"))
    page.locator(CHAT_BOX).fill("Then I leave")
    page.locator(CHAT_BOX).press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText"
                           ".includes('Waiting for the first token')")
    assert len(session_fake.requests_to(CHAT, "POST")) == before + 1
    page.close()
    assert session_fake.wait_for_abort(timeout=20), "the upstream request stayed open after the tab closed"
    assert session_fake.aborted[-1].path == CHAT


def test_compare_models_streams_two_answers_side_by_side(playground, session_fake):
    """The "Compare models" tab: add a second model in the picker, send one prompt, and both
    models' answers stand in their own columns with their measurements and the summary row."""
    page, watch = playground
    before = len(session_fake.requests_to(CHAT, "POST"))
    page.get_by_role("tab", name="Compare models").click()
    picker = page.locator(".st-key-pg_mcmp_models input")
    picker.click()  # opens the list; typing then filters it
    picker.fill("gpt-3.5-turbo")
    page.get_by_role("option", name="GPT-3.5 Turbo (openai/gpt-3.5-turbo)").click()
    page.keyboard.press("Escape")
    page.locator(".st-key-pg_mcmp_prompt textarea").fill("Two models, one question")
    reset_render_signal(page)
    page.locator(".st-key-pg_mcmp_send button").click()
    page.wait_for_function("() => document.querySelector('.st-key-pg_mcmp_col1') !== null")
    wait_rendered(page)
    columns = [page.locator(f".st-key-pg_mcmp_col{index}").inner_text() for index in (0, 1)]
    assert "GPT-4o-mini" in columns[0] and "GPT-3.5 Turbo" in columns[1]
    for column in columns:
        assert "Echo: Two models, one question" in column
        assert "TTFT" in column and "cost $" in column
    summary = page.locator(".st-key-pg_mcmp_summary").inner_text()
    assert "Fastest first token" in summary and "Cheapest" in summary and "Longest answer" in summary
    sent = session_fake.requests_to(CHAT, "POST")[before:]
    assert sorted(r.body["model"] for r in sent) == ["openai/gpt-3.5-turbo", "openai/gpt-4o-mini"]
    assert all(r.body["stream"] is True for r in sent)
    assert not page.locator('[data-testid="stException"]').count()
    assert not watch.console_errors and not watch.external_requests


def test_compare_models_streams_both_columns_at_once(browser_context, chat_server, session_fake):
    """Both answers grow together: while the first column is still streaming, the second one
    already shows text (the models are not asked one after the other)."""
    from tests.fake_chat import stream_reply

    if PLAYGROUND is None:
        pytest.skip("app.py registers no pages/playground.py")
    page = browser_context.new_page()
    page.goto(chat_server.url, wait_until="domcontentloaded")
    wait_rendered(page)
    page.goto(f"{chat_server.url}/{PLAYGROUND.url_path}?compare=openai/gpt-3.5-turbo", wait_until="domcontentloaded")
    wait_rendered(page)
    words = " ".join(f"w{i}" for i in range(40))
    session_fake.queue(CHAT, stream_reply(words, chunk_delay=0.12), stream_reply(words, chunk_delay=0.12),
                       method="POST")
    page.get_by_role("tab", name="Compare models").click()
    page.locator(".st-key-pg_mcmp_prompt textarea").fill("Stream both")
    reset_render_signal(page)
    page.locator(".st-key-pg_mcmp_send button").click()
    page.wait_for_function("""() => [0, 1].every(i => {
        const c = document.querySelector('.st-key-pg_mcmp_live' + i);
        return c && c.innerText.includes('w3'); })""")
    live = [page.locator(f".st-key-pg_mcmp_live{index}").inner_text() for index in (0, 1)]
    assert all("w39" not in text for text in live), "both columns should still be streaming"
    wait_rendered(page)
    assert all("w39" in page.locator(f".st-key-pg_mcmp_col{index}").inner_text() for index in (0, 1))
    page.close()
