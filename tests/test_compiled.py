"""Validators kept between runs (reportgen/model/compiled.py): every file is judged the same
with the cache off, on an empty cache and on a filled one; a damaged or foreign entry is
ignored; each layout's sections have their own entry."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.model import compiled
from reportgen.user_cache import _checksum, installed
from tests.readback import DATA, EXAMPLES

# each kind of problem the validator itself reports, beside the examples
_BAD = {
    "unknown-key.yaml": "year: 2023\ndepartment: 某单位\nlayout: panyu\nbudgett: 1\n",
    "wrong-types.yaml": (
        "year: 二零二三\ndepartment: [1]\nlayout: default\nbudget:\n  income:\n    total: abc\n"
    ),
    "own-section.yaml": (
        "year: 2023\ndepartment: 某单位\nlayout: huadu\nsections:\n  staffing:\n"
        "    body: 人员情况。\n  no_such_section: {}\n"
    ),
}


def _judged(path: Path, cache: Path | None) -> tuple[int, str]:
    """``reportgen validate --format json`` of ``path`` in a new process, with the model cache
    in ``cache`` (``None``: no cache)."""
    env = dict(os.environ)
    env.pop("REPORTGEN_NO_CACHE", None)
    if cache is None:
        env["REPORTGEN_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=path.parent,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _files(tmp_path: Path) -> list[Path]:
    bad = []
    for name, text in _BAD.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        bad.append(tmp_path / name)
    return [*EXAMPLES, *sorted((DATA / "table").glob("*.yaml")), *bad]


def test_every_file_is_judged_the_same_with_and_without_kept_validators(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entries = cache / "reportgen" / compiled.FOLDER
    for path in _files(tmp_path):
        without = _judged(path, None)
        cold = _judged(path, cache)  # built, and kept
        assert sorted(entries.glob("*.pickle")), path.name
        warm = _judged(path, cache)  # read back
        assert without == cold == warm, path.name
        assert without[0] in (0, 1), without
    # the examples' three layouts and the bare model, each with its own entry
    assert len(list(entries.glob("*.pickle"))) >= 4


def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entries = cache / "reportgen" / compiled.FOLDER
    path = EXAMPLES[0]
    expected = _judged(path, None)
    assert _judged(path, cache) == expected
    kept = {entry: entry.read_bytes() for entry in entries.glob("*.pickle")}
    damaged = {}
    for entry, content in kept.items():
        changed = bytearray(content)
        changed[-5] ^= 0xFF  # the checksum no longer holds
        damaged[entry] = bytes(changed)
        entry.write_bytes(damaged[entry])
    assert _judged(path, cache) == expected
    for entry in kept:  # written anew (pydantic's references name ids: not byte for byte)
        assert entry.read_bytes() != damaged[entry]
        assert entry.read_bytes().startswith(compiled._MAGIC)
    for entry in kept:
        # whole, with a valid checksum for its name, but not a validator: ignored
        payload = pickle.dumps({"not": "a validator"})
        magic = compiled._MAGIC
        entry.write_bytes(magic + _checksum(entry.name, payload) + payload)
    assert _judged(path, cache) == expected
    for entry in kept:
        entry.write_bytes(entry.read_bytes()[:40])  # cut short, as by a crash
    assert _judged(path, cache) == expected


def test_one_layouts_validator_does_not_serve_another(tmp_path: Path) -> None:
    """huadu declares a section panyu does not: each layout's model is kept apart, so the
    key stays unknown in the other whichever ran first."""
    cache = tmp_path / "cache"
    own = tmp_path / "own-section.yaml"
    own.write_text(_BAD["own-section.yaml"], encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(_BAD["own-section.yaml"].replace("huadu", "panyu"), encoding="utf-8")
    expected = {p: _judged(p, None) for p in (own, other)}
    for p in (own, other, own, other):
        assert _judged(p, cache) == expected[p]
    assert expected[own] != expected[other]


@pytest.mark.parametrize("kind", ["no-cache", "cache"])
def test_a_model_made_at_run_time_validates_in_process(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process the models are made once (report_model is cached), whatever the cache."""
    from reportgen.check.validate import validate_file

    if kind == "no-cache":
        monkeypatch.setenv("REPORTGEN_NO_CACHE", "1")
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.delenv("REPORTGEN_NO_CACHE", raising=False)
    first = validate_file(EXAMPLES[0])
    again = validate_file(EXAMPLES[0])
    assert first.report is not None and first.report == again.report
    assert first.findings == again.findings


def test_the_key_of_installed_code_changes_with_any_module_and_only_a_module(
    tmp_path: Path,
) -> None:
    (tmp_path / "sub" / "__pycache__").mkdir(parents=True)
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "sub" / "b.py").write_text("y = 2\n", encoding="utf-8")
    (tmp_path / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code\n", encoding="utf-8")
    before = installed(tmp_path)
    assert [entry.split(":")[:2] for entry in before] == [["a.py", "6"], ["sub/b.py", "6"]]
    assert [entry.split(":")[0] for entry in installed(tmp_path, recursive=False)] == ["a.py"]
    (tmp_path / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0\0")
    (tmp_path / "notes.txt").write_text("changed\n", encoding="utf-8")
    assert installed(tmp_path) == before
    (tmp_path / "sub" / "b.py").write_text("y = 3\n", encoding="utf-8")
    os.utime(tmp_path / "sub" / "b.py", ns=(1, 1))
    assert installed(tmp_path) != before


# ``reportgen`` run in a process that records each model pydantic builds a schema for
_COUNTED = """
import runpy, sys
import pydantic._internal._model_construction as construction
built = []
complete = construction.complete_model_class
def counted(cls, *args, **kwargs):
    built.append(cls.__name__)
    return complete(cls, *args, **kwargs)
construction.complete_model_class = counted
sys.argv = ["reportgen", *sys.argv[1:]]
try:
    runpy.run_module("reportgen", run_name="__main__")
finally:
    sys.__stderr__.write("\\nbuilt:" + " ".join(built) + "\\n")
"""


def _built(arguments: list[str], cache: Path, cwd: Path) -> list[str]:
    """The models ``reportgen arguments`` built a schema for (none read back from ``cache``)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("REPORTGEN_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", _COUNTED, *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stderr.rsplit("\nbuilt:", 1)[1].split()


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{example}"],
        ["validate", "{table}"],
        ["render", "{example}", "-o", "out"],
        ["render", "--table", "{table}", "-o", "out"],
        ["overview", "{example}", "{table}", "-o", "汇总.xlsx"],
        ["audit", "{synthetic}"],
    ],
    ids=lambda command: "-".join(part for part in command if not part.startswith("{")),
)
def test_a_second_run_builds_no_model(command: list[str], tmp_path: Path) -> None:
    """Every model a command validates, those made as defaults and in rules as well, has its
    validator read back on the second run: none is built (each costs milliseconds at every
    start)."""
    table = sorted((DATA / "table").glob("*.yaml"))[0]
    synthetic = Path(__file__).parent / "cases" / "import" / "synthetic.txt"
    places = {"{example}": str(EXAMPLES[0]), "{table}": str(table), "{synthetic}": str(synthetic)}
    arguments = [places.get(part, part) for part in command]
    cache = tmp_path / "cache"
    first = _built(arguments, cache, tmp_path)
    assert first, "the first run builds the models it uses"
    assert _built(arguments, cache, tmp_path) == []
