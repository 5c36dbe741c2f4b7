"""The server's rules, tried from outside: token, Host, Origin, sizes, files inside the folder,
saves that never overwrite a change made on disk; and the API doing what the commands do."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from reportgen.check.validate import validate_file
from reportgen.output.render import render_document
from reportgen.serve.run import start
from reportgen.serve.server import MAX_JSON_BYTES, MAX_UPLOAD_BYTES, ReportServer
from tests.ci import requires
from tests.conftest import COMPLETE, ROOT
from tests.readback import paragraph_text


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    server: ReportServer

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        token: bool = True,
        host: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        sent = {"Host": host or f"127.0.0.1:{self.server.port}", **(headers or {})}
        if token:
            sent["X-Reportgen-Token"] = self.server.token
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        if body is not None and "Content-Length" not in sent:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        reply = Reply(response.status, dict(response.getheaders()), response.read())
        connection.close()
        return reply

    def post(self, path: str, value: Any, **options: Any) -> Reply:
        return self.request("POST", path, json.dumps(value).encode(), **options)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "部门"
    served.mkdir()
    shutil.copy(COMPLETE, served / "complete.yaml")
    return served


@pytest.fixture
def client(folder: Path) -> Iterator[Client]:
    server = start(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Client(server)
    server.shutdown()
    server.server_close()
    thread.join(10)


REFUSED_TOKEN = "缺少或错误的口令：请用 reportgen serve 显示的完整地址打开"


@pytest.mark.parametrize(
    "path", ["/", "/api/state", "/static/app.js", "/api/download?file=complete.yaml&format=docx"]
)
def test_no_token_no_answer(client: Client, path: str) -> None:
    reply = client.request("GET", path, token=False)
    assert (reply.status, reply.json()) == (403, {"error": REFUSED_TOKEN})


def test_a_wrong_token_is_refused(client: Client) -> None:
    reply = client.request(
        "GET", "/api/state", token=False, headers={"X-Reportgen-Token": "x" * 43}
    )
    assert reply.status == 403


def test_the_printed_address_sets_a_cookie_that_lets_the_browser_read_but_not_write(
    client: Client,
) -> None:
    server = client.server
    first = client.request("GET", f"/?token={server.token}", token=False)
    assert first.status == 303 and first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"reportgen-token-{server.port}={server.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    pair = cookie.split(";")[0]
    page = client.request("GET", "/", token=False, headers={"Cookie": pair})
    assert page.status == 200 and b"<title>reportgen" in page.body
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    # a request another site makes the browser send carries the cookie, never the header
    change = client.post(
        "/api/save",
        {"file": "complete.yaml", "text": "", "version": None},
        token=False,
        headers={"Cookie": pair},
    )
    assert change.status == 403


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.2:{port}"]
)
def test_a_wrong_host_is_refused(client: Client, host: str) -> None:
    """DNS rebinding: a site whose name now points at 127.0.0.1 sends its own Host."""
    reply = client.request("GET", "/api/state", host=host.format(port=client.server.port))
    assert reply.status == 403
    assert reply.json() == {"error": "地址不对：请用 reportgen serve 显示的地址打开"}


def test_localhost_is_the_same_server(client: Client) -> None:
    assert client.request("GET", "/api/state", host=f"localhost:{client.server.port}").status == 200


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_cross_site_requests_are_refused(client: Client, headers: dict[str, str]) -> None:
    reply = client.post(
        "/api/check", {"file": "complete.yaml", "text": "year: 2024\n"}, headers=headers
    )
    assert (reply.status, reply.json()) == (403, {"error": "拒绝来自其他网站的请求"})


def test_same_origin_requests_are_answered(client: Client) -> None:
    origin = f"http://127.0.0.1:{client.server.port}"
    reply = client.post(
        "/api/check", {"file": "x.yaml", "text": "year: 2024\n"}, headers={"Origin": origin}
    )
    assert reply.status == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../outside.yaml", "../outside.yaml：只能打开本文件夹中的文件"),
        ("/etc/outside.yaml", "/etc/outside.yaml：只能打开本文件夹中的文件"),
        ("..\\outside.yaml", "..\\outside.yaml：只能打开本文件夹中的文件"),
        ("sub/../../outside.yaml", "sub/../../outside.yaml：只能打开本文件夹中的文件"),
        ("link.yaml", "link.yaml：只能打开本文件夹中的文件（它指向文件夹以外）"),
        ("inside/../link.yaml", "inside/../link.yaml：只能打开本文件夹中的文件"),
        ("complete.txt", "complete.txt：文件名应以 .yaml 或 .yml 结尾"),
    ],
)
def test_files_outside_the_folder_are_refused(
    client: Client, folder: Path, name: str, message: str
) -> None:
    outside = folder.parent / "outside.yaml"
    outside.write_text("secret: 1\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(outside)
    for path, body in [
        ("/api/open", {"file": name}),
        ("/api/save", {"file": name, "text": "x: 1\n", "version": None, "force": True}),
        ("/api/new", {"file": name, "layout": "default"}),
    ]:
        reply = client.post(path, body)
        assert (reply.status, reply.json()) == (400, {"error": message}), path
    download = client.request("GET", f"/api/download?file={name.replace('/', '%2F')}&format=docx")
    assert download.status == 400
    assert outside.read_text(encoding="utf-8") == "secret: 1\n"
    assert client.request("GET", "/api/state").json()["files"] == ["complete.yaml"]


LONG = "长" * 70 + ".yaml"  # 215 bytes in UTF-8: fits no temporary file beside it
TOO_LONG = "长" * 150 + ".yaml"  # 455 bytes: more than any file system allows


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (LONG, f"{LONG}：文件名过长（每一级文件夹或文件名最多 200 字节，约 66 个汉字）"),
        (TOO_LONG, f"{TOO_LONG}：文件名过长（每一级文件夹或文件名最多 200 字节，约 66 个汉字）"),
        (
            f"sub/{TOO_LONG}",
            f"sub/{TOO_LONG}：文件名过长（每一级文件夹或文件名最多 200 字节，约 66 个汉字）",
        ),
        ("a/b/c/d/deep.yaml", "a/b/c/d/deep.yaml：文件夹层次过深（最多 3 层子文件夹）"),
    ],
)
def test_a_name_the_disk_cannot_hold_or_the_list_would_not_show_is_refused(
    client: Client, folder: Path, name: str, message: str
) -> None:
    source = ROOT / "tests" / "cases" / "import" / "synthetic.txt"
    for reply in [
        client.post("/api/open", {"file": name}),
        client.post("/api/save", {"file": name, "text": "x: 1\n", "version": None}),
        client.post("/api/new", {"file": name, "layout": "default"}),
        client.request(
            "POST",
            "/api/import?" + urlencode({"filename": "去年.txt", "name": name, "year": 2025}),
            source.read_bytes(),
        ),
        client.request("GET", f"/api/download?file={quote(name, safe='')}&format=docx"),
    ]:
        assert (reply.status, reply.json()) == (400, {"error": message})
    assert sorted(p.name for p in folder.iterdir()) == ["complete.yaml"]


def test_the_deepest_listed_folder_can_be_written(client: Client, folder: Path) -> None:
    name = "a/b/c/" + "长" * 65 + ".yaml"  # 200 bytes
    reply = client.post("/api/new", {"file": name, "layout": "default"})
    assert reply.json() == {"file": name}
    assert name in client.request("GET", "/api/state").json()["files"]


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/.hidden", "/static/nothing.js"])
def test_static_files_are_only_the_package_s(client: Client, path: str) -> None:
    assert client.request("GET", path).status == 404


def test_oversize_requests_are_refused_before_they_are_read(client: Client) -> None:
    upload = client.request(
        "POST",
        "/api/import?filename=a.pdf&name=a.yaml",
        b"",
        headers={"Content-Length": str(MAX_UPLOAD_BYTES + 1)},
    )
    assert (upload.status, upload.json()) == (413, {"error": "内容过大（超过 40 MB）"})
    check = client.request(
        "POST", "/api/check", b"", headers={"Content-Length": str(MAX_JSON_BYTES + 1)}
    )
    assert (check.status, check.json()) == (413, {"error": "内容过大（超过 4 MB）"})
    chunked = client.request("POST", "/api/check", b"", headers={"Transfer-Encoding": "chunked"})
    assert chunked.status == 411


BURST = """
import http.client, json, sys, threading
port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
statuses = []
def ask():
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        body = json.dumps({"file": "complete.yaml"}).encode()
        headers = {"X-Reportgen-Token": token, "Content-Type": "application/json"}
        connection.request("POST", "/api/open", body, headers)
        statuses.append(str(connection.getresponse().status))
    except OSError as exc:
        statuses.append(type(exc).__name__)
threads = [threading.Thread(target=ask) for _ in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(" ".join(sorted(statuses)))
"""


def test_a_burst_of_parallel_requests_is_answered_in_full(client: Client) -> None:
    """Every request of a burst from another process gets its answer, none a reset
    connection (the clients run in their own process, so they connect all at once)."""
    count = 40
    burst = subprocess.run(
        [sys.executable, "-c", BURST, str(client.server.port), client.server.token, str(count)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert burst.stdout.split() == ["200"] * count


def test_a_request_that_is_not_json(client: Client) -> None:
    reply = client.request("POST", "/api/check", b"\xff\xfe")
    assert (reply.status, reply.json()) == (400, {"error": "请求不是 JSON"})


def test_save_never_overwrites_a_change_made_on_disk_silently(client: Client, folder: Path) -> None:
    opened = client.post("/api/open", {"file": "complete.yaml"}).json()
    target = folder / "complete.yaml"
    target.write_text(opened["text"] + "# 别人加的一行\n", encoding="utf-8")
    mine = opened["text"].replace("initial: 1000.00", "initial: 1001.00")
    refused = client.post(
        "/api/save", {"file": "complete.yaml", "text": mine, "version": opened["version"]}
    )
    assert refused.status == 409 and refused.json()["conflict"] is True
    assert "在打开后已被其他程序修改" in refused.json()["error"]
    assert target.read_text(encoding="utf-8").endswith("# 别人加的一行\n")
    forced = client.post(
        "/api/save",
        {"file": "complete.yaml", "text": mine, "version": opened["version"], "force": True},
    )
    assert forced.status == 200
    assert target.read_text(encoding="utf-8") == mine
    again = client.post(
        "/api/save", {"file": "complete.yaml", "text": mine, "version": forced.json()["version"]}
    )
    assert again.status == 200
    assert not list(folder.glob(".reportgen-*"))  # no temporary file left


UNREADABLE = "不能作为文本读入（见“问题”），网页中显示的不是它的内容；为免其中的内容丢失，不能在网页中保存它。请按“问题”中的说明改正后重新打开"


@pytest.mark.parametrize(
    "content",
    [
        "department: 财政局\n".encode("gbk"),  # Windows Notepad's “ANSI”
        b"x: 1\n" + b"#" * (3 * 1024 * 1024),  # over the 2 MiB of a data file
    ],
    ids=["gbk", "too-big"],
)
def test_a_file_that_is_not_text_is_never_replaced_from_the_page(
    client: Client, folder: Path, content: bytes
) -> None:
    target = folder / "旧.yaml"
    target.write_bytes(content)
    opened = client.post("/api/open", {"file": "旧.yaml"}).json()
    assert opened["text"] is None and opened["check"]["findings"][0]["code"] in {"E002", "E003"}
    for force in (False, True):
        reply = client.post(
            "/api/save",
            {
                "file": "旧.yaml",
                "text": "year: 2024\n",
                "version": opened["version"],
                "force": force,
            },
        )
        assert (reply.status, reply.json()) == (400, {"error": f"旧.yaml {UNREADABLE}"})
    assert target.read_bytes() == content


def test_save_keeps_crlf_and_bom(client: Client, folder: Path) -> None:
    (folder / "windows.yaml").write_bytes(b"\xef\xbb\xbfyear: 2024\r\n# note\r\n")
    opened = client.post("/api/open", {"file": "windows.yaml"}).json()
    assert opened["text"] == "year: 2024\n# note\n"
    saved = client.post(
        "/api/save",
        {"file": "windows.yaml", "text": "year: 2025\n# note\n", "version": opened["version"]},
    )
    assert saved.status == 200
    assert (folder / "windows.yaml").read_bytes() == b"\xef\xbb\xbfyear: 2025\r\n# note\r\n"


def test_an_edit_comes_back_with_its_text_and_findings(client: Client) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    reply = client.post(
        "/api/edit",
        {
            "file": "complete.yaml",
            "text": text,
            "edit": {"kind": "set", "path": ["budget", "expenditure", "total"], "value": "1150.00"},
        },
    ).json()
    assert reply["text"] == text.replace("total: 1140.00", "total: 1150.00")
    found = [
        (f["code"], f["path"], f["line"])
        for f in reply["check"]["findings"]
        if f["severity"] == "error"
    ]
    assert found == [
        ("R106", "budget.execution_rate", 13),
        ("R101", "budget.expenditure.total", 24),
    ]
    assert reply["check"]["ok"] is False
    computed = reply["check"]["computed"]
    assert computed["budget.execution_rate"] == "95.83%"
    assert computed["budget.expenditure.total"] == "1,140.00"  # the sum, beside the 1150 typed


def test_a_key_renamed_and_a_rename_refused(client: Client) -> None:
    text = "outline:\n  notes: {goals: 以决算数为准}  # 加注\n  headings:\n    goals: 目标\n"

    def rename(path: list[str], name: object) -> Reply:
        edit = {"kind": "rename", "path": path, "value": name}
        return client.post("/api/edit", {"file": "a.yaml", "text": text, "edit": edit})

    renamed = rename(["outline", "notes", "goals"], "finance").json()["text"]
    assert renamed == text.replace("{goals:", "{finance:")
    taken = rename(["outline", "headings", "goals"], "goals2").json()["text"]
    assert taken == text.replace("    goals: 目标", "    goals2: 目标")
    refused = rename(["outline", "notes", "goals"], "")
    assert (refused.status, refused.json()) == (422, {"error": "名称不能为空，也不能换行"})


def test_the_check_is_validate_s(client: Client) -> None:
    text = COMPLETE.read_text(encoding="utf-8").replace("amount: 840.00", "amount: 850.00")
    reply = client.post("/api/check", {"file": "complete.yaml", "text": text}).json()
    from reportgen.check.validate import validate_text

    expected = validate_text(text, "complete.yaml").findings
    assert [f["text"] for f in reply["findings"]] == [f.as_text() for f in expected]


def test_download_is_render_of_the_saved_file(client: Client, folder: Path) -> None:
    reply = client.request("GET", "/api/download?file=complete.yaml&format=docx")
    assert reply.status == 200
    name = "2024年度广州市示例区财政局部门整体支出绩效自评报告.docx"
    assert reply.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    expected = render_document(validate_file(folder / "complete.yaml"))
    assert _texts(reply.body) == _texts(expected)


def _texts(content: bytes) -> list[str]:
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return [
        paragraph_text(p)
        for p in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
    ]


def test_a_report_with_errors_is_not_downloaded(client: Client, folder: Path) -> None:
    (folder / "bad.yaml").write_text("year: 2024\n", encoding="utf-8")
    reply = client.request("GET", "/api/download?file=bad.yaml&format=docx")
    assert (reply.status, reply.json()) == (
        422,
        {"error": "bad.yaml 有错误，未生成；请先改正并保存"},
    )


def test_new_from_a_layout_and_never_over_a_file(client: Client, folder: Path) -> None:
    reply = client.post("/api/new", {"file": "番禺.yaml", "layout": "panyu"})
    assert reply.json() == {"file": "番禺.yaml"}
    text = (folder / "番禺.yaml").read_text(encoding="utf-8")
    assert "\nlayout: panyu            # default 通用" in text
    again = client.post("/api/new", {"file": "番禺.yaml", "layout": "default"})
    assert again.status == 400 and "已存在" in again.json()["error"]
    check = client.post("/api/open", {"file": "番禺.yaml"}).json()["check"]
    headings = [s["heading"] for s in check["sections"]]
    assert headings and all(f"  {s['key']}:    # {s['heading']}" in text for s in check["sections"])


def test_import_of_an_uploaded_report_lists_its_notes(client: Client, folder: Path) -> None:
    source = ROOT / "tests" / "cases" / "import" / "synthetic.txt"
    reply = client.request(
        "POST",
        "/api/import?" + urlencode({"filename": "去年.txt", "name": "今年.yaml", "year": 2025}),
        source.read_bytes(),
    )
    assert reply.status == 200, reply.body
    found = reply.json()
    assert found["file"] == "今年.yaml" and (folder / "今年.yaml").is_file()
    from reportgen.importer import import_report

    assert found["todo"] == import_report(source).notes
    assert client.post("/api/open", {"file": "今年.yaml"}).json()["todo"] == found["todo"]


def test_an_import_for_a_year_out_of_range_is_said_as_the_page_asks(
    client: Client, folder: Path
) -> None:
    source = ROOT / "tests" / "cases" / "import" / "synthetic.txt"
    reply = client.request(
        "POST",
        "/api/import?" + urlencode({"filename": "去年.txt", "name": "今年.yaml", "year": 20252024}),
        source.read_bytes(),
    )
    assert (reply.status, reply.json()) == (
        400,
        {"error": "为哪一年起草：20252024 年不在 2000 到 2100 年之间"},
    )
    assert not (folder / "今年.yaml").exists()


def test_the_table_s_computed_scores_stand_beside_their_fields() -> None:
    from reportgen.check.validate import validate_file
    from reportgen.model import formatting
    from reportgen.serve.workbench import checked

    sample = ROOT / "reportgen" / "samples" / "table.yaml"
    validation = validate_file(sample)
    assert validation.table is not None
    shown = checked(validation)
    computed = shown["computed"]
    assert validation.report is not None and validation.report.indicators
    assert shown["labels"]["indicators[0].rate"] == (
        f"完成率（{validation.report.indicators[0].name}）"
    )
    totals = validation.table.totals
    assert totals.final is not None
    assert computed["table.totals.final"] == formatting.score(totals.final)
    assert computed["table.totals.grade"] == totals.grade
    first = validation.table.blocks[0].indicators[0]
    assert first.computed_score is not None
    assert computed["table.indicators[0].items[0].items[0].score"] == formatting.score(
        first.computed_score
    )
    rates = {k: v for k, v in computed.items() if k.endswith(".executed")}
    assert rates and all(v.startswith("执行率 ") and v.endswith("%") for v in rates.values())
    # the form shows no field for these (the indicators come from the tree): named by the server
    labels = checked(validation)["labels"]
    report = validation.report
    assert report is not None
    for n, indicator in enumerate(report.indicators):
        if f"indicators[{n}].rate" in computed:
            assert labels[f"indicators[{n}].rate"] == f"完成率（{indicator.name}）"
    funds = validation.table.funds
    assert {labels[path] for path in rates} <= {r.label for r in (funds.total, *funds.rows)}
    assert set(labels) <= set(computed)
    # a figure the form may show no field for, by its field's description, not its path
    assert labels["budget.expenditure.basic.share"] == "基本支出占支出合计的比例"


def test_the_table_downloads_are_render_table_s(
    client: Client, folder: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from reportgen.cli.app import run_command

    sample = ROOT / "reportgen" / "samples" / "table.yaml"
    shutil.copy(sample, folder / "table.yaml")
    state = client.post("/api/open", {"file": "table.yaml"}).json()["check"]
    assert state["ok"] and "table-docx" in state["downloads"] and "table-xlsx" in state["downloads"]
    assert (
        "table-xlsx"
        not in client.post("/api/open", {"file": "complete.yaml"}).json()["check"]["downloads"]
    )
    out = tmp_path / "rendered"
    assert run_command(["render", str(folder / "table.yaml"), "--table", "-o", str(out)]) == 0
    docx = client.request("GET", "/api/download?file=table.yaml&format=table-docx")
    assert docx.status == 200
    (name,) = [p.name for p in out.glob("*自评表.docx")]
    assert docx.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    assert _texts(docx.body) == _texts((out / name).read_bytes())
    xlsx = client.request("GET", "/api/download?file=table.yaml&format=table-xlsx")
    assert xlsx.status == 200
    import io

    def values(content: bytes) -> list[tuple[object, ...]]:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        return list(sheet.iter_rows(values_only=True))

    assert values(xlsx.body) == values((out / name.replace(".docx", ".xlsx")).read_bytes())
    refused = client.request("GET", "/api/download?file=complete.yaml&format=table-xlsx")
    assert (refused.status, refused.json()) == (
        422,
        {"error": "complete.yaml 没有自评表的数据（table:），无法生成自评表"},
    )


def test_pdf_download_and_page_images(client: Client, folder: Path) -> None:
    import base64
    import subprocess

    from reportgen.output.pdf import soffice

    requires(
        soffice() is not None and shutil.which("pdftotext") is not None,
        "needs LibreOffice and pdftotext",
    )
    pdf = client.request("GET", "/api/download?file=complete.yaml&format=pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    name = "2024年度广州市示例区财政局部门整体支出绩效自评报告.pdf"
    assert pdf.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    (folder.parent / "out.pdf").write_bytes(pdf.body)
    text = subprocess.run(
        ["pdftotext", str(folder.parent / "out.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "部门整体支出绩效自评报告" in text and "1,140.00" in text
    text_of_file = COMPLETE.read_text(encoding="utf-8")
    pages = client.post("/api/pages", {"file": "complete.yaml", "text": text_of_file}).json()[
        "pages"
    ]
    assert len(pages) == text.count("\f")  # one image a page
    assert all(
        base64.b64decode(p.removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
        for p in pages
    )


def test_a_bug_answers_one_chinese_line_and_writes_its_traceback_to_a_log(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the command line says a bug: the window shows one line naming a log file, which holds
    the traceback; the page shows the same line."""
    from reportgen.serve import server

    def broken(handler: Any, request: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.delenv("REPORTGEN_DEBUG", raising=False)
    monkeypatch.setitem(server.GET_ROUTES, "/api/state", broken)
    reply = client.request("GET", "/api/state")
    said = reply.json()["error"]
    assert reply.status == 500
    assert said.startswith(
        "reportgen 内部错误（这不是您的数据或模板的问题）：RuntimeError；"
        "请把以下信息报告给维护者（见 README“报告程序错误”）：所用的命令和日志文件 "
    )
    log = Path(said.rsplit("日志文件 ", 1)[1])
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    assert "命令：reportgen serve '（GET /api/state）'" in log.read_text(encoding="utf-8")
    log.unlink()
    window = capsys.readouterr().err
    assert window == said + "\n"
    assert "Traceback" not in window
