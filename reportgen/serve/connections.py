"""Holding the server's connections with bounded threads and memory: a connection waits in one
selector, without a thread, until a whole request head has arrived; then one of at most
:data:`WORKERS` threads answers that one request and gives the connection back.

The standard library's ``ThreadingHTTPServer`` starts a thread for every connection, and an idle
one keeps it for its timeout: 1,500 idle connections held 1,500 threads. Here idle connections
cost a socket each, at most :data:`MAX_CONNECTIONS` are held (the longest idle is closed to make
room for a new one), and a connection that has begun a request head must finish it within
:data:`HEAD_SECONDS`, so neither idle nor slowly written connections keep the clerk's page waiting.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import selectors
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from reportgen.bug_report import say_bug
from reportgen.serve import streams
from reportgen.serve.streams import Incoming, Outgoing

WORKERS = 32  # requests answered at once; more wait, queued, for the first free thread
MAX_CONNECTIONS = 256  # connections held open at once, busy or idle
IDLE_SECONDS = 60.0  # a connection that sends nothing is closed
HEAD_SECONDS = 10.0  # from the first byte of a request to the blank line ending its head
MAX_HEAD_BYTES = 64 * 1024  # as http.server's longest line; a browser's head is under 8 KiB
# Of a head over MAX_HEAD_BYTES, answered 431, what the client still sends is read and dropped
# (within HEAD_SECONDS of its first byte), so that it reads the answer, not a reset connection.
LINGER_BYTES = 1024 * 1024
# ...by at most this many workers at once: anyone may send a long head (the token is in it), and
# one who keeps sending it after the answer must not keep every worker from the clerk's page
LINGERING = 4
ACCEPTED_AT_ONCE = 64  # connections accepted before the others are read again
HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


@dataclass(eq=False)
class Connection:
    socket: socket.socket
    address: Any
    incoming: Incoming
    since: float = field(default_factory=time.monotonic)  # when it began to wait
    scanned: int = 0  # bytes of the head already searched for its end
    too_long: bool = False  # its head went past MAX_HEAD_BYTES: it is answered 431 and closed

    def head_length(self) -> int | None:
        """The request head's length in bytes once its end has arrived (what follows it is
        its body, or the next request), else ``None``."""
        start = max(0, self.scanned - 3)
        self.scanned = len(self.incoming.data)
        data = self.incoming.data
        found = [at + len(end) for end in HEAD_ENDS if (at := data.find(end, start)) >= 0]
        return min(found) if found else None

    def close(self) -> None:
        self.socket.close()


class OneRequestHandler(BaseHTTPRequestHandler):
    """A handler given a :class:`Connection`: it answers one request; the server keeps the
    connection for the next one unless ``close_connection`` says otherwise."""

    def __init__(self, held: Connection, server: socketserver.BaseServer) -> None:
        self.held = held
        super().__init__(held.socket, held.address, server)

    def setup(self) -> None:
        self.connection = self.held.socket
        self.rfile = self.held.incoming
        self.wfile = Outgoing(self.held.socket)

    def handle(self) -> None:
        if self.held.too_long:
            self.refuse_long_head()
        else:
            self.handle_one_request()

    def refuse_long_head(self) -> None:
        """Answer ``431 Request Header Fields Too Large`` (by ``send_error``) to a head that
        went past :data:`MAX_HEAD_BYTES` unparsed, and close the connection once the client
        has stopped sending, within bounds."""
        self.close_connection = True
        self.command, self.requestline, self.request_version = "", "", "HTTP/1.1"
        self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
        with contextlib.suppress(OSError):
            self.held.socket.shutdown(socket.SHUT_WR)  # the client reads the answer's end
        server = self.server
        assert isinstance(server, ConnectionServer)
        if not server.lingering.acquire(blocking=False):
            return  # as many as may are lingering: closed at once
        try:
            left = HEAD_SECONDS - (time.monotonic() - self.held.since)
            self.held.incoming.discard(LINGER_BYTES, max(0.0, left))
        finally:
            server.lingering.release()

    def finish(self) -> None:
        """Nothing to flush or close: the server keeps or closes the connection."""


class ConnectionServer(socketserver.BaseServer):
    """A TCP server holding at most :data:`MAX_CONNECTIONS` connections and answering with at
    most :data:`WORKERS` threads (started as needed)."""

    request_queue_size = 128  # a page's burst of requests (and a second tab's) is not reset

    def __init__(self, address: tuple[str, int], handler: type[OneRequestHandler]) -> None:
        super().__init__(address, handler)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if os.name != "nt":  # on Windows the option lets another program share the port
                self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(self.request_queue_size)
            self.socket.setblocking(False)
        except OSError:
            self.socket.close()
            raise
        bound = self.socket.getsockname()
        self.server_address = bound
        self.port = int(bound[1])
        self._handler = handler
        self.max_connections = _connections_allowed()
        self._selector = selectors.DefaultSelector()
        self._waking, self._wake = socket.socketpair()
        self._waking.setblocking(False)
        self._wake.setblocking(False)
        self._selector.register(self.socket, selectors.EVENT_READ)
        self._selector.register(self._waking, selectors.EVENT_READ)
        self._accepting = True
        # waiting connections, longest waiting first: those that sent nothing, and those
        # whose request head has begun
        self._idle: collections.OrderedDict[int, Connection] = collections.OrderedDict()
        self._partial: collections.OrderedDict[int, Connection] = collections.OrderedDict()
        self._busy = 0  # handed to workers; only the serving thread counts
        self._jobs: queue.SimpleQueue[Connection | None] = queue.SimpleQueue()
        self._returned: queue.SimpleQueue[Connection | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._free_workers = threading.Semaphore(0)
        self.lingering = threading.BoundedSemaphore(LINGERING)  # see refuse_long_head
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def held(self) -> int:
        return len(self._idle) + len(self._partial) + self._busy

    def fileno(self) -> int:
        return self.socket.fileno()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(poll_interval):
                    if key.fileobj is self.socket:
                        self._accept()
                    elif key.fileobj is self._waking:
                        self._take_back()
                    else:
                        self._read(key.data)
                self._expire(time.monotonic())
        finally:
            self._stop.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and wait until it has."""
        self._stop.set()
        self._wake_up()
        self._stopped.wait()

    def server_close(self) -> None:
        for waiting in (*self._idle.values(), *self._partial.values()):
            waiting.close()
        self._idle.clear()
        self._partial.clear()
        for _ in self._workers:
            self._jobs.put(None)
        self._selector.close()
        self.socket.close()
        self._waking.close()
        self._wake.close()

    # ---- the serving thread -----------------------------------------------------------------

    def _accept(self) -> None:
        for _ in range(ACCEPTED_AT_ONCE):
            if self.held >= self.max_connections and not (self._idle or self._partial):
                self._selector.unregister(self.socket)  # every one is busy: wait for one
                self._accepting = False
                return
            try:
                accepted, address = self.socket.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError:  # out of file descriptors: the longest waiting one makes room
                if not self._close_longest_waiting():
                    time.sleep(0.05)
                return
            accepted.setblocking(False)
            self._wait(Connection(accepted, address, Incoming(accepted)))
            while self.held > self.max_connections and self._close_longest_waiting():
                pass

    def _close_longest_waiting(self) -> bool:
        """Close the connection that has waited longest, idle or slow to send its head (the
        clerk's newest ones are the last to go); one whose bytes have just arrived is read
        instead. Whether one was closed or moved on."""
        if not (self._idle or self._partial):
            return False
        waiting = min(
            (w for w in (self._idle, self._partial) if w),
            key=lambda w: next(iter(w.values())).since,
        )
        number, connection = next(iter(waiting.items()))
        try:
            connection.socket.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            self._forget(number)
            self._drop(connection)
            return True
        except OSError:
            pass  # reading it says so and closes it
        self._read(connection)
        return True

    def _wait(self, connection: Connection) -> None:
        connection.since = time.monotonic()
        connection.scanned = 0
        if connection.incoming.data and self._head_done(connection):
            self._hand_over(connection)
            return
        waiting = self._partial if connection.incoming.data else self._idle
        waiting[connection.socket.fileno()] = connection
        self._selector.register(connection.socket, selectors.EVENT_READ, connection)

    def _read(self, connection: Connection) -> None:
        number = connection.socket.fileno()
        if (self._idle.get(number) or self._partial.get(number)) is not connection:
            return  # handed over or closed since the selector said it could be read
        try:  # never more than one byte past the longest head
            chunk = connection.socket.recv(MAX_HEAD_BYTES + 1 - len(connection.incoming.data))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._forget(number)
            self._drop(connection)
            return
        if self._idle.pop(number, None) is not None:
            connection.since = time.monotonic()  # the head's time starts with its first byte
            self._partial[number] = connection
        connection.incoming.data += chunk
        if self._head_done(connection):
            self._forget(number)
            self._hand_over(connection)

    @staticmethod
    def _head_done(connection: Connection) -> bool:
        """Whether the connection's head is whole, or longer than :data:`MAX_HEAD_BYTES`
        (then marked ``too_long``, for a worker to answer 431 and close it)."""
        length = connection.head_length()
        if length is None and len(connection.incoming.data) <= MAX_HEAD_BYTES:
            return False  # the rest of the head is still to come
        if length is None or length > MAX_HEAD_BYTES:
            connection.incoming.data.clear()
            connection.too_long = True
        return True

    def _expire(self, now: float) -> None:
        for waiting, seconds in ((self._idle, IDLE_SECONDS), (self._partial, HEAD_SECONDS)):
            while waiting:
                number, connection = next(iter(waiting.items()))
                if now - connection.since < seconds:
                    break
                self._forget(number)
                self._drop(connection)

    def _forget(self, number: int) -> None:
        connection = self._idle.pop(number, None) or self._partial.pop(number, None)
        if connection is not None:
            self._selector.unregister(connection.socket)

    def _drop(self, connection: Connection) -> None:
        connection.close()
        self._resume_accepting()

    def _resume_accepting(self) -> None:
        if not self._accepting and self.held < self.max_connections:
            self._selector.register(self.socket, selectors.EVENT_READ)
            self._accepting = True

    def _hand_over(self, connection: Connection) -> None:
        self._busy += 1
        self._jobs.put(connection)
        if not self._free_workers.acquire(blocking=False) and len(self._workers) < WORKERS:
            worker = threading.Thread(
                target=self._work, name=f"reportgen-serve-{self.port}", daemon=True
            )
            self._workers.append(worker)
            worker.start()

    def _take_back(self) -> None:
        try:
            while self._waking.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while True:
            try:
                connection = self._returned.get_nowait()
            except queue.Empty:
                break
            self._busy -= 1
            if connection is not None:
                self._wait(connection)
        self._resume_accepting()

    def _wake_up(self) -> None:
        # OSError: its buffer is full (the loop will wake anyway), or it is closed
        with contextlib.suppress(OSError):
            self._wake.send(b"\0")

    # ---- the workers ------------------------------------------------------------------------

    def _work(self) -> None:
        while (connection := self._jobs.get()) is not None:
            kept = self._answer(connection)
            self._returned.put(connection if kept else None)
            self._wake_up()
            self._free_workers.release()

    def _answer(self, connection: Connection) -> bool:
        """Answer one request; whether the connection stays open for the next."""
        try:
            connection.socket.settimeout(streams.BODY_SECONDS)
            handler = self._handler(connection, self)
            if not handler.close_connection:
                connection.socket.setblocking(False)
                return True
        except OSError:  # ConnectionLost: the browser went away, or was too slow
            pass
        except Exception as exc:
            say_bug(exc, ["serve"])
        connection.close()
        return False


def _connections_allowed() -> int:
    """MAX_CONNECTIONS, or fewer where the process may open few files (macOS allows 256)."""
    try:
        import resource
    except ImportError:  # Windows
        return MAX_CONNECTIONS
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 2))
