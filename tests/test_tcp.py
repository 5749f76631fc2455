"""routerlens.tcp: Nagle off on the app server's sockets, and only on those."""

import socket
import sys

import pytest

from routerlens.tcp import enable_nodelay, enable_nodelay_once

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.fixture
def server():
    """A listener bound the way Streamlit 1.67 binds it: ``socket.socket(family)``, proto 0, so
    asyncio's own TCP_NODELAY step skips it and its connections."""
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    opened = [listener]
    yield listener, opened
    for sock in opened:
        sock.close()


def connect(listener, opened):
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    opened += [client, accepted]
    return client, accepted


def test_the_listener_and_its_open_connections_get_nodelay_other_sockets_do_not(server):
    listener, opened = server
    client, accepted = connect(listener, opened)
    assert listener.proto == 0 and nodelay(listener) == 0 and nodelay(accepted) == 0

    changed = enable_nodelay(listener.getsockname()[1])

    assert changed == 2
    assert nodelay(listener) and nodelay(accepted)
    assert nodelay(client) == 0  # the client end has another local port: not ours to change
    assert enable_nodelay(listener.getsockname()[1]) == 0  # nothing left to change


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inheritance from the listener is Linux behaviour")
def test_connections_accepted_afterwards_inherit_it(server):
    listener, opened = server
    enable_nodelay(listener.getsockname()[1])
    _, accepted = connect(listener, opened)
    assert nodelay(accepted)


def test_once_per_port_and_harmless_without_a_port(server):
    listener, opened = server
    port = listener.getsockname()[1]
    assert enable_nodelay(0) == 0
    assert enable_nodelay_once(port) == 1
    if sys.platform.startswith("linux"):
        connect(listener, opened)
        assert enable_nodelay_once(port) == 0  # the scan is not repeated


def test_the_descriptors_it_inspects_stay_open(server):
    listener, opened = server
    _, accepted = connect(listener, opened)
    enable_nodelay(listener.getsockname()[1])
    accepted.sendall(b"ping")  # would raise on a closed descriptor
    assert opened[1].recv(4) == b"ping"
