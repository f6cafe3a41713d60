"""Audit templates as data: find the template files and look templates up by id and version.

Shipped templates live in ``qaudit/templates/*.toml``; a council adds its own from folders
named in its ``qaudit.toml`` (``template_dirs``). The model is ``qaudit.templates.model`` and
building one from a file ``qaudit.templates.loading``; both are re-exported here. A shipped
template is built the first time it is asked for (a one-file ``validate`` builds only the
template its audit names); a council's are built when its folder is first read, so a broken
one is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import rtoml

from qaudit.errors import UsageError
from qaudit.readable import readable
from qaudit.shipped import shipped_names, shipped_text
from qaudit.templates.loading import load_text, parse_template, parse_toml, template_key
from qaudit.templates.model import BASE_TYPES, Group, Item, Kind, Section, Template

__all__ = ["BASE_TYPES", "Catalogue", "Group", "Item", "Kind", "Section", "Template",
           "catalogue_for_dirs", "parse_template", "shipped_templates"]

Key = tuple[str, str]
_PACKAGE = "qaudit.templates"  # where the shipped template files are


def _shipped_files() -> list[tuple[str, str]]:
    """(name, text) of each shipped template file, by name."""
    return [(name, shipped_text(_PACKAGE, name)) for name in shipped_names(_PACKAGE)]


# The first table header after ``[template]`` (``[[template.guidance]]``, ``[kinds]``...).
_AFTER_HEAD = r"(?m)^[ \t]*\[(?!template\][ \t]*(?:#.*)?$)"


def _declared(text: str, source: str) -> tuple[Key, dict[str, Any] | None]:
    """The id and version a shipped file declares, read from the lines before its first
    table after ``[template]`` when they parse on their own and hold both (a shipped file
    starts with its ``[template]`` table): the rest of the file, 50 KB, is parsed only if
    that template is asked for. Otherwise the whole file, parsed (returned with the key)."""
    cut = re.search(_AFTER_HEAD, text)
    if cut is not None:
        try:
            head = rtoml.loads(text[:cut.start()]).get("template")
        except rtoml.TomlParsingError:  # cut inside a multi-line string: read it all
            head = None
        if isinstance(head, dict) and isinstance(head.get("id"), str) \
                and isinstance(head.get("version"), str):
            return (head["id"], head["version"]), None
    data = parse_toml(text, source)
    return template_key(data, source), data


@cache
def _shipped() -> dict[Key, tuple[str, str, dict[str, Any] | None]]:
    """Each shipped template's id and version -> its source, text and parsed TOML (None
    until it is built)."""
    found: dict[Key, tuple[str, str, dict[str, Any] | None]] = {}
    for name, text in _shipped_files():
        source = f"qaudit/templates/{name}"
        key, data = _declared(text, source)
        found[key] = (source, text, data)
    return found


@cache
def _shipped_template(key: Key) -> Template:
    source, text, data = _shipped()[key]
    return parse_template(data if data is not None else parse_toml(text, source), source)


def shipped_templates() -> tuple[Template, ...]:
    """Every shipped template, built."""
    return tuple(_shipped_template(key) for key in _shipped())


Listing = tuple[tuple[str, int, int, int], ...]


def _listing(folder: Path) -> Listing:
    """The folder's template files with their inode, modification time and size."""
    found = []
    for p in sorted(folder.glob("*.toml")):
        try:
            st = p.stat()
        except OSError:
            continue
        found.append((p.name, st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(found)


@lru_cache(maxsize=64)
def _load_folder(folder: str, listing: Listing) -> tuple[Template, ...]:
    path = Path(folder)
    return tuple(load_text((path / name).read_text(encoding="utf-8"), str(path / name))
                 for name, *_ in listing)


def _folder_templates(folder: str) -> tuple[Template, ...]:
    """A council's templates, read again when a file in the folder is added or changed."""
    path = Path(folder)
    if not path.is_dir():
        raise UsageError(f"template folder {folder} does not exist")
    return _load_folder(folder, _listing(path))


def catalogue_for_dirs(template_dirs: tuple[Path, ...]) -> Catalogue:
    """The catalogue for a folder's template folders, rebuilt only when one of their
    template files changed (a long-lived front-end sees an edited template)."""
    stamps = tuple(_listing(d) if d.is_dir() else () for d in template_dirs)
    return _catalogue(template_dirs, stamps)


@lru_cache(maxsize=64)
def _catalogue(template_dirs: tuple[Path, ...], stamps: tuple[Listing, ...]) -> Catalogue:
    return Catalogue(template_dirs)


class Catalogue:
    """The templates available to a command: shipped ones plus a folder's own."""

    def __init__(self, extra_dirs: Iterable[Path] = ()) -> None:
        # A shipped template is None here until it is asked for (then built once a process).
        templates: dict[Key, Template | None] = dict.fromkeys(_shipped())
        for folder in extra_dirs:
            for t in _folder_templates(str(folder.resolve())):
                templates[(t.id, t.version)] = t
        self._templates = templates

    def _built(self, key: Key) -> Template:
        found = self._templates[key]
        return found if found is not None else _shipped_template(key)

    def all(self) -> list[Template]:
        return [self._built(key) for key in sorted(self._templates)]

    def ids(self) -> list[str]:
        return sorted({i for i, _ in self._templates})

    def versions(self, template_id: str) -> list[str]:
        return sorted(v for (i, v) in self._templates if i == template_id)

    def get(self, template_id: str, version: str | None = None) -> Template | None:
        if version is not None:
            key = (template_id, version)
            return self._built(key) if key in self._templates else None
        versions = self.versions(template_id)
        return self._built((template_id, versions[-1])) if versions else None

    def require(self, template_id: str, version: str | None = None) -> Template:
        found = self.get(template_id, version)
        if found is None:
            if template_id not in self.ids():
                raise UsageError(
                    f"unknown template {readable(template_id)}; available: {', '.join(self.ids())}"
                )
            raise UsageError(
                f"template {readable(template_id)} has no version {readable(version)}; "
                f"available: {', '.join(self.versions(template_id))}"
            )
        return found
