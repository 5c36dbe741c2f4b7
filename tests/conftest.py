"""Shared fixtures: the repository's paths, mutated copies of a report, the CI profile."""

from __future__ import annotations

import copy
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from reportgen.check.validate import validate_text
from reportgen.findings import Finding
from tests.ci import ON_CI, requires

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = sorted(DATA.glob("*.yaml"))
COMPLETE = ROOT / "reportgen" / "samples" / "complete.yaml"

Mutation = dict[str, Any]
DELETE = "<delete>"  # a string, so it survives pytest importing conftest twice


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set (or with DELETE remove) ``a.b[0].c`` in nested data."""
    parts: list[str | int] = []
    for piece in dotted.replace("]", "").split("."):
        name, *indices = piece.split("[")
        parts.append(name)
        parts += [int(i) for i in indices]
    target: Any = data
    for part in parts[:-1]:
        target = target[part]
    if value == DELETE:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value


def mutated_text(source: Path, mutation: Mutation) -> str:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for dotted, value in mutation.items():
        set_path(data, dotted, value)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def check_mutation() -> Callable[[Mutation], list[Finding]]:
    def run(mutation: Mutation, source: Path = COMPLETE) -> list[Finding]:
        return validate_text(mutated_text(source, mutation), "case.yaml").findings

    return run


# CI is a gate: the same examples every run, so a landing never depends on luck. Locally,
# hypothesis explores new examples each run (and remembers failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if ON_CI:
    settings.load_profile("ci")


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Ctrl-C as a terminal delivers it: KeyboardInterrupt in this process, the default in the
    programs a test starts, even when pytest was started with SIGINT ignored (``nohup``, a
    background job of a script), which the programs it starts would inherit."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "requires(condition, reason): skip unless condition holds; fail under CI=true"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("requires"):
        requires(*mark.args, **mark.kwargs)
