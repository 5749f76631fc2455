"""Recorded history: the store on real databases, the recorder against the loopback server with
every fault, migrations, integrity (duplicates, concurrent recorders, kill -9, unusable
databases), the "Recorded" source on the pages, export/import, and the key never stored.

SQLite files live in a temporary folder; PostgreSQL runs as a throwaway server started by the
tests (tests/postgres.py) where its binaries exist, and those tests skip with the reason where not.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from routerlens.history.recorder import Recorder
from routerlens.history.schema import metadata
from routerlens.history.store import HistoryError, HistoryStore, Point
from routerlens.record import main as record_main
from tests.conftest import ROOT, page_text, run_app
from tests.fakeserver import Reply, error_body

MODEL = "openai/gpt-4o-mini"
KEY = "sk-or-v1-recorder-secret-0123456789abcdef"
OPENAI_ID = "77e40332-6f2a-4c48-bc14-e44596b30ce2"


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'history.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The same tests on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_db")


def live_service(fake, key: str | None = None):
    from routerlens.config import ApiKey, DataMode, Settings
    from routerlens.service import DataService

    return DataService(Settings(base_url=fake.base_url, mode=DataMode.LIVE, api_key=ApiKey(key) if key else None,
                                connect_timeout=2.0, read_timeout=5.0, total_timeout=6.0, max_retries=0))


def record(fake, url: str, models=(MODEL,), key: str | None = None, **kw):
    store = HistoryStore(url)
    store.upgrade()
    return Recorder(live_service(fake, key), store).run_pass(list(models), **kw), store


# --- migrations --------------------------------------------------------------------------------------

def test_an_empty_database_upgrades_to_the_schema_the_code_uses(db_url):
    store = HistoryStore(db_url)
    store.upgrade()
    assert store.revision() == "0002"
    inspector = sa.inspect(store.engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {c.name for c in table.columns}, table.name
    store.upgrade()  # idempotent


def test_a_database_of_the_first_schema_upgrades_without_losing_rows(db_url):
    store = HistoryStore(db_url)
    store.upgrade("0001")
    when = dt.datetime(2026, 11, 1)
    store.write_points([Point(MODEL, "standard", "x", "throughput", "p50", when, 70.0)], source_route="GET t",
                       fetched_at=when)
    store.write_changes(MODEL, "standard", "", {"pricing.prompt": "0.00000015"}, source_route="GET m", observed_at=when)
    store.upgrade("head")
    assert store.counts()["points"] == 1 and store.counts()["changes"] == 1


# --- the recorder against the loopback server ------------------------------------------------------

def test_a_pass_records_every_route_with_its_source(fake, db_url):
    result, store = record(fake, db_url)
    assert not result.failures, result.failures
    assert result.routes == 22 and result.points > 400, result
    counts = store.counts()
    assert counts["passes"] == 1 and counts["changes"] > 10
    throughput = store.read_points(MODEL, "standard", "throughput", "p50")
    assert {p.provider for p in throughput} >= {f"{OPENAI_ID}::standard"}
    assert all(p.value is None or p.value > 0 for p in throughput)
    prices = {c.field: c.value for c in store.read_changes(MODEL, "standard") if c.provider == ""}
    assert prices["pricing.prompt"] == "0.00000015" and prices["context_length"] == 128000


def test_rerunning_a_pass_or_two_recorders_at_once_never_duplicate(fake, db_url):
    _, store = record(fake, db_url)
    first = store.counts()
    record(fake, db_url)
    threads = [threading.Thread(target=record, args=(fake, db_url)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = store.counts()
    assert after["points"] == first["points"] and after["changes"] == first["changes"]
    assert after["passes"] == 4


def test_a_change_is_logged_once_when_it_happens(fake, sqlite_url):
    _, store = record(fake, sqlite_url)
    models = fake.routes[("GET", "/api/v1/models")].json
    mini = next(m for m in models["data"] if m["id"] == MODEL)
    mini["pricing"]["prompt"] = "0.0000001"
    record(fake, sqlite_url)
    record(fake, sqlite_url)
    log = [c for c in store.read_changes(MODEL, "standard") if c.provider == "" and c.field == "pricing.prompt"]
    assert [c.value for c in log] == ["0.00000015", "0.0000001"]


@pytest.mark.parametrize("reply, says", [
    (Reply(status=401, json=error_body(401, "No auth credentials found")), "HTTP 401"),
    (Reply(status=429, json=error_body(429, "Rate limit exceeded"), headers={"Retry-After": "30"}), "HTTP 429"),
    (Reply(status=503, json=error_body(503, "overloaded")), "HTTP 503"),
    (Reply(body=b'{"data": [{"x": "2026-11-10", "y": {"a": 1'), "malformed JSON"),
    (Reply(body=b"<html>maintenance</html>"), "malformed JSON"),
    (Reply(json={"data": "maintenance"}), "could not be read"),
    (Reply(delay=8.0), "too slow"),
])
def test_a_failed_route_writes_nothing_and_never_a_zero(fake, sqlite_url, reply, says):
    fake.set("/api/frontend/v1/stats/throughput-comparison", reply)
    result, store = record(fake, sqlite_url)
    failed = [f for f in result.failures if "throughput-comparison" in f]
    assert len(failed) == 4 and all(says in f or "timeout" in f or "answer in time" in f for f in failed), failed
    assert store.read_points(MODEL, "standard", "throughput", "p50") == []
    if says in ("HTTP 429", "HTTP 503"):
        # A struggling host is left alone for its Retry-After: routes not yet asked fail fast and
        # say so, instead of queueing behind it; nothing is written for them either.
        others = [f for f in result.failures if "throughput-comparison" not in f]
        assert all("moments ago; asking again in" in f for f in others), others
        assert "asking again" not in result.summary() or says in result.summary()
    else:
        assert store.read_points(MODEL, "standard", "latency", "p50")  # the other routes were recorded
    assert result.recorded_anything


def test_a_truncated_body_writes_nothing(fake, sqlite_url):
    fake.set("/api/frontend/v1/stats/latency-comparison", Reply(json={"data": []}, stall=30.0))
    result, store = record(fake, sqlite_url)
    assert any("latency-comparison" in f for f in result.failures)
    assert store.read_points(MODEL, "standard", "latency", "p50") == []


def test_nothing_recordable_is_a_non_zero_exit(fake, sqlite_url, monkeypatch):
    fake.down = True
    monkeypatch.setenv("OPENROUTER_BASE_URL", fake.base_url)
    monkeypatch.setenv("ROUTERLENS_TIMEOUT", "1")
    assert record_main(["--db", sqlite_url, "--quiet"]) == 1
    fake.down = False
    assert record_main(["--db", sqlite_url, "--quiet"]) == 0


def test_the_key_is_never_written_to_the_database(fake, sqlite_url, tmp_path):
    record(fake, sqlite_url, key=KEY)
    assert fake.requests_to(f"/api/v1/models/{MODEL}/endpoints")[0].headers["authorization"] == f"Bearer {KEY}"
    for path in tmp_path.glob("history.sqlite*"):
        assert KEY.encode() not in path.read_bytes() and b"sk-or-v1" not in path.read_bytes()


def test_a_recorder_killed_mid_pass_leaves_a_valid_database(fake, tmp_path):
    """kill -9 while a pass is writing: every earlier pass intact, the file consistent."""
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    _, store = record(fake, url, models=("openai/gpt-3.5-turbo",))  # the earlier pass
    before = store.counts()
    asked = threading.Event()

    def slow_hourly(request):
        # gpt-4o-mini's hourly uptime is new to this recording, so the pass asks for it only after
        # it has written every other route: by now it is mid-pass, with writes done.
        asked.set()
        return Reply(json={"data": {"history": []}}, delay=30.0)

    fake.set("/api/frontend/v1/stats/uptime-hourly", slow_hourly)
    env = {**os.environ, "OPENROUTER_BASE_URL": fake.base_url, "ROUTERLENS_TIMEOUT": "60"}
    child = subprocess.Popen([sys.executable, "-m", "routerlens.record", "--db", url, "--quiet"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert asked.wait(60), "the second pass never got to its last routes"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with sqlite3.connect(tmp_path / "history.sqlite") as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        unfinished = check.execute("SELECT count(*) FROM passes WHERE finished_at IS NULL").fetchone()[0]
    after = store.counts()
    assert after["points"] > before["points"] and after["passes"] == before["passes"] + 1 and unfinished == 1
    earlier = store.read_points("openai/gpt-3.5-turbo", "standard", "throughput", "p50")
    assert earlier  # the earlier pass is intact
    fake.set("/api/frontend/v1/stats/uptime-hourly", Reply(json={"data": {"history": []}}))
    result, _ = record(fake, url)  # and the next pass just works
    assert result.recorded_anything


def test_a_steady_state_pass_is_one_wave(fake, sqlite_url):
    """Hourly uptime of endpoints recorded before is fetched together with everything else: the
    stats route here answers only once an hourly request is in flight at the same time."""
    record(fake, sqlite_url)
    stats_reply = fake.routes[("GET", "/api/frontend/v1/stats/endpoint")]
    hourly_handler = fake.routes[("GET", "/api/frontend/v1/stats/uptime-hourly")]
    hourly_seen = threading.Event()

    def hourly(request):
        hourly_seen.set()
        return hourly_handler(request)

    def stats(request):
        if not hourly_seen.wait(5):
            return Reply(status=503, json=error_body(503, "hourly uptime was not fetched in the same wave"))
        return stats_reply

    fake.set("/api/frontend/v1/stats/uptime-hourly", hourly)
    fake.set("/api/frontend/v1/stats/endpoint", stats)
    result, _ = record(fake, sqlite_url)
    assert not result.failures, result.failures


def test_every_route_of_a_pass_is_in_flight_at_once(fake, sqlite_url):
    """No route waits for a second wave (one model has 22 routes since the error rates joined, more
    than the 16 threads a pass once had): here no route answers until all of them are asked."""
    record(fake, sqlite_url)
    steady, _ = record(fake, sqlite_url)  # the steady state: with the hourly uptime of the endpoints now known
    routes = steady.routes
    assert routes > 16
    everyone = threading.Barrier(routes, timeout=5)
    for key, handler in list(fake.routes.items()):
        if key[0] == "GET":
            fake.routes[key] = _after(everyone, handler)
    result, _ = record(fake, sqlite_url)
    assert not result.failures, result.failures


def _after(barrier: threading.Barrier, handler):
    def wait_then_answer(request):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Reply(status=503, json=error_body(503, "not every route of the pass was asked at once"))
        return handler(request) if callable(handler) and not isinstance(handler, Reply) else handler
    return wait_then_answer


# --- an unusable database never breaks a page --------------------------------------------------------

def _recording(url: str, days: int = 40, end: dt.date = dt.date(2026, 11, 20)) -> HistoryStore:
    store = HistoryStore(url)
    store.upgrade()
    rows = []
    for index in range(days):
        day = dt.datetime.combine(end - dt.timedelta(days=days - 1 - index), dt.time())
        if index == 5:
            continue  # a day the recorder missed: a gap
        rows.append(Point(MODEL, "standard", f"{OPENAI_ID}::standard", "throughput", "p50", day, 50.0 + index % 7, 500,
                          "OpenAI"))
        rows.append(Point(MODEL, "standard", OPENAI_ID, "uptime", "", day, 99.5 + (index % 3) / 10, None, "OpenAI"))
    store.write_points(rows, source_route="GET /api/frontend/v1/stats/throughput-comparison",
                       fetched_at=dt.datetime(2026, 11, 20, 12))
    return store


def test_offline_pages_draw_the_recording_as_recorded_not_simulated(sqlite_url, monkeypatch):
    _recording(sqlite_url)
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    at = run_app("pages/performance.py")
    assert not at.exception
    text = page_text(at)
    assert "Recorded by this deployment · 39 points · from 2026-10-12 to 2026-11-20" in text
    import json

    titles = [json.loads(c.proto.spec)["title"] for c in at.get("vega_lite_chart")]
    assert titles[0] == "Throughput, p50, daily"  # real, so not labelled simulated
    assert isinstance(titles[1], dict) and titles[1]["text"].startswith("SIMULATED")  # latency: nothing recorded


def test_a_gap_in_a_recording_is_drawn_as_a_gap(sqlite_url, monkeypatch):
    from routerlens.config import DataMode, Settings
    from routerlens.metrics import metric_series
    from routerlens.service import DataService

    _recording(sqlite_url)
    service = DataService(Settings(mode=DataMode.OFFLINE, history_url=sqlite_url))
    series = metric_series(service, MODEL, "throughput", "p50")
    assert series.provenance.kind.value == "recorded" and len(series.value) == 40
    assert [p.value for p in series.value].count(None) == 1  # the missed day, not interpolated


def test_live_series_extended_by_the_recording_shows_both_badges(live_env, sqlite_url, monkeypatch):
    _recording(sqlite_url)
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    at = run_app("pages/performance.py")
    assert not at.exception
    text = page_text(at)
    assert "Live · fetched" in text and "Recorded by this deployment" in text


@pytest.mark.parametrize("kind", ["missing", "locked", "readonly", "garbage", "unreachable"])
def test_an_unusable_database_falls_back_like_any_failed_source(tmp_path, monkeypatch, kind):
    path = tmp_path / "history.sqlite"
    url = f"sqlite:///{path}"
    holder = None
    if kind in ("locked", "readonly"):
        _recording(url).dispose()
    if kind == "locked":
        holder = sqlite3.connect(path, timeout=0)
        holder.execute("PRAGMA journal_mode=DELETE")
        holder.execute("BEGIN EXCLUSIVE")
    if kind == "readonly":
        path.chmod(0o444)
        tmp_path.chmod(0o555)
    if kind == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    if kind == "unreachable":
        url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", url)
    try:
        at = run_app("pages/performance.py")
        assert not at.exception, [e.message for e in at.exception]
        text = page_text(at)
        if kind == "readonly":
            assert "Recorded by this deployment" in text  # a read-only file is still readable
        else:
            assert "Recorded by this deployment" not in text and "SIMULATED" in str(
                [c.proto.spec for c in at.get("vega_lite_chart")])
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
        tmp_path.chmod(0o755)
        if path.exists():
            path.chmod(0o644)


# --- moving a recording --------------------------------------------------------------------------------

def test_export_and_import_move_a_recording_between_databases(fake, tmp_path, db_url):
    source = f"sqlite:///{tmp_path / 'source.sqlite'}"
    _, store = record(fake, source)
    exported = tmp_path / "recording.jsonl.gz"
    assert record_main(["export", str(exported), "--db", source]) == 0
    assert record_main(["import", str(exported), "--db", db_url]) == 0
    assert record_main(["import", str(exported), "--db", db_url]) == 0  # twice adds nothing
    target = HistoryStore(db_url)
    assert target.counts()["points"] == store.counts()["points"]
    assert target.counts()["changes"] == store.counts()["changes"]
    (tmp_path / "junk.gz").write_bytes(b"not gzip")
    with pytest.raises(HistoryError):
        target.import_(tmp_path / "junk.gz")


def test_every_interval_repeats_until_stopped(fake, sqlite_url, monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", fake.base_url)
    stop = threading.Event()
    stop.set()  # stop after the first pass instead of waiting ten minutes
    assert record_main(["--db", sqlite_url, "--quiet", "--every", "10m"], stop=stop) == 0
    assert HistoryStore(sqlite_url).counts()["passes"] == 1


# --- your own measurements ----------------------------------------------------------------------------

def test_playground_answers_are_recorded_without_prompt_or_key(fake, tmp_path, monkeypatch):
    """A configured recording: each answer's measurements are kept (toggle on by default), never
    the prompt, the answer or the key; the Performance page overlays them as "your requests"."""
    from tests.test_playground_page import KEY as PG_KEY
    from tests.test_playground_page import PAGE, send

    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    monkeypatch.delenv("ROUTERLENS_OFFLINE", raising=False)
    monkeypatch.setenv("OPENROUTER_BASE_URL", fake.base_url)
    monkeypatch.setenv("ROUTERLENS_DATA_MODE", "auto")
    monkeypatch.setenv("OPENROUTER_API_KEY", PG_KEY)
    monkeypatch.setenv("ROUTERLENS_SHARED_KEY_PLAYGROUND", "1")
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", url)
    at = run_app(PAGE)
    assert at.toggle(key="pg_record").value is True
    send(at, "A secret prompt that must not be stored")
    assert not at.exception, [e.message for e in at.exception]
    store = HistoryStore(url)
    kept = store.read_measurements(MODEL, "standard")
    assert len(kept) == 1 and kept[0].ok and kept[0].ttft_ms is not None and kept[0].provider
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite*"))
    assert b"secret prompt" not in raw and PG_KEY.encode() not in raw
    performance = run_app("pages/performance.py")
    assert not performance.exception
    assert "Your requests: 1 playground answer(s)" in page_text(performance)
    at.toggle(key="pg_record").set_value(False).run()
    send(at, "Another prompt")
    assert len(store.read_measurements(MODEL, "standard")) == 1  # off means off


def test_no_configured_recording_means_the_toggle_is_off_and_says_why():
    at = run_app("pages/playground.py")
    toggle = at.toggle(key="pg_record")
    assert toggle.value is False and toggle.disabled


def test_recorded_price_changes_show_on_pricing_and_in_the_spec_history(fake, sqlite_url, monkeypatch):
    record(fake, sqlite_url)
    models = fake.routes[("GET", "/api/v1/models")].json
    next(m for m in models["data"] if m["id"] == MODEL)["pricing"]["prompt"] = "0.0000001"
    record(fake, sqlite_url)
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    pricing = run_app("pages/pricing.py")
    assert not pricing.exception
    from tests.conftest import markdown_tables

    table = next(t for t in markdown_tables(pricing) if "What" in t.columns)
    change = table[table["What"] == "pricing.prompt"].iloc[0]
    assert (change["Where"], change["From"], change["To"]) == ("model entry", "$0.15/M", "$0.10/M")
    overview = run_app()
    history = next(t for t in markdown_tables(overview) if "Captured" in t.columns)
    assert list(history["Input $/M"])[-2:] == ["$0.15/M", "$0.10/M"]  # the bundled captures, then the recording


# --- every time-series chart reads the recording: activity, effective price, hourly uptime --------

def _activity_recording(url: str, days: int = 20, end: dt.date = dt.date(2026, 11, 20)) -> HistoryStore:
    store = HistoryStore(url)
    store.upgrade()
    rows = []
    for index in range(days):
        if index == 3:
            continue  # a missed day
        day = dt.datetime.combine(end - dt.timedelta(days=days - 1 - index), dt.time())
        for metric, value in (("tokens-prompt", 7e9), ("tokens-completion", 1e9), ("tokens-cached", 2e9),
                              ("requests", 3e6 + index)):
            rows.append(Point(MODEL, "standard", "", metric, "", day, value))
    store.write_points(rows, source_route="GET /api/frontend/v1/stats/top-apps-for-model", fetched_at=dt.datetime(2026, 11, 20))
    return store


def _offline_model(service):
    from routerlens.service import find_model

    from routerlens.parse import parse_models
    from routerlens.snapshot import Bundled
    from routerlens.service import Want

    return service.get(Want("models", parse_models, None, bundled=Bundled.at("/api/v1/models"),
                            pick=lambda models: find_model(MODEL, models))).value


def test_recorded_activity_is_drawn_with_its_gap_and_never_simulated(sqlite_url):
    from routerlens import usage
    from routerlens.config import DataMode, Settings
    from routerlens.service import DataService

    _activity_recording(sqlite_url)
    service = DataService(Settings(mode=DataMode.OFFLINE, history_url=sqlite_url))
    days = usage.daily_activity(service, _offline_model(service))
    assert days.provenance.kind.value == "recorded" and "19 days" not in days.provenance.note
    assert len(days.value) == 20 and sum(day.is_gap for day in days.value) == 1
    summary = usage.summarize(days.value)
    assert summary.missing == 1 and summary.total == 19 * 8_000_000_000  # only the days with data
    assert summary.requests == sum(3_000_000 + i for i in range(20) if i != 3)


def test_offline_activity_page_says_recorded_and_shows_the_missing_day(sqlite_url, monkeypatch):
    _activity_recording(sqlite_url)
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    at = run_app("pages/activity.py")
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "Recorded by this deployment · 76 points · from 2026-11-01 to 2026-11-20" in text
    assert "1 without data" in text and "Simulated · Total tokens" not in text
    from tests.test_providers_pages import charts

    spec, frames = next((s, f) for s, f in charts(at) if "Tokens per day" in str(s.get("title")))
    dates = set(pd.to_datetime(frames[0]["Date"]).dt.date)
    assert len(dates) == 19 and dt.date(2026, 11, 4) not in dates  # the gap is drawn as no bar


def test_live_activity_extended_by_the_recording_shows_both_badges(live_env, sqlite_url, monkeypatch):
    _activity_recording(sqlite_url, end=dt.date(2024, 6, 30))  # before the fake server's live window
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    at = run_app("pages/activity.py")
    assert not at.exception
    text = page_text(at)
    assert "Live · fetched" in text and "Recorded by this deployment" in text


def _effective_recording(url: str, days: int = 10, end: dt.date = dt.date(2026, 11, 20)) -> HistoryStore:
    store = HistoryStore(url)
    store.upgrade()
    rows = []
    for index in range(days):
        if index == 6:
            continue
        day = dt.datetime.combine(end - dt.timedelta(days=days - 1 - index), dt.time())
        rows += [Point(MODEL, "standard", "", "effective-input-per-m", "", day, 0.12 - index / 1000),
                 Point(MODEL, "standard", OPENAI_ID, "effective-input-per-m", "", day, 0.118, label="OpenAI")]
    store.write_points(rows, source_route="GET /api/frontend/v1/stats/effective-pricing",
                       fetched_at=dt.datetime(2026, 11, 20))
    store.write_changes(MODEL, "standard", "", {"pricing.prompt": "0.00000015"}, source_route="GET /api/v1/models",
                        observed_at=dt.datetime(2026, 11, 11, 6))
    store.write_changes(MODEL, "standard", "", {"pricing.prompt": "0.0000001"}, source_route="GET /api/v1/models",
                        observed_at=dt.datetime(2026, 11, 15, 6))
    return store


def test_effective_price_history_is_recorded_with_gaps_and_live_today(fake, sqlite_url):
    from routerlens.config import DataMode, Settings
    from routerlens.effective_pricing import OVERALL, effective_price_history
    from routerlens.service import DataService

    _effective_recording(sqlite_url)
    offline = DataService(Settings(mode=DataMode.OFFLINE, history_url=sqlite_url))
    history = effective_price_history(offline, MODEL, "input")
    assert history.provenance.kind.value == "recorded"
    overall = [p.value for p in history.value if p.provider == OVERALL]
    assert len(overall) == 10 and overall.count(None) == 1  # the missed day is a gap
    auto = DataService(Settings(base_url=fake.base_url, mode=DataMode.AUTO, history_url=sqlite_url,
                                connect_timeout=2.0, read_timeout=5.0, total_timeout=6.0, max_retries=0))
    both = effective_price_history(auto, MODEL, "input")
    assert both.provenance.kind.value == "live" and both.also and both.also[0].kind.value == "recorded"
    assert len({p.when.date() for p in both.value}) == 11  # today (live) after the recorded days


def test_pricing_page_draws_price_history_with_change_markers(sqlite_url, monkeypatch):
    from tests.test_providers_pages import charts

    _effective_recording(sqlite_url)
    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    at = run_app("pages/pricing.py")
    assert not at.exception, [e.message for e in at.exception]
    spec, frames = next((s, f) for s, f in charts(at) if "Effective input price per day" in str(s.get("title")))
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point", "line", "rule"]
    change = next(frame for frame in frames if "from" in frame.columns)
    assert (change["from"].tolist(), change["to"].tolist()) == (["$0.15/M"], ["$0.10/M"])
    listed = next(frame for frame in frames if list(frame.columns) == ["date", "value"])
    assert listed["value"].round(4).tolist() == [0.15, 0.1, 0.1]  # held until the last recorded day only
    assert "1 recorded input-price change(s) are marked" in page_text(at)


def test_pricing_page_without_history_explains_how_to_record_it():
    at = run_app("pages/pricing.py")
    assert not at.exception
    assert "Run the recorder" in page_text(at)
    assert not [s for s in at.get("vega_lite_chart") if "Effective input price" in s.proto.spec]


def test_recorded_hourly_uptime_outlives_the_live_window_and_is_found_offline(fake, sqlite_url):
    from routerlens import uptime
    from routerlens.config import DataMode, Settings
    from routerlens.providers import provider_table
    from routerlens.service import DataService

    record(fake, sqlite_url)
    offline = DataService(Settings(mode=DataMode.OFFLINE, history_url=sqlite_url))
    table = provider_table(offline, MODEL)
    azure = next(row for row in table.rows if row.label == "Azure")
    assert not azure.endpoint.endpoint_id  # the bundled list has no ids: found by provider name
    hourly = uptime.uptime_hourly(offline, MODEL, table, azure)
    assert hourly.provenance.kind.value == "recorded" and len(hourly.value) == 72
    assert min(p.uptime for p in hourly.value if p.uptime is not None) == 12.5  # the real dip, not a simulation


# --- the app keeping what its live pages fetch (a setting, off by default) ----------------------------

def test_record_live_is_off_by_default_and_read_from_secrets_or_environment(sqlite_url):
    from routerlens.config import load_settings

    assert load_settings({}).record_live is False
    assert load_settings({"ROUTERLENS_RECORD_LIVE": "1", "ROUTERLENS_HISTORY_URL": sqlite_url}).record_live
    on = load_settings({}, {"connections": {"history": {"url": sqlite_url, "record_live": True}}})
    assert on.record_live and on.history_url == sqlite_url
    assert not load_settings({"ROUTERLENS_RECORD_LIVE": "1", "ROUTERLENS_HISTORY_URL": "off"}).record_live


def test_live_fetches_of_a_watched_model_are_kept_and_nothing_else(fake, tmp_path):
    from routerlens import metrics, uptime
    from routerlens.history.recorder import LiveRecorder
    from routerlens.providers import provider_table

    path = tmp_path / "kept.sqlite"
    store = HistoryStore(f"sqlite:///{path}")
    store.upgrade()
    service = live_service(fake, KEY)
    keeper = LiveRecorder(service, store)
    service.observer = keeper.observe
    keeper.watch(MODEL)
    table = provider_table(service, MODEL)
    metrics.metric_series(service, MODEL, "throughput", "p50", table=table)
    uptime.uptime_hourly(service, MODEL, table, table.rows[0])
    provider_table(service, "openai/gpt-3.5-turbo")  # a model no page watched: not kept
    keeper.flush(timeout=10)
    assert not keeper.totals.failures, keeper.totals.failures
    assert {p.provider for p in store.read_points(MODEL, "standard", "throughput", "p50")} >= {f"{OPENAI_ID}::standard"}
    assert store.read_points(MODEL, "standard", "uptime-hourly")  # found via the stats answer's endpoint ids
    assert store.read_changes(MODEL, "standard")  # the model entry and its endpoints
    assert not store.read_changes("openai/gpt-3.5-turbo", "standard")
    assert KEY.encode() not in path.read_bytes()


def test_the_app_keeps_its_live_fetches_when_asked_and_says_so(live_env, sqlite_url, monkeypatch):
    from components.context import service_for
    from components.recording import keep_live_fetches
    from routerlens.config import load_settings

    monkeypatch.setenv("ROUTERLENS_HISTORY_URL", sqlite_url)
    monkeypatch.setenv("ROUTERLENS_RECORD_LIVE", "1")
    at = run_app()
    assert "Keeping live fetches in SQLite file" in page_text(at)  # the sidebar (AppTest drops it on switching)
    at.switch_page("pages/performance.py").run()
    assert not at.exception, [e.message for e in at.exception]
    settings = load_settings()
    keep_live_fetches(settings, service_for(settings), MODEL).flush(timeout=10)  # the app's own keeper
    store = HistoryStore(sqlite_url)
    assert store.read_points(MODEL, "standard", "throughput", "p50")
    assert store.read_points(MODEL, "standard", "latency", "p50")


def test_history_url_from_streamlit_secrets_connections_section(sqlite_url):
    _recording(sqlite_url)
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["connections"] = {"history": {"url": sqlite_url}}
    at.run()
    at.switch_page("pages/performance.py").run()
    assert not at.exception
    assert "Recorded by this deployment · 39 points" in page_text(at)
