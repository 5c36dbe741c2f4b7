"""Time, CPU and peak memory of ``reportgen import`` on the hostile published reports of
tests/bad_inputs/make_imports.py (issue 18): each refused from a count, or drafted, in a fresh
process under /usr/bin/time (pdftotext's CPU counts with its parent's, which waits for it).

Run: ``.venv/bin/python benchmarks/bench_import.py`` — prints a Markdown table (kept in
benchmarks/RESULTS.md). ``bench_import.py NAME …`` runs only those files. CPU seconds are the
figure to compare: wall time grows with the machine's load, the counts that stop a file do not.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bad_inputs.make_imports import FILES  # noqa: E402

REPORTGEN = [sys.executable, "-m", "reportgen"]


def measure(path: Path) -> tuple[int, float, float, float, str]:
    """Exit code, wall seconds, CPU seconds (the process and pdftotext), peak RSS MiB, and the
    first line said."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        draft = str(Path(work) / "d.yaml")
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", *REPORTGEN, "import", str(path), "-o", draft],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    wall = time.perf_counter() - start
    *output, usage = done.stderr.strip().splitlines()
    peak, user, system = usage.split()
    said = (done.stdout + "\n".join(output)).strip().splitlines()[:1]
    return done.returncode, wall, float(user) + float(system), int(peak) / 1024, "".join(said)[:70]


def main(names: list[str]) -> None:
    chosen = {n: make for n, make in FILES.items() if not names or n in names}
    print("| file | size KiB | exit | wall s | CPU s | peak RSS MiB | said |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in chosen.items():
            path = Path(folder) / name
            path.write_bytes(make())
            code, wall, cpu, rss, said = measure(path)
            size = path.stat().st_size / 1024
            print(
                f"| {name} | {size:.0f} | {code} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | "
                f"{said.split(': ', 1)[-1]} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
