"""A chapter's text as units an editor reads, with every character mapped to its source.

A unit is one bullet, one differential name, one figure caption, or one text of the front
matter a reader sees: the title, a figure's alt text, long description and credit. Inline
markup is dropped and its text joined (``*Paget* disease`` reads ``Paget disease``); soft
line breaks are spaces; citations, figure references and markers are a space, so that a term
never matches across them. ``norm`` is the text lower-cased with typographic apostrophes and
hyphens made plain, character for character, so an offset in ``norm`` is an offset in
``raw``. ``seen`` is ``norm`` seen through disguises (``normal.fold``: no invisible
characters, look-alike letters made Latin), with a map from its offsets back to ``raw``;
``read`` is ``seen`` as the matcher reads it, also without diacritics and with British words
in the house spelling (``dialect``), so that ``Haemangioma`` is found as ``hemangioma``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Generic, Literal, TypeVar, overload

from pipeline.model.book import Bullet, Chapter
from pipeline.model.inline import Code, Inline, Text
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS, KEY_FACTS
from pipeline.model.span import Span
from pipeline.model.walk import CONTAINERS
from pipeline.terminology.dialect import CANDIDATES, Respelling, in_house_spelling
from pipeline.terminology.normal import Folded, fold, unaccent

_T = TypeVar("_T")


class once(Generic[_T]):  # noqa: N801 (named as a decorator)
    """``functools.cached_property`` without its lock: computed on first read, then kept.

    Python 3.11's ``cached_property`` takes a lock on every first read; a lint of 1,000
    chapters makes some 200,000 of them (every unit's ``norm``, ``seen``, …), a twentieth of
    its time. Text units and chapter contexts are never shared between threads.
    """

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | once[_T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value  # read from the instance from now on
        return value


_PLAIN = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "\u00a0": " "})
DIFFERENTIALS = DIFFERENTIAL_DIAGNOSIS
_QUOTED = re.compile('“[^“”]*”|"[^"]*"')
"""A quotation: what a writer quotes (a historical name, a report's words) is mentioned."""


@dataclass(frozen=True)
class Place:
    """Where a unit stands: section and subsection keys, and what kind of text it is."""

    section: str
    subsection: str
    kind: Literal[
        "bullet", "heading", "label", "caption", "title", "alt", "long_description", "credit"
    ]

    @property
    def in_key_facts(self) -> bool:
        """True inside the Key Facts box."""
        return self.section == KEY_FACTS

    @property
    def in_synonyms_list(self) -> bool:
        """True inside Terminology › Synonyms, where every synonym is expected."""
        return (self.section, self.subsection) == ("terminology", "synonyms")


@dataclass
class TextUnit:
    """Text of one bullet, heading or caption, with offsets mapped back to the file."""

    place: Place
    raw: str = ""
    starts: list[int] = field(default_factory=list)
    pieces: list[tuple[Span, bool]] = field(default_factory=list)
    """For each piece starting at ``starts[i]``: its span, and whether it is text of one line."""

    @once
    def norm(self) -> str:
        """The text for matching: lower case, plain apostrophes and hyphens, same length."""
        return _plain(self.raw)

    @once
    def seen(self) -> Folded:
        """``norm`` of the text folded (``normal.fold``); its ``origin`` maps into ``raw``."""
        if self.raw.isascii():  # nothing to fold: the norm as it is
            return Folded(self.norm, range(len(self.raw) + 1))
        folded = fold(self.raw)
        return Folded(_plain(folded.text), folded.origin, folded.hidden, folded.swaps)

    @property
    def read(self) -> Folded:
        """``seen`` as the matcher reads it: no diacritics, British words in house spelling.

        Diacritics are dropped by ``normal.unaccent``, words respelled by ``dialect``;
        ``origin`` maps into ``raw``.
        """
        return self._house[0]

    @property
    def british(self) -> list[Respelling]:
        """The words in British spelling (``dialect``), at their offsets in ``raw``."""
        return self._house[1]

    @once
    def _house(self) -> tuple[Folded, list[Respelling]]:
        """``read`` and ``british``, made together: one search finds both."""
        seen = self.seen
        if not seen.text.isascii():
            plain = unaccent(seen.text)
            seen = Folded(plain.text, tuple(map(seen.origin.__getitem__, plain.origin)))
        return in_house_spelling(seen)

    def add(self, text: str, span: Span, exact: bool) -> None:
        """Append a piece of text that starts at ``span`` (before ``norm`` is first read)."""
        self.starts.append(len(self.raw))
        self.pieces.append((span, exact))
        self.raw += text

    @once
    def quotations(self) -> list[tuple[int, int]]:
        """The ranges of ``raw`` inside quotation marks (“…”, or "…" in pairs)."""
        return [match.span() for match in _QUOTED.finditer(self.raw)]

    def mentions(self, start: int, end: int) -> bool:
        """True when ``raw[start:end]`` stands inside quotation marks: quoted, not used."""
        return any(first < start and end < last for first, last in self.quotations)

    def span(self, offset: int) -> Span:
        """The source position of the character at ``offset``."""
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        span, exact = self.pieces[index]
        if not exact:
            return span
        return span.model_copy(update={"column": span.column + offset - self.starts[index]})

    def in_one_piece(self, start: int, end: int) -> bool:
        """True when ``raw[start:end]`` was written as is, on one line, with no markup inside."""
        index = max(bisect.bisect_right(self.starts, start) - 1, 0)
        after = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.raw)
        return self.pieces[index][1] and end <= after


SEPARATOR = "\x00"
"""What ``Joined`` puts between units: no word character, no space, no apostrophe or hyphen.
No pattern of the matcher or the lint can match it, and each sees it as the end of a text
(a lookaround for a word character, a space, a digit or a hyphen finds none there)."""


class Joined:
    r"""A chapter's units as one text, ``SEPARATOR`` between them, for one search a chapter.

    Most units hold nothing a given pattern looks for: one search of the joined text says
    whether any does. A pattern finds, inside each unit of the joined text, what it finds in
    the unit alone when nothing of it can match the separator and it holds no anchor (``^``,
    ``$``, ``\A``, ``\Z``) and no atomic group: a lookaround for a word character, a space,
    a digit, an apostrophe or a hyphen then fails on the separator as it fails at the end of
    a text. ``ChapterContext.search`` and the rules' prefilters rely on that.
    """

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units
        self.raw = SEPARATOR.join(unit.raw for unit in units)
        self.starts = list(accumulate((len(u.raw) + 1 for u in units[:-1]), initial=0))

    def index(self, offset: int) -> int:
        """The index of the unit that holds ``offset`` of the joined text."""
        return bisect.bisect_right(self.starts, offset) - 1

    @once
    def norm(self) -> str:
        """Every unit's ``norm``, joined (an ASCII unit's is its lower case, made here)."""
        return SEPARATOR.join(u.raw.lower() if u.raw.isascii() else u.norm for u in self.units)

    @once
    def plain(self) -> list[bool]:
        """For each unit, True when its ``read`` is its ``norm``: ASCII, and no British word.

        Such a unit has nothing to fold, no diacritic, nothing to respell: its ``norm`` in
        the joined text is what the matcher reads, its ``british`` is empty.
        """
        plain = [unit.raw.isascii() for unit in self.units]
        for hit in CANDIDATES.finditer(self.norm):
            plain[self.index(hit.start())] = False
        return plain


def _plain(text: str) -> str:
    """Lower case, plain apostrophes and hyphens, character for character.

    An ASCII text (nearly every unit) has nothing to translate: its lower case is its norm.
    """
    if text.isascii():
        return text.lower()
    plain = text.translate(_PLAIN)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    return "".join(_lower(c) for c in plain)


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def units_of(chapter: Chapter, *, labels: bool = False) -> list[TextUnit]:
    """Every unit of a chapter in reading order: body first, then figure captions.

    ``labels``: also each run-in label (``- **STIR**``), where it stands. A label is a word
    of the skeleton's vocabulary, not the editor's: only the abbreviation ledger reads it,
    as a use of the abbreviation it is.
    """
    units: list[TextUnit] = []
    for section in chapter.sections:
        for subsection in section.subsections:
            if section.key == DIFFERENTIALS:
                units.append(_heading(section.key, subsection.key, subsection))
            place = Place(section.key, subsection.key, "bullet")
            _bullets(subsection.bullets, place, labels, units)
    for figure in chapter.figures:
        unit = TextUnit(Place("figures", figure.id, "caption"))
        walk_into(figure.caption, unit)
        units.append(unit)
    units.extend(_front_matter(chapter))
    return units


def _front_matter(chapter: Chapter) -> Iterator[TextUnit]:
    """The title, and each figure's alt text, long description and credit, where written."""
    fields: list[tuple[Place, str | None, str]] = [
        (Place("front-matter", "title", "title"), chapter.meta.title, "title")
    ]
    for figure in chapter.figures:
        fields += [
            (Place("figures", figure.id, "alt"), figure.alt, f"figure:{figure.id}:alt"),
            (Place("figures", figure.id, "long_description"), figure.long_description,
             f"figure:{figure.id}:long_description"),
            (Place("figures", figure.id, "credit"), figure.credit, f"figure:{figure.id}:credit"),
        ]  # fmt: skip
    for place, text, name in fields:
        written = chapter.written.get(name)
        if text and written is not None:
            unit = TextUnit(place)
            unit.add(text, written.span, exact=written.exact)
            yield unit


def _heading(section: str, key: str, subsection: object) -> TextUnit:
    from pipeline.model.book import Subsection

    assert isinstance(subsection, Subsection)
    unit = TextUnit(Place(section, key, "heading"))
    at = subsection.span.model_copy(update={"column": subsection.span.column + 3})
    unit.add(subsection.title, at, exact=True)
    return unit


def _bullets(bullets: list[Bullet], place: Place, labels: bool, units: list[TextUnit]) -> None:
    """Append a unit for each bullet, then for its children, in reading order."""
    for bullet in bullets:
        if bullet.content:
            unit = TextUnit(place)
            walk_into(bullet.content, unit)
            units.append(unit)
        elif labels and bullet.label:
            unit = TextUnit(Place(place.section, place.subsection, "label"))
            unit.add(bullet.label, bullet.span, exact=False)  # ``- **`` may be spaced
            units.append(unit)
        if bullet.children:
            _bullets(bullet.children, place, labels, units)


def walk_into(nodes: list[Inline], unit: TextUnit) -> None:
    """Append the text of ``nodes`` to ``unit``."""
    for node in nodes:
        if isinstance(node, Text):
            unit.add(node.text, node.span, exact=True)
        elif isinstance(node, CONTAINERS):
            walk_into(node.children, unit)
        elif isinstance(node, Code):
            unit.add(" " * len(node.text), node.span, exact=False)
        else:
            unit.add(" ", node.span, exact=False)
