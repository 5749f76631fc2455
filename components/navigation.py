"""The sidebar's page menu: Streamlit's own navigation, as one flat list, with the section names.

Why not Streamlit's sectioned menu (``st.navigation({"Section": [...]})``): Streamlit 1.67 renders
each section as a ``<div>`` (its header and its ``<li>`` items) directly inside the ``<ul>``, so
every page link is a list item outside a list (axe-core ``list`` and ``listitem``, rated serious:
12 nodes on every page; a screen reader announces no list and no item count). Given the pages as one
flat list, Streamlit draws valid ``<nav aria-label="App pages"><ul><li><a …>`` markup, marks the
current page with ``aria-current="page"``, gives every link its absolute URL and keeps it all in
its place in the tab order. The section names come back as a caption-style line above each
section's first item, drawn by CSS (``li:nth-child(n)::before``): screen readers read it as the
start of that item, and it is not a heading, so the page's outline is unchanged. The pages, their
titles, icons, order and URLs are those of ``app.py``'s ``PAGES``. docs/accessibility.md has the
axe-core figures before and after.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import streamlit as st

NAV_ITEMS = "[data-testid='stSidebarNavItems']"


def section_label_css(sections: Mapping[str, Sequence]) -> str:
    """CSS that writes each section's name above its first page in the flat list."""
    rules, position = [], 1
    for name, pages in sections.items():
        if pages:
            label = json.dumps(name)  # a CSS string: quotes and backslashes escaped
            rules.append(f"{NAV_ITEMS}>li:nth-child({position})::before{{content:{label};display:block;"
                         "font-size:0.875rem;opacity:0.6;margin:0.75rem 0 0.25rem 0.5rem}")
            position += len(pages)
    rules.append(f"{NAV_ITEMS}>li:first-child::before{{margin-top:0}}")
    return "".join(rules)


def navigation(sections: Mapping[str, Sequence]):
    """Register the pages (in ``sections`` order, all listed) and return the page to run."""
    pages = [page for group in sections.values() for page in group]
    page = st.navigation(pages, expanded=True)
    st.html(f"<style>{section_label_css(sections)}</style>")
    return page
