"""Shared test helpers: run the CLI as a user would, with a fixed 'today'."""

from __future__ import annotations

import os

# As qaudit.export does: openpyxl without lxml (defusedxml reading, the fast cell writer), also
# for tests that import openpyxl before qaudit's export package.
os.environ["OPENPYXL_LXML"] = "False"
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qaudit.cli.app import app

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_audits"
CASES = Path(__file__).resolve().parent / "cases"
TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs as if today were TODAY, so 'not in the future' checks are stable."""
    monkeypatch.setenv("QAUDIT_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    yield


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | os.PathLike[str], input: str | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()
