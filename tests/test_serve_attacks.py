"""``reportgen serve`` tried as an attacker would: a program on the same computer (no token) or a
page in the clerk's browser. Each refusal is said in Chinese with its documented status, never
as reportgen's own bug (500), and nothing is written."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from reportgen.serve import connections, streams
from reportgen.serve.server import ReportServer
from tests import test_serve_connections as raw
from tests import test_serve_http as over_http
from tests.conftest import COMPLETE
from tests.test_serve_http import Client, Reply

client, folder, server = over_http.client, over_http.folder, raw.server  # the fixtures, shared


# --- a page of another port of this computer ----------------------------------------------------


def test_a_page_of_another_local_port_is_refused_though_the_browser_sends_the_cookie(
    client: Client,
) -> None:
    """Cookies are sent to every port of 127.0.0.1: a page served on another port (same-site)
    gets them sent with its <img>/<script> requests; the page's own are same-origin."""
    server = client.server
    pair = client.request("GET", f"/?token={server.token}", token=False).headers["Set-Cookie"]
    cookie = {"Cookie": pair.split(";")[0]}
    for site, status in [("same-site", 403), ("cross-site", 403), ("same-origin", 200)]:
        reply = client.request(
            "GET", "/api/state", token=False, headers=cookie | {"Sec-Fetch-Site": site}
        )
        assert reply.status == status, site
    refused = client.request(
        "GET", "/api/state", token=False, headers=cookie | {"Sec-Fetch-Site": "same-site"}
    )
    assert refused.json() == {"error": "拒绝来自其他网站的请求"}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/state", {"X-Reportgen-Token": "é" * 43}),
        ("/api/state?token=%C3%A9", {}),
        ("/api/state", {"Cookie": "reportgen-token-{port}=é"}),
    ],
    ids=["header", "address", "cookie"],
)
def test_a_token_that_is_not_ascii_is_refused_not_taken_for_a_bug(
    client: Client, capfd: pytest.CaptureFixture[str], path: str, headers: dict[str, str]
) -> None:
    """Anyone on the computer may send one: it printed a bug report in the clerk's window and
    left a log file each time."""
    port = str(client.server.port)
    sent = {name: value.replace("{port}", port) for name, value in headers.items()}
    reply = client.request("GET", path, token=False, headers=sent)
    assert (reply.status, reply.json()) == (403, {"error": over_http.REFUSED_TOKEN})
    assert capfd.readouterr().err == ""


# --- names: what the disk or Windows would make of them -------------------------------------------

REFUSED_NAMES = {
    "CON.yaml": "CON.yaml：CON.yaml 在 Windows 上是设备名（CON、NUL 等），写入的内容会丢失，"
    "不能用作文件或文件夹名",
    "sub/nul.tar.yaml": "sub/nul.tar.yaml：nul.tar.yaml 在 Windows 上是设备名（CON、NUL 等），"
    "写入的内容会丢失，不能用作文件或文件夹名",
    "com1/a.yaml": "com1/a.yaml：com1 在 Windows 上是设备名（CON、NUL 等），写入的内容会丢失，"
    "不能用作文件或文件夹名",
    "sub./a.yaml": "sub./a.yaml：文件夹名不能以“.”或空格结尾（Windows 会去掉它们）",
    "sub /a.yaml": "sub /a.yaml：文件夹名不能以“.”或空格结尾（Windows 会去掉它们）",
    ".hidden/a.yaml": ".hidden/a.yaml：以“.”开头的文件或文件夹是隐藏的，列表中不显示，请换一个名称",
    # lone surrogates: not UTF-8 (chr(0xDCFF) is how Python names the byte 0xff of a name)
    chr(0xD800) + ".yaml": "文件名无效（含有控制字符，或不是按 UTF-8 编码的字符）",
    chr(0xDCFF) + ".yaml": "文件名无效（含有控制字符，或不是按 UTF-8 编码的字符）",
    "a\nb.yaml": "文件名无效（含有控制字符，或不是按 UTF-8 编码的字符）",
}


@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_a_name_windows_or_the_disk_would_change_is_refused_and_nothing_written(
    client: Client, folder: Path, name: str
) -> None:
    """NUL.yaml on Windows is the null device: a save there is lost. A lone surrogate is a name
    that is not UTF-8 (\\udcff stands for the byte 0xff): written, it broke the page's list."""
    for reply in [
        client.post("/api/open", {"file": name}),
        client.post("/api/save", {"file": name, "text": "x: 1\n", "version": None}),
        client.post("/api/new", {"file": name, "layout": "default"}),
    ]:
        assert (reply.status, reply.json()) == (400, {"error": REFUSED_NAMES[name]})
    assert sorted(p.name for p in folder.iterdir()) == ["complete.yaml"]


def test_a_file_whose_name_is_not_utf8_does_not_break_the_list(
    client: Client, folder: Path
) -> None:
    """A name in GBK (a zip made on Windows, unpacked on Linux) is not listed, as one the page
    could not open; the list of the others is still shown."""
    os.close(os.open(bytes(folder) + "/去年.yaml".encode("gbk"), os.O_CREAT | os.O_WRONLY))
    reply = client.request("GET", "/api/state")
    assert (reply.status, reply.json()["files"]) == (200, ["complete.yaml"])


# --- requests no page sends -----------------------------------------------------------------------


def edit(value: Any = 1, path: Any = ("year",), index: Any = 0) -> dict[str, Any]:
    text = COMPLETE.read_text(encoding="utf-8")
    kind = "insert" if index else "set"
    return {
        "file": "complete.yaml",
        "text": text,
        "edit": {"kind": kind, "path": list(path), "value": value, "index": index},
    }


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("send", "status", "message"),
    [
        (
            lambda c: c.request(
                "POST",
                "/api/check",
                b'{"file": "a.yaml", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            ),
            400,
            "请求不是 JSON（嵌套过深）",
        ),
        (lambda c: c.post("/api/edit", edit(nested(61))), 400, "修改的内容嵌套过深（超过 60 层）"),
        (lambda c: c.post("/api/edit", edit(path=["x"] * 61)), 400, "修改的位置无效"),
        (lambda c: c.post("/api/edit", edit(path=["indicators", 10**30])), 400, "修改的位置无效"),
        (lambda c: c.post("/api/edit", edit({}, ["indicators"], 10**30)), 400, "修改的位置无效"),
        (lambda c: c.post("/api/edit", edit({}, ["indicators"], -999)), 400, "修改的位置无效"),
        (lambda c: c.post("/api/edit", edit(path=["indicators", -1])), 400, "修改的位置无效"),
        (lambda c: c.post("/api/edit", edit([1], path=[])), 400, "修改的位置无效"),
        (
            lambda c: c.request(
                "POST", "/api/import?filename=a.txt&name=i.yaml&year=" + "9" * 5000, b"x"
            ),
            400,
            "为哪一年起草：99999999999999999999 不是年份",
        ),
        (
            lambda c: c.request("POST", "/api/import?filename=a.txt&name=i.yaml&year=%C2%B2", b"x"),
            400,
            "为哪一年起草：² 不是年份",
        ),
        (
            lambda c: c.request("POST", "/api/check", b"{}", headers={"Content-Length": "²"}),
            411,
            "请求须给出长度",
        ),
        (lambda c: c.request("GET", "http://[x/api/state"), 400, "请求的地址无效"),
    ],
    ids=[
        "deep-json",
        "deep-edit-value",
        "long-edit-path",
        "huge-item-number",
        "huge-index",
        "negative-index",
        "negative-item-number",
        "the-whole-file",
        "year-of-5000-digits",
        "year-in-superscript",
        "length-in-superscript",
        "bad-address",
    ],
)
def test_a_request_no_page_sends_is_refused_in_chinese_not_as_a_bug(
    client: Client,
    folder: Path,
    capfd: pytest.CaptureFixture[str],
    send: Any,
    status: int,
    message: str,
) -> None:
    reply: Reply = send(client)
    assert (reply.status, reply.json()) == (status, {"error": message})
    assert capfd.readouterr().err == ""  # no bug said in the clerk's window
    assert sorted(p.name for p in folder.iterdir()) == ["complete.yaml"]


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(9)
)


def test_a_billion_laughs_is_a_finding_and_no_edit(client: Client) -> None:
    checked = client.post("/api/check", {"file": "a.yaml", "text": LAUGHS})
    assert checked.status == 200
    assert [f["code"] for f in checked.json()["findings"]] == ["E004"]
    assert "billion laughs" in checked.json()["findings"][0]["message"]
    edited = client.post("/api/edit", edit() | {"text": LAUGHS})
    assert (edited.status, edited.json()) == (
        422,
        {"error": "YAML 文本有错误，请先在 YAML 窗格中改正，再用表单修改"},
    )


# --- two saves at once ----------------------------------------------------------------------------


def test_two_saves_of_one_version_at_once_one_is_asked_and_neither_is_lost(
    client: Client, folder: Path
) -> None:
    version = client.post("/api/open", {"file": "complete.yaml"}).json()["version"]
    texts = ["year: 2024\n", "year: 2025\n"]
    replies: dict[str, Reply] = {}
    start = threading.Barrier(2)

    def save(text: str) -> None:
        start.wait()
        body = {"file": "complete.yaml", "text": text, "version": version}
        replies[text] = client.post("/api/save", body)

    threads = [threading.Thread(target=save, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = {text: reply.status for text, reply in replies.items()}
    assert sorted(statuses.values()) == [200, 409]
    saved = next(text for text, status in statuses.items() if status == 200)
    assert (folder / "complete.yaml").read_text(encoding="utf-8") == saved
    asked = next(reply for reply in replies.values() if reply.status == 409)
    assert asked.json()["error"].startswith("complete.yaml 在打开后已被其他程序修改")


# --- connections ----------------------------------------------------------------------------------


def test_heads_too_long_that_keep_coming_leave_workers_for_the_clerk(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a token anyone may send a head over 64 KiB; what follows it is read and dropped
    (so that the sender reads its 431) by at most LINGERING workers at once: more connections
    doing so than there are workers do not keep the clerk's page waiting."""
    monkeypatch.setattr(connections, "HEAD_SECONDS", 600.0)  # each would linger ten minutes
    head = b"GET /api/state HTTP/1.1\r\nX-Long: " + b"a" * connections.MAX_HEAD_BYTES
    held = []
    try:
        for _ in range(connections.WORKERS + 8):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=60)
            connection.sendall(head)  # and then nothing, the connection kept open
            held.append(connection)
        for connection in held:
            assert connection.recv(48).startswith(b"HTTP/1.1 431 ")
        assert raw.state(server) == (200, ["complete.yaml"])
    finally:
        for connection in held:
            connection.close()


def test_a_body_sent_slowly_is_given_up_after_its_time_and_others_are_answered_meanwhile(
    server: ReportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slowloris with the token: a body that stops coming holds one worker for BODY_SECONDS
    at most (every read of it has the time left as its timeout), never the server."""
    monkeypatch.setattr(streams, "BODY_SECONDS", 3.0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as slow:
        slow.sendall(raw.post_head(server, 1000) + b'{"file": ')  # and then nothing
        raw.until(lambda: server.held == 1 and not server._idle, "the slow request is read")
        assert raw.state(server) == (200, ["complete.yaml"])
        assert raw.closed_by_server(slow)
    assert raw.state(server) == (200, ["complete.yaml"])


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "去年.pdf",
            b"%PDF-1.4 not a pdf",
            "去年.pdf: 无法提取 PDF 的文字（文件已损坏或不是 PDF）",
        ),
        ("去年.docx", b"PK\x03\x04 not a zip", "去年.docx: 不是有效的 .docx 文件"),
    ],
    ids=["pdf", "docx"],
)
def test_an_upload_that_cannot_be_read_is_named_as_the_clerk_named_it(
    client: Client, folder: Path, name: str, content: bytes, said: str
) -> None:
    """Not by the temporary copy it was read from (/tmp/reportgen-upload-…/上传的报告.pdf)."""
    path = "/api/import?filename=" + quote("文件夹\\" + name) + "&name=a.yaml"
    reply = client.request("POST", path, content)
    assert reply.status == 400
    message = reply.json()["error"]
    assert message.startswith(said), message
    assert "reportgen-upload" not in message and "上传的报告" not in message
    assert sorted(p.name for p in folder.iterdir()) == ["complete.yaml"]
