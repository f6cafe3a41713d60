"""Worker processes for export-xlsx: one function of one path, mapped over the files on
every CPU, results streamed back in file order with a bounded number in flight (so memory
does not grow with the folder while the one writer catches up).

Workers are started with ``forkserver`` where there is one (Linux) and ``spawn`` elsewhere,
never by forking a process that may run threads (the CLI's progress bar). Small exports run
in the calling process: starting workers costs more than they would save.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from qaudit.export.encode import ExportContext, set_context

T = TypeVar("T")
IN_PROCESS_BELOW = 64  # files
CHUNK = 8  # files a task


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunk(work: tuple[Callable[[Path], Any], list[Path]]) -> list[Any]:
    step, paths = work
    return [step(path) for path in paths]


def map_paths(step: Callable[[Path], T], paths: Sequence[Path], context: ExportContext,
              jobs: int = 0) -> Iterator[T]:
    """``step(path)`` for each path, in order; ``jobs`` 0 means every CPU."""
    jobs = jobs or cpu_count()
    if jobs <= 1 or len(paths) < IN_PROCESS_BELOW:
        set_context(context)
        for path in paths:
            yield step(path)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
        else "spawn"
    mp = multiprocessing.get_context(method)
    if method == "forkserver":
        mp.set_forkserver_preload(["qaudit.export.encode"])
    chunks = [list(paths[i:i + CHUNK]) for i in range(0, len(paths), CHUNK)]
    window = jobs * 3
    with mp.Pool(jobs, initializer=set_context, initargs=(context,)) as pool:
        pending: deque[Any] = deque()
        waiting = iter(chunks)
        for work in waiting:
            pending.append(pool.apply_async(_chunk, ((step, work),)))
            if len(pending) >= window:
                break
        while pending:
            done = pending.popleft().get()
            following = next(waiting, None)
            if following is not None:
                pending.append(pool.apply_async(_chunk, ((step, following),)))
            yield from done
