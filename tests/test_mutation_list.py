"""benchmarks/mutation.py's mutants still name lines of today's source: a line rewritten since
(a refactoring) would stop the whole run at its first mutant, and nobody would know until the
next time it is run."""

from __future__ import annotations

import pytest

from benchmarks.mutation import MUTANTS, Mutant
from tests.conftest import ROOT


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_each_mutant_changes_one_line_of_todays_source(mutant: Mutant) -> None:
    text = mutant.check(ROOT)  # stops the run (SystemExit) unless the line is there once
    assert text.count(mutant.before) == 1
    assert mutant.after != mutant.before
    for test in mutant.tests:
        assert (ROOT / test.split("::")[0]).exists(), test
