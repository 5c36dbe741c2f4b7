"""How long ``reportgen serve`` takes to answer a change: a form edit (written into the text,
then validated) and a change typed in the YAML pane (validated), over HTTP on loopback, for
each example; the page waits 200–250 ms after the last key before it asks.

Run: ``.venv/bin/python benchmarks/bench_serve.py`` — prints a Markdown table (median and
slowest of 20 requests, in ms); the results we measured are kept in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
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


if __name__ == "__main__":
    main()
