"""One core behind every front-end: the core imports no front-end (neither ``qaudit.cli`` nor
``qaudit.form``) and no terminal library, and one front-end never imports the other.

Read from the source's import statements (top level and inside functions), so a lazy
import counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "qaudit"
TERMINAL = ("typer", "rich", "prompt_toolkit", "textual")
FRONT_ENDS = ("cli", "form")


def imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def package_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else ""


def modules(where: str | None = None) -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py")
                  if (where is None and package_of(p) not in FRONT_ENDS)
                  or (where is not None and package_of(p) == where))


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_imports_no_front_end_and_no_terminal_library(path: Path) -> None:
    names = imported(path)
    wrong = sorted(n for n in names if top(n) in TERMINAL
                   or any(n == f"qaudit.{f}" or n.startswith(f"qaudit.{f}.") for f in FRONT_ENDS))
    assert path.name == "__main__.py" or not wrong, wrong


def test_the_form_does_not_import_the_command_line() -> None:
    paths = modules("form")
    assert paths, "the form package was not found"
    wrong = {str(p.relative_to(SRC)): sorted(n for n in imported(p) if n.startswith("qaudit.cli"))
             for p in paths}
    assert not any(wrong.values()), wrong


def test_the_draft_store_is_core_and_shared_by_both_front_ends() -> None:
    from qaudit.fill import drafts

    assert not (SRC / "cli" / "drafts.py").exists()
    users = [p for f in FRONT_ENDS for p in modules(f) if "qaudit.fill.drafts" in imported(p)]
    assert {package_of(p) for p in users} == set(FRONT_ENDS), users
    assert not {top(n) for n in imported(Path(drafts.__file__))} & set(TERMINAL)


@pytest.mark.parametrize("name", ["session", "outline", "finishing"])
def test_the_forms_model_imports_no_terminal_library(name: str) -> None:
    """What the form checks and saves is plain Python over the core; only its screens draw."""
    names = imported(SRC / "form" / f"{name}.py")
    assert not {top(n) for n in names} & set(TERMINAL), names
    if name != "outline":  # where things are shown: no core call
        assert any(n.startswith("qaudit.edit") for n in names), names
