"""Disguised terms: invisible characters and look-alike letters are findings, and seen through.

A rejected term written with a zero-width space inside it, or with a Cyrillic "а" for the
Latin "a", looks right on the page. Each case writes such a bullet in a chapter of a tree
with the seed's registry (``Paget's disease`` is rejected there) or the test registry, runs
``monograph lint`` and ``monograph lint --fix`` in this process, and checks that the
disguise is reported at its own column naming the code point (Y106, Y107), that the term
rule fires at the term (T101, T102, T104), and that the fix leaves the clean preferred text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline.terminology.normal import fold
from tests.conftest import write_tree
from tests.helpers import SOURCE, monograph_in_process
from tests.lint.trees import CH, definitions, files, key_facts
from tests.lint.trees import REGISTRY as TEST_REGISTRY

SEED_REGISTRY = (SOURCE / "terminology.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Disguise:
    """A bullet (without ``- ``) written with one disguised character, and what lint says."""

    bullet: str
    char: str
    code: str
    """Y106 for an invisible character, Y107 for a look-alike."""
    term_code: str
    term: str
    """Where the term rule points: the term as written starts the first occurrence of this."""
    clean: str
    """The bullet after ``lint --fix``."""
    name: str
    """The code point and name the disguise finding must give."""
    registry: str = SEED_REGISTRY
    concept: str = "paget-disease"
    key_facts: bool = False
    term_fixed: bool = True
    """False where the term rule's fix is unsafe (T104): ``--fix`` only removes the disguise."""

    @property
    def id(self) -> str:
        return f"{self.code}-{ord(self.char):04X}"


def _paget(char: str, name: str, at: int = 3) -> Disguise:
    """``Paget's disease`` with ``char`` inserted after its ``at``-th letter: T101 and Y106."""
    term = "Paget's disease"
    written = term[:at] + char + term[at:]
    return Disguise(f"Rare {written} of bone", char, "Y106", "T101", written,
                    "Rare Paget disease of bone", name)  # fmt: skip


def _look_alike(bullet: str, char: str, term_code: str, term: str, clean: str, name: str,
                **kw: Any) -> Disguise:  # fmt: skip
    """A bullet with the look-alike ``char`` in ``term``: the term rule and Y107."""
    return Disguise(bullet, char, "Y107", term_code, term, clean, name, **kw)


DISGUISES: list[Disguise] = [
    _paget("\u200b", "U+200B ZERO WIDTH SPACE"),
    _paget("\u200d", "U+200D ZERO WIDTH JOINER"),
    _paget("\u200c", "U+200C ZERO WIDTH NON-JOINER"),
    _paget("\u2060", "U+2060 WORD JOINER"),
    _paget("\u00ad", "U+00AD SOFT HYPHEN"),
    _paget("\u034f", "U+034F COMBINING GRAPHEME JOINER"),
    _paget("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
    _paget("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    _paget("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    _paget("\u200b", "U+200B ZERO WIDTH SPACE", at=8),  # between the words
    _look_alike("Rare P\u0430get's disease of bone", "\u0430", "T101", "P\u0430get's disease",
                "Rare Paget disease of bone", "U+0430 CYRILLIC SMALL LETTER A"),
    _look_alike("Rare Pag\u0435t's disease of bone", "\u0435", "T101", "Pag\u0435t's disease",
                "Rare Paget disease of bone", "U+0435 CYRILLIC SMALL LETTER IE"),
    _look_alike("Rare \u0420aget's disease of bone", "\u0420", "T101", "\u0420aget's disease",
                "Rare Paget disease of bone", "U+0420 CYRILLIC CAPITAL LETTER ER"),
    _look_alike("Rare \u03a1aget's disease of bone", "\u03a1", "T101", "\u03a1aget's disease",
                "Rare Paget disease of bone", "U+03A1 GREEK CAPITAL LETTER RHO"),
    _look_alike("Rare Paget\u02bcs disease of bone", "\u02bc", "T101", "Paget\u02bcs disease",
                "Rare Paget disease of bone", "U+02BC MODIFIER LETTER APOSTROPHE"),
    _look_alike("Marble b\u043ene disease is rare", "\u043e", "T102", "Marble b\u043ene disease",
                "Osteopetrosis is rare", "U+043E CYRILLIC SMALL LETTER O",
                registry=TEST_REGISTRY, concept="alpha-concept"),
    _look_alike("S\u0441lerotic metastases in the spine", "\u0441", "T104",
                "S\u0441lerotic metastases", "Sclerotic metastases in the spine",
                "U+0441 CYRILLIC SMALL LETTER ES",
                registry=TEST_REGISTRY, concept="alpha-concept", key_facts=True,
                term_fixed=False),
]  # fmt: skip


def _write(root: Path, case: Disguise) -> tuple[Path, int]:
    body = key_facts(case.bullet) if case.key_facts else definitions(case.bullet)
    tree = files(body, concept=case.concept, registry=case.registry)
    write_tree(root, tree)
    path = root / CH
    lines = path.read_text(encoding="utf-8").split("\n")
    return path, lines.index(f"- {case.bullet}") + 1


_FINDING = re.compile(
    r"^\S+?:(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) \w+: (?P<message>.*)$"
)


def _lint(root: Path) -> list[dict[str, object]]:
    """``monograph lint`` of the tree: each finding's code, line, column and message."""
    result = monograph_in_process("lint", "--source", str(root))
    assert result.returncode in (0, 1), result.stderr
    return [
        {**match.groupdict(), "line": int(match["line"]), "column": int(match["column"])}
        for match in map(_FINDING.match, result.stdout.splitlines())
        if match
    ]


@pytest.mark.parametrize("case", DISGUISES, ids=lambda case: case.id)
def test_a_disguised_term_is_reported_twice_and_fixed_clean(case: Disguise, tmp_path: Path) -> None:
    root = tmp_path / "source"
    path, line = _write(root, case)
    bullet_column = 3  # after "- "
    char_column = bullet_column + case.bullet.index(case.char)
    term_column = bullet_column + case.bullet.index(case.term)

    found = _lint(root)
    disguise = [r for r in found if r["code"] == case.code]
    assert [(r["line"], r["column"]) for r in disguise] == [(line, char_column)], found
    assert case.name in str(disguise[0]["message"]), disguise[0]["message"]
    assert (case.term_code, line, term_column) in {
        (r["code"], r["line"], r["column"]) for r in found
    }

    fixed = monograph_in_process("lint", "--source", str(root), "--fix")
    assert fixed.returncode in (0, 1), fixed.stderr
    text = path.read_text(encoding="utf-8")
    assert f"- {case.clean}\n" in text, text
    assert fold(text).text == text, "a disguise is left in the fixed file"
    again = {r["code"] for r in _lint(root)}
    assert not again & {"Y106", "Y107"}, again
    assert (case.term_code in again) is not case.term_fixed, again


@pytest.mark.parametrize(
    ("bullet", "char", "clean"),
    [
        ("Sclerotic lesions of the s\u0440ine", "\u0440", "Sclerotic lesions of the spine"),
        ("A lesion\u200b with a rim", "\u200b", "A lesion with a rim"),
        ("Soft\u00adtissue mass", "\u00ad", "Softtissue mass"),
    ],
    ids=["cyrillic-er", "zero-width-space", "soft-hyphen"],
)
def test_a_disguise_outside_any_term_is_reported_and_fixed(
    bullet: str, char: str, clean: str, tmp_path: Path
) -> None:
    root = tmp_path / "source"
    case = Disguise(bullet, char, "", "", "", clean, "")
    path, line = _write(root, case)
    found = [(r["code"], r["line"], r["column"]) for r in _lint(root)]
    code = "Y106" if fold(char).text == "" else "Y107"
    assert (code, line, 3 + bullet.index(char)) in found, found
    monograph_in_process("lint", "--source", str(root), "--fix")
    assert f"- {clean}\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("bullet", "char"),
    [
        ("A lesion \u202ewith a rim", "\u202e"),  # a bidirectional override: no safe edit
        ("A lesion\u200d with a rim", "\u200d"),  # ZWJ not between Latin letters
        ("Fe\ufe0fatures of a lesion", "\ufe0f"),  # a variation selector
    ],
    ids=["rlo", "zwj-at-space", "variation-selector"],
)
def test_an_invisible_character_without_a_safe_edit_is_reported_and_kept(
    bullet: str, char: str, tmp_path: Path
) -> None:
    root = tmp_path / "source"
    path, line = _write(root, Disguise(bullet, char, "", "", "", "", ""))
    found = [r for r in _lint(root) if r["code"] == "Y106"]
    assert [(r["line"], r["column"]) for r in found] == [(line, 3 + bullet.index(char))]
    assert f"U+{ord(char):04X}" in str(found[0]["message"])
    monograph_in_process("lint", "--source", str(root), "--fix")
    assert f"- {bullet}\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "bullet",
    [
        "\u03b2-hCG and TNF\u03b1 are markers",  # Greek letters that are Greek
        "\u0420\u0435\u043d\u0442\u0433\u0435\u043d is the Russian word",  # a Cyrillic word
        "Lesions of 5\u00a0mm, 3\u202fcm and 2\u2009mm",  # no-break, narrow and thin spaces
        "Paget\u2019s disease is rejected, with a typographic apostrophe",
    ],
    ids=["greek", "cyrillic-word", "spaces", "right-quote"],
)
def test_legitimate_characters_are_not_disguises(bullet: str, tmp_path: Path) -> None:
    root = tmp_path / "source"
    _write(root, Disguise(bullet, "", "", "", "", "", ""))
    codes = {r["code"] for r in _lint(root)}
    assert not codes & {"Y106", "Y107"}, codes


def test_the_seed_has_no_disguise() -> None:
    assert not [r for r in _lint(SOURCE) if r["code"] in {"Y106", "Y107"}]


def test_fold_maps_every_offset_back_to_the_text_as_written() -> None:
    raw = "x \u200bP\u0430g\u00adet\u02bcs"
    folded = fold(raw)
    assert folded.text == "x Paget's"
    assert [raw[folded.start(i)] for i in range(len(folded.text))] == list("x P\u0430get\u02bcs")
    assert folded.end(len(folded.text)) == len(raw)
    assert folded.hidden == (2, 6)
    assert folded.swaps == ((4, "a"), (9, "'"))
