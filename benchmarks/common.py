"""What the benchmark scripts share: the generated audit folders and timing whole commands."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# A fixed "today" (as the tests use) and no colour, so every run does the same work.
ENV = {**os.environ, "QAUDIT_TODAY": "2026-11-23", "NO_COLOR": "1"}


def generate(count: int, workdir: Path) -> Path:
    """``workdir/audits-N``: N audits from generate.py (seed 7), made once and kept."""
    folder = workdir / f"audits-{count}"
    if not (folder.is_dir() and len(list(folder.glob("*.toml"))) >= count):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(count), str(folder),
                        "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
    return folder


def best_of(command: list[str], cwd: Path, repeat: int) -> tuple[float, int]:
    """The shortest wall time of ``repeat`` runs of a whole command, and its exit code."""
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return min(times), code


PEAK = ("import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def timed_with_peak(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall time, exit code and peak resident memory in MB of the largest single process the
    command ran (itself or one of its workers), measured by a fresh wrapper process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=cwd, env=ENV,
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    code, kilobytes = done.stdout.split()
    return seconds, int(code), int(kilobytes) / 1024


def side_by_side(commands: dict[str, list[str]], cwd: Path,
                 repeat: int) -> dict[str, tuple[float, int, float]]:
    """Each command ``repeat`` times, in rotation (so a busy moment hits all of them alike):
    the best time, the exit code and the highest peak memory of each."""
    best: dict[str, tuple[float, int, float]] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            seconds, code, peak = timed_with_peak(command, cwd)
            if name in best:
                seconds, peak = min(seconds, best[name][0]), max(peak, best[name][2])
            best[name] = (seconds, code, peak)
    return best


def qaudit_command() -> list[str]:
    """The installed ``qaudit`` beside this Python, else ``python -m qaudit``."""
    local = Path(sys.executable).parent / "qaudit"
    return [str(local)] if local.exists() else [sys.executable, "-m", "qaudit"]


def arguments(doc: str | None) -> argparse.Namespace:
    """``--sizes``, ``--repeat`` and ``--workdir`` (the generated folders, kept between runs)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "qaudit-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    return args
