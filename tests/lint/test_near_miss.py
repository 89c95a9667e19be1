"""T112: a word one keystroke from a registered term, with a did-you-mean, and no more.

The registry is tests/lint/terminology.yaml. Each flagged case names the word meant; each
case left alone is a word that one edit also relates to a term but that is not a typo.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.trees import at, definitions, files, key_facts, lint_files

TDD = "Top Differential Diagnoses"

FLAGGED = [
    ("‸Osteosarkoma with a sunburst reaction", "Osteosarcoma"),  # a letter changed
    ("Blastic ‸oseous metastases in the spine", "osseous"),  # a letter dropped
    ("‸Osteopetrosus is rare", "Osteopetrosis"),  # the term as written, not its plural
    ("Rare ‸hemangoima of the body", "hemangioma"),  # two letters swapped
    ("An ‸osteosarcomma of the femur", "osteosarcoma"),  # a letter added
]


@pytest.mark.parametrize(("text", "meant"), FLAGGED, ids=[m for _, m in FLAGGED])
def test_a_near_miss_is_flagged_with_the_word_meant(text: str, meant: str, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions(text)))
    assert at(found, "T112") == [caret]
    (finding,) = [d for d in found if d.code == "T112"]
    assert finding.message.endswith(f"did you mean '{meant}'?")
    assert finding.fix is not None and finding.fix.replacement == meant
    assert finding.fix.safe is False  # a guess: shown, never applied by --fix


LEFT_ALONE = [
    "Osteosarcomas are malignant",  # a plural the matcher knows
    "An ivory vertebral body",  # a letter added at the end: another word
    "Plastic osseous metastases",  # the first letter differs
    "Blastic osseous lesions",  # "osseous" is right; "lesions" completes no term
    'The "osteosarkoma" of an old report',  # quoted: a mention
    "Sclerotic metastases are dense",  # a registered synonym
    "A metastasis to bone",  # a word of a term, alone: no term to complete
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_words_one_edit_from_a_term_that_are_not_typos_are_left_alone(
    text: str, tmp_path: Path
) -> None:
    found, _ = lint_files(tmp_path, files(definitions(text)))
    assert [d for d in found if "T112" in {d.code, *(n.code for n in d.notes)}] == []


def test_a_misspelled_differential_is_unknown_with_the_did_you_mean_as_its_note(
    tmp_path: Path,
) -> None:
    found, caret = lint_files(tmp_path, files(key_facts("‸Hemangoima", subsection=TDD)))
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("T107", *caret[1:])]
    assert [(n.code, n.message) for n in found[0].notes] == [
        ("T112", "'Hemangoima' is not a registered word; did you mean 'Hemangioma'?")
    ]
