"""`qaudit new` and `qaudit templates`: scaffolding an audit non-interactively."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from qaudit.templates.catalogue import Catalogue


def test_new_writes_a_predictable_file_and_prints_its_path(cli, tmp_path: Path) -> None:
    result = cli("new", "--template", "core", "--case-number", "FICT-42", "--dir", tmp_path,
                 "--audit-date", "2026-11-02", "--child-name", "Ada Example", "--case-status", "CP",
                 "--auditor", "Q. Auditor")
    assert result.exit_code == 0, result.output
    path = tmp_path / "2026-11-02_FICT-42_core.toml"
    assert result.output.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "#:schema schemas/core-1.1.schema.json"
    assert (tmp_path / "schemas" / "core-1.1.schema.json").is_file()
    data = tomllib.loads(text)
    assert data["audit"] == {"template": "core", "template_version": "1.1", "status": "draft",
                             "created": __import__("datetime").date(2026, 11, 23)}
    assert data["case"]["case_number"] == "FICT-42"
    assert data["case"]["child_name"] == "Ada Example"
    assert data["case"]["case_status"] == "CP"
    assert str(data["case"]["audit_date"]) == "2026-11-02"


@pytest.mark.parametrize("template_id", ["core", "team-manager"])
def test_every_question_is_in_the_file_with_its_text_and_guidance(cli, tmp_path: Path,
                                                                 template_id: str) -> None:
    cli("new", "-t", template_id, "-c", "FICT-1", "--dir", tmp_path, "--audit-date", "2026-11-02")
    (path,) = tmp_path.glob("*.toml")
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    template = Catalogue().require(template_id)
    flat = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
    for _, question in template.questions():
        assert question.id in data["answers"], question.id
        assert question.value_key in data["answers"][question.id]
        words = " ".join(question.text.split())[:60]
        assert words in flat, question.id
        if question.guidance:
            first_words = " ".join(question.guidance.split()[:6])
            assert first_words in flat, question.id
    assert cli("validate", path).exit_code == 0


@pytest.mark.parametrize("unsafe", ["../etc", "a/b", "..", "", "x y", "case*1", "ünï", "a" * 65])
def test_unsafe_case_numbers_are_refused(cli, tmp_path: Path, unsafe: str) -> None:
    result = cli("new", "-t", "core", "-c", unsafe, "--dir", tmp_path)
    assert result.exit_code == 2
    assert "not allowed in a file name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_existing_file_is_never_overwritten_without_force(cli, tmp_path: Path) -> None:
    args = ("new", "-t", "core", "-c", "FICT-9", "--dir", tmp_path, "--audit-date", "2026-11-02")
    assert cli(*args).exit_code == 0
    (path,) = tmp_path.glob("*.toml")
    path.write_text(path.read_text(encoding="utf-8") + "# my notes\n", encoding="utf-8")
    again = cli(*args)
    assert again.exit_code == 2 and "already exists" in again.output
    assert path.read_text(encoding="utf-8").endswith("# my notes\n")
    assert cli(*args, "--force").exit_code == 0
    assert not path.read_text(encoding="utf-8").endswith("# my notes\n")


def test_unknown_template_lists_the_available_ones(cli, tmp_path: Path) -> None:
    result = cli("new", "-t", "corr", "-c", "1", "--dir", tmp_path)
    assert result.exit_code == 2
    assert "unknown template “corr”; available: core, team-manager" in result.output


def test_bad_case_status_is_refused_with_the_allowed_values(cli, tmp_path: Path) -> None:
    result = cli("new", "-t", "core", "-c", "1", "--dir", tmp_path, "--case-status", "XX")
    assert result.exit_code == 2 and "CIN / CP / CIC / LAC / EH" in result.output


def test_schema_found_above_the_folder_is_referenced_not_copied(cli, tmp_path: Path) -> None:
    cli("schema", "--write", tmp_path / "schemas")
    folder = tmp_path / "2026" / "november"
    folder.parent.mkdir()  # new creates one folder level, never a whole new tree
    cli("new", "-t", "team-manager", "-c", "7", "--dir", folder, "--audit-date", "2026-11-02")
    (path,) = folder.glob("*.toml")
    assert path.read_text(encoding="utf-8").startswith(
        "#:schema ../../schemas/team-manager-1.0.schema.json\n")
    assert not (folder / "schemas").exists()


def test_templates_lists_ids_and_versions(cli) -> None:
    result = cli("templates", "--format", "json")
    assert result.exit_code == 0
    listed = {(t["id"], t["version"]) for t in json.loads(result.output)}
    assert listed == {("core", "1.1"), ("team-manager", "1.0")}
    text = cli("templates")
    assert "Core Audit Template V1.1" in text.output


def test_a_council_adds_a_template_by_adding_a_data_file(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n', "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "mini.toml").write_text('''
[template]
id = "mini"
version = "0.1"
title = "Mini audit"

[kinds.grade]
base = "grade"
values = [1, 2, 3, 4]
names = { "1" = "Inadequate", "2" = "Requires Improvement", "3" = "Good", "4" = "Outstanding" }

[kinds.text]
base = "text"

[kinds.date]
base = "date"

[[sections]]
id = "case"
title = "Case"
table = "case"
fields = [
  { id = "case_number", kind = "text", role = "case_number", required = true },
  { id = "audit_date", kind = "date", role = "audit_date", required = true },
]

[[sections]]
id = "visits"
title = "Visits"
questions = [
  { id = "v1", number = "1", text = "Are visits timely?", kind = "grade", evidence = "Evidence" },
]
''', encoding="utf-8")
    listed = cli("templates", "--dir", tmp_path, "--format", "json")
    assert ("mini", "0.1") in {(t["id"], t["version"]) for t in json.loads(listed.output)}
    made = cli("new", "-t", "mini", "-c", "M1", "--dir", tmp_path, "--audit-date", "2026-11-02")
    assert made.exit_code == 0, made.output
    path = Path(made.output.strip())
    text = path.read_text(encoding="utf-8").replace('grade = ""', "grade = 5")
    path.write_text(text.replace('status = "draft"', 'status = "complete"'), encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "grade-value" in result.output
    assert "evidence" not in result.output.split("grade-value")[0]


def test_broken_council_template_is_a_clear_error(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["t"]\n', "utf-8")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "bad.toml").write_text(
        '[template]\nid = "b"\nversion = "1"\n[[sections]]\nid = "s"\ntitle = "S"\n'
        'questions = [{ id = "q", kind = "nosuch" }]\n', encoding="utf-8")
    result = cli("templates", "--dir", tmp_path)
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "“nosuch”" in result.output


def test_new_files_get_the_usual_permissions_not_private_temp_ones(cli, tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        cli("new", "-t", "core", "-c", "P1", "--dir", tmp_path, "--audit-date", "2026-11-02")
    finally:
        os.umask(old)
    (path,) = tmp_path.glob("*.toml")
    assert path.stat().st_mode & 0o777 == 0o644


def test_new_reads_options_with_the_fields_parsers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "-t", "core", "-c", "FICT-1", "-d", tmp_path, "--case-status", "cp",
                 "--audit-date", "18/11/2026")
    assert result.exit_code == 0, result.output
    data = tomllib.loads(Path(result.output.splitlines()[0]).read_text(encoding="utf-8"))
    assert data["case"]["case_status"] == "CP"
    assert str(data["case"]["audit_date"]) == "2026-11-18"
    bad = cli("new", "-t", "core", "-c", "FICT-2", "-d", tmp_path, "--case-status", "XYZ")
    assert bad.exit_code == 2 and "--case-status" in bad.output and "CIN / CP" in bad.output
    assert not list(tmp_path.glob("*FICT-2*"))
    impossible = cli("new", "-t", "core", "-c", "FICT-3", "-d", tmp_path,
                     "--audit-date", "31/02/2026")
    assert impossible.exit_code == 2 and "not a real date" in impossible.output


def test_dir_whose_parent_does_not_exist_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "nonexist" / "dir"
    result = cli("new", "-t", "core", "-c", "FICT-100231", "-d", target)
    assert result.exit_code == 2
    assert "does not exist either" in result.output and "create the folder first" in result.output
    assert not (tmp_path / "nonexist").exists()


def test_dir_inside_an_existing_folder_is_created_and_said(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "audits-2026-11"
    result = cli("new", "-t", "core", "-c", "FICT-100231", "-d", target)
    assert result.exit_code == 0, result.output
    assert f"created folder {target}" in result.output
    assert len(list(target.glob("*.toml"))) == 1


def test_dir_that_is_a_file_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "file").write_text("x", "utf-8")
    result = cli("new", "-t", "core", "-c", "FICT-100231", "-d", tmp_path / "file")
    assert result.exit_code == 2 and "is not a folder" in result.output
