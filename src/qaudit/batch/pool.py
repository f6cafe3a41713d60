"""The worker pool behind ``qaudit.batch.run_batch`` for large batches: chunks of files in
worker processes (``forkserver``, else ``spawn``), a few chunks in flight per worker,
results streamed back in file order, a worker that dies turned into findings.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from qaudit.batch.runner import IN_FLIGHT_PER_WORKER, OnError, Work, internal_error, one_file
from qaudit.errors import QauditError

T = TypeVar("T")


@dataclass(frozen=True)
class _Stop:
    """A QauditError raised by the work in a worker (a broken rule set): it stops the command
    in the parent, as it would have in one process. Carried as data: it pickles safely."""

    message: str
    path: str | None
    kind: type[QauditError]


def _chunk(work: Work[T], on_error: OnError[T], paths: Sequence[Path]) -> list[T] | _Stop:
    try:
        return [one_file(work, on_error, path) for path in paths]
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
    """Files a worker takes at once: enough to make a round trip worth it, and at most 32, so
    what is in flight (a chunk's results, a few chunks a worker) stays the same size however
    large the folder: export-xlsx sends about 100 KB of rows an audit."""
    return max(4, min(32, files // (workers * 16) or 1))


def run_parallel(files: Sequence[Path], work: Work[T], on_error: OnError[T], workers: int,
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
