"""A finding's hint speaks of the concept at hand: its term, and the registry's own example.

Before, a finding without a hint of its own printed its rule's documentation example: T104 on
any concept suggested "Blastic osseous metastases in the spine".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.trees import definitions, files, key_facts, lint_files

CASES = {
    "T101": (
        definitions("Paget's disease of the skull"),
        "Write 'Paget disease', as the registry's example has it: "
        "\u201cPaget disease thickens the cortex\u201d.",
    ),
    "T102": (
        definitions("Marble bone disease of the spine"),
        "Write 'osteopetrosis', as the registry's example has it: "
        "\u201cOsteopetrosis is rare\u201d.",
    ),
    "T103": (
        definitions("Albers-Schönberg disease of the spine"),
        "Write 'osteopetrosis', as the registry's example has it: "
        "\u201cOsteopetrosis is rare\u201d.",
    ),
    "T104": (
        key_facts("Sclerotic metastases in the spine"),
        "Write 'blastic osseous metastases', as the registry's example has it: "
        "\u201cBlastic osseous metastases are common\u201d.",
    ),
}


@pytest.mark.parametrize("code", CASES)
def test_the_hint_is_the_concepts_own(tmp_path: Path, code: str) -> None:
    body, hint = CASES[code]
    found, _ = lint_files(tmp_path, files(body))
    assert [d.hint for d in found if d.code == code] == [hint]


def test_without_an_example_the_hint_names_the_term(tmp_path: Path) -> None:
    body = definitions("A haemangioma of the body", "A haemorrhage into it")
    found, _ = lint_files(tmp_path, files(body))
    hints = {(d.code, d.hint) for d in found}
    assert hints == {("T101", "Write 'hemangioma'."), ("Y102", "Write 'hemorrhage'.")}
