"""Start-up of one-file ``qaudit validate`` (what pre-commit pays per commit), side by side.

Runs, interleaved so every row sees the same machine load, best and median of ``--repeat``
runs each, with peak memory (max RSS):

* ``python -c "import qaudit"``: the interpreter and the package, the floor;
* ``python -c "import qaudit.validate"``: the validation core every front-end needs;
* ``qaudit --version`` and ``qaudit validate FILE`` through the real command;
* with ``--compare-src DIR``: ``python -m qaudit validate FILE`` from another checkout's
  ``src/`` (e.g. a worktree of an older commit), to see what a change saved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from common import ENV, qaudit_command  # noqa: E402

SAMPLE = REPO / "sample_audits" / "2026-06-10_FICT-100472_core.toml"


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
    """Wall seconds, exit code, peak memory (KB) and CPU seconds (user + system) of one run.
    CPU time is the steadier figure on a loaded machine."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--compare-src", type=Path, default=None,
                        help="another checkout's folder: its src/ is run as python -m qaudit")
    args = parser.parse_args()
    rows: list[tuple[str, list[str], dict[str, str]]] = [
        ('python -c "import qaudit"', [sys.executable, "-c", "import qaudit"], ENV),
        ('python -c "import qaudit.validate"',
         [sys.executable, "-c", "import qaudit.validate"], ENV),
        ("qaudit --version", [*qaudit_command(), "--version"], ENV),
        ("qaudit validate FILE", [*qaudit_command(), "validate", str(args.file)], ENV),
    ]
    if args.compare_src is not None:
        other = {**ENV, "PYTHONPATH": str(args.compare_src.resolve() / "src")}
        rows.append((f"validate FILE from {args.compare_src}",
                     [sys.executable, "-m", "qaudit", "validate", str(args.file)], other))
    results: dict[str, list[tuple[float, int, int, float]]] = {name: [] for name, _, _ in rows}
    for _ in range(args.repeat):
        for name, command, env in rows:
            results[name].append(run_once(command, env))
    load = os.getloadavg()
    print(f"{args.repeat} runs each, interleaved; load average {load[0]:.2f} at the end; "
          f"file {args.file.name}\n")
    floor = min(t for t, _, _, _ in results[rows[0][0]])
    cpu_floor = min(c for _, _, _, c in results[rows[0][0]])
    print("| command | best ms | median ms | best ÷ import qaudit | best CPU ms | CPU ÷ import "
          "qaudit | peak MB | exit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _, _ in rows:
        times = [t for t, _, _, _ in results[name]]
        cpu = min(c for _, _, _, c in results[name])
        best, median = min(times), statistics.median(times)
        peak = max(m for _, _, m, _ in results[name]) / 1024
        code = results[name][-1][1]
        print(f"| {name} | {best * 1000:.0f} | {median * 1000:.0f} | {best / floor:.1f} | "
              f"{cpu * 1000:.0f} | {cpu / cpu_floor:.1f} | {peak:.0f} | {code} |")


if __name__ == "__main__":
    main()
