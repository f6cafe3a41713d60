"""Writing audits back: a hand-written file keeps every byte except the answered lines, a file
changed on disk is never overwritten, and a failed write leaves the old file and no temp file."""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from pathlib import Path

import pytest

from qaudit.audit.writer import AuditEditor, atomic_write
from qaudit.errors import ConflictError, FileAccessError

HAND_WRITTEN = '''\
#:schema ../schemas/core.schema.json
# Hand-written by a fictional auditor.    Odd spacing is deliberate.
[audit]
template="core"          # no spaces round =
  template_version  =  "1.1"
status = 'draft'
created = 2026-11-01

[case]   # case details, typed by hand
case_number = "FICT-9001"
child_name = 'Fictional Child'   # a literal string
audit_date = 2026-11-20
case_status = ""
colour = "blue"   # a key qaudit does not know


# answers written as dotted keys under one table
[answers]
q4.grade = ""      # to be graded
q4.evidence = ""
q5 = { grade = "", evidence = "" }     # an inline table

\t[answers.q6]    # an indented header
\tgrade = 2
\tevidence = """Seen on file,
\twith a tab-indented second line."""

[sections.assessment]
grade = ""
rationale = ''

[extra]
our_ref = "FICT-REF-1"   # a council's own key

[[events]]
date = 2026-06-01
kind = "visit"
seen_alone = true

[unknown_table]   # validate reports it; fill keeps it
numbers = [1, 2,
  3]
'''


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    removed = [d[2:] for d in diff if d.startswith("- ")]
    return removed, [d[2:] for d in diff if d.startswith("+ ")]


def test_fill_changes_only_the_answered_lines_of_a_hand_written_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    rationale = tmp_path / "rationale.txt"
    rationale.write_text("Line one of the rationale\nLine two\n", encoding="utf-8")
    result = cli("fill", path, "--set", "q4=3", "--set", "q4.evidence=Seen on file",
                 "--set", "q5=n/a", "--set", f"sections.assessment.rationale=@{rationale}",
                 "--set", "case.case_status=cp")
    assert result.exit_code == 0, result.output
    walked = cli("fill", path, "--section", "assessment",
                 input="Not relevant: no assessment in the window\n.\nq\n")  # "." ends text
    assert walked.exit_code == 0, walked.output

    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(HAND_WRITTEN, after)
    assert removed == [
        'case_status = ""',
        'q4.grade = ""      # to be graded',
        'q4.evidence = ""',
        'q5 = { grade = "", evidence = "" }     # an inline table',
        "rationale = ''",
    ]
    assert added == [
        'case_status = "CP"',
        "q4.grade = 3       # to be graded",
        'q4.evidence = "Seen on file"',
        'q5 = { grade = "N/A", evidence = "Not relevant: no assessment in the window" }'
        "     # an inline table",
        'rationale = """Line one of the rationale',
        'Line two"""',
    ]
    parsed = tomllib.loads(after)
    assert parsed["case"]["colour"] == "blue"
    assert parsed["unknown_table"]["numbers"] == [1, 2, 3]
    assert parsed["answers"]["q6"]["grade"] == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_trailing_comment_keeps_its_column(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[answers.q4]\ngrade = ""               # 1 Inadequate ... 4\n', "utf-8")
    editor = AuditEditor(path)
    editor.set("answers.q4.grade", "N/A")
    editor.save()
    line = path.read_text(encoding="utf-8").splitlines()[1]
    assert line == 'grade = "N/A"            # 1 Inadequate ... 4'


def test_save_refuses_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[case]\ncase_number = "FICT-1"\n', encoding="utf-8")
    editor = AuditEditor(path)
    editor.set("case.case_number", "FICT-2")
    path.write_text('[case]\ncase_number = "FICT-1"\n# someone else was here\n', "utf-8")
    assert editor.changed_on_disk
    with pytest.raises(ConflictError, match="changed on disk"):
        editor.save()
    assert path.read_text(encoding="utf-8").endswith("# someone else was here\n")


def test_successive_saves_by_one_editor_are_not_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[case]\ncase_number = ""\n', encoding="utf-8")
    editor = AuditEditor(path)
    for number in ("FICT-1", "FICT-2", "FICT-3"):
        editor.set("case.case_number", number)
        editor.save()
    assert tomllib.loads(path.read_text("utf-8"))["case"]["case_number"] == "FICT-3"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.toml"
    path.write_text("old = 1\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileAccessError, match="No space left"):
        atomic_write(path, "new = 2\n")
    assert path.read_text(encoding="utf-8") == "old = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_atomic_write_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("old = 1\n", encoding="utf-8")
    path.chmod(0o640)
    atomic_write(path, "new = 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8") == "new = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_fill_writes_through_a_symlink_and_keeps_the_link(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from builders import complete_audit

    real = complete_audit(tmp_path, name="real.toml", status="draft")
    link = tmp_path / "link.toml"
    link.symlink_to("real.toml")
    result = cli("fill", link, "--set", "case.team=Fictional Team")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.toml"
    assert tomllib.loads(real.read_text("utf-8"))["case"]["team"] == "Fictional Team"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.toml", "real.toml"]


def test_a_write_leaves_no_lock_or_temp_file_and_sweeps_dead_writers_leftovers(
        tmp_path: Path) -> None:
    from qaudit.audit import locking

    path = tmp_path / "a.toml"
    path.write_text("old = 1\n", encoding="utf-8")
    other = tmp_path / "b.toml"
    other.write_text("old = 1\n", encoding="utf-8")
    dead = 2**22 + 12345  # above the usual pid range: no such process
    host = locking._host_tag()
    stale = [tmp_path / f".a.toml.{host}-{dead}-aaaaaa.qaudit-tmp",  # this audit's
             tmp_path / f".b.toml.{host}-{dead}-bbbbbb.qaudit-tmp",  # another's, writer gone
             tmp_path / ".b.toml.qaudit-lock"]  # a lock file nobody holds
    live = tmp_path / f".b.toml.{host}-{os.getpid()}-cccccc.qaudit-tmp"  # a live writer's
    for leftover in (*stale, live):
        leftover.write_text("half", encoding="utf-8")
    atomic_write(path, "new = 2\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.toml", "b.toml", live.name])


def test_the_lock_is_exclusive_between_processes(tmp_path: Path) -> None:
    """While one process holds an audit's lock, another cannot take it (and gets a clear
    refusal once its wait runs out); once released, it can."""
    import subprocess
    import sys

    from qaudit.audit.locking import exclusive

    path = tmp_path / "a.toml"
    path.write_text("old = 1\n", encoding="utf-8")
    probe = ("import sys; from pathlib import Path; from qaudit.audit.locking import exclusive\n"
             "from qaudit.errors import ConflictError\n"
             "try:\n"
             "    with exclusive(Path(sys.argv[1]), wait=0.2): print('got it')\n"
             "except ConflictError as exc: print(exc)\n")
    with exclusive(path.resolve()):
        held = subprocess.run([sys.executable, "-c", probe, str(path.resolve())],
                              capture_output=True, text=True, timeout=60)
    assert "another qaudit is writing this audit" in held.stdout, held.stderr
    free = subprocess.run([sys.executable, "-c", probe, str(path.resolve())],
                          capture_output=True, text=True, timeout=60)
    assert free.stdout.strip() == "got it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]
