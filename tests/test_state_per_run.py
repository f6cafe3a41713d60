"""State per run: a long-lived front-end (the form) sees a qaudit.toml or a council template
edited while it is open; an unchanged file is not read again."""

from __future__ import annotations

import os
from pathlib import Path

from qaudit.config import config_for
from qaudit.templates.catalogue import catalogue_for_dirs
from qaudit.validate import catalogue_for

SHIPPED_CORE = Path(__file__).resolve().parent.parent / "src" / "qaudit" / "templates" / "core.toml"


def _touch_later(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_a_changed_qaudit_toml_is_read_again(tmp_path: Path) -> None:
    settings = tmp_path / "qaudit.toml"
    settings.write_text('[qaudit]\nruleset = "core-v1.1"\n', encoding="utf-8")
    audit = tmp_path / "a.toml"
    first = config_for(audit)
    assert first.ruleset == "core-v1.1"
    assert config_for(audit) is first  # unchanged: the same settings, not read again
    _touch_later(settings, '[qaudit]\nruleset = "team-manager-v1"\n')
    assert config_for(audit).ruleset == "team-manager-v1"
    settings.unlink()
    assert config_for(audit).path is None  # removed: no settings, not the old ones


def test_a_council_template_added_later_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n',
                                          encoding="utf-8")
    config = config_for(tmp_path / "a.toml")
    assert "council" not in catalogue_for(config).ids()
    text = SHIPPED_CORE.read_text(encoding="utf-8").replace('id = "core"', 'id = "council"', 1)
    (folder / "council.toml").write_text(text, encoding="utf-8")
    assert "council" in catalogue_for(config).ids()
    assert catalogue_for_dirs(config.template_dirs) is catalogue_for(config)
