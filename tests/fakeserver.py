"""A real HTTP server on 127.0.0.1 that speaks OpenRouter's wire format, for tests and demos.

It serves JSON fixtures shaped like OpenRouter's responses (``tests/fixtures``), streams chat
completions as SSE (with ``: OPENROUTER PROCESSING`` keep-alives and the final usage chunk), and
can be told to misbehave: an error status with OpenRouter's error body, ``Retry-After``, a delay
before the headers, a stall after them, malformed JSON, a stream cut off mid-answer, a dropped
connection. Every request it receives is recorded (method, path, query, headers, JSON body), so
tests can assert what the app sent.

Run it on its own to point the app at it::

    python -m tests.fakeserver --port 8931
    OPENROUTER_BASE_URL=http://127.0.0.1:8931/api/v1 streamlit run app.py
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Reply:
    """What the server sends for one request."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    """Raw body (wins over ``json``): use for malformed JSON."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds before anything is sent (a slow server)."""
    stall: float = 0.0
    """Seconds after the headers, before the body (a stalled response)."""
    sse: list | None = None
    """Server-sent events: each item is a raw line to send (``"data: {...}"``, ``": keep-alive"``),
    a dict (sent as ``data: <json>``), or ``("sleep", seconds)``."""
    drop: bool = False
    """Close the connection without answering."""
    chunk_delay: float = 0.0
    """Seconds between SSE items."""


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    raw_body: bytes


def error_body(status: int, message: str, error_type: str | None = None, **metadata) -> dict:
    """OpenRouter's error envelope."""
    meta = dict(metadata)
    if error_type:
        meta["error_type"] = error_type
    return {"error": {"code": status, "message": message, "metadata": meta or None}, "user_id": "user_test"}


def all_at_once(count: int, payload: Callable[[Recorded], Any] | None = None, timeout: float = 5.0) -> Callable:
    """A handler that answers only when ``count`` requests are in flight together (a 503 after
    ``timeout`` otherwise): routes served by it prove that a client fetched them concurrently."""
    barrier = threading.Barrier(count, timeout=timeout)

    def handler(request: Recorded) -> Reply:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Reply(status=503, json=error_body(503, "requests did not arrive concurrently"))
        return Reply(json=payload(request) if payload else {"data": []})

    return handler


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


Handler = Callable[[Recorded], Reply]


class FakeOpenRouter:
    """Routes are ``(METHOD, path)`` → a :class:`Reply` or a callable returning one.
    ``queue`` adds one-shot replies that are served first (e.g. a 429, then success)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host, self.port = host, port
        self.routes: dict[tuple[str, str], Reply | Handler] = {}
        self.queued: dict[tuple[str, str], collections.deque] = collections.defaultdict(collections.deque)
        self.requests: list[Recorded] = []
        self.down = False
        """When True every request is dropped (the server "stops answering")."""
        self.aborted: list[Recorded] = []
        """Requests whose client hung up before the reply was fully written."""
        self._aborted_event = threading.Event()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.install_defaults()

    # -- configuration ---------------------------------------------------------------------------

    def install_defaults(self) -> None:
        """The default fixture set: gpt-4o-mini and friends, shaped like OpenRouter's responses."""
        self.routes.clear()
        self.set_json("/api/v1/models", load_fixture("models.json"))
        self.set_json("/api/v1/providers", load_fixture("providers.json"))
        self.set_json("/api/v1/models/openai/gpt-4o-mini/endpoints", load_fixture("endpoints_gpt-4o-mini.json"))
        self.set_json("/api/v1/models/openai/gpt-3.5-turbo/endpoints", load_fixture("endpoints_gpt-3.5-turbo.json"))
        for extra in sorted(FIXTURES.glob("routes_*.json")):
            # Extra route tables: {"GET /path": payload, ...} (pages add theirs this way).
            for spec, payload in load_fixture(extra.name).items():
                method, path = spec.split(" ", 1)
                self.set_json(path, payload, method=method)
        for module_path in sorted(Path(__file__).resolve().parent.glob("fake_*.py")):
            # Dynamic behaviour (chat streaming, …) lives in tests/fake_<topic>.py modules that
            # define install(server).
            import importlib

            module = importlib.import_module(f"tests.{module_path.stem}")
            module.install(self)

    def set(self, path: str, reply: Reply | Handler, *, method: str = "GET") -> None:
        with self._lock:
            self.routes[(method.upper(), path)] = reply

    def set_json(self, path: str, payload: Any, *, status: int = 200, method: str = "GET",
                 headers: dict[str, str] | None = None) -> None:
        self.set(path, Reply(status=status, json=payload, headers=dict(headers or {})), method=method)

    def queue(self, path: str, *replies: Reply, method: str = "GET") -> None:
        with self._lock:
            self.queued[(method.upper(), path)].extend(replies)

    def fail_everything(self, reply: Reply) -> None:
        """Answer every known route with ``reply`` (e.g. a 500 or a stall)."""
        with self._lock:
            for key in list(self.routes):
                self.routes[key] = reply

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def requests_to(self, path: str, method: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/v1"

    def start(self) -> FakeOpenRouter:
        server = self

        class _Handler(_RequestHandler):
            fake = server

        self._server = ThreadingHTTPServer((self.host, self.port), _Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openrouter", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenRouter:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_for_abort(self, timeout: float = 10.0) -> bool:
        """Block until a client hangs up mid-reply (the event, not a poll); False on timeout."""
        return self._aborted_event.wait(timeout)

    def wait(self, seconds: float) -> bool:
        """Sleep that ends early when the server stops (so stalls never outlive a test)."""
        return self._stop.wait(seconds)

    # -- dispatch --------------------------------------------------------------------------------

    def resolve(self, request: Recorded) -> Reply:
        key = (request.method, request.path)
        with self._lock:
            self.requests.append(request)
            if self.queued.get(key):
                return self.queued[key].popleft()
            route = self.routes.get(key)
        if self.down:
            return Reply(drop=True)
        if route is None:
            return Reply(status=404, json=error_body(404, f"No route {request.method} {request.path}", "not_found"))
        if callable(route) and not isinstance(route, Reply):
            return route(request)
        return copy.copy(route)


class _RequestHandler(BaseHTTPRequestHandler):
    fake: FakeOpenRouter
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body go out as separate writes; without TCP_NODELAY the second request on a
    kept-alive connection waits ~40 ms for a delayed ACK (it skewed timings in bench/run.py)."""

    def log_message(self, format: str, *args) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = Recorded(method, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()},
                           body, raw)
        reply = self.fake.resolve(request)
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            with self.fake._lock:
                self.fake.aborted.append(request)
            self.fake._aborted_event.set()

    def _send(self, reply: Reply) -> None:
        fake = self.fake
        if reply.delay and fake.wait(reply.delay):
            return
        if reply.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        if reply.sse is not None:
            self.send_response(reply.status)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.close_connection = True
            if reply.stall and fake.wait(reply.stall):
                return
            for item in reply.sse:
                if isinstance(item, tuple) and item and item[0] == "sleep":
                    if fake.wait(float(item[1])):
                        return
                    continue
                if isinstance(item, (dict, list)):
                    line = "data: " + json.dumps(item)
                else:
                    line = str(item)
                self.wfile.write((line + "\n\n").encode() if not line.startswith(":") else (line + "\n").encode())
                self.wfile.flush()
                if reply.chunk_delay and fake.wait(reply.chunk_delay):
                    return
            return
        if reply.body is not None:
            payload = reply.body
        else:
            payload = json.dumps(reply.json).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.stall:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            if fake.wait(reply.stall):
                return
            self.wfile.write(payload[len(payload) // 2:])
        else:
            self.wfile.write(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    server = FakeOpenRouter(args.host, args.port).start()
    print(f"fake OpenRouter at {server.base_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
