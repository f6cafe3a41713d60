"""Start-up of one-file ``qaudit validate`` (what pre-commit pays per commit), side by side.

Runs, interleaved so every row sees the same machine load, best and median of ``--repeat``
runs each, with CPU time (user + system, the steadier figure on a busy machine) and peak
memory (max RSS):

* ``python -c "import qaudit"``: the interpreter and the package, the floor of the goal;
* floors of what reading an audit needs at least: ``import rtoml`` (its ``__init__`` imports
  ``pathlib`` and ``typing``), ``import rtoml, re, datetime``, the same with ``msgspec``
  (qaudit's records are msgspec Structs; its ``_core`` imports ``typing_extensions``, hence
  ``inspect``, and ``uuid`` and ``decimal``) and with ``dataclasses`` instead (what the
  records were before), and every module from outside qaudit that one-file validate really
  imports (found by running it once: ``sys.modules`` at its exit, less the modules of a bare
  interpreter), so the gap between that row and validate's is what qaudit's own code costs;
* ``python -c "import qaudit.validate"``: the validation core every front-end needs;
* ``qaudit --version`` and ``qaudit validate FILE`` through the real command;
* with ``--compare-src DIR``: ``python -m qaudit validate FILE`` from this checkout's and
  from another checkout's ``src/`` (e.g. ``git archive`` of an older commit), to see what a
  change saved.

Bytecode: an installed qaudit has its ``.pyc`` files (pip compiles them), so every row runs
with ``PYTHONPYCACHEPREFIX`` in a temporary folder (written by a warm-up run) even where
``PYTHONDONTWRITEBYTECODE`` is set; ``--no-bytecode`` measures compiling the sources at every
start instead (an editable install with bytecode writing off).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from common import ENV, qaudit_command  # noqa: E402

SAMPLE = REPO / "sample_audits" / "2026-06-10_FICT-100472_core.toml"

# Run inside the command's own process: the top-level modules it has imported by its exit
# (taken before anything else is imported to print them).
PROBE = r'''
import atexit, sys
def report():
    names = sorted(sys.modules)
    sys.stderr.write("MODULES " + " ".join(names) + "\n")
atexit.register(report)
sys.argv = ["qaudit", *sys.argv[1:]]
from qaudit.cli.app import main
main()
'''
BARE = "import sys; print(' '.join(sys.modules))"


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
    """Wall seconds, exit code, peak memory (KB) and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def outside_modules(file: Path, env: dict[str, str]) -> list[str]:
    """The top-level modules from outside qaudit that ``qaudit validate FILE`` imports, less
    those of a bare interpreter."""
    bare = set(subprocess.run([sys.executable, "-c", BARE], env=env, capture_output=True,
                              text=True, check=True).stdout.split())
    done = subprocess.run([sys.executable, "-c", PROBE, "validate", str(file)], env=env,
                          capture_output=True, text=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return [name for name in line.split()[1:] if name not in bare and "." not in name
            and not name.startswith(("qaudit", "_")) and name not in ("__main__", "atexit")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--compare-src", type=Path, default=None,
                        help="another checkout's folder: its src/ is run as python -m qaudit")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile the sources at every start (no .pyc files)")
    args = parser.parse_args()
    env = {k: v for k, v in ENV.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "qaudit-bench-pycache")
    outside = outside_modules(args.file, env)
    py = sys.executable
    rows: list[tuple[str, list[str], dict[str, str]]] = [
        ('python -c "import qaudit"', [py, "-c", "import qaudit"], env),
        ('python -c "import rtoml"', [py, "-c", "import rtoml"], env),
        ('python -c "import rtoml, re, datetime"', [py, "-c", "import rtoml, re, datetime"],
         env),
        ('python -c "import rtoml, msgspec, re, datetime"',
         [py, "-c", "import rtoml, msgspec, re, datetime"], env),
        ('python -c "import rtoml, dataclasses, re, datetime"',
         [py, "-c", "import rtoml, dataclasses, re, datetime"], env),
        (f"python -c \"import <the {len(outside)} modules below>\"",
         [py, "-c", "import " + ", ".join(outside)], env),
        ('python -c "import qaudit.validate"', [py, "-c", "import qaudit.validate"], env),
        ("qaudit --version", [*qaudit_command(), "--version"], env),
        ("qaudit validate FILE", [*qaudit_command(), "validate", str(args.file)], env),
    ]
    if args.compare_src is not None:  # like for like: both through python -m qaudit
        rows.append(("python -m qaudit validate FILE (this checkout)",
                     [py, "-m", "qaudit", "validate", str(args.file)],
                     {**env, "PYTHONPATH": str(REPO / "src")}))
        other = {**env, "PYTHONPATH": str(args.compare_src.resolve() / "src")}
        rows.append((f"python -m qaudit validate FILE from {args.compare_src}",
                     [py, "-m", "qaudit", "validate", str(args.file)], other))
    for _name, command, row_env in rows:  # warm-up: writes the bytecode, fills the OS cache
        run_once(command, row_env)
    results: dict[str, list[tuple[float, int, int, float]]] = {name: [] for name, _, _ in rows}
    for _ in range(args.repeat):
        for name, command, row_env in rows:
            results[name].append(run_once(command, row_env))
    load = os.getloadavg()
    print(f"{args.repeat} runs each, interleaved; load average {load[0]:.2f} at the end; "
          f"file {args.file.name}; "
          f"{'no bytecode (sources compiled at every start)' if args.no_bytecode else 'bytecode'}"
          f"\n\nOutside qaudit, validate FILE imports: {', '.join(outside)}\n")
    base = results[rows[0][0]]
    floor = min(t for t, _, _, _ in base)
    cpu_floor = min(c for _, _, _, c in base)
    toml_floor = min(t for t, _, _, _ in results[rows[1][0]])
    print("| command | best ms | median ms | ÷ import qaudit | ÷ import rtoml | best CPU ms "
          "| CPU ÷ import qaudit | peak MB | exit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, _, _ in rows:
        times = [t for t, _, _, _ in results[name]]
        cpu = min(c for _, _, _, c in results[name])
        best, median = min(times), statistics.median(times)
        peak = max(m for _, _, m, _ in results[name]) / 1024
        code = results[name][-1][1]
        print(f"| {name} | {best * 1000:.1f} | {median * 1000:.1f} | {best / floor:.2f} | "
              f"{best / toml_floor:.2f} | {cpu * 1000:.1f} | {cpu / cpu_floor:.2f} | "
              f"{peak:.0f} | {code} |")


if __name__ == "__main__":
    main()
