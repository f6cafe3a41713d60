"""The moderation panel's workbook: ``export_workbook`` writes it, ``import_panel`` brings the
panel's decisions back into the audits. Pure core: no typer or rich here."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# openpyxl reads and writes through lxml whenever lxml is installed (python-docx, for render,
# brings it). qaudit wants the standard library's parser: openpyxl then reads workbooks through
# defusedxml (import-xlsx's guard against entity bombs), and the fast cell writer
# (export/fastcells.py) applies. openpyxl reads this once, when it is first imported, and only
# qaudit's export package imports it.
os.environ["OPENPYXL_LXML"] = "False"

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
