"""Time and memory of validation and rendering, of refusing hostile inputs and templates, how
rendering time grows with the narrative's size, and how fast `reportgen validate` starts.

Run: ``.venv/bin/python benchmarks/bench.py`` — prints Markdown tables; the results we
measured are kept in benchmarks/RESULTS.md. ``bench.py scaling`` runs only the scaling tables (numbered items, indicator table rows),
``bench.py startup`` only the start-up one (``bench.py startup source``: the same without
reportgen's bytecode), and ``bench.py templates`` only the hostile-template corpus
(tests/bad_templates/cases.yaml), each case in a fresh interpreter under a 2 GiB address-space
cap and a 60 s kill, with the limits as shipped. ``bench.py batch`` measures the batch of
issue 12 (benchmarks/bench_batch.py) and writes its tables into RESULTS.md.
"""

from __future__ import annotations

import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.check.validate import validate_file  # noqa: E402
from reportgen.output.render import render_document  # noqa: E402


def timed(action, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def child_peak(code: str) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (seconds, peak RSS MiB)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK + code + "\nprint(_peak_kib())"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(result.stdout.strip().splitlines()[-1]) / 1024


# VmHWM is the child's own high-water mark (ru_maxrss would carry the parent's over exec).
_PEAK = """
def _peak_kib():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
"""


# Numbered items in one section, each size twice the one before: time(N) / time(N / 2) is
# about 2 when rendering is linear in the narrative and about 4 when it is quadratic.
SCALING_SIZES = [2_500, 5_000, 10_000, 20_000]
TABLE_SIZES = [1_000, 2_000, 4_000]  # 8,000 rows pass the 1000 万-character limit

# Each size in a fresh interpreter, as `reportgen render` runs: a process that has already
# rendered a large report has grown malloc's heap and hides the cost of copying big strings.
_RENDER_ONCE = """
import sys, time
from pathlib import Path
from typing import Any
from reportgen.output.render import render_document
from reportgen.check.validate import validate_file
start = time.perf_counter()
outcome = validate_file(Path(sys.argv[1]))
assert outcome.ok, [f.as_text() for f in outcome.findings]
middle = time.perf_counter()
render_document(outcome)
print(middle - start, time.perf_counter() - middle)
"""


def _numbered_items(n: int) -> dict[str, Any]:
    example = ROOT / "data" / "nansha-party-office-2023.yaml"
    data: dict[str, Any] = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["sections"]["functions"] = [{"numbered": [f"第{i}项职能。" for i in range(1, n + 1)]}]
    return data


def _indicator_rows(n: int) -> dict[str, Any]:
    """The complete sample with ``n`` indicators: the default template's table of n rows."""
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "reportgen/samples/complete.yaml").read_text(encoding="utf-8")
    )
    row = {"category": "output", "target": 40, "actual": 44, "unit": "个", "rate": "110%"}
    data["indicators"] = [{"name": f"指标{i}", **row} for i in range(n)]
    return data


def scaling(
    tmp: Path,
    repeat: int = 3,
    sizes: list[int] = SCALING_SIZES,
    make: Callable[[int], dict[str, Any]] = _numbered_items,
) -> list[tuple[int, float, float]]:
    """(items, validate seconds, render seconds), medians over fresh processes."""
    rows = []
    for n in sizes:
        data = make(n)
        source = tmp / f"items-{n}.yaml"
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        source.write_text(text, encoding="utf-8")
        samples = []
        for _ in range(repeat):
            result = subprocess.run(
                [sys.executable, "-c", _RENDER_ONCE, str(source)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            validate_s, render_s = map(float, result.stdout.split())
            samples.append((validate_s, render_s))
        rows.append(
            (
                n,
                statistics.median(v for v, _ in samples),
                statistics.median(r for _, r in samples),
            )
        )
    return rows


def startup(repeat: int = 7, bytecode: bool = True) -> tuple[float, float]:
    """Whole-process seconds (median): bare ``import yaml, pydantic`` and ``reportgen validate``
    of one example — the second includes the interpreter, the imports and the validation.

    The two are run by turns, so that a change in the machine's load shifts both. With
    ``bytecode``, reportgen's is written first, as ``pip install`` does and as yaml and pydantic
    have theirs; without, it is removed and not written (``PYTHONDONTWRITEBYTECODE``, as set on
    the project machine), and every start compiles reportgen's source."""
    package = ROOT / "reportgen"
    env = dict(os.environ)
    if bytecode:
        compileall.compile_dir(package, quiet=1)
    else:
        for cache in list(package.rglob("__pycache__")):
            shutil.rmtree(cache)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    example = ROOT / "data" / "panyu-gov-office-2023.yaml"
    commands = (
        [sys.executable, "-c", "import yaml, pydantic"],
        [sys.executable, "-m", "reportgen", "validate", str(example)],
    )
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for command, taken in zip(commands, samples, strict=True):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=ROOT, env=env)
            taken.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def print_startup(bare: float, validate: float, load: tuple[float, ...]) -> None:
    print("| whole process | median s |\n| --- | --- |")
    print(f"| python -c 'import yaml, pydantic' | {bare:.2f} |")
    print(f"| reportgen validate (one example) | {validate:.2f} |")
    print(f"| ratio (goal ≤ 3) | {validate / bare:.2f} |")
    print(f"\nLoad average at the start: {' / '.join(f'{x:.2f}' for x in load)}.")


def print_scaling(rows: list[tuple[int, float, float]], what: str = "numbered items") -> None:
    print(f"| {what} | validate s | render s | render ratio to the row above |")
    print("| --- | --- | --- | --- |")
    previous = None
    for n, validate_s, render_s in rows:
        ratio = f"{render_s / previous:.2f}" if previous else "—"
        print(f"| {n:,} | {validate_s:.2f} | {render_s:.2f} | {ratio} |")
        previous = render_s


_RENDER_WITH_TEMPLATE = """
import sys
from pathlib import Path
from typing import Any
from reportgen.errors import ReportgenError
from reportgen.output.render import render_document
from reportgen.check.validate import validate_file
outcome = validate_file(Path("data/panyu-gov-office-2023.yaml"))
try:
    render_document(outcome, Path(sys.argv[1]))
    print("rendered")
except ReportgenError as exc:
    print(str(exc).rsplit(".docx ", 1)[-1])
except MemoryError:
    print("MemoryError")
"""


def _capped() -> None:
    cap = 2 << 30
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def template_case(template: Path) -> tuple[float, float | None, str]:
    """Render panyu with ``template`` in a fresh interpreter: seconds, peak RSS MiB, outcome."""
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-c", _PEAK + _RENDER_WITH_TEMPLATE + "print(_peak_kib())", template],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            preexec_fn=_capped,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None, "killed after 60 s"
    elapsed = time.perf_counter() - start
    lines = result.stdout.strip().splitlines()
    if len(lines) < 2:
        return elapsed, None, (result.stderr.strip().splitlines() or ["?"])[-1]
    return elapsed, int(lines[-1]) / 1024, lines[-2]


def hostile_templates() -> None:
    from tests.bad_templates import CASES, make_template, template_text

    baseline, _ = child_peak("import reportgen.output.render")
    print(
        f"Baseline interpreter + import: {baseline:.2f} s.\n\n"
        "| hostile template | family | seconds | peak RSS MiB | outcome |\n"
        "| --- | --- | --- | --- | --- |"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            template = make_template(template_text(case), Path(tmp) / f"{case['name']}.docx")
            seconds, peak, outcome = template_case(template)
            shown = "—" if peak is None else f"{peak:.0f}"
            print(f"| {case['name']} | {case['family']} | {seconds:.1f} | {shown} | {outcome} |")


def main() -> None:
    if sys.argv[1:] == ["batch"]:
        from bench_batch import run, write_results

        table = run()
        print(table)
        write_results(table)
        return
    if sys.argv[1:] == ["templates"]:
        hostile_templates()
        return
    if sys.argv[1:2] == ["startup"] and sys.argv[2:] in ([], ["source"]):
        load = os.getloadavg()
        print_startup(*startup(bytecode=sys.argv[2:] == []), load)
        return
    if sys.argv[1:] == ["scaling"]:
        with tempfile.TemporaryDirectory() as tmp:
            print_scaling(scaling(Path(tmp)))
            print()
            rows = scaling(Path(tmp), sizes=TABLE_SIZES, make=_indicator_rows)
            print_scaling(rows, "indicator table rows")
        return
    rows = []
    for example in sorted((ROOT / "data").glob("*.yaml")):
        outcome = validate_file(example)
        rows.append((f"validate {example.name}", timed(lambda e=example: validate_file(e)) * 1000))
        rows.append((f"render {example.name}", timed(lambda o=outcome: render_document(o)) * 1000))
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bomb.yaml"
        lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 9):
            name, prev = chr(97 + i), chr(96 + i)
            lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
        bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
        big = Path(tmp) / "big.yaml"
        big.write_bytes(b"a: " + b"x" * (50 * 1024 * 1024))
        near = Path(tmp) / "near.yaml"
        near.write_text(
            "sections:\n  goals:\n" + "    - 段落文字，用于测试较大的文件。\n" * 40000,
            encoding="utf-8",
        )
        # Text the rules scan: each used to cost quadratic time in a backtracking regex.
        complete = yaml.safe_load((ROOT / "reportgen/samples/complete.yaml").read_text("utf-8"))
        texts = {
            "60,000 digits in a paragraph": "1" * 60_000,
            "15,000 years “2023” in a row": "2023" * 15_000,
            "20,000 “${” in a paragraph": "${" * 20_000,
            "20,000 typed labels “1.1.”": "1." * 20_000,
        }
        text_cases = {}
        for label, text in texts.items():
            complete["sections"]["goals"] = text
            complete["sections"]["measures"] = [{"numbered": [text]}]
            path = Path(tmp) / f"text-{len(text_cases)}.yaml"
            path.write_text(yaml.safe_dump(complete, allow_unicode=True), encoding="utf-8")
            text_cases[f"{label} ({path.stat().st_size // 1024} KiB)"] = path
        baseline = child_peak("import reportgen.check.validate")
        cases = {
            "alias bomb (10^9 nodes if expanded)": bomb,
            "50 MiB file": big,
            f"{near.stat().st_size // 1024} KiB file under the limit": near,
            **text_cases,
        }
        peaks = []
        for label, path in cases.items():
            seconds, peak = child_peak(
                "from pathlib import Path; from reportgen.check.validate import validate_file; "
                f"validate_file(Path({str(path)!r}))"
            )
            peaks.append((label, seconds - baseline[0], peak))
        growth = scaling(Path(tmp))
    print("| operation | median ms |\n| --- | --- |")
    for label, ms in rows:
        print(f"| {label} | {ms:.1f} |")
    print(
        f"\nBaseline interpreter + import: {baseline[0]:.2f} s, {baseline[1]:.0f} MiB peak RSS.\n"
    )
    print("| hostile input | extra seconds over baseline | peak RSS MiB |\n| --- | --- | --- |")
    for label, seconds, peak in peaks:
        print(f"| {label} | {seconds:.2f} | {peak:.0f} |")
    print()
    print_scaling(growth)
    print()
    load = os.getloadavg()
    print_startup(*startup(), load)


if __name__ == "__main__":
    main()
