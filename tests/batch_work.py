"""Work functions for tests/test_batch.py: module level, so worker processes can import them."""

from __future__ import annotations

import os
from pathlib import Path

from qaudit.errors import UsageError
from qaudit.findings import Finding


def length_and_pid(path: Path) -> tuple[str, int, int]:
    """The file's name and size, and the process that read it."""
    text = path.read_text(encoding="utf-8")
    if "boom" in text:
        raise ValueError("this file says boom\nover two lines")
    if "die" in text:
        os._exit(3)  # a worker killed mid-file
    if "stop" in text:
        raise UsageError("the rule set is broken", path="rules.toml")
    return path.name, len(text), os.getpid()


def as_error(path: Path, finding: Finding) -> tuple[str, int, int]:
    return path.name, -1, 0 if finding.rule != "internal-error" else -2


def finding_of(path: Path, finding: Finding) -> tuple[str, int, int]:
    raise AssertionError(finding.message)
