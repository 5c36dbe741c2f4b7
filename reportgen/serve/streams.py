"""A request's bytes for ``http.server``'s handler: read exactly, within a deadline, never past
the request (what follows is the next one's), and answers written at once."""

from __future__ import annotations

import io
import socket
import time
from typing import Any

BODY_SECONDS = 60.0  # to receive a request's body, and again to send the answer


class ConnectionLost(OSError):
    """The browser went away, or was too slow to send its request or take the answer."""


class Incoming(io.BufferedIOBase):
    """A connection's bytes for the handler: first those read with the request head, then the
    socket's. It never reads past what is asked, so bytes left over after a request are the
    next request's and stay with the connection."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__()
        self.connection = connection
        self.data = bytearray()

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        limit = -1 if size is None else size
        while True:
            end = self.data.find(b"\n")
            if end >= 0 and (limit < 0 or end < limit):
                return self._take(end + 1)
            if 0 <= limit <= len(self.data):
                return self._take(limit)
            chunk = self.connection.recv(4096)  # only for a head longer than the one read
            if not chunk:
                return self._take(len(self.data))
            self.data += chunk

    def read(self, size: int | None = -1) -> bytes:
        """Exactly ``size`` bytes within BODY_SECONDS, else :class:`ConnectionLost`."""
        if size is None or size < 0:
            raise ValueError("Incoming.read needs a size")
        result = bytearray(size)
        done = min(size, len(self.data))
        result[:done] = self._take(done)
        deadline = time.monotonic() + BODY_SECONDS
        with memoryview(result) as view:
            while done < size:
                try:
                    self._time_left(deadline)
                    got = self.connection.recv_into(view[done:], size - done)
                except OSError as exc:  # TimeoutError included
                    raise ConnectionLost(str(exc)) from exc
                if not got:
                    raise ConnectionLost("the sender stopped before the end of its request")
                done += got
        return bytes(result)

    def discard(self, size: int, seconds: float) -> bool:
        """Read and drop ``size`` bytes within ``seconds``; whether they all came."""
        size -= len(self._take(min(size, len(self.data))))
        scratch = bytearray(256 * 1024)
        deadline = time.monotonic() + seconds
        try:
            while size > 0:
                self._time_left(deadline)
                got = self.connection.recv_into(scratch, min(size, len(scratch)))
                if not got:
                    return False
                size -= got
        except OSError:  # TimeoutError included
            return False
        return True

    def _time_left(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)

    def _take(self, size: int) -> bytes:
        taken = bytes(self.data[:size])
        del self.data[:size]
        return taken


class Outgoing(io.BufferedIOBase):
    """The handler's writes, sent at once (``sendall`` bounds each by the socket's timeout)."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__()
        self.connection = connection

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        try:
            self.connection.sendall(data)
        except OSError as exc:  # TimeoutError included
            raise ConnectionLost(str(exc)) from exc
        return len(data)
