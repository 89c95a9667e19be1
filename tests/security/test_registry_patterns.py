"""Registry patterns cannot hang lint: patterns that can backtrack without bound are refused.

``not_when`` and ``identifiers`` in the terminology registry are regular expressions, written
by whoever opens a pull request. Python's engine backtracks, so ``(a+)+$`` takes time
exponential in the text it fails on. Validation walks each pattern's parse tree and refuses
(V110, at the pattern) what could: a repeated group that itself repeats or branches, a
backreference, more than ``MAX_TRIES`` ways to try at one place, and unbounded repeats beyond
one (identifiers) or any (``not_when``, searched through whole bullets). The choice and its
reasons: ``_safe`` in pipeline/model/terminology.py and docs/security.md §2.2.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.model.terminology import MAX_TRIES, MAX_WORK, Abbreviation, Terminology
from tests.helpers import SOURCE, edit, monograph, seed_copy

CHAPTER = "chapters/blastic-osseous-metastases.md"
BULLET = "- Lesions follow the red marrow"
T1_PATTERNS = "    not_when: ['\\b[Aa]t T1\\b',"
"""The start of T1's ``not_when`` list in the seed registry."""


def _position(path: Path, needle: str) -> str:
    """``LINE:COL`` of the first character of ``needle`` in ``path`` (both from 1)."""
    for number, line in enumerate(path.read_text().split("\n"), 1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} is not in {path.name}")


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_a_pattern_that_backtracks_without_bound_is_refused_at_its_line(
    command: str, tmp_path: Path
) -> None:
    root = seed_copy(tmp_path)
    registry = root / "terminology.yaml"
    edit(registry, T1_PATTERNS, "    not_when: ['(a+)+$', '\\b[Aa]t T1\\b',", count=1)
    edit(registry, "\n# US English", "\nidentifiers: ['([A-Z]+)+\\d']\n# US English", count=1)
    word = "a" * 40 + "!"  # 2^40 ways for (a+)+$ to fail on, after T1 in the same bullet
    token = "ABCDEFGHIJ" * 4  # 40 capitals and no digit: 2^40 ways to fail, as an identifier
    edit(root / CHAPTER, BULLET, f"- On T1 {word} {token} lesions follow the red marrow", count=1)

    run = monograph(command, "--source", str(root), timeout=60)

    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for pattern, field in (("'(a+)+$'", "not_when[0]"), ("'([A-Z]+)+\\d'", "identifiers[0]")):
        where = f"terminology.yaml:{_position(registry, pattern)}: V110 error:"
        assert any(
            where in line and field in line and "exponential" in line
            for line in run.stdout.splitlines()
        ), f"no V110 at {where} for {field}:\n{run.stdout}"


def test_not_when_is_searched_once_per_bullet_not_once_per_token(tmp_path: Path) -> None:
    """20,000 uses of T1 in one bullet: each not_when pattern runs once over it (was 20,000×)."""
    root = seed_copy(tmp_path)
    line = " ".join(["On T1"] * 600)
    edit(
        root / CHAPTER,
        BULLET,
        "- " + "\n  ".join([line] * 34) + "\n  lesions follow the red",
        count=1,
    )

    run = monograph("lint", "--source", str(root), timeout=60)

    assert run.returncode == 0, run.stdout + run.stderr


SAFE = {
    "not_when": [
        r"\b[Aa]t T1\b",
        r"T1[-–]T\d{1,2}\b",
        r"\bT\d{1,2}[-–]T1\b",
        r"T1 (?:vertebra|vertebral body|level|pedicle)",
        r"(?<![\w-])T1(?:-weighted)?",
        r"(?:ab){1,3}c",  # a repeated group with one way to match: like one character
        r"(?i:at) T1\b",
        r"\bat.{0,40}T1",
        r"[IVX]{1,10}\d{1,9}",
    ],
    "identifiers": [r"[CTLS]\d{1,2}", r"[IVX]{2,}", r"Grade [1-4][A-C]?", r"(?:ab)+", r"L\d+"],
}
UNSAFE = {
    "not_when": {
        "(a+)+$": "repeats a group that itself repeats",
        r"(\w+\s?)*$": "repeats a group that itself repeats",
        "(a|ab)*c": "repeats a group that itself repeats or has alternatives",
        "(?:a|a){1,40}": "repeats a group that itself repeats or has alternatives",
        "(?:a{0,2}){2}": "repeats a group that itself repeats",
        r"(a)\1": "backreference",
        "(?P<x>T)(?P=x)1": "backreference",
        "(a)?(?(1)b|c)": "conditional group",
        ".*T1": "unbounded repeat",
        r"(?=\w+)T1": "unbounded repeat",
        r"T1\s+vertebra": "unbounded repeat",
        r"\w{0,10}\w{0,10}T1": f"more than {MAX_WORK:,} in all",
        ".{0,99}.{100}!": f"more than {MAX_WORK:,} in all",
        ".{4000}": f"more than {MAX_WORK:,} in all",
        "(?:aa|bb|cc|dd|ee)" * 3: f"the limit is {MAX_TRIES}",
        "(" * 2000 + ")" * 2000: "not a regular expression",
    },
    "identifiers": {
        "[A-Z]+[0-9]+": "2 unbounded repeats",
        r"[IVX]{0,10}\d{0,10}": f"may try 121 ways at each place; the limit is {MAX_TRIES}",
        "(?:[A-Z]+)+": "repeats a group that itself repeats",
    },
}


def _check(field: str, pattern: str) -> None:
    if field == "not_when":
        Abbreviation(abbr="T1", expansion="T1-weighted", not_when=[pattern])
    else:
        Terminology(identifiers=[pattern])


@pytest.mark.parametrize(
    ("field", "pattern"), [(f, p) for f, patterns in SAFE.items() for p in patterns]
)
def test_patterns_of_the_safe_subset_are_accepted(field: str, pattern: str) -> None:
    _check(field, pattern)


@pytest.mark.parametrize(
    ("field", "pattern"), [(f, p) for f, patterns in UNSAFE.items() for p in patterns]
)
def test_patterns_outside_the_safe_subset_are_refused_with_the_rule_they_break(
    field: str, pattern: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _check(field, pattern)
    message = refused.value.errors()[0]["msg"]
    assert UNSAFE[field][pattern] in message, message


def test_the_seed_and_default_patterns_are_in_the_safe_subset() -> None:
    seed = (SOURCE / "terminology.yaml").read_text()
    found = re.findall(r"not_when: \[(.*)\]", seed)
    assert found, "the seed registry has no not_when patterns any more"
    for listed in found:
        for pattern in re.findall(r"'((?:[^']|'')*)'", listed):
            _check("not_when", pattern)
    Terminology(identifiers=Terminology.model_fields["identifiers"].default)
