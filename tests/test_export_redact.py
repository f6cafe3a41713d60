"""--redact: every name the audit records for the family, however it is typed, and the case
number, gone from every part of the workbook (the XML of the zip is searched word by word)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from builders import complete_audit
from qaudit.audit.writer import AuditEditor
from qaudit.export import layout as L
from qaudit.export.redact import (
    FAMILY_MEMBER,
    NameScrubber,
    case_pseudonym,
    fold,
    matches_redacted,
    name_parts,
    pseudonym,
)
from qaudit.templates.catalogue import Catalogue
from test_export_xlsx import audits_in, calamine_rows, copy_samples, role

ZOE_DECOMPOSED = "Zoe\u0308"  # Zoë typed as e + combining diaeresis


def scrubber() -> NameScrubber:
    s = NameScrubber()
    s.add("Zoë Strauß", "FICT-1")
    s.add("İbrahim O'Neill", "FICT-2")
    s.add("Kerry Smith-Jones", "FICT-1", FAMILY_MEMBER)
    s.add_case("FICT-1")
    return s


def test_unicode_forms_of_a_name_are_one_name() -> None:
    s, zoe, ibrahim = scrubber(), pseudonym("FICT-1"), pseudonym("FICT-2")
    assert unicodedata.normalize("NFC", ZOE_DECOMPOSED) == "Zoë"
    assert s(f"{ZOE_DECOMPOSED} was seen") == f"{zoe} was seen"
    assert s("ZOË, zoe and Zoe") == f"{zoe}, {zoe} and {zoe}"
    assert s("Mr STRAUSS; Mrs Strauss; Strauß") == f"Mr {zoe}; Mrs {zoe}; {zoe}"
    assert s("Ibrahim, IBRAHIM, ibrahim, İBRAHİM") == ", ".join([ibrahim] * 4)
    assert s("O’Neill, O'Neill, O‘Neill, ONeill and Neill") == ", ".join([ibrahim] * 4) + \
        f" and {ibrahim}"
    assert fold("O’Neill") == fold("O'Neill") == "o'neill"


def test_plurals_possessives_and_hyphen_variants() -> None:
    s, zoe = scrubber(), pseudonym("FICT-1")
    assert s("Zoë's room; Zoe’s room") == f"{zoe}'s room; {zoe}’s room"
    assert s("the Strausses' house") == f"the {zoe}' house"
    assert s("the Smiths came; Smith‐Jones; Smith–Jones; Jones's car") == (
        f"the {FAMILY_MEMBER} came; {FAMILY_MEMBER}; {FAMILY_MEMBER}; {FAMILY_MEMBER}'s car")
    # Whole words only, and initials left alone.
    assert s("Zoetrope, Strausberg, Kerrying") == "Zoetrope, Strausberg, Kerrying"
    assert name_parts("J Smith") == ["smith"]


def test_names_in_file_names_and_case_numbers() -> None:
    s, zoe = scrubber(), pseudonym("FICT-1")
    assert s("2026-05-20_zoe_strauss.toml") == f"2026-05-20_{zoe}.toml"
    assert s("notes.Zoë-Strauß.v2.txt") == f"notes.{zoe}.v2.txt"
    assert s("case FICT-1, fict-1 and FICT-1_core.toml; FICT-12 is another") == (
        "case Case f18159, Case f18159 and Case f18159_core.toml; FICT-12 is another")
    assert case_pseudonym("FICT-1") == "Case " + hashlib.sha256(b"FICT-1").hexdigest()[:6]
    assert s.names_in("2026_zoe.toml") and not s.names_in("2026-05-20_FICT-1_core.toml")
    assert s.hide_names("2026-05-20_FICT-1_zoe.toml") == f"2026-05-20_FICT-1_{zoe}.toml"


def test_family_names_come_from_every_field_the_audit_records(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    editor = AuditEditor(path)
    editor.set("case.child_name", "Zoë Strauß")
    editor.set("case.case_number", "FICT-777")
    editor.doc["parents"][0]["name"] = "Marguerite O’Neill"
    editor.append_record("parents", {"name": "İbrahim Kaya", "relationship": "father"})
    editor.save()
    loaded = AuditEditor(path)
    template = Catalogue().require("core")
    s = NameScrubber()
    s.add_family(loaded.get, template)
    text = "Zoe said Marguerite and Mr Kaya (Ibrahim) came about FICT-777."
    assert s(text) == (f"{pseudonym('FICT-777')} said {FAMILY_MEMBER} and Mr {FAMILY_MEMBER} "
                       f"({FAMILY_MEMBER}) came about {case_pseudonym('FICT-777')}.")


def test_matches_redacted_takes_back_what_the_export_showed() -> None:
    s = scrubber()
    original = "Zoë's mother Kerry agreed."
    assert matches_redacted(s(original), original)
    assert not matches_redacted(s(original) + " More.", original)
    assert matches_redacted("no names here", "no names here")


def words_of(text: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text)}


def test_redacted_workbook_holds_no_family_name_or_case_number(tmp_path: Path,
                                                               cli: Any) -> None:
    folder = copy_samples(tmp_path)
    # A parent with a name typed in other Unicode forms in the evidence, and a child named in
    # a file name.
    extra = complete_audit(folder, "core", "2026-10-02_zoe_strauss.toml")
    editor = AuditEditor(extra)
    editor.set("case.child_name", f"{ZOE_DECOMPOSED} Strauß")
    editor.set("case.case_number", "FICT-900001")
    editor.doc["parents"][0]["name"] = "Siobhán O’Neill"
    editor.set("answers.q4.evidence", "Siobhan O'Neill's view: ZOE STRAUSS and the "
               "O’Neills; see FICT-900001.")
    editor.save()
    audits = audits_in(folder)
    secret_words: set[str] = set()
    cases = []
    template = Catalogue().require("core")
    for _, doc, tmpl in audits:
        s = NameScrubber()
        s.add_family(doc.get, tmpl if tmpl.id != "core" else template)
        secret_words |= set(s.names)
        cases.append(role(doc, tmpl, "case_number"))
    assert {"kerry", "brambleworth", "zoe", "strauss", "siobhan", "o'neill"} <= secret_words
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", folder, "-o", out, "--redact")
    assert result.exit_code == 0, result.output
    assert "export-redacted-path" in result.output  # zoe_strauss.toml cannot be imported
    wb = load_workbook(out)
    with zipfile.ZipFile(out) as zf:
        for member in zf.namelist():
            text = zf.read(member).decode("utf-8", "replace")
            text = unicodedata.normalize("NFC", text)
            leaked = words_of(text) & secret_words
            # Plurals and possessives fold to a name too.
            leaked |= {w for w in words_of(text) if w.rstrip("s") in secret_words
                       or w.removesuffix("'s") in secret_words}
            assert not leaked, (member, leaked)
            if member.startswith("xl/worksheets/"):
                text = re.sub(r"<c r=\"[A-Z]+\d+\"[^>]*><is><t>[^<]*\.toml</t></is></c>", "",
                              text)  # the hidden path column: how import finds the file
            for case in cases:
                assert case not in text, (member, case)
    rows = {r[L.H_CHILD_REDACTED]: r for r in calamine_rows(out, L.AUDITS)}
    for case in cases:
        assert rows[pseudonym(case)][L.H_CASE] == case_pseudonym(case)
    assert any(L.H_CHILD_REDACTED in [c.value for c in wb[n][1]] for n in wb.sheetnames
               if L.is_audit_sheet(n))
    answers = " ".join(str(v) for r in calamine_rows(out, L.ANSWERS) for v in r.values())
    assert f"{FAMILY_MEMBER}'s view: {pseudonym('FICT-900001')}" in answers
    assert case_pseudonym("FICT-900001") in answers
