"""Safe fixes change only the intended spans, and fixing twice changes nothing the second time."""

from __future__ import annotations

import difflib
from pathlib import Path

from pipeline.diagnostics import Diagnostic
from pipeline.lint.fixes import apply_fixes
from tests.conftest import write_tree
from tests.lint.trees import CH, files, lint_tree

BODY = """
# Key Facts

## Imaging

- Paget's disease of bone; *Schmorl's* nodes
- Sclerotic metastases of 5-10 mm, 3x as common in the spine
- Haemangioma with peritumoural fat

## Top Differential Diagnoses

- Paget's disease
- Osteitis deformans

# Terminology

## Definitions

- Tumours of 5mm to 3 x 4 cm in 10-20% of patients; TUMOUR and Tumour
- Marble bone disease and several haemangiomas
- Albers-Schönberg disease is rare
- Seen in the gastrointestinal (GI) tract on an X-ray at max 2024-05-01, L3-L4, T1-weighted
"""

FIXED = """
# Key Facts

## Imaging

- Paget disease of bone; *Schmorl* nodes
- Sclerotic metastases of 5–10 mm, 3× as common in the spine
- Hemangioma with peritumoral fat

## Top Differential Diagnoses

- Paget disease
- Paget disease

# Terminology

## Definitions

- Tumors of 5 mm to 3 × 4 cm in 10–20% of patients; TUMOR and Tumor
- Osteopetrosis and several hemangiomas
- Osteopetrosis is rare
- Seen in the gastrointestinal (GI) tract on an X-ray at max 2024-05-01, L3-L4, T1-weighted
"""
"""The body after one pass of safe fixes. Unchanged on purpose: the synonym in Key Facts
and the unused expansion (T104, A104: unsafe fixes), the X-ray, max, the date, the vertebral
levels and T1-weighted."""


def _fix_once(root: Path) -> tuple[str, str, int, list[Diagnostic]]:
    found = lint_tree(root)
    path = root / CH
    before = path.read_text(encoding="utf-8")
    fixes = [d.fix for d in found if d.fix and d.fix.safe and d.span.path == CH]
    after, count = apply_fixes(before, fixes)
    path.write_text(after, encoding="utf-8")
    return before, after, count, found


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_safe_fixes_change_only_the_intended_spans(tmp_path: Path) -> None:
    root = tmp_path / "source"
    write_tree(root, files(BODY))
    before, after, count, found = _fix_once(root)
    assert after == before.replace(BODY, FIXED), "\n".join(_changed_lines(before, after))
    assert len(_changed_lines(before, after)) == 2 * 8
    assert count >= 15
    unsafe = {d.code for d in found if d.fix and not d.fix.safe}
    assert unsafe == {"T104", "A104"}


def test_fixing_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    root = tmp_path / "source"
    write_tree(root, files(BODY))
    _fix_once(root)
    before, after, count, found = _fix_once(root)
    assert (after, count) == (before, 0)
    assert [d for d in found if d.fix and d.fix.safe] == []


def test_a_capitalised_name_replaced_mid_sentence_takes_the_replacements_case(
    tmp_path: Path,
) -> None:
    """Known failure (T103 via replacement_fix): 'Albers-Schönberg disease' mid-sentence is
    capitalised because of the eponym, not because it starts the sentence; the fix should
    write 'osteopetrosis', not 'Osteopetrosis'."""
    root = tmp_path / "source"
    write_tree(
        root, files("\n# Terminology\n\n## Definitions\n\n- Rare: Albers-Schönberg disease\n")
    )
    _before, after, _count, _found = _fix_once(root)
    assert "- Rare: osteopetrosis\n" in after
