"""The limits of ``reportgen serve``'s connections pinned from both sides, as tests/test_boundaries.py
pins the data's: exactly on it, one unit inside, one unit outside (benchmarks/mutation.py checks
that these tests notice a moved line)."""

from __future__ import annotations

import socket

import pytest

from reportgen.serve import connections
from reportgen.serve.server import ReportServer
from tests import test_serve_connections as raw

server = raw.server  # the fixture, shared

# --- a head over MAX_HEAD_BYTES: what follows it is read and dropped up to LINGER_BYTES ---------

HEAD = b"GET /api/state HTTP/1.1\r\nX-Long: "  # a head that never ends
MAX_HEAD_BYTES = 64 * 1024  # the limits as documented, not read from the code under test
LINGER_BYTES = 1024 * 1024


@pytest.mark.parametrize(
    ("following", "reset"),
    [
        (LINGER_BYTES - 1, False),  # one unit inside
        (LINGER_BYTES, False),  # exactly on it
        (LINGER_BYTES + 1, True),  # one unit outside: that byte is never read
    ],
)
def test_what_follows_a_head_too_long_is_dropped_up_to_linger_bytes(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch, following: int, reset: bool
) -> None:
    """The server reads the head up to one byte past MAX_HEAD_BYTES, answers 431, then reads
    and drops at most LINGER_BYTES more before it closes: a byte left unread makes the close a
    reset (a client still sending may lose the answer), none left a plain close."""
    monkeypatch.setattr(connections, "HEAD_SECONDS", 30.0)  # the bytes' time is not the bound
    sent = HEAD + b"a" * (MAX_HEAD_BYTES + 1 - len(HEAD) + following)
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(sent)
        received = b""
        while chunk := connection.recv(65536):  # the answer, then the server's end of sending
            received += chunk
        assert received.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
        if following < LINGER_BYTES:
            connection.shutdown(socket.SHUT_WR)  # all is sent: the server stops waiting
        raw.until(lambda: server.held == 0, "the server has closed the connection")
        # a reset after the server's end of sending is not seen by recv, only as the error
        error = connection.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    assert (error != 0) == reset
