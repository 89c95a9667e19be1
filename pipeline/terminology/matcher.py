"""Finding the registry's terms in text units: multi-word, inflection- and case-aware."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pipeline.model.terminology import Concept, Terminology
from pipeline.terminology.normal import fold
from pipeline.terminology.text import TextUnit

SenseKind = Literal["preferred", "synonym", "rejected"]
_JOINER = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Sense:
    """What a written form means.

    A concept, and whether the form is its preferred term, a synonym (with its status) or a
    rejected variant (with the form to use).
    """

    concept: Concept
    kind: SenseKind
    term: str
    status: str = ""
    use: str = ""


@dataclass(frozen=True)
class TermMatch:
    """A registered form found in a unit, at ``start:end`` of its text."""

    unit: TextUnit
    start: int
    end: int
    senses: tuple[Sense, ...]
    """Every concept the form names (one form may name several), in registry order."""

    @property
    def text(self) -> str:
        """The words as written."""
        return self.unit.raw[self.start : self.end]

    def of(self, concept: Concept) -> Sense | None:
        """The sense this match has for ``concept``, if any."""
        return next((s for s in self.senses if s.concept.id == concept.id), None)


def key(text: str) -> str:
    """A form's lookup key: lower case, one space for any run of spaces and hyphens.

    The text is folded first (``normal.fold``), so a form written with invisible characters
    or look-alike letters has the key of the form it imitates.
    """
    return _JOINER.sub(" ", fold(text).text.lower().replace("’", "'")).strip()


def inflections(term: str) -> set[str]:
    """The term and the regular singular or plural of its last word."""
    head, _, last = term.rpartition(" ")
    forms = {last}
    if last.endswith("sis"):
        forms.add(last[:-3] + "ses")
    elif last.endswith("ses") and len(last) > 4:
        forms.add(last[:-3] + "sis")
    elif last.endswith("a"):
        forms |= {last + "e", last + "s"}
    elif last.endswith("ae"):
        forms.add(last[:-1])
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        forms.add(last[:-1] + "ies")
    elif last.endswith("ies"):
        forms.add(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss"):
        forms.add(last[:-1])
    elif last.endswith(("x", "ch", "sh", "ss")):
        forms.add(last + "es")
    else:
        forms.add(last + "s")
    return {f"{head} {form}".strip() for form in forms}


class Matcher:
    """Compiled once per registry; ``find`` returns every registered form in a unit."""

    def __init__(self, terminology: Terminology) -> None:
        self.terminology = terminology
        self.senses: dict[str, list[Sense]] = {}
        for concept in terminology.concepts:
            self._register(concept)

    def _register(self, concept: Concept) -> None:
        self._add(concept.preferred, Sense(concept, "preferred", concept.preferred))
        for form in concept.inflections:
            self._add(form, Sense(concept, "preferred", concept.preferred), inflect=False)
        for synonym in concept.synonyms:
            self._add(synonym.term, Sense(concept, "synonym", synonym.term, synonym.status))
        for rejected in concept.rejected:
            sense = Sense(concept, "rejected", rejected.term, use=rejected.use)
            self._add(rejected.term, sense)

    def _add(self, term: str, sense: Sense, *, inflect: bool = True) -> None:
        forms = inflections(key(term)) if inflect else {key(term)}
        for form in forms:
            bucket = self.senses.setdefault(form, [])
            if sense not in bucket:
                bucket.append(sense)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """One alternation of every form, longest first, spaces matching spaces or hyphens."""
        forms = sorted(self.senses, key=len, reverse=True)
        body = "|".join(re.escape(form).replace(r"\ ", r"[\s-]+") for form in forms)
        return re.compile(rf"(?<![\w'-])(?:{body or '(?!)'})(?![\w-]|'s\b)")

    def find(self, unit: TextUnit) -> list[TermMatch]:
        """Every registered form in ``unit``, left to right, longest at each place.

        The search runs on the unit's text seen through disguises (``TextUnit.seen``); each
        match's offsets are mapped back, so ``start:end`` is the form as written in ``raw``,
        invisible characters and look-alikes included.
        """
        found = []
        seen = unit.seen
        for match in self.pattern.finditer(seen.text):
            senses = self.senses.get(key(match.group(0)), [])
            if senses:
                start, end = seen.start(match.start()), seen.end(match.end())
                found.append(TermMatch(unit, start, end, tuple(senses)))
        return found
