"""Rule sets and the chronology's event kinds, as TOML data shipped inside the package.

Read beside this file (an installed package is a folder: no importlib.resources, which costs
start-up), through importlib.resources only for a zipped install.
"""

from __future__ import annotations

import os

HERE = os.path.dirname(__file__)


def shipped_text(file_name: str) -> str:
    """The text of one shipped file (``core-v1.1.toml``)."""
    here = os.path.join(HERE, file_name)
    if os.path.isfile(here):
        with open(here, encoding="utf-8") as handle:
            return handle.read()
    from importlib import resources  # pragma: no cover - only for a zipped install

    return resources.files(__name__).joinpath(file_name).read_text("utf-8")


def shipped_names() -> list[str]:
    """The names of the shipped ``*.toml`` files."""
    if os.path.isdir(HERE):
        return [name for name in os.listdir(HERE) if name.endswith(".toml")]
    from importlib import resources  # pragma: no cover - only for a zipped install

    return [p.name for p in resources.files(__name__).iterdir() if p.name.endswith(".toml")]
