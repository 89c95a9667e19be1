"""Findings point at the source line and column, also in figure captions."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BODY, FRONT, chapter
from tests.lint.trees import CH, REGISTRY, Files, at, lint_files

ONE_LINE = "caption: Sagittal image of the lumbar spine {arrow}."


def test_a_finding_in_a_one_line_caption_points_at_the_word(tmp_path: Path) -> None:
    front = FRONT.replace(ONE_LINE, "caption: Sagittal image of a ‸tumour {arrow}.")
    tree: Files = {CH: chapter(front, BODY), "terminology.yaml": REGISTRY}
    found, caret = lint_files(tmp_path / "source", tree)
    assert caret in at(found, "Y102")


def test_a_finding_in_a_folded_caption_points_at_its_line(tmp_path: Path) -> None:
    folded = "caption: >-\n      Sagittal image of the lumbar\n      spine with a ‸tumour {arrow}."
    tree: Files = {CH: chapter(FRONT.replace(ONE_LINE, folded), BODY), "terminology.yaml": REGISTRY}
    found, caret = lint_files(tmp_path / "source", tree)
    assert caret in at(found, "Y102"), at(found, "Y102")
