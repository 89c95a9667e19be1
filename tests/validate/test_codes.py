"""Every validation code, triggered by a small source tree, found at the caret's line and column.

Each case edits the minimal valid tree of conftest.py; the caret (‸) in the edited text marks
where the finding must point. A final test fails when a code of the catalogue has no case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.codes import CODES
from pipeline.diagnostics import Severity
from pipeline.validate import validate_source
from tests.conftest import BODY, BOOK, FRONT, TERMINOLOGY, chapter, write_tree


@dataclass(frozen=True)
class Case:
    """A code, the files that trigger it (one holds the caret), and an id for the test name."""

    code: str
    files: dict[str, str | bytes | None]
    name: str = ""
    setup: str = field(default="", compare=False)
    """Optional extra step: 'symlink' makes figures/link.png point outside the tree."""


CH = "chapters/alpha.md"

CASES: list[Case] = [
    Case("R101", {CH: chapter(body=BODY).encode().replace(b"finding", "‸".encode() + b"\xff")}),
    Case("V101", {CH: chapter(front=FRONT.replace("id: alpha", "‸id: alpha", 1)
                              .replace("title: Alpha\n", ""))}),
    Case("V104", {CH: chapter(front=FRONT.replace("status: draft", "status: ‸drafft"))}),
    Case("S101", {CH: chapter(body=BODY.replace("## Imaging", "‸## Imagery"))}),
    Case("S111", {CH: chapter(body=BODY.replace("A finding", "A ‸<b>finding</b>"))}),
    Case("X101", {CH: chapter(body=BODY.replace("[@doe2020]", "[@doe2020] ‸[@nobody]"))}),
    Case("X102", {CH: chapter(body=BODY.replace("(@fig-one)", "(@fig-one) ‸@fig-two"))}),
]


def _id(case: Case) -> str:
    return f"{case.code}-{case.name}" if case.name else case.code


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_code_is_reported_at_the_caret(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "source"
    caret = write_tree(root, case.files)
    assert caret is not None, "the case must mark the expected position with ‸"
    if case.setup == "symlink":
        (root / "figures" / "link.png").symlink_to("/etc/hostname")
    result = validate_source(root)
    found = [(d.span.path, d.span.line, d.span.column) for d in result.diagnostics
             if d.code == case.code]
    assert caret in found, f"{case.code} not at {caret}; got {result.diagnostics}"
    if CODES[case.code].severity is Severity.ERROR:
        assert not result.ok, "an error must fail validation"


def test_every_code_has_a_case() -> None:
    covered = {case.code for case in CASES}
    missing = sorted(set(CODES) - covered)
    assert not missing, f"codes without a test case: {missing}"


def test_base_tree_is_clean(tree: Path) -> None:
    result = validate_source(tree)
    assert result.diagnostics == []
    assert result.book is not None
    assert [c.id for c in result.book.chapters] == ["alpha"]


_ = (BOOK, TERMINOLOGY)
