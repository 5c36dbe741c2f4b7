"""Time and memory of validation and rendering, and of refusing hostile inputs and templates.

Run: ``.venv/bin/python benchmarks/bench.py`` — prints Markdown tables; the results we
measured are kept in benchmarks/RESULTS.md. ``bench.py templates`` measures only the
hostile-template corpus (tests/bad_templates/cases.yaml), each case in a fresh interpreter
under a 2 GiB address-space cap and a 60 s kill, with the limits as shipped.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.render import render_document  # noqa: E402
from reportgen.validate import validate_file  # noqa: E402


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


_RENDER_WITH_TEMPLATE = """
import sys
from pathlib import Path
from reportgen.errors import ReportgenError
from reportgen.render import render_document
from reportgen.validate import validate_file
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

    baseline, _ = child_peak("import reportgen.render")
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
    if sys.argv[1:] == ["templates"]:
        hostile_templates()
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
        baseline = child_peak("import reportgen.validate")
        cases = {
            "alias bomb (10^9 nodes if expanded)": bomb,
            "50 MiB file": big,
            f"{near.stat().st_size // 1024} KiB file under the limit": near,
        }
        peaks = []
        for label, path in cases.items():
            seconds, peak = child_peak(
                "from pathlib import Path; from reportgen.validate import validate_file; "
                f"validate_file(Path({str(path)!r}))"
            )
            peaks.append((label, seconds - baseline[0], peak))
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
    hostile_templates()


if __name__ == "__main__":
    main()
