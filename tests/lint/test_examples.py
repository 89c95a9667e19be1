"""Every ``examples`` entry of the registries: bad text is flagged by its entry's rule kind.

Each example is the only bullet of Terminology › Definitions in a chapter linted with the
registry it comes from: source/terminology.yaml and the test registry. A bad example must
draw a finding of its rule kind on its line, a good one none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import SOURCE
from tests.lint.trees import REGISTRY_PATH, definitions, files, lint_files
from tests.lint.trees import codes as codes_of

RULE_KINDS: dict[str, tuple[str, ...]] = {
    "concepts": ("T101", "T102", "T103", "T104", "T105"),
    "abbreviations": ("A101", "A102", "A103", "A104"),
    "spellings": ("Y102",),
    "eponyms": ("Y101",),
}
"""The codes of the rule kind that each kind of registry entry feeds."""


@dataclass(frozen=True)
class Example:
    """One example sentence of one registry entry."""

    registry: Path
    kind: str
    entry: str
    verdict: str
    text: str

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.registry.parent.name}:{self.kind}:{self.entry}:{self.verdict}:{self.text}"


def _entries(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [("eponyms", "policy", data.get("eponyms") or {})]
    for kind, name in (("concepts", "id"), ("abbreviations", "abbr"), ("spellings", "variant")):
        found += [(kind, str(entry[name]), entry) for entry in data.get(kind) or []]
    return found


def _examples(registry: Path) -> list[Example]:
    data = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    return [
        Example(registry, kind, name, verdict, text)
        for kind, name, entry in _entries(data)
        for verdict in ("bad", "good")
        for text in (entry.get("examples") or {}).get(verdict, [])
    ]


def _first_concept(registry: Path) -> str:
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    return str(data["concepts"][0]["id"])


EXAMPLES = _examples(SOURCE / "terminology.yaml") + _examples(REGISTRY_PATH)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_registry_example(example: Example, tmp_path: Path) -> None:
    registry = example.registry.read_text(encoding="utf-8")
    tree = files(
        definitions("‸" + example.text),
        concept=_first_concept(example.registry),
        registry=registry,
    )
    found, caret = lint_files(tmp_path / "source", tree)
    assert caret is not None
    codes = RULE_KINDS[example.kind]
    mine = [d for d in found if codes_of(d) & set(codes) and d.span.line == caret[1]]
    if example.verdict == "bad":
        assert mine, f"not flagged by {'/'.join(codes)}: {example.text!r}"
    else:
        assert not mine, f"flagged: {[(d.code, d.message) for d in mine]}"


def test_the_test_registry_has_examples_of_every_kind() -> None:
    kinds = {(e.kind, e.verdict) for e in _examples(REGISTRY_PATH)}
    assert kinds == {(kind, verdict) for kind in RULE_KINDS for verdict in ("bad", "good")}
