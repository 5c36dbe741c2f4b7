"""Writes into the served folder stay in it: a link put in place of a folder or a file between
the name's check and the write leads nowhere else, and a write that fails leaves the file as
it was and no temporary file behind."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.errors import FileSystemError, UsageError
from reportgen.output.atomic import IN_FOLDER
from reportgen.serve.workspace import Conflict, Workspace, version_of
from tests.ci import requires

EARLIER = "year: 2023\n"
SECRET = "secret: 1\n"


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """The served folder (with a.yaml, sub/a.yaml, sub/deeper/a.yaml) and one outside it
    holding files of the same names."""
    requires(IN_FOLDER, "writing in a folder open as a descriptor is POSIX's")
    served, outside = tmp_path / "served", tmp_path / "outside"
    for folder in (served, outside):
        (folder / "sub" / "deeper").mkdir(parents=True)
        for name in ("a.yaml", "sub/a.yaml", "sub/deeper/a.yaml"):
            (folder / name).write_text(EARLIER if folder == served else SECRET)
    return served, outside


def swapped_after_the_check(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, swap: Callable[[], None]
) -> None:
    """The name is checked as always; then, before the write, ``swap`` runs (as another
    program with write access to the folder could at that moment)."""
    check = workspace.path

    def checked_then_swapped(name: object, **options: tuple[str, ...]) -> Path:
        found = check(name, **options)
        swap()
        return found

    monkeypatch.setattr(workspace, "path", checked_then_swapped)


def link_folder(served: Path, outside: Path, part: str) -> Callable[[], None]:
    def swap() -> None:
        (served / part).rename(served / f"{part}.moved")
        (served / part).symlink_to(outside / part, target_is_directory=True)

    return swap


def outside_as_it_was(outside: Path) -> None:
    files = sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*") if p.is_file())
    assert files == ["a.yaml", "sub/a.yaml", "sub/deeper/a.yaml"]
    assert all((outside / name).read_text() == SECRET for name in files)


@pytest.mark.parametrize("operation", ["save", "create"])
@pytest.mark.parametrize(
    ("folder", "part"), [("sub", "sub"), ("sub/deeper", "sub"), ("sub/deeper", "sub/deeper")]
)
def test_a_write_through_a_folder_swapped_for_a_link_is_refused(
    places: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    operation: str,
    folder: str,
    part: str,
) -> None:
    served, outside = places
    workspace = Workspace(served)
    swapped_after_the_check(workspace, monkeypatch, link_folder(served, outside, part))
    name = f"{folder}/{'a' if operation == 'save' else 'new'}.yaml"
    with pytest.raises(UsageError) as refused:
        if operation == "save":
            workspace.save(name, "year: 2024\n", version_of(EARLIER.encode()), force=True)
        else:
            workspace.create(name, "year: 2024\n")
    linked = part.rsplit("/", 1)[-1]
    assert str(refused.value) == (
        f"{name}：只能写入本文件夹中的文件（其中的 {linked} 已换成指向别处的链接）"
    )
    outside_as_it_was(outside)
    moved = served / f"{part}.moved"
    assert sorted(p.name for p in moved.iterdir()) == (
        ["a.yaml"] + (["deeper"] if part == "sub" else [])
    )


def test_a_file_swapped_for_a_link_is_replaced_not_written_through(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    served, outside = places
    workspace = Workspace(served)

    def swap() -> None:
        (served / "a.yaml").unlink()
        (served / "a.yaml").symlink_to(outside / "a.yaml")

    swapped_after_the_check(workspace, monkeypatch, swap)
    workspace.save("a.yaml", "year: 2024\n", None, force=True)
    assert not (served / "a.yaml").is_symlink()
    assert (served / "a.yaml").read_text() == "year: 2024\n"
    outside_as_it_was(outside)


def test_new_files_and_folders_are_made_inside(places: tuple[Path, Path]) -> None:
    served, outside = places
    workspace = Workspace(served)
    assert workspace.create("新/更深/新.yaml", "year: 2024\n") == "新/更深/新.yaml"
    assert (served / "新" / "更深" / "新.yaml").read_text() == "year: 2024\n"
    with pytest.raises(UsageError) as refused:
        workspace.create("新/更深/新.yaml", "year: 2025\n")
    assert str(refused.value) == "新/更深/新.yaml 已存在，为免覆盖未做任何修改；请换一个文件名"
    assert workspace.save("其他/a.yaml", "x: 1\n", None) == version_of(b"x: 1\n")
    assert (served / "其他" / "a.yaml").read_text() == "x: 1\n"
    outside_as_it_was(outside)


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_save_that_fails_leaves_the_file_and_no_temporary_file(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    served, _ = places
    workspace = Workspace(served)
    monkeypatch.setattr(os, step, no_space)
    with pytest.raises(FileSystemError) as failed:
        workspace.save("sub/a.yaml", "year: 2024\n", version_of(EARLIER.encode()))
    assert str(failed.value) == "无法保存 sub/a.yaml（磁盘已满）"
    monkeypatch.undo()
    assert sorted(p.name for p in (served / "sub").iterdir()) == ["a.yaml", "deeper"]
    assert (served / "sub" / "a.yaml").read_text() == EARLIER


@pytest.mark.parametrize(
    ("step", "error", "created"),
    [
        ("fsync", errno.ENOSPC, False),
        ("link", errno.ENOSPC, False),
        ("link", errno.EPERM, True),  # no hard links here: made with O_EXCL instead
    ],
)
def test_a_new_file_is_made_whole_or_not_at_all(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, step: str, error: int, created: bool
) -> None:
    served, _ = places
    workspace = Workspace(served)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, step, fail)
    if created:
        assert workspace.create("sub/new.yaml", "year: 2024\n") == "sub/new.yaml"
    else:
        with pytest.raises(FileSystemError, match=r"^无法创建 sub/new\.yaml（"):
            workspace.create("sub/new.yaml", "year: 2024\n")
    monkeypatch.undo()
    expected = ["a.yaml", "deeper", *(["new.yaml"] if created else [])]
    assert sorted(p.name for p in (served / "sub").iterdir()) == expected
    if created:
        assert (served / "sub" / "new.yaml").read_text() == "year: 2024\n"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("link", "a.yaml：只能打开本文件夹中的文件（它已换成指向别处的链接）"),
        ("fifo", "a.yaml: 这是一个命名管道（FIFO），不是 YAML 文件（只能读取普通文件）"),
    ],
)
def test_a_file_swapped_between_its_look_and_its_open_is_neither_followed_nor_waited_for(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, kind: str, message: str
) -> None:
    """The file is looked at (lstat: a regular file) and then replaced, before it is opened:
    the open follows no link, and a FIFO opened to be read would wait for a writer forever."""
    requires(hasattr(os, "mkfifo"), "FIFOs are POSIX's")
    served, outside = places
    look = os.stat

    def looked_then_swapped(path: object, *args: object, **options: object) -> os.stat_result:
        found = look(path, *args, **options)  # type: ignore[arg-type]
        if path == "a.yaml" and options.get("dir_fd") is not None:
            (served / "a.yaml").unlink()
            if kind == "link":
                (served / "a.yaml").symlink_to(outside / "a.yaml")
            else:
                os.mkfifo(served / "a.yaml")
        return found

    monkeypatch.setattr(os, "stat", looked_then_swapped)
    with pytest.raises(UsageError) as refused:
        Workspace(served).open("a.yaml")
    assert str(refused.value) == message
    outside_as_it_was(outside)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_save_keeps_who_may_read_the_file(places: tuple[Path, Path], mode: int) -> None:
    """A file kept from the other users of the computer (0600) stays so after a save; the new
    file written in its place had the umask's mode (0644: anyone could read it)."""
    served, _ = places
    target = served / "a.yaml"
    target.chmod(mode)
    workspace = Workspace(served)
    workspace.save("a.yaml", "year: 2024\n", version_of(EARLIER.encode()))
    assert (target.read_text(), target.stat().st_mode & 0o777) == ("year: 2024\n", mode)


def test_a_change_made_while_the_save_is_written_is_not_overwritten(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program saves the file while reportgen writes and flushes its own copy (the
    longest step of a save): the disk is looked at again just before the copy replaces it."""
    served, _ = places
    target = served / "a.yaml"
    workspace = Workspace(served)
    flush = os.fsync

    def flushed_while_another_saves(descriptor: int) -> None:
        target.write_text("year: 2030\n")  # the other program's save
        flush(descriptor)

    monkeypatch.setattr(os, "fsync", flushed_while_another_saves)
    with pytest.raises(Conflict) as asked:
        workspace.save("a.yaml", "year: 2024\n", version_of(EARLIER.encode()))
    assert str(asked.value).startswith("a.yaml 在打开后已被其他程序修改")
    assert target.read_text() == "year: 2030\n"
    assert sorted(p.name for p in served.iterdir()) == ["a.yaml", "sub"]  # no temporary file
    monkeypatch.setattr(os, "fsync", flush)
    workspace.save("a.yaml", "year: 2024\n", version_of(b"year: 2030\n"))
    assert target.read_text() == "year: 2024\n"
