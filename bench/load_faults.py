"""Load and faults together: many sessions while the loopback OpenRouter keeps changing its mind.

    python -m bench.load_faults                  # 50 sessions, 10 streaming, 13 in Chromium, 60 s
    python -m bench.load_faults --sessions 8 --streaming 3 --browser-sessions 5 --seconds 20

Which sessions are real browsers: the streaming sessions and ``--browser-sessions`` minus
``--streaming`` browsing ones (3 by default) run in headless Chromium, where console errors and
what a person sees are checked. Every other browsing session is a protocol client
(bench/protocol_session.py): a real Streamlit session over the same websocket the browser uses
(``/_stcore/stream``), asking for pages as the frontend does and reading every message the server
sends, but drawing nothing. Why: this machine has 2 cores; with 50 Chromium renderers and the
server on them, every visitor was on screen only after 228 s and a page render took 98 s (p50),
so the run measured the browsers, not the app. A protocol client costs the server what a browser
session costs it (a session, its script runs, its messages) and the load generator almost nothing.

One Streamlit server in Auto mode, with a host key shared for the playground, against the
loopback OpenRouter (tests/fakeserver.py). While the sessions run, the server cycles through
phases: every route answers normally, then everything answers 429 (``Retry-After: 2``), normally
again, then 503 (``Retry-After: 2``), and so on.

Visitors arrive over 20 seconds (not all in one instant); the hold starts once every one of them
has a page on screen, and the phases start with it.

* **Browsing sessions** open the registered pages in turn, each after a reader's pause (8 s). In
  Chromium a page is opened by its URL and its render time runs to the full render (the
  render-finished signal of tests/browser/harness.py); a protocol session moves through the
  pages in one session, as sidebar clicks do, and its render time runs from the request to the
  server's ``script_finished`` (nothing is drawn, so the two are reported apart). Exceptions are
  the exception elements on screen (Chromium) or sent in the run's deltas (protocol, which also
  counts a run that ended in a compile error and a page the server did not find).
* **Streaming sessions** send playground prompts one after another; an answer streams for about
  two seconds. A turn that fails (the 429/503 phases reach the chat route too) is retried with
  "Retry last turn" until it is answered.

At the end the server is put back to normal and every session must still answer: a browsing
session renders its page once more (Chromium reloads it; a protocol session asks its session to
run the page again), a streaming session gets one more answer. Then the
conversation on screen is checked against what was sent: every prompt once, in order, each with
its own answer (no lost message). Exceptions on screen, console errors, server tracebacks and the
server's memory (sampled every second) are reported, with the server's CPU over the hold as a
share of one core and the machine's load average: whether slow renders were the app at work or
the app waiting for a shared machine's cores.

Everything is driven from one asyncio loop (Playwright's async API and the ``websockets`` client
Streamlit itself depends on), so 50 sessions wait in parallel without 50 threads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    CHROMIUM_ARGS,
    RENDER_DONE_JS,
    STABLE_MS,
    VIEWPORT,
    PageWatch,
    StreamlitServer,
    app_env,
    chromium_executable,
    registered_pages,
)
from bench.protocol_session import ProtocolSession  # noqa: E402
from tests.fakeserver import FakeOpenRouter, Reply, error_body  # noqa: E402
from google.protobuf.message import DecodeError  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser suite skips without Playwright; this module is then never run
    PlaywrightTimeout = TimeoutError

KEY = "sk-or-v1-LOAD-NOT-A-REAL-KEY"
CHAT_PATH = "/api/v1/chat/completions"
PHASES = ("normal", "429", "normal", "503")
FILLER = " ".join(["lorem"] * 40)  # an echo of ~45 words: with the chunk delay, a ~2 s stream
CHUNK_DELAY_S = 0.04
READ_PAUSE_S = 8.0  # a reader's pause between two pages (the load of people, not of a loop)
ARRIVAL_S = 20.0  # visitors arrive over this many seconds
RETRY_CLICK_S = 15.0  # a Retry click that starts no run in this time is counted lost and made again
BROWSER_BROWSING = 3  # browsing sessions kept in Chromium by default, next to the streaming ones
CHAT_BOX = '[data-testid="stChatInputTextArea"]'
IDLE_JS = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"

# The outcome of ``prompt``'s turn as the page shows it: "answered", "failed" (an error box in the
# answer) or null (its answer is not the last message, or still streams).
TURN_STATE_JS = """(prompt) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const messages = Array.from(document.querySelectorAll('[data-testid=stChatMessage]'));
  const [question, last] = messages.slice(-2);
  if (!question || !last || !question.innerText.includes(prompt)) return null;
  if (last.innerText.includes('Echo: ' + prompt) && !last.innerText.includes('▌')) return 'answered';
  if (last.querySelector('[data-testid=stAlert]')) return 'failed';
  return null;
}"""
INPUT_READY_JS = ("() => { const t = document.querySelector('[data-testid=stChatInputTextArea]');"
                  " return t && !t.disabled; }")
SEND_READY_JS = ("() => { const b = document.querySelector('[data-testid=stChatInputSubmitButton]');"
                 " return b && !b.disabled; }")
TRANSCRIPT_JS = ("Array.from(document.querySelectorAll('[data-testid=stChatMessage]')).map(m => "
                 "[m.querySelector('[data-testid=stChatMessageAvatarUser]') ? 'user' : 'assistant', m.innerText])")


class PhasedServer:
    """The loopback OpenRouter with a phase switcher: normal, 429, normal, 503, … every
    ``phase_s`` seconds. Streams are slowed so that answers span phase changes."""

    def __init__(self, phase_s: float):
        self.fake = FakeOpenRouter().start()
        self.phase_s = phase_s
        chat = self.fake.routes[("POST", CHAT_PATH)]

        def slow_chat(request):
            reply = chat(request)
            if reply.sse is not None:
                reply.chunk_delay = CHUNK_DELAY_S
            return reply

        self.fake.set(CHAT_PATH, slow_chat, method="POST")
        self.normal = dict(self.fake.routes)
        self.phase = "normal"
        self.changes: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def set_phase(self, phase: str) -> None:
        with self.fake._lock:
            self.fake.routes.clear()
            self.fake.routes.update(self.normal)
        if phase != "normal":
            status = int(phase)
            self.fake.fail_everything(Reply(status=status, headers={"Retry-After": "2"},
                                            json=error_body(status, "rate limited" if status == 429 else "overloaded")))
        self.phase = phase
        self.changes.append((time.monotonic(), phase))

    def cycle(self) -> None:
        def run():
            index = 0
            while not self._stop.wait(self.phase_s):
                index += 1
                self.set_phase(PHASES[index % len(PHASES)])

        self._thread = threading.Thread(target=run, name="phase-switcher", daemon=True)
        self._thread.start()

    def settle(self) -> None:
        """Stop switching; every route answers normally from now on."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.set_phase("normal")

    def stop(self) -> None:
        self._stop.set()
        self.fake.stop()


class RunWatch:
    """The script runs a Chromium page has seen start and end, read off Streamlit's websocket
    (``new_session`` opens every run, a fragment's included; ``script_finished`` ends it).

    Why not the page's ``data-test-script-state`` attribute: a run that ends at once (a 429
    answered instantly) can go from running to finished within one React commit, and the
    attribute never shows it. An observer counting that attribute missed such runs, and the
    load test then waited for a run it had already seen end (a 180-s hang that looked like the
    app's). The protocol messages are one per run, whatever the frontend batches."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0  # runs ended for good (an st.rerun() chain's early ends are not)
        self._changed = asyncio.Event()

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except DecodeError:
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.started += 1
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1
        else:
            return
        self._changed.set()

    async def wait(self, done, timeout_s: float) -> bool:
        """Wait until ``done()`` (asked after each run starts or ends); False after ``timeout_s``."""
        try:
            async with asyncio.timeout(timeout_s):
                while not done():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True


@dataclass
class Session:
    name: str  # "stream-3", "browse-12" (Chromium) or "protocol-40"
    watch: PageWatch = field(default_factory=PageWatch)
    runs: RunWatch = field(default_factory=RunWatch)  # Chromium sessions
    renders: list[float] = field(default_factory=list)  # seconds per full render (browsing)
    exception_texts: list[str] = field(default_factory=list)  # what a protocol session was sent
    sent: list[str] = field(default_factory=list)  # prompts sent (streaming)
    answers: list[float] = field(default_factory=list)  # seconds from Enter to the final answer
    retries: int = 0
    trace: list[str] = field(default_factory=list)  # what a streaming session did and awaited, when
    lost_clicks: int = 0  # Retry clicks that started no run within RETRY_CLICK_S
    exceptions: int = 0
    final_s: float | None = None  # the responsiveness check after the run
    problem: str | None = None


async def _rendered(page, timeout_s: float) -> float:
    start = time.monotonic()
    await page.wait_for_function(RENDER_DONE_JS, arg=STABLE_MS, polling=100, timeout=timeout_s * 1000)
    return time.monotonic() - start - STABLE_MS / 1000


async def _exceptions(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


async def open_session(session: Session, page, url: str, first_path: str, delay: float, timeout_s: float) -> float:
    """A visitor arrives (``delay`` seconds after the first) through the app's root, then goes to
    their first page; returns how long the arrival took to render."""
    await asyncio.sleep(delay)
    started = time.monotonic()
    await page.goto(url, wait_until="commit")
    await _rendered(page, timeout_s)
    if first_path:
        await page.goto(f"{url}/{first_path}", wait_until="commit")
        await _rendered(page, timeout_s)
    return time.monotonic() - started


async def browse(pages: list, offset: int, until: float, read_pause_s: float, open_page) -> None:
    """Read, then open the next page (``await open_page(info)``), until the hold ends."""
    index = offset
    while True:
        await asyncio.sleep(read_pause_s)
        if time.monotonic() >= until:
            return
        await open_page(pages[index % len(pages)])
        index += 1


def browser_opener(session: Session, page, url: str, timeout_s: float):
    """Opening a page in Chromium by its URL (a new session each time), noting the full render."""
    async def open_page(info) -> None:
        await page.goto(f"{url}/{info.url_path}", wait_until="commit")
        session.renders.append(await _rendered(page, timeout_s))
        session.exceptions = max(session.exceptions, await _exceptions(page))
    return open_page


def protocol_opener(session: Session, client: ProtocolSession):
    """Going to a page in the protocol client's one session, as a sidebar click does."""
    async def open_page(info) -> None:
        _protocol_render(session, await client.open(info.url_path))
    return open_page


def _protocol_render(session: Session, render) -> None:
    session.renders.append(render.seconds)
    session.exceptions += len(render.exceptions)
    session.exception_texts += [f"/{render.page}: {text}"[:200] for text in render.exceptions]


async def open_protocol(session: Session, client: ProtocolSession, first_path: str, delay: float) -> float:
    """A protocol visitor arrives as a browser one does: the app's root, then their first page."""
    await asyncio.sleep(delay)
    started = time.monotonic()
    await client.connect()
    _protocol_render(session, await client.open(""))
    if first_path:
        _protocol_render(session, await client.open(first_path))
    session.renders.clear()  # arrivals are reported apart, as for the Chromium sessions
    return time.monotonic() - started


PAGE_STATE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const messages = Array.from(document.querySelectorAll('[data-testid=stChatMessage]'));
  const last = messages[messages.length - 1];
  const retry = Array.from(document.querySelectorAll('button')).find(b => b.innerText.includes('Retry last turn'));
  return {script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          messages: messages.length, last: last ? last.innerText.slice(0, 80) : null,
          alert: !!(last && last.querySelector('[data-testid=stAlert]')),
          retry: retry ? (retry.disabled ? 'disabled' : 'enabled') : 'absent'};
}"""


async def _wait(session: Session, page, what: str, js: str, arg=None, timeout_s: float = 60.0):
    """``page.wait_for_function``, noting in the session's trace what was awaited; on a timeout,
    the error says which wait it was and what the page looked like (the load run's evidence)."""
    session.trace.append(f"{time.time():.2f} wait {what}")
    try:
        return await page.wait_for_function(js, arg=arg, polling=100, timeout=timeout_s * 1000)
    except PlaywrightTimeout as exc:
        raise PlaywrightTimeout(f"waiting {timeout_s:g} s for {what}: page {await _page_state(session, page)}") from exc


async def _page_state(session: Session, page) -> dict:
    return {**await page.evaluate(PAGE_STATE_JS), "runs_started": session.runs.started,
            "runs_finished": session.runs.finished}


async def _outcome(session: Session, page, prompt: str, finished: int, timeout_s: float) -> str:
    """``prompt``'s turn once a run that began after ``finished`` runs had ended has ended too:
    "answered" or "failed" as the page shows it, after the page has drawn that run."""
    deadline = time.monotonic() + timeout_s
    while True:
        session.trace.append(f"{time.time():.2f} wait a run's end (after {finished})")
        if not await session.runs.wait(lambda: session.runs.finished > finished, deadline - time.monotonic()):
            raise PlaywrightTimeout(f"waiting {timeout_s:g} s for the answer or its failure: page "
                                    f"{await _page_state(session, page)}")
        finished = session.runs.finished
        await _wait(session, page, "the run's render", RENDER_DONE_JS, STABLE_MS, max(1.0, deadline - time.monotonic()))
        state = await page.evaluate(TURN_STATE_JS, prompt)
        if state:
            return state  # else that run was not the turn's (an earlier one ending late): wait on


async def _turn(session: Session, page, prompt: str, timeout_s: float) -> None:
    """Send ``prompt`` and wait for its answer, pressing Retry after each failure."""
    started = time.monotonic()
    await _wait(session, page, "the last render", RENDER_DONE_JS, STABLE_MS, timeout_s)  # as a person would
    await _wait(session, page, "the chat input", INPUT_READY_JS, None, timeout_s)
    await page.locator(CHAT_BOX).fill(prompt)
    await _wait(session, page, "the send button", SEND_READY_JS, None, timeout_s)
    finished = session.runs.finished
    await page.locator(CHAT_BOX).press("Enter")
    session.sent.append(prompt)
    session.trace.append(f"{time.time():.2f} sent {prompt[:12]!r}")
    while True:
        state = await _outcome(session, page, prompt, finished, timeout_s)
        session.trace.append(f"{time.time():.2f} {state}")
        if state == "answered":
            session.answers.append(time.monotonic() - started)
            return
        session.retries += 1
        # read the failure first, as a person would (a click while a run redraws the chat may be lost)
        await _wait(session, page, "the failure's render", RENDER_DONE_JS, STABLE_MS, timeout_s)
        while True:
            began, finished = session.runs.started, session.runs.finished
            await page.get_by_role("button", name="Retry last turn").click()
            session.trace.append(f"{time.time():.2f} retry clicked")
            if await session.runs.wait(lambda: session.runs.started > began, RETRY_CLICK_S):
                break
            session.lost_clicks += 1  # reported: the click started no run; the person clicks again


async def stream(session: Session, page, number: int, until: float, timeout_s: float) -> None:
    """Prompt after prompt on the playground until the hold ends."""
    turn = 0
    while time.monotonic() < until:
        await _turn(session, page, f"load s{number} m{turn} {FILLER}", timeout_s)
        turn += 1


def lost_messages(session: Session, transcript: list[list[str]]) -> list[str]:
    """What the screen lacks of what was sent: each prompt once, in order, each followed by its
    own answer. ``transcript`` is ``[role, text]`` per chat message, top to bottom."""
    users = [text for role, text in transcript if role == "user"]
    problems = []
    if len(users) != len(session.sent):
        problems.append(f"{len(session.sent)} prompts sent, {len(users)} user messages on screen")
    for index, (role, text) in enumerate(transcript):
        if role != "user":
            continue
        head = text[text.find("load s"):].split(" lorem")[0]  # past the avatar's icon name
        following = transcript[index + 1] if index + 1 < len(transcript) else None
        if following is None or following[0] != "assistant" or f"Echo: {head} lorem" not in following[1]:
            problems.append(f"answer to {head!r} missing")
    for prompt in session.sent:
        head = prompt.split(" lorem")[0]
        if not any(role == "user" and head + " lorem" in text for role, text in transcript):
            problems.append(f"prompt {head!r} missing")
    return problems


def arrival_slots(sessions: int, in_browser: int) -> list[int]:
    """Each session's place in the line of arrivals: the Chromium sessions (the first
    ``in_browser``) spread evenly among the protocol ones, so the costly browser arrivals are not
    bunched at the start."""
    browser = [j * sessions // in_browser for j in range(in_browser)]
    taken = set(browser)
    return browser + [slot for slot in range(sessions) if slot not in taken]


async def run(sessions: int, streaming: int, seconds: float, phase_s: float, timeout_s: float, *,
              browser_sessions: int | None = None, arrival_s: float = ARRIVAL_S,
              read_pause_s: float = READ_PAUSE_S) -> dict:
    """``browser_sessions`` run in Chromium (the ``streaming`` ones first), the rest over the
    protocol; by default the streaming sessions and BROWSER_BROWSING browsing ones."""
    from playwright.async_api import async_playwright

    in_browser = min(sessions, streaming + BROWSER_BROWSING) if browser_sessions is None else browser_sessions
    if not streaming <= in_browser <= sessions:
        raise ValueError(f"browser sessions ({in_browser}) must cover the {streaming} streaming ones and "
                         f"not exceed the {sessions} sessions")
    server = PhasedServer(phase_s)
    env = app_env(base_url=server.fake.base_url, offline=False, extra={
        "OPENROUTER_API_KEY": KEY, "ROUTERLENS_SHARED_KEY_PLAYGROUND": "1", "ROUTERLENS_PLAYGROUND_RPM": "100000",
        "ROUTERLENS_PLAYGROUND_GLOBAL_RPM": "100000", "ROUTERLENS_PLAYGROUND_DAILY_USD": "100000"})
    pages_info = registered_pages()
    playground = next(p for p in pages_info if p.path == "pages/playground.py")
    browsable = [p for p in pages_info if p is not playground]
    memory: list[tuple[float, float]] = []
    try:
        with StreamlitServer(env=env) as app:
            sampling = threading.Event()

            def sample():
                while not sampling.wait(1.0):
                    memory.append((time.monotonic(), app.rss_mb()))

            sampler = threading.Thread(target=sample, daemon=True)
            rss_start = app.rss_mb()
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=chromium_executable(), headless=True,
                                                           args=CHROMIUM_ARGS)
                # The process's first run (imports, the snapshot) is not part of the load: warm it
                # while OpenRouter is well, as a deployed app would be.
                warm = await browser.new_context(viewport=VIEWPORT)
                warm_page = await warm.new_page()
                await warm_page.goto(app.url, wait_until="commit")
                await _rendered(warm_page, timeout_s)
                await warm.close()
                # crowd[i] is (Session, Chromium page) for i < in_browser, else (Session, ProtocolSession).
                crowd: list[tuple[Session, object]] = []
                for index in range(sessions):
                    if index >= in_browser:
                        crowd.append((Session(f"protocol-{index}"), ProtocolSession(app.url, timeout_s=timeout_s)))
                        continue
                    context = await browser.new_context(viewport=VIEWPORT)
                    page = await context.new_page()
                    session = Session(f"{'stream' if index < streaming else 'browse'}-{index}")
                    session.watch.attach(page)
                    session.runs.attach(page)
                    crowd.append((session, page))
                sampler.start()
                # Visitors arrive over ARRIVAL_S seconds, not in one instant; the hold starts once
                # every one of them has their first page on screen.
                gap = arrival_s / max(1, sessions - 1)
                slots = arrival_slots(sessions, in_browser)

                def first_path(index: int) -> str:
                    return playground.url_path if index < streaming else browsable[index % len(browsable)].url_path

                opening = time.monotonic()
                arrivals = await asyncio.gather(*(
                    open_session(s, p, app.url, first_path(i), slots[i] * gap, timeout_s) if i < in_browser
                    else open_protocol(s, p, first_path(i), slots[i] * gap)
                    for i, (s, p) in enumerate(crowd)), return_exceptions=True)
                _note_problems(crowd, arrivals)
                all_open_s = time.monotonic() - opening
                began = time.monotonic()
                until = began + seconds
                cpu_began, load_began = app.cpu_s(), os.getloadavg()[0]
                server.cycle()
                tasks = [stream(s, p, i, until, timeout_s) if i < streaming
                         else browse(browsable, i + 1, until, read_pause_s, browser_opener(s, p, app.url, timeout_s)
                                     if i < in_browser else protocol_opener(s, p))
                         for i, (s, p) in enumerate(crowd)]
                _note_problems(crowd, await asyncio.gather(*tasks, return_exceptions=True))
                ran_s = time.monotonic() - began
                cpu_hold, load_end = app.cpu_s() - cpu_began, os.getloadavg()[0]
                server.settle()

                async def final(index: int, session: Session, page) -> None:
                    started = time.monotonic()
                    try:
                        if index < streaming:
                            await _turn(session, page, f"load s{index} final {FILLER}", timeout_s)
                        elif index < in_browser:
                            await page.reload(wait_until="commit")
                            await _rendered(page, timeout_s)
                        else:
                            render = await page.rerun()
                            session.exceptions += len(render.exceptions)
                            session.exception_texts += [f"final /{render.page}: {t}"[:200] for t in render.exceptions]
                        session.final_s = time.monotonic() - started
                        if index < in_browser:
                            session.exceptions = max(session.exceptions, await _exceptions(page))
                    except Exception as exc:  # noqa: BLE001 - reported, not raised
                        session.problem = session.problem or f"final check: {type(exc).__name__}: {exc}"[:200]

                await asyncio.gather(*(final(i, s, p) for i, (s, p) in enumerate(crowd)))
                lost, evidence = {}, {}
                for index, (session, page) in enumerate(crowd):
                    if index >= in_browser:
                        if session.problem or session.exceptions:
                            evidence[session.name] = {"page": page.page, "renders": len(page.renders),
                                                      "exceptions": session.exception_texts[:5]}
                        await page.close()
                        continue
                    transcript = await page.evaluate(TRANSCRIPT_JS) if index < streaming else []
                    problems = lost_messages(session, transcript) if index < streaming else []
                    if problems:
                        lost[session.name] = problems
                    if problems or session.problem or session.exceptions or session.watch.console_errors:
                        evidence[session.name] = await _evidence(session, page, transcript)
                rss_sessions_open = app.rss_mb()
                await browser.close()
            sampling.set()
            sampler.join()
            log = app.log_text()
            (ROOT / "artifacts" / "load_faults").mkdir(parents=True, exist_ok=True)
            (ROOT / "artifacts" / "load_faults" / "server.log").write_text(log)
            (ROOT / "artifacts" / "load_faults" / "evidence.json").write_text(json.dumps(
                {"evidence": evidence, "traces": {s.name: s.trace for s, _ in crowd if s.trace}}, indent=1))
            peak = app.peak_rss_mb()
    finally:
        server.stop()
    browsers = [s for s, _ in crowd[streaming:in_browser]]
    protocols = [s for s, _ in crowd[in_browser:]]
    streamers = [s for s, _ in crowd[:streaming]]
    renders = sorted(r for s in browsers for r in s.renders)
    protocol_renders = sorted(r for s in protocols for r in s.renders)
    answers = sorted(a for s in streamers for a in s.answers)
    rss = [m for _, m in memory]
    return {
        "sessions": sessions, "streaming": streaming, "browser_sessions": in_browser,
        "protocol_sessions": sessions - in_browser, "seconds": seconds, "ran_s": round(ran_s, 1),
        "arrival_s": arrival_s, "read_pause_s": read_pause_s, "all_open_s": round(all_open_s, 1),
        "slowest_arrival_s": _q(sorted(a for a in arrivals if isinstance(a, float)), 1.0),
        "phase_s": phase_s, "phases": [phase for _, phase in server.changes],
        "page_renders": len(renders), "render_p50_s": _q(renders, 0.5), "render_p95_s": _q(renders, 0.95),
        "render_max_s": _q(renders, 1.0),
        "protocol_page_renders": len(protocol_renders), "protocol_render_p50_s": _q(protocol_renders, 0.5),
        "protocol_render_p95_s": _q(protocol_renders, 0.95), "protocol_render_max_s": _q(protocol_renders, 1.0),
        "prompts_sent": sum(len(s.sent) for s in streamers), "answers": len(answers), "retries": sum(s.retries for s in streamers),
        "lost_retry_clicks": sum(s.lost_clicks for s in streamers),
        "answer_p50_s": _q(answers, 0.5), "answer_max_s": _q(answers, 1.0),
        "final_check_max_s": _round(max((s.final_s for s, _ in crowd if s.final_s is not None), default=None)),
        "protocol_final_check_max_s": _round(max((s.final_s for s in protocols if s.final_s is not None), default=None)),
        "unresponsive": [s.name for s, _ in crowd if s.final_s is None],
        "problems": {s.name: s.problem for s, _ in crowd if s.problem},
        "lost_messages": lost, "evidence": evidence,
        "exceptions": sum(s.exceptions for s, _ in crowd),
        "browser_exceptions": sum(s.exceptions for s, _ in crowd[:in_browser]),
        "protocol_exceptions": sum(s.exceptions for s in protocols),
        "protocol_exception_samples": sorted({t for s in protocols for t in s.exception_texts})[:5],
        "console_errors": sum(len(s.watch.console_errors) for s, _ in crowd),
        "console_error_samples": sorted({e[:160] for s, _ in crowd for e in s.watch.console_errors})[:5],
        "server_tracebacks": log.count("Traceback"),
        # The server's CPU over the hold, as a share of one core (its scripts share one
        # interpreter): near 1 the app was the bottleneck; well under 1 with slow renders, it was
        # waiting for the machine's cores (the load average says how busy they were).
        "server_cpu_hold_s": round(cpu_hold, 1), "server_core_share_hold": round(cpu_hold / ran_s, 2),
        "cores": os.cpu_count(), "loadavg_hold_start": round(load_began, 1), "loadavg_hold_end": round(load_end, 1),
        "rss_start_mb": round(rss_start), "rss_peak_mb": round(peak), "rss_end_sessions_open_mb": round(rss_sessions_open),
        "rss_first_quarter_max_mb": round(max(rss[: max(1, len(rss) // 4)], default=0)),
        "rss_last_quarter_max_mb": round(max(rss[-max(1, len(rss) // 4):], default=0)),
        "chat_requests": len(server.fake.requests_to(CHAT_PATH, "POST")),
    }


async def _evidence(session: Session, page, transcript: list) -> dict:
    """What a session that went wrong looked like: a screenshot under artifacts/, the chat as
    roles and opening words, the console errors."""
    shot = ROOT / "artifacts" / "load_faults" / f"{session.name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    try:
        await page.screenshot(path=str(shot), full_page=True)
    except Exception:  # noqa: BLE001 - evidence is best effort
        shot = None
    return {"screenshot": str(shot) if shot else None, "url": page.url,
            "chat": [f"{role}: {' '.join(text.split())[:90]}" for role, text in transcript],
            "console_errors": [e[:200] for e in session.watch.console_errors[:5]],
            "trace": session.trace[-12:]}


def _note_problems(crowd: list, outcomes: list) -> None:
    for (session, _), outcome in zip(crowd, outcomes):
        if isinstance(outcome, BaseException) and session.problem is None:
            session.problem = f"{type(outcome).__name__}: {str(outcome).splitlines()[0][:200]}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _q(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))], 2)


def verdict(result: dict) -> list[str]:
    """What went wrong, in words (empty when the run is clean)."""
    wrong = []
    for key in ("exceptions", "console_errors", "server_tracebacks"):
        if result[key]:
            wrong.append(f"{result[key]} {key.replace('_', ' ')}")
    if result["unresponsive"]:
        wrong.append(f"unresponsive at the end: {', '.join(result['unresponsive'])}")
    if result["problems"]:
        wrong.append(f"session problems: {result['problems']}")
    if result["lost_messages"]:
        wrong.append(f"lost messages: {result['lost_messages']}")
    return wrong


def markdown(result: dict) -> str:
    wrong = verdict(result)
    return (f"| load with faults: {result['sessions']} sessions ({result['streaming']} streaming playground answers; "
            f"{result['browser_sessions']} in headless Chromium, {result['protocol_sessions']} browsing as protocol "
            f"clients over Streamlit's websocket) arriving over {result['arrival_s']:g} s (all on screen after "
            f"{result['all_open_s']} s), held {result['seconds']:.0f} s while OpenRouter cycles normal → 429 → normal → "
            f"503 every {result['phase_s']:g} s, a {result['read_pause_s']:g}-second read between pages | "
            f"Chromium: {result['page_renders']} browsing page renders to the full render (p50 {result['render_p50_s']} "
            f"s, p95 {result['render_p95_s']} s, max {result['render_max_s']} s), {result['browser_exceptions']} "
            f"exceptions and {result['console_errors']} console errors in its {result['browser_sessions']} sessions; protocol: {result['protocol_page_renders']} page runs from "
            f"request to script_finished (p50 {result['protocol_render_p50_s']} s, p95 {result['protocol_render_p95_s']} s, "
            f"max {result['protocol_render_max_s']} s), {result['protocol_exceptions']} exceptions; "
            f"{result['prompts_sent']} prompts, {result['answers']} answered "
            f"after {result['retries']} retries ({result['lost_retry_clicks']} Retry clicks started no run and were made "
            f"again; p50 {result['answer_p50_s']} s); at the end {result['sessions'] - len(result['unresponsive'])} "
            f"of {result['sessions']} sessions answered again (the slowest in {result['final_check_max_s']} s); "
            f"{len(result['lost_messages'])} sessions with lost messages; {result['server_tracebacks']} "
            f"server tracebacks; the server busy {result['server_core_share_hold']:.0%} of one core during the hold "
            f"(1-minute load average {result['loadavg_hold_start']} → {result['loadavg_hold_end']} on "
            f"{result['cores']} cores); RSS {result['rss_start_mb']} → peak {result['rss_peak_mb']} MB (first quarter max "
            f"{result['rss_first_quarter_max_mb']}, last quarter max {result['rss_last_quarter_max_mb']} MB) | "
            f"no exception, no lost message, all responsive, bounded memory | {'; '.join(wrong) if wrong else 'ok'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--streaming", type=int, default=10)
    parser.add_argument("--browser-sessions", type=int, default=None,
                        help=f"sessions in Chromium, the streaming ones included (default: streaming + "
                             f"{BROWSER_BROWSING}); the other browsing sessions are protocol clients")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--phase", type=float, default=6.0, help="seconds per server phase")
    parser.add_argument("--timeout", type=float, default=180.0, help="longest wait for one render or answer")
    args = parser.parse_args()
    result = asyncio.run(run(args.sessions, args.streaming, args.seconds, args.phase, args.timeout,
                             browser_sessions=args.browser_sessions))
    print(json.dumps(result, indent=2))
    print(markdown(result))
    sys.exit(1 if verdict(result) else 0)


if __name__ == "__main__":
    main()
