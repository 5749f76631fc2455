"""Where a figure came from and as of when.

Every value the data service hands to the UI is wrapped in :class:`Sourced`, which carries a
:class:`Provenance` (live / snapshot / simulated, the source, the date) and, when the value is not
what was asked for (a live call failed and the snapshot stands in), a human-readable notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


class Kind(str, Enum):
    LIVE = "live"
    SNAPSHOT = "snapshot"
    SIMULATED = "simulated"
    RECORDED = "recorded"  # kept by this deployment's own recorder (routerlens.record)
    NONE = "none"  # nothing could be loaded (forced Live mode with the server down, say)


@dataclass(frozen=True)
class Provenance:
    kind: Kind
    source: str
    """What produced the value: an API route, or a repository/file for snapshot data."""
    as_of: str
    """ISO date (snapshot capture date) or ISO datetime in UTC (live fetch time)."""
    url: str | None = None
    note: str | None = None
    caveats: tuple[str, ...] = ()
    """Short lines a chart drawn from this value must carry (e.g. how a simulation was made)."""

    @property
    def is_simulated(self) -> bool:
        return self.kind is Kind.SIMULATED

    @property
    def date(self) -> dt.date | None:
        """The day the figures are from (capture date, fetch date); ``None`` if unreadable.
        A month-only capture (``2025-04``) reads as the first of that month."""
        text = self.as_of.strip()
        try:
            return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text[:7] + "-01")
        except ValueError:
            return None

    def same_period(self, other: Provenance, *, days: int = 31) -> bool:
        """Whether two values describe the same time (their dates at most ``days`` apart): figures
        from different periods must not be merged as if they were one measurement."""
        mine, theirs = self.date, other.date
        return mine is not None and theirs is not None and abs((mine - theirs).days) <= days

    def short_label(self) -> str:
        if self.kind is Kind.LIVE:
            return f"Live · fetched {format_as_of(self.as_of)}"
        if self.kind is Kind.SNAPSHOT:
            return f"Snapshot · as of {format_as_of(self.as_of)}"
        if self.kind is Kind.SIMULATED:
            return "Simulated · not real data"
        if self.kind is Kind.RECORDED:
            return f"Recorded by this deployment · {self.note}"
        return "No data"

    def brief(self) -> str:
        """The label plus the first source's name: "Snapshot · as of 2025-06-27, SiddarthNach/Modelz.io"."""
        first = self.source.split(";", 1)[0].split(" @ ", 1)[0].strip()
        return f"{self.short_label()}, {first}" if first else self.short_label()

    def long_label(self) -> str:
        parts = [self.short_label(), f"source: {self.source}"]
        if self.note and self.kind is not Kind.RECORDED:
            parts.append(self.note)
        return " — ".join(parts)

    @staticmethod
    def live(route: str, *, fetched_at: dt.datetime | None = None, url: str | None = None) -> Provenance:
        when = (fetched_at or utcnow()).replace(microsecond=0)
        return Provenance(Kind.LIVE, route, when.isoformat(), url=url)

    @staticmethod
    def simulated(seeded_from: str, *, caveats: tuple[str, ...] = ()) -> Provenance:
        return Provenance(
            Kind.SIMULATED,
            "deterministic generator (routerlens.simulated)",
            utcnow().date().isoformat(),
            note=f"Simulated for demos, seeded from {seeded_from}. Not a measurement.",
            caveats=tuple(caveats),
        )

    @staticmethod
    def recorded(points: int, first: dt.datetime, last: dt.datetime, where: str) -> Provenance:
        """"Recorded by this deployment · 412 points · from 2026-10-01 to 2026-11-29"."""
        span = f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        return Provenance(Kind.RECORDED, f"this deployment's recording ({where})", last.replace(microsecond=0).isoformat(),
                          note=f"{points:,} points · {span}")

    @staticmethod
    def nothing(reason: str) -> Provenance:
        return Provenance(Kind.NONE, reason, utcnow().replace(microsecond=0).isoformat())


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A value plus where it came from. ``notice`` explains a fallback or a failure."""

    value: T
    provenance: Provenance
    notice: str | None = None
    also: tuple[Provenance, ...] = ()
    """Further sources that supplied part of the value (a recording extending a live series)."""
    fallback: bool = False
    """A live fetch failed and this value (recorded or bundled) stands in for it; ``notice`` says
    why. A page that already says once why live data is missing need not repeat it per section
    (:meth:`routerlens.source_status.SourceStatus.covers`)."""

    @property
    def ok(self) -> bool:
        return self.provenance.kind is not Kind.NONE

    def with_notice(self, notice: str | None) -> Sourced[T]:
        return replace(self, notice=notice)

    def map(self, fn) -> Sourced:
        return Sourced(fn(self.value), self.provenance, self.notice, self.also, self.fallback)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def format_as_of(as_of: str) -> str:
    """'2025-07-29' stays a date; a datetime becomes '2026-11-29 13:40 UTC'."""
    try:
        if "T" not in as_of:
            return dt.date.fromisoformat(as_of[:10]).isoformat()
        when = dt.datetime.fromisoformat(as_of)
    except ValueError:
        return as_of
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")
