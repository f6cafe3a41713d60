"""State per run: a process that stays open (the form) sees an edited rule file on its next
check, because the caches are keyed on the files' identity and mtime."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from qaudit.kpis.check import check_file
from test_kpis import CIN_TO_CP, write_audit

RULES = Path(__file__).resolve().parent.parent / "src/qaudit/rulesets/core-v1.1.toml"


def _bump(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_an_edited_rule_file_is_read_again_in_the_same_process(tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text('[qaudit]\nruleset = "mine.toml"\n', encoding="utf-8")
    rules = RULES.read_text(encoding="utf-8")
    (tmp_path / "mine.toml").write_text(rules, encoding="utf-8")
    audit = write_audit(tmp_path, "a.toml", "2026-10-30", "CP", CIN_TO_CP)
    today = dt.date(2026, 11, 23)
    first = [r.due for r in check_file(audit, today).records if r.rule == "visits-cp"]
    # 10 working days after Wed 1 Jul 2026 is Wed 15 Jul; 20 is Wed 29 Jul.
    assert first[0] == dt.date(2026, 7, 15)
    edited = rules.replace('limit = 10\nunit = "working_days"\nsource = "CP: a minimum',
                           'limit = 20\nunit = "working_days"\nsource = "CP: a minimum')
    assert edited != rules
    _bump(tmp_path / "mine.toml", edited)
    again = [r.due for r in check_file(audit, today).records if r.rule == "visits-cp"]
    assert again[0] == dt.date(2026, 7, 29)
