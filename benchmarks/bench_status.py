"""Time `qaudit status` on generated audits beside an rtoml parse-only floor, with peak memory.

    python benchmarks/bench_status.py [--sizes 1000 10000] [--repeat 3] [--workdir DIR]

Generates N fictional audits with benchmarks/generate.py (kept in --workdir between runs) and
times whole commands as a user runs them (process start-up included), best of --repeat runs:
`qaudit status --format json .` (worker processes, one per CPU), the same with -j1, and the
floor: one Python process that only reads and parses every file with rtoml (what any tool
must do; status also runs every validate rule, check-kpis and the actions register on each
audit). Peak memory is the largest resident set of the process and of any worker it waited
for (ru_maxrss). Prints a Markdown table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import ENV, arguments, generate, qaudit_command

FLOOR = (
    "import pathlib, rtoml, sys\n"
    "n = 0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.toml')):\n"
    "    rtoml.loads(p.read_text(encoding='utf-8')); n += 1\n"
    "print(n)\n"
)


@dataclass
class Run:
    wall: float
    peak_mb: float
    code: int


def measure(command: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # kB on Linux
    return Run(wall, usage.ru_maxrss / scale, os.waitstatus_to_exitcode(status))


def best(command: list[str], cwd: Path, repeat: int) -> Run:
    runs = [measure(command, cwd) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r.wall)
    return Run(fastest.wall, max(r.peak_mb for r in runs), fastest.code)


def main() -> None:
    args = arguments(__doc__)
    qaudit = qaudit_command()
    print(f"CPUs: {os.cpu_count()}; load before: {os.getloadavg()[0]:.1f}; best of "
          f"{args.repeat} runs; seconds, whole command; peak memory in MB")
    print()
    print("| audits | qaudit status | peak MB | status -j1 | peak MB | rtoml parse only "
          "| peak MB | status / floor |")
    print("|-------:|--------------:|--------:|-----------:|--------:|-----------------:"
          "|--------:|---------------:|")
    for size in args.sizes:
        folder = generate(size, args.workdir)
        ours = best([*qaudit, "status", "--format", "json", "."], folder, args.repeat)
        single = best([*qaudit, "status", "--format", "json", "-j1", "."], folder,
                      args.repeat)
        floor = best([sys.executable, "-c", FLOOR, "."], folder, args.repeat)
        print(f"| {size:,} | {ours.wall:.2f} (exit {ours.code}) | {ours.peak_mb:.0f} "
              f"| {single.wall:.2f} | {single.peak_mb:.0f} | {floor.wall:.2f} "
              f"| {floor.peak_mb:.0f} | {ours.wall / floor.wall:.1f} |", flush=True)


if __name__ == "__main__":
    main()
