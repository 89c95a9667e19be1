"""One mistake, one finding: related codes on the same words are notes of the reported one.

A synonym in Key Facts, named otherwise elsewhere in the chapter and in the book, used to
print T104, T105 and T110 on one span, and a directive naming T104 left the other two. Now the
most specific code is reported, the others are its notes, and suppressing the reported code
silences the words (docs/terminology.md, "One finding per mistake").
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.diagnostics import Severity, format_github, format_json, format_sarif, format_text
from tests.lint.trees import at, definitions, files, key_facts, lint_files, two_chapters

DEFINED = "\n# Terminology\n\n## Definitions\n\n- Blastic osseous metastases are dense\n"


def _synonym_in_key_facts(directive: str = "") -> dict[str, str | bytes | None]:
    """Alpha names the concept by a synonym in Key Facts; its Definitions and beta do not."""
    lines = f"{directive}\n" if directive else ""
    alpha = f"\n# Key Facts\n\n## Imaging\n\n{lines}- ‸Sclerotic metastases in the spine\n"
    return two_chapters(alpha + DEFINED, definitions("Blastic osseous metastases are dense"))


def test_a_synonym_in_key_facts_is_one_finding_with_its_related_codes_as_notes(
    tmp_path: Path,
) -> None:
    found, caret = lint_files(tmp_path, _synonym_in_key_facts())
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("T104", *caret[1:])]
    (finding,) = found
    assert [note.code for note in finding.notes] == ["T105", "T110"]
    assert "chapter 'beta' calls it 'blastic osseous metastases'" in finding.notes[1].message


def test_suppressing_the_reported_code_silences_the_words(tmp_path: Path) -> None:
    directive = "<!-- lint: disable-next-line T104 -- the referral's words -->"
    found, _ = lint_files(tmp_path, _synonym_in_key_facts(directive))
    assert found == []  # no T105, no T110 left over, and no L101: the directive was used


def test_suppressing_only_a_note_drops_that_note_and_keeps_the_finding(tmp_path: Path) -> None:
    directive = "<!-- lint: disable-next-line T110 -- this chapter predates the book's name -->"
    found, caret = lint_files(tmp_path, _synonym_in_key_facts(directive))
    assert [(d.code, d.span.line) for d in found] == [("T104", caret[1])]
    assert [note.code for note in found[0].notes] == ["T105"]


def test_an_error_is_never_a_note_of_a_warning(tmp_path: Path) -> None:
    # A rejected form (T101, error) that is also a possessive eponym (Y101, warning).
    found, caret = lint_files(tmp_path, files(definitions("‸Paget's disease thickens bone")))
    assert [(d.code, d.severity) for d in found] == [("T101", Severity.ERROR)]
    assert at(found, "Y101") == [caret]
    assert found[0].fix is not None and found[0].fix.replacement == "Paget disease"


def test_a_disguised_letter_inside_a_term_stays_a_finding_of_its_own(tmp_path: Path) -> None:
    # A Cyrillic "а" in a rejected form: the term's finding and the letter's are two mistakes.
    found, _ = lint_files(tmp_path, files(definitions("Pаget's disease thickens bone")))
    assert sorted(d.code for d in found) == ["T101", "Y107"]


def test_findings_on_different_words_of_a_line_are_not_merged(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(key_facts("Sclerotic metastases of 5mm in the spine")))
    assert sorted(d.code for d in found) == ["T104", "Y105"]
    assert all(d.notes == () for d in found)


def test_every_format_tells_the_notes(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, _synonym_in_key_facts())
    text = format_text(found, "src", {})
    assert "\n    note: also T105: 'Sclerotic metastases' names the same thing" in text
    assert "\n    note: also T110: 'Sclerotic metastases' here, but chapter 'beta'" in text
    (record,) = json.loads(format_json(found, "src", {}))
    assert [n["code"] for n in record["notes"]] == ["T105", "T110"]
    github = format_github(found, "src", {})
    assert github.startswith("::warning file=src/chapters/alpha.md,line=22,col=3,title=T104::")
    assert github.count("\n") == 0  # one annotation
    assert "%3B also T105" not in github and "; also T105: " in github
    (result,) = json.loads(format_sarif(found, "src", {}))["runs"][0]["results"]
    related = result["relatedLocations"]
    assert [r["message"]["text"].split(":")[0] for r in related] == ["T105", "T110"]
    assert related[0]["physicalLocation"] == result["locations"][0]["physicalLocation"]
