"""The moderation panel's workbook: ``export_workbook`` writes it, ``import_panel`` brings the
panel's decisions back into the audits. Pure core: no typer or rich here."""

from __future__ import annotations

from qaudit.export.workbook import ExportResult, export_workbook

__all__ = ["ExportResult", "export_workbook"]
