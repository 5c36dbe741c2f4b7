"""Prepared templates kept between runs: the same report, a damaged entry ignored, bounded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
