"""Every lint rule, triggered by a small source tree, found at the caret's line and column.

Each case writes the conftest tree with the test registry (tests/lint/terminology.yaml) and a
chapter body; the caret (‸) marks where the finding must point. A final test fails when a
rule of the registry's table has no case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.lint.registry import RULES
from tests.lint.trees import (
    Files,
    at,
    chapters_about,
    definitions,
    files,
    key_facts,
    lint_files,
    two_chapters,
)

TDD = "Top Differential Diagnoses"
SYNONYMS = (
    "\n# Terminology\n\n## Synonyms\n\n- ‸Ivory vertebra\n- Sclerotic metastases\n"
    "- Osteoblastic metastases\n- Osteosclerotic metastases\n\n## Definitions\n\n- A lesion\n"
)
ORDER = key_facts("‸Hemangioma", "Osteosarcoma", subsection=TDD) + (
    "\n# Differential Diagnosis\n\n## Osteosarcoma\n\n- Aggressive\n\n## Hemangioma\n\n- Benign\n"
)


@dataclass(frozen=True)
class Case:
    """A rule code, the files that trigger it (one holds the caret), and an id."""

    code: str
    files: Files
    name: str = ""


# fmt: off
CASES: list[Case] = [
    Case("T101", files(key_facts("‸Paget's disease of bone"))),
    Case("T102", files(definitions("‸Marble bone disease is rare"))),
    Case("T103", files(definitions("Rare: ‸Albers-Schönberg disease"))),
    Case("T104", files(key_facts("‸Sclerotic metastases in the spine"))),
    Case("T105", files(definitions("Osteoblastic metastases are dense",
                                   "‸Sclerotic metastases are dense"))),
    Case("T106", files(SYNONYMS, concept="blastic-osseous-metastases")),
    Case("T107", files(key_facts("‸Hemangioma, atypical", subsection=TDD))),
    Case("T108", files(key_facts("‸Osteitis deformans", subsection=TDD))),
    Case("T109", files(ORDER)),
    Case("T110", two_chapters(definitions("‸Osteoblastic metastases are dense"),
                              definitions("Blastic osseous metastases are dense"))),
    Case("T111", chapters_about(
        metastases=("blastic-osseous-metastases", key_facts("Hemangioma", subsection=TDD)),
        hemangioma=("hemangioma", "\n‸# Differential Diagnosis\n\n## Osteosarcoma\n\n- Hard\n"),
    )),
    Case("T112", files(definitions("‸Osteosarkoma of the femur"))),
    Case("A101", files(key_facts("Avid on ‸FDG PET"))),
    Case("A101", files(key_facts("Seen on PET/‸FDG")), "slash"),
    Case("A102", files(key_facts("Metastases from the ‸GI tract"))),
    Case("A103", files(key_facts("Gastrointestinal (GI) tract",
                                 "‸Gastrointestinal (GI) bleeding from GI lesions")), "twice"),
    Case("A103", files(key_facts("‸Standard uptake value (SUV) of 5; SUV of 3")),
         "inconsistent"),
    Case("A104", files(key_facts("Seen in the ‸gastrointestinal (GI) tract"))),
    Case("A104", files("\n# Terminology\n\n## Abbreviations\n\n- ‸GI: gastrointestinal\n\n"
                       "## Definitions\n\n- Gastrointestinal tract\n"), "glossary"),
    Case("A105", files(definitions("Longitudinal relaxation time (T1) is short at ‸T1"))),
    Case("A105", files(definitions("A fracture at T1 and short ‸T1 in the marrow")), "reverse"),
    Case("Y101", files(definitions("Many ‸Schmorl's nodes in the end plates"))),
    Case("Y102", files(definitions("Peritumoral ‸oedema"))),
    Case("Y103", files(definitions("A mass of 3 ‸x 4 cm"))),
    Case("Y103", files(definitions("Lumbar deposits are 3‸x as common")), "factor"),
    Case("Y104", files(definitions("Lesions of 5‸-10 mm"))),
    Case("Y104", files(definitions("Lesions of 5‸ - 20 mm")), "spaced"),
    Case("Y105", files(definitions("Lesions of ‸5mm"))),
    Case("Y106", files(definitions("Rare Pag‸\u200bet's disease"))),
    Case("Y107", files(definitions("Rare P‸\u0430get's disease"))),
    Case("L101", files("\n# Key Facts\n\n## Imaging\n\n"
                       "‸<!-- lint: disable-next-line T101 -- quoting a report -->\n"
                       "- Paget disease\n")),
    Case("L102", files("\n# Key Facts\n\n## Imaging\n\n"
                       "‸<!-- lint: disable-next-line T101 -->\n- Paget's disease\n")),
]
# fmt: on


def _id(case: Case) -> str:
    return f"{case.code}-{case.name}" if case.name else case.code


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_rule_is_reported_at_the_caret(case: Case, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path / "source", case.files)
    assert caret is not None, "the case must mark the expected position with ‸"
    assert caret in at(found, case.code), f"{case.code} not at {caret}; got {found}"


def test_every_rule_has_a_case() -> None:
    covered = {case.code for case in CASES}
    missing = sorted(rule.code for rule in RULES if rule.code not in covered)
    assert not missing, f"rules without a fixture: {missing}"
