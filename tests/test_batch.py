"""The batch runner: real worker processes, results in file order, one bad file never stops a
batch, a command-stopping error still stops it."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from batch_work import as_error, length_and_pid
from qaudit.batch import PARALLEL_FROM, internal_error, run_batch
from qaudit.errors import UsageError


def _files(folder: Path, count: int, special: dict[int, str] | None = None) -> list[Path]:
    paths = []
    for index in range(count):
        path = folder / f"{index:04d}.txt"
        path.write_text((special or {}).get(index, "x" * (index % 17)), encoding="utf-8")
        paths.append(path)
    return paths


def test_above_the_threshold_two_workers_give_what_one_process_gives(tmp_path: Path) -> None:
    files = _files(tmp_path, PARALLEL_FROM + 37)
    one = list(run_batch(files, length_and_pid, on_error=as_error, jobs=1))
    two = list(run_batch(files, length_and_pid, on_error=as_error, jobs=2))
    assert [r[:2] for r in two] == [r[:2] for r in one]
    assert [r[0] for r in two] == [p.name for p in files]  # in file order
    assert {r[2] for r in one} == {os.getpid()}
    workers = {r[2] for r in two}
    assert workers and os.getpid() not in workers  # really other processes


def test_progress_counts_up_to_every_file(tmp_path: Path) -> None:
    files = _files(tmp_path, PARALLEL_FROM + 5)
    seen: list[int] = []
    list(run_batch(files, length_and_pid, on_error=as_error, jobs=2, progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == len(files)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_one_file_is_a_finding_and_the_batch_goes_on(tmp_path: Path,
                                                                     jobs: int) -> None:
    files = _files(tmp_path, PARALLEL_FROM + 3, {7: "boom"})
    results = list(run_batch(files, length_and_pid, on_error=as_error, jobs=jobs))
    assert len(results) == len(files)
    assert results[7] == ("0007.txt", -1, -2)
    assert all(r[1] >= 0 for i, r in enumerate(results) if i != 7)


def test_the_internal_error_finding_is_one_line_with_path_and_exception() -> None:
    finding = internal_error("audits/a.toml", ValueError("bad\nthing"))
    assert finding.rule == "internal-error" and finding.path == "audits/a.toml"
    assert "ValueError: bad thing" in finding.message and "\n" not in finding.as_line()


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path) -> None:
    files = _files(tmp_path, PARALLEL_FROM + 20, {50: "die"})
    results = list(run_batch(files, length_and_pid, on_error=as_error, jobs=2))
    assert [r[0] for r in results] == [p.name for p in files]
    assert results[50] == ("0050.txt", -1, -2)
    assert all(r[1] >= 0 for i, r in enumerate(results) if i != 50)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_that_stops_the_command_is_raised_with_its_file(tmp_path: Path,
                                                                 jobs: int) -> None:
    files = _files(tmp_path, PARALLEL_FROM + 1, {100: "stop"})
    with pytest.raises(UsageError) as raised:
        list(run_batch(files, length_and_pid, on_error=as_error, jobs=jobs))
    assert str(raised.value) == "rules.toml: the rule set is broken"


def test_work_with_arguments_goes_through_partial(tmp_path: Path) -> None:
    files = _files(tmp_path, PARALLEL_FROM)
    work = partial(length_and_pid)
    assert len(list(run_batch(files, work, on_error=as_error, jobs=2))) == len(files)
