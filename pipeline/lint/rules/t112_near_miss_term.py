"""T112: a word one keystroke away from a registered term: a typo of it, probably."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.terminology import Matcher
from pipeline.terminology.matcher import key
from pipeline.terminology.text import SEPARATOR, TextUnit

SHORTEST = 6
"""Words shorter than this are left alone: among short words one keystroke makes another
word too often (bone, done, tone)."""
_WORD = re.compile(r"[^\W\d_]+")
_LONG = re.compile(rf"(?<![^\W\d_])[^\W\d_]{{{SHORTEST},}}")
"""A word long enough to be looked at (``_WORD`` of ``SHORTEST`` letters or more). Tried
only where a word starts: the search then skips a short word at once, not letter by letter."""
_LONG_ASCII = re.compile(rf"(?<![A-Za-z])[A-Za-z]{{{SHORTEST},}}")
"""``_LONG`` for ASCII text, where a letter is A to Z: searched some twice as fast. In other
text it may find a piece of a word instead of the word."""
_ENDINGS = frozenset({"", "a", "e", "s", "y", "ae", "al", "ed", "es", "ia", "ic", "is", "ly"})
"""Last letters that make another form of a word (osteopenia, osteopenic), not a typo."""


class NearMissTerm(Rule):
    """Flags a word one keystroke from a registered term, where the term was surely meant.

    What it does: finds words of six letters or more that the registry does not know and that
    one edit (a letter added, dropped, changed, or two swapped) makes into a word of a
    registered term, where the words around them then complete that term: "osteosarkoma"
    for osteosarcoma, "blastic oseous metastases". The first letter must agree, and an edit
    that only adds a last letter or changes an ending (vertebral beside vertebra, osteopenic
    beside osteopenia) makes another form, not a typo.
    Quoted words are mentions and are left alone.
    Why it matters: a misspelled term escapes every other terminology rule, the index and
    search: "osteosarkoma" is never checked against the registry at all.
    Example: ``- Osteosarkoma with a sunburst periosteal reaction``
    Use instead: the registered term (``- Osteosarcoma with …``), or add the new word to the
    registry if it is meant.
    Fix: unsafe: replaces the word by the term's word, keeping an initial capital.
    """

    code = "T112"
    name = "near-miss-term"
    fix = "unsafe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        index = _index(ctx.matcher)
        if not index.near or not _any_typo(ctx, index):
            return
        taken: dict[int, list[tuple[int, int]]] = {}
        for match in ctx.matches:
            taken.setdefault(id(match.unit), []).append((match.start, match.end))
        for unit in ctx.units:
            yield from _misses(unit, index, taken.get(id(unit), []))


@dataclass(frozen=True)
class _Index:
    """The registry's words, and for each a way to find those one edit away."""

    words: frozenset[str]
    """Every word of every registered form: never a typo."""
    near: dict[str, frozenset[str]]
    """A word with one letter deleted (or whole): the words it comes from, as the registry
    writes its terms (a generated plural is known, never offered: vertebral is no typo of
    vertebras)."""
    forms: dict[str, tuple[tuple[str, ...], ...]]
    """For each registered word, the registered forms (as their words) it stands in."""
    typos: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each word met so far, with the registered words it may be a typo of (mostly none):
    a book repeats its words, so each is looked at once a run."""
    clean: set[str] = field(default_factory=set)
    """The words of ``typos`` that are a typo of nothing: one set difference drops them."""

    def typo_of(self, text: str) -> tuple[str, ...]:
        """The registered words one edit from ``text`` that are not another form of it."""
        known = self.typos.get(text)
        if known is None:
            near = {c for variant in _deletions(text) for c in self.near.get(variant, ())}
            known = tuple(sorted(c for c in near if _typo(text, c)))
            self.typos[text] = known
            if not known:
                self.clean.add(text)
        return known


@lru_cache(maxsize=4)
def _index(matcher: Matcher) -> _Index:
    forms: dict[str, set[tuple[str, ...]]] = {}
    for written in matcher.senses:
        form = tuple(_WORD.findall(written))
        for word in form:
            forms.setdefault(word, set()).add(form)
    terms = {sense.term for senses in matcher.senses.values() for sense in senses}
    as_written = {word for term in terms for word in _WORD.findall(key(term))}
    near: dict[str, set[str]] = {}
    for word in as_written:
        if len(word) >= SHORTEST:
            for variant in _deletions(word):
                near.setdefault(variant, set()).add(word)
    return _Index(
        frozenset(forms),
        {variant: frozenset(words) for variant, words in near.items()},
        {word: tuple(sorted(found)) for word, found in forms.items()},
    )


def _deletions(word: str) -> set[str]:
    """The word and the word with any one letter deleted."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _any_typo(ctx: ChapterContext, index: _Index) -> bool:
    """True when some long word of the chapter may be a typo: two searches a chapter.

    A plain unit's seen text is its ``norm`` (``Joined.plain``), of ASCII letters: the
    joined norm is searched for ASCII words (in a unit that is not plain it may find pieces
    of words: more to look at, never less), the other units' seen texts for any word.
    """
    joined = ctx.joined
    words = set(_LONG_ASCII.findall(joined.norm))
    others = [u.seen.text for u, plain in zip(ctx.units, joined.plain, strict=True) if not plain]
    words.update(_LONG.findall(SEPARATOR.join(others)))
    return any(index.typo_of(word) for word in words.difference(index.words, index.clean))


def _misses(unit: TextUnit, index: _Index, taken: list[tuple[int, int]]) -> Iterator[Finding]:
    seen = unit.seen
    long = set(_LONG.findall(seen.text)).difference(index.words)
    if not any(index.typo_of(word) for word in long):  # nearly every unit: set lookups only
        return
    found = list(_WORD.finditer(seen.text))
    words = [word.group() for word in found]
    for position, text in enumerate(words):
        if text not in long:
            continue
        meant = _meant(index.typo_of(text), position, words, index)
        if not meant:
            continue
        start, end = seen.start(found[position].start()), seen.end(found[position].end())
        if not any(a <= start < b for a, b in taken) and not unit.mentions(start, end):
            yield _finding(unit, start, end, meant)


def _meant(
    candidates: tuple[str, ...], position: int, words: list[str], index: _Index
) -> str | None:
    """The first of ``candidates`` that the neighbours of ``words[position]`` make a form with."""
    for candidate in candidates:
        if any(_completes(form, candidate, position, words) for form in index.forms[candidate]):
            return candidate
    return None


def _typo(text: str, word: str) -> bool:
    """True when ``text`` is ``word`` mistyped: same first letter, one edit, no other form."""
    return text[0] == word[0] and _one_edit(text, word) and not _another_form(text, word)


def _one_edit(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    shortest = min(len(a), len(b))
    head = next((i for i in range(shortest) if a[i] != b[i]), shortest)
    if len(a) == len(b):
        swapped = a[head + 1 : head + 2] + a[head : head + 1] + a[head + 2 :]
        return a[head + 1 :] == b[head + 1 :] or swapped == b[head:]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[head + 1 :] == shorter[head:]


def _another_form(text: str, word: str) -> bool:
    """True when the two differ only in endings that make forms of one word.

    One is the other with a letter added at the end (vertebra, vertebral), or both end in a
    form's ending (osteopenia, osteopenic).
    """
    if text.startswith(word) or word.startswith(text):
        return True
    stem = min(len(text), len(word)) - 2
    return text[:stem] == word[:stem] and {text[stem:], word[stem:]} <= _ENDINGS


def _completes(form: tuple[str, ...], candidate: str, position: int, words: list[str]) -> bool:
    """True when ``candidate`` in place of the word makes ``form`` with the words around it."""
    for at, word in enumerate(form):
        if word != candidate:
            continue
        first = position - at
        if first < 0 or first + len(form) > len(words):
            continue
        window = [*words[first:position], candidate, *words[position + 1 : first + len(form)]]
        if tuple(window) == form:
            return True
    return False


def _finding(unit: TextUnit, start: int, end: int, meant: str) -> Finding:
    written = unit.raw[start:end]
    if written[:1].isupper():
        meant = meant[:1].upper() + meant[1:]
    return Finding(
        unit.span(start),
        f"'{written}' is not a registered word; did you mean '{meant}'?",
        f"Write '{meant}', or add '{written.lower()}' to the registry if it is meant.",
        fix=replacement_fix(unit, start, end, meant, safe=False),
    )
