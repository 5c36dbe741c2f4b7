"""Prepared templates kept between runs: the same report, a damaged entry ignored, bounded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportgen import user_cache
from reportgen.check.validate import validate_file
from reportgen.output.render import render_document
from reportgen.template import stored
from reportgen.template.cache import TemplateCache
from tests.readback import EXAMPLES, TEMPLATES


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("REPORTGEN_NO_CACHE", raising=False)
    return tmp_path / "cache" / "reportgen" / "templates"


def _render(source: Path, template: Path | None = None) -> bytes:
    return render_document(validate_file(source), template, cache=TemplateCache())


def test_a_stored_template_renders_the_same_report(cache_home: Path) -> None:
    for source in EXAMPLES:
        fresh = render_document(validate_file(source))  # docxtpl itself, no cache
        first = _render(source)  # prepared, and stored
        entries = sorted(cache_home.iterdir())
        assert entries and all(e.suffix == ".bin" for e in entries)
        again = _render(source)  # taken from disk
        assert first == again == fresh, source.name
    assert oct(cache_home.stat().st_mode & 0o777) == "0o700"


def test_a_damaged_or_foreign_entry_is_prepared_again(cache_home: Path) -> None:
    source = EXAMPLES[0]
    expected = _render(source)
    [entry] = cache_home.iterdir()
    content = bytearray(entry.read_bytes())
    content[-10] ^= 0xFF  # one byte changed: the checksum no longer holds
    entry.write_bytes(bytes(content))
    assert _render(source) == expected
    assert entry.read_bytes() != bytes(content)  # written anew
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a crash
    assert _render(source) == expected


def test_a_changed_template_is_another_entry(cache_home: Path, tmp_path: Path) -> None:
    source = EXAMPLES[0]
    layout = validate_file(source).choice
    assert layout is not None and layout.layout is not None
    copy = tmp_path / "template.docx"
    shutil.copyfile(layout.layout.template, copy)
    _render(source, copy)
    other = next(
        t for t in sorted(TEMPLATES.glob("*/template.docx")) if t.read_bytes() != copy.read_bytes()
    )
    shutil.copyfile(other, copy)
    os.utime(copy, ns=(1, 1))
    assert _render(source, copy) == render_document(validate_file(source), copy)
    assert len(list(cache_home.iterdir())) == 2


def test_a_cache_others_can_write_is_not_used(cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    cache_home.chmod(0o777)
    _render(EXAMPLES[0])
    assert list(cache_home.iterdir()) == []


def test_no_cache_when_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_NO_CACHE", "1")
    _render(EXAMPLES[0])
    assert not cache_home.exists()


def test_entries_are_bounded(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "MAX_ENTRIES", 2)
    for n in range(4):
        stored.save(f"template {n}".encode(), b"code", {"n": n})
        entry = cache_home / stored.entry_name(f"template {n}".encode(), b"code")
        os.utime(entry, ns=(n * 10**9, n * 10**9))
    kept = {p.name for p in cache_home.iterdir()}
    assert kept == {stored.entry_name(f"template {n}".encode(), b"code") for n in (2, 3)}
    assert stored.load(b"template 3", b"code") == {"n": 3}
    assert stored.load(b"template 0", b"code") is None


def _template_of(source: Path) -> Path:
    choice = validate_file(source).choice
    assert choice is not None and choice.layout is not None
    return choice.layout.template


def test_another_templates_entry_under_this_name_is_not_used(
    cache_home: Path, tmp_path: Path
) -> None:
    """The rename attack: a whole, valid entry of template B copied over template A's."""
    source = EXAMPLES[0]
    mine = tmp_path / "mine.docx"
    shutil.copyfile(_template_of(source), mine)
    other = next(
        t for t in sorted(TEMPLATES.glob("*/template.docx")) if t.read_bytes() != mine.read_bytes()
    )
    expected = render_document(validate_file(source), mine)
    _render(source, mine)
    _render(source, other)
    code = stored.fingerprint()
    my_entry = cache_home / stored.entry_name(mine.read_bytes(), code)
    other_entry = cache_home / stored.entry_name(other.read_bytes(), code)
    shutil.copyfile(other_entry, my_entry)
    assert stored.load(mine.read_bytes(), code) is None
    assert _render(source, mine) == expected
    assert my_entry.read_bytes() != other_entry.read_bytes()  # prepared again and kept


@pytest.mark.parametrize("kind", ["symlink", "file", "read-only", "full disk"])
def test_an_unusable_cache_folder_still_renders_the_same_report(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    source = EXAMPLES[0]
    expected = render_document(validate_file(source))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if kind == "symlink":  # the cache folder links to another place: not followed
        cache_home.parent.mkdir(parents=True)
        cache_home.symlink_to(elsewhere)
    elif kind == "file":
        cache_home.parent.mkdir(parents=True)
        cache_home.write_bytes(b"not a folder")
    elif kind == "read-only":
        cache_home.mkdir(parents=True, mode=0o500)
    else:

        def no_space(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(user_cache.os, "replace", no_space)
    assert _render(source) == expected
    assert _render(source) == expected
    assert list(elsewhere.iterdir()) == []
    if kind == "file":
        assert cache_home.read_bytes() == b"not a folder"
    if kind == "full disk" or (kind == "read-only" and os.geteuid() != 0):  # root may write
        assert list(cache_home.iterdir()) == []  # no entry, and no temporary file left
    if kind == "read-only":
        cache_home.chmod(0o700)


def test_a_cache_home_owned_by_another_user_is_not_used(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.mkdir(parents=True)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_home).st_uid + 1)
    assert stored.load(b"t", b"c") is None
    stored.save(b"t", b"c", {"n": 1})
    assert list(cache_home.iterdir()) == []


def test_two_processes_rendering_at_once_both_get_the_report(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    # the same moment for every render: on a loaded machine the processes start seconds later
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = EXAMPLES[0]
    expected = render_document(validate_file(source))
    script = (
        "import sys; from pathlib import Path;"
        "from reportgen.check.validate import validate_file;"
        "from reportgen.output.render import render_document;"
        "from reportgen.template.cache import TemplateCache;"
        "[Path(sys.argv[2] + str(n)).write_bytes(render_document("
        "validate_file(Path(sys.argv[1])), cache=TemplateCache())) for n in range(3)]"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(source), str(tmp_path / f"out{p}-")])
        for p in range(2)
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    for p in range(2):
        for n in range(3):
            assert (tmp_path / f"out{p}-{n}").read_bytes() == expected
    assert [e.suffix for e in cache_home.iterdir()] == [".bin"]  # one entry, no temporary file


@pytest.mark.parametrize("kind", ["pipe", "link", "folder"])
def test_an_entry_that_is_not_a_file_is_not_read(
    cache_home: Path, tmp_path: Path, kind: str
) -> None:
    """A pipe in an entry's place would make reading wait for ever; a link leads elsewhere."""
    source = EXAMPLES[0]
    expected = render_document(validate_file(source))
    name = stored.entry_name(_template_of(source).read_bytes(), stored.fingerprint())
    cache_home.mkdir(parents=True)
    entry = cache_home / name
    if kind == "pipe":
        os.mkfifo(entry)
    elif kind == "link":
        _render(source)
        target = tmp_path / "elsewhere.bin"
        entry.rename(target)
        entry.symlink_to(target)
    else:
        entry.mkdir()
    assert _render(source) == expected
    if kind != "folder":
        assert entry.is_file() and not entry.is_symlink()  # replaced by a real entry
    assert _render(source) == expected


def test_a_relative_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.user_cache import private_dir

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPORTGEN_NO_CACHE", raising=False)
    assert private_dir("templates") == tmp_path / "home" / ".cache" / "reportgen" / "templates"
    assert not (tmp_path / "relative").exists()
