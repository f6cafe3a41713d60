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
  qaudit's read-only commands use (start-up included), run right before and right after the
  jsonl -j1 run of each round, so the last column gives jsonl -j1's CPU over the mean of the
  two floors beside it, round by round (median and range): this machine's speed drifts from
  minute to minute, two bests may come from different minutes, and a floor on each side
  cancels a drift that runs one way through the round.

For each: the wall time, the CPU time (user + system; not shown with workers, whose pool
processes are not all waited for, so their CPU is not counted) and the peak resident memory
of the largest single process (with workers: the largest worker or the parent). CPU time is
the steadier figure on a shared machine: other work there slows the wall clock of both sides
more than the CPU a process spends. Prints a Markdown table with the load average
(``os.getloadavg``) before and after each size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from common import ENV, arguments, generate, qaudit_command

PARSE_ONLY = (
    "import pathlib, rtoml\n"
    "for p in sorted(pathlib.Path('.').glob('*.toml')):\n"
    "    rtoml.loads(p.read_text(encoding='utf-8'))\n"
)

# Run a command in a fresh wrapper process; report its exit code, peak memory and the CPU
# time and wall time of it and its children.
MEASURE = ("import resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
           " stderr=subprocess.DEVNULL).returncode\n"
           "wall = time.perf_counter() - start\n"
           "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(code, u.ru_maxrss, u.ru_utime + u.ru_stime, wall)\n")

Run = tuple[float, float, int, float]  # wall seconds, CPU seconds, exit code, peak MB
FLOORS = ("parse before", "parse after")


def measured(command: list[str], cwd: Path) -> Run:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, env=ENV,
                          capture_output=True, text=True, check=True)
    code, kilobytes, cpu, wall = done.stdout.split()
    return float(wall), float(cpu), int(code), int(kilobytes) / 1024


def rotation(commands: dict[str, list[str]], cwd: Path, repeat: int,
             ) -> tuple[dict[str, Run], list[dict[str, Run]]]:
    """Each command ``repeat`` times in rotation (a busy moment hits all alike): the best
    wall time, the best CPU time, the exit code and the highest peak memory of each; and
    every round's runs, for ratios of commands run next to each other."""
    best: dict[str, Run] = {}
    rounds: list[dict[str, Run]] = []
    for _ in range(repeat):
        this_round: dict[str, Run] = {}
        for name, command in commands.items():
            wall, cpu, code, peak = this_round[name] = measured(command, cwd)
            if name in best:
                old = best[name]
                wall, cpu, peak = min(wall, old[0]), min(cpu, old[1]), max(peak, old[3])
            best[name] = (wall, cpu, code, peak)
        rounds.append(this_round)
    return best, rounds


def paired(rounds: list[dict[str, Run]], name: str, floors: tuple[str, str]) -> str:
    """The median and range of ``name``'s CPU over the mean of the two ``floors`` run right
    before and right after it in each round: steadier on a shared machine whose speed drifts
    from one minute to the next than a ratio of two bests, which may come from different
    minutes."""
    ratios = sorted(r[name][1] / statistics.mean(r[f][1] for f in floors) for r in rounds)
    return f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"


def best_of(runs: dict[str, Run], names: tuple[str, ...]) -> Run:
    """The best of several commands' runs taken as one (the floor before and after)."""
    found = [runs[name] for name in names]
    return (min(r[0] for r in found), min(r[1] for r in found), found[0][2],
            max(r[3] for r in found))


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main() -> None:
    args = arguments(__doc__)
    qaudit = qaudit_command()
    cpus = os.cpu_count() or 1
    print(f"CPUs: {cpus}; best of {args.repeat} runs in rotation; wall seconds / CPU seconds "
          "(peak memory MB)")
    print()
    print(f"| audits | MB | load avg (1, 5, 15 min) before → after | jsonl -j1 | json -j1 "
          f"| jsonl -j{cpus} | overview -j1 | parse only (floor) | jsonl -j1 ÷ floor: wall "
          "| CPU | CPU, run next to each other: median (range) |")
    print("|-------:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = generate(size, args.workdir)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.toml")) / 1e6
        before = load()
        runs, rounds = rotation({  # the floor right before and after jsonl -j1
            "parse before": [sys.executable, "-c", PARSE_ONLY],
            "jsonl": [*qaudit, "check-kpis", "--format", "jsonl", "-j1", "."],
            "parse after": [sys.executable, "-c", PARSE_ONLY],
            "json": [*qaudit, "check-kpis", "--format", "json", "-j1", "."],
            "workers": [*qaudit, "check-kpis", "--format", "jsonl", "."],
            "overview": [*qaudit, "check-kpis", "-j1", "."],
        }, folder, args.repeat)
        runs["parse"] = best_of(runs, FLOORS)

        def cell(name: str, runs: dict[str, Run] = runs) -> str:
            wall, cpu, _, peak = runs[name]
            if name == "workers":  # the pool's processes are not all waited for: no CPU
                return f"{wall:.2f} ({peak:.0f})"
            return f"{wall:.2f} / {cpu:.2f} ({peak:.0f})"

        jsonl, parse = runs["jsonl"], runs["parse"]
        print(f"| {size:,} | {megabytes:.0f} | {before} → {load()} | {cell('jsonl')} "
              f"(exit {jsonl[2]}) | {cell('json')} | {cell('workers')} | {cell('overview')} | "
              f"{cell('parse')} | {jsonl[0] / parse[0]:.2f} | {jsonl[1] / parse[1]:.2f} | "
              f"{paired(rounds, 'jsonl', FLOORS)} |",
              flush=True)


if __name__ == "__main__":
    main()
