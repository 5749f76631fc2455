"""The load run's protocol client (bench/protocol_session.py) notices what a person would.

A real Streamlit server (no browser) runs a throwaway two-page app: one page renders a large
element in the sidebar (large enough for Streamlit's message cache), the other raises. The client
must render the first page, see the second's exception, move between pages by the hashes the
server lists, substitute the references the server sends for messages the client reported
cached, and report a page that does not exist. If it missed any of these, the load run's
"0 exceptions" for its protocol sessions would mean nothing.
"""

from __future__ import annotations

import textwrap

import pytest

from bench.protocol_session import ProtocolError, ProtocolSession
from tests.browser.harness import StreamlitServer, app_env
from tests.conftest import run_alone

BIG = "x" * 20_000  # over Streamlit's global.minCachedMessageSize (10 kB): the element is cacheable

MAIN = textwrap.dedent(f"""\
    import streamlit as st

    st.sidebar.code({BIG!r})
    page = st.navigation([st.Page("fine.py", default=True), st.Page("broken.py", url_path="broken")])
    page.run()
""")
FINE = 'import streamlit as st\n\nst.title("All is well")\nst.query_params["seen"] = "yes"\n'
BROKEN = 'import streamlit as st\n\nst.write("about to fail")\nraise ValueError("the page broke on purpose")\n'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("protocol_app")
    for name, text in (("main.py", MAIN), ("fine.py", FINE), ("broken.py", BROKEN)):
        (folder / name).write_text(text)
    with StreamlitServer(script=folder / "main.py", env=app_env()) as app:
        yield app


def test_a_protocol_session_renders_pages_and_sees_their_exceptions(server):
    async def visit():
        async with ProtocolSession(server.url, timeout_s=60) as session:
            return (await session.open(""), await session.open("broken"), await session.open(""),
                    await session.rerun(), dict(session.pages), session.query_string)

    fine, broken, back, again, pages, query = run_alone(visit())
    assert fine.status == "ok" and not fine.exceptions and not fine.failed
    assert fine.elements >= 2  # the sidebar's code and the title
    assert broken.failed and any("ValueError" in text and "on purpose" in text for text in broken.exceptions), broken
    assert not back.exceptions and back.status == "ok"  # a failure does not stick to the session
    assert set(pages) == {"", "broken"}  # the navigation message named both pages
    # The large sidebar element was cached after the first run and reported: the server sent a
    # reference instead, and the client put the element back.
    assert broken.cache_hits >= 1 and back.cache_hits >= 1 and again.cache_hits >= 1
    assert query == "seen=yes" and again.page == ""  # the rerun kept the page and its query string


def test_a_page_that_does_not_exist_is_reported(server):
    async def visit():
        async with ProtocolSession(server.url, timeout_s=60) as session:
            first = await session.open("nowhere")
            with pytest.raises(ProtocolError, match="no page at /elsewhere"):
                await session.open("elsewhere")
            return first

    render = run_alone(visit())
    assert any("page not found" in text for text in render.exceptions), render
    assert render.failed
