"""Time `qaudit export-xlsx` on generated audits and record its peak memory.

    python benchmarks/bench_export.py [--sizes 1000 10000] [--repeat 1] [--workdir DIR]
                                      [--redact]

Generates N fictional audits with benchmarks/generate.py (kept in --workdir between runs) and
runs the whole command as a user would (process start-up included). For each run it records
the wall-clock time, the CPU time and the peak resident memory of that one process (from
os.wait4's rusage, so nothing else is counted), and the workbook's size. Prints a Markdown
table; with --repeat the best time is kept and the largest peak memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import ENV, REPO, generate


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


def measure(command: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale,
               process.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--redact", action="store_true", help="Time export-xlsx --redact.")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.gettempdir()) / "qaudit-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    print("| audits | wall time (s) | CPU time (s) | per audit (ms, CPU) | peak memory (MB) "
          "| workbook (MB) | exit |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = generate(size, workdir)
        out = workdir / f"panel-{size}.xlsx"
        command = [sys.executable, "-m", "qaudit", "export-xlsx", str(folder), "-o", str(out)]
        if args.redact:
            command.append("--redact")
        runs = [measure(command, REPO) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r.wall)
        peak = max(r.peak_mb for r in runs)
        print(f"| {size:,} | {best.wall:.1f} | {best.cpu:.1f} | {best.cpu / size * 1000:.1f} "
              f"| {peak:.0f} | {out.stat().st_size / 1e6:.1f} | {best.code} |", flush=True)


if __name__ == "__main__":
    main()
