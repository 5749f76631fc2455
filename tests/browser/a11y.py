"""Accessibility checks in the browser: axe-core, the page's structure, and keyboard focus.

* :func:`audit_page` injects the vendored axe-core (``vendor/axe-core``, MPL-2.0, no network) into
  a rendered page and runs every rule axe enables by default (WCAG 2.0/2.1 A and AA plus its best
  practices), once as the page opens and again with every expander opened and in every tab, so what
  hides behind a click is checked too. Violations are merged by rule and element.
* :func:`structure_problems` checks what axe only rates "moderate" or cannot see: one h1, headings
  that never skip a level, and a text alternative on every drawn chart.
* :func:`tab_until`, :func:`focused` and :func:`focus_is_visible` walk the page by keyboard alone.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.browser.harness import reset_render_signal, wait_rendered

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_SOURCE = (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")
FAILING_IMPACTS = ("serious", "critical")
STRUCTURE_RULES = ("heading-order", "page-has-heading-one", "empty-heading", "list", "listitem",
                   "scrollable-region-focusable", "th-has-data-cells", "td-headers-attr", "svg-img-alt")
"""Failed whatever impact axe gives them (heading-order is "moderate"): the issue's structure items."""
VIEWPORT = {"width": 1400, "height": 1000}
"""Where the figures in docs/quality.md were measured (issue 15)."""

RUN_AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                              summary: (n.failureSummary || '').slice(0, 500)}))}))};
}"""

STRUCTURE_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const visible = e => e.getClientRects().length > 0;
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(visible)
    .map(h => ({level: Number(h.tagName[1]), text: h.innerText.trim().slice(0, 80), main: main.contains(h)}));
  const charts = Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]')).filter(visible)
    .map(c => c.getAttribute('aria-label') || '');
  return {headings, charts};
}"""

OPEN_EXPANDERS_JS = """() => {
  let opened = 0;
  for (const details of document.querySelectorAll('[data-testid=stMain] details:not([open])')) {
    details.querySelector('summary').click(); opened++;
  }
  return opened;
}"""

TABS_JS = """() => Array.from(document.querySelectorAll('[data-testid=stMain] [role=tablist]'))
  .map(list => list.querySelectorAll('[role=tab]').length)"""


def run_axe(page) -> dict:
    """axe-core's violations on the page as it is now (injected once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(RUN_AXE_JS)


# WCAG 1.4.3 exempts "text that is part of an inactive user interface component". Streamlit fades a
# disabled widget's label, but the label is not inside the disabled control, so axe cannot tell:
# a colour-contrast node whose widget (its element container) holds a disabled control is marked.
INACTIVE_JS = """(targets) => targets.map(t => {
  const node = document.querySelector(t);
  const widget = node && node.closest('[data-testid=stElementContainer]');
  return !!widget && !!widget.querySelector(':disabled, [aria-disabled=true]');
})"""


def _merge(page, into: dict[tuple[str, str], dict], violations: list[dict], where: str) -> None:
    for rule in violations:
        targets = [node["target"] for node in rule["nodes"]]
        inactive = page.evaluate(INACTIVE_JS, targets) if rule["id"] == "color-contrast" else [False] * len(targets)
        for node, exempt in zip(rule["nodes"], inactive):
            into.setdefault((rule["id"], node["target"]), {
                "id": rule["id"], "impact": rule["impact"], "help": rule["help"], "where": where,
                "inactive_component": exempt, **node})


def audit_page(page) -> dict:
    """axe-core on the rendered page, then with every expander open, then on each further tab of
    every tab list. Returns ``{"version", "passes", "nodes": [...]}``: one entry per (rule,
    element), each with its impact, rule help, the element and where it was seen."""
    found: dict[tuple[str, str], dict] = {}
    first = run_axe(page)
    _merge(page, found, first["violations"], "as opened")
    passes = 1
    if page.evaluate(OPEN_EXPANDERS_JS):
        wait_rendered(page)
        _merge(page, found, run_axe(page)["violations"], "expanders open")
        passes += 1
    for list_index, count in enumerate(page.evaluate(TABS_JS)):
        for tab in range(1, count):
            reset_render_signal(page)
            page.locator("[data-testid=stMain] [role=tablist]").nth(list_index).locator("[role=tab]").nth(tab).click()
            wait_rendered(page)
            _merge(page, found, run_axe(page)["violations"], f"tab {tab + 1} of tab list {list_index + 1}")
            passes += 1
    return {"version": first["version"], "passes": passes, "nodes": list(found.values())}


def failures(nodes: list[dict]) -> list[dict]:
    """The violations that fail the test: serious or critical, and the structure rules at any impact;
    not the contrast of an inactive (disabled) widget's text, which WCAG exempts."""
    return [n for n in nodes if (n["impact"] in FAILING_IMPACTS or n["id"] in STRUCTURE_RULES)
            and not n["inactive_component"]]


def impact_counts(nodes: list[dict]) -> Counter:
    """Violation nodes per impact; text of disabled widgets (exempt) counted apart as "inactive"."""
    return Counter("inactive" if n["inactive_component"] else n["impact"] for n in nodes)


def structure_problems(page) -> list[str]:
    """One h1 (in the main area), headings that never skip a level going down, and every drawn
    chart named by its own description (Vega's default name says nothing)."""
    found = page.evaluate(STRUCTURE_JS)
    problems = []
    h1 = [h for h in found["headings"] if h["level"] == 1]
    if len(h1) != 1 or not h1[0]["main"]:
        problems.append(f"expected one h1 in the main area, found {h1}")
    main = [h for h in found["headings"] if h["main"]]
    for before, after in zip(main, main[1:]):
        if after["level"] > before["level"] + 1:
            problems.append(f"heading skips a level: h{before['level']} {before['text']!r} -> "
                            f"h{after['level']} {after['text']!r}")
    for label in found["charts"]:
        if not label.strip() or label == "Vega visualization":
            problems.append(f"a chart without a text alternative (aria-label {label!r})")
    return problems


def report(nodes: list[dict]) -> str:
    return json.dumps(nodes, indent=1, ensure_ascii=False)[:6000]


# -- keyboard -------------------------------------------------------------------------------------

FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const text = () => {  // the visible text, without Material icon names (ligatures such as "replay")
    const copy = e.cloneNode(true);
    copy.querySelectorAll('[data-testid=stIconMaterial]').forEach(i => i.remove());
    return copy.textContent;
  };
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || text() || e.getAttribute('placeholder') || '';
  const holder = e.closest('[data-testid]');
  return {tag: e.tagName.toLowerCase(), role: e.getAttribute('role') || '', testid: holder ? holder.dataset.testid : '',
          label: label.replace(/\\s+/g, ' ').trim().slice(0, 80),
          checked: e.getAttribute('aria-checked'), disabled: e.disabled === true};
}"""


def focused(page) -> dict | None:
    """What has keyboard focus: tag, role, the nearest Streamlit test id and its accessible label."""
    return page.evaluate(FOCUSED_JS)


def tab_until(page, matches, *, limit: int = 80, backwards: bool = False) -> list[dict]:
    """Press Tab (Shift+Tab) until ``matches(focused)`` holds; returns the stops passed on the way
    (the last one matches). Fails when ``limit`` presses never get there."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        stop = focused(page)
        stops.append(stop)
        if stop and matches(stop):
            return stops
    raise AssertionError(f"not reached by {'Shift+' if backwards else ''}Tab in {limit} presses; passed: "
                         + json.dumps(stops)[:3000])


def label_is(text: str):
    return lambda stop: stop["label"] == text


def label_has(text: str):
    return lambda stop: text in stop["label"]


# The focused element's box, and its field's where the field draws the focus ring (Streamlit's
# inputs and the chat input colour their frame, not the <input> or <textarea> itself).
FOCUS_BOX_JS = """() => {
  const e = document.activeElement;
  const frame = e.closest('[data-testid=stChatInput], [data-baseweb=input], [data-baseweb=select], '
                          + '[data-baseweb=textarea], [data-baseweb=base-input]') || e;
  const a = e.getBoundingClientRect(), b = frame.getBoundingClientRect();
  const x = Math.max(0, Math.min(a.x, b.x) - 6), y = Math.max(0, Math.min(a.y, b.y) - 6);
  const right = Math.max(a.right, b.right) + 6, bottom = Math.max(a.bottom, b.bottom) + 6;
  return {x, y, width: right - x, height: bottom - y};
}"""


def focus_is_visible(page) -> bool:
    """Does the focused element look different from the same element unfocused? A screenshot of
    its box (with its field's frame and a 6 px margin for outlines and rings) with focus, then after
    blur(); focus comes back by script, which keeps the keyboard's focus-visible state in Chromium."""
    box = page.evaluate(FOCUS_BOX_JS)
    if box["width"] <= 12 or box["height"] <= 12:
        return False
    page.evaluate("() => { window.__rlFocused = document.activeElement; }")
    with_focus = page.screenshot(clip=box, animations="disabled")
    page.evaluate("() => window.__rlFocused.blur()")
    without = page.screenshot(clip=box, animations="disabled")
    page.evaluate("() => window.__rlFocused.focus()")
    return with_focus != without
