"""Record what OpenRouter publishes, so the dashboard's charts stay real offline and beyond 30 days.

    python -m routerlens.record                           # one pass for openai/gpt-4o-mini
    python -m routerlens.record --every 10m               # a pass every 10 minutes until Ctrl-C
    python -m routerlens.record --model openai/gpt-4o-mini --model openai/gpt-4o-mini:batch
    python -m routerlens.record --all-models              # also the prices and specs of every model
    python -m routerlens.record export recording.jsonl.gz # a portable copy of the recording
    python -m routerlens.record import recording.jsonl.gz # merge one in (twice adds nothing)

The database is ``--db`` or ``ROUTERLENS_HISTORY_URL`` (a SQLAlchemy URL: ``sqlite:///path`` or
``postgresql+psycopg://user:pass@host/db``), by default a SQLite file in the user's data
directory; it is created and migrated (Alembic) before the first pass. OpenRouter is reached at
``OPENROUTER_BASE_URL``; ``OPENROUTER_API_KEY`` adds the per-provider percentiles (the key is
never written anywhere). Each pass prints one summary line; the exit status is non-zero when a
pass could record nothing. Ctrl-C stops between writes: every write is its own transaction.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
from dataclasses import replace

from . import DEFAULT_MODEL
from .config import DataMode, load_settings
from .history.recorder import Recorder
from .history.config import default_url
from .history.store import HistoryError, HistoryStore, describe
from .ids import InvalidModelId, parse_model_id
from .service import DataService

INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")


def parse_interval(text: str) -> float:
    """"10m" → 600 seconds; "90s", "1h", "1d"; a bare number is seconds."""
    match = INTERVAL.match(text.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not an interval: {text!r} (e.g. 10m, 1h, 90s)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def _model(text: str) -> str:
    try:
        return parse_model_id(text).id
    except InvalidModelId as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m routerlens.record", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("command", nargs="?", choices=["pass", "export", "import"], default="pass",
                        help="pass (default): record; export/import FILE: move a recording between machines")
    parser.add_argument("file", nargs="?", help="the file to export to or import from")
    parser.add_argument("--model", action="append", type=_model, metavar="ID",
                        help=f"a model to record (repeatable; default {DEFAULT_MODEL})")
    parser.add_argument("--all-models", action="store_true", help="also record the prices and specs of every model")
    parser.add_argument("--every", type=parse_interval, metavar="INTERVAL",
                        help="repeat a pass every INTERVAL (10m, 1h, …) until stopped")
    parser.add_argument("--db", help="database URL (default: ROUTERLENS_HISTORY_URL, else a SQLite file in the "
                                     "user data directory)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, summary lines only")
    return parser


def main(argv: list[str] | None = None, *, stop: threading.Event | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = args.db or os.environ.get("ROUTERLENS_HISTORY_URL") or default_url()
    store = HistoryStore(url)
    try:
        store.upgrade()
    except HistoryError as exc:
        print(f"error: the recording at {describe(url)} cannot be used: {exc}", file=sys.stderr)
        return 2
    if args.command in ("export", "import"):
        if not args.file:
            print(f"error: {args.command} needs a FILE", file=sys.stderr)
            return 2
        try:
            counts = store.export(args.file) if args.command == "export" else store.import_(args.file)
        except HistoryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        verb = "exported to" if args.command == "export" else "imported from"
        print(f"{counts['points']:,} points and {counts['changes']:,} changes {verb} {args.file}")
        return 0

    settings = replace(load_settings(os.environ), mode=DataMode.LIVE)
    recorder = Recorder(DataService(settings), store)
    models = args.model or [DEFAULT_MODEL]
    stop = stop or threading.Event()
    number, status = 0, 0
    print(f"recording {', '.join(models)}{' and every model' if args.all_models else ''} into {describe(url)} "
          f"from {settings.base_url}", flush=True)
    while True:
        number += 1
        try:
            result = _one_pass(recorder, models, args.all_models, quiet=args.quiet)
        except KeyboardInterrupt:
            print("stopped", flush=True)
            return 130
        print(result.summary(number), flush=True)
        status = 0 if result.recorded_anything else 1
        if result.interrupted:
            return 130
        if not args.every:
            return status
        try:
            if stop.wait(args.every):
                return status
        except KeyboardInterrupt:
            print("stopped", flush=True)
            return status


def _one_pass(recorder: Recorder, models: list[str], all_models: bool, *, quiet: bool):
    """One pass, with a progress bar on a terminal (routes written so far of the pass's total)."""
    if quiet or not sys.stderr.isatty():
        return recorder.run_pass(models, all_models=all_models)
    from tqdm import tqdm

    with tqdm(total=0, unit="route", desc="fetching", leave=False, dynamic_ncols=True) as bar:
        def progress(label: str, done: int, total: int) -> None:
            bar.total = total
            bar.set_description(label[:50], refresh=False)
            bar.update(done - bar.n)

        return recorder.run_pass(models, all_models=all_models, progress=progress)


if __name__ == "__main__":
    sys.exit(main())
