"""The batch runner: one function per file, in worker processes for large batches, results
streamed back in file order. The package docstring (``qaudit.batch``) is the API.

A small batch (pre-commit's few files) runs here, in this process; the worker pool and
multiprocessing (``qaudit.batch.pool``) are imported only for a batch that uses them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from qaudit.errors import QauditError
from qaudit.findings import Finding, Level

T = TypeVar("T")

PARALLEL_FROM = 200  # below this many files, starting worker processes costs more than it saves
IN_FLIGHT_PER_WORKER = 3  # chunks submitted ahead per worker: enough to keep it busy, no more
INTERNAL_ERROR = "internal-error"
OUT_OF_CALENDAR = "out-of-calendar"

Work = Callable[[Path], T]
OnError = Callable[[Path, Finding], T]


def internal_error(path: Path | str, exc: BaseException) -> Finding:
    """The finding for an unexpected exception in one file: path and exception, one line."""
    text = " ".join(str(exc).split()) or "no message"
    return Finding(str(path), 1, 1, Level.ERROR, INTERNAL_ERROR,
                   f"qaudit failed on this file ({type(exc).__name__}: {text}); the other "
                   "files were checked. Please report it with the file, if you can share it.")


def worker_count(jobs: int) -> int:
    """``jobs``, or one worker per CPU this process may use when ``jobs`` is 0."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def one_file(work: Work[T], on_error: OnError[T], path: Path) -> T:
    """Last line of defence around one file: an unexpected exception is a finding."""
    try:
        return work(path)
    except QauditError as exc:
        if not _out_of_calendar(exc):
            raise
        # a date of this file, or a limit, counted past 2199
        return on_error(path, Finding(str(path), 1, 1, Level.ERROR, OUT_OF_CALENDAR,
                                      f"{exc.message}; the other files were checked"))
    except Exception as exc:  # noqa: BLE001 - that is the point: one file never stops a batch
        return on_error(path, internal_error(path, exc))


def _out_of_calendar(exc: QauditError) -> bool:
    """Whether ``exc`` is ``qaudit.chronology.workdays.OutOfCalendarError``. Only counting
    working days raises it, so when that module was never imported it cannot be one: a
    batch that counts no working day does not import the calendar to ask."""
    workdays = sys.modules.get("qaudit.chronology.workdays")
    return workdays is not None and isinstance(exc, workdays.OutOfCalendarError)


def run_batch(files: Sequence[Path], work: Work[T], *, on_error: OnError[T], jobs: int = 0,
              progress: Callable[[int], None] | None = None,
              parallel_from: int = PARALLEL_FROM) -> Iterator[T]:
    """``work(path)`` for every file, yielded in the order of ``files``.

    ``jobs``: worker processes (0: one per CPU; 1: this process only). ``progress`` is called
    in this process with the number of files done so far. An unexpected exception in one file
    gives ``on_error(path, internal_error(path, exc))`` instead; a ``QauditError`` (something
    that stops the command, such as a broken rule set) is raised here, as in one process.
    """
    workers = worker_count(jobs)
    if workers <= 1 or len(files) < parallel_from:
        for done, path in enumerate(files, start=1):
            yield one_file(work, on_error, path)
            if progress is not None:
                progress(done)
        return
    from qaudit.batch.pool import run_parallel

    yield from run_parallel(files, work, on_error, workers, progress)
