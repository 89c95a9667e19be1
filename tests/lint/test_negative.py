"""What the terminology rules must find through markup and line breaks, and must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.trees import at, definitions, files, key_facts, lint_files

SYNONYMS_LIST = (
    "\n# Terminology\n\n## Synonyms\n\n- Sclerotic metastases\n- Osteoblastic metastases\n"
    "- Osteosclerotic metastases\n\n## Definitions\n\n- Blastic osseous metastases\n"
)


def test_synonyms_inside_the_synonyms_list_are_not_flagged(tmp_path: Path) -> None:
    tree = files(SYNONYMS_LIST, concept="blastic-osseous-metastases")
    found, _ = lint_files(tmp_path / "source", tree)
    assert [d for d in found if d.code.startswith("T")] == []


def test_a_synonym_list_only_synonym_outside_the_list_is_flagged(tmp_path: Path) -> None:
    body = SYNONYMS_LIST.replace("- Blastic osseous", "- ‸Osteosclerotic")
    found, caret = lint_files(
        tmp_path / "source", files(body, concept="blastic-osseous-metastases")
    )
    assert caret in at(found, "T104")


@pytest.mark.parametrize(
    "bullet",
    [
        "*‸Paget's* disease of bone",
        "**‸Paget's disease** of bone",
        "Thick cortex in ‸Paget's\n  disease of bone",
    ],
    ids=["emphasis-splits", "strong-around", "line-break"],
)
@pytest.mark.parametrize("code", ["T101", "Y101"])
def test_a_term_split_by_markup_or_a_line_break_is_found(
    bullet: str, code: str, tmp_path: Path
) -> None:
    found, caret = lint_files(tmp_path / "source", files(key_facts(bullet)))
    assert caret in at(found, code)


@pytest.mark.parametrize(
    "bullet",
    ["Paget disease of bone", "Described by Paget", "Paget's original description", "Paget"],
)
def test_paget_alone_or_nonpossessive_is_not_flagged(bullet: str, tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path / "source", files(definitions(bullet)))
    assert [d for d in found if d.code in ("T101", "Y101")] == []


def test_a_term_in_backticks_is_not_read(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path / "source", files(definitions("Written `Paget's disease FDG`")))
    assert [d for d in found if d.code in ("T101", "Y101", "A101")] == []


@pytest.mark.parametrize(
    "bullet",
    [
        "Longitudinal relaxation time (T1) is short; T1 shortening in fat",  # one sense twice
        "A fracture at T1 and a lesion in the T1 vertebra",  # the other sense twice
    ],
    ids=["weighting-twice", "vertebra-twice"],
)
def test_one_abbreviation_in_one_sense_is_not_two_senses(tmp_path: Path, bullet: str) -> None:
    found, _ = lint_files(tmp_path / "source", files(definitions(bullet)))
    assert [d.code for d in found if d.code == "A105"] == []
