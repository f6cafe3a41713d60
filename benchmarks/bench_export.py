"""`qaudit export-xlsx` side by side with writers dumping the very same cells, in one run.

    python benchmarks/bench_export.py [--sizes 1000 10000] [--repeat 1] [--workdir DIR]
                                      [--redact] [--jobs N] [--writers W...]

For each size it generates N fictional audits (benchmarks/generate.py, kept in --workdir),
then runs, each as its own process, timed from start to exit:

1. ``qaudit export-xlsx`` as a user runs it (worker processes on every CPU, unless --jobs),
   and ``qaudit export-xlsx -j1`` (one process: parallel work must not lose to it);
2. the floor it is measured against: a bare write-only openpyxl dump of the same cells (every
   sheet's values, read back from qaudit's workbook with python-calamine and stored as pickled
   rows before the timing starts), ``ws.append(values)``, no styles, openpyxl as installed
   (through lxml when lxml is there, its default);
3. the same dump through qaudit's own row writer (``export/fastrows.py``), one process;
4. the same dump with XlsxWriter in constant-memory mode, when it is installed;
5. reading the stored rows only (what 2-4 spend before writing anything).

Peak memory is the largest SUM of the resident memory of the process and all its
descendants (the fork server and worker processes too), sampled every 50 ms from /proc
(Linux). CPU time is the process's own (rusage) plus its descendants' (from /proc/PID/stat).
Prints a Markdown table per size, with each run's wall and CPU time as a ratio of the
floor's, and the machine's load (``uptime``) before and after; with --repeat the best time is
kept and the largest peak memory.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import ENV, REPO, generate

BATCH = 2000  # rows a pickle record


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree_rss(pid: int, cpu: dict[int, float]) -> int:
    """Resident kB of a process and all its descendants; their CPU seconds so far go into
    ``cpu`` (worker processes started by a fork server are not children the process waits
    for, so rusage would miss them)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[current] = (int(fields[11]) + int(fields[12])) / TICK
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack += [int(c) for c in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0
    cpu: dict[int, float] = {}
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(process.pid, cpu))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # Not rusage's ru_maxrss: a child's counts the memory of this (large) process at the fork
    # before its exec. The sampled sum of the process tree is the figure.
    peak_mb = peak / 1024
    others = sum(t for p, t in cpu.items() if p != process.pid)
    return Run(wall, usage.ru_utime + usage.ru_stime + others, peak_mb, process.returncode)


# --- the cells, stored once, and the writers that dump them --------------------------------

def store_cells(workbook: Path, target: Path) -> None:
    """Every sheet's values as qaudit wrote them, as pickled (sheet, rows) records."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(workbook))
    with target.open("wb") as handle:
        for name in book.sheet_names:
            batch: list[list[Any]] = []
            for row in book.get_sheet_by_name(name).iter_rows():
                batch.append([None if v == "" else v for v in row])
                if len(batch) >= BATCH:
                    pickle.dump((name, batch), handle)
                    batch = []
            pickle.dump((name, batch), handle)


def stored(path: Path) -> Iterator[tuple[str, list[list[Any]]]]:
    with path.open("rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def dump(writer: str, cells: Path, out: Path) -> None:
    """One of the dumps, run as its own process by ``main``."""
    if writer == "read":
        for _ in stored(cells):
            pass
        return
    if writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        sheets: dict[str, Any] = {}
        rows: dict[str, int] = {}
        for name, batch in stored(cells):
            ws = sheets.get(name) or sheets.setdefault(name, book.add_worksheet(name))
            for row in batch:
                ws.write_row(rows.get(name, 0), 0, row)
                rows[name] = rows.get(name, 0) + 1
        book.close()
        return
    if writer == "qaudit-rows":
        import qaudit.export  # noqa: F401  (before openpyxl, as in a qaudit process: no lxml)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    open_sheets: dict[str, Any] = {}
    if writer == "openpyxl":
        for name, batch in stored(cells):
            ws = open_sheets.get(name) or open_sheets.setdefault(name, wb.create_sheet(name))
            for row in batch:
                ws.append(row)
    else:  # qaudit's row writer: a row format per shape of row, each batch one block
        from qaudit.export.cells import register_styles
        from qaudit.export.fastcells import RawRows
        from qaudit.export.sheets import RowMaker

        raws: dict[str, Any] = {}
        makers: dict[str, Any] = {}
        styles: dict[Any, int] = {}
        for name, batch in stored(cells):
            if name not in raws:
                ws = wb.create_sheet(name)
                styles = styles or register_styles(ws)
                raws[name] = RawRows(ws)
                width = max((len(r) for r in batch), default=0)
                makers[name] = RowMaker([False] * width, [1e9] * width, styles)  # no heights
            raws[name].add_block(makers[name].rows(batch))
    wb.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--redact", action="store_true", help="Time export-xlsx --redact.")
    parser.add_argument("--jobs", type=int, default=0, help="export-xlsx --jobs (0: every CPU)")
    parser.add_argument("--writers", nargs="+", default=None,
                        choices=["openpyxl", "qaudit-rows", "xlsxwriter", "read"],
                        help="Which dumps to run (default: all; the floor always runs).")
    parser.add_argument("--dump", nargs=3, metavar=("WRITER", "CELLS", "OUT"),
                        help=argparse.SUPPRESS)  # internal: one dump in its own process
    args = parser.parse_args()
    if args.dump:
        dump(args.dump[0], Path(args.dump[1]), Path(args.dump[2]))
        return
    workdir = args.workdir or Path(tempfile.gettempdir()) / "qaudit-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    writers = ["openpyxl", "qaudit-rows", "read"]
    try:
        import xlsxwriter  # noqa: F401

        writers.insert(2, "xlsxwriter")
    except ImportError:
        pass
    if args.writers:
        writers = [w for w in writers if w in args.writers or w == "openpyxl"]
    labels = {"openpyxl": "bare openpyxl write-only dump (the floor)",
              "qaudit-rows": "same dump, qaudit's row writer",
              "xlsxwriter": "same dump, XlsxWriter constant_memory",
              "read": "reading the stored cells only"}
    print(f"machine: {os.cpu_count()} CPUs; at the start: {_uptime()}")
    print("peak memory: the largest sum of the resident memory of the whole process tree "
          "(parent, fork server, workers), sampled every 50 ms")
    for size in args.sizes:
        folder = generate(size, workdir)
        out = workdir / f"panel-{size}.xlsx"
        command = [sys.executable, "-m", "qaudit", "export-xlsx", str(folder), "-o", str(out)]
        if args.redact:
            command.append("--redact")
        label = "qaudit export-xlsx" + (" --redact" if args.redact else "")
        results: list[tuple[str, list[Run], Path | None]] = []
        parallel = command + (["--jobs", str(args.jobs)] if args.jobs else [])
        results.append((label + (f" -j{args.jobs}" if args.jobs else ""),
                        [measure(parallel, REPO) for _ in range(args.repeat)], out))
        one = workdir / f"panel-{size}-j1.xlsx"
        results.append((label + " -j1 (one process)",
                        [measure([*command[:-1], str(one), "--jobs", "1"], REPO)
                         for _ in range(args.repeat)], one))
        cells = workdir / f"cells-{size}.pickle"
        store_cells(out, cells)
        for writer in writers:
            target = workdir / f"dump-{writer}-{size}.xlsx"
            target.unlink(missing_ok=True)
            runs = [measure([sys.executable, __file__, "--dump", writer, str(cells),
                             str(target)], REPO) for _ in range(args.repeat)]
            results.append((labels[writer], runs, target if target.exists() else None))
        cells.unlink()
        floor = min(results[2][1], key=lambda r: r.wall)
        print()
        print("| audits | run | wall time (s) | CPU time (s) | wall / floor | CPU / floor "
              "| peak memory (MB) | workbook (MB) | exit |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for run_label, runs, path in results:
            _row(size, run_label, runs, path, floor)
        print(f"\nat the end of {size:,}: {_uptime()}", flush=True)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _row(size: int, label: str, runs: list[Run], out: Path | None, floor: Run) -> None:
    best = min(runs, key=lambda r: r.wall)
    peak = max(r.peak_mb for r in runs)
    book = f"{out.stat().st_size / 1e6:.1f}" if out is not None else "-"
    print(f"| {size:,} | {label} | {best.wall:.1f} | {best.cpu:.1f} "
          f"| {best.wall / floor.wall:.2f} | {best.cpu / floor.cpu:.2f} | {peak:.0f} | {book} "
          f"| {best.code} |", flush=True)


if __name__ == "__main__":
    main()
