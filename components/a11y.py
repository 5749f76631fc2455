"""The app's only CSS, and the one script that keeps scrolling tables reachable by keyboard.

``app.py`` calls :func:`page_support` once per run, before anything else is drawn. What it fixes and
why (docs/accessibility.md has the axe-core figures):

* Markdown tables (components/tables.py) scroll sideways inside their column instead of spilling
  over the next one. A region that scrolls must be reachable by keyboard (axe-core
  ``scrollable-region-focusable``, WCAG 2.1.1), and Markdown cannot give a table a ``tabindex``, so
  a small script gives ``tabindex="0"`` to each table while it overflows (and takes it back when it
  fits): one tab stop, then the arrow keys scroll it. Header cells wrap at spaces, so most tables
  fit and need no scrolling at all.
* Syntax-highlighted code (``st.code``): Streamlit colours tokens with fixed palette colours, some
  below 4.5:1 on the code background (keywords #1c83e1 3.7:1, strings #09ab3b 2.9:1). The rules below
  recolour them with ``light-dark()``, which follows the ``color-scheme`` Streamlit sets on the app
  for the light or dark theme; every pair meets 4.5:1 (tests/test_theme_contrast.py).
* Captions: Streamlit fades a caption with ``opacity: 0.6``, which fades its links and inline code
  too (links 3.2:1, code 2.7:1). The caption's text colour is faded instead (the same 60 %, so plain
  caption text looks as before, 4.8:1) and its links and code keep their full colours.
* Text on the primary colour: Streamlit writes white on primary buttons and multiselect chips
  (``[data-tag]``). On the dark theme the primary colour is light (it must read as text on the dark
  background), so white on it is 2.2:1; there the text is the dark background colour (8.6:1).
* Links in the sidebar's page menu and focused tables get a visible focus outline in the text
  colour (Streamlit's menu links only tint their background when focused).
"""

from __future__ import annotations

import streamlit as st

SUPPORT_KEY = "a11y_support"

# Prism token classes -> (light, dark) colours. Code backgrounds: codeBackgroundColor in
# .streamlit/config.toml ([theme.light] and [theme.dark]).
TOKEN_COLOURS: dict[str, tuple[str, str]] = {
    ".token.comment, .token.prolog, .token.doctype, .token.cdata, .token.punctuation, "
    ".token.unchanged.line": ("#5A5F6D", "#A9AEBD"),
    ".token.attr-name, .token.property, .token.variable": ("#0B5394", "#8CCBFA"),
    ".token.boolean, .token.constant, .token.symbol, .token.inserted.line, .token.inserted.prefix":
        ("#0B6B4B", "#6EE7B7"),
    ".token.number, .token.regex": ("#0E6A6A", "#5EEAD4"),
    ".token.string, .token.char, .token.attr-value": ("#17702F", "#86EFAC"),
    ".token.operator, .token.entity, .token.decorator, .token.atrule": ("#9A3412", "#FDBA74"),
    ".token.url": ("#6D28D9", "#C4B5FD"),
    ".token.keyword, .token.tag, .token.function, .token.class-name, .token.selector": ("#1D4ED8", "#93C5FD"),
    ".token.important, .token.deleted.line, .token.deleted.prefix": ("#B91C1C", "#FCA5A5"),
}

ON_PRIMARY = ("#FFFFFF", "#0F1117")
"""Text on the primary colour (light, dark): tests/test_theme_contrast.py checks both."""


def _token_css() -> str:
    rules = []
    for selectors, (light, dark) in TOKEN_COLOURS.items():
        scoped = ", ".join(f"[data-testid='stCode'] {s.strip()}" for s in selectors.split(","))
        rules.append(f"{scoped}{{color:light-dark({light},{dark})}}")
    return "".join(rules)


PAGE_CSS = (
    "[data-testid='stMarkdownContainer'] table{display:block;overflow-x:auto;max-width:100%}"
    "[data-testid='stMarkdownContainer'] table:focus-visible,"
    f"[data-testid='stSidebarNav'] a:focus-visible{{outline:2px solid currentColor;outline-offset:-2px}}"
    "[data-testid='stCaptionContainer']{opacity:1;color:color-mix(in srgb,currentColor 60%,transparent)}"
    "[data-testid='stBaseButton-primary'],[data-tag],[data-tag] *"
    f"{{color:light-dark({ON_PRIMARY[0]},{ON_PRIMARY[1]}) !important}}"
    f".st-key-{SUPPORT_KEY}{{display:none}}"
    + _token_css()
)

# Runs once per browser tab (the flag), whatever the reruns: Streamlit replaces page content, so a
# MutationObserver re-checks the tables (at most once per frame), and so does a window resize.
SCROLL_TABLES_JS = """<script>
(() => {
  if (window.__routerlensScrollTables) return;
  window.__routerlensScrollTables = true;
  const check = () => {
    for (const table of document.querySelectorAll("[data-testid='stMarkdownContainer'] table")) {
      const scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
      if (!scrolls && table.getAttribute("tabindex") === "0") table.removeAttribute("tabindex");
    }
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; check(); });
  };
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("resize", schedule);
  schedule();
})();
</script>"""


def page_support() -> None:
    """The CSS (style-only HTML takes no space: Streamlit puts it in its event container) and the
    table script (in a sidebar container the CSS hides; scripts run all the same)."""
    st.html(f"<style>{PAGE_CSS}</style>")
    with st.sidebar.container(key=SUPPORT_KEY):
        st.html(SCROLL_TABLES_JS, unsafe_allow_javascript=True)
