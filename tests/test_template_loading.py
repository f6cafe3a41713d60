"""A council's template with a mistake stops the command with the file named and the place
in words (section, field or question, quoted ids), as ``qaudit.templates.loading`` builds
it; shipped templates are found by the id and version their ``[template]`` table declares,
and only the one an audit names is parsed in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from qaudit.templates import catalogue

GOOD = '''[template]
id = "mine"
version = "1"
[kinds]
yes_no = { base = "choice", values = ["Yes", "No"] }
[[sections]]
id = "intro"
title = "Intro"
[[sections.fields]]
id = "team"
kind = "yes_no"
[[sections.questions]]
id = "q1"
kind = "yes_no"
text = "Was the plan shared?"
[sections.group]
table = "parents"
[[sections.group.fields]]
id = "name"
kind = "yes_no"
'''


@pytest.mark.parametrize(("old", "new", "message"), [
    ('id = "team"\n', "", "section “intro” field has no “id”"),
    ('id = "q1"\nkind = "yes_no"\n', 'id = "q1"\n', "section “intro” question “q1” has no “kind”"),
    ('id = "q1"\nkind = "yes_no"\n', 'id = "q1"\nkind = "nope"\n',
     "section “intro” question “q1” names kind “nope”, which [kinds] does not define; "
     "defined: yes_no"),
    ('id = "q1"\n', 'id = "Q 1"\n', "section “intro” question: id “Q 1” must match [a-z0-9_]+"),
    ('table = "parents"\n', 'label = "Parents"\n', "section “intro” group has no “table”"),
    ('[[sections.group.fields]]\nid = "name"\n', '[[sections.group.fields]]\n',
     "section “intro” group field has no “id”"),
    ('title = "Intro"\n', "", "section “intro” has no “title”"),
])
def test_a_broken_council_template_is_named_with_the_place(
        cli, tmp_path: Path, old: str, new: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "templates").mkdir()
    assert old in GOOD
    broken = tmp_path / "templates" / "mine.toml"
    broken.write_text(GOOD.replace(old, new, 1), "utf-8")
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n', "utf-8")
    audit = tmp_path / "a.toml"
    audit.write_text(next(SAMPLES.glob("*_core.toml")).read_text("utf-8"), "utf-8")
    done = cli("validate", audit)
    assert done.exit_code == 2
    assert f"qaudit: error: {broken}: {message}" in " ".join(done.output.split())


def test_the_good_council_template_is_built(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "mine.toml").write_text(GOOD, "utf-8")
    mine = catalogue.Catalogue([tmp_path / "templates"]).require("mine", "1")
    section = mine.sections[0]
    assert [f.id for f in section.fields] == ["team"] and section.group is not None
    assert mine.question("q1") is not None and section.group.table == "parents"


def test_shipped_templates_are_keyed_by_their_head_and_parsed_when_built() -> None:
    found = catalogue._shipped()
    assert set(found) == {("core", "1.1"), ("team-manager", "1.0")}
    for key, (source, text, _data) in found.items():
        built = catalogue._shipped_template(key)
        assert (built.id, built.version) == key and built.source == source
        assert source.endswith(".toml") and "[template]" in text


@pytest.mark.parametrize(("text", "parsed_whole"), [
    ('[template]\nid = "a"\nversion = "2"\n[kinds]\nx = { base = "text" }\n', False),
    # a line starting with "[" inside a multi-line string: the head alone is not TOML
    ('[template]\nid = "a"\ndescription = """\n[not a table]\n"""\nversion = "2"\n'
     '[kinds]\n', True),
    ('[kinds]\nx = { base = "text" }\n[template]\nid = "a"\nversion = "2"\n', True),
    ('[template]\nid = "a"\n[template.cycle]\n[kinds]\n', None),  # no version: refused
])
def test_the_head_alone_or_else_the_whole_file(text: str, parsed_whole: bool | None) -> None:
    from qaudit.errors import TemplateError

    if parsed_whole is None:
        with pytest.raises(TemplateError, match="has no “version”"):
            catalogue._declared(text, "x.toml")
        return
    key, data = catalogue._declared(text, "x.toml")
    assert key == ("a", "2") and (data is not None) is parsed_whole
