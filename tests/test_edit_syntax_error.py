"""Writing to a broken TOML file names the same position and problem as ``validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(("text", "where"), [("x = [1,", "1:8"),
                                             ('a = 1\nb = "open\n', "2:")])
def test_fill_set_on_broken_toml_says_what_validate_says(cli: Any, tmp_path: Path,
                                                         text: str, where: str) -> None:
    path = tmp_path / "audit.toml"
    path.write_text(text, encoding="utf-8")
    checked = cli("validate", path)
    assert checked.exit_code == 1
    finding = next(line for line in checked.output.splitlines() if "toml-syntax" in line)
    position, message = finding.split(": error toml-syntax ")
    assert position == f"{path}:{position.rsplit(':', 2)[1]}:{position.rsplit(':', 1)[1]}"
    assert position.removeprefix(f"{path}:").startswith(where)
    result = cli("fill", path, "--set", "case.child_age=3")
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert f"{position}: {message}" in output, output
    assert "\\x" not in output and "col 0" not in output
    assert path.read_text(encoding="utf-8") == text
