"""How long the full-screen form takes to open a 60 KB audit, beside the floor of reading it.

    python benchmarks/bench_form.py [--repeat 5] [--workdir DIR]

The audit is the largest core audit of a generated folder (generate.py, seed 7), its case
chronology repeated until the file is at least 60 KB. Each figure is the best of ``--repeat``
fresh processes (so imports count, as they do for a person), with the process's peak memory:

* floor: read the file with both parsers the form needs (tomlkit to write, rtoml to check);
* validate: the core's ``validate_file`` on it, in process (the peer: the same rules);
* form: import the form, open the audit (core ``open_audit`` and findings) and draw the first
  screen headless at 120x40 (Textual's ``run_test``), split into import / open / first screen;
* switch: going from one section to the next once open (median of 10).
"""

from __future__ import annotations

import json
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ENV, arguments, generate

TARGET_BYTES = 60 * 1024
_EVENT = re.compile(r"^\[\[events\]\]\n(?:(?!\[).*\n)*", re.M)


def sixty_kb_audit(workdir: Path) -> Path:
    """A core audit of at least 60 KB (the chronology's events repeated as needed)."""
    folder = generate(60, workdir)
    biggest = max((p for p in folder.glob("*_core.toml")), key=lambda p: p.stat().st_size)
    text = biggest.read_text(encoding="utf-8")
    events = _EVENT.findall(text)
    while len(text.encode("utf-8")) < TARGET_BYTES and events:
        text += "\n" + "\n".join(events)
    target = workdir / "sixty-kb-audit.toml"
    target.write_text(text, encoding="utf-8")
    (workdir / "qaudit.toml").unlink(missing_ok=True)
    return target


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(what: str, path: Path) -> dict[str, float]:
    """One measurement in this (fresh) process."""
    import datetime as dt

    today = dt.date(2026, 11, 23)
    start = time.perf_counter()
    if what == "floor":
        import rtoml
        import tomlkit

        text = path.read_text(encoding="utf-8")
        tomlkit.parse(text)
        rtoml.loads(text)
        return {"total": time.perf_counter() - start, "peak_mb": _peak_mb()}
    if what == "validate":
        from qaudit.validate import validate_file

        validate_file(path, today)
        return {"total": time.perf_counter() - start, "peak_mb": _peak_mb()}
    import asyncio

    from qaudit.form.app import FormApp
    from qaudit.form.session import FormSession

    imported = time.perf_counter()
    session = FormSession.open(path, today)
    opened = time.perf_counter()
    figures: dict[str, float] = {}

    async def run() -> None:
        app = FormApp(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            figures["screen"] = time.perf_counter() - opened
            switches = []
            for section in session.sections[1:11]:
                begin = time.perf_counter()
                await app.show_section(section)
                await pilot.pause()
                switches.append(time.perf_counter() - begin)
            figures["switch"] = statistics.median(switches)
            await pilot.press("ctrl+q")

    asyncio.run(run())
    return {"import": imported - start, "open": opened - imported, **figures,
            "total": imported - start + opened - imported + figures["screen"],
            "peak_mb": _peak_mb()}


def measure(what: str, path: Path, repeat: int) -> dict[str, float]:
    """The best run of ``repeat`` fresh processes (by total), with its own figures."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, __file__, "--one", what, str(path)], env=ENV,
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["total"])


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2], Path(sys.argv[3]))))
        return 0
    args = arguments(__doc__)
    path = sixty_kb_audit(args.workdir)
    size = path.stat().st_size / 1024
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"bench_form: {path.name}, {size:.1f} KB; best of {args.repeat} fresh processes; "
          f"Python {platform.python_version()}; load average {load}")
    for what in ("floor", "validate", "form"):
        got = measure(what, path, args.repeat)
        line = f"  {what:<9} {got['total'] * 1000:7.0f} ms   peak {got['peak_mb']:5.0f} MB"
        if what == "form":
            line += (f"   (import {got['import'] * 1000:.0f} ms, open {got['open'] * 1000:.0f} "
                     f"ms, first screen {got['screen'] * 1000:.0f} ms; next section "
                     f"{got['switch'] * 1000:.0f} ms)")
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
