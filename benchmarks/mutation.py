"""Mutation testing of reportgen's boundaries: does some test notice when a threshold moves?

Each mutant below changes one line of the source — a comparison operator, a constant at a
threshold, a rounding mode — in a throw-away copy of the project, and runs the tests that should
notice it. A mutant is *killed* when they fail, *survives* when they pass. The goal is that every
mutant is killed: a survivor is a boundary no test pins (add a test on both sides of it).

    .venv/bin/python benchmarks/mutation.py              # every mutant
    .venv/bin/python benchmarks/mutation.py carryover    # those whose name contains the word
    .venv/bin/python benchmarks/mutation.py --list       # the mutants, without running them

The checkout is never changed: it is copied once (``reportgen/``, ``tests/``, ``templates/``,
``docs/``, ``data/``), the tests must pass on that copy unmutated, and each mutant then runs in a
copy of its own with ``PYTHONPATH`` pointing there, under ``CI=true``; a test that fails or hangs
kills the mutant.
Results are written down in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("reportgen", "tests", "templates", "docs", "data", "pyproject.toml", "README.md")
TIMEOUT = 900  # seconds per mutant: the slowest test files take a few minutes on a busy machine

BOUNDARIES = (
    "tests/test_boundaries.py",
    "tests/test_boundaries_serve.py",
    "tests/test_arithmetic.py",
    "tests/test_rules.py",
)


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # relative to the project
    before: str  # occurs exactly once in the file
    after: str
    tests: tuple[str, ...] = BOUNDARIES

    def check(self, root: Path) -> str:
        """The file's text; stops when the line to change is not found exactly once."""
        text = (root / self.path).read_text(encoding="utf-8")
        if text.count(self.before) != 1:
            raise SystemExit(f"{self.name}: {self.before!r} is not found once in {self.path}")
        return text

    def apply(self, root: Path) -> None:
        text = self.check(root)
        (root / self.path).write_text(text.replace(self.before, self.after), encoding="utf-8")


ARITHMETIC = "reportgen/check/rules/arithmetic.py"
BUDGET = "reportgen/check/rules/budget.py"
EVALUATION = "reportgen/check/rules/evaluation.py"
AMOUNTS = "reportgen/model/amounts.py"
OUTLINE = "reportgen/layout/outline.py"
COUNTS = "reportgen/read/counts.py"
CONNECTIONS = "reportgen/serve/connections.py"

MUTANTS: tuple[Mutant, ...] = (
    # the comparison policy (BRIEF §3)
    Mutant(
        "compare-tail-line",
        ARITHMETIC,
        "Agreement.TAIL if beyond <= tolerance",
        "Agreement.TAIL if beyond < tolerance",
    ),
    Mutant("compare-interval", ARITHMETIC, "half = unit(places) / 2", "half = unit(places)"),
    Mutant(
        "compare-rounded-equal",
        ARITHMETIC,
        "if round_to(computed, places) == stated:",
        "if round_to(computed, places) == stated and False:",
    ),
    Mutant(
        "sum-tolerance-per-part",
        ARITHMETIC,
        "unit(places) * len(parts)",
        "unit(places)",
    ),
    Mutant(
        "rate-tolerance-two-decimals",
        ARITHMETIC,
        "return compare(stated, computed, places, unit(max(places, RATE_PLACES)))",
        "return compare(stated, computed, places, unit(places))",
    ),
    Mutant(
        "same-figure-ends-included",
        ARITHMETIC,
        "is not Agreement.WRONG\n",
        "is Agreement.EQUAL\n",
    ),
    Mutant(
        "round-half-up",
        AMOUNTS,
        "rounding=ROUND_HALF_UP)",
        "rounding=ROUND_HALF_EVEN)",
    ),
    Mutant(
        "messages-round-as-the-report",
        "reportgen/model/formatting.py",
        'return f"{round_to(value, 2):.2f}%"',
        'return f"{value:.2f}%"',
    ),
    # rates: 0 % to 10000 %
    Mutant(
        "computed-rate-10000",
        ARITHMETIC,
        "rate is None or rate <= MAX_RATE",
        "rate is None or rate < MAX_RATE",
    ),
    Mutant(
        "stated-rate-10000",
        AMOUNTS,
        "if value < 0 or value > MAX_RATE:",
        "if value < 0 or value >= MAX_RATE:",
    ),
    Mutant(
        "stated-rate-0",
        AMOUNTS,
        "if value < 0 or value > MAX_RATE:",
        "if value <= 0 or value > MAX_RATE:",
    ),
    Mutant("max-rate", AMOUNTS, 'MAX_RATE = Decimal("10000")', 'MAX_RATE = Decimal("9999.99")'),
    # carry-over, derived budgets, shares
    Mutant(
        "carryover-at-its-limit",
        BUDGET,
        "rate is not None and rate > carry.limit",
        "rate is not None and rate >= carry.limit",
    ),
    Mutant("derived-budget-negative", BUDGET, "    if value < 0:\n", "    if value < -1:\n"),
    Mutant(
        "derived-budget-zero",
        BUDGET,
        "    elif value == 0 and line.amount > 0:",
        "    elif value == 0 and line.amount > 1000:",
    ),
    Mutant(
        "share-over-100",
        BUDGET,
        "share is not None and share > 100",
        "share is not None and share > 101",
    ),
    # scores and grades
    Mutant(
        "component-at-its-maximum",
        EVALUATION,
        "component.max is not None and component.score > component.max",
        "component.max is not None and component.score >= component.max",
    ),
    Mutant(
        "indicator-score-at-its-maximum",
        EVALUATION,
        "if indicator.score > indicator.max_score:",
        "if indicator.score >= indicator.max_score:",
    ),
    Mutant(
        "grade-band-lower-bound",
        "reportgen/check/derive.py",
        "if score >= lower:",
        "if score > lower:",
    ),
    Mutant(
        "below-target",
        "reportgen/check/derive.py",
        "completion is not None and completion < 100",
        "completion is not None and completion <= 100",
    ),
    # the outline
    Mutant(
        "required-and-from-facts",
        OUTLINE,
        "if section.required and section.from_facts is None:",
        "if section.required:",
    ),
    Mutant(
        "omit-chapter-with-required-sections",
        OUTLINE,
        "if not c.required and not any(s.required for s in c.sections)",
        "if not c.required",
    ),
    Mutant(
        "omit-required-body-chapter",
        OUTLINE,
        "if not c.required and not any(s.required for s in c.sections)",
        "if not any(s.required for s in c.sections)",
    ),
    # a template's limits
    Mutant(
        "template-nesting-at-its-limit",
        "reportgen/template/limits.py",
        "if self.depth > self.max_depth:",
        "if self.depth >= self.max_depth:",
    ),
    Mutant(
        "template-steps-at-their-limit",
        "reportgen/template/limits.py",
        "if self.steps > self.max_steps:",
        "if self.steps >= self.max_steps:",
    ),
    Mutant(
        "template-text-at-its-limit",
        "reportgen/template/limits.py",
        "self.refusal is not None or self.text > self.max_text",
        "self.refusal is not None or self.text >= self.max_text",
    ),
    Mutant(
        "template-items-at-their-limit",
        "reportgen/template/limits.py",
        "self.refusal is not None or self.items > self.max_items",
        "self.refusal is not None or self.items >= self.max_items",
    ),
    Mutant(
        "template-elements-at-their-limit",
        "reportgen/template/package.py",
        "if rendered > MAX_ELEMENTS:",
        "if rendered >= MAX_ELEMENTS:",
    ),
    Mutant(
        "template-package-elements-at-their-limit",
        "reportgen/template/package.py",
        "if total > MAX_PACKAGE_ELEMENTS:",
        "if total >= MAX_PACKAGE_ELEMENTS:",
    ),
    # how many entries a data file may hold (E013)
    Mutant(
        "count-indicators-at-the-limit",
        COUNTS,
        "len(indicators) > MAX_INDICATORS",
        "len(indicators) >= MAX_INDICATORS",
    ),
    Mutant(
        "count-sections-at-the-limit",
        COUNTS,
        "len(sections) > MAX_SECTIONS",
        "len(sections) >= MAX_SECTIONS",
    ),
    Mutant(
        "count-paragraphs-at-the-limit",
        COUNTS,
        "paragraphs > MAX_PARAGRAPHS",
        "paragraphs >= MAX_PARAGRAPHS",
    ),
    Mutant(
        "count-list-items-at-the-limit",
        COUNTS,
        "len(item) > MAX_LIST_ITEMS",
        "len(item) >= MAX_LIST_ITEMS",
    ),
    # serve: what follows a head too long is read and dropped, up to 1 MiB
    Mutant(
        "serve-linger-below-its-limit",
        CONNECTIONS,
        "LINGER_BYTES = 1024 * 1024\n",
        "LINGER_BYTES = 1024 * 1024 - 1\n",
    ),
    Mutant(
        "serve-linger-above-its-limit",
        CONNECTIONS,
        "LINGER_BYTES = 1024 * 1024\n",
        "LINGER_BYTES = 1024 * 1024 + 1\n",
    ),
    # import
    Mutant(
        "import-one-component-score",
        "reportgen/importer/facts.py",
        "    if len(components) < 2:\n        return None",
        "    if len(components) < 1:\n        return None",
    ),
)


def _copy(into: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        elif source.exists():
            shutil.copy2(source, into / name)


def run(mutant: Mutant | None, base: Path, python: str) -> tuple[bool, float]:
    """(tests failed, seconds) for ``mutant`` (``None``: the source as it is), in a fresh copy
    of ``base`` with the line changed."""
    with tempfile.TemporaryDirectory(prefix="reportgen-mutant-") as directory:
        root = Path(directory) / "project"
        shutil.copytree(base, root)
        tests = BOUNDARIES if mutant is None else mutant.tests
        if mutant is not None:
            mutant.apply(root)
        env = {**os.environ, "CI": "true", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
        command = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
        start = time.monotonic()
        try:
            done = subprocess.run(
                command, cwd=root, env=env, capture_output=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return True, time.monotonic() - start  # a hung test is noticed too
        return done.returncode != 0, time.monotonic() - start


def main() -> int:
    # stopped by a signal, exit through Python so that subprocess.run stops the running tests
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="run only the mutants whose name has one")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    arguments = parser.parse_args()
    chosen = [
        m for m in MUTANTS if not arguments.words or any(w in m.name for w in arguments.words)
    ]
    for mutant in chosen:  # every mutant still applies to today's source, before any runs
        mutant.check(ROOT)
    if arguments.list:
        for mutant in chosen:
            print(
                f"{mutant.name}: {mutant.path}: {mutant.before.strip()!r} → {mutant.after.strip()!r}"
            )
        return 0
    survivors = []
    with tempfile.TemporaryDirectory(prefix="reportgen-source-") as directory:
        base = Path(directory)
        _copy(base)  # one snapshot: edits made while the mutants run do not reach them
        failed, seconds = run(None, base, sys.executable)
        if failed:
            print(f"the tests fail without any mutant ({seconds:.0f} s): fix them first")
            return 2
        print(f"unmutated: the tests pass ({seconds:.0f} s)", flush=True)
        for mutant in chosen:
            killed, seconds = run(mutant, base, sys.executable)
            print(
                f"{'killed  ' if killed else 'SURVIVED'} {mutant.name} ({seconds:.0f} s)",
                flush=True,
            )
            if not killed:
                survivors.append(mutant.name)
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} mutants killed")
    if survivors:
        print("survivors (a boundary no test pins): " + ", ".join(survivors))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
