"""Every registered page under axe-core (WCAG 2.1 A/AA and best practices), offline and live, in the
light and the dark theme, at 1400×1000 in headless Chromium.

A page fails on any serious or critical violation, on the structure rules at any impact (headings
in order, one h1, lists, tables with header cells, keyboard-reachable scroll regions), and on a
chart without its own text alternative. Nothing else is filtered out: the only exemption is WCAG's
own, the faded text of a disabled widget (counted apart as "inactive"). The app's markup, theme and
CSS produce no failing violation; docs/accessibility.md lists what Streamlit itself still does
(minor only). Each audit also opens every expander and every tab, so panels behind a
click are checked too.

Artifacts: ``artifacts/axe/<run>/<page>.json`` (every violation found, any impact) and
``artifacts/axe/summary.md`` (the per-page figures that docs/quality.md quotes).
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from tests.browser.a11y import VIEWPORT, audit_page, failures, impact_counts, report, structure_problems
from tests.browser.harness import ROOT, PageWatch, registered_pages, wait_rendered

PAGES = registered_pages()
OUT = ROOT / "artifacts" / "axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
RESULTS: dict[str, dict[str, dict]] = {}


@contextmanager
def _context(chromium, scheme: str):
    """A context in the light or the dark colour scheme: with light and dark themes configured,
    Streamlit follows the system's scheme. Requests off 127.0.0.1 are aborted and recorded."""
    context = chromium.new_context(viewport=VIEWPORT, color_scheme=scheme)
    context.set_default_timeout(30_000)
    context.scheme = scheme
    context.external_requests = PageWatch().block_external(context).external_requests
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_context(request, chromium):
    with _context(chromium, request.param) as context:
        yield context


@pytest.fixture(scope="module")
def light_context(chromium):
    with _context(chromium, "light") as context:
        yield context


@pytest.fixture(scope="module", autouse=True)
def summary():
    """After the module: the per-page counts by impact, as a Markdown table."""
    yield
    if not RESULTS:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    runs = sorted(RESULTS)
    lines = ["| page | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    for info in PAGES:
        cells = []
        for run in runs:
            counts = RESULTS[run].get(info.name)
            cell = "–" if counts is None else " / ".join(str(counts.get(i, 0)) for i in IMPACTS)
            if counts and counts.get("inactive"):
                cell += f" (+{counts['inactive']} inactive)"
            cells.append(cell)
        lines.append(f"| {info.title} | " + " | ".join(cells) + " |")
    (OUT / "summary.md").write_text("axe-core violation nodes, critical / serious / moderate / minor "
                                    "(inactive: text of a disabled widget, exempt under WCAG 1.4.3)\n\n"
                                    + "\n".join(lines) + "\n")


def _audit(context, server, info, run: str) -> None:
    watch = PageWatch(external_requests=context.external_requests)
    context.external_requests.clear()
    page = context.new_page()
    watch.attach(page)
    try:
        page.goto(f"{server.url}/{info.url_path}", wait_until="domcontentloaded")
        wait_rendered(page)
        scheme = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stApp]')).colorScheme")
        assert scheme == context.scheme, f"the app did not follow the {context.scheme} scheme"
        problems = structure_problems(page)
        result = audit_page(page)
        problems += structure_problems(page)  # again with every expander open and the last tab shown
    finally:
        page.close()
    nodes = result["nodes"]
    (OUT / run).mkdir(parents=True, exist_ok=True)
    (OUT / run / f"{info.name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    RESULTS.setdefault(run, {})[info.name] = impact_counts(nodes)
    failing = failures(nodes)
    assert not failing, f"{info.path} ({run}): axe-core {result['version']}:\n{report(failing)}"
    assert not problems, f"{info.path} ({run}): {problems}"
    assert not watch.external_requests, watch.external_requests
    assert not watch.console_errors, watch.console_errors


@pytest.mark.parametrize("info", PAGES, ids=[p.name for p in PAGES])
def test_page_passes_axe_offline(scheme_context, offline_server, info):
    _audit(scheme_context, offline_server, info, f"offline-{scheme_context.scheme}")


@pytest.mark.parametrize("info", PAGES, ids=[p.name for p in PAGES])
def test_page_passes_axe_live(light_context, live_server, session_fake, info):
    """Live data from the loopback OpenRouter (Auto mode), light theme: other panels, other badges."""
    _audit(light_context, live_server, info, "live-light")
    assert session_fake.requests, "the live server never called the loopback OpenRouter"
