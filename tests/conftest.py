"""Shared test fixtures.

No test touches the network outside loopback: an autouse fixture removes any real key from the
environment and points the app at a closed loopback port in offline mode; tests that want live
data start the fake OpenRouter server (``fake``) and point the app at it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakeserver import FakeOpenRouter  # noqa: E402
from tests.postgres import postgres_db, postgres_url  # noqa: E402,F401  (fixtures for every test)

DEAD_BASE_URL = "http://127.0.0.1:9/api/v1"  # discard port: nothing listens


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("OPENROUTER_", "ROUTERLENS_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENROUTER_BASE_URL", DEAD_BASE_URL)
    monkeypatch.setenv("ROUTERLENS_OFFLINE", "1")
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", "off")  # never a developer's own recording; tests opt in
    monkeypatch.setenv("ROUTERLENS_CHECK_CHARTS", "1")  # every chart a test draws is checked against Vega-Lite's schema
    _fresh_shared_key_guard()  # its limits live as long as the process: each test starts with none used
    yield


def _fresh_shared_key_guard() -> None:
    import sys

    playground = sys.modules.get("components.playground")
    if playground is not None:
        playground.shared_key_guard.clear()


@pytest.fixture
def fake():
    server = FakeOpenRouter().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_env(monkeypatch, fake):
    """Point the app at the fake server in Auto mode."""
    monkeypatch.delenv("ROUTERLENS_OFFLINE", raising=False)
    monkeypatch.setenv("OPENROUTER_BASE_URL", fake.base_url)
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "auto")
    monkeypatch.setenv("ROUTERLENS_TIMEOUT", "3")
    return fake


def run_app(page: str | None = None, *, query: dict | None = None, timeout: float = 60):
    """Run app.py in AppTest (optionally switching to ``page``, a path like ``pages/x.py``)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def page_text(at) -> str:
    """Every piece of text AppTest can see on the page, joined (for 'is X shown' assertions)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "metric", "text", "code"):
        for element in getattr(at, kind, []):
            for attr in ("value", "label", "body"):
                value = getattr(element, attr, None)
                if isinstance(value, str):
                    parts.append(value)
    for element in at.get("badge") if hasattr(at, "get") else []:
        parts.append(str(getattr(element, "proto", "")))
    for frame in [*at.dataframe, *markdown_tables(at)]:
        try:
            parts.append(frame.to_csv() if hasattr(frame, "to_csv") else frame.value.to_csv())
        except Exception:
            pass
    return "\n".join(parts)


def markdown_tables(at) -> list:
    """Every Markdown table on the page (components.tables.static_table) as a DataFrame of the
    text shown in each cell (Markdown escapes undone, links shown as their text)."""
    import re

    import pandas as pd

    def cells(line: str) -> list[str]:
        parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        # A linked cell, [text](url), shows its text.
        parts = [re.sub(r"^\[((?:\\.|[^\]\\])*)\]\([^)]*\)$", r"\1", part.strip()) for part in parts]
        return [re.sub(r"\\(.)", r"\1", part) for part in parts]

    frames = []
    for element in at.markdown:
        lines = element.value.splitlines()
        if len(lines) >= 2 and lines[0].startswith("|") and re.fullmatch(r"\|(-+:?\|)+", lines[1]):
            frames.append(pd.DataFrame([cells(line) for line in lines[2:]], columns=cells(lines[0])))
    return frames


def all_pages() -> list[str]:
    """Every page registered in app.py, as AppTest page paths."""
    import re

    text = (ROOT / "app.py").read_text()
    return re.findall(r'st\.Page\(\s*"([^"]+)"', text)


def run_alone(coroutine):
    """Run ``coroutine`` on an event loop of its own thread: in the full suite the browser tests'
    sync Playwright keeps a loop running on this one, and ``asyncio.run`` refuses to start there."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
