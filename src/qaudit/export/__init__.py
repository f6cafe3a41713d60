"""The moderation panel's workbook: ``export_workbook`` writes it, ``import_panel`` brings the
panel's decisions back into the audits. Pure core: no typer or rich here."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# openpyxl writes through lxml when it is installed (python-docx brings it), and then qaudit's
# row writer (fastcells.py) cannot put rows into the sheet's stream: the export falls back to
# openpyxl's own writer, three times slower. OPENPYXL_LXML is openpyxl's own switch, read
# once when openpyxl is first imported; qaudit imports openpyxl only from this package.
# Set OPENPYXL_LXML=True to have lxml anyway.
os.environ.setdefault("OPENPYXL_LXML", "False")

if TYPE_CHECKING:
    from qaudit.export.panel_import import ImportResult, import_panel
    from qaudit.export.workbook import ExportResult, export_workbook

__all__ = ["ExportResult", "ImportResult", "export_workbook", "import_panel"]


def __getattr__(name: str) -> Any:
    """Load openpyxl (~180 ms) only when a workbook is made or read, not at every start-up."""
    if name in ("ExportResult", "export_workbook"):
        from qaudit.export import workbook

        return getattr(workbook, name)
    if name in ("ImportResult", "import_panel"):
        from qaudit.export import panel_import

        return getattr(panel_import, name)
    raise AttributeError(name)
