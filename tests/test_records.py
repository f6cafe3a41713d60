"""The records one-file validate builds are msgspec Structs (created in C: see the README's
start-up section); they keep what the dataclasses they replaced promised: findings equal,
hash and sort by their place only; frozen records refuse a change; a template is its own
identity (a cache key) while a cycle is a value; results cross a worker's pipe by pickle."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import msgspec
import pytest

from conftest import SAMPLES
from qaudit.audit.reader import read_audit
from qaudit.config import FolderConfig
from qaudit.findings import Finding, Level
from qaudit.templates.catalogue import Catalogue, Item, Kind
from qaudit.templates.cycle import Cycle, CycleQuestion, apply_cycle
from qaudit.validate import FileResult, findings_of


def test_findings_compare_hash_and_sort_by_their_place_only() -> None:
    first = Finding("a.toml", 4, 12, Level.WARNING, "evidence-missing", "no evidence")
    second = Finding("a.toml", 4, 12, Level.ERROR, "grade-value", "2.5 is not a grade", "k")
    later = Finding("a.toml", 10, 1, Level.ERROR, "required", "missing")
    other_file = Finding("B.toml", 1, 1, Level.ERROR, "required", "missing")
    assert first == second and hash(first) == hash(second) and first != later
    assert len({first, second, later}) == 2
    # sorted by path, line, column; a stable sort keeps the rules' order at one place
    assert sorted([later, second, other_file, first]) == [other_file, second, first, later]
    assert [f.rule for f in sorted([later, second, first])] == [
        "grade-value", "evidence-missing", "required"]
    assert first < later <= later and later > first >= second
    assert first != ("a.toml", 4, 12)
    with pytest.raises(TypeError):
        _ = first < ("a.toml", 4, 12)  # type: ignore[operator]


def test_frozen_records_refuse_a_change() -> None:
    kind = Kind(name="text", base="text")
    item = Item(id="q1", kind=kind, text="Question")
    with pytest.raises(AttributeError):
        item.id = "q2"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Finding("a", 1, 1, Level.ERROR, "r", "m").line = 2  # type: ignore[misc]
    assert msgspec.structs.replace(item, id="q2").id == "q2" and item.id == "q1"


def test_a_template_is_its_own_identity_and_a_cycle_a_value() -> None:
    template = Catalogue().require("core")
    again = Catalogue().require("core")
    assert template is again  # built once a process
    copy = msgspec.structs.replace(template)
    assert copy != template and hash(copy) != hash(template)  # identity, not fields
    config = FolderConfig()
    assert config != FolderConfig() and {config: 1}[config] == 1
    question = CycleQuestion("cycle_bespoke_1", "Was the plan shared?", "text")
    one, two = Cycle("Autumn", (question,)), Cycle("Autumn", (question,))
    assert one == two and hash(one) == hash(two)
    # apply_cycle is cached on (template, cycle): audits of one cycle share one template
    assert apply_cycle(template, one) is apply_cycle(template, two)
    assert apply_cycle(template, one).question("cycle_bespoke_1") is not None


def test_results_cross_a_pipe_by_pickle(tmp_path: Path) -> None:
    sample = next(SAMPLES.glob("*_core.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text(sample.read_text("utf-8").replace("grade = 3", "grade = 2.5", 1), "utf-8")
    result = findings_of(bad, dt.date(2026, 11, 23))
    assert isinstance(result, FileResult) and "grade-value" in {f.rule for f in result.findings}
    back = pickle.loads(pickle.dumps(result))
    assert back == result and [f.as_line() for f in back.findings] == [
        f.as_line() for f in result.findings]
    assert back.findings[0].level is result.findings[0].level


def test_a_document_builds_its_key_index_on_the_first_position_asked() -> None:
    sample = next(SAMPLES.glob("*_core.toml"))
    doc = read_audit(sample, str(sample))
    assert not isinstance(doc, Finding)
    assert doc._index is None
    line, column = doc.position("audit.template")
    assert doc.text.splitlines()[line - 1][column - 1:].startswith('"core"')
    assert doc._index is not None
