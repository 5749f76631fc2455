"""The app's own writes to the recording: each playground answer's measurements, when asked.

The pages only ever read the recording (read-only, through the data service). This module is the
one place the app writes: a writable store per database URL, created and migrated on first use,
and any failure returned as a sentence (a page never breaks because the database does).
"""

from __future__ import annotations

import streamlit as st

from routerlens.chat import ChatResult
from routerlens.history.config import default_url, describe_url, sqlite_file


def describe_recording(url: str | None) -> str | None:
    return describe_url(url) if url else None


def recording_configured(url: str | None) -> bool:
    """Whether recording is on by default: a database was configured explicitly, or the default
    file exists (someone has run the recorder here)."""
    if not url:
        return False
    if url != default_url():
        return True
    path = sqlite_file(url)
    return path is not None and path.exists()


@st.cache_resource(max_entries=4, show_spinner=False)
def _writer(url: str):
    from routerlens.history.store import HistoryStore

    store = HistoryStore(url)
    store.upgrade()
    return store


def keep_measurement(url: str, model: str, variant: str, result: ChatResult) -> str | None:
    """Record one answer's measurements; ``None`` when done, else why not."""
    from routerlens.history.recorder import measurement_from
    from routerlens.history.store import HistoryError

    try:
        _writer(url).write_measurement(measurement_from(result, model=model, variant=variant))
    except HistoryError as exc:
        _writer.clear()
        return str(exc)
    return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _live_recorder(url: str, cache_token: str, _service):
    from routerlens.history.recorder import LiveRecorder

    keeper = LiveRecorder(_service, _writer(url))
    _service.observer = keeper.observe
    return keeper


def keep_live_fetches(settings, service, model_id: str):
    """With ``record_live`` on (and not offline): keep what this page fetches live for
    ``model_id`` in the recording. Returns the keeper, or ``None`` when off or the database
    cannot be opened (the page goes on; the caption says so)."""
    from routerlens.history.store import HistoryError

    if not settings.record_live or not settings.history_url or not service.can_send:
        return None
    try:
        keeper = _live_recorder(settings.history_url, settings.cache_token, service)
    except HistoryError:
        return None
    keeper.watch(model_id)
    return keeper
