"""The abbreviation ledger of a chapter: abbreviation-like tokens and expansions, in reading order.

Registered abbreviations are found first, as whole tokens, longest first (``T1WI C+`` before
``T1WI``), a plural ``s`` allowed. One of them whose ``not_when`` pattern matches around it
(a match of the pattern in the unit's text covers the token) means something else there, such
as ``T1`` the vertebra in ``at T1``: the ledger leaves it out. Any other token of two or more
capitals (digits allowed) that no ``identifiers`` pattern matches is an unknown token.

An expansion is ``Expansion (ABBR)`` in the text, or a bullet of Terminology › Abbreviations
written ``ABBR: expansion`` or ``Expansion (ABBR)``. Words before ``(ABBR)`` that are not the
registry's expansion still count as one (an inconsistent one) when their initials spell the
abbreviation, small words such as "of" aside (``computerised tomography (CT)``,
``gastro-intestinal (GI)``); otherwise (``calcification (CT)``, ``on MR (CT)``) the
parenthesis is an ordinary use.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.model.span import Span
from pipeline.model.terminology import Abbreviation, Terminology
from pipeline.terminology.matcher import key
from pipeline.terminology.text import TextUnit

GLOSSARY = ("terminology", "abbreviations")
_CANDIDATE = re.compile(r"[A-Z0-9](?<!\w.)[A-Z0-9]*[A-Z][A-Z0-9]*s?(?!\w)")
"""A token with a capital after its first character; ``_tokens`` keeps those with two."""
_WORD = re.compile(r"[^\W_][\w'’]*")
_GAP = re.compile(r"[\s-]*")
_SMALL_WORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"}


@dataclass(frozen=True, eq=False)
class Token:
    """An abbreviation-like token; ``entry`` is None when the registry does not know it."""

    unit: TextUnit
    index: int
    start: int
    end: int
    entry: Abbreviation | None

    @property
    def order(self) -> tuple[int, int]:
        """The token's place in reading order."""
        return (self.index, self.start)

    @property
    def span(self) -> Span:
        """Where the token is written."""
        return self.unit.span(self.start)

    @property
    def in_glossary(self) -> bool:
        """True inside Terminology › Abbreviations."""
        return (self.unit.place.section, self.unit.place.subsection) == GLOSSARY

    @property
    def in_label(self) -> bool:
        """True in a run-in label (``- **STIR**``): a use, but a word of the skeleton's."""
        return self.unit.place.kind == "label"


@dataclass(frozen=True, eq=False)
class Expansion:
    """An abbreviation defined: its token and the expansion written at ``start:end``."""

    token: Token
    start: int
    end: int

    @property
    def written(self) -> str:
        """The expansion as written."""
        return self.token.unit.raw[self.start : self.end]

    @property
    def consistent(self) -> bool:
        """True when the written expansion is the registry's (case and hyphens aside)."""
        return self.token.entry is not None and key(self.written) == key(self.token.entry.expansion)


@dataclass
class Ledger:
    """Every token and every expansion of a chapter."""

    tokens: list[Token] = field(default_factory=list)
    expansions: list[Expansion] = field(default_factory=list)
    others: list[Token] = field(default_factory=list)
    """Registered abbreviations written in another sense (``at T1``): not uses."""

    def uses(self, entry: Abbreviation, *, labels: bool = False) -> list[Token]:
        """Uses of ``entry`` outside the glossary, expansions' own tokens left out.

        ``labels``: run-in labels count too. They do for "is it used after its expansion"
        (A104); they do not for "is it used before" (A102): the skeleton, not the editor,
        chose the label and where it stands.
        """
        defining = {e.token for e in self.expansions}
        return [
            t
            for t in self.tokens
            if t.entry is entry
            and not t.in_glossary
            and t not in defining
            and (labels or not t.in_label)
        ]

    def expansions_of(self, entry: Abbreviation) -> list[Expansion]:
        """Expansions of ``entry``: glossary entries first, then in reading order."""
        found = [e for e in self.expansions if e.token.entry is entry]
        return sorted(found, key=lambda e: (not e.token.in_glossary, e.token.order))

    def entries(self) -> list[Abbreviation]:
        """Registered abbreviations the chapter uses or expands, in order of first mention."""
        return list({id(t.entry): t.entry for t in self.tokens if t.entry is not None}.values())


@dataclass(frozen=True)
class _Lexicon:
    """A registry's abbreviations compiled for lookup."""

    by_form: dict[str, Abbreviation]
    registered: re.Pattern[str]
    identifiers: re.Pattern[str]


_LEXICON: list[tuple[Terminology, _Lexicon]] = []


def ledger(ctx: ChapterContext) -> Ledger:
    """The ledger of ``ctx``'s chapter, made once and shared by the A rules."""
    found = ctx.memo.get("abbreviations")
    if found is None:
        found = ctx.memo["abbreviations"] = _made(ctx, _lexicon(ctx.terminology))
    assert isinstance(found, Ledger)
    return found


class AbbreviationRule(Rule):
    """Base of the rules that check each registered abbreviation of the ledger (A102–A104).

    A subclass says in ``check_entry`` what is wrong with one abbreviation; entries come in
    order of first mention.
    """

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        found = ledger(ctx)
        for entry in found.entries():
            yield from self.check_entry(found, entry)

    def check_entry(self, found: Ledger, entry: Abbreviation) -> Iterable[Finding]:
        """Findings about ``entry``, an abbreviation the chapter uses or expands."""
        return ()


def _lexicon(terminology: Terminology) -> _Lexicon:
    if not _LEXICON or _LEXICON[0][0] is not terminology:
        by_form = {" ".join(e.abbr.split()): e for e in terminology.abbreviations}
        ordered = sorted(by_form, key=len, reverse=True)
        registered = re.compile(rf"(?:{'|'.join(map(_form, ordered)) or '(?!)'})s?(?!\w)")
        valid = [f"(?:{p})" for p in terminology.identifiers if _compiled(p)]
        lexicon = _Lexicon(by_form, registered, re.compile("|".join(valid) or "(?!)"))
        _LEXICON[:] = [(terminology, lexicon)]
    return _LEXICON[0][1]


def _made(ctx: ChapterContext, lexicon: _Lexicon) -> Ledger:
    text = _Joined(ctx.labelled)
    tokens, taken, others = _registered(text, lexicon)
    tokens += _unknown(text, lexicon, taken)
    tokens.sort(key=lambda t: t.order)
    return Ledger(tokens, [e for t in tokens if (e := _expansion(t)) is not None], others)


class _Joined:
    """A chapter's units as one text, so that each regex scans the chapter once."""

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units
        self.text = "\n".join(unit.raw for unit in units)
        self.starts = list(accumulate((len(unit.raw) + 1 for unit in units[:-1]), initial=0))

    def token(self, match: re.Match[str], entry: Abbreviation | None) -> Token:
        """The token ``match`` found, located in its unit."""
        index = bisect.bisect_right(self.starts, match.start()) - 1
        at = self.starts[index]
        return Token(self.units[index], index, match.start() - at, match.end() - at, entry)


def _registered(
    text: _Joined, lexicon: _Lexicon
) -> tuple[list[Token], list[tuple[int, int]], list[Token]]:
    """Registered tokens in their sense, where every registered token stands, and the rest.

    The rest: registered tokens a ``not_when`` pattern gives another sense.
    """
    tokens, taken, others = [], [], []
    for match in lexicon.registered.finditer(text.text):
        form = " ".join(match.group().split())
        token = text.token(match, lexicon.by_form.get(form) or lexicon.by_form[form[:-1]])
        taken.append(match.span())
        entry = token.entry
        if entry and entry.not_when and _other_sense(entry, token.unit.raw, token.start, token.end):
            others.append(token)
        elif entry:
            tokens.append(token)
    return tokens, taken, others


def _unknown(text: _Joined, lexicon: _Lexicon, taken: list[tuple[int, int]]) -> list[Token]:
    tokens = []
    starts = [start for start, _end in taken]  # in text order: finditer found them so
    for match in _CANDIDATE.finditer(text.text):
        written, at = match.group(), match.start()
        if _inside(taken, starts, at) or sum(map(str.isupper, written)) < 2:
            continue  # most are registered tokens: the cheaper test first
        if not _identifier(lexicon, written):
            tokens.append(text.token(match, None))
    return tokens


def _inside(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """True when ``at`` falls in one of ``spans`` (sorted, not overlapping)."""
    index = bisect.bisect_right(starts, at) - 1
    return index >= 0 and at < spans[index][1]


def _form(abbr: str) -> str:
    """``abbr`` as a whole token, spaces matching any run of spaces.

    The first character comes first, which lets the regex engine skip quickly to the places
    that can match.
    """
    rest = re.escape(abbr[1:]).replace(r"\ ", r"[^\S\n]+")
    return rf"{re.escape(abbr[0])}(?<!\w.){rest}"


def _identifier(lexicon: _Lexicon, text: str) -> bool:
    return bool(lexicon.identifiers.fullmatch(text) or lexicon.identifiers.fullmatch(text[:-1]))


def _other_sense(entry: Abbreviation, text: str, start: int, end: int) -> bool:
    """True when a ``not_when`` pattern matches around ``text[start:end]``."""
    for pattern in entry.not_when:
        starts, ends = _matches(pattern, text)
        at = bisect.bisect_right(starts, start) - 1  # matches do not overlap: one can cover
        if at >= 0 and end <= ends[at]:
            return True
    return False


@lru_cache(maxsize=64)
def _matches(pattern: str, text: str) -> tuple[list[int], list[int]]:
    """Where ``pattern`` matches in ``text``, as starts and ends: searched once per unit."""
    compiled = _compiled(pattern)
    found = list(compiled.finditer(text)) if compiled else []
    return [m.start() for m in found], [m.end() for m in found]


def _expansion(token: Token) -> Expansion | None:
    raw, entry = token.unit.raw, token.entry
    if entry is None:
        return None
    if token.in_glossary and not raw[: token.start].strip():
        head = re.match(r"\s*:\s*(.*?)[\s.]*\Z", raw[token.end :])
        if head and head.group(1):
            return Expansion(token, token.end + head.start(1), token.end + head.end(1))
    if raw[token.start - 1 : token.start] != "(" or raw[token.end : token.end + 1] != ")":
        return None
    before = raw[: token.start - 1].rstrip()
    start = _written_before(before, entry)
    return Expansion(token, start, len(before)) if start is not None else None


def _written_before(text: str, entry: Abbreviation) -> int | None:
    """Where an expansion of ``entry`` written at the end of ``text`` starts, if one is."""
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", entry.expansion.strip()))
    exact = re.search(rf"(?<![\w-])(?:{words})\Z", text, re.I)
    return exact.start() if exact else _initialled(text, entry)


def _initialled(text: str, entry: Abbreviation) -> int | None:
    """Where the nearest words whose initials spell the abbreviation start, if any do."""
    letters = [c.lower() for c in entry.abbr if c.isalpha()]
    initials: list[str] = []
    for word in _last_words(text, 2 * len(letters) + 1):
        if word.group().lower() in _SMALL_WORDS:
            continue
        initials.insert(0, word.group()[0].lower())
        if initials == letters:
            return word.start()
        if len(initials) == len(letters):
            return None
    return None


def _last_words(text: str, limit: int) -> list[re.Match[str]]:
    """The words ending ``text``, nearest first, joined by spaces or hyphens only."""
    run: list[re.Match[str]] = []
    end = len(text)
    for word in reversed(list(_WORD.finditer(text))):
        if len(run) == limit or not _GAP.fullmatch(text, word.end(), end):
            break
        run.append(word)
        end = word.start()
    return run


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    """The pattern compiled; None when it is not a valid regular expression."""
    try:
        return re.compile(pattern)
    except re.error:
        return None
