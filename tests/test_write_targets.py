"""Where a write cannot go: the folder named, never a lock file's errno alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from qaudit.audit.writer import atomic_write
from qaudit.errors import FileAccessError

AUDIT = SAMPLES / "2026-06-10_FICT-100472_core.toml"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_render_into_proc_says_the_folder_cannot_be_written(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("render", AUDIT, "-o", "/proc/y.html")
    assert result.exit_code == 2
    assert "the folder /proc cannot be written" in result.output
    assert "nothing was written" in result.output
    assert "locked" not in result.output


def test_render_refuses_to_make_a_tree_of_new_folders(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("render", AUDIT, "-o", tmp_path / "nonexist" / "dir" / "y.html")
    assert result.exit_code == 2
    assert "does not exist either" in result.output and "create the folder first" in result.output
    assert not (tmp_path / "nonexist").exists()
    one_level = cli("render", AUDIT, "-o", tmp_path / "out" / "y.html")
    assert one_level.exit_code == 0, one_level.output
    assert (tmp_path / "out" / "y.html").stat().st_size > 0


def test_the_core_write_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError) as caught:
        atomic_write(tmp_path / "missing" / "a.toml", "x = 1\n")
    assert f"the folder {tmp_path / 'missing'} cannot be written, it does not exist" in str(
        caught.value)
    assert not (tmp_path / "missing").exists()
