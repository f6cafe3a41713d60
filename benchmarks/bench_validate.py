"""Time `qaudit validate` beside `taplo check` (with the generated JSON Schema) on the same files.

    python benchmarks/bench_validate.py [--sizes 1000 10000] [--repeat 3] [--workdir DIR]

Generates N fictional audits with benchmarks/generate.py (kept in --workdir between runs),
puts the schemas where the files' `#:schema` lines point, and times whole commands as a user
runs them (process start-up included), best of --repeat runs. Prints a Markdown table.
qaudit checks far more than the schema can (evidence, completeness, date order, chronology);
taplo checks only TOML syntax and the schema.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from common import REPO, arguments, best_of, generate, qaudit_command, timed_with_peak

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    local = BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: pip install '.[test]'")
    return found


def generate_with_schemas(count: int, workdir: Path) -> Path:
    """The generated folder, with the schemas where its files' ``#:schema`` lines point."""
    folder = generate(count, workdir)
    for schemas in (folder / "schemas", workdir / "schemas"):
        shutil.copytree(REPO / "schemas", schemas, dirs_exist_ok=True)
    return folder


def main() -> None:
    args = arguments(__doc__)
    qaudit, taplo = qaudit_command(), tool("taplo")
    print(f"CPUs: {os.cpu_count()}; best of {args.repeat} runs; seconds, whole command")
    print()
    print("| audits | MB | qaudit validate | qaudit validate -j1 | taplo check | qaudit / taplo "
          "| peak MB -j1 | peak MB (largest process) |")
    print("|-------:|---:|----------------:|--------------------:|------------:|---------------:"
          "|---:|---:|")
    for size in args.sizes:
        folder = generate_with_schemas(size, args.workdir)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.toml")) / 1e6
        ours, code = best_of([*qaudit, "validate", "--quiet", "."], folder, args.repeat)
        single, _ = best_of([*qaudit, "validate", "--quiet", "-j1", "."], folder, args.repeat)
        theirs, taplo_code = best_of([taplo, "check", "--colors", "never", "*.toml"], folder,
                                     args.repeat)
        _, _, single_peak = timed_with_peak([*qaudit, "validate", "--quiet", "-j1", "."], folder)
        _, _, peak = timed_with_peak([*qaudit, "validate", "--quiet", "."], folder)
        print(f"| {size:,} | {megabytes:.0f} | {ours:.2f} (exit {code}) | {single:.2f} | "
              f"{theirs:.2f} (exit {taplo_code}) | {ours / theirs:.2f} | {single_peak:.0f} "
              f"| {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
