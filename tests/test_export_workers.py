"""How many worker processes export-xlsx starts: one per idle CPU, none when fewer than two
CPUs are idle (one process then costs less), what --jobs says when given."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qaudit.batch import PARALLEL_FROM
from qaudit.export import workbook
from qaudit.export.workbook import export_jobs

MANY = PARALLEL_FROM * 5


def _looks(*counts: int | None) -> Callable[[], int | None]:
    seen = iter(counts)
    return lambda: next(seen)


@pytest.fixture(autouse=True)
def _four_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "worker_count", lambda jobs: jobs or 4)
    monkeypatch.setattr(workbook.time, "sleep", lambda seconds: None)


def test_an_idle_machine_gets_a_worker_per_cpu() -> None:
    # Only this process running: 4 idle CPUs.
    assert export_jobs(0, MANY, running=_looks(1, 1, 1, 1, 1)) == 4


def test_cpus_busy_with_other_work_are_left_to_it() -> None:
    # Two other tasks running (the median look): two idle CPUs, two workers.
    assert export_jobs(0, MANY, running=_looks(3, 1, 3, 9, 3)) == 2


def test_fewer_than_two_idle_cpus_means_one_process() -> None:
    assert export_jobs(0, MANY, running=_looks(4, 4, 5, 4, 4)) == 1
    assert export_jobs(0, MANY, running=_looks(9, 9, 9, 9, 9)) == 1


def test_jobs_given_or_a_small_batch_are_left_as_they_are() -> None:
    never = _looks()  # would raise StopIteration if looked at
    assert export_jobs(3, MANY, running=never) == 3
    assert export_jobs(1, MANY, running=never) == 1
    assert export_jobs(0, PARALLEL_FROM - 1, running=never) == 0


def test_where_running_tasks_cannot_be_counted_every_cpu_is_used() -> None:
    assert export_jobs(0, MANY, running=_looks(None)) == 0


def test_the_running_count_is_read_from_this_machine() -> None:
    count = workbook._running_now()
    assert count is None or count >= 1  # this test itself is running
