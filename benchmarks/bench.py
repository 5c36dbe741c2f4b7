"""Time and memory of validation and rendering, and of refusing hostile inputs.

Run: ``.venv/bin/python benchmarks/bench.py`` — prints a Markdown table; the results we
measured are kept in benchmarks/RESULTS.md.
"""

from __future__ import annotations

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


def main() -> None:
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


if __name__ == "__main__":
    main()
