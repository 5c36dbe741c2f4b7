"""The department files in the served folder: the folder held open from the start, names checked
to stay inside it, saves atomic and never over a change made on disk since the file was opened."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from reportgen.errors import FileSystemError, ReportgenError, UsageError
from reportgen.findings import Finding
from reportgen.importer.draft import write_new
from reportgen.output.atomic import (
    IN_FOLDER,
    Diverted,
    NotRegular,
    create_in_folder,
    folder_gone,
    folder_within,
    open_in_folder,
    open_root,
    replace_atomically,
    replace_in_folder,
)
from reportgen.read.text import decode_text, open_regular, read_open, require_regular

YAML_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 3  # folders below the served one that are listed
MAX_LISTED = 2000
# of each folder's or file's name in UTF-8: file systems allow 255; the rest is for the
# temporary file written beside it (as reportgen.output.naming.MAX_NAME_BYTES)
MAX_PART_BYTES = 200


# names Windows gives to devices, whatever follows the first dot (NUL.yaml is the null device)
WINDOWS_DEVICES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}


class Conflict(ReportgenError):
    """The file on disk is not the one the clerk opened: saving would lose someone's change."""


class NotFound(UsageError):
    pass


class FolderGone(UsageError):
    """The served folder was deleted after the start: nothing can be read or saved in it."""


class LinkedFile(UsageError):
    """The file was replaced by a link since its name was checked: it is not read."""


GONE = (
    "启动时的文件夹 {root} 已被删除，不能再打开或保存其中的文件。网页上没有保存的内容仍在"
    "网页中，请先复制到别处，再重新运行 reportgen serve"
)
CHANGED = (
    "{name} 在打开后已被其他程序修改（或删除）；请选择重新载入磁盘上的文件，或用现在的内容覆盖它"
)


@dataclass(frozen=True)
class Opened:
    name: str
    text: str | None  # None when the file cannot be read as text (findings say why)
    version: str | None  # the SHA-256 of the bytes on disk, None when there is no file
    findings: list[Finding]


@dataclass(frozen=True)
class OnDisk:
    content: bytes  # at most MAX_FILE_BYTES + 1 bytes: its version is their SHA-256
    text: str | None  # None when it cannot be read as text (findings say why)
    findings: list[Finding]


def version_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Workspace:
    """The folder ``reportgen serve`` works in; every name a request gives is relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._lock = threading.Lock()
        # The folder is held open, so that a folder renamed, or replaced (by another folder, by
        # a link) under its name after the start is never read or written in its place: the
        # folder the clerk started in is, wherever it is moved. Windows: by its path.
        self._descriptor: int | None = None
        if IN_FOLDER:
            try:
                self._descriptor = open_root(self.root)
            except Diverted:
                raise UsageError(f"{self.root} 已换成指向别处的链接") from None
            except OSError as exc:
                raise FileSystemError(f"无法读取目录 {self.root}", exc) from exc
            self._finalizer = weakref.finalize(self, os.close, self._descriptor)

    def close(self) -> None:
        """Let go of the folder (held open while the server runs)."""
        if self._descriptor is not None:
            self._finalizer()

    def _held(self) -> int:
        """The served folder's descriptor; :class:`FolderGone` once it has been deleted."""
        assert self._descriptor is not None
        if folder_gone(self._descriptor):
            raise FolderGone(GONE.format(root=self.root))
        return self._descriptor

    def _moved(self) -> bool:
        """Whether the folder's name no longer stands for the folder held open."""
        if self._descriptor is None:
            return False
        try:
            return not os.path.samestat(os.lstat(self.root), os.fstat(self._held()))
        except OSError:  # gone, or a folder above it may no longer be looked into
            return True

    def path(self, name: object, *, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> Path:
        """The file ``name`` stands for, refused unless it is a plain relative name inside the
        folder (no ``..``, no absolute path, no link leading out) with one of ``suffixes``."""
        if not isinstance(name, str) or not name or len(name) > 400 or "\x00" in name:
            raise UsageError("文件名无效")
        pure = PurePosixPath(name.replace("\\", "/"))
        if any(c < " " or "\ud800" <= c <= "\udfff" for c in name):  # the latter: not UTF-8
            raise UsageError("文件名无效（含有控制字符，或不是按 UTF-8 编码的字符）")
        if pure.is_absolute() or ".." in pure.parts or ":" in name:
            raise UsageError(f"{name}：只能打开本文件夹中的文件")
        if any(part.startswith(".") for part in pure.parts):
            raise UsageError(f"{name}：以“.”开头的文件或文件夹是隐藏的，列表中不显示，请换一个名称")
        for part in pure.parts:
            if part.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES:
                raise UsageError(
                    f"{name}：{part} 在 Windows 上是设备名（CON、NUL 等），写入的内容会丢失，"
                    "不能用作文件或文件夹名"
                )
        if any(part.endswith((".", " ")) for part in pure.parts[:-1]):
            raise UsageError(f"{name}：文件夹名不能以“.”或空格结尾（Windows 会去掉它们）")
        if pure.suffix.lower() not in suffixes:
            raise UsageError(f"{name}：文件名应以 {' 或 '.join(suffixes)} 结尾")
        if any(len(part.encode("utf-8", "surrogatepass")) > MAX_PART_BYTES for part in pure.parts):
            raise UsageError(
                f"{name}：文件名过长（每一级文件夹或文件名最多 {MAX_PART_BYTES} 字节，"
                f"约 {MAX_PART_BYTES // 3} 个汉字）"
            )
        if len(pure.parts) - 1 > MAX_DEPTH:
            raise UsageError(f"{name}：文件夹层次过深（最多 {MAX_DEPTH} 层子文件夹）")
        if self._moved():  # its name leads elsewhere; reads and writes never follow a link
            return self.root / pure
        base = self.root.resolve()  # as the folders above it are now
        resolved = (base / pure).resolve()
        if not resolved.is_relative_to(base) or resolved == base:
            raise UsageError(f"{name}：只能打开本文件夹中的文件（它指向文件夹以外）")
        return self.root / resolved.relative_to(base)

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def files(self) -> list[str]:
        """The YAML files in the folder and its subfolders (hidden ones and links out skipped)."""
        found: list[str] = []
        for folder, dirs, names in self._walk():
            depth = len(folder.parts)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and depth < MAX_DEPTH)
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                    continue
                relative = (folder / name).as_posix()
                try:
                    self.path(relative)
                except UsageError:
                    continue
                found.append(relative)
                if len(found) >= MAX_LISTED:
                    return found
        return found

    def _walk(self) -> Iterator[tuple[PurePosixPath, list[str], list[str]]]:
        """``os.walk`` of the folder held (not of what its name stands for now), each folder
        named relative to it; links to folders are not followed."""
        if self._descriptor is None:
            for folder, dirs, names in os.walk(self.root):
                yield PurePosixPath(Path(folder).relative_to(self.root).as_posix()), dirs, names
            return
        for folder, dirs, names, _ in os.fwalk(".", dir_fd=self._held()):
            yield PurePosixPath(folder), dirs, names

    def open(self, name: str) -> Opened:
        target = self.path(name)
        found = self._read(target, name, "打开")
        if found is None:
            raise NotFound(f"{name} 不存在")
        return Opened(name, found.text, version_of(found.content), found.findings)

    def exists(self, target: Path) -> bool:
        """Whether anything stands at ``target`` (a broken link too); a folder it may not
        look into is said, never an internal error."""
        try:
            if self._descriptor is None:
                return target.exists() or target.is_symlink()
            with self._folder(target, self.name_of(target), "写入", make=False) as folder:
                os.stat(target.name, dir_fd=folder, follow_symlinks=False)
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise FileSystemError(f"无法读取 {self.name_of(target)}", exc) from exc

    def _read(self, target: Path, name: str, verb: str) -> OnDisk | None:
        """The file ``target`` as it is on disk (``None``: nothing there), read through the
        served folder's descriptor without following a link (:meth:`_folder`); a regular file
        only, at most ``MAX_FILE_BYTES`` of it. ``verb`` is what the request does (打开, 写入)."""
        try:
            if IN_FOLDER:
                with self._folder(target, name, verb, make=False) as folder:
                    try:
                        descriptor = open_in_folder(folder, target.name)
                    except Diverted:
                        raise LinkedFile(
                            f"{name}：只能{verb}本文件夹中的文件（它已换成指向别处的链接）"
                        ) from None
            else:  # Windows: by the path checked (see reportgen.output.atomic.IN_FOLDER)
                os.stat(target)  # FileNotFoundError: nothing there
                descriptor = open_regular(target, name)
        except FileNotFoundError:
            return None
        except NotRegular as exc:
            require_regular(exc.mode, name, "YAML 文件")
            raise
        except OSError as exc:
            raise FileSystemError(f"无法读取 {name}", exc) from exc
        content, findings = read_open(descriptor, name)
        text = None
        if not findings:
            text, findings = decode_text(content, name)
        return OnDisk(content, text, findings)

    def save(self, name: str, text: str, version: str | None, *, force: bool = False) -> str:
        """Write ``text`` over ``name`` atomically and return the new version.

        ``version`` is the one the clerk opened (``None`` for a file not yet on disk); when
        the disk holds another, :class:`Conflict` is raised unless ``force`` (the clerk chose to
        overwrite). A file written with CRLF line ends or a BOM keeps them. A file on disk that
        cannot be read as text (not UTF-8, too big) is never replaced: the page never showed it."""
        target = self.path(name)
        with self._lock:
            try:
                current = self._read(target, name, "写入")
            except LinkedFile:
                if not force:  # not the file the clerk opened; forced, the link is replaced
                    raise Conflict(CHANGED.format(name=name)) from None
                current = None
            if current is not None and current.text is None:
                raise UsageError(
                    f"{name} 不能作为文本读入（见“问题”），网页中显示的不是它的内容；"
                    "为免其中的内容丢失，不能在网页中保存它。请按“问题”中的说明改正后重新打开"
                )
            on_disk = None if current is None else current.content
            if not force and (None if on_disk is None else version_of(on_disk)) != version:
                raise Conflict(CHANGED.format(name=name))
            if on_disk is not None and b"\r\n" in on_disk:
                text = text.replace("\n", "\r\n")
            content = text.encode("utf-8")
            if on_disk is not None and on_disk.startswith(b"\xef\xbb\xbf"):
                content = b"\xef\xbb\xbf" + content

            def unchanged() -> None:
                """The disk still holds what was checked (writing took a while)."""
                if force:
                    return
                try:
                    now = self._read(target, name, "写入")
                except LinkedFile:
                    raise Conflict(CHANGED.format(name=name)) from None
                if (None if now is None else now.content) != on_disk:
                    raise Conflict(CHANGED.format(name=name))

            self._write(target, name, lambda stream: stream.write(content), unchanged)
            return version_of(content)

    def create(self, name: str, text: str) -> str:
        """Create the file ``name`` holding ``text``, never over anything there; its name."""
        target = self.path(name)
        if not IN_FOLDER:
            write_new(target, text)
            return self.name_of(target)
        try:
            with self._folder(target, name, "写入", make=True) as folder:
                create_in_folder(folder, target.name, text.encode("utf-8"))
        except FileExistsError:
            raise UsageError(f"{name} 已存在，为免覆盖未做任何修改；请换一个文件名") from None
        except OSError as exc:
            raise FileSystemError(f"无法创建 {name}", exc) from exc
        return self.name_of(target)

    def _write(
        self,
        target: Path,
        name: str,
        write: Callable[[BinaryIO], object],
        unchanged: Callable[[], None],
    ) -> None:
        try:
            if not IN_FOLDER:  # Windows: the disk was looked at before the write only
                target.parent.mkdir(parents=True, exist_ok=True)
                replace_atomically(target, write)
                return
            with self._folder(target, name, "写入", make=True) as folder:
                replace_in_folder(folder, target.name, write, unchanged)
        except OSError as exc:
            raise FileSystemError(f"无法保存 {name}", exc) from exc

    @contextlib.contextmanager
    def _folder(self, target: Path, name: str, verb: str, *, make: bool) -> Iterator[int]:
        """The folder ``target`` is in (with ``make``, made if missing), opened one level at a
        time from the served folder without following a link: a link put in place of a folder
        since :meth:`path` checked it cannot lead a read or a write out of the served folder."""
        parts = target.parent.relative_to(self.root).parts
        try:
            with folder_within(self._held(), parts, make=make) as folder:
                yield folder
        except Diverted as exc:
            raise UsageError(
                f"{name}：只能{verb}本文件夹中的文件（其中的 {exc.part} 已换成指向别处的链接）"
            ) from None
