"""Timescales: KPI rule sets (data), the case chronology, and the check-kpis engine.

Pure: data in, records out. ``qaudit.cli.kpis_cmd`` and ``qaudit.cli.due_cmd`` render them.
"""
