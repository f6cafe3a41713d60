"""Time `qaudit check-kpis` beside merely parsing the same audit files, with peak memory.

    python benchmarks/bench_kpis.py [--sizes 1000 10000] [--repeat 3] [--workdir DIR]

Generates N fictional audits with benchmarks/generate.py (kept in --workdir between runs, the
same folders bench_validate.py uses) and runs, in rotation, best of --repeat:

* `qaudit check-kpis --format jsonl -j1 .`: one process, every record with its explanation
  written (to /dev/null), process start-up included;
* the same as a streamed JSON document (`--format json`);
* `qaudit check-kpis --format jsonl .` with one worker process per CPU (the default);
* `qaudit check-kpis -j1 .`: the folder overview a person reads;
* the floor: a `python -c` subprocess reading and parsing every file with rtoml, the parser
  qaudit's read-only commands use (start-up included).

Peak memory is the resident set of the largest single process (with workers: the largest
worker or the parent). Prints a Markdown table.
"""

from __future__ import annotations

import os
import sys

from common import arguments, generate, qaudit_command, side_by_side

PARSE_ONLY = (
    "import pathlib, rtoml\n"
    "for p in sorted(pathlib.Path('.').glob('*.toml')):\n"
    "    rtoml.loads(p.read_text(encoding='utf-8'))\n"
)


def main() -> None:
    args = arguments(__doc__)
    qaudit = qaudit_command()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpus = os.cpu_count() or 1
    print(f"CPUs: {cpus}; load average at start {load:.1f}; best of {args.repeat} runs in "
          "rotation; seconds (peak memory MB)")
    print()
    print(f"| audits | MB | jsonl -j1 | json -j1 | jsonl -j{cpus} | overview -j1 "
          "| parse only | jsonl -j1 ÷ parse |")
    print("|-------:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = generate(size, args.workdir)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.toml")) / 1e6
        runs = side_by_side({
            "jsonl": [*qaudit, "check-kpis", "--format", "jsonl", "-j1", "."],
            "json": [*qaudit, "check-kpis", "--format", "json", "-j1", "."],
            "workers": [*qaudit, "check-kpis", "--format", "jsonl", "."],
            "overview": [*qaudit, "check-kpis", "-j1", "."],
            "parse": [sys.executable, "-c", PARSE_ONLY],
        }, folder, args.repeat)

        def cell(name: str, runs: dict[str, tuple[float, int, float]] = runs) -> str:
            seconds, _, peak = runs[name]
            return f"{seconds:.2f} ({peak:.0f})"

        ratio = runs["jsonl"][0] / runs["parse"][0]
        print(f"| {size:,} | {megabytes:.0f} | {cell('jsonl')} (exit {runs['jsonl'][1]}) | "
              f"{cell('json')} | {cell('workers')} | {cell('overview')} | {cell('parse')} | "
              f"{ratio:.1f} |", flush=True)


if __name__ == "__main__":
    main()
