"""The server's connections, tried with raw sockets: idle and half-sent connections start no
thread and cannot keep the clerk's page waiting, the threads that answer are bounded, and
a browser that goes away mid-request prints nothing in the clerk's window."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen.serve import connections
from reportgen.serve import server as server_module
from reportgen.serve.run import start
from reportgen.serve.server import DRAIN_BYTES, MAX_JSON_BYTES, MAX_UPLOAD_BYTES, ReportServer
from tests.conftest import COMPLETE, ROOT


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReportServer]:
    folder = tmp_path / "部门"
    folder.mkdir()
    shutil.copy(COMPLETE, folder / "complete.yaml")
    served = start(folder)
    thread = threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()
    thread.join(10)


def head(server: ReportServer, path: str = "/api/state", *, close: bool = False) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        f"X-Reportgen-Token: {server.token}",
        *(["Connection: close"] if close else []),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def state(server: ReportServer) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "GET",
        "/api/state",
        headers={"Host": f"127.0.0.1:{server.port}", "X-Reportgen-Token": server.token},
    )
    response = connection.getresponse()
    reply = (response.status, json.loads(response.read())["files"])
    connection.close()
    return reply


def until(condition: object, what: str) -> None:
    """Wait (up to a minute, on a loaded machine) for ``condition()`` to hold."""
    deadline = time.monotonic() + 60
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def closed_by_server(connection: socket.socket) -> bool:
    connection.settimeout(60)
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


def serve_threads(server: ReportServer) -> int:
    """The threads answering requests (the serving thread is the fixture's)."""
    name = f"reportgen-serve-{server.port}"
    return sum(thread.name == name for thread in threading.enumerate())


def test_idle_and_half_sent_connections_start_no_thread_and_the_page_is_still_answered(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "HEAD_SECONDS", 600.0)  # none leaves by its own timeout
    server.max_connections = 24
    opened = []
    try:
        for first in [b"", b"GET / HTTP/1.1\r\nHost: 127."]:
            for _ in range(60):
                connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
                connection.sendall(first)
                opened.append(connection)
        until(lambda: server.held == 24, "the server holds as many connections as it may")
        assert serve_threads(server) == 0
        # the longest waiting were closed to make room: the idle ones, opened first
        assert all(closed_by_server(connection) for connection in opened[:60])
        # the clerk's page: the longest waiting connections make room for it
        assert state(server) == (200, ["complete.yaml"])
        assert state(server) == (200, ["complete.yaml"])
        assert server.held <= 24
        assert 1 <= serve_threads(server) <= 2
    finally:
        for connection in opened:
            connection.close()
    until(lambda: server.held == 0, "the closed connections are let go")


def test_a_head_not_finished_in_time_and_an_idle_connection_are_closed(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "HEAD_SECONDS", 0.2)
    monkeypatch.setattr(connections, "IDLE_SECONDS", 0.5)
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=30) as slow,
        socket.create_connection(("127.0.0.1", server.port), timeout=30) as idle,
    ):
        slow.sendall(head(server)[:20])
        assert closed_by_server(slow)
        assert closed_by_server(idle)
    assert state(server) == (200, ["complete.yaml"])


TOO_LONG = (
    "请求头过大（超过 64 KB）；若是浏览器发出的，多半是它为 127.0.0.1 存的 Cookie 过多，"
    "请在浏览器中清除后重试"
)


@pytest.mark.parametrize("token", [True, False])
def test_a_head_longer_than_any_browser_s_is_answered_431_and_closed(
    server: ReportServer, token: bool
) -> None:
    """http.client, like most programs, sends the whole head before it reads the answer: what
    it sends past the limit is read and dropped, so it reads the answer, not a reset."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Host": f"127.0.0.1:{server.port}", "X-Long": "a" * 70_000}
    if token:
        headers["X-Reportgen-Token"] = server.token
    connection.request("GET", "/api/state", headers=headers)
    response = connection.getresponse()
    assert (response.status, response.reason, response.getheader("Connection")) == (
        431,
        "Request Header Fields Too Large",
        "close",
    )
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"
    assert json.loads(response.read()) == {"error": TOO_LONG}
    connection.close()
    assert state(server) == (200, ["complete.yaml"])


def test_a_head_one_byte_over_the_limit_is_refused_and_one_at_it_answered(
    server: ReportServer,
) -> None:
    request = head(server, close=True)
    at_limit = request[:-2] + b"X-Pad: " + b"a" * 64 * 1024 + b"\r\n\r\n"
    at_limit = at_limit[: -4 - (len(at_limit) - connections.MAX_HEAD_BYTES)] + b"\r\n\r\n"
    assert len(at_limit) == connections.MAX_HEAD_BYTES
    over = at_limit[:-4] + b"a\r\n\r\n"
    for sent, expected in [(at_limit, b"200 OK"), (over, b"431 Request Header Fields Too Large")]:
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
            connection.sendall(sent)
            assert [status for status, _ in answers(connection)] == [expected]


def test_a_head_that_came_in_parts_followed_by_a_long_body_is_not_taken_for_a_long_head(
    server: ReportServer,
) -> None:
    """Only the head counts towards MAX_HEAD_BYTES, however its bytes and the body's arrive."""
    body = json.dumps({"file": "a.yaml", "text": "# " + "长" * 40_000 + "\n"}).encode()
    request = post_head(server, len(body), "Connection: close") + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(request[:20])
        until(lambda: server.held == 1 and not server._idle, "the head's first bytes are read")
        connection.sendall(request[20:])
        assert [status for status, _ in answers(connection)] == [b"200 OK"]


@pytest.mark.parametrize(
    ("sent", "status", "message"),
    [
        (b"\x16\x03\x01 not http\r\n\r\n", b"400 Bad Request", "请求的格式不对"),
        (b"PUT /api/state HTTP/1.1\r\n\r\n", b"501 Not Implemented", "不支持这种请求方法"),
        (
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(101)) + b"\r\n",
            b"431 Request Header Fields Too Large",
            "请求头的行数过多",
        ),
        (b"GET / HTTP/2.0\r\n\r\n", b"505 HTTP Version Not Supported", "不支持这个 HTTP 版本"),
    ],
    ids=["not-http", "put", "too-many-headers", "http-2"],
)
def test_a_request_http_server_refuses_is_answered_in_chinese(
    server: ReportServer, sent: bytes, status: bytes, message: str
) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(sent)
        assert answers(connection) == [(status, {"error": message})]
    assert state(server) == (200, ["complete.yaml"])


SENT = {
    "answered": b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    b"X-Reportgen-Token: {token}\r\nConnection: close\r\n\r\n",
    "no-token": b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n",
    "wrong-host": b"GET /api/state HTTP/1.1\r\nHost: evil.example\r\n\r\n",
    "not-http": b"\x16\x03\x01 not http\r\n\r\n",
    "head-too-long": b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("kind", SENT)
def test_every_answer_names_the_server_without_the_python_version(
    server: ReportServer, kind: str
) -> None:
    """http.server's default (BaseHTTP/0.6 Python/3.11.7) tells whoever asks which Python
    and which security fixes the clerk's computer lacks."""
    sent = SENT[kind].replace(b"{port}", str(server.port).encode())
    sent = sent.replace(b"{token}", server.token.encode())
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(sent)
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := connection.recv(65536):
                received += chunk
    servers = re.findall(rb"\r\nServer: ([^\r]*)\r\n", received.partition(b"\r\n\r\n")[0])
    assert servers == [b"reportgen"]


def test_kept_alive_and_pipelined_requests_are_each_answered(server: ReportServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": f"127.0.0.1:{server.port}", "X-Reportgen-Token": server.token}
    for _ in range(3):
        connection.request("GET", "/api/state", headers=headers)
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())["files"]) == (200, ["complete.yaml"])
    connection.close()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        # a request refused closes the connection: what follows it is not read as a request
        raw.sendall(head(server) + head(server, "/api/schema") + head(server, "/no") + head(server))
        answers = b""
        while chunk := raw.recv(65536):
            answers += chunk
    statuses = re.findall(rb"HTTP/1\.1 \d+ [A-Za-z ]+", answers)
    assert statuses == [b"HTTP/1.1 200 OK", b"HTTP/1.1 200 OK", b"HTTP/1.1 404 Not Found"]


BURST = """
import http.client, json, sys, threading
port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
statuses = []
def ask():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = json.dumps({"file": "complete.yaml"}).encode()
    headers = {"X-Reportgen-Token": token, "Content-Type": "application/json"}
    connection.request("POST", "/api/open", body, headers)
    statuses.append(str(connection.getresponse().status))
threads = [threading.Thread(target=ask) for _ in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(" ".join(statuses))
"""


def test_requests_beyond_the_workers_wait_for_one_and_are_answered(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "WORKERS", 3)
    count = 20
    burst = subprocess.run(
        [sys.executable, "-c", BURST, str(server.port), server.token, str(count)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert burst.stdout.split() == ["200"] * count
    assert 1 <= serve_threads(server) <= 3


def test_a_browser_that_goes_away_mid_request_prints_nothing(
    server: ReportServer, capfd: pytest.CaptureFixture[str]
) -> None:
    body = json.dumps({"file": "complete.yaml"}).encode()
    post = (
        f"POST /api/open HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"X-Reportgen-Token: {server.token}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    for sent in [post + body[:5], head(server)[:30], post + body, head(server, "/api/schema")]:
        connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        connection.sendall(sent)
        connection.close()
    assert state(server) == (200, ["complete.yaml"])
    until(lambda: server.held == 0, "the closed connections are let go")
    assert capfd.readouterr().err == ""


def test_the_documented_limits_are_the_code_s() -> None:
    page = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    assert (
        f"同时保持的连接最多 {connections.MAX_CONNECTIONS} 个，"
        f"其中最多 {connections.WORKERS} 个请求同时处理（其余排队）；"
        f"什么也不发的连接 {connections.IDLE_SECONDS:.0f} 秒后断开，\n"
        f"  请求头须在 {connections.HEAD_SECONDS:.0f} 秒内发完；"
    ) in page
    assert f"请求头 {connections.MAX_HEAD_BYTES // 1024} KB）" in page


@pytest.mark.parametrize(
    ("path", "limit", "message"),
    [
        ("/api/check", MAX_JSON_BYTES, "内容过大（超过 4 MB）"),
        ("/api/import?filename=a.pdf&name=a.yaml", MAX_UPLOAD_BYTES, "内容过大（超过 40 MB）"),
    ],
)
def test_a_body_over_the_limit_gets_its_chinese_answer_not_a_reset(
    server: ReportServer, path: str, limit: int, message: str
) -> None:
    """http.client, like most programs, sends the whole body before it reads the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Host": f"127.0.0.1:{server.port}", "X-Reportgen-Token": server.token}
    connection.request("POST", path, b"x" * (limit + 1), headers)
    response = connection.getresponse()
    assert (response.status, response.getheader("Connection")) == (413, "close")
    assert json.loads(response.read()) == {"error": message}
    connection.close()
    assert state(server) == (200, ["complete.yaml"])


def post_head(server: ReportServer, length: int, *extra: str, token: bool = True) -> bytes:
    lines = [
        "POST /api/check HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        *([f"X-Reportgen-Token: {server.token}"] if token else []),
        f"Content-Length: {length}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answers(connection: socket.socket) -> list[tuple[bytes, object]]:
    """Every status line the server sent until it closed, each with its JSON body."""
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := connection.recv(65536):
            received += chunk
    found = []
    for match in re.finditer(rb"HTTP/1\.1 (\d+ [A-Za-z ]+)\r\n(.*?)\r\n\r\n", received, re.S):
        length = re.search(rb"Content-Length: (\d+)", match.group(2))
        body = received[match.end() : match.end() + int(length.group(1))] if length else b""
        found.append((match.group(1), json.loads(body) if body else None))
    return found


def test_expect_100_continue_is_answered_after_the_checks(server: ReportServer) -> None:
    """A client that waits for 100 Continue (curl, for bodies over 1 MB) is told 413 without
    sending the body, and sends a body that passes the checks when told to."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as refused:
        refused.sendall(post_head(server, MAX_JSON_BYTES + 1, "Expect: 100-continue"))
        assert answers(refused) == [
            (b"413 Request Entity Too Large", {"error": "内容过大（超过 4 MB）"})
        ]
    body = json.dumps({"file": "complete.yaml", "text": "x: 1\n"}).encode()
    head = post_head(server, len(body), "Expect: 100-continue", "Connection: close")
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as accepted:
        accepted.sendall(head)
        assert accepted.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        accepted.sendall(body)
        assert [status for status, _ in answers(accepted)] == [b"200 OK"]


@pytest.mark.parametrize(
    ("head", "sent", "status"),
    [
        # too long to be worth reading: answered and closed at once
        (dict(length=DRAIN_BYTES + 1), 0, b"413 Request Entity Too Large"),
        # not the clerk's page: nothing of it is read
        (dict(length=1000, token=False), 0, b"403 Forbidden"),
        # the body stops coming: given up after DRAIN_SECONDS
        (dict(length=MAX_JSON_BYTES + 1), 1000, b"413 Request Entity Too Large"),
    ],
)
def test_a_refused_body_is_not_waited_for_beyond_its_bounds(
    server: ReportServer,
    monkeypatch: pytest.MonkeyPatch,
    head: dict[str, Any],
    sent: int,
    status: bytes,
) -> None:
    """The client sends a head announcing a body and then (part of it or) nothing: the server
    answers and closes; were it waiting for the body, the client's read would time out."""
    monkeypatch.setattr(server_module, "DRAIN_SECONDS", 0.5 if sent else 600.0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(post_head(server, **head) + b"{" * sent)
        assert [found for found, _ in answers(connection)] == [status]


def test_a_get_with_a_body_is_answered_and_its_body_never_read_as_a_request(
    server: ReportServer,
) -> None:
    hidden = head(server, "/api/schema")
    get = head(server)[:-2] + f"Content-Length: {len(hidden)}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(get + hidden)
        found = answers(connection)
    assert found == [(b"200 OK", found[0][1])]
    assert isinstance(found[0][1], dict) and found[0][1]["files"] == ["complete.yaml"]
