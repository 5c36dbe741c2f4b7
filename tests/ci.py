"""What CI=true changes: a test that cannot run fails instead of skipping."""

from __future__ import annotations

import os

import pytest

ON_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def requires(condition: object, reason: str) -> None:
    """Skip the calling test unless ``condition`` holds; under CI, fail it instead.

    A skip on the gate would let a change land untested because a tool or a file was missing
    there. Call it where the test first needs the thing, or mark the test
    ``@pytest.mark.requires(condition, reason)`` to check before its fixtures are set up
    (tests/conftest.py; pytest reports a failure there as an error of the setup).
    """
    if condition:
        return
    if ON_CI:
        pytest.fail(f"cannot run, and CI=true forbids skipping: {reason}", pytrace=False)
    pytest.skip(reason)
