"""How long ``reportgen serve`` takes to answer a change: a form edit (written into the text,
then validated) and a change typed in the YAML pane (validated), over HTTP on loopback, for
each example; the page waits 200–250 ms after the last key before it asks.

Run: ``.venv/bin/python benchmarks/bench_serve.py`` — prints a Markdown table (median and
slowest of 20 requests, in ms); the results we measured are kept in benchmarks/RESULTS.md.

``bench_serve.py idle [N ...]`` runs ``reportgen serve`` in its own process, opens N connections
that send nothing (and then N that send half a request's head and stall), and prints the
server's threads and memory with them open, and whether (and how fast) the clerk's page still
loads: the address with its token, the page, its script, the folder's state and one file.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.read.loader import load_text  # noqa: E402
from reportgen.serve.run import start  # noqa: E402


def post(port: int, token: str, path: str, body: dict[str, object]) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request(
        "POST",
        path,
        json.dumps(body),
        {"X-Reportgen-Token": token, "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    assert response.status == 200, response.status
    connection.close()
    return elapsed * 1000


def first_money_path(data: dict[str, object]) -> list[object]:
    budget = data["budget"]
    assert isinstance(budget, dict)
    return ["budget", "initial" if "initial" in budget else "adjusted"]


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    examples = sorted((ROOT / "data").glob("*.yaml"))
    for example in examples:
        shutil.copy(example, folder / example.name)
    server = start(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("| file | lines | form edit median / max (ms) | YAML change median / max (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for example in examples:
        text = example.read_text(encoding="utf-8")
        path = first_money_path(load_text(text, "x").data)
        edits, checks = [], []
        for i in range(20):
            edit = {"kind": "set", "path": path, "value": f"{1000 + i}.50"}
            edits.append(
                post(
                    server.port,
                    server.token,
                    "/api/edit",
                    {"file": example.name, "text": text, "edit": edit},
                )
            )
            checks.append(
                post(
                    server.port,
                    server.token,
                    "/api/check",
                    {"file": example.name, "text": text + f"# {i}\n"},
                )
            )
        print(
            f"| {example.name} | {text.count(chr(10))} | {statistics.median(edits):.0f} / {max(edits):.0f}"
            f" | {statistics.median(checks):.0f} / {max(checks):.0f} |"
        )
    server.shutdown()


def server_figures(pid: int) -> tuple[int, float]:
    """The server process's threads and resident memory (MiB), from /proc."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    threads = int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]
    rss = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]
    return threads, rss / 1024


def page_load(port: int, token: str, name: str) -> str:
    """What the browser asks when the clerk opens the printed address and a file: the time it
    took in seconds, or what went wrong."""
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", f"/?token={token}")
        redirect = connection.getresponse()
        redirect.read()
        cookie = redirect.getheader("Set-Cookie", "").split(";")[0]
        assert redirect.status == 303, redirect.status
        for method, path, body in [
            ("GET", "/", None),
            ("GET", "/static/app.js", None),
            ("GET", "/api/state", None),
            ("POST", "/api/open", json.dumps({"file": name})),
        ]:
            headers = {"Cookie": cookie, "X-Reportgen-Token": token}
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
        connection.close()
    except (OSError, AssertionError) as exc:
        return f"failed after {time.perf_counter() - started:.1f} s: {exc!r}"
    return f"{time.perf_counter() - started:.2f} s"


def idle(counts: list[int]) -> None:
    folder = Path(tempfile.mkdtemp())
    example = sorted((ROOT / "data").glob("*.yaml"))[0]
    shutil.copy(example, folder / example.name)
    server = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert server.stdout is not None
    lines = [server.stdout.readline() for _ in range(3)]
    found = re.search(r"127\.0\.0\.1:(\d+)/\?token=([\w-]+)", lines[1])
    assert found is not None, lines
    port, token = int(found.group(1)), found.group(2)
    print(f"page load before any: {page_load(port, token, example.name)}")
    threads, rss = server_figures(server.pid)
    print("| connections held open | server threads | server RSS (MiB) | page load meanwhile |")
    print("| --- | ---: | ---: | --- |")
    print(f"| none | {threads} | {rss:.0f} | |")
    try:
        for kind, first in [("idle", b""), ("half a head", b"GET / HTTP/1.1\r\nHost: 127.")]:
            for count in counts:
                held = []
                for _ in range(count):
                    connection = socket.socket()
                    connection.settimeout(5)
                    try:
                        connection.connect(("127.0.0.1", port))
                        if first:
                            connection.sendall(first)
                    except OSError:
                        connection.close()
                        continue
                    held.append(connection)
                time.sleep(2)  # let the server take them
                threads, rss = server_figures(server.pid)
                loaded = page_load(port, token, example.name)
                print(
                    f"| {len(held)} of {count} {kind} | {threads} | {rss:.0f} | {loaded} |",
                    flush=True,
                )
                for connection in held:
                    connection.close()
                time.sleep(3)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    if sys.argv[1:2] == ["idle"]:
        idle([int(count) for count in sys.argv[2:]] or [1500])
    else:
        main()
