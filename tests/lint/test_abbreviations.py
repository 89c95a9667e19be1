"""The abbreviation ledger: senses by context, expansions in text and glossary, reading order."""

from __future__ import annotations

from pathlib import Path

from tests.lint.trees import CH, at, files, key_facts, lint_files

LEDGER = ("A101", "A102", "A103", "A104")


def _line_of(root: Path, text: str) -> int:
    lines = (root / CH).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


BOTH_SENSES_OF_T1 = """
# Key Facts

## Imaging

- Compression fracture at T1; levels T1-T4 spared; a lesion in the T1 vertebra
- Fat shortens ‸T1 and looks bright on T1WI

# Terminology

## Definitions

- Longitudinal relaxation time (T1) sets contrast on T1-weighted images; T1 of fat is short
"""


def test_t1_the_vertebra_and_t1_the_weighting_in_one_chapter(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path / "source", files(BOTH_SENSES_OF_T1))
    ledger = [d for d in found if d.code in LEDGER]
    assert at(ledger, "A102") == [caret] and len(ledger) == 1, ledger
    expansion = _line_of(tmp_path / "source", "Longitudinal relaxation time (T1)")
    assert f"expanded only later, at line {expansion}" in ledger[0].message


def test_a_glossary_entry_expands_for_the_whole_chapter(tmp_path: Path) -> None:
    body = key_facts("Metastases from the GI tract") + (
        "\n# Terminology\n\n## Abbreviations\n\n- GI: gastrointestinal\n\n"
        "## Definitions\n\n- Tumor of the GI tract\n"
    )
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code in LEDGER] == []


def test_a_glossary_entry_in_the_parenthesised_form_counts(tmp_path: Path) -> None:
    body = key_facts("Metastases from the GI tract") + (
        "\n# Terminology\n\n## Abbreviations\n\n- Gastrointestinal (GI)\n\n"
        "## Definitions\n\n- A lesion\n"
    )
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code in LEDGER] == []


def test_an_expansion_in_text_after_the_glossary_is_a_second_one(tmp_path: Path) -> None:
    body = key_facts("‸Gastrointestinal (GI) tract and GI bleeding") + (
        "\n# Terminology\n\n## Abbreviations\n\n- GI: gastrointestinal\n\n"
        "## Definitions\n\n- A lesion\n"
    )
    found, caret = lint_files(tmp_path / "source", files(body))
    assert at(found, "A103") == [caret]
    glossary = _line_of(tmp_path / "source", "- GI: gastrointestinal")
    assert f"first at line {glossary}" in next(d.message for d in found if d.code == "A103")


def test_house_standard_abbreviations_need_no_expansion(tmp_path: Path) -> None:
    body = key_facts("Sclerosis on CT, low signal on MR, T1WI and T1WI C+; restricted on DWI")
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code in LEDGER] == []


def test_whole_tokens_with_spaces_and_symbols_are_matched_first(tmp_path: Path) -> None:
    body = key_facts("Enhancing on T1WI C+ and on ‸XYZ C+")
    found, caret = lint_files(tmp_path / "source", files(body))
    assert at(found, "A101") == [caret], found


def test_identifiers_and_roman_numerals_are_not_abbreviations(tmp_path: Path) -> None:
    body = key_facts("Type II lesion at L3 and T12, grade IV, L4-L5 disc; a 3D image")
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code == "A101"] == []


def test_plural_of_a_registered_abbreviation_is_that_abbreviation(tmp_path: Path) -> None:
    body = key_facts("Two CTs and three DWIs")
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code in LEDGER] == []


def test_a_parenthesised_abbreviation_after_unrelated_words_is_a_use(tmp_path: Path) -> None:
    body = key_facts("Also seen on ‸(GI) studies")
    found, caret = lint_files(tmp_path / "source", files(body.replace("‸(", "(‸")))
    assert at(found, "A102") == [caret]
    assert [d for d in found if d.code in ("A103", "A104")] == []


def test_the_unused_expansion_offers_an_unsafe_fix_removing_the_abbreviation(
    tmp_path: Path,
) -> None:
    found, _ = lint_files(tmp_path / "source", files(key_facts("Gastrointestinal (GI) tract")))
    fix = next(d.fix for d in found if d.code == "A104")
    assert fix is not None and not fix.safe
    assert (fix.original, fix.replacement) == (" (GI)", "")


def test_words_whose_initials_do_not_spell_it_do_not_expand_it(tmp_path: Path) -> None:
    body = key_facts("Gastrointestinal (GI) tract", "Calcification (GI) and GI bleeding")
    found, _ = lint_files(tmp_path / "source", files(body))
    assert [d for d in found if d.code in LEDGER] == []


def test_words_whose_initials_spell_it_are_an_inconsistent_expansion(tmp_path: Path) -> None:
    body = key_facts("Seen in the ‸gastro-intestinal (GI) tract and GI bleeding")
    found, caret = lint_files(tmp_path / "source", files(body))
    assert at(found, "A103") == [caret]
    assert "expanded as 'gastro-intestinal'" in next(d.message for d in found if d.code == "A103")
