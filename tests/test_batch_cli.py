"""validate and check-kpis above the parallel threshold: two workers print exactly what one
process prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from qaudit.batch import PARALLEL_FROM


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    shutil.copy(SAMPLES / "qaudit.toml", folder / "qaudit.toml")
    samples = sorted(SAMPLES.glob("20*.toml"))
    copies = 0
    while copies < PARALLEL_FROM + 10:
        for sample in samples:
            shutil.copy(sample, folder / f"{copies:04d}_{sample.name}")
            copies += 1
    (folder / "0003_broken.toml").write_text("[audit\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["validate"], ["check-kpis"], ["check-kpis", "-f", "json"],
                                     ["check-kpis", "-f", "csv"]])
def test_two_workers_print_what_one_process_prints(cli, big_folder: Path,  # type: ignore[no-untyped-def]
                                                   command: list[str]) -> None:
    one = cli(*command, "-j", "1", big_folder)
    two = cli(*command, "-j", "2", big_folder)
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert "0003_broken.toml" in one.stdout or command[-1] == "csv"
