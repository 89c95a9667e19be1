"""Every string a reader sees is linted: alt text, long descriptions, credits and the title too.

A trainee meets a figure's alt text through a screen reader, its credit under the image and
the chapter's title on every page; a rejected term there is as wrong as in a bullet. A term
quoted (in quotation marks) or in a reference's title is a mention, not a use, and is left
alone. Each case marks with a caret (‸) where the finding must point; the fix, where the
text is written as is on one line, is applied by ``lint --fix`` in the YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FRONT
from tests.helpers import monograph_in_process
from tests.lint.trees import CH, Files, at, definitions, files, lint_files

ALT = "    alt: Sagittal image of the lumbar spine.\n"


def _front(old: str, new: str, front: str = FRONT) -> str:
    assert old in front, old
    return front.replace(old, new)


def _tree(front: str, body: str = definitions("Dense bone")) -> Files:
    tree = files(body)
    tree[CH] = tree[CH].replace(FRONT, front)
    return tree


FOUND: dict[str, tuple[str, Files]] = {
    "alt text": (
        "T101",
        _tree(_front(ALT, "    alt: Sagittal image of ‸Paget's disease of bone.\n")),
    ),
    "alt text, quoted": (
        "T102",
        _tree(_front(ALT, '    alt: "Sagittal image of ‸marble bone disease."\n')),
    ),
    "long description": (
        "Y105",
        _tree(_front(ALT, ALT + "    long_description: A lesion of ‸5mm in the L3 body.\n")),
    ),
    "credit": (
        "T103",
        _tree(_front(ALT, ALT + "    credit: Courtesy of the ‸Albers-Schönberg disease clinic\n")),
    ),
    "title": ("T102", _tree(_front("title: Alpha\n", "title: ‸Marble bone disease\n"))),
}


@pytest.mark.parametrize("name", FOUND)
def test_a_visible_string_is_linted_where_it_is_written(tmp_path: Path, name: str) -> None:
    code, tree = FOUND[name]
    found, caret = lint_files(tmp_path, tree)
    assert caret is not None
    assert at(found, code) == [caret], [str(d.span) + " " + d.code for d in found]


def test_the_same_strings_without_the_mistake_are_clean(tmp_path: Path) -> None:
    front = _front(ALT, ALT + "    long_description: A lesion of 5 mm in the L3 body.\n"
                   "    credit: Courtesy of the bone clinic\n")  # fmt: skip
    found, _ = lint_files(tmp_path, _tree(_front("title: Alpha\n", "title: Paget disease\n",
                                                 front)))  # fmt: skip
    assert [d.code for d in found] == []


def test_a_folded_alt_text_is_found_at_its_field_and_left_unfixed(tmp_path: Path) -> None:
    folded = "    alt: >-\n      Sagittal image of\n      Paget's disease of bone.\n"
    found, _ = lint_files(tmp_path, _tree(_front(ALT, folded)))
    (finding,) = [d for d in found if d.code == "T101"]
    assert (finding.span.line, finding.span.column) == (8, 10)  # the field's value, ``>-``
    assert finding.fix is None  # its columns are not the text's: no edit could be placed


def test_fix_rewrites_the_alt_text_in_the_front_matter(tmp_path: Path) -> None:
    tree = _tree(_front(ALT, "    alt: Sagittal image of Paget's disease of bone.\n"))
    lint_files(tmp_path, tree)
    run = monograph_in_process("lint", "--source", str(tmp_path), "--fix", "--no-cache")
    text = (tmp_path / CH).read_text(encoding="utf-8")
    assert "    alt: Sagittal image of Paget disease of bone.\n" in text, run.stderr
    assert "T101" not in monograph_in_process("lint", "--source", str(tmp_path)).stdout


MENTIONS: dict[str, Files] = {
    "a quoted term in a bullet": files(
        definitions("Once called \u201cmarble bone disease\u201d in older reports")
    ),
    "a straight-quoted term in a bullet": files(
        definitions('Once called "Albers-Schönberg disease" in older reports')
    ),
    "a reference title": _tree(
        _front("    title: A study of the spine\n", "    title: Marble bone disease revisited\n")
    ),
}


@pytest.mark.parametrize("name", MENTIONS)
def test_a_mention_is_not_a_use(tmp_path: Path, name: str) -> None:
    found, _ = lint_files(tmp_path, MENTIONS[name])
    assert [d.code for d in found if d.code.startswith("T")] == []


def test_the_same_term_unquoted_is_a_use(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(definitions("Once called ‸marble bone disease")))
    assert [d.code for d in found] == ["T102"]


def _fixed(root: Path, tree: Files) -> str:
    lint_files(root, tree)
    monograph_in_process("lint", "--source", str(root), "--fix", "--no-cache")
    return (root / CH).read_text(encoding="utf-8")


DIFFERENTIAL = "\n# Differential Diagnosis\n\n## {}\n\n- Thick trabeculae\n"


@pytest.mark.parametrize(
    ("written", "fixed"),
    [("Osteitis Deformans", "Paget Disease"), ("Osteitis deformans", "Paget disease")],
)
def test_a_heading_fix_keeps_the_headings_case(tmp_path: Path, written: str, fixed: str) -> None:
    text = _fixed(tmp_path, files(DIFFERENTIAL.format(written)))
    assert f"\n## {fixed}\n" in text


def test_a_title_fix_keeps_the_titles_case(tmp_path: Path) -> None:
    tree = _tree(_front("title: Alpha\n", "title: Paget's Disease of the Skull\n"))
    assert "\ntitle: Paget Disease of the Skull\n" in _fixed(tmp_path, tree)
