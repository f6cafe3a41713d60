"""Data files shipped inside qaudit's packages (templates, rule sets, the chronology schema).

Read beside the package's own files: an installed package is a folder, and reading it so costs
no start-up (importlib.resources imports zipfile and tempfile); through importlib.resources
only for a zipped install.
"""

from __future__ import annotations

import importlib
import os
import sys


def _folder(package: str) -> str:
    module = sys.modules.get(package) or importlib.import_module(package)
    return os.path.dirname(module.__file__ or "")


def shipped_names(package: str) -> list[str]:
    """The names of a package's shipped ``*.toml`` files, sorted."""
    folder = _folder(package)
    if os.path.isdir(folder):
        return sorted(name for name in os.listdir(folder) if name.endswith(".toml"))
    from importlib import resources  # pragma: no cover - only for a zipped install

    return sorted(p.name for p in resources.files(package).iterdir()
                  if p.name.endswith(".toml"))


def shipped_text(package: str, file_name: str) -> str:
    """The text of one shipped file of a package (``core-v1.1.toml`` of ``qaudit.rulesets``)."""
    here = os.path.join(_folder(package), file_name)
    if os.path.isfile(here):
        with open(here, encoding="utf-8") as handle:
            return handle.read()
    from importlib import resources  # pragma: no cover - only for a zipped install

    return resources.files(package).joinpath(file_name).read_text("utf-8")
