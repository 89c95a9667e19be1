"""Finding the registry's terms in text units: multi-word, inflection- and case-aware.

A form is found however it is spelled: in British spelling (``Haemangioma`` is the concept
``hemangioma``), with or without its diacritics (``Albers-Schonberg``) or its apostrophe
(``Pagets disease`` is the rejected ``Paget's disease``), and followed by a possessive
(``osteosarcoma's margins`` uses ``osteosarcoma``). A form the registry lists as written
keeps its own sense: where the registry rejects ``haemangioma``, that word is the rejected
variant, not the preferred term it would otherwise be read as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pipeline.model.terminology import Concept, Terminology
from pipeline.terminology.dialect import respelled
from pipeline.terminology.normal import fold, unaccent
from pipeline.terminology.text import SEPARATOR, Joined, TextUnit, once

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


@lru_cache(maxsize=8192)
def spelled(text: str) -> str:
    """A form as written, case and spacing aside.

    Lower case, one space for any run of spaces and hyphens, a plain apostrophe. The text
    is folded first (``normal.fold``), so a form written with invisible characters or
    look-alike letters is the form it imitates.
    """
    return _JOINER.sub(" ", fold(text).text.lower().replace("’", "'")).strip()


@lru_cache(maxsize=8192)
def _read(text: str) -> str:
    """A form as the matcher reads it: ``spelled``, without diacritics, in house spelling.

    Apostrophes are kept: the pattern makes them optional.
    """
    return respelled(unaccent(spelled(text)).text)


def key(text: str) -> str:
    """A form's lookup key: two ways of writing one form have one key.

    The form ``spelled`` (case, spacing, hyphens and disguises aside), without diacritics,
    with British words in the house spelling (``dialect``) and without apostrophes:
    ``Haemangioma`` has the key of ``hemangioma``, ``Albers-Schonberg disease`` that of
    ``Albers-Schönberg disease``, ``Pagets disease`` that of ``Paget's disease``.
    """
    return _read(text).replace("'", "")


def inflections(term: str) -> set[str]:
    """The term and the singular or plural of its last word.

    The regular English ones, and the Latin and Greek plurals of medical words where they
    cost one line: ``-oma`` → ``-omata``, ``-us`` → ``-i`` (six letters or more: not
    ``sinus`` or ``virus``), ``-um`` → ``-a``, ``-ix``/``-ex`` → ``-ices``. Others go in the
    concept's ``inflections``.
    """
    head, _, last = term.rpartition(" ")
    forms = {last}
    if last.endswith("sis"):
        forms.add(last[:-3] + "ses")
    elif last.endswith("ses") and len(last) > 4:
        forms.add(last[:-3] + "sis")
    elif last.endswith("oma"):
        forms |= {last + "e", last + "s", last + "ta"}
    elif last.endswith("a"):
        forms |= {last + "e", last + "s"}
    elif last.endswith("us") and len(last) > 3:
        forms |= {last + "es", *([last[:-2] + "i"] if len(last) >= 6 else [])}
    elif last.endswith("um") and len(last) > 4:
        forms |= {last + "s", last[:-2] + "a"}
    elif last.endswith(("ix", "ex")) and len(last) > 3:
        forms |= {last + "es", last[:-2] + "ices"}
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


def _form(form: str) -> str:
    """A form as a regular expression: spaces match spaces or hyphens, ``'`` may be left out."""
    return re.escape(form).replace(r"\ ", r"[\s-]+").replace("'", "'?")


def _by_first_letter(forms: list[str]) -> str:
    r"""The forms grouped by first letter, each group behind its letter: ``o(?<!…)(?:…|…)``.

    The regex engine then tries at each place only the forms of its letter, after one test
    that no word character, apostrophe or hyphen stands before it (``(?<![\w'-].)`` once
    the letter is read: what ``(?<![\w'-])`` asks before it). Within a group the forms keep
    their order, longest first; at one place only one group can match.
    """
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[0], []).append(_form(form[1:]))
    return "|".join(
        rf"{re.escape(first)}(?<![\w'-].)(?:{'|'.join(rest)})" for first, rest in groups.items()
    )


class Matcher:
    """Compiled once per registry; ``find`` returns every registered form in a unit.

    ``senses`` holds every form by its ``key``, so a name written in any spelling of it is
    looked up as one (``matcher.senses.get(key(name))``); ``written`` the same forms by how
    the registry spells them, which ``find`` asks first.
    """

    def __init__(self, terminology: Terminology) -> None:
        self.terminology = terminology
        self.senses: dict[str, list[Sense]] = {}
        self.written: dict[str, list[Sense]] = {}
        self._forms: set[str] = set()
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
        """Register ``term`` (and its inflections) for ``sense``.

        A term whose last word has an apostrophe (``Graves'``) is not inflected: its
        "singular" would be the name alone.
        """
        form = spelled(term)
        inflect = inflect and "'" not in form.rpartition(" ")[2]
        for written in inflections(form) if inflect else {form}:
            self._forms.add(_read(written))
            for table, name in ((self.written, written), (self.senses, key(written))):
                bucket = table.setdefault(name, [])
                if sense not in bucket:
                    bucket.append(sense)

    @once
    def pattern(self) -> re.Pattern[str]:
        """One alternation of every form as the matcher reads it, longest first.

        Grouped by first letter (``_by_first_letter``) where every form starts with one.

        Spaces match spaces or hyphens, an apostrophe may be left out. A form may be followed
        by a possessive (``osteosarcoma's margins``), never by a letter or a hyphen.
        """
        forms = sorted(self._forms, key=len, reverse=True)
        if forms and all(form[:1].isalnum() for form in forms):
            return re.compile(rf"(?:{_by_first_letter(forms)})(?![\w-])")
        body = "|".join(map(_form, forms))
        return re.compile(rf"(?<![\w'-])(?:{body or '(?!)'})(?![\w-])")

    @once
    def _crosses(self) -> bool:
        """True when a form holds ``SEPARATOR``: it might match across units (none does)."""
        return any(SEPARATOR in form for form in self._forms)

    def find(self, unit: TextUnit) -> list[TermMatch]:
        """Every registered form in ``unit``, left to right, longest at each place.

        The search runs on the unit's text as the matcher reads it (``TextUnit.read``: seen
        through disguises, without diacritics, in the house spelling); each match's offsets
        are mapped back, so ``start:end`` is the form as written in ``raw``, invisible
        characters, look-alikes and British spelling included. A form the registry spells
        as it is written here has the senses of that spelling; any other, those of its key.
        """
        found = []
        read = unit.read
        for match in self.pattern.finditer(read.text):
            start, end = read.start(match.start()), read.end(match.end())
            senses = self.written.get(spelled(unit.norm[start:end])) or self.senses.get(
                key(match.group(0)), []
            )
            if senses:
                found.append(TermMatch(unit, start, end, tuple(senses)))
        return found

    def find_all(self, joined: Joined) -> list[TermMatch]:
        """``find`` in every unit of ``joined``, in order, with one search for most of them.

        A unit whose ``read`` is its ``norm`` (``Joined.plain``: nearly every one) is searched
        in the joined text, where no form can cross from one unit into the next; the others
        one by one. The matches are those ``find`` gives, unit by unit.
        """
        plain, units = joined.plain, joined.units
        if self._crosses:
            return [match for unit in units for match in self.find(unit)]
        hits: dict[int, list[TermMatch]] = {}
        for match in self.pattern.finditer(joined.norm):
            index = joined.index(match.start())
            if not plain[index]:
                continue
            written = match.group(0)  # its ``norm`` too: read is norm here
            senses = self.written.get(spelled(written)) or self.senses.get(key(written), [])
            if senses:
                at = joined.starts[index]
                found = TermMatch(units[index], match.start() - at, match.end() - at, tuple(senses))
                hits.setdefault(index, []).append(found)
        every: list[TermMatch] = []
        for index, unit in enumerate(units):
            every.extend(hits.get(index, ()) if plain[index] else self.find(unit))
        return every
