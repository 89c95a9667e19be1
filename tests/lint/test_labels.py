"""A run-in label (``- **STIR**``) is a use of the abbreviation it is, and only that.

Labels are the skeleton's vocabulary: the editor chooses neither the word nor where it stands.
So a label counts as a later use of an expansion (no A104), but is never an unknown
abbreviation (A101) or a use before the expansion (A102).
"""

from __future__ import annotations

from pathlib import Path

from tests.lint.trees import REGISTRY, Files, at, files, lint_files

STIR = "  - {abbr: STIR, expansion: short tau inversion recovery, policy: expand-at-first-use}\n"
PET = "  - {abbr: PET, expansion: positron emission tomography, policy: house-standard}\n"


def _tree(body: str, *, registered: bool = True) -> Files:
    assert PET in REGISTRY
    return files(body, registry=REGISTRY.replace(PET, PET + STIR) if registered else REGISTRY)


def _imaging(definition: str) -> str:
    return (
        f"\n# Terminology\n\n## Definitions\n\n- {definition}\n"
        "\n# Imaging\n\n## General Features\n\n- Dense vertebrae\n"
        "\n## MR Findings\n\n- **STIR**\n  - Hyperintense marrow\n"
    )


def test_a_label_after_the_expansion_is_a_use(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, _tree(_imaging("Short tau inversion recovery (STIR) images")))
    assert [d.code for d in found] == []


def test_the_expansion_with_no_use_at_all_is_still_unused(tmp_path: Path) -> None:
    body = _imaging("‸Short tau inversion recovery (STIR) images").replace(
        "- **STIR**\n  - Hyperintense marrow\n", "- Hyperintense marrow\n"
    )
    found, caret = lint_files(tmp_path, _tree(body))
    assert at(found, "A104") == [caret]


def test_a_label_is_never_an_unknown_abbreviation_nor_an_early_use(tmp_path: Path) -> None:
    unexpanded = _imaging("Marrow signal")  # STIR registered, expand-at-first-use, no expansion
    found, _ = lint_files(tmp_path, _tree(unexpanded))
    assert [d.code for d in found] == []
    found, _ = lint_files(tmp_path / "unregistered", _tree(unexpanded, registered=False))
    assert [d.code for d in found] == []  # STIR unknown to the registry: a label all the same
