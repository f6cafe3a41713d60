"""The moderation panel's workbook: ``export_workbook`` writes it, ``import_panel`` brings the
panel's decisions back into the audits. Pure core: no typer or rich here."""

from __future__ import annotations

from qaudit.export.panel_import import ImportResult, import_panel
from qaudit.export.workbook import ExportResult, export_workbook

__all__ = ["ExportResult", "ImportResult", "export_workbook", "import_panel"]
