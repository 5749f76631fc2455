"""Turn Nagle's algorithm off on the Streamlit server's own sockets.

Why: Streamlit 1.67 serves through uvicorn on a socket it binds itself with ``socket.socket(family)``,
whose ``proto`` is 0. asyncio only sets ``TCP_NODELAY`` on accepted sockets whose ``proto`` is
``IPPROTO_TCP`` (``asyncio.base_events._set_nodelay``), so the server's sockets keep Nagle on. Every
response that leaves in two writes (headers, then body) then waits for the browser's delayed ACK,
about 40 ms on Linux: each JavaScript chunk the page lazy-loads on a kept-alive connection, and
every burst of websocket messages (a rerun's deltas, a streamed answer's first token).
Measured on loopback: a 2-byte ``/_stcore/health`` on a kept-alive connection takes 44 ms with
Nagle on and 0.7 ms with it off.

``enable_nodelay(port)`` sets ``TCP_NODELAY`` on every TCP socket of this process whose local port
is ``port``: the listening socket (Linux copies the option to the sockets it accepts from then on)
and the connections already open. It never touches other sockets, never raises, and returns how
many sockets it changed. POSIX only (it lists ``/dev/fd``); elsewhere it does nothing.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading

_lock = threading.Lock()
_done_ports: set[int] = set()


def _open_fds() -> list[int]:
    for directory in ("/proc/self/fd", "/dev/fd"):
        try:
            return [int(name) for name in os.listdir(directory) if name.isdigit()]
        except OSError:
            continue
    return []


def _set_on_fd(fd: int, port: int) -> bool:
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            return False
        dup = socket.socket(fileno=os.dup(fd))  # a second handle on the same socket
    except (OSError, ValueError):
        return False
    try:
        if dup.family not in (socket.AF_INET, socket.AF_INET6) or dup.type != socket.SOCK_STREAM:
            return False
        if dup.getsockname()[1] != port:
            return False
        if dup.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY):
            return False
        dup.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return True
    except OSError:
        return False
    finally:
        dup.close()  # closes the duplicate descriptor only


def enable_nodelay(port: int) -> int:
    """Set TCP_NODELAY on this process's TCP sockets bound to ``port``; the number changed."""
    if os.name != "posix" or not hasattr(socket, "TCP_NODELAY") or not port:
        return 0
    return sum(_set_on_fd(fd, port) for fd in _open_fds())


def enable_nodelay_once(port: int) -> int:
    """``enable_nodelay`` the first time it is asked for ``port`` in this process, then nothing
    on Linux, where the listening socket passes the option on to every connection it accepts
    afterwards. Elsewhere that inheritance is not promised, so it scans every time (well under a
    millisecond)."""
    with _lock:
        if port in _done_ports:
            return 0
        if sys.platform.startswith("linux"):
            _done_ports.add(port)
    return enable_nodelay(port)
