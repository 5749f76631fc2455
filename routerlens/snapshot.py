"""The bundled snapshot: real data files in ``data/`` described by ``data/manifest.json``.

Files are stored in the JSON shapes of the responses they stand for; the manifest says which
route each one stands for, every source it was assembled from and when it was captured. Lookups
are by route path plus the identity parameters (``permaslug``, ``variant``, …), which must match
exactly: a figure bundled for one variant is never served for another.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .provenance import Kind, Provenance

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Bundled:
    """Where a figure sits in the bundled snapshot: a route path and its identity parameters."""

    path: str
    params: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def at(path: str, params: Mapping[str, Any] | None = None) -> Bundled:
        return Bundled(path, tuple(sorted((k, str(v)) for k, v in (params or {}).items())))


@dataclass(frozen=True)
class BundledOnly:
    """A section no live route publishes: it shows the bundled snapshot in every mode, Live
    included, under its Snapshot badge. ``what`` starts the section's figure name (Want.what)."""

    what: str
    section: str
    why: str


BUNDLED_ONLY = (
    BundledOnly("captures of", "Overview · spec history (the earlier captures)",
                "OpenRouter publishes only a model's current entry; the recording adds later changes"),
    BundledOnly("launch evaluations", "Overview and Benchmarks · OpenAI's launch evaluations",
                "published once by OpenAI at launch; no API serves them"),
    BundledOnly("prompt-caching rules", "Pricing · the providers' caching rules",
                "taken from the providers' documentation, not from an API"),
    BundledOnly("third-party endpoint summary", "Providers · traffic summary, and Uptime · the third-party column",
                "a third party's aggregate with no live equivalent"),
    BundledOnly("catalogue data policies", "Providers · data policy from the website catalogue",
                "the live website catalogue is several megabytes for one field"),
    BundledOnly("ranking totals", "Activity · token volume totals",
                "the monthly and weekly totals as OpenRouter's rankings page displayed them"),
)
"""Every bundled-only section, for the README and the sidebar's help (a test keeps them in step
with the sections the pages actually ask for)."""


def bundled_only_help() -> str:
    """One line per bundled-only section, for the data-source help."""
    return "\n".join(f"- {item.section}: {item.why}." for item in BUNDLED_ONLY)


@dataclass(frozen=True)
class SnapshotEntry:
    id: str
    route: str
    path: str
    file: str
    captured: str
    source: str
    kind: str = "verbatim"
    note: str | None = None
    params: dict = field(default_factory=dict)
    sources: tuple[dict, ...] = ()
    """Every source the file was assembled from: ``{"source", "captured", "used_for"}``."""

    @property
    def provenance(self) -> Provenance:
        note = self.note
        if self.kind == "assembled":
            note = f"Assembled from real sources. {note or ''}".strip()
        if len(self.sources) > 1:
            parts = "; ".join(f"{item.get('used_for') or 'data'} from {item.get('source')} ({item.get('captured')})"
                              for item in self.sources)
            note = f"{note or ''} Sources: {parts}.".strip()
        return Provenance(Kind.SNAPSHOT, self.source, self.captured, note=note)


class SnapshotSource:
    def __init__(self, root: Path | str = DATA_DIR):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._loaded: dict[str, Any] = {}
        manifest = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        self.entries: list[SnapshotEntry] = [
            SnapshotEntry(
                id=item["id"], route=item["route"], path=item["path"], file=item["file"],
                captured=item["captured"], source=item["source"], kind=item.get("kind", "verbatim"),
                note=item.get("note"), params={k: str(v) for k, v in (item.get("params") or {}).items()},
                sources=tuple(s for s in item.get("sources") or () if isinstance(s, dict)),
            )
            for item in manifest.get("entries", [])
        ]
        self._by_id = {entry.id: entry for entry in self.entries}

    def entry(self, entry_id: str) -> SnapshotEntry | None:
        return self._by_id.get(entry_id)

    def lookup(self, path: str, params: Mapping[str, Any] | None = None) -> SnapshotEntry | None:
        """The entry for a route: same path and exactly the same identity parameters."""
        wanted = {k: str(v) for k, v in (params or {}).items()}
        return next((entry for entry in self.entries if entry.path == path and entry.params == wanted), None)

    def find(self, key: Bundled) -> SnapshotEntry | None:
        return self.lookup(key.path, dict(key.params))

    def entries_for(self, path: str) -> list[SnapshotEntry]:
        """Every entry for a path, oldest capture first (e.g. the dated captures of a model entry)."""
        return sorted((entry for entry in self.entries if entry.path == path), key=lambda e: e.captured)

    def load(self, entry: SnapshotEntry) -> Any:
        with self._lock:
            if entry.file not in self._loaded:
                text = (self.root / entry.file).read_text(encoding="utf-8")
                if entry.file.endswith(".csv"):
                    self._loaded[entry.file] = list(csv.DictReader(io.StringIO(text)))
                else:
                    self._loaded[entry.file] = json.loads(text)
            return self._loaded[entry.file]
