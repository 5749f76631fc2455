"""The bundled snapshot: real data files in ``data/`` described by ``data/manifest.json``.

Files are stored in the JSON shapes of the responses they stand for; the manifest says which
route each one stands for, where it came from and when it was captured. Lookups are by route
path plus query parameters, just like a live request.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .provenance import Kind, Provenance

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


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

    @property
    def provenance(self) -> Provenance:
        note = self.note
        if self.kind == "assembled":
            note = f"Assembled from real sources. {note or ''}".strip()
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
                note=item.get("note"), params=dict(item.get("params") or {}),
            )
            for item in manifest.get("entries", [])
        ]
        self._by_id = {entry.id: entry for entry in self.entries}

    def entry(self, entry_id: str) -> SnapshotEntry | None:
        return self._by_id.get(entry_id)

    def lookup(self, path: str, params: dict | None = None) -> SnapshotEntry | None:
        """The entry for a route: same path, and every parameter the entry pins matches."""
        params = {k: str(v) for k, v in (params or {}).items()}
        for entry in self.entries:
            if entry.path != path:
                continue
            if all(params.get(k) == str(v) for k, v in entry.params.items()):
                return entry
        return None

    def entries_for(self, path: str) -> list[SnapshotEntry]:
        return [entry for entry in self.entries if entry.path == path]

    def load(self, entry: SnapshotEntry) -> Any:
        with self._lock:
            if entry.file not in self._loaded:
                text = (self.root / entry.file).read_text(encoding="utf-8")
                if entry.file.endswith(".csv"):
                    self._loaded[entry.file] = list(csv.DictReader(io.StringIO(text)))
                else:
                    self._loaded[entry.file] = json.loads(text)
            return self._loaded[entry.file]
