"""The editors' documentation stays in step with the code."""

from __future__ import annotations

from pipeline.codes import CODES
from pipeline.validate.skeleton import SKELETON
from tests.helpers import REPO

DOC = (REPO / "docs" / "source-format.md").read_text()


def test_every_code_is_in_the_table_with_its_name_and_severity() -> None:
    for code in CODES.values():
        assert f"| {code.code} | {code.name} | {code.severity} |" in DOC, code.code


def test_every_heading_and_label_of_the_skeleton_is_documented() -> None:
    for section in SKELETON:
        assert section.title in DOC
        for sub in section.subsections:
            assert sub.title in DOC
            for label in sub.labels:
                assert label in DOC, label
