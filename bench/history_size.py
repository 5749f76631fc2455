"""How big a recording grows: database size per month of a pass every 10 minutes.

Runs real recorder passes (``routerlens.history.recorder``) against the loopback server into a
fresh SQLite file, with the clock moved 10 minutes per pass, and measures:

* the first pass (every route's rows: daily series, hourly uptime, prices, "now" figures);
* the growth per further pass (the loopback server's daily and hourly series do not move, so
  later passes add only the figures that are new every 10 minutes: uptime now, 30-minute
  percentiles, request counts);
* from those, a month: 30 days × 144 passes of growth, plus 30 days of new daily points and
  720 hours of hourly uptime at the first pass's size per day/hour.

    .venv/bin/python -m bench.history_size [--passes 144]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(passes: int) -> dict:
    from routerlens.config import ApiKey, DataMode, Settings
    from routerlens.history.recorder import Recorder
    from routerlens.history.store import HistoryStore
    from routerlens.service import DataService
    from tests.fakeserver import FakeOpenRouter

    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    clock = {"now": start}
    with tempfile.TemporaryDirectory() as folder, FakeOpenRouter() as fake, \
            mock.patch("routerlens.client.utcnow", lambda: clock["now"]):
        path = Path(folder) / "history.sqlite"
        store = HistoryStore(f"sqlite:///{path}")
        store.upgrade()
        service = DataService(Settings(base_url=fake.base_url, mode=DataMode.LIVE, api_key=ApiKey("sk-or-v1-size")))
        recorder = Recorder(service, store, now=lambda: clock["now"])

        def size() -> int:
            with sqlite3.connect(path) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                pages = connection.execute("PRAGMA page_count").fetchone()[0]
                page = connection.execute("PRAGMA page_size").fetchone()[0]
            return pages * page

        empty = size()
        recorder.run_pass(["openai/gpt-4o-mini"])
        first = size()
        rows_first = store.counts()["points"]
        for _ in range(passes - 1):
            clock["now"] += dt.timedelta(minutes=10)
            recorder.run_pass(["openai/gpt-4o-mini"])
        last = size()
        rows_last = store.counts()["points"]
        store.dispose()
    per_pass = (last - first) / max(1, passes - 1)
    rows_per_pass = (rows_last - rows_first) / max(1, passes - 1)
    # The first pass holds ~10 days of daily series and 72 hours of hourly uptime from the fake:
    # per day of daily points and per hour of hourly points at that density.
    month = 30 * 144 * per_pass + (first - empty) * 3  # 30 days ≈ 3 × the first pass's 10 days
    return {"passes": passes, "empty_bytes": empty, "first_pass_bytes": first - empty,
            "growth_per_pass_bytes": round(per_pass), "rows_per_pass": rows_per_pass,
            "month_bytes": round(month), "month_mb": round(month / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=144, help="passes to run (144 = one day every 10 minutes)")
    print(json.dumps(measure(parser.parse_args().passes), indent=1))


if __name__ == "__main__":
    main()
