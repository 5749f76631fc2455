"""RouterLens benchmark: every figure the quality issue asks for, as ratios from one run.

    python -m bench.run            # full run (about 3-5 minutes on 2 cores)
    python -m bench.run --quick    # fewer repetitions, a shorter load check
    python -m bench.run --markdown docs/quality-figures.md   # also write the tables as Markdown

Everything runs on 127.0.0.1: the app in offline mode, or in Auto mode against the loopback fake
OpenRouter (tests/fakeserver.py, with tests/fake_chat.py's chat route). Timings are taken inside
the browser with performance.now() and the render-finished signal of tests/browser/harness.py.

Targets (not asserted anywhere; the test suite has no timing assertion):
  page first full render <= 1.5x a bare st.write("hello") page; rerun after a widget interaction
  with data cached <= 100 ms; playground added time to first token <= 15 ms; a >= 500 chunks/s
  stream drawn without falling behind; cold refresh of every live route <= 1.3x the slowest route.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    VIEWPORT,
    PageWatch,
    StreamlitServer,
    app_env,
    launch_chromium,
    registered_pages,
    wait_rendered,
)
from tests.fakeserver import FakeOpenRouter, Reply  # noqa: E402

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
BARE_TUNED_APP = Path(__file__).resolve().parent / "bare_tuned_app.py"
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
BARE_SELECT_APP = Path(__file__).resolve().parent / "bare_select_app.py"
BARE_CHAT_APP = Path(__file__).resolve().parent / "bare_chat_app.py"
TARGETS = {"page": 1.5, "page_floor": 1.15, "rerun_ms": 100.0, "ttft_added_ms": 15.0, "refresh": 1.3,
           "chunks_per_s": 500.0}
KEY = "sk-or-v1-BENCH-NOT-A-REAL-KEY"

# In-page timer: resolves when ``condition`` (a JS expression) first holds, checked every
# animation frame (~16 ms), and returns performance.now() at that moment.
WHEN_JS = """(condition) => new Promise(resolve => {
  const check = () => { if (eval(condition)) resolve(performance.now()); else requestAnimationFrame(check); };
  check();
})"""
IDLE = "document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    import streamlit

    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "os": platform.platform(), "python": platform.python_version(), "streamlit": streamlit.__version__,
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]}


# -- 1. first full render of each page vs the bare page -----------------------------------------


def load_once(browser, url: str) -> float:
    """One load in a fresh context (no HTTP cache); ms from navigation start to finished render."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        return wait_rendered(page)
    finally:
        context.close()


def bench_pages(browser, loads: int) -> dict:
    out: dict = {"loads_per_page": loads, "pages": {}}
    with StreamlitServer(script=BARE_APP, env=app_env()) as bare:
        load_once(browser, bare.url)  # warm the server's first run
        out["bare_ms"] = median([load_once(browser, bare.url) for _ in range(loads)])
    # The app turns Nagle's algorithm off on Streamlit's sockets (routerlens/tcp.py), which the
    # stock bare page cannot; the same page with that fix is the stricter baseline.
    with StreamlitServer(script=BARE_TUNED_APP, env=app_env()) as bare:
        load_once(browser, bare.url)
        out["bare_tuned_ms"] = median([load_once(browser, bare.url) for _ in range(loads)])
    # The fair floor: the same tuning plus one small chart, a two-row dataframe and a code block.
    with StreamlitServer(script=FLOOR_APP, env=app_env()) as floor:
        load_once(browser, floor.url)
        out["floor_ms"] = median([load_once(browser, floor.url) for _ in range(loads)])
    with StreamlitServer(env=app_env()) as app:
        out["cold_first_load_ms"] = load_once(browser, app.url)  # imports pandas, altair, the snapshot…
        for info in registered_pages():
            url = f"{app.url}/{info.url_path}"
            load_once(browser, url)  # warm: the page's first run imports its modules
            ms = median([load_once(browser, url) for _ in range(loads)])
            out["pages"][info.name] = {"ms": ms, "ratio": ms / out["bare_ms"], "ratio_tuned": ms / out["bare_tuned_ms"],
                                       "ratio_floor": ms / out["floor_ms"]}
    return out


# -- 1b. the Performance page drawn from a year of recorded points vs 30 days ------------------------


def _recording(path: Path, days: int, providers: int = 5) -> str:
    """A recording of gpt-4o-mini: ``days`` daily points per provider for every metric at p50, and
    daily uptime (the Performance page's default percentile)."""
    import datetime as dt

    from routerlens.history.store import HistoryStore, Point
    from routerlens.metrics import METRICS

    url = f"sqlite:///{path}"
    store = HistoryStore(url)
    store.upgrade()
    end = dt.datetime(2026, 11, 29)
    rows = [Point("openai/gpt-4o-mini", "standard", f"endpoint-{p}", metric, "p50", end - dt.timedelta(days=d),
                  50.0 + p * 10 + d % 7, 500, f"Provider {p}")
            for metric in METRICS for p in range(providers) for d in range(days)]
    store.write_points(rows, source_route="bench", fetched_at=end)
    store.dispose()
    return url


def bench_history_page(browser, loads: int) -> dict:
    """The Performance page with one year of daily points for 5 providers against the same page
    with 30 days (same run, same server settings, offline)."""
    import tempfile

    out: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        for days in (30, 365):
            url = _recording(Path(folder) / f"history-{days}.sqlite", days)
            with StreamlitServer(env=app_env(extra={"ROUTERLENS_HISTORY_URL": url})) as app:
                page_url = f"{app.url}/performance"
                load_once(browser, page_url)
                out[f"days_{days}_ms"] = median([load_once(browser, page_url) for _ in range(loads)])
    out["ratio"] = out["days_365_ms"] / out["days_30_ms"]
    return out


# -- 2. server memory with 1 and 10 sessions -----------------------------------------------------


def open_sessions(browser, url: str, count: int) -> list:
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(count)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.goto(url, wait_until="commit")
    for page in pages:
        wait_rendered(page, timeout_ms=180_000)
    return contexts


def bench_memory(browser) -> dict:
    with StreamlitServer(env=app_env()) as app:
        idle = app.rss_mb()
        first = open_sessions(browser, app.url, 1)
        one = app.peak_rss_mb()
        more = open_sessions(browser, app.url, 9)
        ten = app.peak_rss_mb()
        for context in first + more:
            context.close()
    return {"idle_rss_mb": idle, "peak_rss_1_session_mb": one, "peak_rss_10_sessions_mb": ten,
            "per_extra_session_mb": (ten - one) / 9}


# -- 3. rerun after a widget interaction, data cached ---------------------------------------------


def _switch_times(browser, server: StreamlitServer, rounds: int) -> list[float]:
    """Switch the sidebar's model selectbox between two models the cache already holds; ms from
    the keypress to the script idle again with the new model's title on screen."""
    models = [("openai/gpt-3.5-turbo", "GPT-3.5 Turbo"), ("openai/gpt-4o-mini", "GPT-4o-mini")]
    times = []
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(server.url, wait_until="domcontentloaded")
    wait_rendered(page)
    select = page.locator('[data-testid=stSidebar] [data-testid=stSelectbox]').filter(has_text="Model")
    for index in range(rounds + 2):  # the first two rounds fill the caches
        model_id, title = models[index % 2]
        select.locator("input").click()
        select.locator("input").fill(model_id)
        page.wait_for_selector('[role="option"]')
        t0 = page.evaluate("performance.now()")
        page.keyboard.press("Enter")
        heading = "(document.querySelector('[data-testid=stMain] h1') || {}).innerText"
        condition = f"{IDLE} && {heading} === {json.dumps(title)}"
        done = page.evaluate(WHEN_JS, condition)
        wait_rendered(page)
        if index >= 2:
            times.append(done - t0)
    context.close()
    return times


def bench_rerun(browser, rounds: int) -> dict:
    """The overview's rerun after a model switch, and the same interaction on a bare Streamlit app
    (a 549-option sidebar selectbox and a title: Streamlit's own floor for this rerun)."""
    with StreamlitServer(script=BARE_SELECT_APP, env=app_env()) as bare:
        bare_times = _switch_times(browser, bare, rounds)
    with StreamlitServer(env=app_env()) as app:
        times = _switch_times(browser, app, rounds)
    return {"rounds": rounds, "median_ms": median(times), "max_ms": max(times), "all_ms": [round(t) for t in times],
            "bare_median_ms": median(bare_times), "ratio": median(times) / median(bare_times)}


# -- 4. playground: added time to first token, fast streams ---------------------------------------


def direct_ttft(http: httpx.Client, fake: FakeOpenRouter, prompt: str) -> tuple[float, float, int]:
    """Call the loopback chat route with httpx alone (an already open client, as the engine's
    is): (TTFT ms, ms from first to last content chunk, content chunks)."""
    body = {"model": "openai/gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": prompt}]}
    headers = {"Authorization": f"Bearer {KEY}"}
    start = time.perf_counter()
    first = last = None
    chunks = 0
    with http.stream("POST", f"{fake.base_url}/chat/completions", json=body, headers=headers) as response:
        for line in response.iter_lines():
            if line.startswith("data: {") and '"content": "' in line and '"content": ""' not in line:
                chunks += 1
                last = time.perf_counter()
                first = first or last
    return (first - start) * 1000, (last - first) * 1000, chunks


def engine_ttft(client, prompt: str) -> float:
    """The playground's streaming engine (routerlens.chat.ChatStream): its own TTFT in ms."""
    from routerlens.chat import ChatStream
    from routerlens.routing import RequestSpec

    stream = ChatStream(client, RequestSpec("openai/gpt-4o-mini"), [{"role": "user", "content": prompt}],
                        lookup_generation=False)
    for _ in stream:
        pass
    return stream.result.ttft_s * 1000


def slow_first_token(fake: FakeOpenRouter, seconds: float, chunk_delay: float = 0.0) -> None:
    """Make the chat route wait ``seconds`` before the first token (and between chunks)."""
    original = fake.routes[("POST", "/api/v1/chat/completions")]

    def handler(request):
        reply = original(request)
        if reply.sse is not None:
            reply.stall, reply.chunk_delay = seconds, chunk_delay
        return reply

    fake.set("/api/v1/chat/completions", handler, method="POST")


def browser_send(page, prompt: str, expect_tail: str) -> tuple[float, float]:
    """Send from the playground; return (ms to first answer token on screen, ms to full answer)."""
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.fill(prompt)
    first_js = ("Array.from(document.querySelectorAll('[data-testid=stChatMessage]')).some("
                "m => m.innerText.includes('Echo:'))")
    last_js = ("Array.from(document.querySelectorAll('[data-testid=stChatMessage]')).some("
               f"m => m.innerText.includes('Echo:') && m.innerText.includes({json.dumps(expect_tail)}) "
               "&& !m.innerText.includes('▌'))")
    page.evaluate("""([a, b]) => { window.__rlFirst = null; window.__rlLast = null;
      const tick = () => { const now = performance.now();
        if (window.__rlFirst === null && eval(a)) window.__rlFirst = now;
        if (window.__rlLast === null && eval(b)) { window.__rlLast = now; return; }
        requestAnimationFrame(tick); }; requestAnimationFrame(tick); }""", [first_js, last_js])
    t0 = page.evaluate("performance.now()")
    box.press("Enter")
    page.wait_for_function("() => window.__rlLast !== null", timeout=120_000)
    first, last = page.evaluate("[window.__rlFirst, window.__rlLast]")
    wait_rendered(page)
    return first - t0, last - t0


def bench_playground(browser, rounds: int) -> dict:
    out: dict = {}
    fake = FakeOpenRouter().start()
    try:
        # (a) the streaming engine against httpx alone, first token after a 50 ms server think time.
        slow_first_token(fake, 0.05)
        http = httpx.Client(timeout=60)
        direct_ttft(http, fake, "warm up")
        direct = [direct_ttft(http, fake, "hello there")[0] for _ in range(rounds)]
        from routerlens.client import OpenRouterClient
        from routerlens.config import ApiKey, Settings

        client = OpenRouterClient(Settings(base_url=fake.base_url, api_key=ApiKey(KEY)))
        engine_ttft(client, "warm up")
        engine = [engine_ttft(client, "hello there") for _ in range(rounds)]
        client.close()
        out["direct_httpx_ttft_ms"] = median(direct)
        out["engine_ttft_ms"] = median(engine)
        out["engine_added_ttft_ms"] = median(engine) - median(direct)

        env = app_env(base_url=fake.base_url, offline=False,
                      extra={"OPENROUTER_API_KEY": KEY, "ROUTERLENS_SHARED_KEY_PLAYGROUND": "1",
                             "ROUTERLENS_PLAYGROUND_RPM": "1000"})
        with StreamlitServer(env=env) as app:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(app.url, wait_until="domcontentloaded")
            wait_rendered(page)
            page.goto(f"{app.url}/playground", wait_until="domcontentloaded")
            wait_rendered(page)
            # (b) in the browser: keypress → first token on screen, minus the direct TTFT.
            screen = []
            for index in range(rounds):
                page.reload(wait_until="domcontentloaded")  # a fresh conversation each round
                wait_rendered(page)
                screen.append(browser_send(page, f"hi {index}", f"hi {index}")[0])
            out["browser_first_token_ms"] = median(screen)
            out["browser_added_ttft_ms"] = median(screen) - median(direct)
            # (c) a fast stream: 2000 chunks, 1 ms apart; median of three (one draw is noisy).
            words = " ".join(f"w{i}" for i in range(2000))
            slow_first_token(fake, 0.0, chunk_delay=0.001)
            _, stream_ms, chunks = direct_ttft(http, fake, words)
            out["fast_stream_chunks"] = chunks
            out["fast_stream_chunks_per_s"] = chunks / (stream_ms / 1000)
            drawn = []
            for _ in range(3):
                page.reload(wait_until="domcontentloaded")
                wait_rendered(page)
                first, last = browser_send(page, words, "w1999")
                drawn.append(last - first)
            out["fast_stream_drawn_ms"] = median(drawn)
            out["fast_stream_server_ms"] = stream_ms
            out["fast_stream_lag_ms"] = median(drawn) - stream_ms
            context.close()
        # (d) Streamlit's own floor for (b): a bare chat page streaming with httpx alone, same steps.
        slow_first_token(fake, 0.05)
        with StreamlitServer(script=BARE_CHAT_APP, env=env) as bare:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            floor = []
            for index in range(rounds + 1):
                page.goto(bare.url, wait_until="domcontentloaded")  # a fresh conversation each round
                wait_rendered(page)
                first = browser_send(page, f"hi {index}", f"hi {index}")[0]
                if index:  # the first round warms the server's imports
                    floor.append(first)
            context.close()
        out["bare_browser_first_token_ms"] = median(floor)
        out["browser_over_bare_ms"] = median(screen) - median(floor)
        http.close()
    finally:
        fake.stop()
    return out


# -- 5. cold refresh of every live route ----------------------------------------------------------


def refresh_routes() -> list:
    """Every live route a cold refresh covers (routerlens.routes.plan, with a key)."""
    from routerlens import DEFAULT_MODEL
    from routerlens.config import ApiKey, Settings
    from routerlens.service import DataService

    settings = Settings(base_url="http://127.0.0.1:9/api/v1", api_key=ApiKey(KEY))
    return DataService(settings).live_routes(DEFAULT_MODEL)


def route_delays() -> dict[str, float]:
    """100-240 ms per route, on the path each route tries first."""
    return {(r.path if r.site else f"/api/v1{r.path}"): 0.10 + 0.02 * (i % 8) for i, r in enumerate(refresh_routes())}


def serve_delayed(port: int) -> None:
    """The loopback server with a delay on every live route, in its own process (as a real
    server would be: its JSON encoding does not compete with the client for the GIL)."""
    fake = FakeOpenRouter(port=port)
    delays = route_delays()
    # A route the loopback server serves only at its older path answers at the first path too.
    older = {(r.path if r.site else f"/api/v1{r.path}"): r.alternates for r in refresh_routes()}
    originals = {path: fake.routes.get(("GET", path))
                 or next((fake.routes[("GET", alt)] for alt in older.get(path, ()) if ("GET", alt) in fake.routes), None)
                 or Reply(json={"data": []}) for path in delays}

    def delayed(request):
        original = originals[request.path]
        reply = original(request) if callable(original) else original
        fake.wait(delays[request.path])
        return reply

    for path in delays:
        fake.set(path, delayed)
    fake.start()
    print(f"ready {fake.base_url}", flush=True)
    threading.Event().wait()


@contextlib.contextmanager
def delayed_server():
    """The delayed loopback server in its own process; yields (base URL, the slowest route, delays)."""
    import subprocess

    from tests.browser.harness import free_port

    delays = route_delays()
    slowest = max(delays.values())
    slowest_route = next(r for r in refresh_routes() if delays[r.path if r.site else f"/api/v1{r.path}"] == slowest)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.run", "--serve-delayed", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()  # "ready …" once it listens
        yield f"http://127.0.0.1:{port}/api/v1", slowest_route, delays
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_refresh(rounds: int) -> dict:
    from routerlens import DEFAULT_MODEL
    from routerlens.config import ApiKey, DataMode, Settings
    from routerlens.service import DataService

    routes = refresh_routes()
    with delayed_server() as (base_url, slowest_route, delays):
        settings = Settings(base_url=base_url, mode=DataMode.AUTO, api_key=ApiKey(KEY))
        singles, colds = [], []
        for _ in range(rounds):
            service = DataService(settings)
            start = time.perf_counter()
            service.live_get(slowest_route)
            singles.append(time.perf_counter() - start)
            service = DataService(settings)
            start = time.perf_counter()
            results = service.refresh_all(DEFAULT_MODEL)
            colds.append(time.perf_counter() - start)
        failed = sorted(str(r.path) for r, v in results.items() if not hasattr(v, "data"))
    return {"routes": len(routes), "injected_delay_ms": [round(min(delays.values()) * 1000),
                                                         round(max(delays.values()) * 1000)],
            "slowest_single_ms": median(singles) * 1000, "cold_refresh_ms": median(colds) * 1000,
            "ratio": median(colds) / median(singles), "routes_answered_with_error": failed}


# -- 5b. a recorder pass against the same delayed server ----------------------------------------------


def bench_recorder(rounds: int) -> dict:
    """A steady-state recorder pass (every route of gpt-4o-mini, into a fresh SQLite file) against
    the slowest single route, on the delayed server; and the recording's size per month."""
    import tempfile

    from routerlens.config import ApiKey, DataMode, Settings
    from routerlens.history.recorder import Recorder
    from routerlens.history.store import HistoryStore
    from routerlens.service import DataService

    from bench.history_size import measure

    with delayed_server() as (base_url, slowest_route, _delays):
        settings = Settings(base_url=base_url, mode=DataMode.LIVE, api_key=ApiKey(KEY))
        singles, passes, failures = [], [], []
        with tempfile.TemporaryDirectory() as folder:
            store = HistoryStore(f"sqlite:///{folder}/history.sqlite")
            store.upgrade()
            recorder = Recorder(DataService(settings), store)
            recorder.run_pass(["openai/gpt-4o-mini"])  # the first pass learns the endpoint ids
            for _ in range(rounds):
                service = DataService(settings)
                start = time.perf_counter()
                service.live_get(slowest_route)
                singles.append(time.perf_counter() - start)
                start = time.perf_counter()
                result = recorder.run_pass(["openai/gpt-4o-mini"])
                passes.append(time.perf_counter() - start)
                failures = result.failures
            store.dispose()
    size = measure(144)
    return {"routes": result.routes, "slowest_single_ms": median(singles) * 1000, "pass_ms": median(passes) * 1000,
            "ratio": median(passes) / median(singles), "failures": failures, "size": size}


# -- 6. load: 20 sessions on the dashboard, offline -------------------------------------------------


def bench_load(browser, sessions: int, seconds: float) -> dict:
    with StreamlitServer(env=app_env()) as app:
        start_rss = app.rss_mb()
        contexts, watches, pages = [], [], []
        for _ in range(sessions):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            watches.append(PageWatch().attach(page))
            contexts.append(context)
            pages.append(page)
        began = time.perf_counter()
        for page in pages:
            page.goto(app.url, wait_until="commit")
        for page in pages:
            wait_rendered(page, timeout_ms=300_000)
        all_open_s = time.perf_counter() - began
        samples = [app.rss_mb()]
        reruns = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for page in pages:  # every session reloads at once: a new session replaces the old one
                page.reload(wait_until="commit")
            for page in pages:
                wait_rendered(page, timeout_ms=300_000)
            reruns += len(pages)
            samples.append(app.rss_mb())
        exceptions = sum(page.locator('[data-testid="stException"]').count() for page in pages)
        disconnected = sum(page.evaluate(
            "document.querySelector('[data-testid=stApp]').getAttribute('data-test-connection-state')") != "CONNECTED"
            for page in pages)
        peak = app.peak_rss_mb()
        for context in contexts:
            context.close()
        log = app.log_text()
    return {"sessions": sessions, "seconds": seconds, "all_rendered_s": all_open_s, "reloads": reruns,
            "exceptions": exceptions, "console_errors": sum(len(w.console_errors) for w in watches),
            "disconnected": disconnected, "server_tracebacks": log.count("Traceback"),
            "rss_start_mb": start_rss, "rss_end_mb": samples[-1], "peak_rss_mb": peak,
            "rss_growth_during_run_mb": samples[-1] - samples[1] if len(samples) > 1 else 0.0}


# -- 6b. load and faults together: bench/load_faults.py -----------------------------------------------


def bench_load_faults(sessions: int, streaming: int, seconds: float) -> dict:
    """Its own browser and event loop (Playwright's async API drives the sessions in parallel), in
    a thread of its own: the sync API's loop in this one must not host a second."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.load_faults import run

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run(sessions, streaming, seconds, phase_s=6.0, timeout_s=180.0)).result()


# -- 7. page deadlines: every page under a struggling OpenRouter, Auto and Live -----------------------

DEADLINE_BUDGET_S = 5.0
DEADLINE_SCENARIOS = {
    "503 Retry-After 4": lambda: Reply(status=503, json={"error": {"code": 503, "message": "overloaded"}},
                                       headers={"Retry-After": "4"}),
    "429 Retry-After 4": lambda: Reply(status=429, json={"error": {"code": 429, "message": "rate limited"}},
                                       headers={"Retry-After": "4"}),
    "answers held 30 s": lambda: Reply(delay=30.0, json={"data": []}),
}


def bench_deadlines(browser) -> dict:
    """Each page opened fresh while every route fails one way, with a 5-second page budget: the
    slowest full render per scenario and mode, against the budget + 2 s the issue allows."""
    out: dict = {"budget_s": DEADLINE_BUDGET_S, "scenarios": {}}
    for scenario, reply in DEADLINE_SCENARIOS.items():
        for mode in ("auto", "live"):
            fake = FakeOpenRouter().start()
            try:
                env = app_env(base_url=fake.base_url, offline=False,
                              extra={"ROUTERLENS_DATA_MODE": mode, "ROUTERLENS_PAGE_BUDGET": str(DEADLINE_BUDGET_S),
                                     "ROUTERLENS_TIMEOUT": "15"})
                with StreamlitServer(env=env) as app:
                    # The process's first run (imports, the snapshot) is not a deadline: warm it on
                    # another model while OpenRouter is well, then it starts struggling. The first
                    # page measured bears the whole wait; later ones may find the failures cached.
                    load_once(browser, f"{app.url}/?model=openai/gpt-3.5-turbo")
                    fake.fail_everything(reply())
                    times = {}
                    for info in registered_pages():
                        times[info.name] = load_once(browser, f"{app.url}/{info.url_path}") / 1000
                    out["scenarios"][f"{scenario} · {mode}"] = {"slowest_s": max(times.values()),
                                                               "slowest_page": max(times, key=times.get),
                                                               "pages": times}
            finally:
                fake.stop()
    return out


# -- report -----------------------------------------------------------------------------------------


def verdict(value: float, target: float, *, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return "meets target" if ok else "MISSES target"


def markdown(results: dict) -> str:
    m, p = results["machine"], results["pages"]
    lines = [
        f"Measured {results['when']} on {m['cpu']} ({m['cores']} cores, {m['ram_gb']} GB RAM), {m['os']}, "
        f"Python {m['python']}, Streamlit {m['streamlit']}, Chromium {results['chromium']}; "
        f"load average at start {m['load_avg_at_start']}.",
        "",
        f"**Page render** (median of {p['loads_per_page']} loads, fresh browser profile each; bare "
        f"`st.write(\"hello\")` page: {p['bare_ms']:.0f} ms; the same bare page with the app's socket fix "
        f"(Nagle off, `routerlens/tcp.py`): {p['bare_tuned_ms']:.0f} ms; app's cold first load after a restart: "
        f"{p['cold_first_load_ms']:.0f} ms; target ≤ {TARGETS['page']}× bare; the fair floor, a page tuned the "
        f"same way holding one small chart, a two-row dataframe and a code block (`bench/floor_app.py`): "
        f"{p['floor_ms']:.0f} ms, target ≤ {TARGETS['page_floor']}× it)",
        "",
        "| page | first full render | × bare | verdict | × bare with the same fix | × fair floor | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in p["pages"].items():
        lines.append(f"| {name} | {row['ms']:.0f} ms | {row['ratio']:.2f}× | {verdict(row['ratio'], TARGETS['page'])} "
                     f"| {row['ratio_tuned']:.2f}× | {row['ratio_floor']:.2f}× "
                     f"| {verdict(row['ratio_floor'], TARGETS['page_floor'])} |")
    mem, rr, pg, rf, ld = (results[k] for k in ("memory", "rerun", "playground", "refresh", "load"))
    rc, hp = results["recorder"], results["history_page"]
    lines += [
        "",
        "| figure | value | target | verdict |",
        "|---|---|---|---|",
        f"| server peak RSS, 1 session | {mem['peak_rss_1_session_mb']:.0f} MB (idle {mem['idle_rss_mb']:.0f} MB) | — | — |",
        f"| server peak RSS, 10 sessions | {mem['peak_rss_10_sessions_mb']:.0f} MB "
        f"(+{mem['per_extra_session_mb']:.1f} MB per extra session) | — | — |",
        f"| rerun after a widget interaction (model switch, data cached), median of {rr['rounds']} | "
        f"{rr['median_ms']:.0f} ms (max {rr['max_ms']:.0f}); bare Streamlit, same interaction: "
        f"{rr['bare_median_ms']:.0f} ms = {rr['ratio']:.2f}× | ≤ {TARGETS['rerun_ms']:.0f} ms | "
        f"{verdict(rr['median_ms'], TARGETS['rerun_ms'])} |",
        f"| added TTFT, streaming engine (routerlens.chat) vs httpx alone ({pg['direct_httpx_ttft_ms']:.1f} ms) | "
        f"{pg['engine_added_ttft_ms']:.1f} ms | ≤ {TARGETS['ttft_added_ms']:.0f} ms | "
        f"{verdict(pg['engine_added_ttft_ms'], TARGETS['ttft_added_ms'])} |",
        f"| added TTFT in the browser (Enter → first token on screen, {pg['browser_first_token_ms']:.0f} ms); "
        f"a bare Streamlit chat page streaming with httpx, same steps: {pg['bare_browser_first_token_ms']:.0f} ms "
        f"(the app {pg['browser_over_bare_ms']:+.0f} ms against it) | "
        f"{pg['browser_added_ttft_ms']:.0f} ms | ≤ {TARGETS['ttft_added_ms']:.0f} ms | "
        f"{verdict(pg['browser_added_ttft_ms'], TARGETS['ttft_added_ms'])} |",
        f"| fast stream (median of 3): {pg['fast_stream_chunks']} chunks at {pg['fast_stream_chunks_per_s']:.0f} chunks/s; "
        f"drawn in {pg['fast_stream_drawn_ms']:.0f} ms vs {pg['fast_stream_server_ms']:.0f} ms sent | "
        f"lag {pg['fast_stream_lag_ms']:.0f} ms | ≥ {TARGETS['chunks_per_s']:.0f} chunks/s, no lag | "
        f"{'keeps up' if pg['fast_stream_lag_ms'] < 250 and pg['fast_stream_chunks_per_s'] >= 500 else 'FALLS BEHIND'} |",
        f"| cold refresh of all {rf['routes']} live routes (delays {rf['injected_delay_ms'][0]}–"
        f"{rf['injected_delay_ms'][1]} ms each) | {rf['cold_refresh_ms']:.0f} ms vs slowest route "
        f"{rf['slowest_single_ms']:.0f} ms = {rf['ratio']:.2f}× | ≤ {TARGETS['refresh']}× | "
        f"{verdict(rf['ratio'], TARGETS['refresh'])} |",
        f"| recorder pass, steady state ({rc['routes']} routes of gpt-4o-mini into SQLite, same delays) | "
        f"{rc['pass_ms']:.0f} ms vs slowest route {rc['slowest_single_ms']:.0f} ms = {rc['ratio']:.2f}× | "
        f"≤ {TARGETS['refresh']}× | {verdict(rc['ratio'], TARGETS['refresh'])} |",
        f"| Performance page, a year of recorded daily points for 5 providers vs 30 days | "
        f"{hp['days_365_ms']:.0f} ms vs {hp['days_30_ms']:.0f} ms = {hp['ratio']:.2f}× | ≤ 1.1× | "
        f"{verdict(hp['ratio'], 1.1)} |",
        f"| recording size, a pass every 10 minutes (one model, with a key) | {rc['size']['rows_per_pass']:.0f} rows, "
        f"{rc['size']['growth_per_pass_bytes'] / 1000:.1f} kB per pass ≈ {rc['size']['month_mb']:.0f} MB per month | "
        "— | — |",
        f"| load: {ld['sessions']} sessions on the overview, offline (all rendered in {ld['all_rendered_s']:.0f} s), "
        f"then {ld['seconds']:.0f} s of all of them reloading at once | {ld['reloads']} reloads; "
        f"{ld['exceptions']} exceptions, {ld['console_errors']} console errors, "
        f"{ld['disconnected']} disconnected, {ld['server_tracebacks']} server tracebacks; RSS {ld['rss_start_mb']:.0f} → "
        f"peak {ld['peak_rss_mb']:.0f} MB, growth during the reload phase {ld['rss_growth_during_run_mb']:+.0f} MB | "
        "no errors, bounded memory | "
        f"{'ERRORS' if any(ld[k] for k in ('exceptions', 'console_errors', 'disconnected', 'server_tracebacks')) else 'ok'} |",
    ]
    if results.get("load_faults"):
        from bench.load_faults import markdown as load_faults_row

        lines.append(load_faults_row(results["load_faults"]))
    dl = results.get("deadlines")
    if dl:
        limit = dl["budget_s"] + 2
        lines += ["", f"**Page deadlines** (every page opened fresh while every route fails one way; page budget "
                      f"{dl['budget_s']:g} s, so each page must be fully rendered within {limit:g} s)", "",
                  "| scenario · mode | slowest page | its full render | verdict |", "|---|---|---|---|"]
        for name, row in dl["scenarios"].items():
            lines.append(f"| {name} | {row['slowest_page']} | {row['slowest_s']:.1f} s | "
                         f"{verdict(row['slowest_s'], limit)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--markdown", type=Path, help="also write the figures as Markdown here")
    parser.add_argument("--json", type=Path, default=ROOT / "artifacts" / "bench.json")
    parser.add_argument("--serve-delayed", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_delayed:
        serve_delayed(args.serve_delayed)
        return
    loads, rounds, load_s = (2, 3, 10.0) if args.quick else (5, 8, 30.0)

    from playwright.sync_api import sync_playwright

    results: dict = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        results["chromium"] = browser.version
        steps = [("pages", lambda: bench_pages(browser, loads)),
                 ("history_page", lambda: bench_history_page(browser, loads)), ("memory", lambda: bench_memory(browser)),
                 ("rerun", lambda: bench_rerun(browser, rounds)), ("playground", lambda: bench_playground(browser, rounds)),
                 ("refresh", lambda: bench_refresh(rounds)), ("recorder", lambda: bench_recorder(rounds)),
                 ("load", lambda: bench_load(browser, 20, load_s)), ("deadlines", lambda: bench_deadlines(browser)),
                 ("load_faults", lambda: bench_load_faults(*((8, 3, 20.0) if args.quick else (50, 10, 60.0))))]
        for name, step in steps:
            began = time.perf_counter()
            results[name] = step()
            print(f"[{name}] {time.perf_counter() - began:.0f} s: {json.dumps(results[name], default=str)}", flush=True)
        browser.close()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str))
    text = markdown(results)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n")


if __name__ == "__main__":
    main()
