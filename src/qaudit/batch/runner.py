"""The batch runner: one function per file, in worker processes for large batches, results
streamed back in file order. The package docstring (``qaudit.batch``) is the API.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from qaudit.chronology.workdays import OutOfCalendarError
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


@dataclass(frozen=True)
class _Stop:
    """A QauditError raised by the work in a worker (a broken rule set): it stops the command
    in the parent, as it would have in one process. Carried as data: it pickles safely."""

    message: str
    path: str | None
    kind: type[QauditError]


def _one(work: Work[T], on_error: OnError[T], path: Path) -> T:
    """Last line of defence around one file: an unexpected exception is a finding."""
    try:
        return work(path)
    except OutOfCalendarError as exc:  # a date of this file, or a limit, counted past 2199
        return on_error(path, Finding(str(path), 1, 1, Level.ERROR, OUT_OF_CALENDAR,
                                      f"{exc.message}; the other files were checked"))
    except QauditError:
        raise
    except Exception as exc:  # noqa: BLE001 - that is the point: one file never stops a batch
        return on_error(path, internal_error(path, exc))


def _chunk(work: Work[T], on_error: OnError[T], paths: Sequence[Path]) -> list[T] | _Stop:
    try:
        return [_one(work, on_error, path) for path in paths]
    except QauditError as exc:
        return _Stop(exc.message, exc.path, type(exc))


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
        and sys.platform != "darwin" else "spawn"
    return multiprocessing.get_context(method)


def _module_of(work: Callable[..., object]) -> str | None:
    func = work.func if isinstance(work, partial) else work
    module = getattr(func, "__module__", None)
    return module if isinstance(module, str) and module != "__main__" else None


def _chunk_size(files: int, workers: int) -> int:
    return max(4, min(64, files // (workers * 16) or 1))


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
            yield _one(work, on_error, path)
            if progress is not None:
                progress(done)
        return
    yield from _parallel(files, work, on_error, workers, progress)


def _parallel(files: Sequence[Path], work: Work[T], on_error: OnError[T], workers: int,
              progress: Callable[[int], None] | None) -> Iterator[T]:
    context = _context()
    module = _module_of(work)
    if module and context.get_start_method() == "forkserver":
        context.set_forkserver_preload([module])
    size = _chunk_size(len(files), workers)
    chunks = deque(files[i:i + size] for i in range(0, len(files), size))
    done = 0
    pool = ProcessPoolExecutor(workers, mp_context=context)
    pending: deque[tuple[Sequence[Path], Future[list[T] | _Stop]]] = deque()
    careful = 0  # after a worker died: chunks to run one at a time, so the blame is exact
    try:
        while chunks or pending:
            ahead = 1 if careful else workers * IN_FLIGHT_PER_WORKER
            while chunks and len(pending) < ahead:
                try:
                    future = pool.submit(_chunk, work, on_error, chunks[0])
                except BrokenProcessPool:  # a worker died since: the head's result says so
                    if pending:
                        break
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = ProcessPoolExecutor(workers, mp_context=context)
                    continue
                pending.append((chunks.popleft(), future))
            chunk, future = pending.popleft()
            careful = max(0, careful - 1)
            try:
                results = future.result()
            except BrokenProcessPool as exc:
                # A worker died (killed, out of memory). Start a new pool; the files in flight
                # go again, this chunk's one by one, so only the file that kills a worker
                # becomes a finding.
                again = [held for held, _ in pending]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(workers, mp_context=context)
                if len(chunk) > 1:
                    again = [[p] for p in chunk] + again
                chunks.extendleft(reversed(again))
                careful += len(again)
                if len(chunk) > 1:
                    continue
                results = [on_error(chunk[0], internal_error(chunk[0], exc))]
            except Exception as exc:  # noqa: BLE001 - a result that could not be sent back
                results = [on_error(p, internal_error(p, exc)) for p in chunk]
            if isinstance(results, _Stop):
                raise results.kind(results.message, path=results.path)
            yield from results
            done += len(chunk)
            if progress is not None:
                progress(done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
