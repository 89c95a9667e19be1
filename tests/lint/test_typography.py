"""The style rules on phrases they must flag (at the caret) and phrases they must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.lint.fixes import apply_fixes
from tests.lint.trees import CH, at, definitions, files, lint_files

FLAGGED = [
    ("Y101", "‸Graves' disease"),
    ("Y101", "Two ‸Schmorl’s nodes"),
    ("Y101", "‸Paget's Disease"),
    ("Y102", "Several ‸tumours"),
    ("Y102", "‸TUMOUR"),
    ("Y102", "A ‸tumour-like mass"),
    ("Y102", "‸Grey and white matter"),
    ("Y103", "Mass of 3 cm ‸x 4 cm"),
    ("Y103", "Mass of 3‸x4 cm"),
    ("Y103", "Mass of 3 ‸x 4 x 5 cm"),
    ("Y103", "Magnified 10‸x, then"),
    ("Y103", "Mass of 1.5 ‸X 2 cm"),
    ("Y104", "In 10‸-20% of patients"),
    ("Y104", "From 0.5‸-1.5 cm"),
    ("Y104", "A 2‸-3-fold increase"),
    ("Y104", "Grade 1‸-2 (5-10 mm)"),
    ("Y105", "At ‸1.5T and 3 T"),
    ("Y105", "Dose of ‸20mL"),
    ("Y105", "Range ‸3cm, 5 cm"),
    ("Y105", "Spaced 3-‸5mm"),
    ("Y105", "At ‸120kVp"),
]

LEFT_ALONE = [
    ("Y101", "Paget disease; described by Paget; Paget's original series"),
    ("Y101", "Bragg's law; the patient's disease"),
    ("Y102", "Peritumoral edema; tumor; the tumor margin"),
    ("Y103", "An x-ray; max 5; box 3; T2x; 0x1F; 3 mm x-ray; X-linked"),
    ("Y103", "3× as common; 3 × 4 cm"),
    ("Y104", "T1-weighted; L3-L4; C5-6; COVID-19; 2024-05-01; 2024-05; from -5 to 10"),
    ("Y104", "5–10 mm; 10:30-11:00; 1-2-3; ratio 1/2-3"),
    ("Y104", "5 – 20 mm; version 2 -3; from 5 -20 to 30"),
    ("Y105", "90%; 37°; the 1980s; 99mTc; 5 mm; 5-mm nodule; 5mm2; T1; L3; 3D"),
]


@pytest.mark.parametrize(("code", "text"), FLAGGED, ids=[f"{c}:{t}" for c, t in FLAGGED])
def test_style_rule_flags(code: str, text: str, tmp_path: Path) -> None:
    found, caret = lint_files(tmp_path / "source", files(definitions(text)))
    assert caret in at(found, code), [(d.code, d.message) for d in found]


@pytest.mark.parametrize(("code", "text"), LEFT_ALONE, ids=[f"{c}:{t}" for c, t in LEFT_ALONE])
def test_style_rule_leaves_alone(code: str, text: str, tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path / "source", files(definitions(text)))
    assert at(found, code) == [], [(d.code, d.message) for d in found if d.code == code]


@pytest.mark.parametrize(
    ("text", "original", "replacement"),
    [
        ("Several Tumours", "Tumours", "Tumors"),
        ("A TUMOUR", "TUMOUR", "TUMOR"),
        ("Graves' disease", "'", ""),
        ("Lesions of 5mm", "5mm", "5 mm"),
        ("In 10-20%", "-", "–"),
        ("Mass of 3 x 4 cm", "x", "×"),
    ],
)
def test_style_fix(text: str, original: str, replacement: str, tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path / "source", files(definitions(text)))
    fixes = [(d.fix.original, d.fix.replacement) for d in found if d.fix and d.fix.safe]
    assert fixes == [(original, replacement)]


def test_a_spaced_range_is_closed_up_by_its_fix(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(definitions("Lesions of 5 - 20 mm")))
    fixes = [d.fix for d in found if d.code == "Y104" and d.fix is not None]
    fixed, count = apply_fixes((tmp_path / CH).read_text(encoding="utf-8"), fixes)
    assert count == 1
    assert "- Lesions of 5–20 mm\n" in fixed
