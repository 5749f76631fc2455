"""Load and faults together, at the suite's scale (the benchmark runs 50 sessions for 60 s).

Sessions browse every page and stream playground answers while the loopback OpenRouter cycles
normal → 429 → normal → 503: no exception, no console error, no server traceback, no lost
message, and every session answers again once the server is well (bench/load_faults.py). Five
sessions run in Chromium (two streaming), five more browse as protocol clients over Streamlit's
websocket (bench/protocol_session.py), as in the benchmark's 50-session run.
"""

from __future__ import annotations

from bench.load_faults import run, verdict
from tests.conftest import run_alone


def test_sessions_survive_a_server_that_keeps_failing():
    # Its own browser and event loop in a thread: the suite's sync Playwright owns this thread's loop.
    result = run_alone(run(sessions=10, streaming=2, seconds=20.0, phase_s=4.0, timeout_s=120.0,
                           browser_sessions=5, arrival_s=2.0, read_pause_s=2.0))
    assert {"429", "503"} <= set(result["phases"]), result["phases"]  # both faults were served
    assert result["page_renders"] >= 3 and result["prompts_sent"] >= 2, result
    assert result["protocol_sessions"] == 5 and result["protocol_page_renders"] >= 5, result
    assert not verdict(result), (verdict(result), result["evidence"])
    # Every Retry click started a run (a click made while a turn's app-wide rerun redrew the chat
    # was lost; the chat now reruns alone after a turn).
    assert result["lost_retry_clicks"] == 0, result["evidence"]
    assert result["answers"] == result["prompts_sent"]  # every prompt, the final ones included, answered
