"""A Streamlit session opened over the websocket the browser uses, without a browser.

The load run (bench/load_faults.py) drives most browsing visitors with this client: on a 2-core
machine, 50 Chromium renderers starve the server they are meant to load, so the run measured the
browsers, not the app. Like protocol-level load tools, :class:`ProtocolSession` speaks Streamlit's
own wire protocol to ``/_stcore/stream`` (protobuf ``BackMsg`` up, ``ForwardMsg`` down), as the
frontend of the installed Streamlit does (checked against 1.67's ``static/js`` and
``streamlit/web/server/starlette/starlette_websocket.py``):

* the websocket offers the ``streamlit`` subprotocol and sends the page's Origin; no XSRF token
  and no session id (a fresh visitor, no login cookie);
* the first page is asked for by name (``rerun_script`` with ``page_name`` = the URL path and an
  empty ``page_script_hash``, what a deep link does); later pages by the hash the server listed
  in its ``navigation`` message (what a sidebar click does), in the same session;
* a run has finished when ``script_finished`` says so with any status but
  ``FINISHED_EARLY_FOR_RERUN`` (an ``st.rerun()`` chain continues) or a fragment's own run;
* the ForwardMsg cache: the server replaces a large element it believes the client holds by a
  ``ref_hash`` message, and believes exactly what the client reported in
  ``ClientState.cached_message_hashes``. The client keeps every ``cacheable`` message it was sent,
  reports their hashes with each rerun, substitutes references, and forgets a message after
  ``max_cached_message_age`` runs without use, as the frontend's ForwardMessageCache does. A
  reference to a message it never had is a :class:`ProtocolError` (the frontend would fail too).
* no periodic messages are needed: the frontend sends ``app_heartbeat`` only when a host page
  asks for one, and the server's websocket pings are answered by the ``websockets`` library.

What the client does not do: draw anything, run the JavaScript of charts or components, or send
widget values (a reader who only opens pages sends none either). Console errors and what a person
sees are checked by the Chromium sessions of the same run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

STREAM_PATH = "/_stcore/stream"
ENDED = {ForwardMsg.FINISHED_SUCCESSFULLY: "ok", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error"}


class ProtocolError(Exception):
    """The server said something the frontend could not have handled."""


@dataclass
class Render:
    """One run of a page, from the request to its ``script_finished``."""

    page: str  # the URL path asked for ("" for the default page)
    seconds: float
    status: str  # how the run ended: "ok" or "compile error"
    exceptions: list[str] = field(default_factory=list)  # "Type: message" per exception shown, and page not found
    elements: int = 0  # new elements drawn (references to cached ones included)
    cache_hits: int = 0  # elements the server sent as references to the client's cache

    @property
    def failed(self) -> bool:
        return self.status != "ok" or bool(self.exceptions)


@dataclass
class _Cached:
    msg: ForwardMsg
    run_count: int


class ProtocolSession:
    """One visitor's Streamlit session over ``/_stcore/stream`` (an async context manager)."""

    def __init__(self, base_url: str, *, timeout_s: float = 60.0, timezone: str = "UTC", locale: str = "en-US"):
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}{STREAM_PATH}"
        self.timeout_s = timeout_s
        self.timezone, self.locale = timezone, locale
        self.page = ""  # the URL path of the page on screen
        self.page_hash = ""  # its script hash, once the server has named it
        self.query_string = ""  # as the server last set it (st.query_params)
        self.pages: dict[str, str] = {}  # URL path → page script hash, from the navigation message
        self.renders: list[Render] = []
        self._ws = None
        self._cache: dict[str, _Cached] = {}
        self._runs = 0  # finished script runs (the cache's clock)
        self._max_age = 2  # runs a cached message survives unused; the server says in new_session

    async def __aenter__(self) -> ProtocolSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        parts = urlsplit(self.base_url)
        self._ws = await asyncio.wait_for(connect(
            self.ws_url, subprotocols=["streamlit"], origin=f"{parts.scheme}://{parts.netloc}",
            max_size=None, open_timeout=self.timeout_s), self.timeout_s)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, url_path: str) -> Render:
        """Go to the page served at ``/url_path``: by name on the first request (a deep link),
        by its script hash afterwards (a click in the sidebar)."""
        state = ClientState(query_string="")
        if not self.pages:
            state.page_name = url_path
        elif url_path in self.pages:
            state.page_script_hash = self.pages[url_path]
        else:
            raise ProtocolError(f"no page at /{url_path}; the server lists {sorted(self.pages)}")
        return await self._run(state, url_path)

    async def rerun(self) -> Render:
        """Run the page on screen again, as a browser's reload of the same URL would."""
        return await self._run(ClientState(query_string=self.query_string, page_script_hash=self.page_hash),
                               self.page)

    async def _run(self, state: ClientState, url_path: str) -> Render:
        if self._ws is None:
            raise ProtocolError("not connected")
        state.cached_message_hashes.extend(self._cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = self.timezone, 0, self.locale
        info.url, info.is_embedded, info.color_scheme = f"{self.base_url}/{url_path}", False, "light"
        render = Render(page=url_path, seconds=0.0, status="")
        started = time.monotonic()
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        try:
            async with asyncio.timeout(self.timeout_s):
                while not render.status:
                    self._handle(await self._receive(render), render)
        except BaseException:
            # Mid-run, the next messages may still belong to this run: a later request could
            # take its end for its own. The session is given up, and says so if asked again.
            await self.close()
            raise
        render.seconds = time.monotonic() - started
        self.page = url_path
        self.renders.append(render)
        return render

    async def _receive(self, render: Render) -> ForwardMsg:
        """The next message, with a reference replaced by the cached message it names."""
        msg = ForwardMsg.FromString(await self._ws.recv())
        if msg.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"the server referred to message {msg.ref_hash}, which was never sent")
            cached.run_count = self._runs
            full = ForwardMsg()
            full.CopyFrom(cached.msg)
            full.metadata.CopyFrom(msg.metadata)
            render.cache_hits += 1
            return full
        if msg.metadata.cacheable and msg.hash:
            self._cache.setdefault(msg.hash, _Cached(msg, self._runs)).run_count = self._runs
        return msg

    def _handle(self, msg: ForwardMsg, render: Render) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._max_age = msg.new_session.config.max_cached_message_age or self._max_age
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.pages = {("" if page.is_default else page.url_pathname): page.page_script_hash
                          for page in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            render.exceptions.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            error = msg.session_event.script_compilation_exception
            render.exceptions.append(f"{error.type}: {error.message}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            render.elements += 1
            if msg.delta.new_element.WhichOneof("type") == "exception":
                error = msg.delta.new_element.exception
                render.exceptions.append(f"{error.type}: {error.message}")
        elif kind == "script_finished" and msg.script_finished in ENDED:
            self._runs += 1
            self._cache = {key: item for key, item in self._cache.items()
                           if self._runs - item.run_count <= self._max_age}
            render.status = ENDED[msg.script_finished]
