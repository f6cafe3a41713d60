"""Shared test helpers: run the CLI as a user would, with a fixed 'today'."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

# As qaudit.export does in a qaudit process, before openpyxl is first imported (the test
# modules import openpyxl before qaudit.export): openpyxl writes without lxml.
os.environ.setdefault("OPENPYXL_LXML", "False")

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
