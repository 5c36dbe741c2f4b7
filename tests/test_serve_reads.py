"""What the page reads stays in the served folder: opening a file, downloading its report and
the check before a save go through the folder's descriptor without following a link, so a link
to a file outside (planted, or swapped in after the name was checked) is refused with its
Chinese message, and a FIFO or a folder named ``*.yaml`` is refused without a hang."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from reportgen.output.atomic import IN_FOLDER
from tests import test_serve_http as over_http
from tests.ci import requires
from tests.conftest import COMPLETE
from tests.test_serve_http import Client, Reply

client = over_http.client  # the fixture, shared

SECRET_DEPARTMENT = "机密的外单位"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The served folder (complete.yaml, sub/a.yaml); beside it, outside, a valid report of
    another department, which a download would render were it ever read."""
    requires(IN_FOLDER, "reading in a folder open as a descriptor is POSIX's")
    served = tmp_path / "部门"
    (served / "sub").mkdir(parents=True)
    shutil.copy(COMPLETE, served / "complete.yaml")
    shutil.copy(COMPLETE, served / "sub" / "a.yaml")
    outside = tmp_path / "外面"
    (outside / "sub").mkdir(parents=True)
    secret = COMPLETE.read_text(encoding="utf-8")
    assert "department: " in secret
    secret = "\n".join(
        f"department: {SECRET_DEPARTMENT}" if line.startswith("department: ") else line
        for line in secret.split("\n")
    )
    for name in ("secret.yaml", "sub/a.yaml"):
        (outside / name).write_text(secret, encoding="utf-8")
    return served


def outside(folder: Path) -> Path:
    return folder.parent / "外面"


def opened(client: Client, name: str) -> Reply:
    return client.post("/api/open", {"file": name})


def downloaded(client: Client, name: str) -> Reply:
    return client.request("GET", f"/api/download?file={quote(name, safe='')}&format=docx")


def never_read(reply: Reply) -> None:
    assert SECRET_DEPARTMENT.encode() not in reply.body


def test_a_link_to_a_file_outside_is_refused_for_open_and_download(
    client: Client, folder: Path
) -> None:
    (folder / "link.yaml").symlink_to(outside(folder) / "secret.yaml")
    message = "link.yaml：只能打开本文件夹中的文件（它指向文件夹以外）"
    for reply in (opened(client, "link.yaml"), downloaded(client, "link.yaml")):
        assert (reply.status, reply.json()) == (400, {"error": message})
        never_read(reply)
    assert client.request("GET", "/api/state").json()["files"] == ["complete.yaml", "sub/a.yaml"]


def test_a_file_swapped_for_a_link_after_the_listing_is_refused(
    client: Client, folder: Path
) -> None:
    assert "complete.yaml" in client.request("GET", "/api/state").json()["files"]
    (folder / "complete.yaml").unlink()
    (folder / "complete.yaml").symlink_to(outside(folder) / "secret.yaml")
    message = "complete.yaml：只能打开本文件夹中的文件（它指向文件夹以外）"
    for reply in (opened(client, "complete.yaml"), downloaded(client, "complete.yaml")):
        assert (reply.status, reply.json()) == (400, {"error": message})
        never_read(reply)


def swapped_after_the_check(client: Client, monkeypatch: pytest.MonkeyPatch, swap: Swap) -> None:
    """The name the next request gives is checked as always; then, before it is opened,
    ``swap`` runs (as another program with write access to the folder could at that moment)."""
    workspace = client.server.workbench.workspace
    check = workspace.path
    swaps = [swap]

    def checked_then_swapped(name: object, **options: tuple[str, ...]) -> Path:
        found = check(name, **options)
        if swaps:
            swaps.pop()()
        return found

    monkeypatch.setattr(workspace, "path", checked_then_swapped)


Swap = Callable[[], None]


def file_to_link(folder: Path, name: str) -> Swap:
    def swap() -> None:
        (folder / name).unlink()
        (folder / name).symlink_to(outside(folder) / "secret.yaml")

    return swap


def folder_to_link(folder: Path) -> Swap:
    def swap() -> None:
        (folder / "sub").rename(folder / "sub.moved")
        (folder / "sub").symlink_to(outside(folder) / "sub", target_is_directory=True)

    return swap


@pytest.mark.parametrize(
    ("name", "swap", "message"),
    [
        (
            "complete.yaml",
            lambda folder: file_to_link(folder, "complete.yaml"),
            "complete.yaml：只能打开本文件夹中的文件（它已换成指向别处的链接）",
        ),
        (
            "sub/a.yaml",
            folder_to_link,
            "sub/a.yaml：只能打开本文件夹中的文件（其中的 sub 已换成指向别处的链接）",
        ),
    ],
    ids=["file", "folder"],
)
@pytest.mark.parametrize("read", [opened, downloaded], ids=["open", "download"])
def test_a_link_swapped_in_after_the_check_is_never_followed(
    client: Client,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    swap: Callable[[Path], Swap],
    message: str,
    read: Callable[[Client, str], Reply],
) -> None:
    swapped_after_the_check(client, monkeypatch, swap(folder))
    reply = read(client, name)
    assert (reply.status, reply.json()) == (400, {"error": message})
    never_read(reply)


def test_a_save_finding_a_link_swapped_in_asks_and_forced_replaces_the_link(
    client: Client, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = opened(client, "complete.yaml").json()["version"]
    secret = (outside(folder) / "secret.yaml").read_bytes()
    swapped_after_the_check(client, monkeypatch, file_to_link(folder, "complete.yaml"))
    body = {"file": "complete.yaml", "text": "year: 2024\n", "version": version}
    asked = client.post("/api/save", body)
    assert asked.status == 409 and asked.json()["conflict"] is True
    assert asked.json()["error"].startswith("complete.yaml 在打开后已被其他程序修改")
    assert (folder / "complete.yaml").is_symlink()
    (folder / "complete.yaml").unlink()  # as it was; swapped again after the check
    shutil.copy(COMPLETE, folder / "complete.yaml")
    swapped_after_the_check(client, monkeypatch, file_to_link(folder, "complete.yaml"))
    forced = client.post("/api/save", body | {"force": True})
    assert forced.status == 200
    assert not (folder / "complete.yaml").is_symlink()
    assert (folder / "complete.yaml").read_text(encoding="utf-8") == "year: 2024\n"
    assert (outside(folder) / "secret.yaml").read_bytes() == secret


def test_a_save_through_a_folder_swapped_for_a_link_is_refused_before_it_reads(
    client: Client, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = (outside(folder) / "sub" / "a.yaml").read_bytes()
    swapped_after_the_check(client, monkeypatch, folder_to_link(folder))
    reply = client.post(
        "/api/save", {"file": "sub/a.yaml", "text": "year: 2024\n", "version": None, "force": True}
    )
    assert (reply.status, reply.json()) == (
        400,
        {"error": "sub/a.yaml：只能写入本文件夹中的文件（其中的 sub 已换成指向别处的链接）"},
    )
    assert (outside(folder) / "sub" / "a.yaml").read_bytes() == secret


NOT_A_FILE = {
    "fifo": ("这是一个命名管道（FIFO），不是 YAML 文件（只能读取普通文件）", os.mkfifo),
    "folder": ("这是一个目录，不是 YAML 文件", os.mkdir),
}


@pytest.mark.parametrize("kind", NOT_A_FILE)
def test_a_fifo_or_a_folder_named_yaml_is_refused_without_a_hang(
    client: Client, folder: Path, kind: str
) -> None:
    """Were the FIFO opened to be read, the server would wait for a writer that never comes
    and the client's read would time out (after 30 s) instead of getting the answer."""
    requires(hasattr(os, "mkfifo"), "FIFOs are POSIX's")
    said, make = NOT_A_FILE[kind]
    make(folder / "x.yaml")
    for reply in (
        opened(client, "x.yaml"),
        downloaded(client, "x.yaml"),
        client.post("/api/save", {"file": "x.yaml", "text": "year: 2024\n", "version": None}),
    ):
        assert (reply.status, reply.json()) == (400, {"error": f"x.yaml: {said}"})
    assert opened(client, "complete.yaml").status == 200


def test_a_fifo_swapped_in_after_the_check_is_refused_without_a_hang(
    client: Client, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    requires(hasattr(os, "mkfifo"), "FIFOs are POSIX's")

    def swap() -> None:
        (folder / "complete.yaml").unlink()
        os.mkfifo(folder / "complete.yaml")

    swapped_after_the_check(client, monkeypatch, swap)
    reply = opened(client, "complete.yaml")
    assert (reply.status, reply.json()) == (
        400,
        {"error": "complete.yaml: 这是一个命名管道（FIFO），不是 YAML 文件（只能读取普通文件）"},
    )


def test_a_missing_file_is_not_found_for_open_and_download(client: Client) -> None:
    for reply in (opened(client, "nothing.yaml"), downloaded(client, "sub/nothing.yaml")):
        assert reply.status == 404
    assert opened(client, "nothing.yaml").json() == {"error": "nothing.yaml 不存在"}
    assert downloaded(client, "new/nothing.yaml").json() == {"error": "new/nothing.yaml 不存在"}


# --- the served folder itself: held open from the start ------------------------------------------


def moved_and_linked(folder: Path) -> None:
    """The served folder renamed, a link to the folder outside put in its place."""
    folder.rename(folder.with_name("部门.moved"))
    folder.symlink_to(outside(folder), target_is_directory=True)


def moved_and_replaced(folder: Path) -> None:
    """The served folder renamed, another folder made under its name, holding another
    department's complete.yaml."""
    folder.rename(folder.with_name("部门.moved"))
    folder.mkdir()
    shutil.copy(outside(folder) / "secret.yaml", folder / "complete.yaml")


@pytest.mark.parametrize("swap", [moved_and_linked, moved_and_replaced], ids=["link", "folder"])
def test_the_folder_renamed_after_the_start_is_still_the_one_read_and_written(
    client: Client, folder: Path, swap: Callable[[Path], None]
) -> None:
    """The server holds the folder it was started in, not its name: whatever is put under the
    name later is never read or written; the folder, renamed, still is."""
    version = opened(client, "complete.yaml").json()["version"]
    swap(folder)
    moved = folder.with_name("部门.moved")
    before = {p: p.read_bytes() for p in (outside(folder), folder) for p in p.rglob("*.yaml")}
    reply = opened(client, "complete.yaml")
    assert (reply.status, reply.json()["version"]) == (200, version)
    never_read(reply)
    download = downloaded(client, "sub/a.yaml")
    assert download.status == 200
    never_read(download)
    saved = client.post(
        "/api/save", {"file": "complete.yaml", "text": "year: 2024\n", "version": version}
    )
    assert saved.status == 200
    assert (moved / "complete.yaml").read_text(encoding="utf-8") == "year: 2024\n"
    created = client.post("/api/new", {"file": "sub/b.yaml", "layout": "default"})
    assert created.json() == {"file": "sub/b.yaml"}
    assert (moved / "sub" / "b.yaml").is_file()
    files = client.request("GET", "/api/state").json()["files"]
    assert files == ["complete.yaml", "sub/a.yaml", "sub/b.yaml"]
    after = {p: p.read_bytes() for p in (outside(folder), folder) for p in p.rglob("*.yaml")}
    assert after == before


def test_a_folder_deleted_after_the_start_is_said_and_nothing_is_written_elsewhere(
    client: Client, folder: Path
) -> None:
    version = opened(client, "complete.yaml").json()["version"]
    shutil.rmtree(folder)
    folder.mkdir()  # made again under the same name: not the folder the page was working in
    gone = (
        f"启动时的文件夹 {folder} 已被删除，不能再打开或保存其中的文件。网页上没有保存的内容仍在"
        "网页中，请先复制到别处，再重新运行 reportgen serve"
    )
    save = {"file": "complete.yaml", "text": "year: 2024\n", "version": version}
    for reply in (
        opened(client, "complete.yaml"),
        downloaded(client, "complete.yaml"),
        client.post("/api/save", save),
        client.post("/api/save", save | {"force": True}),
        client.post("/api/new", {"file": "b.yaml", "layout": "default"}),
        client.request("GET", "/api/state"),
    ):
        assert (reply.status, reply.json()) == (410, {"error": gone})
    assert list(folder.iterdir()) == []
