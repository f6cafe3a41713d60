"""Rendering findings one a line (``path:line:col: level rule-id message``): kept for the
commands that import it here; the reporters live in ``qaudit.cli.reporters``."""

from __future__ import annotations

from qaudit.cli.reporters import finding_line, summary

__all__ = ["finding_line", "summary"]
