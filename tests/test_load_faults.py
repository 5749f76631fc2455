"""The load run's own bookkeeping (bench/load_faults.py), checked without a browser.

How a streaming session knows its turn's run has ended decides whether the run reports a hang:
an observer of the page's script-state attribute missed runs that ended within one React commit
(an instant 429), and the load test then waited 120-180 s for a run it had already seen end.
"""

from __future__ import annotations

import asyncio

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load_faults import RunWatch, Session, lost_messages
from tests.conftest import run_alone


def _frame(kind: str, status: int | None = None) -> bytes:
    msg = ForwardMsg()
    if kind == "new_session":
        msg.new_session.page_script_hash = "page"
    else:
        msg.script_finished = status
    return msg.SerializeToString()


def test_run_watch_counts_each_run_once_from_the_wire():
    watch = RunWatch()
    # Enter in the chat: the fragment's run ends early for the app-wide rerun, which then ends.
    for payload in (_frame("new_session"), _frame("finished", ForwardMsg.FINISHED_EARLY_FOR_RERUN),
                    _frame("new_session"), _frame("finished", ForwardMsg.FINISHED_SUCCESSFULLY)):
        watch._frame(payload)
    assert (watch.started, watch.finished) == (2, 1)
    watch._frame(_frame("new_session"))
    watch._frame(_frame("finished", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY))  # a fragment's own run
    assert (watch.started, watch.finished) == (3, 2)
    watch._frame("a text frame")  # not Streamlit's protobuf: ignored
    other = ForwardMsg()
    other.page_not_found.page_name = "nowhere"  # another kind of message: not a run
    watch._frame(other.SerializeToString())
    assert (watch.started, watch.finished) == (3, 2)


def test_run_watch_wakes_on_a_later_frame_and_gives_up_at_its_timeout():
    async def scenario():
        watch = RunWatch()
        asyncio.get_running_loop().call_soon(watch._frame, _frame("finished", ForwardMsg.FINISHED_SUCCESSFULLY))
        woke = await watch.wait(lambda: watch.finished > 0, 30.0)
        gave_up = await watch.wait(lambda: watch.finished > 1, 0.05)
        return woke, gave_up

    assert run_alone(scenario()) == (True, False)


def test_lost_messages_names_the_prompt_whose_answer_is_missing():
    session = Session("stream-0", sent=["load s0 m0 lorem", "load s0 m1 lorem"])
    transcript = [["user", "face load s0 m0 lorem"], ["assistant", "smart_toy Echo: load s0 m0 lorem"],
                  ["user", "face load s0 m1 lorem"], ["assistant", "smart_toy error Rate limited (429)."]]
    assert lost_messages(session, transcript) == ["answer to 'load s0 m1' missing"]
    transcript[-1] = ["assistant", "smart_toy Echo: load s0 m1 lorem"]
    assert lost_messages(session, transcript) == []
