"""Values on a user's screen are shown as a person reads them, never as Python reprs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from qaudit.export import layout as L
from qaudit.readable import readable
from test_import_xlsx import edit_panel, export, pick


def test_readable_quotes_text_and_shows_line_breaks() -> None:
    assert readable("Panel: RI.\n\nSecond “quotes”.") == "“Panel: RI. ⏎  ⏎ Second “quotes”.”"
    assert readable("x" * 100, 20) == "“" + "x" * 19 + "…”"
    assert readable(dt.date(2026, 12, 1)) == "2026-12-01"
    assert readable(True) == "yes" and readable({"k": 1}) == "a table"
    assert readable(["a", 3]) == "“a”, 3" and readable("tab\there") == "“tab here”"


def test_import_dry_run_lists_changes_without_reprs(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, _, _, _ = pick(folder, "core", "complete")
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3,
                            L.H_COMMENT: "Panel: RI.\n\nSecond paragraph “quotes”."}})
    result = cli("import-xlsx", out, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "(blank) -> “Panel: RI. ⏎  ⏎ Second paragraph “quotes”.”" in result.output
    assert "audit.status: “complete” -> “moderated”" in result.output
    assert "\\n" not in result.output and "'" not in result.output


def test_a_typed_value_off_the_drop_down_is_quoted_not_a_repr(tmp_path: Path,
                                                               cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, _, _, _ = pick(folder, "core", "complete")
    edit_panel(out, {case: {L.H_AGREE: "Maybe\nlater"}})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1
    assert "Agree? “Maybe ⏎ later” is not on the drop-down" in result.output
    assert "\\n" not in result.output


def test_chronology_messages_quote_values_as_every_other_message_does() -> None:
    """One quoting style: the chronology's findings quote a value with ``readable``, the
    helper every other message uses (curly quotes, line breaks shown, never a repr)."""
    from qaudit.chronology.events import read_events

    _, problems = read_events([
        {"date": dt.date(2026, 6, 1), "kind": "vist"},
        {"date": "2026-06-02", "kind": "visit"},
        {"date": dt.date(2026, 6, 3), "kind": "visit", "seen_alone": "yes\nno"},
        {"date": dt.date(2026, 6, 3), "kind": "visit", "seen_alnoe": True},
        {"date": dt.date(2026, 6, 4), "kind": "status", "status": "CPP"},
    ])
    messages = [p.message for p in problems]
    for value in ("“vist”", "“2026-06-02”", "“seen_alnoe”", "“yes ⏎ no”", "“CPP”"):
        assert any(value in m for m in messages), (value, messages)
    assert not any('"' in m or "'" in m or "\n" in m for m in messages), messages


def test_value_messages_quote_values_in_the_same_style() -> None:
    """The kind checks ``validate`` runs and the parsers people's typing goes through quote
    a value as the chronology does (``readable``): the same text reads the same everywhere."""
    from qaudit.audit.kinds import problem
    from qaudit.audit.values import Mode, parse_value
    from qaudit.templates.catalogue import Catalogue

    kinds = Catalogue().require("core").kinds
    said = [problem(kinds["grade"], "3"), problem(kinds["grade"], "good-ish"),
            problem(kinds["date"], "2026-04-02"), problem(kinds["date"], "soon"),
            parse_value(kinds["date"], "31/02/2026", Mode.STRICT).error,
            parse_value(kinds["grade"], "splendid", Mode.STRICT).error]
    assert all(said), said
    for message, value in zip(said, ("“3”", "“good-ish”", "“2026-04-02”", "“soon”",
                                     "“31/02/2026”", "“splendid”"), strict=True):
        assert value in str(message), (value, message)
        raw = value.strip("“”")
        assert f'"{raw}"' not in str(message) and f"'{raw}'" not in str(message), message
