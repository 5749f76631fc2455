"""The one workaround for Streamlit's legacy multipage mode, kept apart so it is easy to drop.

The design card keeps pages in a top-level ``pages/`` folder. Streamlit 1.67 still honours such a
folder (its first multipage API) until ``st.navigation`` has run once in the server process: if
the very first visit after a start is a deep link (``/providers``), it runs that page file alone,
without ``app.py``, so no sidebar and no shared context. Streamlit offers no public switch for
this (``PagesManager.uses_pages_directory`` is set from the folder's existence), so the page's
first call into the context flips that class attribute off and reruns: the rerun goes through
``app.py`` to the same page (both modes hash pages by URL path). The deep-link browser test
(tests/browser/test_pages_browser.py) covers it; delete this module when Streamlit ignores
``pages/`` next to an ``st.navigation`` app.
"""

from __future__ import annotations

import streamlit as st


def leave_legacy_pages_mode() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
