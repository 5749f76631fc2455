"""Which source a page is on as a whole, and why, said once.

When OpenRouter does not answer in Auto mode, every section falls back to the bundled snapshot
for the same reason; saying that reason in every section buried the page under identical notices.
:meth:`routerlens.service.DataService.status` works out, once per render, what the page as a
whole is on (live, the snapshot because live failed, offline, or Live with nothing to fall back
on) and why; a page shows that once, and a section adds its own notice only when
:meth:`SourceStatus.covers` says the status does not already tell its story.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from .provenance import Sourced, format_as_of


class PageSource(str, Enum):
    LIVE = "live"
    """OpenRouter answers: sections are live unless their own badge says otherwise."""
    FALLBACK = "fallback"
    """Auto mode, OpenRouter unavailable: sections stand in with the recording or the snapshot."""
    FAILING = "failing"
    """Live mode, OpenRouter unavailable: nothing falls back, sections without live data are empty."""
    OFFLINE = "offline"
    """No network by choice: the recording and the bundled snapshot."""


@dataclass(frozen=True)
class SourceStatus:
    source: PageSource
    headline: str
    """A few words: "On the bundled snapshot (as of 2026-08-19)"."""
    detail: str
    """Plain text (it may quote a server's error message): escape it before drawing as Markdown."""
    reason: str | None = None
    """Why live data is missing, when it is."""

    @property
    def degraded(self) -> bool:
        """Whether the page is not on live data as a whole (then the status must be seen)."""
        return self.source is not PageSource.LIVE

    def covers(self, sourced: Sourced) -> bool:
        """Whether this status already says all that ``sourced``'s notice would: it fell back to
        the recording or the snapshot because its live fetch failed (:attr:`Sourced.fallback`),
        while the page as a whole says live data is unavailable. Anything else (a simulation,
        nothing at all, an answer read but unusable, a missing key) differs and keeps its notice."""
        return self.source is PageSource.FALLBACK and sourced.fallback

    @staticmethod
    def offline(snapshot_as_of: str | None, *, recording: bool) -> SourceStatus:
        kept = "this deployment's recording where it has the figure, else " if recording else ""
        return SourceStatus(
            PageSource.OFFLINE, f"Offline: bundled snapshot{_as_of(snapshot_as_of)}",
            f"Offline mode (chosen under Data source): no request leaves this app. Figures come from {kept}the "
            f"bundled snapshot of real OpenRouter data{_as_of(snapshot_as_of)}; a chart no real source has is "
            "simulated and says so.")

    @staticmethod
    def live(base_url: str, *, falls_back: bool) -> SourceStatus:
        host = _host(base_url)
        fallback = (" A section whose own fetch fails falls back to the bundled snapshot and says so."
                    if falls_back else " Nothing falls back in Live mode.")
        return SourceStatus(PageSource.LIVE, f"Live from {host}",
                            f"Figures are fetched from {host} as pages need them; each badge says when." + fallback)

    @staticmethod
    def unavailable(base_url: str, failure: str, *, falls_back: bool, snapshot_as_of: str | None) -> SourceStatus:
        """OpenRouter does not answer: Auto stands in with the snapshot, Live shows nothing."""
        host = _host(base_url)
        if not falls_back:
            return SourceStatus(
                PageSource.FAILING, f"Live only, and {host} is unavailable",
                f"OpenRouter ({host}) is unavailable: {failure}. The data source is forced to Live, so nothing "
                "falls back and sections without live data stay empty. Press Refresh live data to try again, or "
                "switch the data source to Auto to use the bundled snapshot.", failure)
        return SourceStatus(
            PageSource.FALLBACK, f"On the bundled snapshot{_as_of(snapshot_as_of)}",
            f"Live OpenRouter data is unavailable: {failure}. Sections show this deployment's recording or the "
            f"bundled snapshot of real data{_as_of(snapshot_as_of)} instead, each under its own badge; a section "
            "adds a notice only where its source differs. Press Refresh live data to try again.", failure)


def _host(base_url: str) -> str:
    return urlsplit(base_url).netloc or base_url


def _as_of(as_of: str | None) -> str:
    return f" (as of {format_as_of(as_of)})" if as_of else ""


__all__ = ["PageSource", "SourceStatus"]
