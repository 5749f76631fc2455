"""What the app is loading and which source it is on, said once instead of per section.

* :func:`page_source_status`: the page's source as a whole and why, once at the top of the page
  (``get_context`` draws it and keeps it on the context, where
  :func:`components.context.covered` finds it for each section's notice).
* :class:`PageProgress`: the top of the page lists each live answer a render waits for and how
  it ended, instead of a blank body behind Streamlit's small running icon.
* :func:`refresh_live_data`: the sidebar's "Refresh live data", route by route, with the result.
"""

from __future__ import annotations

import time

import streamlit as st

from routerlens.client import OpenRouterError
from routerlens.routes import LiveRoute
from routerlens.service import DataService
from routerlens.source_status import PageSource, SourceStatus
from routerlens.text import escape_markdown_text

def page_source_status(service: DataService, *, key: str) -> SourceStatus:
    """Once per page, at its top: when the page as a whole is not on live data in Auto or Live
    mode, what it is on and why (the sidebar already says Offline)."""
    status = service.status()
    text = f"**{escape_markdown_text(status.headline)}**  \n{escape_markdown_text(status.detail)}"
    if status.source is PageSource.FALLBACK:
        st.warning(text, icon=":material/cloud_off:")
    elif status.source is PageSource.FAILING:
        st.error(text, icon=":material/cloud_off:")
    return status


class PageProgress:
    """The ``waiting``/``landed`` pair for :func:`routerlens.service.page_budget`: an expanded
    status box at the top of the page lists each live answer the render waits for, then how it
    ended (answered, or why not, and so what falls back), and folds away once nothing is pending.
    Nothing is drawn when every answer comes quickly (shorter waits would only flicker)."""

    def __init__(self) -> None:
        self._slot = st.empty()
        self._box = None
        self._line = None
        self._lines: list[str] = []
        self._failed = 0
        self._started = 0.0

    def __call__(self, text: str | None) -> None:
        if _in_cached_function():
            return  # see _in_cached_function
        if text is None:
            self._settle()
            return
        if self._box is None:
            self._started = time.monotonic()
            self._box = self._slot.status("Loading live data from OpenRouter…", expanded=True)
        self._box.update(label="Loading live data from OpenRouter…", state="running", expanded=True)
        with self._box:
            self._line = st.empty()
        self._line.markdown(f":material/hourglass_top: {escape_markdown_text(text)}")

    def landed(self, what: str, failure: str | None) -> None:
        if _in_cached_function():
            return
        mark = ":material/check_circle:" if failure is None else ":material/error:"
        outcome = "answered" if failure is None else f"not live: {failure}"
        line = f"{mark} {escape_markdown_text(what)}: {escape_markdown_text(outcome)}"
        self._lines.append(line)
        self._failed += failure is not None
        if self._line is not None:
            self._line.markdown(line)
            self._line = None

    def _settle(self) -> None:
        if self._box is None:
            return
        waited = len(self._lines)
        took = time.monotonic() - self._started
        label = f"Waited {took:.1f} s for {waited} live answer{'s' if waited != 1 else ''} from OpenRouter"
        if self._failed:
            label += f"; {self._failed} did not come (those sections fall back and say so)"
        self._box.update(label=label, state="error" if self._failed else "complete", expanded=False)


def _in_cached_function() -> bool:
    """Whether a ``st.cache_data``/``st.cache_resource`` function is running on this thread. An
    element drawn from inside one is recorded and replayed with the cached value; drawn into this
    box (made outside the function), the replay fails in the next session. So such a wait is not
    announced (the sidebar reads the model list before its cached helper for this reason)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function
    except ImportError:  # a Streamlit that moved it: announce nothing rather than risk a broken replay
        return True
    return bool(in_cached_function.get())


def refresh_live_data(service: DataService, model_id: str | None, *, key: str) -> dict:
    """Drop cached live answers and fetch every route the pages read, listing each as it lands,
    then say how many refreshed and which failed and why. Returns the results by route."""
    box = st.status("Refreshing live data…", expanded=True)
    started = time.monotonic()
    reasons: dict[LiveRoute, str | None] = {}

    def reason_for(route: LiveRoute, result) -> str | None:
        """Each route's failure reason, worked out once (listed as it lands, then summed up)."""
        if route not in reasons:
            reasons[route] = service.failure_reason(route, result)
        return reasons[route]

    def landed(route: LiveRoute, result) -> None:
        reason = reason_for(route, result)
        label = escape_markdown_text(route.label())
        with box:
            st.markdown(f":material/check_circle: {label}" if reason is None else
                        f":material/error: {label}: {escape_markdown_text(reason)}")

    results = service.refresh_all(model_id, progress=landed)
    took = time.monotonic() - started
    failed = {route: reason for route, result in results.items()
              if (reason := reason_for(route, result)) is not None}
    summary = f"Refreshed {len(results) - len(failed)} of {len(results)} live routes in {took:.1f} s"
    if failed:
        summary += f"; {len(failed)} failed"
    box.update(label=summary, state="error" if failed else "complete", expanded=bool(failed))
    with box:
        if failed:
            st.markdown("**Failed** (those sections fall back and say so):  \n" + "  \n".join(
                f"{escape_markdown_text(route.label())}: {escape_markdown_text(reason)}" for route, reason in failed.items()))
        elif not results:
            st.caption("Nothing to refresh: no live route can be asked in this data mode.")
    return results


__all__ = ["PageProgress", "page_source_status", "refresh_live_data"]
