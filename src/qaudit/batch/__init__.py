"""One batch runner for every command that works through many audit files (validate,
check-kpis, export-xlsx, status).

API (see ``qaudit.batch.runner`` for the details)::

    from qaudit.batch import run_batch, internal_error

    def check_one(path: Path, today: dt.date) -> MyResult: ...          # module level
    def as_result(path: Path, finding: Finding) -> MyResult: ...        # module level

    for result in run_batch(files, functools.partial(check_one, today=today),
                            on_error=as_result, jobs=0, progress=bar_update):
        write(result)            # in file order, as soon as each file (and those before) is done

* ``work`` and ``on_error`` must be picklable: module-level functions, or
  ``functools.partial`` of one with picklable arguments. They run in worker processes for
  large batches, so return something small: encoded output lines and counters, not parsed
  documents or records.
* Below ``parallel_from`` files (default ``PARALLEL_FROM`` = 200), or with ``jobs=1``,
  everything runs in this process: no start-up cost.
* Workers are started with ``forkserver`` (``spawn`` where there is none), never by forking
  this process, so a running thread (rich's progress bar) cannot deadlock them.
* Results come back in the order of ``files``, streamed: at most a few chunks per worker are
  in flight, so memory stays flat however many files there are.
* Last line of defence: an unexpected exception while working on one file becomes an
  ``internal-error`` finding for that file (``internal_error(path, exc)``: the path and the
  exception in one line), handed to ``on_error``; the batch goes on. A worker process that
  dies turns the files it held into the same finding.
"""

from qaudit.batch.runner import PARALLEL_FROM, internal_error, run_batch, worker_count

__all__ = ["PARALLEL_FROM", "internal_error", "run_batch", "worker_count"]
