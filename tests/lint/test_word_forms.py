"""Words known by their form, not by a list.

Y102 reads British spelling by word form as well as by the registry's ``spellings``; the
matcher finds a registered term however it is written: in British spelling, with or without
its diacritics or apostrophe, as a possessive, in a Latin or Greek plural. Each case marks
with the caret (‸) where its finding must point; the cases that must be left alone assert
that the code is nowhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.diagnostics import Diagnostic
from tests.lint.trees import CH, REGISTRY, at, definitions, files, key_facts, lint_files

TDD = "Top Differential Diagnoses"
FIRST_BULLET = 22
"""The line of the first bullet of ``definitions`` and ``key_facts``."""


def _registry(old: str, new: str) -> str:
    """The test registry with ``old`` replaced by ``new`` (which must be there)."""
    assert old in REGISTRY
    return REGISTRY.replace(old, new, 1)


def _reported(found: list[Diagnostic]) -> list[tuple[str, int, int, list[str]]]:
    """Each finding's code, line, column and the codes of its notes."""
    return [(d.code, d.span.line, d.span.column, [n.code for n in d.notes]) for d in found]


# -- 1. dialect spelling by word form -------------------------------------------------------

FLAGGED = [
    ("‸Mineralised osteoid", "Mineralized"),
    ("Marrow is ‸oedematous", "edematous"),
    ("A ‸haemorrhagic focus", "hemorrhagic"),
    ("‸HAEMORRHAGIC", "HEMORRHAGIC"),
    ("A ‸lipohaemarthrosis", "lipohemarthrosis"),
    ("‸Peritumoural fat", "Peritumoral"),
    ("The ‸tumoural margin", "tumoral"),
    ("‸Favourable outcome", "Favorable"),
    ("At the ‸centre of the lesion", "center"),
    ("‸Centred on the physis", "Centered"),
    ("Two ‸litres of fluid", "liters"),
    ("Collagen ‸fibres", "fibers"),
    ("‸Fibreoptic bronchoscopy", "Fiberoptic"),
    ("‸Dyspnoea at rest", "Dyspnea"),
    ("‸Paediatric patients", "Pediatric"),
    ("Under general ‸anaesthesia", "anesthesia"),
    ("‸Coeliac disease", "Celiac"),
    ("Chronic ‸ischaemia", "ischemia"),
    ("‸Oesophageal varices", "Esophageal"),
    ("‸Analysed on CT", "Analyzed"),
    ("‸Œdema of the marrow", "Edema"),
]


@pytest.mark.parametrize(("text", "house"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_a_british_word_is_flagged_by_its_form(text: str, house: str, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions(text)))
    assert at(found, "Y102") == [caret]
    (finding,) = [d for d in found if d.code == "Y102"]
    assert finding.message.endswith(f"write '{house}'")
    assert finding.fix is not None and finding.fix.replacement == house


LEFT_ALONE = {
    "-ise": "Exercise, otherwise, advertised, supervised, excised, precise, noise, raised, "
    "arising, rise, clockwise, premises, promising, comprising, surprising, devised, "
    "immunocompromised, unexercised, crises, pelvises, disease, diseased",
    "ae and oe": "Aerial, aerobic, aesthetic, algae, vertebrae, trabeculae, sequelae, "
    "Haemophilus influenzae, does, shoestring, coelom",
    "-our": "Contour, contoured, hours, four, your, course, source, journal, detour, "
    "devour, flourishing, encourage, glamour, bistoury",
    "-tre and -bre": "Theatre, hatred, macabre, timbre, acre, mediocre, genre, ogre, "
    "chancre, contre-coup",
    "-yse": "Analyses, diagnoses, metastases, lyse, lysed",
    "the registry's exceptions": "Colour Doppler; colourless fluid",
}


@pytest.mark.parametrize("words", LEFT_ALONE.values(), ids=list(LEFT_ALONE))
def test_words_that_only_look_british_are_left_alone(words: str, tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(definitions(words)))
    assert at(found, "Y102") == [], [d.message for d in found if d.code == "Y102"]


def test_without_the_registry_exception_the_word_is_flagged(tmp_path: Path) -> None:
    text = "Colour Doppler; colourless fluid"
    registry = _registry("dialect:\n  exceptions: [colour]\n", "")
    found, _ = lint_files(tmp_path, files(definitions(text), registry=registry))
    columns = [3 + text.index(word) for word in ("Colour", "colourless")]
    assert at(found, "Y102") == [(CH, FIRST_BULLET, column) for column in columns]


def test_the_registry_list_wins_over_the_rules(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions("An ‸anaesthetist was present")))
    assert at(found, "Y102") == [caret]
    assert [d.message for d in found if d.code == "Y102"] == [
        "'anaesthetist' is not the house spelling; write 'anesthesiologist'"
    ]


def test_a_british_word_after_a_line_break_is_reported_where_it_stands(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions("Marrow\n  ‸oedematous and bright")))
    assert caret == (CH, FIRST_BULLET + 1, 3)
    assert at(found, "Y102") == [caret]


# -- 2. spelling resolved before the registry lookup ----------------------------------------

DIFFERENTIALS = key_facts("‸Haemangioma", "Osteosarcoma", subsection=TDD) + (
    "\n# Differential Diagnosis\n\n## Haemangioma\n\n- Benign\n\n## Osteosarcoma\n\n- Aggressive\n"
)
NOT_REJECTED = _registry("    rejected:\n      - term: haemangioma\n        use: hemangioma\n", "")


def test_a_differential_in_british_spelling_is_the_registered_diagnosis(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(DIFFERENTIALS, registry=NOT_REJECTED))
    assert caret == (CH, FIRST_BULLET, 3)
    assert _reported(found) == [("Y102", FIRST_BULLET, 3, []), ("Y102", FIRST_BULLET + 5, 4, [])]
    assert found[0].message == "'Haemangioma' is not the house spelling; write 'Hemangioma'"


def test_a_spelling_the_registry_rejects_as_written_keeps_its_sense(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(DIFFERENTIALS))
    assert _reported(found) == [
        ("T101", FIRST_BULLET, 3, ["Y102"]),
        ("T101", FIRST_BULLET + 5, 4, ["Y102"]),
    ]


def test_an_expansion_in_british_spelling_is_the_registered_one(tmp_path: Path) -> None:
    body = key_facts("‸Standardised uptake value (SUV) of 5; SUV of 3")
    found, caret = lint_files(tmp_path, files(body))
    assert _reported(found) == [("Y102", FIRST_BULLET, 3, [])]
    assert caret == (CH, FIRST_BULLET, 3)


# -- 3. diacritics --------------------------------------------------------------------------


def test_a_term_written_without_its_diacritics_is_found(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions("Rare: ‸Albers-Schonberg disease")))
    assert at(found, "T103") == [caret]
    (finding,) = [d for d in found if d.code == "T103"]
    assert finding.message.startswith("'Albers-Schonberg disease' is a forbidden name")


def test_a_term_registered_without_diacritics_is_found_with_them(tmp_path: Path) -> None:
    registry = _registry("term: Albers-Schönberg disease", "term: Albers-Schonberg disease")
    body = definitions("Rare: ‸Albers-Schönberg disease")
    found, caret = lint_files(tmp_path, files(body, registry=registry))
    assert at(found, "T103") == [caret]


def test_the_name_alone_is_not_the_term(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(definitions("Schonberg described it in 1904")))
    assert at(found, "T103") == []


# -- 4. apostrophes and possessives ---------------------------------------------------------


def test_a_rejected_form_written_without_its_apostrophe_is_found(tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions("‸Pagets disease of bone")))
    assert at(found, "T101") == [caret]
    fixes = [(d.fix.original, d.fix.replacement) for d in found if d.code == "T101" and d.fix]
    assert fixes == [("Pagets disease", "Paget disease")]


POSSESSIVES = {
    "'s": (definitions("The ‸marble bone disease's course"), "T102"),
    "'s after an inflection": (
        definitions("Osteoblastic metastases are dense", "A ‸sclerotic metastasis's margin"),
        "T105",
    ),
    "plural '": (
        definitions("Osteoblastic metastases are dense", "‸Sclerotic metastases' rim"),
        "T105",
    ),
}


@pytest.mark.parametrize(("body", "code"), POSSESSIVES.values(), ids=list(POSSESSIVES))
def test_a_possessive_is_a_use_of_the_term(body: str, code: str, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(body))
    assert caret in at(found, code)


def test_a_name_with_an_apostrophe_before_another_noun_is_no_term(tmp_path: Path) -> None:
    body = definitions("Paget's original description; Pagets notes; Paget described it")
    found, _ = lint_files(tmp_path, files(body))
    assert [d.code for d in found if d.code.startswith("T")] == []


# -- 5. Latin and Greek plurals -------------------------------------------------------------

PLURALS_CONCEPT = """\
  - id: plural-forms
    kind: finding
    preferred: plural forms
    synonyms:
      - {term: chondroma, status: deprecated}
      - {term: calculus, status: deprecated}
      - {term: diverticulum, status: deprecated}
      - {term: cortex, status: deprecated}
      - {term: sinus, status: deprecated}
"""
WITH_PLURALS = _registry("concepts:\n", "concepts:\n" + PLURALS_CONCEPT)
PLURALS = ["‸Chondromata of the hand", "‸Calculi in the pelvis", "‸Diverticula of the colon",
           "Thinned ‸cortices", "Both ‸sinuses"]  # fmt: skip


@pytest.mark.parametrize("text", PLURALS)
def test_a_latin_or_greek_plural_is_the_term(text: str, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path, files(definitions(text), registry=WITH_PLURALS))
    assert at(found, "T102") == [caret]


def test_a_short_word_ending_in_us_has_no_plural_in_i(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(definitions("Sini and cortexes"), registry=WITH_PLURALS))
    assert at(found, "T102") == [(CH, FIRST_BULLET, 3 + len("Sini and "))]
