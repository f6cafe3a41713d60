"""Time `qaudit check-kpis` beside merely parsing the same audit files.

    python benchmarks/bench_kpis.py [--sizes 1000 10000] [--repeat 3] [--workdir DIR]

Generates N fictional audits with benchmarks/generate.py (kept in --workdir between runs, the
same folders bench_validate.py uses) and times, best of --repeat runs:

* `qaudit check-kpis --format json .` as a user runs it (whole command, process start-up
  included, output to /dev/null), in one process (`--jobs 1`) and
  with one worker process per CPU (`--jobs N`);
* parse only, as a subprocess: `python -c` reading and parsing every file with rtoml, the
  parser qaudit's read-only commands use (start-up included);
* parse only, in this process: the same rtoml loop, no start-up.

The ratio says how much the timescale checking costs over reading the files at all.
Prints a Markdown table.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import rtoml
from common import arguments, best_of, generate, qaudit_command

PARSE_ONLY = (
    "import pathlib, rtoml\n"
    "for p in sorted(pathlib.Path('.').glob('*.toml')):\n"
    "    rtoml.loads(p.read_text(encoding='utf-8'))\n"
)


def parse_in_process(folder: Path, repeat: int) -> float:
    times = []
    files = sorted(folder.glob("*.toml"))
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            rtoml.loads(path.read_text(encoding="utf-8"))
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    args = arguments(__doc__)
    qaudit = qaudit_command()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"CPUs: {os.cpu_count()}; load average at start {load:.1f}; best of {args.repeat} "
          "runs; seconds")
    print()
    cpus = os.cpu_count() or 1
    print(f"| audits | MB | check-kpis -j1 | check-kpis -j{cpus} | parse only (subprocess) "
          "| parse only (in-process) | check-kpis -j1 / parse (subprocess) |")
    print("|-------:|---:|-----------:|---------------:|------------------------:"
          "|------------------------:|--------------------------------:|")
    for size in args.sizes:
        folder = generate(size, args.workdir)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.toml")) / 1e6
        check, code = best_of([*qaudit, "check-kpis", "--format", "json", "-j1", "."], folder,
                              args.repeat)
        every, _ = best_of([*qaudit, "check-kpis", "--format", "json", f"-j{cpus}", "."],
                           folder, args.repeat)
        parse_sub, _ = best_of([sys.executable, "-c", PARSE_ONLY], folder, args.repeat)
        parse_here = parse_in_process(folder, args.repeat)
        print(f"| {size:,} | {megabytes:.0f} | {check:.2f} (exit {code}) | {every:.2f} | "
              f"{parse_sub:.2f} | {parse_here:.2f} | {check / parse_sub:.1f} |")


if __name__ == "__main__":
    main()
