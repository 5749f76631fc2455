"""Serve the app with a real Streamlit server and drive it with headless Chromium.

Shared by the browser tests (``tests/browser``), the secrets test and the benchmark (``bench/``),
so all of them start the server and decide "the page has finished rendering" the same way.

* :class:`StreamlitServer` runs ``python -m streamlit run <script>`` on a free loopback port with
  the flags that keep it off the network (headless, 127.0.0.1, no file watcher, no usage stats)
  and writes its output to a log file (the secrets test scans it).
* :func:`launch_chromium` launches the Chromium :func:`chromium_executable` finds (Debian's, a
  Chromium or Chrome on macOS, or Playwright's own download) through Playwright's
  ``executable_path``.
* :func:`wait_rendered` is the render-finished signal from streamlit-notes.md §4, evaluated in the
  page by ``wait_for_function``: script idle and connected, no running indicator, content present,
  no skeleton left, every visible chart drawn, all of it holding for ``STABLE_MS``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
STABLE_MS = 500
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}

# Evaluated in the page (polling); returns true once the page has been "finished" for STABLE_MS.
# window.__rlFirstDone keeps the moment the finished state began, so callers can read when the
# render completed without the stability window (the benchmark's time to first full render).
RENDER_DONE_JS = """(stableMs) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const done = !!app && !!main
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid^="stStatusWidgetRunning"]')
    && main.querySelector('[data-testid="stElementContainer"]') !== null
    && !document.querySelector('[data-testid="stSkeleton"]')
    && Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
         .filter(c => c.getClientRects().length > 0)  // charts in a closed tab or expander draw when opened
         .every(c => c.querySelector('canvas, svg') !== null);
  const now = performance.now();
  if (!done) { window.__rlFirstDone = null; return false; }
  if (window.__rlFirstDone == null) window.__rlFirstDone = now;
  return now - window.__rlFirstDone >= stableMs;
}"""


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_APPS = ("Chromium.app/Contents/MacOS/Chromium", "Google Chrome.app/Contents/MacOS/Google Chrome")
NO_CHROMIUM = ("no Chromium or Chrome found: install one (Debian/Ubuntu: apt install chromium, which "
               "./scripts/test.sh does as root; macOS: Chrome or Chromium in /Applications), or download "
               "Playwright's own (.venv/bin/python -m playwright install chromium), or set ROUTERLENS_CHROMIUM "
               "to a browser's executable")


def find_chromium(env: Mapping[str, str], *, path: str | None = None, mac: bool = sys.platform == "darwin",
                  home: Path | None = None, playwright_own: Callable[[], str | None] | None = None) -> str | None:
    """The browser to drive, first found of: ``ROUTERLENS_CHROMIUM`` (only that one when it is set),
    a Chromium or Chrome on ``path`` (Debian, Ubuntu, Fedora, Homebrew), the macOS app bundles in
    /Applications and ~/Applications, and Playwright's own download (``playwright install
    chromium``); ``None`` when there is none."""
    explicit = env.get("ROUTERLENS_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=path)
        if found:
            return found
    if mac:
        for folder in (Path("/Applications"), (home or Path.home()) / "Applications"):
            for app in MAC_APPS:
                if (folder / app).is_file():
                    return str(folder / app)
    return (playwright_own or _playwright_own_chromium)()


def _playwright_own_chromium() -> str | None:
    """Where Playwright keeps the Chromium it downloads, if it is there. Asked in a thread of its
    own: Playwright's sync API refuses to start inside a running event loop (another session's)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None

    def ask() -> str | None:
        with sync_playwright() as playwright:
            return playwright.chromium.executable_path

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            found = pool.submit(ask).result(timeout=60)
    except Exception:  # no driver, a broken install: as good as no browser
        return None
    return found if found and Path(found).is_file() else None


@functools.lru_cache(maxsize=1)
def chromium_executable() -> str | None:
    """The browser the tests drive (:func:`find_chromium`), looked up once per process (the test
    fixtures clear ``ROUTERLENS_*`` from the environment after the first look)."""
    return find_chromium(os.environ)


def browser_unavailable_reason() -> str | None:
    """Why browser tests cannot run here, or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if chromium_executable() is None:
        return NO_CHROMIUM
    return None


def launch_chromium(playwright):
    """Headless Chromium (:func:`chromium_executable`) with the flags that keep it quiet and offline."""
    return playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(*, base_url: str | None = None, offline: bool = True, extra: dict[str, str] | None = None,
            tmpdir: str | None = None) -> dict[str, str]:
    """The server's environment: no inherited OpenRouter/RouterLens settings (no real key ever),
    then either offline mode or the given (loopback) base URL in Auto mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENROUTER_", "ROUTERLENS_", "STREAMLIT_"))}
    env["PYTHONUNBUFFERED"] = "1"
    env["OPENROUTER_BASE_URL"] = base_url or "http://127.0.0.1:9/api/v1"
    env["ROUTERLENS_HISTORY_URL"] = "off"  # never the machine's own recording (a test passes its own in extra)
    if offline:
        env["ROUTERLENS_OFFLINE"] = "1"
    else:
        env["ROUTERLENS_DATA_MODE"] = "auto"
        env["ROUTERLENS_TIMEOUT"] = "5"
    if tmpdir:
        env["TMPDIR"] = tmpdir
    env.update(extra or {})
    return env


@dataclass
class StreamlitServer:
    """One ``streamlit run`` process on 127.0.0.1 (a context manager)."""

    script: Path = APP
    env: dict[str, str] = field(default_factory=app_env)
    log_path: Path | None = None
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> StreamlitServer:
        self.port = self.port or free_port()
        if self.log_path is None:
            self.log_path = Path(tempfile.mkdtemp(prefix="routerlens-st-")) / "server.log"
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(self.port),
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false",
        ]
        log = open(self.log_path, "wb")  # noqa: SIM115 (kept open for the process's life)
        self.process = subprocess.Popen(cmd, cwd=self.script.parent, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        """Poll /_stcore/health until the server answers (each poll blocks on a real request)."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"streamlit exited early:\n{self.log_text()[-3000:]}")
                try:
                    if client.get(f"{self.url}/_stcore/health").status_code == 200:
                        return
                except httpx.TransportError:
                    # Not listening yet: wait for the process (or the poll interval) instead of sleeping.
                    try:
                        self.process.wait(timeout=0.05)
                    except subprocess.TimeoutExpired:
                        pass
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory (VmHWM) in MB."""
        return _proc_status_kb(self.process.pid, "VmHWM") / 1024

    def rss_mb(self) -> float:
        return _proc_status_kb(self.process.pid, "VmRSS") / 1024

    def cpu_s(self) -> float:
        """CPU seconds the server has used so far (user + system): with the wall time, whether a
        slow run was the app working or the app waiting for a shared machine's cores."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _proc_status_kb(pid: int, field_name: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return float(line.split()[1])
    raise RuntimeError(f"{field_name} not found for pid {pid}")


# -- pages ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageInfo:
    path: str  # "pages/overview.py"
    url_path: str  # "" for the default page
    name: str  # "overview"
    title: str  # "Overview", as the sidebar lists it


def registered_pages() -> list[PageInfo]:
    """Every ``st.Page`` in app.py with the URL it is served at (the default page is ``/``)."""
    text = APP.read_text()
    pages = []
    for match in re.finditer(r'st\.Page\(\s*"([^"]+)"(.*?)\)\s*,?\s*\n', text):
        path, options = match.group(1), match.group(2)
        name = Path(path).stem
        url = re.search(r'url_path\s*=\s*"([^"]*)"', options)
        title = re.search(r'title\s*=\s*"([^"]*)"', options)
        if re.search(r"default\s*=\s*True", options):
            url_path = ""
        else:
            url_path = url.group(1) if url else name
        pages.append(PageInfo(path, url_path, name, title.group(1) if title else name.replace("_", " ").title()))
    return pages


def wait_rendered(page, timeout_ms: float = 60_000) -> float:
    """Block until the page has finished rendering; return when (ms since navigation start) the
    finished state began."""
    page.wait_for_function(RENDER_DONE_JS, arg=STABLE_MS, polling=50, timeout=timeout_ms)
    return float(page.evaluate("window.__rlFirstDone"))


def reset_render_signal(page) -> None:
    """Forget the previous finished state (before waiting for a rerun to finish)."""
    page.evaluate("window.__rlFirstDone = null")


def is_loopback(url: str) -> bool:
    return bool(re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?(/|$)", url)) or url.startswith(
        ("data:", "blob:", "about:"))


# Streamlit's own frontend, opened on a deep link (/providers), first probes
# /providers/_stcore/health and /providers/_stcore/host-config, gets 404 and falls back to the root
# (streamlit-notes.md §4). That is the framework finding its base path, not an app error, so
# exactly these two probes are tolerated; any other console error fails the page.
_BASE_PATH_PROBE = re.compile(r"status of 404 .* @ http://127\.0\.0\.1:\d+/[\w\-/]+/_stcore/(health|host-config)$")


@dataclass
class PageWatch:
    """Console errors, page errors and off-loopback requests seen by one browser page."""

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def attach(self, page) -> PageWatch:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        return self

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        text = f"{msg.text} @ {msg.location.get('url', '')}"
        if not _BASE_PATH_PROBE.search(text):
            self.console_errors.append(text)

    def block_external(self, context) -> PageWatch:
        """Abort (and record) any request that would leave 127.0.0.1."""

        def handle(route):
            if is_loopback(route.request.url):
                route.continue_()
            else:
                self.external_requests.append(route.request.url)
                route.abort()

        context.route("**/*", handle)
        return self
