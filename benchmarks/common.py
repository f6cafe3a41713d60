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
